"""Snapshots of folder trees, to prove what a build did and did not touch."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """Every entry under ``folder`` (relative path -> bytes, link target or "<dir>"), symlinks not followed.

    ``skip`` names top-level entries to leave out, such as the output folder itself.
    """
    found: dict[str, object] = {}
    if not folder.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if here == folder:
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip]
        for name in dirnames + filenames:
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("->", os.readlink(path))
            elif path.is_dir():
                found[rel] = "<dir>"
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "<special>"
    return found


def leftovers(folder: Path, output: str = "site") -> list[str]:
    """Staging or retired folders a build left beside ``output``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{output}."))
