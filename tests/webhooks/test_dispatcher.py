"""Claiming ahead never risks two attempts at once: a claimed message is attempted only while its lease
outlasts the attempt; one that waited too long is left to lapse and be claimed again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from gateway.webhooks.attempts import Claimed
from gateway.webhooks.dispatcher import Dispatcher
from gateway.webhooks.secrets import new_secret, seal
from tests.webhooks.receiver import Receiver


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
