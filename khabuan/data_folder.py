"""One stack per data folder: its supervisor holds an exclusive lock on <data>/run/supervisor.lock."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import TextIO


class DataFolderInUse(RuntimeError):
    """Another stack's supervisor holds the data folder."""


def hold(data_dir: Path) -> TextIO:
    """Lock `data_dir` for this process (released when it exits, however it exits); the open lock file."""
    run_dir = data_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    handle = (run_dir / "supervisor.lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DataFolderInUse(f"another Khabuan stack is already running on {data_dir}") from None
    return handle
