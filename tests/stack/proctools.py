"""Process bookkeeping for the stack tests: what a stack started, and what of it is still alive."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

import psutil

from tests.stackrunner import RunningStack


def is_alive(process: psutil.Process) -> bool:
    """Running (a zombie is dead: it holds no socket or file, it only waits to be reaped)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stack_tree(stack: RunningStack) -> list[psutil.Process]:
    """The supervisor, every pid listed in stack.json and all their descendants (postgres backends too)."""
    roots = [stack.process.pid, *stack.all_pids()]
    found: dict[int, psutil.Process] = {}
    for pid in roots:
        try:
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                found.setdefault(process.pid, process)
        except psutil.NoSuchProcess:
            continue
    return list(found.values())


def processes_of(data_dir: Path) -> list[psutil.Process]:
    """Live processes that belong to the stack on `data_dir`: its folder in their command line, their
    KHABUAN_DATA_DIR (the Python children inherit it) or their working directory (PostgreSQL, every
    backend included, works in its data folder and Redis in its own; both rewrite their command line
    and environment block for their process titles, so those say nothing)."""
    folder = str(data_dir.resolve())
    own = {os.getpid()}
    matches = []
    for process in psutil.process_iter():
        if process.pid in own or not is_alive(process):
            continue
        try:
            in_cmdline = any(folder in part for part in process.cmdline())
            in_env = process.environ().get("KHABUAN_DATA_DIR", "").rstrip("/") == folder
            in_folder = Path(process.cwd()).is_relative_to(folder)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if in_cmdline or in_env or in_folder:
            matches.append(process)
    return matches


def describe(processes: Iterable[psutil.Process]) -> list[str]:
    described = []
    for process in processes:
        try:
            described.append(f"{process.pid} {' '.join(filter(None, process.cmdline()))[:160]}")
        except psutil.Error:
            described.append(f"{process.pid} (gone)")
    return described


def wait_until_gone(processes: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Poll until none is alive or `timeout` passes; returns those still alive."""
    remaining = list(processes)
    deadline = time.monotonic() + timeout
    while True:
        remaining = [process for process in remaining if is_alive(process)]
        if not remaining or time.monotonic() >= deadline:
            return remaining
        time.sleep(0.1)


def kill_all(processes: Iterable[psutil.Process]) -> None:
    """Last-resort cleanup after a failed test, so no stack outlives the session."""
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()
