"""Issue 17's acceptance lines where they are easiest to get wrong: the team side is scored only by the
round's team where it is assigned; an unpublished round (planned, open or closed) is nobody's to read
anonymously, its ranking included; ties in the ranking follow the documented rule and the rounded
contributions sum to the score; an edit of a used framework changes no old round's results or ranking."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pytest

from tests.assessment.rounds import LEVELS, Scoring, agreed, chainat_round, score
from tests.assessment.test_team_members import account_id
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem

Levels = dict[tuple[str, str], int]  # (area, criterion) → the level both sides agree
NATIONAL_AREAS = ["180101", "180102", "930101", "930103"]
GROUPINGS = ("tambon", "province", "region", "nation")


async def framework_of(gateway: httpx.AsyncClient, token: str, weights: dict[str, int]) -> dict[str, Any]:
    """A national framework on the 3-level scale with a criterion per weight."""
    body = {
        "title_th": "กรอบทดสอบการจัดลำดับ",
        "area_code": "TH",
        "levels": LEVELS,
        "criteria": [{"code": code, "title_th": code, "weight": w} for code, w in weights.items()],
    }
    created = await gateway.post("/v1/frameworks", json=body, headers=bearer(token))
    assert created.status_code == 201, created.text
    framework: dict[str, Any] = created.json()
    return framework


async def national_round(
    gateway: httpx.AsyncClient, login: Login, levels: Levels, framework: dict[str, Any] | None = None
) -> Scoring:
    """An open national round over two tambons of Chainat and two of Phatthalung, its team assigned to the
    whole country, each of `levels` scored alike by the province's staff and the team, and reviewed."""
    scoring = await chainat_round(
        gateway,
        login,
        assigned=["TH"],
        areas=NATIONAL_AREAS,
        keeper_name="demo-national",
        area_code="TH",
        framework=framework,
    )
    community = {"18": await login("demo-provincial-18"), "93": await login("demo-provincial-93")}
    for (area, criterion), level in levels.items():
        await agreed(gateway, scoring, area, criterion, level, own=community[area[:2]])
    return scoring


async def reads_of(gateway: httpx.AsyncClient, url: str, token: str | None) -> dict[str, Any]:
    """Every grouping of the round's results and its ranking, as JSON, read with `token` (or anonymously)."""
    headers = bearer(token) if token else {}
    read: dict[str, Any] = {}
    for grouping in GROUPINGS:
        results = await gateway.get(f"{url}/results", params={"level": grouping}, headers=headers)
        assert results.status_code == 200, results.text
        read[grouping] = results.json()
    ranking = await gateway.get(f"{url}/ranking", headers=headers)
    assert ranking.status_code == 200, ranking.text
    read["ranking"] = ranking.json()
    return read


# 1. Who scores the team side


async def test_a_tambon_user_cannot_score_the_team_side_even_where_the_team_is_assigned(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=[])
    item = scoring.item("180101", "shared_data")
    sent = await gateway.put(
        f"/v1/teams/{scoring.team_id}/assignments/180101", headers=bearer(scoring.keeper)
    )

    own_side = await gateway.put(f"{item}/self", json=score(1), headers=bearer(scoring.community))
    team_side = await gateway.put(f"{item}/team", json=score(3), headers=bearer(scoring.community))
    after_refusal = await gateway.get(item, headers=bearer(scoring.keeper))
    by_evaluator = await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))

    assert sent.status_code == 201, sent.text
    assert own_side.status_code == 200, own_side.text
    assert assert_problem(team_side, 403)["area_code"] == "180101"
    assert after_refusal.json()["team_assessment"]["level"] is None
    assert after_refusal.json()["self_assessment"]["level"] == 1
    assert by_evaluator.status_code == 200, by_evaluator.text
    assert by_evaluator.json()["team_assessment"]["level"] == 2


