"""Events say who made each change: the outbox's actor column

Revision ID: funds_0005
Revises: funds_0004
"""

from collections.abc import Sequence

from services.common.migrations import add_outbox_actor, drop_outbox_actor

revision: str = "funds_0005"
down_revision: str | None = "funds_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_actor("funds")


def downgrade() -> None:
    drop_outbox_actor("funds")
