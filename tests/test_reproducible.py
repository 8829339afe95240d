"""The same input builds the same bytes: no build time, machine time zone or folder leaks into the output."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import run


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_clean_builds_of_the_sample_give_identical_bytes(sample_site, tmp_path, monkeypatch):
    # The very input of the session's sample build (the repository may have changed
    # since), in another folder, without the output or any cache of the first build.
    root = tmp_path / "another" / "checkout"
    shutil.copytree(sample_site.parent, root, ignore=shutil.ignore_patterns(sample_site.name, ".*"))
    # Another clock zone on the build machine must not show in pages either.
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        result = run(root, "build")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.code == 0, result.err
    first, second = tree(sample_site), tree(root / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
