"""Sealed bytes: what the build cache keeps, each entry with the digest it was written with.

Every value parkpress keeps in ``.parkpress-cache/`` (rows of the database, compiled
templates, resized images, search indexes) is sealed: the BLAKE2b digest of its payload
goes in front of it.  A reader asks :func:`verified` (or :func:`unpickled`), which gives
the entry back only when the digest still matches; otherwise it notes the entry as
damaged, and the reader does the work again as for an entry never kept.  Nothing read
from the cache is used unchecked, so a damaged cache costs time, never a wrong byte.

The entries found damaged are noted per process (worker processes send theirs back with
their results, see parallel.py); the build reports how many, once (builder.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

SEAL = 16  # bytes of digest in front of every payload


def tag(payload: bytes | memoryview) -> bytes:
    """The digest a payload is sealed with."""
    return hashlib.blake2b(payload, digest_size=SEAL).digest()


def seal(payload: bytes) -> bytes:
    return tag(payload) + payload


def verified(data: object, entry: tuple) -> bytes | None:
    """``data`` if its seal holds; None if it is missing, or damaged (then noted as ``entry``,
    say ("docs", key), so that an entry read twice counts once)."""
    if data is None:
        return None
    if isinstance(data, bytes) and len(data) >= SEAL and tag(memoryview(data)[SEAL:]) == data[:SEAL]:  # a damaged row: any type
        return data
    damaged(entry)
    return None


def payload(data: bytes) -> memoryview:
    """What ``data``, sealed and verified (or sealed in this process), holds; not copied."""
    return memoryview(data)[SEAL:]


def pickled(value: object) -> bytes:
    return seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def unpickled(data: object, entry: tuple, default: object = None) -> object:
    """The value :func:`pickled` made ``data`` of; ``default`` when missing or damaged."""
    data = verified(data, entry)
    if data is None:
        return default
    try:
        return pickle.loads(payload(data))
    except Exception:  # whole bytes that still do not unpickle (another library's classes): any error at all
        damaged(entry)
        return default


def read_file(path: Path) -> memoryview | None:
    """What :func:`write_file` kept in ``path``; None if it is missing, unreadable or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    data = verified(data, ("file", str(path)))
    return payload(data) if data is not None else None


def write_file(path: Path, data: bytes) -> None:
    """Keep ``data`` sealed in ``path``, renamed into place so that no reader finds half a file;
    a cache that cannot be written to (a full disk, a file where its folder should be) is left alone."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}")  # worker processes may write the same file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:  # not seal(data): a large search index is not copied
            handle.write(tag(data))
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


_damaged: set[tuple] = set()


def damaged(entry: tuple) -> None:
    """Note a damaged entry; the caller rebuilds what it held."""
    _damaged.add(entry)


def take_damaged() -> set[tuple]:
    """The entries noted since the last call, forgotten here."""
    found = set(_damaged)
    _damaged.clear()
    return found


def add_damaged(entries: set[tuple]) -> None:
    """What a worker process noted, counted in this one."""
    _damaged.update(entries)
