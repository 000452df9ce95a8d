"""(h) Assessment at national scale: a published round's results over 7,436 tambons × 10 criteria (74,360
agreed levels) against a hand-written SQL aggregate over the same rows.

The framework (CODI's 10 success factors on the 3-level scale, weights 1–10), the team and the round of every
tambon are made through the gateway; the items are written in bulk (COPY into `assessment.round_items`,
then ANALYZE) as reviews would have left them, and the round is closed and published through the gateway
(publishing makes every reviewed item public), then VACUUM ANALYZE. Measured: the p50 of anonymous
`GET /v1/rounds/{id}/results?level=province` on the assessment service's own port, one request at a time;
the baseline is the p50 of the two queries a person would write for the same figures — level counts per
province and criterion, and each tambon's weighted median rolled up per province — sent over asyncpg to the
same database. The two alternate in rounds (ABBA), each round's p50 kept; the medians are compared.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from bench.context import Context
from bench.profile import explain
from bench.registry import Benchmark, Goal, Result, judge
from services.common.geo import tambons_within

CRITERIA = [f"factor_{n}" for n in range(1, 11)]
WEIGHTS = list(range(1, 11))
ROUNDS = 4
REQUESTS = 15  # per round and side
GOAL = Goal("ratio", "<=", 1.5)
BARE_COUNTS = (
    "SELECT substr(area_code, 1, 2) AS province, criterion, level, count(*) AS n FROM assessment.round_items "
    "WHERE round_id = $1 AND status = 'published' GROUP BY 1, 2, 3"
)
BARE_OVERALL = """
    WITH w(criterion, weight) AS (SELECT * FROM unnest($2::text[], $3::int[])),
    per_level AS (
        SELECT i.area_code, i.level, sum(w.weight) AS weight
        FROM assessment.round_items i JOIN w USING (criterion)
        WHERE i.round_id = $1 AND i.status = 'published'
        GROUP BY 1, 2
    ),
    running AS (
        SELECT area_code, level,
               sum(weight) OVER (PARTITION BY area_code ORDER BY level) AS reached,
               sum(weight) OVER (PARTITION BY area_code) AS total
        FROM per_level
    )
    SELECT substr(area_code, 1, 2) AS province, level, count(*) AS n
    FROM (SELECT area_code, min(level) AS level FROM running WHERE 2 * reached >= total GROUP BY 1) median
    GROUP BY 1, 2
"""


def _define(gateway: str) -> str:
    """A framework, a national team and a round of every tambon, through the gateway: the round's id."""
    with httpx.Client(base_url=gateway, timeout=60) as client:
        login = {"grant_type": "password", "username": "demo-national", "password": "khabuan-demo"}
        token = client.post("/v1/auth/token", data=login)
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        framework = client.post(
            "/v1/frameworks",
            json={
                "title_th": "ปัจจัยความสำเร็จ 10 ประการ (วัดผล)",
                "area_code": "TH",
                "levels": [{"label_th": "ลุกยืนได้"}, {"label_th": "แข็งแรง"}, {"label_th": "วิ่งได้"}],
                "criteria": [
                    {"code": code, "title_th": f"ปัจจัยที่ {n}", "weight": weight}
                    for n, (code, weight) in enumerate(zip(CRITERIA, WEIGHTS, strict=True), start=1)
                ],
            },
        )
        framework.raise_for_status()
        team = client.post(
            "/v1/teams", json={"kind": "internal_empowerment", "name": "ทีมประเมินระดับชาติ", "area_code": "TH"}
        )
        team.raise_for_status()
        today = date.today()
        created = client.post(
            "/v1/rounds",
            json={
                "title_th": "รอบประเมินทั่วประเทศ (วัดผล)",
                "framework_id": framework.json()["id"],
                "fiscal_year": 2570,
                "area_code": "TH",
                "team_id": team.json()["id"],
                "opens_on": (today - timedelta(days=1)).isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
            },
        )
        created.raise_for_status()
        round_id = str(created.json()["id"])
        client.post(f"/v1/rounds/{round_id}/open").raise_for_status()
        return round_id


def _publish(gateway: str, round_id: str) -> None:
    with httpx.Client(base_url=gateway, timeout=120) as client:
        login = {"grant_type": "password", "username": "demo-national", "password": "khabuan-demo"}
        client.headers["Authorization"] = (
            "Bearer " + client.post("/v1/auth/token", data=login).json()["access_token"]
        )
        client.post(f"/v1/rounds/{round_id}/close").raise_for_status()
        client.post(f"/v1/rounds/{round_id}/publish").raise_for_status()


