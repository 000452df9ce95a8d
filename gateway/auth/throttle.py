"""Login throttling: wrong passwords counted per account and per address in a fixed window; past the
limit every attempt, right or wrong, is 429 with Retry-After until the window ends. Each attempt is counted
before its password is checked and given back when right, so a burst sent at once is held to the limit too.

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
from sqlalchemy import case, delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.models import LoginFailures
from services.common import errors
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.settings import Settings

log = structlog.get_logger()
_PREFIX = "khabuan:login-failures:"
# an attempt given back, if its window still runs (a DECR of a missing key would make one with no expiry)
_GIVE_BACK = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0"


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

    async def attempt(self, keys: Sequence[Counted]) -> None:
        """Count this attempt against every key before its password is checked — so attempts sent at once
        cannot all slip in under the limit — and 429 when a key is past its limit in the current window
        (the count stays: the window is not moved). A right password gives its count back (`succeeded`)."""
        try:
            waits = await self._redis_attempt(keys)
        except RedisError as error:
            log.warning("auth.throttle_redis_unavailable", error=type(error).__name__)
            waits = await self._database_attempt(keys)
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

    async def succeeded(self, session: AsyncSession, keys: Sequence[Counted]) -> None:
        """A right password clears the account's count and takes this attempt off the others' (an address
        counts wrong passwords only). Without Redis, in the login's own transaction."""
        account, others = keys[0], keys[1:]
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(_PREFIX + account.key)
                for key in others:
                    pipe.eval(_GIVE_BACK, 1, _PREFIX + key.key)
                await pipe.execute()
        except RedisError:
            table = LoginFailures.__table__  # type: ignore[attr-defined]
            await session.execute(delete(table).where(table.c.key == account.key))
            for key in others:
                await session.execute(
                    update(table)
                    .where(table.c.key == key.key, table.c.failures > 0)
                    .values(failures=table.c.failures - 1)
                )

    async def _redis_attempt(self, keys: Sequence[Counted]) -> list[int]:
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:  # the window starts with the first attempt (SET NX: Redis 6.2 has no EXPIRE NX)
                pipe.set(_PREFIX + key.key, 0, ex=self.window, nx=True)
                pipe.incr(_PREFIX + key.key)
                pipe.ttl(_PREFIX + key.key)
            answers = await pipe.execute()
        waits = []
        for index, key in enumerate(keys):
            count, ttl = answers[3 * index + 1], answers[3 * index + 2]
            if int(count) > key.limit:
                waits.append(ttl if ttl and ttl > 0 else self.window)
        return waits

    async def _database_attempt(self, keys: Sequence[Counted]) -> list[int]:
        """The same count in gateway.login_failures, in a transaction of its own, before the login's."""
        now = utcnow()
        since = now - timedelta(seconds=self.window)
        table = LoginFailures.__table__  # type: ignore[attr-defined]
        expired = table.c.window_started_at <= since
        waits = []
        async with self.sessions() as session, session.begin():
            for key in keys:
                statement = insert(table).values(key=key.key, window_started_at=now, failures=1)
                counted = (
                    await session.execute(
                        statement.on_conflict_do_update(
                            index_elements=[table.c.key],
                            set_={
                                "failures": case((expired, 1), else_=table.c.failures + 1),
                                "window_started_at": case((expired, now), else_=table.c.window_started_at),
                            },
                        ).returning(table.c.failures, table.c.window_started_at)
                    )
                ).one()
                if counted.failures > key.limit:
                    waits.append(max(1, math.ceil((counted.window_started_at - since).total_seconds())))
        return waits
