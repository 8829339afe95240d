"""The C library, for the system calls Python's os module lacks (renameat2, prctl)."""

from __future__ import annotations

import ctypes
import functools


@functools.cache
def load() -> ctypes.CDLL | None:
    """The C library, looked up once per process; None where it cannot be loaded.

    The usual name is tried first because ctypes.util.find_library runs ldconfig, a process
    of its own; a forked worker inherits the parent's answer and looks nothing up.
    """
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        pass
    from ctypes.util import find_library  # here: importing it costs as much as the lookup above

    try:
        return ctypes.CDLL(find_library("c"))
    except (OSError, TypeError):
        return None
