"""Search finds plans' texts by a part of a Thai word, typed as people type it (a zero-width space from a chat
app, a sara am in two pieces), through a trigram index rather than a scan."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer
from tests.plans.test_forums import forum
from tests.plans.test_plans import goal_of_a_new_strategy, plan

TAMBON = "930203"  # คลองเฉลิม: no other test's activity is there
DECOMPOSED_NAM = "น\u0e4d\u0e49\u0e32"  # น + nikhahit + mai tho + sara aa: how some keyboards type น้ำ


@pytest.fixture(scope="module")
async def crab_bank(gateway: httpx.AsyncClient, login: Login) -> dict[str, Any]:
    headers = bearer(await login("demo-provincial-93"))
    body = {"province_code": "93", "fiscal_year": 2599, "title_th": "โครงการชุมชนชายฝั่ง"}
    project = (await gateway.post("/v1/projects", json=body, headers=headers)).json()
    activity = await gateway.post(
        f"/v1/projects/{project['id']}/activities",
        json={"area_code": TAMBON, "title_th": "ธนาคารปูม้าบ้านน้ำราบ", "issue": "crab_bank"},
        headers=headers,
    )
    assert activity.status_code == 201, activity.text
    found: dict[str, Any] = activity.json()
    return found


@pytest.mark.parametrize("query", ["ธนาคารปู", "ธนาคาร\u200bปู", f"บ้าน{DECOMPOSED_NAM}ราบ", "  ธนาคารปูม้า  "])
async def test_a_part_of_a_thai_word_typed_as_people_type_it_finds_the_activity(
    gateway: httpx.AsyncClient, crab_bank: dict[str, Any], query: str
) -> None:
    found = await gateway.get("/v1/search", params={"q": query, "area": TAMBON, "type": "activity"})

    assert found.status_code == 200, found.text
    assert [(hit["type"], hit["id"]) for hit in found.json()["items"]] == [("activity", crab_bank["id"])]
    assert found.json()["items"][0]["project_id"] == crab_bank["project_id"]


async def test_search_keeps_to_the_kinds_and_area_asked_and_best_titles_come_first(
    gateway: httpx.AsyncClient, crab_bank: dict[str, Any]
) -> None:
    elsewhere = await gateway.get("/v1/search", params={"q": "ธนาคารปู", "area": "57"})
    projects_only = await gateway.get("/v1/search", params=[("q", "ชุมชนชายฝั่ง"), ("type", "project")])
    ranked = (await gateway.get("/v1/search", params={"q": "ธนาคารปูม้าบ้านน้ำราบ", "area": "93"})).json()
    nothing = await gateway.get("/v1/search", params={"q": "\u200b"})

    assert elsewhere.status_code == 200, elsewhere.text
    assert elsewhere.json()["items"] == []
    assert {hit["type"] for hit in projects_only.json()["items"]} == {"project"}
    assert crab_bank["project_id"] in {hit["id"] for hit in projects_only.json()["items"]}
    scores = [hit["score"] for hit in ranked["items"]]
    assert ranked["items"][0]["id"] == crab_bank["id"]
    assert scores == sorted(scores, reverse=True)
    assert nothing.json()["items"] == []


async def test_search_is_served_by_a_trigram_index(database: asyncpg.Connection) -> None:
    async with database.transaction():
        await database.execute("SET LOCAL enable_seqscan = off")
        plan = await database.fetchval(
            "EXPLAIN (FORMAT JSON) SELECT id FROM plans.activities WHERE title_th ILIKE '%ธนาคารปู%'"
        )

    assert "ix_activities_title_th_trgm" in str(plan)


async def test_anonymous_search_shows_what_is_public_and_nothing_personal(
    gateway: httpx.AsyncClient, crab_bank: dict[str, Any]
) -> None:
    found = await gateway.get("/v1/search", params={"q": "ธนาคารปู"})

    assert found.status_code == 200, found.text
    assert crab_bank["id"] in {hit["id"] for hit in found.json()["items"]}
    # a hit is a public record's title and place: never who wrote it, nor anyone's name or number
    assert {key for hit in found.json()["items"] for key in hit} == {
        "type",
        "id",
        "title_th",
        "area_code",
        "project_id",
        "parent_id",
        "score",
    }


async def test_plans_agenda_items_goals_and_resolutions_are_found_but_not_who_attended(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    word = "ป่าพรุควนขี้เสี้ยน"
    the_plan = (
        await gateway.post("/v1/plans", json=plan(goal, title_th=f"แผนอนุรักษ์{word}"), headers=headers)
    ).json()
    the_item = (
        await gateway.post(
            "/v1/agendas",
            json={"province_code": "93", "title_th": f"วาระ{word}", "theme": "environment"},
            headers=headers,
        )
    ).json()
    url = (await forum(gateway, headers, attendee_names=["นางพรุ ควนขี้เสี้ยนดี"])).headers["location"]
    resolution = (
        await gateway.post(f"{url}/resolutions", json={"text_th": f"เห็นชอบฟื้นฟู{word}"}, headers=headers)
    ).json()

    found = await gateway.get("/v1/search", params={"q": "ควนขี้เสี้ยน"})
    only_plans = await gateway.get("/v1/search", params={"q": "ควนขี้เสี้ยน", "type": "plan"})
    elsewhere = await gateway.get("/v1/search", params={"q": "ควนขี้เสี้ยน", "area": "18"})

    hits = {hit["id"]: hit for hit in found.json()["items"]}
    assert hits[the_plan["id"]]["type"] == "plan"
    assert hits[the_plan["id"]]["parent_id"] == goal["id"]
    assert hits[the_item["id"]]["type"] == "agenda"
    assert hits[resolution["id"]]["type"] == "resolution"
    assert hits[resolution["id"]]["parent_id"] == url.rsplit("/", 1)[1]
    assert "นางพรุ" not in found.text
    assert {hit["type"] for hit in only_plans.json()["items"]} == {"plan"}
    assert elsewhere.json()["items"] == []


async def test_words_apart_each_find_the_activity_wherever_they_stand_in_it(
    gateway: httpx.AsyncClient, crab_bank: dict[str, Any]
) -> None:
    both = await gateway.get("/v1/search", params={"q": "บ้านน้ำราบ  ธนาคารปู", "area": TAMBON})
    one_missing = await gateway.get("/v1/search", params={"q": "ธนาคารปู ลำปาง", "area": TAMBON})

    assert both.status_code == 200, both.text
    assert [hit["id"] for hit in both.json()["items"]] == [crab_bank["id"]]
    assert one_missing.json()["items"] == []
