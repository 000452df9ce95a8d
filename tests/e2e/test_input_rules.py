"""Every input answered: text is folded to one form, what cannot be stored is refused at its pointer (422, in
English and Thai) — and nothing a refused request sent is written (tests/funds/test_input_bounds.py holds the
funds' own)."""

from __future__ import annotations

import base64
import uuid

import asyncpg
import httpx
import orjson
import pytest

from tests.conftest import DEMO_PASSWORD, Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers

FUND = {"name_th": "กองทุนทดสอบข้อความ", "kind": "project", "area_code": "93"}
DECOMPOSED_NAM = "น\u0e4d\u0e49\u0e32"  # น + nikhahit + mai tho + sara aa: how some keyboards type น้ำ
BIDI_OVERRIDE = "\u202e"


def refusal_in(response: httpx.Response, pointer: str) -> dict[str, object]:
    body = assert_problem(response, 422)
    assert pointer in pointers(body), body
    return body


async def count_funds_named(database: asyncpg.Connection, name: str) -> int:
    count: int = await database.fetchval("SELECT count(*) FROM funds.funds WHERE name_th = $1", name)
    return count


async def test_a_nul_in_the_token_form_is_a_422_at_its_field_not_a_500(gateway: httpx.AsyncClient) -> None:
    form = {"grant_type": "password", "username": "demo\x00", "password": DEMO_PASSWORD}

    english = await gateway.post("/v1/auth/token", data=form)
    thai = await gateway.post("/v1/auth/token", data=form, headers={"Accept-Language": "th"})

    refusal_in(english, "/username")
    body = refusal_in(thai, "/username")
    assert THAI.search(str(body["errors"])), body


