"""What a benchmark is, what it reports, and how `python -m bench` finds them: one module, one `BENCHMARK`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from bench.context import Context


@dataclass(frozen=True)
class Goal:
    """A bound on a result's value (in its unit) or on its ratio to the baseline."""

    on: Literal["value", "ratio"]
    op: Literal[">=", "<=", "<"]
    bound: float
    unit: str = ""

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit and self.on == "value" else ""
        return f"{self.on} {self.op} {self.bound:g}{unit}"

    def met_by(self, value: float, ratio: float | None) -> bool:
        measured = value if self.on == "value" else ratio
        if measured is None:
            return False
        if self.op == ">=":
            return measured >= self.bound
        if self.op == "<=":
            return measured <= self.bound
        return measured < self.bound


@dataclass(frozen=True)
class Result:
    """One row of the table and of bench/results/latest.json."""

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float | None
    ratio: float | None
    goal: str
    met: bool
    why: str | None = None  # filled when the goal is missed: where the time or memory went
    note: str | None = None  # context worth keeping next to the number (other measurements, method)

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None or key == "ratio"}


def judge(
    name: str,
    value: float,
    unit: str,
    *,
    baseline_name: str,
    baseline_value: float | None,
    goal: Goal,
    ratio: float | None = None,
    note: str | None = None,
) -> Result:
    """A result with its ratio (value / baseline unless given) and whether it meets its goal."""
    if ratio is None and baseline_value:
        ratio = value / baseline_value
    return Result(
        name=name,
        value=value,
        unit=unit,
        baseline_name=baseline_name,
        baseline_value=baseline_value,
        ratio=ratio,
        goal=goal.describe(),
        met=goal.met_by(value, ratio),
        note=note,
    )


@dataclass(frozen=True)
class Benchmark:
    """`order` sets the running order: cold starts first (quiet machine), memory after the load runs."""

    name: str
    order: int
    summary: str
    run: Callable[[Context], list[Result]]


def discover() -> list[Benchmark]:
    """Every module of this package that defines `BENCHMARK`, in running order."""
    import bench

    found = []
    for module in pkgutil.iter_modules(bench.__path__):
        if module.name.startswith("_"):
            continue
        candidate = getattr(importlib.import_module(f"bench.{module.name}"), "BENCHMARK", None)
        if isinstance(candidate, Benchmark):
            found.append(candidate)
    return sorted(found, key=lambda benchmark: (benchmark.order, benchmark.name))
