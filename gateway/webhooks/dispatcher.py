"""The dispatcher: claims due messages, has each one attempted (attempts.py), records each outcome.

- **Claiming** takes a lease (`leased_until` = now + timeout + margin) with SKIP LOCKED, so dispatcher
  replicas share the work, and a dispatcher killed mid-attempt loses nothing: once its lease lapses the
  message is claimed again and re-sent with the same `webhook-id`. It claims ahead (up to twice
  `webhook_max_in_flight` more wait claimed, each started as an attempt ends), so attempts do not wait for
  claims; a claimed message whose lease would lapse before its attempt could time out is left to lapse.
- **Order**: a message is due only when no earlier message (by sequence, then creation) of the same
  aggregate is still pending for its endpoint. Other aggregates are not held up; a failed message releases
  its aggregate.
- **Retries** follow `webhook_retry_schedule_seconds` with ± `webhook_retry_jitter`; a `Retry-After`
  longer than the next delay is honoured (capped). After the last attempt the message is `failed`, kept for
  redelivery.
- **Endpoints**: 410 Gone disables the endpoint; one that has not succeeded for
  `webhook_disable_after_failing_seconds` while failing is disabled too. Either way its owner's other
  endpoints receive `webhook.endpoint.disabled`.

Outcomes are written in batches (one transaction per batch), which keeps the database cost per delivery
low when thousands are in flight.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.webhooks.attempts import Claimed, Outcome, Sender
from gateway.webhooks.events import ENDPOINT_DISABLED
from gateway.webhooks.models import DisabledReason, MessageStatus
from gateway.webhooks.repository import CLAIM, CLEAR_FAILING, DISABLE, MARK_FAILING, NEXT_DUE, RECORD
from gateway.webhooks.service import DISPATCH_CHANNEL
from services.common.clock import utcnow
from services.common.db import session_factory
from services.common.events import bind_event_source, event_source, record_event
from services.common.events.listener import NotifyListener
from services.common.metrics import WEBHOOK_ATTEMPTS
from services.common.settings import Settings

FIRST_BACKOFF_SECONDS = 0.25
QUEUE_PLANNER = {"enable_sort": "off", "enable_bitmapscan": "off", "enable_seqscan": "off"}
ATTEMPTS_SUCCEEDED = WEBHOOK_ATTEMPTS.labels("succeeded")
ATTEMPTS_FAILED = WEBHOOK_ATTEMPTS.labels("failed")
log = structlog.get_logger()


class Dispatcher:
    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        """Give it an engine of its own (QUEUE_PLANNER); construct it inside the running event loop."""
        self.engine = engine
        self.sessions = session_factory(engine)
        bind_event_source(self.sessions, event_source("gateway", "gateway"))  # webhook.endpoint.disabled
        self.settings = settings
        self.schedule = list(settings.webhook_retry_schedule_seconds)
        self.sender = Sender(settings)
        self.listener = NotifyListener(
            settings.database_url, DISPATCH_CHANNEL, application_name="khabuan-gateway-dispatcher"
        )
        self._in_flight: set[asyncio.Task[None]] = set()
        self._ready: collections.deque[Claimed] = collections.deque()  # claimed ahead, not yet attempted
        self._room = asyncio.Event()  # an attempt ended: room to claim more
        self._outcomes: list[Outcome] = []
        self._has_outcomes = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self.run(), name="webhook-dispatcher"),
            asyncio.create_task(self.record_outcomes(), name="webhook-outcomes"),
        ]

    async def stop(self) -> None:
        self._ready.clear()  # else each cancelled attempt would start the next; their leases lapse
        for task in [*self._tasks, *self._in_flight]:
            task.cancel()
        for task in [*self._tasks, *self._in_flight]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.listener.close()
        await self.sender.close()

    # claiming and sending

    async def run(self) -> None:
        """Keep attempts in flight and twice as many claimed ahead, claiming at least half a set at once."""
        backoff = FIRST_BACKOFF_SECONDS
        most = self.settings.webhook_max_in_flight
        while True:
            await self.listener.ensure()
            room = 3 * most - len(self._in_flight) - len(self._ready)
            # a claim per freed slot would cost a transaction per delivery: wait for a batch's worth
            if room < most // 2:
                self._room.clear()
                await self._room.wait()
                continue
            try:
                claimed = await self.claim(room)
            except Exception as exc:  # database away or a bug: log, back off, never stop
                log.warning("webhooks.claim_failed", error=repr(exc), retry_in_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = FIRST_BACKOFF_SECONDS
            self._ready.extend(claimed)
            self._start_ready()
            if len(claimed) < room:  # nothing more is due now
                await self.listener.wait(self.settings.webhook_poll_seconds)

    def _start_ready(self) -> None:
        """Start claimed messages in the free slots, skipping any whose lease would lapse mid-attempt."""
        latest_start = utcnow() + timedelta(seconds=self.settings.webhook_timeout_seconds)
        while self._ready and len(self._in_flight) < self.settings.webhook_max_in_flight:
            message = self._ready.popleft()
            if message.leased_until < latest_start:  # it waited too long: claimed again once it lapses
                log.info("webhooks.lease_left_to_lapse", message_id=str(message.id))
                continue
            task = asyncio.create_task(self._attempt(message))
            self._in_flight.add(task)
            task.add_done_callback(self._attempt_ended)

    def _attempt_ended(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._start_ready()
        self._room.set()

    async def claim(self, limit: int) -> list[Claimed]:
        """Lease up to `limit` due messages: one statement, atomic alone, so one round trip (autocommit)."""
        now = utcnow()
        lease = now + timedelta(
            seconds=self.settings.webhook_timeout_seconds + self.settings.webhook_lease_margin_seconds
        )
        # BEGIN and COMMIT would each wait their turn in a loop busy with the attempts: the pool drains
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            rows = await autocommit.execute(CLAIM, {"now": now, "lease": lease, "limit": limit})
            return [Claimed(**row._mapping) for row in rows]

    async def _attempt(self, message: Claimed) -> None:
        outcome = await self.send(message)
        (ATTEMPTS_SUCCEEDED if outcome.succeeded else ATTEMPTS_FAILED).inc()
        self._outcomes.append(outcome)
        self._has_outcomes.set()

    async def send(self, message: Claimed) -> Outcome:
        """One attempt (see attempts.py): its outcome, whatever happened."""
        return await self.sender.send(message)

    # recording outcomes

    async def record_outcomes(self) -> None:
        """Write outcomes in batches; on failure keep them and retry (leases keep others off them)."""
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            await self._has_outcomes.wait()
            self._has_outcomes.clear()
            batch, self._outcomes = self._outcomes, []
            try:
                await self.record(batch)
            except Exception as exc:
                log.warning(
                    "webhooks.record_failed", error=repr(exc), outcomes=len(batch), retry_in_s=backoff
                )
                self._outcomes = batch + self._outcomes
                self._has_outcomes.set()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = FIRST_BACKOFF_SECONDS
            self.listener.wake()  # released aggregates may have messages due now
            if any(not o.succeeded for o in batch):
                await self._wake_at_next_due()

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        rows = [self._next_state(outcome) for outcome in outcomes]
        async with self.sessions() as session, session.begin():
            await session.execute(
                RECORD,
                {
                    "ids": [o.message.id for o in outcomes],
                    "statuses": [status for status, _ in rows],
                    "next_attempts": [next_at for _, next_at in rows],
                    "attempted": [o.attempted_at for o in outcomes],
                    "codes": [o.status_code for o in outcomes],
                    "latencies": [o.latency_ms for o in outcomes],
                    "bodies": [o.response_body for o in outcomes],
                    "errors": [o.error for o in outcomes],
                },
            )
            await self._judge_endpoints(session, outcomes)

    def _next_state(self, outcome: Outcome) -> tuple[str, datetime | None]:
        if outcome.succeeded:
            return MessageStatus.succeeded.value, None
        attempts = outcome.message.attempts + 1
        if outcome.gone:  # the endpoint is disabled; the message resumes if its owner enables it again
            return MessageStatus.pending.value, outcome.attempted_at
        if attempts >= len(self.schedule):
            return MessageStatus.failed.value, None
        delay = self.schedule[attempts] * (1 + random.uniform(-1, 1) * self.settings.webhook_retry_jitter)
        if outcome.retry_after is not None:
            delay = max(delay, min(outcome.retry_after, self.settings.webhook_max_retry_after_seconds))
        return MessageStatus.pending.value, outcome.attempted_at + timedelta(seconds=delay)

    async def _judge_endpoints(self, session: AsyncSession, outcomes: Sequence[Outcome]) -> None:
        """Successes clear an endpoint's failing streak; 410 or a streak too long disables it."""
        latest: dict[uuid.UUID, Outcome] = {}
        for outcome in sorted(outcomes, key=lambda o: o.attempted_at):
            latest[outcome.message.endpoint_id] = outcome
        working = [e for e, o in latest.items() if o.succeeded]
        failing = {e: o for e, o in latest.items() if not o.succeeded}
        if working:
            await session.execute(CLEAR_FAILING, {"ids": working})
        if not failing:
            return
        at = max(o.attempted_at for o in failing.values())
        streaks = await session.execute(MARK_FAILING, {"ids": list(failing), "at": at})
        limit = timedelta(seconds=self.settings.webhook_disable_after_failing_seconds)
        for endpoint_id, since in streaks.all():
            outcome = failing[endpoint_id]
            if outcome.gone:
                await self._disable(session, endpoint_id, DisabledReason.gone, outcome)
            elif since is not None and outcome.attempted_at - since >= limit:
                await self._disable(session, endpoint_id, DisabledReason.failing, outcome)

    async def _disable(
        self, session: AsyncSession, endpoint_id: uuid.UUID, reason: DisabledReason, outcome: Outcome
    ) -> None:
        row = (
            await session.execute(
                DISABLE, {"id": endpoint_id, "reason": reason.value, "at": outcome.attempted_at}
            )
        ).first()
        if row is None:
            return  # already disabled
        await record_event(
            session,
            ENDPOINT_DISABLED,
            aggregate_id=str(endpoint_id),
            area_code=row.area_code,
            data={
                "endpoint_id": endpoint_id,
                "reason": reason.value,
                "disabled_at": outcome.attempted_at,
                "failing_since": row.failing_since,
                "last_status_code": outcome.status_code,
            },
        )
        log.warning("webhooks.endpoint_disabled", endpoint_id=str(endpoint_id), reason=reason.value)

    async def _wake_at_next_due(self) -> None:
        """Retries due before the next poll should not wait for it."""
        async with self.sessions() as session:
            next_due: datetime | None = (await session.execute(NEXT_DUE)).scalar()
        if next_due is None:
            return
        delay = (next_due - utcnow()).total_seconds()
        if delay < self.settings.webhook_poll_seconds:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = asyncio.get_running_loop().call_later(max(delay, 0), self.listener.wake)
