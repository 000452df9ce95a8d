"""An endpoint failing without a success for the disable period (5 days) is disabled and its owner told.

Five days are not waited for: the dispatcher's outcome recorder runs here, in the test process, against the
stack's database, fed attempts stamped days apart (the times every rule reads come from the outcomes).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from gateway.webhooks.attempts import Claimed, Outcome
from gateway.webhooks.dispatcher import Dispatcher
from tests.webhooks.conftest import Endpoint, Subscribe
from tests.webhooks.receiver import Receiver

DAY = timedelta(days=1)


def _attempt(endpoint: Endpoint, at: datetime, status: int) -> Outcome:
    message = Claimed(
        id=uuid.uuid4(),
        endpoint_id=uuid.UUID(endpoint.id),
        event_id=uuid.uuid4(),
        attempts=0,
        leased_until=at + DAY,
        url="http://unused",
        secret_sealed="",
        previous_secret_sealed=None,
        previous_secret_expires_at=None,
        body=b"",
    )
    return Outcome(message, at, status, 12, "", None, None)


async def _state(gateway: httpx.AsyncClient, endpoint: Endpoint) -> dict[str, object]:
    response = await gateway.get(endpoint.url, headers=endpoint.headers)
    state: dict[str, object] = response.json()
    return state


async def test_five_days_of_failures_disable_the_endpoint_and_the_owner_hears_of_it(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, dispatcher: Dispatcher
) -> None:
    assert dispatcher.settings.webhook_disable_after_failing_seconds == 5 * 24 * 3600
    watcher = await subscribe("demo-provincial-93", ["webhook.endpoint.disabled"])
    failing = await subscribe("demo-provincial-93", ["strategy.created"], token=watcher.token)
    start = datetime.now(UTC)

    await dispatcher.record([_attempt(failing, start, 500)])
    await dispatcher.record([_attempt(failing, start + 4 * DAY, 503)])
    assert (await _state(gateway, failing))["disabled"] is False
    assert (await _state(gateway, failing))["failing_since"] is not None

    await dispatcher.record([_attempt(failing, start + 5 * DAY, 500)])

    state = await _state(gateway, failing)
    assert (state["disabled"], state["disabled_reason"]) == (True, "failing")
    [notice] = await receiver.wait_for(watcher.path, 1)
    assert notice.event.type == "webhook.endpoint.disabled"
    assert notice.event.data["endpoint_id"] == failing.id
    assert notice.event.data["reason"] == "failing"
    assert notice.event.data["last_status_code"] == 500
    notice.verify(watcher.secret)


async def test_a_success_ends_the_failing_streak(
    gateway: httpx.AsyncClient, subscribe: Subscribe, dispatcher: Dispatcher
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    start = datetime.now(UTC)

    await dispatcher.record([_attempt(endpoint, start, 500)])
    await dispatcher.record([_attempt(endpoint, start + 3 * DAY, 200)])
    assert (await _state(gateway, endpoint))["failing_since"] is None
    await dispatcher.record([_attempt(endpoint, start + 6 * DAY, 500)])

    state = await _state(gateway, endpoint)
    assert state["disabled"] is False
    assert state["failing_since"] is not None
