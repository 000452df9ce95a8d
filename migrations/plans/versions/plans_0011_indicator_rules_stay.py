"""indicators: the database keeps an indicator's area, measure, rules, periods and dimensions as defined

Revision ID: plans_0011
Revises: plans_0010
Create Date: 2026-12-03 16:40:00

Values were counted by them, and each process keeps a rollup's rules once read (rollups/repository.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "plans_0011"
down_revision: str | None = "plans_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION plans.indicator_rules_stay() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW.area_code, NEW.measure, NEW.period_kind, NEW.area_rule, NEW.period_rule, NEW.dimensions)
               IS DISTINCT FROM
               (OLD.area_code, OLD.measure, OLD.period_kind, OLD.area_rule, OLD.period_rule, OLD.dimensions)
            THEN
                RAISE EXCEPTION 'indicator %: its area, measure, rules, periods and dimensions stay', OLD.id
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER indicators_rules_stay BEFORE UPDATE ON plans.indicators "
        "FOR EACH ROW EXECUTE FUNCTION plans.indicator_rules_stay()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER indicators_rules_stay ON plans.indicators")
    op.execute("DROP FUNCTION plans.indicator_rules_stay()")
