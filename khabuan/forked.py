"""The supervisor's side of the zygote: start it, wait until it has imported everything, ask it to fork.

A forked process is the supervisor's child (adopted: the supervisor is a child subreaper), so it is waited on
and stopped like any other, through a pidfd instead of asyncio's child watcher.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import structlog

from khabuan import zygote
from khabuan.supervisor import Child, RunningProcess, launch_exec
from khabuan.zygote import READY, ForkOrder

ZYGOTE = "zygote"
log = structlog.get_logger()


class ZygoteError(RuntimeError):
    """The zygote could not fork a process (it died, or refused the order)."""


@dataclass(frozen=True)
class EarlyZygote:
    """The zygote's first life, forked from the supervisor before its event loop started."""

    pid: int
    channel: socket.socket


def fork_zygote(log_path: Path, *, closed_in_it: Sequence[IO[Any]] = ()) -> EarlyZygote:
    """Fork the zygote from this process while it has no thread, event loop or connection yet: it starts
    with what this process has imported (settings, logging) instead of importing it again. Returns in this
    process only; `closed_in_it`: what this process holds that the zygote must not (the data folder lock)."""
    ours, theirs = socket.socketpair()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    supervisor_pid = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        ours.close()
        for handle in closed_in_it:
            handle.close()
        raise SystemExit(zygote.main_forked(theirs.detach(), log_path, supervisor_pid))
    theirs.close()
    return EarlyZygote(pid, ours)


class ForkedProcess:
    """A child forked without exec (the zygote's first life, or a process the zygote forked and the supervisor
    adopted): its exit is seen on a pidfd, its status reaped here."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._returncode: int | None = None
        self._loop = asyncio.get_running_loop()
        self._exited: asyncio.Future[int] = self._loop.create_future()
        self._pidfd = os.pidfd_open(pid)
        self._loop.add_reader(self._pidfd, self._reap)

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def returncode(self) -> int | None:
        return self._returncode

    async def wait(self) -> int:
        return await asyncio.shield(self._exited)

    def send_signal(self, signum: int) -> None:
        if self._returncode is None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _reap(self) -> None:
        try:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:  # not adopted after all: its exit is known, its status is not
            pid, status = self._pid, 255 << 8
        if pid == 0:
            return
        self._loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._returncode = os.waitstatus_to_exitcode(status)
        self._exited.set_result(self._returncode)


class Zygote:
    """The zygote as a supervised child (restarted like any other), and the channel to it."""

    def __init__(
        self, env: dict[str, str], cwd: Path, log_path: Path, early: EarlyZygote | None = None
    ) -> None:
        self.child = Child(
            ZYGOTE,
            [sys.executable, "-m", "khabuan", ZYGOTE],
            env,
            cwd,
            log_path,
            stop_signal=signal.SIGTERM,
            launch=self._launch,
        )
        self._channel: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._ready = asyncio.Event()
        self._ordering = asyncio.Lock()
        self._waiting_for_ready: asyncio.Task[None] | None = None
        self._early = early

    async def ready(self, timeout: float) -> None:
        """Until the zygote has imported everything and listens for orders."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            raise ZygoteError(f"the zygote was not ready in {timeout:.0f} s") from None

    async def launch(self, child: Child) -> RunningProcess:
        """Fork `child` (a `python -m …` command) from the zygote, waiting for the zygote if it restarts."""
        order = ForkOrder(
            name=child.name,
            argv=child.argv,
            env=child.env,
            cwd=str(child.cwd),
            log_path=str(child.log_path),
            death_signal=int(child.stop_signal),
            supervisor_pid=os.getpid(),
        )
        async with self._ordering:
            await self._ready.wait()
            assert self._channel is not None
            reader, writer = self._channel
            try:
                writer.write(order.to_line())
                await writer.drain()
                line = await reader.readline()
            except OSError:
                line = b""
            if not line:
                self._ready.clear()  # the next order waits for the restarted zygote
        if not line:
            raise ZygoteError(f"the zygote died before it forked {child.name}")
        answer = json.loads(line)
        if "error" in answer:
            raise ZygoteError(f"the zygote refused to fork {child.name}: {answer['error']}")
        return ForkedProcess(int(answer["pid"]))

    async def _launch(self, child: Child) -> RunningProcess:
        """The early zygote the first time; then exec a new one with one end of a fresh socket pair. It says
        ready once it has imported everything."""
        self._ready.clear()
        if self._channel is not None:
            self._channel[1].close()
        process: RunningProcess
        if self._early is not None:
            process, ours = ForkedProcess(self._early.pid), self._early.channel
            self._early = None
        else:
            ours, theirs = socket.socketpair()
            argv = [*child.argv, "--fd", str(theirs.fileno())]
            try:
                process = await launch_exec(child, argv=argv, pass_fds=(theirs.fileno(),))
            finally:
                theirs.close()
        self._channel = await asyncio.open_unix_connection(sock=ours)
        self._waiting_for_ready = asyncio.create_task(self._hear_ready(self._channel[0]), name="zygote-ready")
        return process

    async def _hear_ready(self, reader: asyncio.StreamReader) -> None:
        line = await reader.readline()
        if line == READY:
            log.info("stack.zygote_ready")
            self._ready.set()
