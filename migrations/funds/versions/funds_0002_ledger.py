"""the funds ledger: accounts, transfers, entries; contributions, disbursements, reversals, history

Revision ID: funds_0002
Revises: funds_0001
Create Date: 2026-11-26 10:00:00

Entries and transfers are immutable (a trigger refuses UPDATE, DELETE and TRUNCATE: corrections are
reversals), and a deferred constraint trigger checks at commit that every transfer's entries sum to zero.
Funds that already exist get their three accounts at zero.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "funds_0002"
down_revision: str | None = "funds_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "funds"


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("funds", sa.Column("name_en", sa.String(length=300), nullable=True), schema=S)
    op.add_column(
        "funds", sa.Column("approvals_required", sa.Integer(), nullable=False, server_default="2"), schema=S
    )
    op.add_column(
        "funds",
        sa.Column("committee", postgresql.JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        schema=S,
    )
    op.alter_column("funds", "approvals_required", server_default=None, schema=S)
    op.alter_column("funds", "committee", server_default=None, schema=S)
    op.create_check_constraint(
        "ck_funds_approvals_required", "funds", "approvals_required BETWEEN 1 AND 20", schema=S
    )

    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("balance_satang", sa.BigInteger(), nullable=False),
        sa.Column("reserved_satang", sa.BigInteger(), nullable=False),
        sa.Column("entry_count", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reserved_satang >= 0", name="ck_ledger_accounts_reserved_not_negative"),
        sa.CheckConstraint(
            "allow_negative OR balance_satang >= reserved_satang",
            name="ck_ledger_accounts_available_not_negative",
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index(
        "uq_ledger_accounts_owner_purpose", "ledger_accounts", ["owner_id", "purpose"], unique=True, schema=S
    )
    op.create_table(
        "ledger_transfers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_satang", sa.BigInteger(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=True),
        sa.Column("request_type", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("reverses_transfer_id", sa.Uuid(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_satang > 0", name="ck_ledger_transfers_amount_positive"),
        sa.ForeignKeyConstraint(["reverses_transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index(
        "uq_ledger_transfers_reverses", "ledger_transfers", ["reverses_transfer_id"], unique=True, schema=S
    )
    op.create_table(
        "ledger_entries",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("transfer_id", sa.Uuid(), nullable=False),
        sa.Column("amount_satang", sa.BigInteger(), nullable=False),
        sa.Column("balance_before_satang", sa.BigInteger(), nullable=False),
        sa.Column("balance_after_satang", sa.BigInteger(), nullable=False),
        sa.Column("counterparty_kind", sa.String(length=32), nullable=True),
        sa.Column("counterparty_name", sa.String(length=300), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("amount_satang <> 0", name="ck_ledger_entries_amount_not_zero"),
        sa.CheckConstraint(
            "balance_after_satang = balance_before_satang + amount_satang",
            name="ck_ledger_entries_arithmetic",
        ),
        sa.ForeignKeyConstraint(["account_id"], [f"{S}.ledger_accounts.id"]),
        sa.ForeignKeyConstraint(["transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.PrimaryKeyConstraint("account_id", "sequence"),
        schema=S,
    )
    op.create_index("ix_ledger_entries_transfer", "ledger_entries", ["transfer_id"], schema=S)

    op.create_table(
        "contributions",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("transfer_id", sa.Uuid(), nullable=False),
        sa.Column("amount_satang", sa.BigInteger(), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("is_joint_budget", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("amount_satang > 0", name="ck_contributions_amount_positive"),
        sa.ForeignKeyConstraint(["fund_id"], [f"{S}.funds.id"]),
        sa.ForeignKeyConstraint(["transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index(
        "ix_contributions_fund_page_order", "contributions", ["fund_id", "created_at", "id"], schema=S
    )

    op.create_table(
        "disbursements",
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("amount_satang", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("payee_kind", sa.String(length=32), nullable=False),
        sa.Column("payee_name", sa.String(length=300), nullable=False),
        sa.Column("to_fund_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("project_verification", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approvals_count", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("transfer_id", sa.Uuid(), nullable=True),
        sa.Column("payment_reference", sa.String(length=200), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("amount_satang > 0", name="ck_disbursements_amount_positive"),
        sa.CheckConstraint(
            "(payee_kind = 'fund') = (to_fund_id IS NOT NULL)", name="ck_disbursements_fund_payee"
        ),
        sa.ForeignKeyConstraint(["fund_id"], [f"{S}.funds.id"]),
        sa.ForeignKeyConstraint(["to_fund_id"], [f"{S}.funds.id"]),
        sa.ForeignKeyConstraint(["transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index(
        "ix_disbursements_fund_page_order", "disbursements", ["fund_id", "created_at", "id"], schema=S
    )
    op.create_index(
        "ix_disbursements_fund_sync_order", "disbursements", ["fund_id", "updated_at", "id"], schema=S
    )

    op.create_table(
        "reversals",
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("transfer_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approvals_count", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("reversal_transfer_id", sa.Uuid(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["fund_id"], [f"{S}.funds.id"]),
        sa.ForeignKeyConstraint(["transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.ForeignKeyConstraint(["reversal_transfer_id"], [f"{S}.ledger_transfers.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index("ix_reversals_fund_page_order", "reversals", ["fund_id", "created_at", "id"], schema=S)
    op.create_index("ix_reversals_fund_sync_order", "reversals", ["fund_id", "updated_at", "id"], schema=S)
    op.create_index(
        "uq_reversals_one_open_per_transfer",
        "reversals",
        ["transfer_id"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("status IN ('requested', 'approved')"),
    )

    op.create_table(
        "fund_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", postgresql.JSONB(), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], [f"{S}.funds.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index("ix_fund_history_fund", "fund_history", ["fund_id", "id"], schema=S)
    op.create_index("ix_fund_history_subject", "fund_history", ["subject_id", "id"], schema=S)
    op.create_index(
        "uq_fund_history_one_approval_each",
        "fund_history",
        ["subject_id", "actor"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("action = 'approved'"),
    )

    op.execute(
        f"""
        CREATE FUNCTION {S}.ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the ledger is append-only: % on %.% is refused (correct by reversal)',
                TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION funds.ledger_check_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            total bigint;
            legs integer;
        BEGIN
            SELECT coalesce(sum(amount_satang), 0), count(*) INTO total, legs
              FROM funds.ledger_entries WHERE transfer_id = NEW.transfer_id;
            IF total <> 0 OR legs < 2 THEN
                RAISE EXCEPTION 'transfer % does not balance: % entries summing to %', NEW.transfer_id, legs, total
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for table in ("ledger_entries", "ledger_transfers"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {S}.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION {S}.ledger_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {S}.{table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {S}.ledger_refuse_change()"
        )
    op.execute(
        f"CREATE CONSTRAINT TRIGGER ledger_transfer_balanced AFTER INSERT ON {S}.ledger_entries "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {S}.ledger_check_transfer_balanced()"
    )
    # funds opened before the ledger get their accounts at zero
    op.execute(
        """
        INSERT INTO funds.ledger_accounts
            (id, owner_id, purpose, allow_negative, balance_satang, reserved_satang, entry_count, head_hash,
             revision, created_at)
        SELECT gen_random_uuid(), f.id, p.purpose, p.allow_negative, 0, 0, 0, repeat('0', 64), 0, now()
          FROM funds.funds f
         CROSS JOIN (VALUES ('holdings', false), ('contributions', true), ('payouts', true))
               AS p(purpose, allow_negative)
        """
    )


def downgrade() -> None:
    op.execute(f"DROP TRIGGER ledger_transfer_balanced ON {S}.ledger_entries")
    for table in ("ledger_entries", "ledger_transfers"):
        op.execute(f"DROP TRIGGER {table}_append_only ON {S}.{table}")
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {S}.{table}")
    op.execute(f"DROP FUNCTION {S}.ledger_check_transfer_balanced()")
    op.execute(f"DROP FUNCTION {S}.ledger_refuse_change()")
    op.drop_table("fund_history", schema=S)
    op.drop_table("reversals", schema=S)
    op.drop_table("disbursements", schema=S)
    op.drop_table("contributions", schema=S)
    op.drop_table("ledger_entries", schema=S)
    op.drop_table("ledger_transfers", schema=S)
    op.drop_table("ledger_accounts", schema=S)
    op.drop_constraint("ck_funds_approvals_required", "funds", schema=S)
    op.drop_column("funds", "committee", schema=S)
    op.drop_column("funds", "approvals_required", schema=S)
    op.drop_column("funds", "name_en", schema=S)