async def _load(database_url: str, round_id: str) -> int:
    """Every tambon's agreed level on every criterion, as reviewed items (COPY), then ANALYZE."""
    now, who, rid = datetime.now(UTC), str(uuid.uuid4()), uuid.UUID(round_id)
    rows = []
    for index, tambon in enumerate(tambons_within("TH")):
        for position, criterion in enumerate(CRITERIA):
            level = 1 + (index * 7 + position * 3 + index // 11) % 3
            own = 1 + (index + position) % 3
            rows.append(
                (
                    rid,
                    tambon,
                    criterion,
                    own,
                    "",
                    "[]",
                    who,
                    level,
                    "",
                    "[]",
                    who,
                    own != level,
                    "ตกลงร่วมกันแล้ว" if own != level else None,
                    level,
                    "reviewed",
                    who,
                    now,
                    who,
                    now,
                    now,
                    now,
                    2,
                )
            )
    connection = await asyncpg.connect(database_url)
    try:
        await connection.copy_records_to_table(
            "round_items", schema_name="assessment", records=rows, columns=COPY_COLUMNS
        )
        await connection.execute("ANALYZE assessment.round_items")
    finally:
        await connection.close()
    return len(rows)


async def _vacuum(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("VACUUM ANALYZE assessment.round_items")
    finally:
        await connection.close()


COPY_COLUMNS = [
    "round_id",
    "area_code",
    "criterion",
    "self_level",
    "self_comment",
    "self_evidence",
    "self_by",
    "team_level",
    "team_comment",
    "team_evidence",
    "team_by",
    "flagged",
    "dialogue_note",
    "level",
    "status",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
    "version",
]


async def _p50(call: Callable[[], Awaitable[object]]) -> float:
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def _compare(service_url: str, database_url: str, round_id: str) -> tuple[float, float, str]:
    async with httpx.AsyncClient(base_url=service_url, timeout=60) as client:
        connection = await asyncpg.connect(database_url)
        try:

            async def served() -> Any:
                response = await client.get(f"/v1/rounds/{round_id}/results", params={"level": "province"})
                response.raise_for_status()
                return response.json()

            async def bare() -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
                rid = uuid.UUID(round_id)
                counts = await connection.fetch(BARE_COUNTS, rid)
                overall = await connection.fetch(BARE_OVERALL, rid, CRITERIA, WEIGHTS)
                return counts, overall

            agree = _agree(await served(), await bare())
            for _ in range(3):
                await served()
                await bare()
            ours, theirs = [], []
            for round_ in range(ROUNDS):
                first, second = (served, bare) if round_ % 2 == 0 else (bare, served)
                a, b = await _p50(first), await _p50(second)
                ours.append(a if first is served else b)
                theirs.append(b if first is served else a)
        finally:
            await connection.close()
    return statistics.median(ours), statistics.median(theirs), agree


def _agree(served: dict[str, Any], bare: tuple[list[asyncpg.Record], list[asyncpg.Record]]) -> str:
    """Both sides must give the same counts, or the comparison means nothing."""
    counts, overall = bare
    theirs_counts = {(r["province"], r["criterion"], r["level"]): r["n"] for r in counts}
    theirs_overall = {(r["province"], r["level"]): r["n"] for r in overall}
    ours_counts: dict[tuple[str, str, int], int] = {}
    ours_overall: dict[tuple[str, int], int] = defaultdict(int)
    for group in served["groups"]:
        for level, n in enumerate(group["overall"]["distribution"], start=1):
            if n:
                ours_overall[(group["area_code"], level)] = n
        for criterion in group["criteria"]:
            for level, n in enumerate(criterion["distribution"], start=1):
                if n:
                    ours_counts[(group["area_code"], criterion["code"], level)] = n
    if ours_counts != theirs_counts or dict(ours_overall) != theirs_overall:
        raise AssertionError("the round's results and the bare aggregate disagree")
    return f"{len(ours_counts) + len(ours_overall)} counts agree"


def run(ctx: Context) -> list[Result]:
    stack = ctx.stack()
    round_id = _define(stack.gateway_url)
    database_url = stack.state["database_url"]
    items = asyncio.run(_load(database_url, round_id))
    _publish(stack.gateway_url, round_id)
    asyncio.run(_vacuum(database_url))  # publishing rewrote every row: both sides read the table settled
    service_url = stack.state["services"]["assessment"]
    ours, theirs, agree = asyncio.run(_compare(service_url, database_url, round_id))
    result = judge(
        f"round results p50, level=province, {items:,} levels",
        ours,
        "ms",
        baseline_name=f"hand-written SQL aggregates over the same rows (asyncpg), p50; {agree}",
        baseline_value=theirs,
        goal=GOAL,
        note=f"{ROUNDS} ABBA rounds of {REQUESTS} sequential requests each; medians of the rounds' p50s",
    )
    if not result.met:

        def drive(seconds: float) -> None:
            deadline = time.monotonic() + seconds
            with httpx.Client(base_url=service_url, timeout=60) as client:
                while time.monotonic() < deadline:
                    client.get(f"/v1/rounds/{round_id}/results", params={"level": "province"})

        pid = stack.pid("assessment")
        result = Result(**{**result.as_json(), "why": explain({}, {"assessment": pid} if pid else {}, drive)})
    return [result]


BENCHMARK = Benchmark(
    name="assessment_results",
    order=38,
    summary="a national round's results (7,436 tambons × 10 criteria) vs hand-written SQL aggregates",
    run=run,
)
