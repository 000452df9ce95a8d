"""Every arq worker of the stack in one process and one event loop: `python -m khabuan workers` (make run).

Each worker stays itself: its own WorkerSettings (queue, jobs, cron, heartbeat key, engine, outbox relay),
its own process name on its log lines and its metrics' labels. They share the interpreter, the loop and the
one /metrics port of the process. Containers still run one worker each (`python -m <module> worker`).
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Sequence

import structlog
from arq.worker import Worker, create_worker

from khabuan.processes import AppProcess

log = structlog.get_logger()


def load_worker(process: AppProcess) -> Worker:
    """The arq Worker its container would run, without signal handlers of its own (the process has one)."""
    module_name, _, attribute = process.worker_settings.partition(":")
    settings_class = getattr(importlib.import_module(module_name), attribute)
    return create_worker(settings_class, handle_signals=False)


async def run_workers(processes: Sequence[AppProcess]) -> int:
    """Run the workers until SIGINT/SIGTERM (0), or until one of them ends on its own (1, after stopping the
    others: the supervisor then restarts the process)."""
    from services.common.logging import configure_logging
    from services.common.settings import get_settings

    settings = get_settings()
    configure_logging("workers", level=settings.log_level, json=settings.log_json)
    workers = {process.name: load_worker(process) for process in processes}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # each in a task of its own, so what a worker binds for its logs (its process name) stays its own
    runs = [asyncio.create_task(worker.async_run(), name=name) for name, worker in workers.items()]
    stopping = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({stopping, *runs}, return_when=asyncio.FIRST_COMPLETED)
    ended = done - {stopping}
    for task in ended:
        error = None if task.cancelled() else task.exception()
        log.error("stack.worker_ended", worker=task.get_name(), error=repr(error))
    # close() stops a worker as its own signal handler would (arq logs SIGUSR1), then runs its on_shutdown
    closed = await asyncio.gather(*(worker.close() for worker in workers.values()), return_exceptions=True)
    await asyncio.gather(*runs, return_exceptions=True)
    for name, outcome in zip(workers, closed, strict=True):
        log.info("stack.worker_stopped", worker=name, error=repr(outcome) if outcome else None)
    stopping.cancel()
    return 1 if ended else 0
