"""Claiming ahead never risks two attempts at once: a claimed message is attempted only while its lease
outlasts the attempt (one that waited too long is left to lapse and be claimed again), and a stopping
dispatcher starts nothing more."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.webhooks.attempts import Claimed
from gateway.webhooks.dispatcher import Dispatcher
from gateway.webhooks.secrets import new_secret, seal
from services.common.settings import Settings
from tests.stackrunner import RunningStack
from tests.webhooks.receiver import Answer, Receiver


def _claimed(receiver: Receiver, dispatcher: Dispatcher, path: str, leased_for: timedelta) -> Claimed:
    return Claimed(
        id=uuid.uuid4(),
        endpoint_id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        attempts=0,
        leased_until=datetime.now(UTC) + leased_for,
        url=receiver.url(path),
        secret_sealed=seal(new_secret(), dispatcher.settings.secret_key),
        previous_secret_sealed=None,
        previous_secret_expires_at=None,
        body=b"{}",
    )


async def test_a_claimed_message_whose_lease_would_lapse_mid_attempt_is_not_attempted(
    dispatcher: Dispatcher, receiver: Receiver
) -> None:
    timeout = timedelta(seconds=dispatcher.settings.webhook_timeout_seconds)
    fresh, stale = f"ahead/{uuid.uuid4().hex}", f"ahead/{uuid.uuid4().hex}"
    dispatcher._ready.extend(
        [
            _claimed(receiver, dispatcher, stale, timeout / 2),
            _claimed(receiver, dispatcher, fresh, timeout * 2),
        ]
    )

    dispatcher._start_ready()
    await asyncio.gather(*dispatcher._in_flight)

    assert len(receiver.received(fresh)) == 1
    assert receiver.received(stale) == []
    assert [o.message.url for o in dispatcher._outcomes] == [receiver.url(fresh)]


async def test_stopping_attempts_nothing_more_of_what_was_claimed_ahead(
    stack: RunningStack, engine: AsyncEngine, receiver: Receiver
) -> None:
    settings = Settings(database_url=stack.state["database_url"], webhook_max_in_flight=1)
    dispatcher = Dispatcher(engine, settings)
    minute = timedelta(minutes=1)
    busy, waiting = f"ahead/{uuid.uuid4().hex}", f"ahead/{uuid.uuid4().hex}"
    receiver.script(busy, [Answer(204, delay=2.0)])
    dispatcher._ready.extend(
        [_claimed(receiver, dispatcher, busy, minute), _claimed(receiver, dispatcher, waiting, minute)]
    )
    dispatcher._start_ready()
    await receiver.wait_for(busy, 1)

    await dispatcher.stop()

    await asyncio.sleep(0.5)  # a wrongly started attempt would have ended by now (its session closed)
    assert receiver.url(waiting) not in {o.message.url for o in dispatcher._outcomes}
    assert receiver.received(waiting) == []
