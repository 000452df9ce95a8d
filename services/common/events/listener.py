"""A LISTEN connection that sets an asyncio.Event on NOTIFY: how relays and dispatchers wake at commit.

Without the connection (database away) the owner still polls; `ensure()` reconnects on the next turn.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import structlog

from services.common.db import async_url

log = structlog.get_logger()


class NotifyListener:
    def __init__(self, database_url: str, channel: str, *, application_name: str) -> None:
        self.dsn = async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)
        self.channel = channel
        self.application_name = application_name
        self.woken = asyncio.Event()
        self._connection: asyncpg.Connection | None = None

    async def ensure(self) -> None:
        """Keep a LISTEN connection open; failures are logged and retried on the next call."""
        if self._connection is not None and not self._connection.is_closed():
            return
        await self.close()
        try:
            self._connection = await asyncpg.connect(
                self.dsn, timeout=5, server_settings={"application_name": self.application_name}
            )
            await self._connection.add_listener(self.channel, self._notified)
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            log.warning("events.listen_failed", channel=self.channel, error=repr(exc))
            await self.close()

    async def wait(self, timeout: float) -> None:
        """Until a NOTIFY (or `wake()`), or `timeout` seconds; then clear for the next turn."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.woken.wait(), timeout=max(timeout, 0))
        self.woken.clear()

    def wake(self) -> None:
        self.woken.set()

    def _notified(self, *_: object) -> None:
        self.woken.set()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)
