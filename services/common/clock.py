"""The one clock. Tests replace it (`set_clock`) to compress schedules instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    return _now()


def set_clock(now: Callable[[], datetime] | None) -> None:
    """Install another clock (None restores the wall clock)."""
    global _now
    _now = now or (lambda: datetime.now(UTC))