async def test_names_are_folded_to_one_form_and_invisible_or_controlling_text_is_refused(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    typed = f"กองทุน{DECOMPOSED_NAM}ผุด\u200b {uuid.uuid4().hex[:6]}"

    created = await gateway.post("/v1/funds", json={**FUND, "name_th": typed}, headers=headers)

    assert created.status_code == 201, created.text
    plain = typed.replace(DECOMPOSED_NAM, "น้ำ").replace("\u200b", "")
    assert created.json()["name_th"] == plain
    assert await count_funds_named(database, plain) == 1
    for name, error in (
        ("\u200b\u200b", "blank"),
        ("\u0e48", "letter"),
        (f"กองทุน{BIDI_OVERRIDE}ปลอม", "bidi"),
        ("กองทุน\x00", "NUL"),
    ):
        refused = await gateway.post("/v1/funds", json={**FUND, "name_th": name}, headers=headers)
        thai = await gateway.post(
            "/v1/funds", json={**FUND, "name_th": name}, headers={**headers, "Accept-Language": "th"}
        )
        body = refusal_in(refused, "/name_th")
        assert error.lower() in str(body["errors"]).lower(), body
        assert THAI.search(str(refusal_in(thai, "/name_th")["errors"]))
        assert await count_funds_named(database, name.replace("\x00", "")) == 0


@pytest.mark.parametrize(
    ("field", "value"), [("url", "https://partner.example.org/\x00"), ("description", "ภาคี\x00")]
)
async def test_a_nul_in_a_webhook_endpoint_is_a_422_at_its_field(
    gateway: httpx.AsyncClient, login: Login, field: str, value: str
) -> None:
    endpoint = {"url": "https://partner.example.org/hooks", "event_types": ["fund.*"], field: value}

    refused = await gateway.post(
        "/v1/webhooks/endpoints", json=endpoint, headers=bearer(await login("demo-provincial-93"))
    )

    refusal_in(refused, f"/{field}")


async def test_an_empty_idempotency_key_is_a_422_not_ignored(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    name = f"กองทุนกุญแจว่าง {uuid.uuid4().hex[:6]}"
    headers = {**bearer(await login("demo-provincial-93")), "Idempotency-Key": ""}

    refused = await gateway.post("/v1/funds", json={**FUND, "name_th": name}, headers=headers)

    body = assert_problem(refused, 422)
    assert body["type"].endswith("/invalid-idempotency-key")
    assert await count_funds_named(database, name) == 0


@pytest.mark.parametrize(
    ("query", "plain"),
    [
        ("คูหาสวรรค์\u200b", "คูหาสวรรค์"),
        ("คูหา\u200bสวรรค์", "คูหาสวรรค์"),
        (f"{DECOMPOSED_NAM}ผุด", "น้ำผุด"),
        (f"คูหา{BIDI_OVERRIDE}สวรรค์", "คูหาสวรรค์"),  # dropped from a query, not a 500
    ],
)
async def test_a_tambon_search_typed_with_invisible_or_decomposed_characters_finds_the_same(
    gateway: httpx.AsyncClient, query: str, plain: str
) -> None:
    typed = await gateway.get("/v1/geo/tambons", params={"q": query})
    expected = await gateway.get("/v1/geo/tambons", params={"q": plain})

    assert typed.status_code == expected.status_code == 200
    found = [tambon["code"] for tambon in typed.json()["items"]]
    assert found == [tambon["code"] for tambon in expected.json()["items"]]
    assert found


async def test_updated_since_without_a_zone_is_refused_at_its_pointer_with_a_thai_hint(
    gateway: httpx.AsyncClient,
) -> None:
    params = {"updated_since": "2026-12-01T09:00:00"}

    english = await gateway.get("/v1/funds", params=params)
    thai = await gateway.get("/v1/funds", params=params, headers={"Accept-Language": "th"})

    refusal_in(english, "/query/updated_since")
    errors: list[dict[str, str]] = refusal_in(thai, "/query/updated_since")["errors"]  # type: ignore[assignment]
    (error,) = errors
    assert "เขตเวลา" in error["detail"]
    assert error["parameter"] == "updated_since"
    assert error["in"] == "query"


async def test_every_bad_field_of_one_body_is_listed_together(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    funds = (await gateway.get("/v1/funds", params={"area": "93", "limit": 1})).json()["items"]
    assert funds, "the demo data opens funds in 93"
    body = {"amount_satang": 10.5, "source_kind": "individual", "received_on": "yesterday"}

    refused = await gateway.post(f"/v1/funds/{funds[0]['id']}/contributions", json=body, headers=headers)

    assert {"/amount_satang", "/received_on"} <= pointers(assert_problem(refused, 422))


@pytest.mark.parametrize("path", ["/v1/funds", "/v1/strategies", "/v1/teams"])
async def test_an_edit_without_if_match_is_a_428_and_changes_nothing(
    gateway: httpx.AsyncClient, login: Login, path: str
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    bodies = {
        "/v1/funds": ({**FUND, "name_th": "กองทุนรอแก้"}, {"name_th": "แก้โดยไม่ดูฉบับล่าสุด"}),
        "/v1/strategies": ({"province_code": "93", "title_th": "ยุทธศาสตร์รอแก้"}, {"title_th": "แก้แบบไม่ดู"}),
        "/v1/teams": (
            {"name": "ทีมรอแก้", "kind": "internal_empowerment", "area_code": "93"},
            {"name": "แก้แบบไม่ดู"},
        ),
    }
    body, edit = bodies[path]
    created = await gateway.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    url = created.headers["location"]

    blind = await gateway.patch(url, json=edit, headers=headers)
    thai = await gateway.patch(url, json=edit, headers={**headers, "Accept-Language": "th"})
    on_purpose = await gateway.patch(url, json=edit, headers={**headers, "If-Match": "*"})

    assert assert_problem(blind, 428)["type"].endswith("/precondition-required")
    assert THAI.search(assert_problem(thai, 428)["title"])
    assert on_purpose.status_code == 200, on_purpose.text
    assert created.json()["version"] + 1 == on_purpose.json()["version"]  # the blind edits changed nothing


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-12-01"])
async def test_updated_since_is_rfc_3339_text_not_a_unix_timestamp(
    gateway: httpx.AsyncClient, value: str
) -> None:
    refused = await gateway.get("/v1/funds", params={"updated_since": value})

    refusal_in(refused, "/query/updated_since")


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-14:00", "0001-01-01T00:30:00+14:00"])
async def test_a_time_that_leaves_the_calendar_once_in_utc_is_refused_at_its_pointer(
    gateway: httpx.AsyncClient, moment: str
) -> None:
    english = await gateway.get("/v1/funds", params={"updated_since": moment})
    thai = await gateway.get("/v1/funds", params={"updated_since": moment}, headers={"Accept-Language": "th"})

    refusal_in(english, "/query/updated_since")
    assert THAI.search(str(refusal_in(thai, "/query/updated_since")["errors"]))


def _cursor(*parts: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(parts)).decode().rstrip("=")


async def test_a_cursor_whose_parts_no_list_gave_out_is_a_422_at_the_cursor(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    page = (await gateway.get("/v1/funds", params={"limit": 1})).json()
    order, _, row_id = orjson.loads(base64.urlsafe_b64decode(page["next_cursor"] + "=="))
    national = bearer(await login("demo-national"))
    rounds = (await gateway.get("/v1/rounds", params={"limit": 1}, headers=national)).json()["items"]
    assert rounds, "the demo data holds an assessment round"

    refused = [
        await gateway.get(
            "/v1/funds", params={"cursor": _cursor(order, "9999-12-31T23:00:00-14:00", row_id)}
        ),
        await gateway.get("/v1/funds", params={"cursor": _cursor(order, "2026-12-01T09:00:00", row_id)}),
        await gateway.get(
            f"/v1/rounds/{rounds[0]['id']}/items", params={"cursor": _cursor("93\x00", "c")}, headers=national
        ),
    ]

    for response in refused:
        assert_problem(response, 422)
        assert response.json()["errors"][0]["parameter"] == "cursor"
