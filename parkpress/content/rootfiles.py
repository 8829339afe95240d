"""The files of ``root/``, published at the site's root as they are.

Static hosts read a few files from the site's root: ``CNAME`` (GitHub Pages), ``_headers``
and ``_redirects`` (Netlify, Cloudflare Pages), ``.well-known/security.txt``, a search
engine's verification file.  Everything in ``root/`` is copied there unchanged, hidden
files and folders included (``.well-known``), but editor litter and version-control folders
are not; a file that would replace a generated one is an error (build/pipeline.py), and so
are names a URL cannot carry and links that lead out of ``root/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from parkpress.content.sources import URL_SAFE, unusable
from parkpress.core.problems import Problems

_SKIPPED = (".git", ".svn", ".hg", ".DS_Store", "Thumbs.db")


def root_files(folder: Path, problems: Problems) -> dict[str, Path]:
    """Output path -> file, for every file below ``folder`` (none when it does not exist)."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    real = Path(os.path.realpath(folder))

    def visit(here: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError as exc:
            problems.error(here, 0, f"cannot read the folder: {exc.strerror}")
            return
        for entry in entries:
            if entry.name in _SKIPPED or _litter(entry.name):
                continue
            rel, path = prefix + entry.name, Path(entry.path)
            if not URL_SAFE.fullmatch(entry.name):
                problems.error(
                    path,
                    0,
                    "a file published at the root needs a name a URL carries as it is: ASCII letters, digits, '-', '_', '.' and '~'",
                )
            elif entry.is_symlink() and not Path(os.path.realpath(entry.path)).is_relative_to(real):
                problems.error(path, 0, "symbolic link leads out of root/; copy the file into root/ instead")
            elif entry.is_dir(follow_symlinks=False):
                visit(path, rel + "/")
            else:
                problem = unusable(entry, rel, real)
                if problem:
                    problems.error(path, 0, problem)
                else:
                    found[rel] = path

    visit(folder, "")
    return found


def _litter(name: str) -> bool:
    return name.startswith("#") or name.endswith(("~", ".swp", ".swx", ".tmp"))
