"""`make run` comes with a demo assessment: a published round of CODI's 10 success factors over Phatthalung
and Chai Nat (one item flagged and reviewed with its dialogue), and published lessons on the crab bank of Ban
Nam Rap and the welfare fund of Nong Sarai — all public."""

from __future__ import annotations

import httpx


async def test_the_demo_round_is_published_with_a_flagged_item_its_dialogue_and_a_ranking(
    gateway: httpx.AsyncClient,
) -> None:
    listed = (await gateway.get("/v1/rounds", params={"status": "published", "limit": 200})).json()["items"]
    [demo] = [r for r in listed if r["title_th"].endswith("(สาธิต)")]
    flagged = (await gateway.get(f"/v1/rounds/{demo['id']}/items", params={"flagged": "true"})).json()[
        "items"
    ]
    ranking = (await gateway.get(f"/v1/rounds/{demo['id']}/ranking")).json()
    results = (await gateway.get(f"/v1/rounds/{demo['id']}/results", params={"level": "province"})).json()

    assert demo["areas"] == ["18", "93"]
    [item] = flagged
    assert (item["area_code"], item["criterion"], item["level"]) == ("18", "continuous_assessment", 2)
    assert (item["self_assessment"]["level"], item["team_assessment"]["level"]) == (1, 2)
    assert item["dialogue_note"].startswith("คุยร่วมกันแล้ว")
    assert [p["province_code"] for p in ranking["provinces"]] == ["93", "18"]
    assert results["whole"]["coverage"] == 1.0


async def test_anyone_finds_the_published_crab_bank_lesson_by_a_part_of_its_name(
    gateway: httpx.AsyncClient,
) -> None:
    crab = (await gateway.get("/v1/lessons", params={"q": "ธนาคารปู"})).json()["items"]
    welfare = (await gateway.get("/v1/lessons", params={"q": "สวัสดิการ", "area": "71"})).json()["items"]

    assert any(lesson["title_th"].startswith("ธนาคารปูม้า บ้านน้ำราบ") for lesson in crab)
    assert all(lesson["status"] == "published" for lesson in crab)
    assert [lesson["area_code"] for lesson in welfare if lesson["title_th"].endswith("(สาธิต)")] == ["710911"]


async def test_the_demos_outcomes_reached_the_provinces_fisheries_office(gateway: httpx.AsyncClient) -> None:
    outcomes = (await gateway.get("/v1/outcomes", params={"area": "93"})).json()["items"]
    recommendations = (
        await gateway.get("/v1/recommendations", params={"area": "93", "status": "accepted"})
    ).json()
    [demo] = [r for r in recommendations["items"] if r["title_th"].endswith("(สาธิต)")]

    assert len([o for o in outcomes if o["title_th"].endswith("(สาธิต)") and o["status"] == "published"]) == 2
    assert demo["target_agency"] == "สำนักงานประมงจังหวัดพัทลุง"
    assert [step["status"] for step in demo["history"]] == ["submitted", "accepted"]
