"""The verbs every domain shares (Dispatch's get/list/create/update): loading, versioned edits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.clock import utcnow
from services.common.i18n import Text

Row = TypeVar("Row", bound=SQLModel)


async def get_or_404(
    session: AsyncSession, model: type[Row], row_id: uuid.UUID, *, what: Text, for_update: bool = False
) -> Row:
    """The row (404 when there is none); `for_update` locks it for an edit of its non-key columns: FOR NO KEY
    UPDATE, which lets other transactions insert rows referring to it meanwhile (their foreign-key checks take
    FOR KEY SHARE), so an edit never waits on, or deadlocks with, a request that only records something
    about the row."""
    statement = select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    if for_update:
        statement = statement.with_for_update(key_share=True)
    row = (await session.exec(statement)).first()
    if row is None:
        raise errors.NotFound(
            Text(f"No {what.en} with id {row_id}.", f"ไม่พบ{what.th} รหัส {row_id}"),
        )
    return row


def apply_changes(row: Any, changes: SQLModel | Mapping[str, Any], *, expected_version: int | None) -> bool:
    """Apply the fields a PATCH sent (a model's set fields, or a mapping of field → value); bump version
    and updated_at when something changed.

    Raises 412 when the client edited an older version than the stored one.
    """
    if expected_version is not None and expected_version != row.version:
        raise errors.PreconditionFailed()
    changed = False
    values = changes.model_dump(exclude_unset=True) if isinstance(changes, SQLModel) else changes
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed:
        row.version += 1
        row.updated_at = utcnow()
    return changed
