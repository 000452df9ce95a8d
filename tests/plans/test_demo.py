"""`make run` comes with demo plans: four provinces' strategies and projects of the current fiscal year,
Phatthalung's activities (a crab bank among them), and Chai Nat's TPMAP households through the whole chain."""

from __future__ import annotations

import httpx

from services.common.calendar import current_fiscal_year


async def test_the_demo_has_a_project_per_province_and_a_certified_tpmap_chain_in_chai_nat(
    gateway: httpx.AsyncClient,
) -> None:
    year = current_fiscal_year()
    projects = (await gateway.get("/v1/projects", params={"fiscal_year": year, "limit": 200})).json()["items"]
    demo = {p["province_code"]: p for p in projects if p["title_th"].endswith("(สาธิต)")}
    crab = await gateway.get("/v1/search", params={"q": "ธนาคารปู", "area": "93", "type": "activity"})
    [tpmap] = [
        i
        for i in (await gateway.get("/v1/indicators", params={"area": "18"})).json()["items"]
        if i["title_th"].endswith("(สาธิต)")
    ]
    chain = await gateway.get(f"/v1/indicators/{tpmap['id']}/periods/{year}/provinces/18")
    rolled = await gateway.get(
        f"/v1/indicators/{tpmap['id']}/rollup",
        params={"level": "province", "fiscal_year": year, "certified_only": "true"},
    )

    agreement = (await gateway.get("/v1/agreements", params={"project_id": demo["93"]["id"]})).json()["items"]
    assert set(demo) == {"93", "57", "18", "58"}
    assert [len(a["signatories"]) for a in agreement] == [4]
    assert demo["93"]["progress_percent"] is not None
    assert any("ธนาคารปูม้า" in hit["title_th"] for hit in crab.json()["items"])
    assert chain.json()["status"] == "certified"
    assert chain.json()["unverified_tambons"] == []
    income = next(item for item in rolled.json()["items"] if item["dimension"] == "income")
    assert (income["actual"], income["target"], income["tambons_reporting"]) == (96, 300, 1)


async def test_the_demo_has_phatthalungs_plans_agenda_and_forum_with_an_overdue_action(
    gateway: httpx.AsyncClient,
) -> None:
    year = current_fiscal_year()
    plans = (await gateway.get("/v1/plans", params={"area": "93", "fiscal_year": year, "limit": 200})).json()
    demo_plans = {p["horizon"]: p for p in plans["items"] if p["title_th"].endswith("(สาธิต)")}
    agenda = (await gateway.get("/v1/agendas", params={"area": "93", "fiscal_year": year})).json()["items"]
    forums = (await gateway.get("/v1/forums", params={"area": "93", "limit": 200})).json()["items"]
    [demo_forum] = [f for f in forums if f["title_th"].endswith("(สาธิต)")]
    resolutions = (await gateway.get(f"/v1/forums/{demo_forum['id']}/resolutions")).json()["items"]
    long_plans = (await gateway.get("/v1/plans", params={"horizon": "long", "limit": 200})).json()["items"]
    late = (await gateway.get("/v1/forum-actions", params={"area": "93", "overdue": "true"})).json()["items"]

    assert set(demo_plans) == {"short", "medium", "long"}
    assert demo_plans["short"]["budget_total_satang"] == 180_000_000
    assert demo_plans["long"]["end_fiscal_year"] == 2579
    assert {"housing", "environment"} <= {a["theme"] for a in agenda if a["title_th"].endswith("(สาธิต)")}
    assert demo_forum["attendee_names"] is None  # public
    assert len(resolutions) == 2
    assert any(a["resolution_id"] in {r["id"] for r in resolutions} for a in late)
    assert {p["province_code"] for p in long_plans if p["title_th"].endswith("(สาธิต)")} == {
        "93",
        "57",
        "18",
        "58",
    }
