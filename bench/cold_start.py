"""(c) `python -m khabuan run` to a healthy gateway /health: on fresh data, then again on that data."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import psutil

from bench.context import STACK_ENV, Context
from bench.processes import machine_busy_seconds
from bench.registry import Benchmark, Goal, Result, judge
from khabuan import embedded
from tests.stackrunner import start_stack

GOAL = Goal("value", "<", 10, "s")
PROCESS_STARTED = re.compile(r"^(?P<at>\S+Z) .*stack\.process_started .*process=(?P<process>[\w-]+)")


@dataclass(frozen=True)
class StartTiming:
    seconds: float
    phases: list[tuple[str, float]]
    stack_cpu_percent: float  # the supervisor and everything it ran, 100 % = one core
    machine_cpu_percent: float  # all processes on the machine

    def describe(self) -> str:
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases)
        steps = steps or "no phase timestamps found"
        others = max(0.0, self.machine_cpu_percent - self.stack_cpu_percent)
        cpu = f"CPU: stack {self.stack_cpu_percent:.0f}%, rest of machine {others:.0f}%"
        return f"{self.seconds:.2f} s ({steps}; {cpu})"


def time_to_healthy(data_dir: Path) -> StartTiming:
    """Seconds from launching the supervisor to the gateway's /health answering 200 (polled every 0.25 s)."""
    launched_wall, started, busy = time.time(), time.monotonic(), machine_busy_seconds()
    stack = start_stack(data_dir, env=STACK_ENV)
    elapsed = time.monotonic() - started
    machine = 100 * (machine_busy_seconds() - busy) / elapsed
    spent = stack_cpu_seconds(stack.process.pid)
    phases = start_phases(data_dir, launched_wall, launched_wall + elapsed)
    stack.stop()
    return StartTiming(elapsed, phases, 100 * spent / elapsed, machine)


def stack_cpu_seconds(supervisor_pid: int) -> float:
    """CPU used so far by the supervisor and every descendant, live or finished (finished ones are reaped:
    their time is in their parent's children times)."""
    supervisor = psutil.Process(supervisor_pid)
    spent = 0.0
    for process in [supervisor, *supervisor.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            spent += times.user + times.system + times.children_user + times.children_system
    return spent


def start_phases(data_dir: Path, launched: float, healthy: float) -> list[tuple[str, float]]:
    """Where the start went, from the supervisor's and the setup step's log timestamps (UTC, ISO 8601)."""
    started: dict[str, float] = {}
    for line in (data_dir / "supervisor.out").read_text(errors="replace").splitlines():
        match = PROCESS_STARTED.match(line)
        if match:
            started.setdefault(match["process"], _epoch(match["at"]))
    seeded = [
        _epoch(line.split()[0])
        for line in (data_dir / "logs" / "setup.log").read_text(errors="replace").splitlines()
        if "auth.demo_accounts_ready" in line
    ]
    if "postgres" not in started or "redis" not in started or not seeded:
        return []
    apps = min(at for name, at in started.items() if name not in ("postgres", "redis"))
    marks = [
        ("supervisor start-up (+ initdb if fresh)", launched, started["postgres"]),
        ("PostgreSQL ready + Redis", started["postgres"], started["redis"]),
        ("setup: migrate + signing key + seed", started["redis"], seeded[-1]),
        ("launch the first app process", seeded[-1], apps),
        ("app processes to healthy gateway", apps, healthy),
    ]
    return [(name, max(0.0, end - begin)) for name, begin, end in marks]


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def postgres_alone(pgdata: Path) -> float:
    """The part no Khabuan code can shorten: the embedded PostgreSQL's initdb and start to pg_isready."""
    started = time.monotonic()
    run_as = embedded.postgres_run_as(pgdata)
    embedded.init_postgres(pgdata, run_as)
    port = embedded.free_port()
    server = subprocess.Popen(
        embedded.postgres_argv(pgdata, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=run_as.become if run_as else None,  # PostgreSQL refuses to run as root
    )
    try:
        while not embedded.pg_isready(port):
            if server.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited with {server.returncode} in {pgdata}")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def run(ctx: Context) -> list[Result]:
    baseline = postgres_alone(ctx.workdir / "postgres-alone" / "postgres")
    data_dir = ctx.workdir / "cold-start"
    fresh = time_to_healthy(data_dir)
    again = time_to_healthy(data_dir)
    result = judge(
        "cold start to healthy /health, fresh data",
        fresh.seconds,
        "s",
        baseline_name="embedded PostgreSQL initdb + start alone",
        baseline_value=baseline,
        goal=GOAL,
        note=f"fresh data: {fresh.describe()}; second start on that data: {again.describe()}",
    )
    if not result.met:
        slowest = max(fresh.phases, key=lambda phase: phase[1], default=("unknown", 0.0))
        why = (
            f"fresh start phases: {fresh.describe()}\n"
            f"slowest phase: {slowest[0]} ({slowest[1]:.1f} s); each step logs to <data>/logs/"
        )
        result = replace(result, why=why)
    return [result]


BENCHMARK = Benchmark(
    name="cold_start",
    order=10,
    summary="make-run equivalent to a healthy gateway, fresh data folder (and a second start on that data)",
    run=run,
)
