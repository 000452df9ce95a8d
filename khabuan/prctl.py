"""The few Linux process controls the stack relies on (prctl(2)), in one place."""

from __future__ import annotations

import ctypes

_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
_PR_SET_CHILD_SUBREAPER = 36
_COMM_BYTES = 15  # the kernel keeps 16 bytes, the last one NUL
_libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent(signum: int) -> None:
    """Have the kernel send `signum` to this process when its parent dies (even by SIGKILL)."""
    _libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)


def set_name(name: str) -> None:
    """The process name `ps -o comm` and top show (cut to what the kernel keeps)."""
    _libc.prctl(_PR_SET_NAME, name.encode()[:_COMM_BYTES], 0, 0, 0)


def become_child_subreaper() -> None:
    """Orphaned descendants are re-parented to this process instead of init."""
    if _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
