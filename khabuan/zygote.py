"""The zygote: one process that imports what every application process needs, once, and forks them.

`python -m khabuan zygote --fd N` is started by the supervisor with one end of a socket pair as fd N. It
imports PRELOAD, says it is ready, then forks each process the supervisor orders, as if `python -m <module>
<args>` had started it: the start-up imports are already paid and their pages shared copy-on-write. It forks
twice, so each process becomes the supervisor's own child (the supervisor is a child subreaper) and outlives
a zygote that dies. The zygote itself never reads settings, opens a connection, starts a thread or an event
loop: each forked process reads its own environment and opens its own.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import runpy
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NoReturn

from khabuan import prctl
from khabuan.proctitle import name_process

# what the services, the gateway app, the workers and the setup step import (each worker's own module
# builds its settings at import time, so only what it imports is here)
PRELOAD = (
    "uvicorn",
    "uvicorn.config",
    "uvicorn.main",
    "uvicorn.server",
    "uvicorn.lifespan.on",
    "uvicorn.loops.uvloop",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.protocols.websockets.auto",
    "uvloop",
    "arq.worker",
    "services.common.worker",
    "services.plans.app",
    "services.funds.app",
    "services.assessment.app",
    "services.funds.reconciliation.tasks",
    "gateway.app",
    "gateway.webhooks.dispatcher",
    "gateway.webhooks.fanout",
    "gateway.webhooks.history",
    "services.common.events.consumer",
    "services.common.geo.regions",
    "alembic.command",
    "alembic.config",
    "alembic.runtime.environment",
    "alembic.runtime.migration",
    "services.common.migrations",
    "gateway.seed",
    "gateway.auth.clients",
    "gateway.demo",
    "services.funds.demo",
    "services.plans.demo",
)
READY = b'{"ready": true}\n'
# what a fresh interpreter has, for the forked processes (SIGPIPE and SIGXFSZ ignored, SIGINT raising)
_FRESH_HANDLERS = {signum: signal.getsignal(signum) for signum in signal.valid_signals()}


@dataclass(frozen=True)
class ForkOrder:
    """One process to fork: the `python -m` command it stands for and where it runs."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: str
    log_path: str
    death_signal: int
    supervisor_pid: int

    def to_line(self) -> bytes:
        return json.dumps(asdict(self)).encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> ForkOrder:
        return cls(**json.loads(line))

    @property
    def module(self) -> str:
        if self.argv[1:2] != ["-m"] or len(self.argv) < 3:
            raise ValueError(f"{self.name}: only `python -m <module> …` commands can be forked: {self.argv}")
        return self.argv[2]


class UnsafeToFork(RuntimeError):
    """The zygote holds something a forked process must not inherit (a thread, a loop, read settings)."""


def preload() -> set[int]:
    """Import every module of PRELOAD, then freeze what they made so a child's collector never touches it;
    returns the file descriptors open before (the only ones a forked process may inherit)."""
    started_with = open_fds()
    gc.disable()  # no collection during the imports: fewer freed holes in the pages the children share
    for module in PRELOAD:
        importlib.import_module(module)
    check_fork_safety(started_with)
    gc.freeze()
    return started_with


def check_fork_safety(started_with: set[int]) -> None:
    """Refuse to fork what a child must not inherit: a thread, a file or socket opened since the zygote
    started (a connection, an event loop's), settings read from the zygote's environment."""
    from services.common.settings import get_settings

    if threading.active_count() != 1:
        raise UnsafeToFork(f"the zygote runs {threading.active_count()} threads; forking needs one")
    inherited = [fd for fd in open_fds() if fd not in started_with]
    if inherited:
        targets = ", ".join(f"{fd} → {_target(fd)}" for fd in inherited)
        raise UnsafeToFork(f"the zygote holds open files a forked process would inherit: {targets}")
    if get_settings.cache_info().currsize:
        raise UnsafeToFork("the zygote read settings; each forked process must read its own environment")


