"""Login throttling: wrong passwords counted per account and per address in a fixed window; past the
limit every attempt, right or wrong, is 429 with Retry-After until the window ends.

The counts live in Redis; when Redis cannot be reached they live in the database (gateway.login_failures),
so a stopped Redis neither locks everyone out nor lets anyone guess freely."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.models import LoginFailures
from services.common import errors
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.settings import Settings

log = structlog.get_logger()
_PREFIX = "khabuan:login-failures:"


@dataclass(frozen=True)
class Counted:
    key: str
    limit: int


class LoginThrottle:
    def __init__(self, redis: Redis, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.redis = redis
        self.sessions = sessions
        self.window = settings.login_failure_window_seconds
        self.per_account = settings.login_failures_per_account
        self.per_address = settings.login_failures_per_address

    def counted(self, username: str, address: str | None) -> list[Counted]:
        keys = [Counted(f"account:{username.strip().lower()[:64]}", self.per_account)]
        if address:
            keys.append(Counted(f"address:{address}", self.per_address))
        return keys

    async def check(self, keys: Sequence[Counted]) -> None:
        """429 when any key has reached its limit in the current window."""
        try:
            waits = await self._redis_waits(keys)
        except RedisError as error:
            log.warning("auth.throttle_redis_unavailable", error=type(error).__name__)
            waits = await self._database_waits(keys)
        if waits:
            retry_after = max(waits)
            log.info(
                "auth.login_throttled",
                keys=[key.key.split(":", 1)[0] for key in keys],
                retry_after=retry_after,
            )
            raise errors.TooManyRequests(
                Text(
                    f"Too many wrong passwords: try again in {retry_after} seconds.",
                    f"ใส่รหัสผ่านผิดหลายครั้งเกินไป กรุณาลองใหม่ในอีก {retry_after} วินาที",
                ),
                retry_after=retry_after,
            )

    async def failed(self, keys: Sequence[Counted]) -> None:
        """Count one wrong password against every key (in its own transaction: the login itself fails)."""
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                for (
                    key
                ) in keys:  # the window starts with the first failure (SET NX: Redis 6.2 has no EXPIRE NX)
                    pipe.set(_PREFIX + key.key, 0, ex=self.window, nx=True)
                    pipe.incr(_PREFIX + key.key)
                await pipe.execute()
        except RedisError as error:
            log.warning("auth.throttle_redis_unavailable", error=type(error).__name__)
            await self._database_failed(keys)

    async def succeeded(self, account: Counted) -> None:
        """A right password clears the account's count (not the address's)."""
        try:
            await self.redis.delete(_PREFIX + account.key)
        except RedisError:
            async with self.sessions() as session, session.begin():
                await session.execute(delete(LoginFailures).where(col(LoginFailures.key) == account.key))

    async def _redis_waits(self, keys: Sequence[Counted]) -> list[int]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.get(_PREFIX + key.key)
                pipe.ttl(_PREFIX + key.key)
            answers = await pipe.execute()
        waits = []
        for index, key in enumerate(keys):
            count, ttl = answers[2 * index], answers[2 * index + 1]
            if count is not None and int(count) >= key.limit:
                waits.append(ttl if ttl and ttl > 0 else self.window)
        return waits

    async def _database_waits(self, keys: Sequence[Counted]) -> list[int]:
        now = utcnow()
        since = now - timedelta(seconds=self.window)
        limits = {key.key: key.limit for key in keys}
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(LoginFailures).where(
                        col(LoginFailures.key).in_(list(limits)), col(LoginFailures.window_started_at) > since
                    )
                )
            ).scalars()
            return [
                math.ceil((row.window_started_at - since).total_seconds())
                for row in rows
                if row.failures >= limits[row.key]
            ]

    async def _database_failed(self, keys: Sequence[Counted]) -> None:
        now = utcnow()
        since = now - timedelta(seconds=self.window)
        table = LoginFailures.__table__  # type: ignore[attr-defined]
        expired = table.c.window_started_at <= since
        async with self.sessions() as session, session.begin():
            for key in keys:
                statement = insert(table).values(key=key.key, window_started_at=now, failures=1)
                await session.execute(
                    statement.on_conflict_do_update(
                        index_elements=[table.c.key],
                        set_={
                            "failures": case((expired, 1), else_=table.c.failures + 1),
                            "window_started_at": case((expired, now), else_=table.c.window_started_at),
                        },
                    )
                )
