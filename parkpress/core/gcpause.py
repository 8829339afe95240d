"""Builds run with Python's cyclic garbage collector paused.

A build makes millions of objects (documents, views, page contexts, cached analyses)
that stay alive until it is done, and hardly any reference cycles.  The collector does
not know that: each time enough objects have been made it walks the generations, and
its full passes walk the whole heap.  On the large benchmark site that was a fifth of a
one-edit build; a cold build makes the same objects and pays the same.  Reference
counting still frees everything that is not in a cycle, and the few cycles a build
leaves are collected by the next full collection (in serve, between builds).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (blocks may nest); the collector's state is restored after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What the block made is still in the youngest generation, which the first
            # collection after it would walk whole (70 ms after an edit's build of the
            # large site, before a one-shot command could exit).  Moved to the oldest
            # generation, it waits for the next full collection instead.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
