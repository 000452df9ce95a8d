"""Anyone can audit: every hash of a fund's public ledger recomputes from the anonymous JSON page alone,
following the rule the API documents — no server code, no database, no private data."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.funds.conftest import FundsClient, People
from tests.funds.test_reversals import reverse


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def recomputed(entry: dict[str, Any]) -> str:
    """The documented rule, written from the `hash` field's description."""
    name = "" if entry["counterparty_kind"] == "individual" else entry["counterparty_name"]
    fields = (entry["kind"], entry["memo"], entry["reverses_transfer_id"], entry["counterparty_kind"], name)
    description = sha256("|".join(sha256(field or "") for field in fields))
    posted_at = datetime.fromisoformat(entry["posted_at"]).astimezone(UTC).isoformat(timespec="microseconds")
    return sha256(
        "|".join(
            (
                entry["prev_hash"],
                entry["account_id"],
                str(entry["sequence"]),
                entry["transfer_id"],
                str(entry["amount_satang"]),
                str(entry["balance_before_satang"]),
                str(entry["balance_after_satang"]),
                posted_at,
                description,
            )
        )
    )


async def test_an_anonymous_reader_recomputes_every_hash_of_the_public_ledger(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    pool = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 9_000, kind="individual", name="นางสาวใจบุญ มีทรัพย์")
    twice = await funds.contribute(requester, fund["id"], 50_000, kind="partner", name="มูลนิธิชุมชนไท")
    to_person = await funds.request(requester, fund["id"], 3_000, payee_kind="individual", payee_name="นายเอ")
    to_pool = await funds.request(
        requester, fund["id"], 2_000, payee_kind="fund", payee_name=None, to_fund_id=pool["id"]
    )
    for disbursement in (to_person, to_pool):
        await funds.approve(national, fund["id"], disbursement["id"])
        await funds.pay(requester, fund["id"], disbursement["id"])
    reversal = (await reverse(gateway, requester, fund["id"], twice["transfer_id"])).json()
    await gateway.post(f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=national.keyed())

    entries = await funds.ledger(fund["id"])  # anonymous

    assert [e["kind"] for e in entries] == [
        "contribution",
        "contribution",
        "disbursement",
        "fund_transfer",
        "reversal",
    ]
    assert len({e["account_id"] for e in entries}) == 1
    assert [recomputed(e) for e in entries] == [e["hash"] for e in entries]
    assert [e["prev_hash"] for e in entries] == ["0" * 64] + [e["hash"] for e in entries[:-1]]
    assert (await funds.verify(fund["id"]))["head_hash"] == entries[-1]["hash"]
