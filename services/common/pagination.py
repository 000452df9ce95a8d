"""Cursor pagination: keyset order on (created_at, id) — or (updated_at, id) for `updated_since` sync —
opaque cursors, `items` + `next_cursor`."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

import orjson
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.i18n import Text
from services.common.types import Moment, QueryNumber, in_utc

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

T = TypeVar("T")
OrderColumn = Literal["created_at", "updated_at"]

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="Page size (default 50, at most 200)"), QueryNumber
]
Cursor = Annotated[str | None, Query(description="`next_cursor` from the previous page")]
UpdatedSince = Annotated[
    Moment | None,
    Query(
        description="Only records changed at or after this RFC 3339 time, oldest change first "
        "(for offline sync: keep the `updated_at` of the last item you saw)"
    ),
]


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list is asked for: the rows after `cursor`, at most `limit`; with `updated_since`, only
    those changed since then, in order of change (offline sync)."""

    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    updated_since: datetime | None = None


FIRST_PAGE = PageRequest()


def _paging(
    updated_since: UpdatedSince = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> PageRequest:
    return PageRequest(cursor=cursor, limit=limit, updated_since=updated_since)


def _paging_in_order(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> PageRequest:
    return PageRequest(cursor=cursor, limit=limit)


Paging = Annotated[PageRequest, Depends(_paging)]
"""A list route's page parameters (`updated_since`, `cursor`, `limit`): `page: Paging = FIRST_PAGE`."""
PagingInOrder = Annotated[PageRequest, Depends(_paging_in_order)]
"""The same for a list with one order only (no `updated_since`)."""


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(order: OrderColumn, at: datetime, row_id: uuid.UUID) -> str:
    raw = orjson.dumps([order, at.isoformat(), str(row_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid_cursor() -> errors.ValidationFailed:
    """422 for a cursor this list never gave out (or another list's), pointing at the parameter."""
    return errors.ValidationFailed(
        Text("The cursor is not valid for this list.", "cursor ไม่ถูกต้องสำหรับรายการนี้"),
        extensions={
            "errors": [
                errors.parameter_error(
                    "query", "cursor", Text("Not a cursor this list gave out", "ไม่ใช่ cursor ที่รายการนี้ให้มา")
                )
            ]
        },
    )


def decode_cursor(cursor: str, order: OrderColumn) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_order, at, row_id = orjson.loads(raw)
        if cursor_order != order:
            raise ValueError("cursor from another ordering")
        if not isinstance(at, str) or not isinstance(row_id, str):
            raise TypeError("cursor parts must be strings")  # uuid.UUID(5) raises AttributeError: a 500
        return in_utc(datetime.fromisoformat(at)), uuid.UUID(row_id)
    except (ValueError, TypeError, OverflowError) as exc:
        raise invalid_cursor() from exc


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    *,
    model: type[SQLModel],
    page: PageRequest,
) -> tuple[Sequence[Any], str | None]:
    """Run `statement` one page at a time; returns the rows and the cursor of the next page.

    Without `updated_since` rows come in creation order; with it, in order of their last change, so a
    client that syncs sees every edit once more after it happened.
    """
    cursor, limit, updated_since = page.cursor, page.limit, page.updated_since
    order: OrderColumn = "updated_at" if updated_since else "created_at"
    at: InstrumentedAttribute[datetime] = getattr(model, order)
    row_id: InstrumentedAttribute[uuid.UUID] = getattr(model, "id")  # noqa: B009
    if updated_since:
        statement = statement.where(at >= updated_since)
    if cursor:
        after_at, after_id = decode_cursor(cursor, order)
        statement = statement.where(or_(at > after_at, and_(at == after_at, row_id > after_id)))
    statement = statement.order_by(at, row_id).limit(limit + 1)
    rows = (await session.execute(statement)).scalars().all()
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(order, getattr(last, order), last.id)
