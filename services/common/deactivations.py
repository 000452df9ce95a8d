"""Deactivated accounts, disabled partner clients and grants taken away, learnt from the gateway's
`user.deactivated`, `client.disabled` and `user.updated` events: every process that verifies tokens follows
them, so the access tokens they end stop working within a moment, not at their expiry (a person's refresh
tokens the gateway revokes at once; a disabled client gets no new token).

Each process reads them itself (XREAD, no consumer group: every process must see every such event), from a
small stream of its own that the relay copies them to (`followed_stream`: not the whole event stream, which
every process would otherwise read and decode), starting an access token's lifetime back so that a process
started after a deactivation knows it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

import orjson
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.common.settings import Settings

log = structlog.get_logger()
# each followed event type, and how its event names the tokens' subject (a person's id, a client's client_id)
SUBJECT_OF: dict[bytes, Callable[[dict[str, Any]], str]] = {
    b"user.deactivated": lambda event: str(event["aggregate_id"]),
    b"client.disabled": lambda event: str(event["data"]["client_id"]),
}
REGRANTED = b"user.updated"  # an account's grants may have shrunk: a token claiming one it lost is refused
# what the relay copies to the followed stream
FOLLOWED_EVERYWHERE = frozenset(kind.decode() for kind in (*SUBJECT_OF, REGRANTED))
FOLLOWED_MAXLEN = 100_000  # approximate cap: far more deactivations than one token lifetime sees


def followed_stream(stream: str) -> str:
    """The stream every process follows: `FOLLOWED_EVERYWHERE`'s events only, in `stream`'s cluster slot."""
    return f"{{{stream}}}:followed"


Grants = frozenset[tuple[str, str]]  # (role, area)


class Claimed(Protocol):
    """A grant a token claims (services.common.auth.Grant)."""

    @property
    def role(self) -> str: ...
    @property
    def area(self) -> str: ...


class Deactivations:
    """When each subject was last deactivated: a token it was issued before then is refused (a token issued
    after a reactivation works); and each account's grants as last changed: a token issued before then that
    claims a grant the account no longer holds is refused (a refresh gives one with the grants it has). A
    subject is forgotten once every such token has expired."""

    def __init__(self, token_ttl_seconds: int) -> None:
        self.ttl = token_ttl_seconds
        self._at: dict[str, float] = {}
        self._grants: dict[str, tuple[float, Grants]] = {}

    def deactivated(self, subject: str, at: float) -> None:
        self._at[subject] = max(at, self._at.get(subject, at))

    def regranted(self, subject: str, at: float, grants: Grants) -> None:
        if at >= self._grants.get(subject, (at, grants))[0]:
            self._grants[subject] = (at, grants)

    def refuses(self, subject: str, issued_at: float) -> bool:
        at = self._at.get(subject)
        if at is None:
            return False
        if at + self.ttl < time.time():
            del self._at[subject]
            return False
        return issued_at <= at

    def outgranted(self, subject: str, issued_at: float, claimed: Iterable[Claimed]) -> bool:
        """Whether a token issued at `issued_at` claims a grant the account lost since."""
        changed = self._grants.get(subject)
        if changed is None:
            return False
        at, grants = changed
        if at + self.ttl < time.time():
            del self._grants[subject]
            return False
        return issued_at <= at and any((grant.role, grant.area) not in grants for grant in claimed)


async def follow(redis: Redis, stream: str, deactivations: Deactivations, *, block_ms: int = 5_000) -> None:
    """Apply the account events of `stream` as they come (forever; Redis errors are waited out)."""
    last = f"{int((time.time() - deactivations.ttl) * 1000)}-0"
    while True:
        try:
            answer = await redis.xread({stream: last}, block=block_ms, count=1_000)
        except RedisError as error:
            log.warning("auth.deactivations_unreadable", error=type(error).__name__)
            await asyncio.sleep(1.0)
            continue
        for _, entries in answer or ():
            for entry_id, fields in entries:
                last = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                kind = fields.get(b"type", b"")
                if kind != REGRANTED and kind not in SUBJECT_OF:
                    continue
                event = orjson.loads(fields[b"event"])
                at = datetime.fromisoformat(event["occurred_at"]).timestamp()
                if kind == REGRANTED:
                    grants = frozenset((g["role"], g["area"]) for g in event["data"]["grants"])
                    deactivations.regranted(str(event["aggregate_id"]), at, grants)
                    continue
                subject = SUBJECT_OF[kind](event)
                deactivations.deactivated(subject, at)
                log.info("auth.deactivation_followed", subject=subject, type=event["type"])


@contextlib.asynccontextmanager
async def followed(settings: Settings, deactivations: Deactivations) -> AsyncIterator[None]:
    """Follow the account events for the life of the block (an app's lifespan)."""
    redis = Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
    stream = followed_stream(settings.events_stream)
    task = asyncio.create_task(follow(redis, stream, deactivations), name="deactivations")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await redis.aclose()
