"""Cursor pagination: stable keyset order on (created_at, id), opaque cursors, `items` + `next_cursor`."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.i18n import Text

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (default 50, at most 200)")]
Cursor = Annotated[str | None, Query(description="`next_cursor` from the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    raw = orjson.dumps([created_at.isoformat(), str(row_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, row_id = orjson.loads(raw)
        return datetime.fromisoformat(created_at), uuid.UUID(row_id)
    except (ValueError, TypeError) as exc:
        raise errors.ValidationFailed(
            Text("The cursor is not valid.", "cursor ไม่ถูกต้อง"),
            extensions={"errors": [{"parameter": "cursor", "in": "query", "detail": "invalid cursor"}]},
        ) from exc


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    *,
    model: type[SQLModel],
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Any], str | None]:
    """Run `statement` one page at a time in (created_at, id) order; returns rows and the next cursor."""
    created_at: InstrumentedAttribute[datetime] = getattr(model, "created_at")  # noqa: B009
    row_id: InstrumentedAttribute[uuid.UUID] = getattr(model, "id")  # noqa: B009
    if cursor:
        after_at, after_id = decode_cursor(cursor)
        statement = statement.where(
            or_(created_at > after_at, and_(created_at == after_at, row_id > after_id))
        )
    statement = statement.order_by(created_at, row_id).limit(limit + 1)
    rows = (await session.execute(statement)).scalars().all()
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(last.created_at, last.id)
