"""(g, c) Plans search at national scale: `GET /v1/search?q=ธนาคารปู` over 111,540 activities (one per
tambon, year and issue: 7,436 tambons × 3 fiscal years × 5 issues, titled as people title them — the issue
and the tambon's name) in 231 projects, against the bare trigram query a person would write for the same
hits (`… WHERE title_th ILIKE '%ธนาคารปู%' ORDER BY similarity(title_th, 'ธนาคารปู') DESC LIMIT 20`).

The rows are written in bulk (COPY into `plans.projects` and `plans.activities`, then ANALYZE); the search
is the service's (anonymous, on the plans service's own port, one request at a time). The two alternate in
rounds (ABBA), each round's p50 kept; the medians of the rounds are compared.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
import geothai
import httpx

from bench.context import Context
from bench.profile import explain
from bench.registry import Benchmark, Goal, Result, judge

YEARS = (2591, 2592, 2593)  # years no demo or other benchmark uses
ISSUES = (
    ("crab_bank", "ธนาคารปูม้าชุมชน"),
    ("housing", "บ้านมั่นคงชนบท"),
    ("welfare", "กองทุนสวัสดิการชุมชน"),
    ("savings", "กลุ่มออมทรัพย์เพื่อการผลิต"),
    ("agriculture", "เกษตรอินทรีย์วิถีชุมชน"),
)
QUERY = "ธนาคารปู"
ROUNDS, REQUESTS, LIMIT = 4, 25, 20
GOAL = Goal("ratio", "<=", 2.0)
BARE = (
    "SELECT id, title_th, similarity(title_th, $1) AS score FROM plans.activities "
    "WHERE title_th ILIKE '%' || $1 || '%' ORDER BY score DESC, title_th, id LIMIT $2"
)


async def _load(database_url: str) -> int:
    now, author = datetime.now(UTC), str(uuid.uuid4())
    projects, activities = [], []
    for province in geothai.provinces():
        for year in YEARS:
            project = uuid.uuid4()
            projects.append(
                (project, province.code, year, f"โครงการบูรณาการจังหวัด{province.name_th} {year}", "", "planned")
            )
            for district in geothai.districts(province.code):
                for tambon in geothai.subdistricts(district.code):
                    for issue, title in ISSUES:
                        activities.append(
                            (uuid.uuid4(), project, tambon.code, f"{title}ตำบล{tambon.name_th}", issue)
                        )
    connection = await asyncpg.connect(database_url)
    try:
        await connection.copy_records_to_table(
            "projects",
            schema_name="plans",
            records=[(*row, 0, 0, author, 1, now, now) for row in projects],
            columns=[
                "id",
                "province_code",
                "fiscal_year",
                "title_th",
                "summary",
                "status",
                "weighted_progress",
                "weight_total",
                "created_by",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        await connection.copy_records_to_table(
            "activities",
            schema_name="plans",
            records=[(*row, 0, 1, 0, author, 1, now, now) for row in activities],
            columns=[
                "id",
                "project_id",
                "area_code",
                "title_th",
                "issue",
                "budget_satang",
                "weight",
                "progress_percent",
                "created_by",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        await connection.execute("ANALYZE plans.projects")
        await connection.execute("ANALYZE plans.activities")
    finally:
        await connection.close()
    return len(activities)


async def _p50(call: Callable[[], Awaitable[object]]) -> float:
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def _compare(plans_url: str, database_url: str) -> tuple[float, float]:
    async with httpx.AsyncClient(base_url=plans_url, timeout=30) as client:
        connection = await asyncpg.connect(database_url)
        try:

            async def search() -> object:
                response = await client.get("/v1/search", params={"q": QUERY, "limit": LIMIT})
                response.raise_for_status()
                if len(response.json()["items"]) != LIMIT:
                    raise AssertionError("the search did not find a full page")
                return response

            async def bare() -> object:
                return await connection.fetch(BARE, QUERY, LIMIT)

            for _ in range(3):
                await search()
                await bare()
            ours, theirs = [], []
            for round_ in range(ROUNDS):
                first, second = (search, bare) if round_ % 2 == 0 else (bare, search)
                a, b = await _p50(first), await _p50(second)
                ours.append(a if first is search else b)
                theirs.append(b if first is search else a)
        finally:
            await connection.close()
    return statistics.median(ours), statistics.median(theirs)


def run(ctx: Context) -> list[Result]:
    stack = ctx.stack()
    database_url, plans_url = stack.state["database_url"], stack.state["services"]["plans"]
    count = asyncio.run(_load(database_url))
    ours, theirs = asyncio.run(_compare(plans_url, database_url))
    result = judge(
        f"search p50, q={QUERY}, {count:,} activities",
        ours,
        "ms",
        baseline_name="the bare trigram query over activities (asyncpg), p50",
        baseline_value=theirs,
        goal=GOAL,
        note=f"{ROUNDS} ABBA rounds of {REQUESTS} sequential requests; top {LIMIT} by title similarity",
    )
    if not result.met:

        def drive(seconds: float) -> None:
            deadline = time.monotonic() + seconds
            with httpx.Client(base_url=plans_url, timeout=30) as client:
                while time.monotonic() < deadline:
                    client.get("/v1/search", params={"q": QUERY, "limit": LIMIT})

        plans_pid = stack.pid("plans")
        why = explain({}, {"plans": plans_pid} if plans_pid else {}, drive)
        result = Result(**{**result.as_json(), "why": why})
    return [result]


BENCHMARK = Benchmark(
    name="plans_search",
    order=37,
    summary="search over 111,540 activities vs the bare trigram query",
    run=run,
)