def open_fds() -> set[int]:
    """The file descriptors open in this process."""
    listed = [int(name) for name in os.listdir("/proc/self/fd")]
    return {fd for fd in listed if _is_open(fd)}  # the listing's own descriptor is closed by now


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _target(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "?"


def main_forked(fd: int, log_path: Path, supervisor_pid: int) -> int:
    """The zygote forked from the supervisor before its event loop started (so it shares the imports the
    supervisor has paid for): it makes itself what `python -m khabuan zygote` would be, then runs `main`."""
    from services.common.settings import get_settings

    prctl.die_with_parent(int(signal.SIGTERM))
    if os.getppid() != supervisor_pid:
        return 1
    os.setsid()
    name_process("zygote", [sys.executable, "-m", "khabuan", "zygote"])
    _redirect_output(str(log_path))
    get_settings.cache_clear()  # the supervisor's: each forked process reads its own
    return main(fd)


def main(fd: int) -> int:
    """Preload, then fork each order until the supervisor hangs up; in a forked process, run its command."""
    channel = socket.socket(fileno=fd)
    started_with = preload()
    channel.sendall(READY)
    order = serve(channel, started_with)
    if order is not None:
        run(order)  # in a forked process: never returns
    return 0


def serve(channel: socket.socket, started_with: set[int]) -> ForkOrder | None:
    """Fork each order read from `channel`, answering its pid; returns the order in the forked process."""
    with channel, channel.makefile("rb") as orders:
        for line in orders:
            order = ForkOrder.from_line(line)
            try:
                order.module  # noqa: B018 — refuse a command that is not `python -m …` before forking
                check_fork_safety(started_with)
                pid, go = fork(order)
            except (OSError, ValueError, UnsafeToFork) as exc:
                channel.sendall(json.dumps({"name": order.name, "error": str(exc)}).encode() + b"\n")
                continue
            if pid == 0:
                return order
            channel.sendall(json.dumps({"name": order.name, "pid": pid}).encode() + b"\n")
            os.write(go, b"go")  # only now, with its pid in the supervisor's hands, does it run
            os.close(go)
    return None


def fork(order: ForkOrder) -> tuple[int, int]:
    """(pid, fd to say go on) in the zygote; (0, -1) in the forked process, once told to go."""
    pid_read, pid_write = os.pipe()
    go_read, go_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    middle = os.fork()
    if middle == 0:
        os.close(pid_read)
        os.close(go_write)
        middle_pid = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os._exit(1)
        if pid == 0:
            os.close(pid_write)
            become_the_supervisors_child(order, middle_pid, go_read)
            return 0, -1
        # the middle process leaves at once: its child is adopted by the supervisor, the subreaper
        os.write(pid_write, str(pid).encode())
        os._exit(0)
    os.close(pid_write)
    os.close(go_read)
    try:
        with os.fdopen(pid_read, "rb") as answer:
            written = answer.read()
        os.waitpid(middle, 0)
    except BaseException:
        os.close(go_write)
        raise
    if not written:
        os.close(go_write)
        raise OSError(f"{order.name}: the middle process could not fork")
    return int(written), go_write


def become_the_supervisors_child(order: ForkOrder, middle_pid: int, go: int) -> None:
    """Wait to be adopted by the supervisor, die with it, and start only once the zygote says go."""
    deadline = time.monotonic() + 10
    while os.getppid() == middle_pid and time.monotonic() < deadline:
        time.sleep(0.0005)
    prctl.die_with_parent(order.death_signal)
    if os.getppid() != order.supervisor_pid:
        os._exit(1)  # adopted by someone else: the supervisor is gone
    told = os.read(go, 2)
    os.close(go)
    if told != b"go":
        os._exit(1)  # the zygote died before the supervisor learnt this pid


def run(order: ForkOrder) -> NoReturn:
    """Make this forked process what `python -m <module> <args>` would be, run that module, and exit."""
    os.setsid()  # its own session: Ctrl-C reaches only the supervisor, which stops children in order
    name_process(order.name, order.argv)
    _redirect_output(order.log_path)
    os.chdir(order.cwd)
    os.environ.clear()
    os.environ.update(order.env)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for signum, handler in _FRESH_HANDLERS.items():
        _restore_handler(signum, handler)
    gc.enable()
    sys.argv = [order.argv[0], *order.argv[3:]]
    try:
        runpy.run_module(order.module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exiting:
        code = _exit_code(exiting)
    except BaseException:
        traceback.print_exc()
        code = 1
    # as multiprocessing's forked children do: exit handlers and flushed output, but no teardown of the heap
    # it shares with the zygote (that would copy it page by page, ~0.1 s for a one-off step)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _exit_code(exiting: SystemExit) -> int:
    """What the interpreter would exit with (a message is printed and means 1)."""
    if exiting.code is None:
        return 0
    if isinstance(exiting.code, int):
        return exiting.code
    print(exiting.code, file=sys.stderr)
    return 1


def _redirect_output(log_path: str) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


def _restore_handler(signum: signal.Signals, handler: Any) -> None:
    if handler is None or signal.getsignal(signum) is handler:
        return
    with contextlib.suppress(OSError, ValueError):  # SIGKILL, SIGSTOP
        signal.signal(signum, handler)
