"""no overdraft, checked on the row an update writes: an AFTER ROW trigger replaces the CHECK constraint

Revision ID: funds_0004
Revises: funds_0003
Create Date: 2026-11-26 15:00:00

PostgreSQL evaluates a CHECK constraint on the row an UPDATE builds from the version its snapshot sees, before
it finds that a concurrent transaction updated that row and re-applies itself to the newest version. A
contribution is one statement that locks its accounts and then updates them, so its snapshot predates the
lock: when a payment had meanwhile released a reservation, the CHECK saw the new balance beside the old
reservation and refused a contribution that was sound (500 under load). An AFTER ROW trigger sees the row
actually written; its WHEN clause keeps the sound case free of any function call.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "funds_0004"
down_revision: str | None = "funds_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_ledger_accounts_available_not_negative"


def upgrade() -> None:
    op.drop_constraint(CONSTRAINT, "ledger_accounts", schema="funds", type_="check")
    op.execute(
        f"""
CREATE FUNCTION funds.refuse_overdraft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account % would hold % satang with % reserved', NEW.id, NEW.balance_satang,
        NEW.reserved_satang
        USING ERRCODE = 'check_violation', CONSTRAINT = '{CONSTRAINT}', TABLE = 'ledger_accounts',
              SCHEMA = 'funds';
END
$$
"""
    )
    op.execute(
        """
CREATE TRIGGER ledger_accounts_no_overdraft
AFTER INSERT OR UPDATE OF balance_satang, reserved_satang ON funds.ledger_accounts
FOR EACH ROW
WHEN (NOT NEW.allow_negative AND NEW.balance_satang < NEW.reserved_satang)
EXECUTE FUNCTION funds.refuse_overdraft()
"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_accounts_no_overdraft ON funds.ledger_accounts")
    op.execute("DROP FUNCTION funds.refuse_overdraft()")
    op.create_check_constraint(
        CONSTRAINT, "ledger_accounts", "allow_negative OR balance_satang >= reserved_satang", schema="funds"
    )
