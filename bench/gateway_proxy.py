"""(b) The same funds GET through the gateway against the funds service's own port: throughput and latency."""

from __future__ import annotations

from dataclasses import replace

from bench.context import Context
from bench.http_service import funds_direct
from bench.load import Measurement
from bench.profile import explain
from bench.registry import Benchmark, Goal, Result, judge

THROUGHPUT_CONNECTIONS = 8
LATENCY_CONNECTIONS = 1
THROUGHPUT_GOAL = Goal("ratio", ">=", 0.6)
ADDED_LATENCY_GOAL = Goal("value", "<=", 1.5, "ms")


def through_gateway(ctx: Context, connections: int) -> Measurement:
    url = ctx.stack().gateway_url + ctx.fund_path()
    return ctx.once(f"funds-gateway-c{connections}", lambda: ctx.load(url, connections, ctx.stack_roles()))


def run(ctx: Context) -> list[Result]:
    direct = funds_direct(ctx, THROUGHPUT_CONNECTIONS)
    proxied = through_gateway(ctx, THROUGHPUT_CONNECTIONS)
    throughput = judge(
        f"funds GET via gateway, c={THROUGHPUT_CONNECTIONS}",
        proxied.requests_per_s,
        "req/s",
        baseline_name=f"funds GET direct, c={THROUGHPUT_CONNECTIONS}",
        baseline_value=direct.requests_per_s,
        goal=THROUGHPUT_GOAL,
        note=f"gateway {proxied.describe()}; direct {direct.describe()}",
    )
    direct_one = funds_direct(ctx, LATENCY_CONNECTIONS)
    proxied_one = through_gateway(ctx, LATENCY_CONNECTIONS)
    latency = judge(
        f"gateway added p50 latency, c={LATENCY_CONNECTIONS}",
        proxied_one.p50_ms - direct_one.p50_ms,
        "ms",
        baseline_name=f"funds GET direct p50, c={LATENCY_CONNECTIONS}",
        baseline_value=direct_one.p50_ms,
        ratio=proxied_one.p50_ms / direct_one.p50_ms,
        goal=ADDED_LATENCY_GOAL,
        note=f"gateway {proxied_one.describe()}; direct {direct_one.describe()}",
    )
    results = []
    for result, measured, connections in (
        (throughput, proxied, THROUGHPUT_CONNECTIONS),
        (latency, proxied_one, LATENCY_CONNECTIONS),
    ):
        if not result.met:
            roles = ctx.stack_roles()
            targets = {"gateway": roles["gateway"], "funds": roles["funds"]}
            drive = ctx.drive(ctx.stack().gateway_url + ctx.fund_path(), connections)
            result = replace(result, why=explain(measured.cpu_percent, targets, drive))
        results.append(result)
    return results


BENCHMARK = Benchmark(
    name="gateway_proxy",
    order=30,
    summary="funds GET through the gateway vs direct: throughput at c=8, added median latency at c=1",
    run=run,
)
