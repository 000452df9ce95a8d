"""The spec says what the server enforces: each published pattern or rule is checked against what the server
does with the same values (so a client, or schemathesis, that trusts the spec is answered as it expects)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers
from tests.plans.indicators import define

FUND = {"name_th": "กองทุนตรวจสเปก", "kind": "project", "area_code": "93"}


async def spec(gateway: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await gateway.get("/openapi.json")).json()
    return document


def schema_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["components"]["schemas"][name]
    return schema


@pytest.mark.parametrize("path", ["/v1/funds", "/v1/geo/tambons?q=x"])
async def test_a_single_valued_query_parameter_sent_twice_is_refused_at_its_pointer(
    gateway: httpx.AsyncClient, path: str
) -> None:
    separator = "&" if "?" in path else "?"

    twice = await gateway.get(f"{path}{separator}limit=5&limit=500")
    thai = await gateway.get(f"{path}{separator}limit=5&limit=500", headers={"Accept-Language": "th"})

    assert pointers(assert_problem(twice, 422)) == {"/query/limit"}
    assert THAI.search(str(assert_problem(thai, 422)["errors"]))


async def test_if_match_is_an_entity_tag_as_published_a_stale_one_is_412_and_nothing_changes(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    created = await gateway.post(
        "/v1/strategies", json={"province_code": "93", "title_th": "ยุทธศาสตร์"}, headers=headers
    )
    url, edit = created.headers["location"], {"title_th": "แก้แล้ว"}
    pattern = re.compile(
        next(
            p
            for p in (await spec(gateway))["paths"]["/v1/strategies/{strategy_id}"]["patch"]["parameters"]
            if p["name"] == "If-Match"
        )["schema"]["pattern"]
    )

    answers = {}
    for value in ["abc", '"1-x"x', "W/", '"999-abc"', 'W/"1-x"']:
        answers[value] = await gateway.patch(url, json=edit, headers={**headers, "If-Match": value})
    after = await gateway.get(url)

    for value, answer in answers.items():
        expected = 412 if pattern.fullmatch(value) else 422
        body = assert_problem(answer, expected)
        if expected == 422:
            assert pointers(body) == {"/header/If-Match"}
    assert after.json()["version"] == created.json()["version"]


async def test_an_amount_written_with_a_zero_fraction_is_that_integer_and_a_fraction_is_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    fund = (await gateway.get("/v1/funds", params={"area": "93", "limit": 1})).json()["items"][0]
    url = f"/v1/funds/{fund['id']}/contributions"
    body = {"source_kind": "individual", "received_on": "2026-01-05"}

    whole = await gateway.post(url, json={**body, "amount_satang": 150000.0}, headers=headers)
    fraction = await gateway.post(url, json={**body, "amount_satang": 1500.5}, headers=headers)

    assert whole.status_code == 201, whole.text
    assert whole.json()["amount_satang"] == 150000
    assert pointers(assert_problem(fraction, 422)) == {"/amount_satang"}


async def test_text_that_unicode_normalisation_lengthens_past_its_limit_is_a_422_not_a_500(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    lengthening = "\u0958" * 300  # DEVANAGARI QA: NFC writes it as two characters

    refused = await gateway.post("/v1/funds", json={**FUND, "name_th": lengthening}, headers=headers)
    thai = await gateway.post(
        "/v1/funds", json={**FUND, "name_th": lengthening}, headers={**headers, "Accept-Language": "th"}
    )

    assert pointers(assert_problem(refused, 422)) == {"/name_th"}
    assert "300" in str(refused.json()["errors"])
    assert THAI.search(str(thai.json()["errors"]))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "https://partner.example.org/khabuan/webhooks?x=1#y",
        "http://[::1]/hook",
        "http://exämple.org/hook",
        "http://example.org/ก",
        "HTTP://example.org/hook",
        "http://example.org:65536/hook",
        "http://a..b/hook",
    ],
)
async def test_a_webhook_url_is_accepted_exactly_when_it_fits_the_published_pattern(
    gateway: httpx.AsyncClient, login: Login, url: str
) -> None:
    headers = bearer(await login("demo-national"))
    pattern = schema_of(await spec(gateway), "EndpointCreate")["properties"]["url"]["pattern"]

    answer = await gateway.post(
        "/v1/webhooks/endpoints", json={"url": url, "event_types": ["*"]}, headers=headers
    )

    if re.fullmatch(pattern, url):
        assert answer.status_code == 201, answer.text
    else:
        assert pointers(assert_problem(answer, 422)) == {"/url"}


async def test_the_spec_lists_the_event_types_a_subscription_may_name(gateway: httpx.AsyncClient) -> None:
    document = await spec(gateway)
    catalogue = {event["type"] for event in (await gateway.get("/v1/webhooks/event-types")).json()}

    named = set(schema_of(document, "EndpointCreate")["properties"]["event_types"]["items"]["enum"])

    assert catalogue <= named
    assert {"*", "fund.*"} <= named
    assert all(name == "*" or name in catalogue or name.endswith(".*") for name in named)


async def test_the_spec_states_the_rules_a_fund_body_must_keep(gateway: httpx.AsyncClient) -> None:
    fund = schema_of(await spec(gateway), "FundCreate")

    rules = {rule["if"]["properties"]["kind"]["const"]: rule["then"] for rule in fund["allOf"]}

    assert rules["pooled_province"]["properties"]["area_code"]["pattern"] == r"^\d{2}$"
    assert rules["tambon"]["properties"]["area_code"]["pattern"] == r"^\d{6}$"
    assert fund["properties"]["area_code"]["format"] == "khabuan-area-code"
    assert "\\p{L}" in fund["properties"]["name_th"]["pattern"]


PYDANTIC_ONLY = {"ge", "le", "gt", "lt", "max_length", "min_length", "strict", "multiple_of", "max_digits"}


def pydantic_words(value: Any, path: str = "") -> list[str]:
    """Where the document holds a pydantic constraint name instead of its JSON Schema keyword (a bound a
    validator hid: the schema would not state it)."""
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in pydantic_words(item, f"{path}/{i}")]
    if not isinstance(value, dict):
        return []
    here = [] if path.endswith("/properties") else [f"{path}/{key}" for key in value if key in PYDANTIC_ONLY]
    return here + [found for key, item in value.items() for found in pydantic_words(item, f"{path}/{key}")]


async def test_every_bound_is_stated_in_json_schema_words(gateway: httpx.AsyncClient) -> None:
    document = await spec(gateway)

    assert pydantic_words(document) == []
    assert schema_of(document, "FundUpdate")["properties"]["approvals_required"]["maximum"] == 20


@pytest.mark.parametrize("value", [True, "2", 2.5])
async def test_a_count_is_an_integer_never_a_boolean_or_text(
    gateway: httpx.AsyncClient, login: Login, value: object
) -> None:
    headers = bearer(await login("demo-provincial-93"))

    refused = await gateway.post("/v1/funds", json={**FUND, "approvals_required": value}, headers=headers)

    assert pointers(assert_problem(refused, 422)) == {"/approvals_required"}


async def test_every_resource_edited_with_if_match_has_a_get_that_gives_its_etag(
    gateway: httpx.AsyncClient,
) -> None:
    paths = (await spec(gateway))["paths"]

    patched = {  # the edits that take If-Match: a client needs the tag a GET gives
        path
        for path, item in paths.items()
        if any(p.get("name") == "If-Match" for p in item.get("patch", {}).get("parameters", []))
    }
    without_get = sorted(path for path in patched if "get" not in paths[path])
    readable = patched - set(without_get)
    etag_given = {path for path in readable if "ETag" in str(paths[path]["get"]["responses"])}
    without_etag = sorted(readable - etag_given)

    assert patched
    assert without_get == []
    assert without_etag == []


async def test_an_update_read_back_carries_the_etag_its_edit_takes(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    headers = bearer(await login("demo-national"))
    body = {"area_code": "930101", "period": "2569", "value": 3}
    created = await gateway.post(f"/v1/indicators/{indicator['id']}/updates", json=body, headers=headers)
    url = created.headers["location"]

    read = await gateway.get(url, headers=headers)
    edit = {**headers, "If-Match": read.headers["etag"]}
    edited = await gateway.patch(url, json={"value": 4}, headers=edit)

    assert read.headers["etag"] == created.headers["etag"]
    assert (edited.status_code, edited.json()["value"]) == (200, 4)
