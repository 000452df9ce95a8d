"""Events say who made each change: the outbox's actor column

Revision ID: assessment_0007
Revises: assessment_0006
"""

from collections.abc import Sequence

from services.common.migrations import add_outbox_actor, drop_outbox_actor

revision: str = "assessment_0007"
down_revision: str | None = "assessment_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_actor("assessment")


def downgrade() -> None:
    drop_outbox_actor("assessment")
