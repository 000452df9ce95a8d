"""Events say who made each change: the outbox's actor column

Revision ID: plans_0010
Revises: plans_0009
"""

from collections.abc import Sequence

from services.common.migrations import add_outbox_actor, drop_outbox_actor

revision: str = "plans_0010"
down_revision: str | None = "plans_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_actor("plans")


def downgrade() -> None:
    drop_outbox_actor("plans")
