"""Cursors over append-only rows ordered by an integer position (ledger sequence, history id): stable while
rows are appended, no duplicates, no gaps."""

from __future__ import annotations

import base64

import orjson

from services.common.pagination import invalid_cursor


def encode_position(order: str, position: int) -> str:
    raw = orjson.dumps([order, position])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_position(cursor: str | None, order: str) -> int:
    """The position a page starts after (0 without a cursor)."""
    if not cursor:
        return 0
    try:
        cursor_order, position = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if cursor_order != order or not isinstance(position, int) or position < 0:
            raise ValueError("cursor from another list")
    except (ValueError, TypeError) as exc:
        raise invalid_cursor() from exc
    return position
