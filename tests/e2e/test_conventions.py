"""Conventions every resource shares (docs/architecture.md): idempotent POSTs, ETags, pages, sync."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import Login, bearer

FUND = {"name_th": "กองทุนสวัสดิการชุมชนตำบลคูหาสวรรค์", "kind": "tambon", "area_code": "930101"}


def keyed(token: str, key: str) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key}


async def test_a_replayed_post_returns_the_first_response_and_creates_nothing_more(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    key = str(uuid.uuid4())

    first = await gateway.post("/v1/funds", json=FUND, headers=keyed(token, key))
    again = await gateway.post("/v1/funds", json=dict(reversed(FUND.items())), headers=keyed(token, key))

    assert first.status_code == 201
    assert "idempotency-replayed" not in first.headers
    assert again.status_code == 201
    assert again.headers["idempotency-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]


async def test_the_same_key_with_a_different_body_is_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    key = str(uuid.uuid4())
    await gateway.post("/v1/funds", json=FUND, headers=keyed(token, key))

    other = await gateway.post("/v1/funds", json={**FUND, "name_th": "อีกกองทุน"}, headers=keyed(token, key))

    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")


async def test_a_key_is_scoped_to_its_caller(gateway: httpx.AsyncClient, login: Login) -> None:
    key = str(uuid.uuid4())
    mine = await gateway.post("/v1/funds", json=FUND, headers=keyed(await login("demo-provincial-93"), key))
    theirs = await gateway.post("/v1/funds", json=FUND, headers=keyed(await login("demo-national"), key))

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


async def test_a_refused_request_fails_the_same_way_when_retried(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-18")
    key = str(uuid.uuid4())

    first = await gateway.post("/v1/funds", json=FUND, headers=keyed(token, key))
    retry = await gateway.post("/v1/funds", json=FUND, headers=keyed(token, key))

    assert first.status_code == retry.status_code == 403
    assert retry.headers["idempotency-replayed"] == "true"
    assert retry.json() == first.json()


async def test_concurrent_retries_with_one_key_create_exactly_one_fund(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    key = str(uuid.uuid4())
    name = f"กองทุนทดสอบพร้อมกัน {key[:8]}"

    answers = await asyncio.gather(
        *(
            gateway.post("/v1/funds", json={**FUND, "name_th": name}, headers=keyed(token, key))
            for _ in range(20)
        )
    )

    created = [a for a in answers if a.status_code == 201 and "idempotency-replayed" not in a.headers]
    replayed = [a for a in answers if a.headers.get("idempotency-replayed") == "true"]
    in_flight = [a for a in answers if a.status_code == 409]
    assert len(created) == 1
    assert len(created) + len(replayed) + len(in_flight) == 20
    assert all(a.json()["id"] == created[0].json()["id"] for a in replayed)
    assert all(a.json()["type"].endswith("/idempotency-key-in-flight") for a in in_flight)
    listed = await gateway.get("/v1/funds", params={"area": "930101", "limit": 200})
    assert [f["name_th"] for f in listed.json()["items"]].count(name) == 1


@pytest.mark.parametrize("key", ["x" * 300, "", "two words"])
async def test_a_malformed_idempotency_key_is_refused_naming_the_header(
    gateway: httpx.AsyncClient, login: Login, key: str
) -> None:
    token = await login("demo-provincial-93")
    response = await gateway.post("/v1/funds", json=FUND, headers=keyed(token, key))
    assert response.status_code == 422
    assert response.json()["type"].endswith("/invalid-idempotency-key")
    assert response.json()["errors"] == [
        {
            "pointer": "/header/Idempotency-Key",
            "parameter": "Idempotency-Key",
            "in": "header",
            "detail": response.json()["detail"],
        }
    ]


async def test_if_none_match_with_the_current_etag_answers_304(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    staff = bearer(await login("demo-provincial-93"))
    created = await gateway.post("/v1/funds", json=FUND, headers=staff)
    url = created.headers["location"]

    fresh = await gateway.get(url, headers=staff)
    cached = await gateway.get(url, headers={**staff, "If-None-Match": fresh.headers["etag"]})
    public = await gateway.get(url, headers={"If-None-Match": fresh.headers["etag"]})

    assert fresh.status_code == 200
    assert fresh.headers["etag"] == created.headers["etag"]
    assert cached.status_code == 304
    assert cached.content == b""
    # the public reads another representation (no committee): the staff's tag is not its tag
    assert public.status_code == 200
    assert public.json()["committee"] is None
    assert public.headers["etag"] != fresh.headers["etag"]
    assert "authorization" in public.headers["vary"].lower()


async def test_a_weak_etag_in_if_match_never_matches(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-provincial-93")
    created = await gateway.post("/v1/funds", json=FUND, headers=bearer(token))

    weak = await gateway.patch(
        created.headers["location"],
        json={"name_th": "ชื่อใหม่"},
        headers={**bearer(token), "If-Match": "W/" + created.headers["etag"]},
    )

    assert weak.status_code == 412


async def test_an_edit_based_on_a_stale_etag_is_refused_with_412(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    created = await gateway.post("/v1/funds", json=FUND, headers=bearer(token))
    url, old_etag = created.headers["location"], created.headers["etag"]

    first_edit = await gateway.patch(
        url, json={"name_th": "ชื่อใหม่"}, headers={**bearer(token), "If-Match": old_etag}
    )
    stale_edit = await gateway.patch(
        url, json={"name_th": "ชื่อที่ชนกัน"}, headers={**bearer(token), "If-Match": old_etag}
    )

    assert first_edit.status_code == 200
    assert first_edit.json()["name_th"] == "ชื่อใหม่"
    assert first_edit.headers["etag"] != old_etag
    assert stale_edit.status_code == 412
    assert stale_edit.headers["content-type"] == "application/problem+json"
    assert (await gateway.get(url)).json()["name_th"] == "ชื่อใหม่"


async def test_a_patch_may_not_null_a_required_field(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-provincial-93")
    created = await gateway.post("/v1/funds", json=FUND, headers=bearer(token))

    response = await gateway.patch(
        created.headers["location"], json={"name_th": None}, headers={**bearer(token), "If-Match": "*"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/name_th"


async def test_another_province_cannot_edit_a_fund(gateway: httpx.AsyncClient, login: Login) -> None:
    created = await gateway.post("/v1/funds", json=FUND, headers=bearer(await login("demo-provincial-93")))
    response = await gateway.patch(
        created.headers["location"],
        json={"name_th": "ยึด"},
        headers={**bearer(await login("demo-provincial-18")), "If-Match": "*"},
    )
    assert response.status_code == 403


async def test_paging_while_rows_are_inserted_shows_no_duplicates_and_no_gaps(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-57")
    area = "570101"
    existing = {
        f["id"] for f in (await gateway.get("/v1/funds", params={"area": area, "limit": 200})).json()["items"]
    }
    for i in range(7):
        response = await gateway.post(
            "/v1/funds",
            json={"name_th": f"กองทุน {i}", "kind": "tambon", "area_code": area},
            headers=bearer(token),
        )
        existing.add(response.json()["id"])

    seen: list[str] = []
    inserted: set[str] = set()
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"area": area, "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await gateway.get("/v1/funds", params=params)).json()
        seen += [f["id"] for f in page["items"]]
        new = await gateway.post(
            "/v1/funds",
            json={"name_th": "กองทุนใหม่", "kind": "tambon", "area_code": area},
            headers=bearer(token),
        )
        inserted.add(new.json()["id"])
        cursor = page["next_cursor"]
        if cursor is None or len(seen) > 200:
            break

    assert len(seen) == len(set(seen)), "a row appeared twice"
    assert existing <= set(seen), "a row that existed before paging was skipped"
    assert set(seen) <= existing | inserted


async def test_updated_since_lists_what_changed_oldest_change_first(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    a = (await gateway.post("/v1/funds", json=FUND, headers=bearer(token))).json()
    since = datetime.now(UTC).isoformat()
    b = (await gateway.post("/v1/funds", json=FUND, headers=bearer(token))).json()
    await gateway.patch(
        f"/v1/funds/{a['id']}", json={"name_th": "แก้ชื่อ"}, headers={**bearer(token), "If-Match": "*"}
    )

    changed = (await gateway.get("/v1/funds", params={"updated_since": since, "limit": 200})).json()["items"]
    ids = [f["id"] for f in changed]

    assert ids.index(b["id"]) < ids.index(a["id"])
    assert all(f["updated_at"] >= since.replace("+00:00", "Z")[:19] for f in changed)


async def test_a_cursor_from_another_list_order_is_rejected(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", params={"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize("path", ["/v1/funds", "/v1/strategies", "/v1/teams", "/v1/geo/provinces"])
async def test_head_answers_what_get_does_without_the_body(gateway: httpx.AsyncClient, path: str) -> None:
    got = await gateway.get(path, params={"limit": 1})
    head = await gateway.head(path, params={"limit": 1})

    assert (head.status_code, got.status_code) == (200, 200)
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("etag") == got.headers.get("etag")


async def test_head_of_a_missing_resource_is_a_404_without_a_body(gateway: httpx.AsyncClient) -> None:
    head = await gateway.head(f"/v1/funds/{uuid.uuid4()}")

    assert head.status_code == 404
    assert head.content == b""
