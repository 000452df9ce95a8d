"""(a) A service's own GET endpoint against a bare FastAPI hello-world, both under the same uvicorn flags."""

from __future__ import annotations

from dataclasses import replace

from bench.context import Context
from bench.load import Measurement
from bench.profile import explain
from bench.registry import Benchmark, Goal, Result, judge

CONNECTIONS = 8
GOAL = Goal("ratio", ">=", 0.5)


def funds_url(ctx: Context) -> str:
    return ctx.stack().service_url("funds") + ctx.fund_path()


def funds_direct(ctx: Context, connections: int) -> Measurement:
    """`GET /v1/funds/{id}` (anonymous, public) on the funds service's own port; gateway.py reuses it."""
    return ctx.once(
        f"funds-direct-c{connections}", lambda: ctx.load(funds_url(ctx), connections, ctx.stack_roles())
    )


def hello(ctx: Context, connections: int) -> Measurement:
    server = ctx.hello()
    return ctx.once(f"hello-c{connections}", lambda: ctx.load(server.url + "/", connections, server.roles))


def run(ctx: Context) -> list[Result]:
    baseline = hello(ctx, CONNECTIONS)
    funds = funds_direct(ctx, CONNECTIONS)
    result = judge(
        f"funds GET /v1/funds/{{id}} direct, c={CONNECTIONS}",
        funds.requests_per_s,
        "req/s",
        baseline_name=f"bare FastAPI hello, c={CONNECTIONS}",
        baseline_value=baseline.requests_per_s,
        goal=GOAL,
        note=f"funds {funds.describe()}; hello {baseline.describe()}",
    )
    if not result.met:
        targets = {"funds": ctx.stack_roles()["funds"]}
        why = explain(funds.cpu_percent, targets, ctx.drive(funds_url(ctx), CONNECTIONS))
        result = replace(result, why=why)
    return [result]


BENCHMARK = Benchmark(
    name="http_service",
    order=20,
    summary="funds GET on its own port vs a bare FastAPI hello (uvicorn, uvloop, httptools, 1 worker)",
    run=run,
)
