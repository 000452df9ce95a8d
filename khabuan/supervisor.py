"""A small asyncio supervisor: starts children, restarts any that dies, stops them all on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import structlog

log = structlog.get_logger()

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path
    stop_signal: signal.Signals = signal.SIGTERM
    become: Callable[[], None] | None = None
    process: asyncio.subprocess.Process | None = None
    restarts: int = 0
    started_at: float = 0.0
    watcher: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.returncode is None else None


class Supervisor:
    def __init__(self, *, on_change: Callable[[], None] | None = None) -> None:
        self.children: list[Child] = []
        self.stopping = asyncio.Event()
        self._on_change = on_change or (lambda: None)

    async def start(self, child: Child) -> None:
        self.children.append(child)
        await self._spawn(child)
        child.watcher = asyncio.create_task(self._watch(child), name=f"watch-{child.name}")

    async def _spawn(self, child: Child) -> None:
        child.log_path.parent.mkdir(parents=True, exist_ok=True)
        output = child.log_path.open("ab")
        become, death_signal = child.become, child.stop_signal

        def prepare() -> None:
            if become:
                become()
            # die with the supervisor even if it is killed with SIGKILL
            _libc.prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)

        try:
            child.process = await asyncio.create_subprocess_exec(
                *child.argv,
                env=child.env,
                cwd=child.cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,  # Ctrl-C reaches only the supervisor, which stops children in order
                preexec_fn=prepare,
            )
        finally:
            output.close()
        child.started_at = time.monotonic()
        log.info("stack.process_started", process=child.name, pid=child.process.pid)
        self._on_change()

    async def _watch(self, child: Child) -> None:
        backoff = 0.5
        while True:
            assert child.process is not None
            code = await child.process.wait()
            if self.stopping.is_set():
                return
            lived = time.monotonic() - child.started_at
            backoff = 0.5 if lived > 30 else min(backoff * 2, 15.0)
            log.warning("stack.process_died", process=child.name, exit_code=code, restart_in_s=backoff)
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=backoff)
                return
            except TimeoutError:
                pass
            child.restarts += 1
            await self._spawn(child)

    async def stop_all(self, timeout: float = 15.0) -> None:
        """Stop children in reverse start order, each with its own stop signal, then kill stragglers."""
        self.stopping.set()
        for child in reversed(self.children):
            await self._stop(child, timeout)

    async def _stop(self, child: Child, timeout: float) -> None:
        process = child.process
        if process is None or process.returncode is not None:
            return
        try:
            os.kill(process.pid, child.stop_signal)
            await asyncio.wait_for(process.wait(), timeout=timeout)
        except ProcessLookupError:
            return
        except TimeoutError:
            log.warning("stack.process_killed", process=child.name)
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        log.info("stack.process_stopped", process=child.name, exit_code=process.returncode)
