"""`make bench`: run every benchmark (or those named), print the table, write bench/results/latest.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.context import Context
from bench.registry import Benchmark, Result, discover

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
COLUMNS = ("name", "value", "unit", "baseline", "baseline value", "ratio", "goal", "met")


def main(argv: Sequence[str] | None = None) -> int:
    benchmarks = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured load per run (default 10)")
    parser.add_argument("--warmup", type=float, default=5.0, help="warm-up load before each run (default 5)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 3 when a goal is missed")
    args = parser.parse_args(argv)
    if args.list:
        for benchmark in benchmarks:
            print(f"{benchmark.name:<16} {benchmark.summary}")
        return 0
    unknown = set(args.names) - {benchmark.name for benchmark in benchmarks}
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))} (see --list)")
    chosen = [b for b in benchmarks if not args.names or b.name in args.names]

    started = time.monotonic()
    results, failures = run_all(chosen, Context(warmup=args.warmup, seconds=args.seconds))
    print(render(results, failures))
    write_json(args.output, results, failures, time.monotonic() - started)
    print(f"\nwrote {args.output} ({time.monotonic() - started:.0f} s)")
    if failures:
        return 1
    return 3 if args.fail_on_miss and not all(result.met for result in results) else 0


def run_all(benchmarks: list[Benchmark], ctx: Context) -> tuple[list[Result], dict[str, str]]:
    results: list[Result] = []
    failures: dict[str, str] = {}
    try:
        for benchmark in benchmarks:
            print(f"bench: {benchmark.name}: {benchmark.summary}…", flush=True)
            began = time.monotonic()
            try:
                results += benchmark.run(ctx)
            except Exception as exc:  # one broken benchmark must not hide the others' results
                traceback.print_exc()
                failures[benchmark.name] = f"{type(exc).__name__}: {exc}"
            print(f"bench: {benchmark.name} took {time.monotonic() - began:.0f} s", flush=True)
    finally:
        ctx.close()
    return results, failures


def render(results: list[Result], failures: dict[str, str]) -> str:
    rows = [
        (
            r.name,
            _number(r.value),
            r.unit,
            r.baseline_name,
            _number(r.baseline_value),
            _number(r.ratio),
            r.goal,
            "yes" if r.met else "NO",
        )
        for r in results
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(COLUMNS, *rows, strict=False)]
    lines = ["", _line(COLUMNS, widths), _line(tuple("-" * width for width in widths), widths)]
    lines += [_line(row, widths) for row in rows]
    for result in results:
        if result.note:
            lines.append(f"\n{result.name}: {result.note}")
    for result in results:
        if not result.met:
            why = result.why or "(no explanation captured)"
            lines.append(f"\nMISSED {result.name} ({result.goal}); why:\n{why}")
    for name, failure in failures.items():
        lines.append(f"\nFAILED {name}: {failure}")
    return "\n".join(lines)


def write_json(path: Path, results: list[Result], failures: dict[str, str], seconds: float) -> None:
    document: dict[str, Any] = {
        "benchmarks": [result.as_json() for result in results],
        "failures": [{"name": name, "error": error} for name, error in failures.items()],
        "run": {
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "machine": platform.machine(),
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def _line(cells: Sequence[str], widths: list[int]) -> str:
    return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


if __name__ == "__main__":
    sys.exit(main())
