"""One delivery attempt: sign per Standard Webhooks, POST within the attempt's timeout, keep the answer.

The client is aiohttp (chosen by measurement, see bench/README.md): redirects are not followed, the answer's
first 1 KiB is kept, and in production every connection goes through PublicResolver, so it reaches exactly
the addresses that were checked. Whatever goes wrong in an attempt is that attempt's outcome (recorded with
its error text and retried on schedule), never an exception that could leave a message unrecorded.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import aiohttp
import structlog
from standardwebhooks.webhooks import Webhook
from yarl import URL

from gateway.webhooks.addresses import ForbiddenAddress, PublicResolver, refuse_private_literal
from gateway.webhooks.secrets import signature_header, signer
from services.common.clock import utcnow
from services.common.settings import Settings

RESPONSE_BODY_BYTES = 1024
ERROR_CHARS = 500
USER_AGENT = "Khabuan-Webhooks/1.0 (+https://khabuan.dev/docs/webhooks)"
log = structlog.get_logger()


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    attempts: int
    leased_until: datetime
    url: str
    secret_sealed: str
    previous_secret_sealed: str | None
    previous_secret_expires_at: datetime | None
    body: bytes


@dataclass(frozen=True)
class Outcome:
    message: Claimed
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_body: str | None
    error: str | None
    retry_after: float | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


class Sender:
    """Sends attempts over one pooled client; construct it inside the running event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checks_addresses = not settings.webhooks_may_reach_private
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=settings.webhook_max_in_flight,
                resolver=PublicResolver() if self.checks_addresses else None,
            ),
            timeout=aiohttp.ClientTimeout(total=settings.webhook_timeout_seconds),
            headers={"user-agent": USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),  # a receiver's cookies must not follow us to the next one
        )

    async def send(self, message: Claimed) -> Outcome:
        """One attempt: sign, POST with the timeout, keep the first 1 KiB of the answer; never raises."""
        attempted_at = utcnow()
        started = time.perf_counter()
        status_code: int | None = None
        body: str | None = None
        error: str | None = None
        retry_after: float | None = None
        try:  # the session's total timeout bounds the attempt: resolving, connecting, sending, reading
            status_code, retry_after, body = await self._post(message, attempted_at)
        except TimeoutError:
            error = f"timed out after {self.settings.webhook_timeout_seconds:g} s"
        except ForbiddenAddress as exc:
            error = str(exc)
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bad stored URL, an unreadable secret: a failed attempt all the same
            error = f"{type(exc).__name__}: {exc}"
            log.warning("webhooks.attempt_errored", message_id=str(message.id), error=repr(exc))
        latency_ms = int((time.perf_counter() - started) * 1000)
        return Outcome(
            message, attempted_at, status_code, latency_ms, body, error and error[:ERROR_CHARS], retry_after
        )

    async def _post(self, message: Claimed, attempted_at: datetime) -> tuple[int, float | None, str]:
        url = URL(message.url)
        if self.checks_addresses:
            refuse_private_literal(url.raw_host or "")
        event_id = str(message.event_id)
        wall = datetime.now(UTC)  # the header is wall time whatever clock schedules run on
        headers = {
            "content-type": "application/json",
            "webhook-id": event_id,
            "webhook-timestamp": str(int(wall.timestamp())),
            "webhook-signature": signature_header(
                event_id, wall, message.body, self._signers(message, attempted_at)
            ),
        }
        deadline = time.monotonic() + self.settings.webhook_timeout_seconds
        try:
            return await self._answer(url, message.body, headers, self.settings.webhook_timeout_seconds)
        except aiohttp.ServerDisconnectedError:
            # a pooled connection the receiver closed while idle fails at once; aiohttp retries that
            # only for idempotent methods, so the POST is sent once more on a new connection, within
            # what is left of the attempt's time (receivers de-duplicate by webhook-id)
            return await self._answer(url, message.body, headers, max(deadline - time.monotonic(), 0.001))

    async def _answer(
        self, url: URL, body: bytes, headers: dict[str, str], seconds: float
    ) -> tuple[int, float | None, str]:
        async with self.http.post(
            url,
            data=body,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=seconds),
        ) as response:
            retry_after = _retry_after(response.headers.get("retry-after"))
            return response.status, retry_after, await _first_bytes(response)

    def _signers(self, message: Claimed, now: datetime) -> list[Webhook]:
        signers = [signer(message.secret_sealed, self.settings.secret_key)]
        expires = message.previous_secret_expires_at
        if message.previous_secret_sealed and expires is not None and expires > now:
            signers.append(signer(message.previous_secret_sealed, self.settings.secret_key))
        return signers

    async def close(self) -> None:
        await self.http.close()


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


async def _first_bytes(response: aiohttp.ClientResponse) -> str:
    collected = b""
    while len(collected) < RESPONSE_BODY_BYTES:
        chunk = await response.content.read(RESPONSE_BODY_BYTES - len(collected))
        if not chunk:
            break
        collected += chunk
    return collected.decode("utf-8", errors="replace")
