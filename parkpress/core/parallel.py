"""Work spread over the processor's cores with forked worker processes.

Forked workers start with a copy-on-write view of the parent's memory, so they see
the planned pages, the templates and the caches without anything being pickled; only
their results travel back.  ``gc.freeze`` keeps the collector from touching (and so
copying) every object of the parent in every worker.

A worker dies with its parent (PR_SET_PDEATHSIG): a build killed with SIGKILL must
not leave workers writing into a staging folder the next build is deleting.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

from parkpress.core import libc, sealed

Item = TypeVar("Item")
Result = TypeVar("Result")

WORTH_FORKING = 100  # fewer items than this are done in the parent: starting workers costs more
_PR_SET_PDEATHSIG = 1

_job: Callable | None = None
_parent = 0


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def fork_map(job: Callable[[list[Item]], list[Result]], items: list[Item], chunk: int) -> Iterator[Result]:
    """``job`` applied to chunks of ``items`` in worker processes; results in no particular order.

    Runs in this process when there is one core, too little work, or no fork.
    """
    global _job, _parent
    workers = min(cores(), -(-len(items) // chunk))
    if workers < 2 or len(items) < WORTH_FORKING or "fork" not in multiprocessing.get_all_start_methods():
        yield from job(items)
        return
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    _job, _parent = job, os.getpid()
    libc.load()  # before forking: the workers inherit the answer instead of each looking libc up
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_started) as pool:
            for results, damaged in pool.imap_unordered(_run, chunks):
                sealed.add_damaged(damaged)
                yield from results
    finally:
        _job = None
        gc.unfreeze()


def in_worker() -> bool:
    """Whether this is one of fork_map's worker processes."""
    return _parent not in (0, os.getpid())


def _run(chunk: list) -> tuple[list, set[tuple]]:
    """The results, and the damaged cache entries the worker found meanwhile: the parent reports them."""
    results = _job(chunk)
    return results, sealed.take_damaged()


def _worker_started() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent pauses the collector while it builds (gcpause.py); a worker, whose renders leave
    # reference cycles behind page after page, collects them.  What it inherited is frozen: its
    # collections look only at what it makes itself.
    gc.enable()
    prctl = getattr(libc.load(), "prctl", None)  # Linux only
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _parent:  # the parent died before the line above
        os._exit(1)
