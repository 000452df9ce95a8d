"""HTTP load with wrk: one tool, one thread, fixed connections, a warm-up run, then the measured run."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import CpuWatch, Roles

MARKER = "BENCH_JSON "
# wrk calls done() once at the end; latencies are in microseconds
REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d,'
    .. ' "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\\n',
    "MARKER", summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
""".replace("MARKER", MARKER)


class LoadError(RuntimeError):
    """The load tool is missing or the run was not clean (errors, non-2xx answers)."""


@dataclass(frozen=True)
class Measurement:
    url: str
    connections: int
    seconds: float
    requests: int
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    cpu_percent: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        return (
            f"{self.requests_per_s:,.0f} req/s, p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms "
            f"at c={self.connections}"
        )


def ensure_wrk() -> str:
    """wrk's path; installs the Debian package when we are root with apt-get, else says what to do."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing wrk (apt-get install -y wrk)…", flush=True)
        installed = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
        if installed.returncode != 0:
            subprocess.run(["apt-get", "update"], capture_output=True)
            installed = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
        found = shutil.which("wrk")
        if found:
            return found
        raise LoadError(f"apt-get could not install wrk:\n{installed.stderr[-2000:]}")
    raise LoadError(
        "the benchmarks need the load tool wrk: install it (Debian/Ubuntu: `sudo apt-get install wrk`, "
        "macOS: `brew install wrk`) and run `make bench` again"
    )


def measure(
    url: str,
    *,
    connections: int,
    seconds: float,
    warmup: float,
    roles: Roles | None = None,
    script: Callable[[], str] = lambda: REPORT_SCRIPT,
    label: str | None = None,
) -> Measurement:
    """Warm up, then measure; the CPU of each role in `roles` (and of wrk itself) is read over the run.

    `script` gives each run's Lua (it must include REPORT_SCRIPT; a new one per run, e.g. fresh keys);
    `label` names what was measured when `url` alone does not say it."""
    wrk = ensure_wrk()

    def run(duration: float) -> dict[str, int]:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(script())
        try:
            return _run_wrk(wrk, lua.name, url, connections, duration)
        finally:
            Path(lua.name).unlink(missing_ok=True)

    if warmup > 0:
        run(warmup)
    watch = CpuWatch(roles or {})
    watch.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = run(seconds)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    usage = watch.stop()
    elapsed = report["duration_us"] / 1e6
    wrk_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    usage["wrk (load tool)"] = round(100 * wrk_cpu / elapsed, 1)
    others = "everything else on the machine"
    usage[others] = round(max(0.0, usage.get(others, 0.0) - usage["wrk (load tool)"]), 1)
    return Measurement(
        url=label or url,
        connections=connections,
        seconds=elapsed,
        requests=report["requests"],
        requests_per_s=report["requests"] / elapsed,
        p50_ms=report["p50_us"] / 1000,
        p90_ms=report["p90_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        cpu_percent=usage,
    )


def _run_wrk(wrk: str, script: str, url: str, connections: int, seconds: float) -> dict[str, int]:
    duration = f"-d{max(1, round(seconds))}s"
    argv = [wrk, "-t1", f"-c{connections}", duration, "--timeout", "5s", "-s", script, url]
    finished = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30)
    lines = [line for line in finished.stdout.splitlines() if line.startswith(MARKER)]
    if finished.returncode != 0 or not lines:
        raise LoadError(f"wrk failed on {url}: {finished.stderr.strip() or finished.stdout.strip()}")
    report: dict[str, int] = json.loads(lines[-1][len(MARKER) :])
    failures = {key: report[key] for key in ("connect", "read", "write", "status", "timeout") if report[key]}
    if failures:
        raise LoadError(f"wrk saw errors on {url} ({report['requests']} requests): {failures}")
    return report
