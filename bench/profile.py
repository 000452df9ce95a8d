"""Why a goal was missed: CPU per process during the run, and where the busiest Python processes spent it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.processes import describe_cpu

ROOT = Path(__file__).resolve().parent.parent
TOP_FUNCTIONS = 8


def py_spy() -> str | None:
    """py-spy from the virtualenv or PATH (optional: without it a miss is explained by CPU only)."""
    beside_python = Path(sys.executable).parent / "py-spy"
    return str(beside_python) if beside_python.exists() else shutil.which("py-spy")


def explain(
    cpu_percent: dict[str, float],
    targets: dict[str, int],
    drive_load: Callable[[float], object],
    seconds: float = 5.0,
) -> str:
    """CPU per process during the measured run, then a py-spy profile of `targets` under `drive_load`."""
    cores = os.cpu_count()
    lines = [f"CPU during the measured run (100% = one core, {cores} here): {describe_cpu(cpu_percent)}"]
    tool = py_spy()
    if tool is None:
        lines.append("no py-spy installed: install it (`uv pip install py-spy`) for where the time went")
        return "\n".join(lines)
    with tempfile.TemporaryDirectory(prefix="khabuan-bench-profile-") as folder:
        recorders = {
            role: subprocess.Popen(
                [
                    *(tool, "record", "--pid", str(pid), "--duration", str(round(seconds)), "--rate", "200"),
                    *("--format", "raw", "--nonblocking", "--output", f"{folder}/{role}.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for role, pid in targets.items()
        }
        drive_load(seconds + 1)
        for role, recorder in recorders.items():
            _, error = recorder.communicate(timeout=seconds + 30)
            stacks = Path(folder) / f"{role}.txt"
            if recorder.returncode != 0 or not stacks.exists():
                lines.append(f"py-spy could not profile {role}: {error.strip()[-300:]}")
                continue
            lines.append(summarise(role, stacks.read_text()))
    return "\n".join(lines)


def summarise(role: str, collapsed: str) -> str:
    """Top functions by own time, and our own code's functions by time including what they call."""
    own: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_short(frame) for frame in stack.split(";")]
        own[frames[-1]] += count
        by_package[_package(frames[-1])] += count
        for frame in set(frames):
            # entry points (`<module>`, `main`) hold every request: they would top the list and say nothing
            if frame.split(" ")[0] not in ("<module>", "main") and (
                "(services/" in frame or "(gateway/" in frame
            ):
                ours[frame] += count
    if not total:
        return f"{role}: py-spy took no samples (the process was idle)"
    packages = ", ".join(f"{name} {100 * n / total:.0f}%" for name, n in by_package.most_common(10))
    lines = [f"{role}: {total} samples while busy; own time by package: {packages}", f"{role}: own time:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(TOP_FUNCTIONS)]
    if ours:
        lines.append(f"{role}: Khabuan code, including what it calls:")
        lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in ours.most_common(TOP_FUNCTIONS)]
    return "\n".join(lines)


def _package(frame: str) -> str:
    """`name (sqlalchemy/sql/x.py)` → `sqlalchemy`; our own code keeps two levels (`services/common`)."""
    path = frame.rpartition(" (")[2].rstrip(")")
    parts = path.split("/")
    if parts[0] in ("services", "gateway") and len(parts) > 2:
        return "/".join(parts[:2])
    return parts[0].removesuffix(".py") if len(parts) > 1 or path.endswith(".py") else path or "?"


def _short(frame: str) -> str:
    """`name (path:line)` → `name (package/module.py)`: lines dropped so a function's samples add up."""
    name, _, location = frame.partition(" (")
    path = location.rstrip(")").rpartition(":")[0]
    for anchor in ("site-packages/", f"{ROOT}/", "lib/python3"):
        if anchor in path:
            path = path.split(anchor, 1)[1]
            break
    return f"{name} ({path})"
