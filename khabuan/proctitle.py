"""A forked process tells `ps` what it runs: its name (comm) and, where it fits, its command line.

A process the zygote forks inherits the zygote's `python -m khabuan zygote`; this rewrites it in place, in the
argument area the kernel shows as /proc/<pid>/cmdline (never past it: the environment follows).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from khabuan import prctl


def name_process(name: str, argv: list[str]) -> None:
    """Name this process `name` (as `ps -o comm` and top show it) and `python -m …` (as `ps -f` shows it)."""
    prctl.set_name(name)
    with contextlib.suppress(OSError, ValueError, IndexError):
        _rewrite_command_line(" ".join([Path(argv[0]).name, *argv[1:]]).encode())


def _rewrite_command_line(title: bytes) -> None:
    start, end = _argument_area()
    room = end - start
    if room < 2:
        return
    if len(title) <= room - 2:
        # NUL after the title and a non-NUL last byte: the kernel then shows the title alone, spaces and all
        area = title + b"\0" + b" " * (room - len(title) - 1)
    else:
        area = title[: room - 1] + b"\0"
    with open("/proc/self/mem", "r+b", buffering=0) as memory:
        memory.seek(start)
        memory.write(area)


def _argument_area() -> tuple[int, int]:
    """arg_start and arg_end, fields 48 and 49 of /proc/self/stat (counted after the parenthesised comm)."""
    fields = Path("/proc/self/stat").read_text().rpartition(")")[2].split()
    return int(fields[45]), int(fields[46])
