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
