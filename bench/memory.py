"""(d) Memory of the whole embedded stack at rest: supervisor, zygote, apps, workers, edge, PostgreSQL, Redis.

Judged on PSS (a shared page split between the processes that map it, so the sum is what the stack costs):
the app processes are forked from one zygote and share its pages copy-on-write, which RSS would count once
per process. RSS is printed beside it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from bench.context import SETTLE_SECONDS, Context
from bench.processes import MemorySnapshot, memory_of
from bench.registry import Benchmark, Goal, Result, judge

MIB = 1024 * 1024
GOAL = Goal("value", "<", 614, "MiB")  # 0.6 GiB


def run(ctx: Context) -> list[Result]:
    ctx.stack()
    baseline = memory_of(ctx.hello().roles)
    # after the load runs (when they ran first): pools have grown, so this is the larger "at rest" figure
    time.sleep(SETTLE_SECONDS)
    now = memory_of(ctx.stack_roles())
    at_start = ctx.memory_at_start
    note = f"{now.processes} processes; RSS sum {now.rss_bytes / MIB:.0f} MiB (shared pages once per process)"
    if at_start is not None and at_start is not now:
        rss, pss = at_start.rss_bytes / MIB, at_start.pss_bytes / MIB
        note += f"; right after start: PSS {pss:.0f} MiB, RSS {rss:.0f} MiB"
    note += f"; {breakdown(now)}"
    result = judge(
        "stack PSS at rest (sum of all processes)",
        now.pss_bytes / MIB,
        "MiB",
        baseline_name="bare FastAPI hello process PSS",
        baseline_value=baseline.pss_bytes / MIB,
        goal=GOAL,
        note=note,
    )
    if not result.met:
        heaviest, pss = max(now.pss_by_role.items(), key=lambda item: item[1])
        why = f"{breakdown(now)}\nheaviest: {heaviest} (PSS {pss / MIB:.0f} MiB)"
        result = replace(result, why=why)
    return [result]


def breakdown(snapshot: MemorySnapshot) -> str:
    ordered = sorted(snapshot.pss_by_role.items(), key=lambda item: item[1], reverse=True)
    return "PSS / RSS by process (with its children): " + ", ".join(
        f"{role} {pss / MIB:.0f} / {snapshot.rss_by_role[role] / MIB:.0f} MiB" for role, pss in ordered
    )


BENCHMARK = Benchmark(
    name="memory",
    order=40,
    summary="PSS (and RSS) summed over every process of the embedded stack at rest (psutil), vs one hello",
    run=run,
)
