"""money moving touches its fund: a change of a fund's holdings balance or reservation sets funds.updated_at

Revision ID: funds_0003
Revises: funds_0002
Create Date: 2026-11-26 11:30:00

So `GET /v1/funds?updated_since=…` (offline sync) returns a fund whose balance changed, whichever path moved
the money (a contribution's single statement, a payment, a reservation and its release). A trigger, so no
posting path can forget it; only the holdings account (the balance the public sees) counts.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "funds_0003"
down_revision: str | None = "funds_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
CREATE FUNCTION funds.touch_fund_on_money_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE funds.funds SET updated_at = clock_timestamp() WHERE id = NEW.owner_id;
    RETURN NULL;
END
$$
"""
    )
    op.execute(
        """
CREATE TRIGGER ledger_accounts_touch_fund
AFTER UPDATE OF balance_satang, reserved_satang ON funds.ledger_accounts
FOR EACH ROW
WHEN (
    NEW.purpose = 'holdings'
    AND (OLD.balance_satang, OLD.reserved_satang) IS DISTINCT FROM (NEW.balance_satang, NEW.reserved_satang)
)
EXECUTE FUNCTION funds.touch_fund_on_money_moved()
"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_accounts_touch_fund ON funds.ledger_accounts")
    op.execute("DROP FUNCTION funds.touch_fund_on_money_moved()")
