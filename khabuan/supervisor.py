"""A small asyncio supervisor: starts children, restarts any that dies, stops them all on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import psutil
import structlog

from khabuan import prctl

log = structlog.get_logger()

ORPHAN_SCAN_SECONDS = 10.0


class RunningProcess(Protocol):
    """What the supervisor needs of a started process: asyncio's, or one the zygote forked."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...

    def send_signal(self, signum: int) -> None: ...

    def kill(self) -> None: ...


Launch = Callable[["Child"], Awaitable[RunningProcess]]


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path
    stop_signal: signal.Signals = signal.SIGTERM
    become: Callable[[], None] | None = None
    # how it starts: exec'd (the default) or forked by the zygote
    launch: Launch | None = field(default=None, repr=False)
    process: RunningProcess | None = None
    restarts: int = 0
    started_at: float = 0.0
    watcher: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.returncode is None else None


async def launch_exec(
    child: Child, *, argv: list[str] | None = None, pass_fds: Sequence[int] = ()
) -> RunningProcess:
    """Exec `child` in its own session, its output appended to its log, dying with the supervisor."""
    become, death_signal = child.become, child.stop_signal

    def prepare() -> None:
        if become:
            become()
        # die with the supervisor even if it is killed with SIGKILL
        prctl.die_with_parent(int(death_signal))

    with child.log_path.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            *(argv or child.argv),
            env=child.env,
            cwd=child.cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,  # Ctrl-C reaches only the supervisor, which stops children in order
            preexec_fn=prepare,
            pass_fds=pass_fds,
        )


class Supervisor:
    def __init__(self, *, on_change: Callable[[], None] | None = None) -> None:
        self.children: list[Child] = []
        self.stopping = asyncio.Event()
        self._on_change = on_change or (lambda: None)
        self._waited: set[int] = set()  # pids something here waits for (the orphan reaper leaves them)
        self._reaper: asyncio.Task[None] | None = None

    def adopt_orphans(self) -> None:
        """Become the child subreaper of everything below: the zygote's forks are adopted as our children
        (so they are waited on and die with us), and any other orphan is reaped here instead of by init."""
        prctl.become_child_subreaper()
        self._reaper = asyncio.create_task(self._reap_orphans(), name="reap-orphans")

    async def start(self, child: Child) -> None:
        self.children.append(child)
        await self._spawn(child)
        child.watcher = asyncio.create_task(self._watch(child), name=f"watch-{child.name}")

    async def run_once(self, child: Child) -> int:
        """Start a one-off `child` and wait for its exit code; cancelled, it is killed first."""
        process = await self._launch(child)
        try:
            return await process.wait()
        except asyncio.CancelledError:  # Ctrl-C during start: the one-off step must not outlive us
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        finally:
            self._waited.discard(process.pid)

    async def _launch(self, child: Child) -> RunningProcess:
        child.log_path.parent.mkdir(parents=True, exist_ok=True)
        process = await (child.launch or launch_exec)(child)
        self._waited.add(process.pid)
        log.info("stack.process_started", process=child.name, pid=process.pid)
        return process

    async def _spawn(self, child: Child) -> None:
        if child.process is not None:
            self._waited.discard(child.process.pid)
        child.process = await self._launch(child)
        child.started_at = time.monotonic()
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
            self._on_change()
            while not await self._restart_after(child, backoff):
                backoff = min(backoff * 2, 15.0)
            if self.stopping.is_set():
                return

    async def _restart_after(self, child: Child, delay: float) -> bool:
        """Wait `delay`, then start `child` again; False when it could not be started (try again later)."""
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=delay)
            return True
        except TimeoutError:
            pass
        child.restarts += 1
        try:
            await self._spawn(child)
        except Exception as exc:  # e.g. the zygote is restarting too: the next attempt waits longer
            child.restarts -= 1
            log.warning("stack.process_start_failed", process=child.name, error=str(exc))
            return False
        return True

    async def _reap_orphans(self) -> None:
        """Reap zombies nothing else waits for (a killed PostgreSQL's backends, say), once seen twice."""
        seen: set[int] = set()
        me = psutil.Process()
        while True:
            await asyncio.sleep(ORPHAN_SCAN_SECONDS)
            zombies = set()
            for process in me.children():
                with contextlib.suppress(psutil.Error):
                    if process.status() == psutil.STATUS_ZOMBIE and process.pid not in self._waited:
                        zombies.add(process.pid)
            for pid in zombies & seen:
                _reap(pid)
            seen = zombies - seen

    async def stop_all(self, timeout: float = 15.0) -> None:
        """Stop children in reverse start order, each with its own stop signal, then kill stragglers."""
        self.stopping.set()
        if self._reaper is not None:
            self._reaper.cancel()
        for child in reversed(self.children):
            await self._stop(child, timeout)

    async def _stop(self, child: Child, timeout: float) -> None:
        process = child.process
        if process is None or process.returncode is not None:
            return
        try:
            process.send_signal(child.stop_signal)
            await asyncio.wait_for(process.wait(), timeout=timeout)
        except ProcessLookupError:
            return
        except TimeoutError:
            log.warning("stack.process_killed", process=child.name)
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        log.info("stack.process_stopped", process=child.name, exit_code=process.returncode)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # a zombie: never blocks