async def test_an_evaluator_whose_team_works_in_another_province_cannot_score_chainat(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(
        gateway,
        login,
        assigned=["93"],
        areas=["180101", "930101"],
        keeper_name="demo-national",
        area_code="TH",
    )
    chainat_keeper = await login("demo-provincial-18")
    other_team = await gateway.post(  # a team of the evaluator's that does work in Chainat, not this round's
        "/v1/teams",
        json={"kind": "internal_empowerment", "name": "ทีมประเมินภายในชัยนาท", "area_code": "18"},
        headers=bearer(chainat_keeper),
    )
    other_url = f"/v1/teams/{other_team.json()['id']}"
    evaluator = await account_id(gateway, scoring.evaluator)
    joined = await gateway.put(f"{other_url}/members/{evaluator}", json={}, headers=bearer(chainat_keeper))
    sent = await gateway.put(f"{other_url}/assignments/18", headers=bearer(chainat_keeper))

    in_phatthalung = await gateway.put(
        f"{scoring.item('930101', 'shared_data')}/team", json=score(2), headers=bearer(scoring.evaluator)
    )
    in_chainat = await gateway.put(
        f"{scoring.item('180101', 'shared_data')}/team", json=score(2), headers=bearer(scoring.evaluator)
    )
    chainat_item = await gateway.get(scoring.item("180101", "shared_data"), headers=bearer(scoring.keeper))

    assert (joined.status_code, sent.status_code) == (201, 201)
    assert in_phatthalung.status_code == 200, in_phatthalung.text
    assert assert_problem(in_chainat, 403)["area_code"] == "180101"
    assert_problem(chainat_item, 404)  # nothing was written


async def test_a_tambon_user_put_on_the_team_still_cannot_score_the_team_side_of_their_own_tambon(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    joined = await gateway.put(
        f"/v1/teams/{scoring.team_id}/members/{await account_id(gateway, scoring.community)}",
        json={},
        headers=bearer(scoring.keeper),
    )

    own_side = await gateway.put(f"{item}/self", json=score(1), headers=bearer(scoring.community))
    team_side = await gateway.put(f"{item}/team", json=score(3), headers=bearer(scoring.community))
    after_refusal = await gateway.get(item, headers=bearer(scoring.keeper))
    by_evaluator = await gateway.put(f"{item}/team", json=score(3), headers=bearer(scoring.evaluator))
    submitted = await gateway.post(f"{item}/submit", headers=bearer(scoring.community))

    assert joined.status_code == 201, joined.text  # a tambon user may be on a team (a grant in its area)
    assert own_side.status_code == 200, own_side.text
    assert assert_problem(team_side, 403)["area_code"] == "180101"
    assert after_refusal.json()["team_assessment"]["level"] is None
    assert by_evaluator.status_code == 200, by_evaluator.text
    assert_problem(submitted, 403)  # nor send it on for review


# 2. Unpublished rounds are not public, their ranking included


async def test_an_unpublished_round_and_its_ranking_are_not_public_until_it_is_published(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    for criterion in ("shared_data", "joint_plan"):
        await agreed(gateway, scoring, "180101", criterion, 2, own=scoring.community)
    reads = [
        scoring.url,
        f"{scoring.url}/results",
        f"{scoring.url}/ranking",
        f"{scoring.url}/items",
        scoring.item("180101", "shared_data"),
    ]
    planned = await gateway.post(
        "/v1/rounds",
        json={
            **{
                k: scoring.round[k]
                for k in ("title_th", "framework_id", "fiscal_year", "area_code", "team_id")
            },
            "areas": ["180101"],
            "opens_on": scoring.round["opens_on"],
            "closes_on": scoring.round["closes_on"],
        },
        headers=bearer(scoring.keeper),
    )
    planned_url = f"/v1/rounds/{planned.json()['id']}"

    while_planned = [await gateway.get(url) for url in (planned_url, f"{planned_url}/ranking")]
    while_open = [await gateway.get(url) for url in reads]
    closed = await gateway.post(f"{scoring.url}/close", headers=bearer(scoring.keeper))
    while_closed = [await gateway.get(url) for url in reads]
    staff_while_closed = await reads_of(gateway, scoring.url, scoring.keeper)
    published = await gateway.post(f"{scoring.url}/publish", headers=bearer(scoring.keeper))
    once_published = [await gateway.get(url) for url in reads]
    public = await reads_of(gateway, scoring.url, None)
    staff = await reads_of(gateway, scoring.url, scoring.keeper)

    assert planned.json()["status"] == "planned"
    for refused in (*while_planned, *while_open, *while_closed):
        assert_problem(refused, 401)
    assert closed.json()["status"] == "closed"
    assert staff_while_closed["ranking"]["provinces"][0]["province_code"] == "18"
    assert published.json()["status"] == "published"
    assert [r.status_code for r in once_published] == [200] * len(reads)
    assert public == staff  # the public reads what the staff read
    assert public["province"]["counted"] == "published"
    [chainat] = public["ranking"]["provinces"]
    assert (chainat["province_code"], chainat["score"], chainat["coverage"]) == ("18", 10000, 0.5)


# 3. Ties in the ranking, and rounded contributions summing to the score

EVEN = {"shared_data": 1, "joint_plan": 1, "joint_budget": 1}
# in thirds no contribution is whole: three at strong sum to 3333 × 3 = 9999, not a rounded 10000
TIE_RULE = "ties: higher coverage, then more tambons at the top level overall, then the lower province code"


def tambon(area: str, *levels: int | None) -> Levels:
    """An area's levels in the order of EVEN's criteria; None leaves that criterion unscored."""
    return {(area, code): level for code, level in zip(EVEN, levels, strict=True) if level is not None}


TIES = {
    # equal scores; Phatthalung scored both its tambons, Chainat one (though at the top level): coverage wins
    "higher coverage first": (
        {
            **tambon("180101", 3, 3, 3),
            **tambon("180102", None, None, 1),
            **tambon("930101", 2, 2, 2),
            **tambon("930103", 2, 2, 1),
        },
        [("93", 8333, 1.0, 0), ("18", 8333, 0.5, 1)],
    ),
    # equal scores and coverage; Phatthalung's tambon is at the top level, Chainat's at strong
    "then more tambons at the top level": (
        {**tambon("180101", 2, 2, 2), **tambon("930101", 3, 3, 3)},
        [("93", 9999, 0.5, 1), ("18", 9999, 0.5, 0)],
    ),
    # equal in everything the rule looks at
    "then the lower province code": (
        {
            **tambon("180101", 2, 2, 2),
            **tambon("180102", 2, 1, 2),
            **tambon("930101", 2, 2, 1),
            **tambon("930103", 2, 2, 2),
        },
        [("18", 8333, 1.0, 0), ("93", 8333, 1.0, 0)],
    ),
}


def recomputed(items: list[dict[str, Any]], weights: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each province's contribution per criterion, by hand from the stored items, as the README states it:
    round(10000 × weight × tambons at strong or above / (Σ weights × tambons scored))."""
    levels: dict[tuple[str, str], list[int]] = defaultdict(list)
    for item in items:
        levels[(item["area_code"][:2], item["criterion"])].append(item["level"])
    points: dict[str, dict[str, int]] = defaultdict(dict)
    for (province, code), scored in levels.items():
        strong = len([level for level in scored if level >= 2])
        points[province][code] = round(10000 * weights[code] * strong / (sum(weights.values()) * len(scored)))
    return points


@pytest.mark.parametrize(("levels", "order"), list(TIES.values()), ids=list(TIES))
async def test_provinces_with_equal_scores_are_ordered_by_the_documented_tie_rule(
    gateway: httpx.AsyncClient, login: Login, levels: Levels, order: list[tuple[str, int, float, int]]
) -> None:
    framework = await framework_of(gateway, await login("demo-national"), EVEN)
    scoring = await national_round(gateway, login, levels, framework)
    staff = bearer(scoring.keeper)

    ranking = (await gateway.get(f"{scoring.url}/ranking", headers=staff)).json()
    items = (await gateway.get(f"{scoring.url}/items", params={"limit": 200}, headers=staff)).json()["items"]

    provinces = ranking["provinces"]
    shown = [(p["province_code"], p["score"], p["coverage"], p["tambons_at_top"]) for p in provinces]
    assert shown == order
    assert [p["rank"] for p in provinces] == [1, 2]
    assert TIE_RULE in ranking["method"]
    by_hand = recomputed(items, EVEN)
    for province in provinces:
        contributions = {c["code"]: c["contribution"] for c in province["contributions"]}
        assert contributions == by_hand[province["province_code"]]
        assert sum(contributions.values()) == province["score"]


# 4. An edit of a used framework changes no old round's results or ranking

OLD_ROUND_LEVELS: Levels = {
    ("180101", "shared_data"): 3,
    ("180101", "joint_plan"): 1,
    ("180102", "shared_data"): 1,
    ("180102", "joint_plan"): 3,
    ("930101", "shared_data"): 2,
    ("930101", "joint_plan"): 2,
    ("930103", "shared_data"): 2,
}


async def test_editing_a_used_framework_leaves_old_rounds_results_and_ranking_exactly_as_they_were(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    published = await national_round(gateway, login, OLD_ROUND_LEVELS)
    staff = published.keeper
    await gateway.post(f"{published.url}/close", headers=bearer(staff))
    await gateway.post(f"{published.url}/publish", headers=bearer(staff))
    framework_url = f"/v1/frameworks/{published.round['framework_id']}"
    used = (await gateway.get(framework_url)).json()
    still_open = await national_round(
        gateway, login, {("180101", "shared_data"): 1, ("930101", "joint_plan"): 3}, used
    )

    public_before = await reads_of(gateway, published.url, None)
    open_before = await reads_of(gateway, still_open.url, still_open.keeper)
    edited = await gateway.patch(
        framework_url,
        json={
            "levels": [*LEVELS, {"label_th": "ขยายผลได้"}, {"label_th": "เป็นต้นแบบ"}],
            "criteria": [
                {"code": "shared_data", "title_th": "ข้อมูลร่วม", "weight": 1},
                {"code": "joint_plan", "title_th": "แผนร่วม", "weight": 7},
                {"code": "joint_budget", "title_th": "งบร่วม", "weight": 2},
            ],
        },
        headers={**bearer(staff), "If-Match": "*"},
    )
    public_after = await reads_of(gateway, published.url, None)
    open_after = await reads_of(gateway, still_open.url, still_open.keeper)

    assert edited.status_code == 201, edited.text
    assert (used["version_no"], used["weight_total"]) == (1, 4)
    assert (edited.json()["version_no"], edited.json()["weight_total"]) == (2, 10)
    assert public_before["province"]["counted"] == "published"
    assert public_before["ranking"]["provinces"][0]["contributions"][0]["weight"] == 3
    assert public_after == public_before
    assert open_after == open_before
    assert open_before["province"]["previous_round_id"] == published.round["id"]
