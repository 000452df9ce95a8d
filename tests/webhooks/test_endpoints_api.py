"""The webhook endpoints API: subscribe, read, change, rotate, test, unsubscribe; bad input refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.accounts.test_account_audit import a_moment_ago, audited
from tests.conftest import Login, bearer
from tests.events.catalogue import EVERY_EVENT_TYPE
from tests.webhooks.conftest import OpenStrategy, Subscribe, deliveries
from tests.webhooks.receiver import Receiver


async def test_subscribing_returns_the_secret_once_and_the_endpoint_is_its_owners_alone(
    gateway: httpx.AsyncClient, receiver: Receiver, login: Login
) -> None:
    token = await login("demo-provincial-93")
    created = await gateway.post(
        "/v1/webhooks/endpoints",
        json={
            "url": receiver.url("mine"),
            "event_types": ["strategy.*", "team.created"],
            "description": "ภาคี",
        },
        headers=bearer(token),
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert created.headers["location"] == f"/v1/webhooks/endpoints/{body['id']}"
    assert created.headers["cache-control"] == "no-store"
    fetched = await gateway.get(f"/v1/webhooks/endpoints/{body['id']}", headers=bearer(token))
    assert fetched.status_code == 200
    assert "secret" not in fetched.json()
    assert fetched.json()["event_types"] == ["strategy.*", "team.created"]
    listed = await gateway.get("/v1/webhooks/endpoints", params={"limit": 200}, headers=bearer(token))
    assert body["id"] in {e["id"] for e in listed.json()["items"]}

    other = await login("demo-provincial-18")
    assert (
        await gateway.get(f"/v1/webhooks/endpoints/{body['id']}", headers=bearer(other))
    ).status_code == 404
    others = await gateway.get("/v1/webhooks/endpoints", params={"limit": 200}, headers=bearer(other))
    assert body["id"] not in {e["id"] for e in others.json()["items"]}
    assert (
        await gateway.delete(f"/v1/webhooks/endpoints/{body['id']}", headers=bearer(other))
    ).status_code == 404
    assert (await gateway.get("/v1/webhooks/endpoints")).status_code == 401


async def test_patch_changes_types_and_url_and_disable_then_enable_resumes_pending_messages(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["team.created"])
    moved_path = endpoint.path + "-moved"
    patched = await gateway.patch(
        endpoint.url,
        json={"event_types": ["strategy.created"], "url": receiver.url(moved_path), "disabled": True},
        headers={**endpoint.headers, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["disabled"], patched.json()["disabled_reason"]) == (True, "manual")
    stale = await gateway.patch(
        endpoint.url, json={"description": "x"}, headers={**endpoint.headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 412

    watcher = await subscribe("demo-provincial-93", ["strategy.created"])
    await open_strategy("93")  # nothing is owed to a disabled endpoint
    await receiver.wait_for(watcher.path, 1)  # fanned out (to the watcher, not to the disabled endpoint)
    enabled = await gateway.patch(
        endpoint.url, json={"disabled": False}, headers={**endpoint.headers, "If-Match": "*"}
    )
    assert enabled.json()["disabled"] is False
    strategy_id = await open_strategy("93")

    [message] = await receiver.wait_for(moved_path, 1)
    assert message.event.aggregate_id == strategy_id
    assert receiver.received(endpoint.path) == []


async def test_test_sends_webhook_endpoint_tested_to_that_endpoint_only(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    # the owner's other endpoint takes every webhook.* event, yet the test message is not for it
    bystander = await subscribe("demo-provincial-93", ["webhook.*"], token=endpoint.token)

    response = await gateway.post(f"{endpoint.url}/test", headers=endpoint.headers)

    assert response.status_code == 202, response.text
    [message] = await receiver.wait_for(endpoint.path, 1)
    assert message.webhook_id == response.json()["event_id"]
    assert message.event.type == "webhook.endpoint.tested"
    assert message.verify(endpoint.secret)["data"]["endpoint_id"] == endpoint.id
    assert receiver.received(bystander.path) == []
    [logged] = await deliveries(gateway, endpoint)
    assert (logged["event_type"], logged["status"]) == ("webhook.endpoint.tested", "succeeded")


async def test_deleting_an_endpoint_stops_its_deliveries(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    assert (await gateway.delete(endpoint.url, headers=endpoint.headers)).status_code == 204
    assert (await gateway.get(endpoint.url, headers=endpoint.headers)).status_code == 404
    watcher = await subscribe("demo-provincial-93", ["strategy.created"])
    await open_strategy("93")
    await receiver.wait_for(watcher.path, 1)
    assert receiver.received(endpoint.path) == []


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": "ftp://example.org/hook", "event_types": ["*"]}, "/url"),
        ({"url": "http://user:pw@127.0.0.1/hook", "event_types": ["*"]}, "/url"),
        ({"url": "http://127.0.0.1/hook\r\nX-Injected: 1", "event_types": ["*"]}, "/url"),
        ({"url": "http://127.0.0.1/ho\tok", "event_types": ["*"]}, "/url"),
        ({"url": "http://[::1/hook", "event_types": ["*"]}, "/url"),
        ({"url": "http://127.0.0.1/hook", "event_types": ["fund.craeted"]}, "/event_types"),
        ({"url": "http://127.0.0.1/hook", "event_types": ["nothing.*"]}, "/event_types"),
        ({"url": "http://127.0.0.1/hook", "event_types": []}, "/event_types"),
        ({"url": "http://127.0.0.1/hook"}, "/event_types"),
    ],
)
async def test_bad_subscriptions_are_refused_with_a_pointer_in_thai_too(
    body: dict[str, object], pointer: str, gateway: httpx.AsyncClient, login: Login
) -> None:
    response = await gateway.post(
        "/v1/webhooks/endpoints",
        json=body,
        headers={**bearer(await login("demo-provincial-93")), "Accept-Language": "th"},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert pointer in {e.get("pointer") for e in response.json()["errors"]}
    assert response.headers["content-language"] == "th"


async def test_the_event_catalogue_lists_every_type_with_its_schema(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/webhooks/event-types")

    assert response.status_code == 200
    listed = {(t["type"], t["schema_version"]): t for t in response.json()}
    assert set(listed) == {(t.name, t.schema_version) for t in EVERY_EVENT_TYPE}
    for event_type in EVERY_EVENT_TYPE:
        listed_schema = listed[(event_type.name, event_type.schema_version)]["data_schema"]
        assert listed_schema == event_type.data.model_json_schema()
    assert "endpoint_id" in listed[("webhook.endpoint.tested", 1)]["data_schema"]["properties"]
    assert listed[("strategy.created", 1)]["summary_th"]


async def test_an_endpoint_receives_what_occurs_once_it_exists_and_earlier_events_only_by_replay(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    earlier = await open_strategy("93")
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    later = await open_strategy("93")

    [message] = await receiver.wait_for(endpoint.path, 1)
    assert message.event.aggregate_id == later

    replay = await gateway.post(
        f"{endpoint.url}/replay",
        json={"since": (message.event.occurred_at - timedelta(minutes=5)).isoformat()},
        headers=endpoint.headers,
    )
    assert replay.status_code == 202
    queued = replay.json()["queued"]
    replayed = {r.event.aggregate_id for r in (await receiver.wait_for(endpoint.path, 1 + queued))[1:]}
    assert {earlier, later} <= replayed


async def test_field_errors_are_in_thai_when_asked(gateway: httpx.AsyncClient, login: Login) -> None:
    response = await gateway.post(
        "/v1/webhooks/endpoints",
        json={"url": "ftp://example.org/hook", "event_types": ["fund.craeted"]},
        headers={**bearer(await login("demo-provincial-93")), "Accept-Language": "th"},
    )

    [error] = response.json()["errors"]
    assert error["pointer"] == "/url"
    assert "URL" in error["detail"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in error["detail"]), error["detail"]


def _thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


async def test_a_url_with_a_line_break_is_refused_at_subscribe_and_at_patch_and_nothing_changes(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, login: Login
) -> None:
    token = await login("demo-provincial-93")
    sneaky = receiver.url("hooks/crlf") + "\r\n"
    created = await gateway.post(
        "/v1/webhooks/endpoints",
        json={"url": sneaky, "event_types": ["strategy.created"]},
        headers={**bearer(token), "Accept-Language": "th"},
    )
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"], token=token)
    patched = await gateway.patch(
        endpoint.url,
        json={"url": sneaky},
        headers={**endpoint.headers, "Accept-Language": "th", "If-Match": "*"},
    )

    for refused in (created, patched):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        [error] = refused.json()["errors"]
        assert error["pointer"] == "/url"
        assert _thai(error["detail"]), error["detail"]
    mine = await gateway.get("/v1/webhooks/endpoints", params={"limit": 200}, headers=bearer(token))
    assert sneaky not in {e["url"] for e in mine.json()["items"]}
    assert (await gateway.get(endpoint.url, headers=endpoint.headers)).json()["url"] == receiver.url(
        endpoint.path
    )


async def test_a_replay_whose_until_is_before_since_is_refused_in_thai_too(
    gateway: httpx.AsyncClient, subscribe: Subscribe
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    since = datetime.now(UTC)

    response = await gateway.post(
        f"{endpoint.url}/replay",
        json={"since": since.isoformat(), "until": (since - timedelta(hours=1)).isoformat()},
        headers={**endpoint.headers, "Accept-Language": "th"},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["pointer"] == "/until"
    assert _thai(error["detail"]), error["detail"]
    assert await deliveries(gateway, endpoint) == []


async def test_a_subscription_made_and_ended_are_entries_of_the_audit_log(
    gateway: httpx.AsyncClient, receiver: Receiver, login: Login
) -> None:
    token, national = await login("demo-provincial-93"), await login("demo-national")
    since = a_moment_ago()
    created = await gateway.post(
        "/v1/webhooks/endpoints",
        json={"url": receiver.url("audited"), "event_types": ["fund.*"], "description": "ภาคี"},
        headers=bearer(token),
    )
    endpoint = created.json()["id"]
    ended = await gateway.delete(f"/v1/webhooks/endpoints/{endpoint}", headers=bearer(token))

    entries = [
        entry
        for entry in await audited(gateway, national, 2, action="webhook.endpoint_", since=since)
        if entry["subject_id"] == endpoint
    ]

    assert created.status_code == 201, created.text
    assert ended.status_code == 204, ended.text
    assert [(entry["action"], entry["details"]) for entry in entries] == [
        ("webhook.endpoint_created", {"event_types": ["fund.*"]}),
        ("webhook.endpoint_deleted", {}),
    ]
    assert {entry["area_code"] for entry in entries} == {"93"}
