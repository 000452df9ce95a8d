"""Processes of a running stack grouped by role, with their memory and the CPU they used over a period."""

from __future__ import annotations

import time
from dataclasses import dataclass

import psutil

# pid of each role's main process; a role's group is that process and all its descendants
Roles = dict[str, int]


def role_groups(roles: Roles) -> dict[str, list[psutil.Process]]:
    """Each role's process and descendants, each process under one role only: the most specific one
    (the supervisor's group keeps only what no other role claims, e.g. the supervisor itself)."""
    groups: dict[str, list[psutil.Process]] = {}
    claimed: set[int] = set()
    # roles without descendants of other roles first, so the supervisor comes last
    for role, pid in sorted(roles.items(), key=lambda item: item[0] == "supervisor"):
        try:
            main = psutil.Process(pid)
            members = [main, *main.children(recursive=True)]
        except psutil.NoSuchProcess:
            members = []
        groups[role] = [process for process in members if process.pid not in claimed]
        claimed.update(process.pid for process in members)
    return groups


def stack_roles(supervisor_pid: int, processes: dict[str, int | None]) -> Roles:
    """The supervisor itself plus each process named in the stack's stack.json."""
    return {"supervisor": supervisor_pid, **{name: pid for name, pid in processes.items() if pid}}


@dataclass(frozen=True)
class MemorySnapshot:
    rss_bytes: int  # sum of resident set sizes: shared pages (PostgreSQL's buffers) counted once per process
    pss_bytes: int  # proportional set size: shared pages split between their users, so sums add up
    processes: int
    rss_by_role: dict[str, int]
    pss_by_role: dict[str, int]


def memory_of(roles: Roles) -> MemorySnapshot:
    """RSS and PSS summed over every process of every role (the supervisor's group excludes the others)."""
    rss_by_role: dict[str, int] = {}
    pss_by_role: dict[str, int] = {}
    count = 0
    for role, group in role_groups(roles).items():
        rss_by_role[role] = pss_by_role[role] = 0
        for process in group:
            try:
                info = process.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss_by_role[role] += info.rss
            pss_by_role[role] += info.pss
            count += 1
    return MemorySnapshot(
        sum(rss_by_role.values()), sum(pss_by_role.values()), count, rss_by_role, pss_by_role
    )


class CpuWatch:
    """CPU used by each role between `start()` and `stop()`, as % of one core (200 % = both cores here)."""

    def __init__(self, roles: Roles) -> None:
        self.roles = roles
        self._started: dict[str, dict[int, float]] = {}
        self._started_at = 0.0

    def start(self) -> None:
        # taken after the warm-up, so PostgreSQL backends and pooled connections already exist
        self._groups = role_groups(self.roles)
        self._started = {role: _cpu_seconds(group) for role, group in self._groups.items()}
        self._machine_started = machine_busy_seconds()
        self._started_at = time.monotonic()

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self._started_at
        usage: dict[str, float] = {}
        for role, group in self._groups.items():
            now = _cpu_seconds(group)
            spent = sum(now[pid] - before for pid, before in self._started[role].items() if pid in now)
            usage[role] = round(100 * spent / elapsed, 1) if elapsed > 0 else 0.0
        # everything else busy on the machine (other users' processes, the load tool): a noisy neighbour
        # shows up here rather than as a slow Khabuan
        machine = 100 * (machine_busy_seconds() - self._machine_started) / elapsed if elapsed > 0 else 0.0
        usage["everything else on the machine"] = round(max(0.0, machine - sum(usage.values())), 1)
        return usage


def _cpu_seconds(group: list[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for process in group:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def machine_busy_seconds() -> float:
    """Busy CPU seconds summed over all cores (guest time is already inside user time on Linux)."""
    times: dict[str, float] = psutil.cpu_times()._asdict()
    return sum(times.get(kind, 0.0) for kind in ("user", "nice", "system", "irq", "softirq"))


def describe_cpu(usage: dict[str, float]) -> str:
    busy = sorted(((share, role) for role, share in usage.items() if share >= 0.5), reverse=True)
    return ", ".join(f"{role} {share:.0f}%" for share, role in busy) or "no process was busy"
