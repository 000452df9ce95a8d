"""A round's results: ordinal levels counted per area group with medians (never a mean of level numbers),
coverage, change since the previous round of the same framework, progress toward 2579; and the ranking of
provinces, each criterion's contribution shown and summing to the score, reproducible from the stored
levels. Public once the round is published; an edit of its framework changes none of it."""

from __future__ import annotations

import asyncio
import io
from collections import defaultdict
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.assessment.rounds import Scoring, agreed, chainat_round
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem

WEIGHTS = {"shared_data": 3, "joint_plan": 1}
LEVELS = {  # (area, criterion) → the agreed level; 930103 leaves joint_plan unscored
    ("180101", "shared_data"): 3,
    ("180101", "joint_plan"): 1,
    ("180102", "shared_data"): 1,
    ("180102", "joint_plan"): 3,
    ("930101", "shared_data"): 2,
    ("930101", "joint_plan"): 2,
    ("930103", "shared_data"): 2,
}


async def national_round(
    gateway: httpx.AsyncClient, login: Login, levels: dict[tuple[str, str], int], **kw: Any
) -> Scoring:
    scoring = await chainat_round(
        gateway,
        login,
        assigned=["TH"],
        areas=["180101", "180102", "930101", "930103"],
        keeper_name="demo-national",
        area_code="TH",
        **kw,
    )
    community = {"18": await login("demo-provincial-18"), "93": await login("demo-provincial-93")}
    for (area, criterion), level in levels.items():
        await agreed(gateway, scoring, area, criterion, level, own=community[area[:2]])
    return scoring


def by_code(rows: list[dict[str, Any]], key: str = "area_code") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def counts(spread: dict[str, Any]) -> dict[int, int]:
    """The distribution (how many at level 1, 2, 3) as level → count, the levels nobody is at left out."""
    return {level: n for level, n in enumerate(spread["distribution"], start=1) if n}


