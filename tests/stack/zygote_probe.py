"""`python -m tests.stack.zygote_probe`: a supervisor with a zygote that forks this module twice as
`python -m tests.stack.zygote_probe report`; each forked copy reports what it is made of, as JSON lines in
its log, which the supervisor prints. `--fresh` prints the same report from a plain interpreter instead."""

from __future__ import annotations

import asyncio
import ctypes
import gc
import json
import os
import random
import signal
import sys
import tempfile
import threading
from pathlib import Path

from khabuan.forked import Zygote
from khabuan.supervisor import Child, Supervisor

ROOT = Path(__file__).resolve().parents[2]
_PR_GET_PDEATHSIG = 2


def report() -> dict[str, object]:
    """What a forked process should share with a fresh `python -m` one, and what must be its own."""
    from services.common.settings import get_settings

    death_signal = ctypes.c_int()
    ctypes.CDLL(None).prctl(_PR_GET_PDEATHSIG, ctypes.byref(death_signal), 0, 0, 0)
    with open("/proc/self/cmdline", "rb") as cmdline:
        command = cmdline.read().split(b"\0")[0].decode().split(" ")
    return {
        "pid": os.getpid(),
        "parent": os.getppid(),
        "own_session": os.getsid(0) == os.getpid(),
        "environment": dict(os.environ),
        "data_dir": str(get_settings().data_dir),
        "handlers": {signum.name: repr(signal.getsignal(signum)) for signum in signal.Signals},
        "blocked": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, set())),
        "gc_enabled": gc.isenabled(),
        "threads": threading.active_count(),
        "stdin": os.readlink("/proc/self/fd/0"),
        "stdout": os.readlink("/proc/self/fd/1"),
        "command": command,
        "death_signal": death_signal.value,
        "random": random.random(),
        "argv": sys.argv[1:],
    }


async def fork_twice(folder: Path) -> dict[str, object]:
    supervisor = Supervisor()
    supervisor.adopt_orphans()
    zygote = Zygote(dict(os.environ), ROOT, folder / "zygote.log")
    await supervisor.start(zygote.child)
    await zygote.ready(60)
    env = {"PATH": os.environ["PATH"], "KHABUAN_DATA_DIR": str(folder / "data"), "KHABUAN_ENV": "test"}
    log_path = folder / "probe.log"
    argv = [sys.executable, "-m", "tests.stack.zygote_probe", "report"]
    codes = [
        await supervisor.run_once(Child("probe", argv, env, ROOT, log_path, launch=zygote.launch))
        for _ in range(2)
    ]
    await supervisor.stop_all()
    lines = log_path.read_text().splitlines()
    return {"supervisor": os.getpid(), "exit_codes": codes, "reports": [json.loads(line) for line in lines]}


def main(argv: list[str]) -> None:
    if argv == ["report"]:
        print(json.dumps(report()), flush=True)
    elif argv == ["--fresh"]:
        print(json.dumps(report()))
    else:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(asyncio.run(fork_twice(Path(folder)))))


if __name__ == "__main__":
    main(sys.argv[1:])
