"""(c) `python -m khabuan run` to a healthy public /health, every component up: on fresh data, then again on
that data (no initdb, migrations and seed with nothing to do)."""

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
from bench.processes import machine_busy_seconds, role_groups, stack_roles
from bench.registry import Benchmark, Goal, Result, judge
from khabuan import embedded
from tests.stackrunner import start_stack

FRESH_GOAL = Goal("value", "<", 6, "s")
SECOND_GOAL = Goal("value", "<", 4, "s")
PROCESS_STARTED = re.compile(r"^(?P<at>\S+Z) .*stack\.process_started .*process=(?P<process>[\w-]+)")
MARK = re.compile(r"^(?P<at>\S+Z) .*(?P<event>stack\.zygote_ready|stack\.ready)")


@dataclass(frozen=True)
class StartTiming:
    seconds: float
    phases: list[tuple[str, float]]
    stack_cpu_percent: float  # the supervisor and everything it ran, 100 % = one core
    machine_cpu_percent: float  # all processes on the machine
    cpu_seconds: dict[str, float]  # by process of stack.json (PostgreSQL with its backends)

    def describe(self) -> str:
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases)
        steps = steps or "no phase timestamps found"
        others = max(0.0, self.machine_cpu_percent - self.stack_cpu_percent)
        cpu = f"CPU: stack {self.stack_cpu_percent:.0f}%, rest of machine {others:.0f}%"
        ordered = sorted(self.cpu_seconds.items(), key=lambda item: item[1], reverse=True)
        by_process = ", ".join(f"{name} {seconds:.2f}" for name, seconds in ordered)
        return f"{self.seconds:.2f} s ({steps}; {cpu}; CPU seconds by process: {by_process})"


def time_to_healthy(data_dir: Path) -> StartTiming:
    """Seconds from launching the supervisor to the gateway's /health answering 200 (polled every 0.25 s)."""
    launched_wall, started, busy = time.time(), time.monotonic(), machine_busy_seconds()
    stack = start_stack(data_dir, env=STACK_ENV)
    elapsed = time.monotonic() - started
    machine = 100 * (machine_busy_seconds() - busy) / elapsed
    spent = stack_cpu_seconds(stack.process.pid)
    by_process = cpu_by_process(
        stack.process.pid, {name: stack.pid(name) for name in stack.state["processes"]}
    )
    phases = start_phases(data_dir, launched_wall, launched_wall + elapsed)
    stack.stop()
    return StartTiming(elapsed, phases, 100 * spent / elapsed, machine, by_process)


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


def cpu_by_process(supervisor_pid: int, pids: dict[str, int | None]) -> dict[str, float]:
    """CPU seconds so far of each listed process with its descendants, of the supervisor itself, and of the
    one-off commands it ran and reaped."""
    spent: dict[str, float] = {}
    for role, group in role_groups(stack_roles(supervisor_pid, pids)).items():
        for process in group:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                times = process.cpu_times()
                spent[role] = spent.get(role, 0.0) + times.user + times.system
    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
        times = psutil.Process(supervisor_pid).cpu_times()
        spent["reaped one-offs (setup, initdb, pg_isready)"] = times.children_user + times.children_system
    return spent


def start_phases(data_dir: Path, launched: float, healthy: float) -> list[tuple[str, float]]:
    """Where the start went, along its critical path, from the supervisor's log timestamps (UTC, ISO 8601)."""
    started: dict[str, float] = {}
    marks: dict[str, float] = {}
    for line in (data_dir / "supervisor.out").read_text(errors="replace").splitlines():
        if match := PROCESS_STARTED.match(line):
            started.setdefault(match["process"], _epoch(match["at"]))
        elif match := MARK.match(line):
            marks.setdefault(match["event"], _epoch(match["at"]))
    expected = {"zygote", "postgres", "redis", "setup", "workers", "edge"}
    if not expected <= set(started) or set(marks) != {"stack.zygote_ready", "stack.ready"}:
        return []
    zygote, ready = started["zygote"], marks["stack.zygote_ready"]
    first_app = min(at for name, at in started.items() if name not in ("zygote", "postgres", "redis"))
    steps = [
        ("supervisor start-up (the zygote forked at its end)", launched, zygote),
        (
            f"zygote imports ({ready - zygote:.1f} s) beside initdb and PostgreSQL"
            f" ({started['postgres'] - zygote:.1f} s to its start) and Redis",
            zygote,
            first_app,
        ),
        ("services forked", first_app, started["setup"]),
        ("setup: migrate + signing key + seed", started["setup"], started["workers"]),
        ("gateway app and workers to a healthy gateway app", started["workers"], started["edge"]),
        ("edge, every component up", started["edge"], marks["stack.ready"]),
        ("seen by the poll (every 0.25 s)", marks["stack.ready"], healthy),
    ]
    return [(name, max(0.0, end - begin)) for name, begin, end in steps]


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def postgres_alone(pgdata: Path) -> float:
    """What no Khabuan code can shorten: the embedded PostgreSQL's initdb (unless done) and start to ready."""
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
    pgdata = ctx.workdir / "postgres-alone" / "postgres"
    initdb_and_start = postgres_alone(pgdata)
    start_alone = postgres_alone(pgdata)  # initialised now: the second start's floor
    data_dir = ctx.workdir / "cold-start"
    fresh = time_to_healthy(data_dir)
    again = time_to_healthy(data_dir)
    return [
        _judged(
            "cold start to healthy /health, fresh data",
            fresh,
            ("embedded PostgreSQL initdb + start alone", initdb_and_start),
            FRESH_GOAL,
        ),
        _judged(
            "second start to healthy /health, same data",
            again,
            ("embedded PostgreSQL start alone, initialised data", start_alone),
            SECOND_GOAL,
        ),
    ]


def _judged(name: str, timing: StartTiming, baseline: tuple[str, float], goal: Goal) -> Result:
    result = judge(
        name,
        timing.seconds,
        "s",
        baseline_name=baseline[0],
        baseline_value=baseline[1],
        goal=goal,
        note=timing.describe(),
    )
    if not result.met:
        slowest = max(timing.phases, key=lambda phase: phase[1], default=("unknown", 0.0))
        why = (
            f"phases: {timing.describe()}\n"
            f"slowest phase: {slowest[0]} ({slowest[1]:.1f} s); each process logs to <data>/logs/, a busy"
            " machine shows as the rest of the machine's CPU"
        )
        result = replace(result, why=why)
    return result


BENCHMARK = Benchmark(
    name="cold_start",
    order=10,
    summary="make-run equivalent to a healthy public /health, fresh data folder, then again on that data",
    run=run,
)
