"""(d) Resident memory of the whole embedded stack at rest: supervisor, apps, workers, PostgreSQL, Redis."""

from __future__ import annotations

import time
from dataclasses import replace

from bench.context import SETTLE_SECONDS, Context
from bench.processes import MemorySnapshot, memory_of
from bench.registry import Benchmark, Goal, Result, judge

MIB = 1024 * 1024
GOAL = Goal("value", "<", 1536, "MiB")


def run(ctx: Context) -> list[Result]:
    ctx.stack()
    baseline = memory_of(ctx.hello().roles)
    # after the load runs (when they ran first): pools have grown, so this is the larger "at rest" figure
    time.sleep(SETTLE_SECONDS)
    now = memory_of(ctx.stack_roles())
    at_start = ctx.memory_at_start
    note = f"{now.processes} processes; PSS sum {now.pss_bytes / MIB:.0f} MiB (shared pages counted once)"
    if at_start is not None and at_start is not now:
        rss, pss = at_start.rss_bytes / MIB, at_start.pss_bytes / MIB
        note += f"; right after start: RSS {rss:.0f} MiB, PSS {pss:.0f} MiB"
    result = judge(
        "stack RSS at rest (sum of all processes)",
        now.rss_bytes / MIB,
        "MiB",
        baseline_name="bare FastAPI hello process RSS",
        baseline_value=baseline.rss_bytes / MIB,
        goal=GOAL,
        note=note,
    )
    if not result.met:
        result = replace(result, why=breakdown(now))
    return [result]


def breakdown(snapshot: MemorySnapshot) -> str:
    ordered = sorted(snapshot.rss_by_role.items(), key=lambda item: item[1], reverse=True)
    return "RSS by process (with its children): " + ", ".join(
        f"{role} {rss / MIB:.0f} MiB" for role, rss in ordered
    )


BENCHMARK = Benchmark(
    name="memory",
    order=40,
    summary="RSS summed over every process of the embedded stack at rest (psutil), vs one hello process",
    run=run,
)
