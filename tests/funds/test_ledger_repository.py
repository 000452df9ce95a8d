"""The ledger's repository hands the Reader asyncpg SQL with its parameters in the compiled order."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select

from services.funds.ledger.models import ACCOUNTS, AccountPurpose
from services.funds.reads import ReaderStatement


def test_a_statement_sends_named_parameters_in_order_and_keeps_its_constants() -> None:
    statement = ReaderStatement(
        select(ACCOUNTS.c.id)
        .where(ACCOUNTS.c.entry_count > bindparam("after"))
        .where(ACCOUNTS.c.purpose == AccountPurpose.holdings.value, ACCOUNTS.c.owner_id == bindparam("owner"))
        .limit(bindparam("limit"))
    )
    owner = uuid.uuid4()

    args = statement.args({"limit": 10, "owner": owner, "after": 3})

    assert "funds.ledger_accounts.entry_count > $1" in statement.sql
    assert "LIMIT $4" in statement.sql
    assert args == [3, AccountPurpose.holdings.value, owner, 10]