async def test_results_count_levels_per_province_with_medians_coverage_and_progress_to_2579(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await national_round(gateway, login, LEVELS)
    staff = bearer(scoring.keeper)

    provinces = await gateway.get(f"{scoring.url}/results", params={"level": "province"}, headers=staff)
    tambons = await gateway.get(f"{scoring.url}/results", params={"level": "tambon"}, headers=staff)
    anonymous = await gateway.get(f"{scoring.url}/results")

    assert provinces.status_code == 200, provinces.text
    body = provinces.json()
    chainat, phatthalung = by_code(body["groups"])["18"], by_code(body["groups"])["93"]
    # 180101 is 3 overall (weight 3 of 4 at level 3), 180102 is 1: a median of 1, not a mean of 2
    assert counts(chainat["overall"]) == {1: 1, 3: 1}
    assert (chainat["overall"]["median"], chainat["coverage"]) == (1, 1.0)
    assert counts(by_code(chainat["criteria"], "code")["shared_data"]) == {1: 1, 3: 1}
    assert (phatthalung["areas_in_round"], phatthalung["areas_scored"], phatthalung["coverage"]) == (
        2,
        1,
        0.5,
    )
    assert counts(by_code(phatthalung["criteria"], "code")["shared_data"]) == {2: 2}
    assert body["strong_from"] == 2
    assert body["progress"] == {
        "target_year": 2579,
        "years_left": 9,
        "tambons_in_round": 4,
        "tambons_strong_or_above": 2,
        "share": 0.5,
    }
    assert body["whole"]["coverage"] == 0.75
    assert body["counted"] == "reviewed"
    overall = {row["area_code"]: row["overall"]["median"] for row in tambons.json()["groups"]}
    assert overall == {"180101": 3, "180102": 1, "930101": 2, "930103": None}
    assert_problem(anonymous, 401)


async def test_the_ranking_is_reproducible_from_the_stored_levels_and_its_contributions_sum_to_the_score(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await national_round(gateway, login, LEVELS)
    staff = bearer(scoring.keeper)

    ranking = await gateway.get(f"{scoring.url}/ranking", headers=staff)
    again = await gateway.get(f"{scoring.url}/ranking", headers=staff)
    items = (await gateway.get(f"{scoring.url}/items", params={"limit": 200}, headers=staff)).json()["items"]

    assert ranking.status_code == 200, ranking.text
    assert ranking.json() == again.json()
    provinces = ranking.json()["provinces"]
    assert [p["province_code"] for p in provinces] == ["93", "18"]
    # the same score again, by hand, from the items as stored
    scored: dict[tuple[str, str], list[int]] = defaultdict(list)
    for item in items:
        scored[(item["area_code"][:2], item["criterion"])].append(item["level"])
    for province in provinces:
        assert sum(c["contribution"] for c in province["contributions"]) == province["score"]
        for contribution in province["contributions"]:
            levels = scored[(province["province_code"], contribution["code"])]
            strong = len([level for level in levels if level >= 2])
            expected = round(
                10000 * WEIGHTS[contribution["code"]] * strong / (sum(WEIGHTS.values()) * len(levels))
            )
            assert contribution["contribution"] == expected
    assert [p["score"] for p in provinces] == [10000, 5000]
    assert [p["rank"] for p in provinces] == [1, 2]


async def test_published_results_are_public_unchanged_by_a_framework_edit_and_show_the_change_next_round(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await national_round(gateway, login, LEVELS)
    staff = bearer(scoring.keeper)
    await gateway.post(f"{scoring.url}/close", headers=staff)
    await gateway.post(f"{scoring.url}/publish", headers=staff)

    public = await gateway.get(f"{scoring.url}/results")
    edited = await gateway.patch(
        f"/v1/frameworks/{scoring.round['framework_id']}",
        json={"criteria": [{"code": "shared_data", "title_th": "ข้อมูลร่วม", "weight": 1}]},
        headers={**staff, "If-Match": "*"},
    )
    after_edit = await gateway.get(f"{scoring.url}/results")
    public_ranking = await gateway.get(f"{scoring.url}/ranking")
    better = {**LEVELS, ("180102", "shared_data"): 3}
    newer = edited.json()
    next_round = await national_round(
        gateway, login, {k: v for k, v in better.items() if k[1] == "shared_data"}, framework=newer
    )
    changed = await gateway.get(f"{next_round.url}/results", headers=staff)

    assert public.status_code == 200, public.text
    assert public.json()["counted"] == "published"
    assert edited.status_code == 201
    assert after_edit.json() == public.json()
    assert public_ranking.status_code == 200
    body = changed.json()
    assert body["previous_round_id"] == scoring.round["id"]
    chainat = by_code(body["groups"])["18"]
    assert (chainat["change"]["previous_median"], chainat["overall"]["median"]) == (1, 3)
    assert chainat["change"]["median_change"] == 2


async def test_a_round_report_is_an_xlsx_built_by_the_worker_with_its_progress(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await national_round(gateway, login, LEVELS)
    staff = bearer(scoring.keeper)

    asked = await gateway.post(f"{scoring.url}/reports", headers=staff)
    anonymous = await gateway.get(asked.headers["location"])
    for _ in range(300):
        job = (await gateway.get(asked.headers["location"], headers=staff)).json()
        if job["status"] in ("completed", "failed"):
            break
        await asyncio.sleep(0.1)
    download = await gateway.get(job["download"], headers=staff)

    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "queued"
    assert_problem(anonymous, 401)
    assert (job["status"], job["steps_done"], job["steps_total"]) == ("completed", 3, 3)
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    provinces = {row[0]: row for row in book["ผลรายจังหวัด"].iter_rows(min_row=3, values_only=True)}
    assert provinces["93"][1:4] == (2, 1, 0.5)  # areas in the round, scored, coverage
    ranked = [row[1] for row in book["ลำดับความพร้อม"].iter_rows(min_row=2, max_row=3, values_only=True)]
    assert ranked == ["93", "18"]
