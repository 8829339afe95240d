"""Publishing is all or nothing: site/ is the previous site until a new one is complete.

A build writes into a staging folder beside site/ and swaps it in at the end; a build that
fails or is killed leaves site/ exactly as it was, and the next build removes its leftovers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import news, run, write_files
from support.snapshot import leftovers, snapshot

from parkpress.publish import output
from parkpress.publish.publisher import VERIFY_LATER_FROM, file_state, folder_state, verify_later

MANY = 60  # news items per language: enough that writing the site takes a second or more


def many_news(title: str = "Item") -> dict[str, str]:
    files = {}
    for i in range(MANY):
        for lang in ("en", "de", "fr"):
            date = f"20{10 + i % 12}-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00"
            files[f"content/news/item-{i:03d}.{lang}.md"] = news(f"{title} {i} {lang}", date=date, body="Some words. " * 40)
    return files


def start_build(root) -> subprocess.Popen:
    # A session of its own, so the build and any worker processes it forks are paused together.
    return subprocess.Popen(
        [sys.executable, "-m", "parkpress", "--project", str(root), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_for_staging(root, process: subprocess.Popen) -> bool:
    """Wait until the build has begun writing; False if it ended first."""
    while process.poll() is None:
        if leftovers(root):
            return True
        time.sleep(0.002)
    return False


def fingerprint(folder) -> str:
    return fingerprint_of(snapshot(folder))


@pytest.fixture
def two_sites(make_site):
    """A built site of many news items whose content has since changed: (root, site before, site after).

    The content is back at the changed version when this returns, with site/ as it was before.
    """
    root = make_site(many_news())
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    write_files(root, many_news("Changed"))  # the next site differs in every news page
    assert run(root, "build").code == 0
    after = snapshot(root / "site")
    assert after != before
    write_files(root, many_news())
    assert run(root, "build").code == 0
    assert snapshot(root / "site") == before
    write_files(root, many_news("Changed"))
    return root, before, after


def test_while_a_build_runs_the_site_is_always_the_old_or_the_new_one(two_sites):
    # The build is paused at random moments, many times; what site/ holds then is what
    # a kill at that moment would leave behind (the kernel undoes nothing).
    root, before, after = two_sites
    rng = random.Random(11)
    process = start_build(root)
    seen, while_writing = [], 0
    while process.poll() is None:
        time.sleep(rng.uniform(0, 0.02))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGSTOP)
            while_writing += bool(leftovers(root))
            seen.append(fingerprint(root / "site"))
            os.killpg(process.pid, signal.SIGCONT)
    assert process.wait() == 0, process.stderr.read().decode()
    assert snapshot(root / "site") == after
    old, new = fingerprint_of(before), fingerprint_of(after)
    assert set(seen) <= {old, new}
    assert while_writing >= 10, "too few pauses landed while the build was writing"


def fingerprint_of(files: dict) -> str:
    return hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()


def test_a_build_killed_at_random_moments_leaves_the_previous_site_byte_identical(two_sites):
    root, before, after = two_sites
    rng = random.Random(7)
    killed_while_writing = 0
    for _ in range(5):
        process = start_build(root)
        writing_began = wait_for_staging(root, process)
        time.sleep(rng.uniform(0, 0.5))
        running = process.poll() is None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        state = snapshot(root / "site")
        if running and writing_began:
            killed_while_writing += 1
            assert state in (before, after)  # `after` only if the kill came after the swap
            if state == before:
                assert leftovers(root), "a build killed mid-way leaves its staging folder"
        else:
            assert state == after
    assert killed_while_writing, "no kill landed while the build was writing"

    assert run(root, "build").code == 0
    assert snapshot(root / "site") == after
    assert leftovers(root) == []


def test_a_build_that_fails_while_writing_leaves_the_previous_site_and_no_staging_folder(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    write_files(root, {"templates/news.html": '{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}'})
    result = run(root, "build")
    assert result.code == 1
    assert "templates/news.html:1: error:" in result.err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_the_next_build_removes_what_dead_builds_left(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    for name in (".site.staging-123", ".site.staging-456/en", ".site.retired-789"):
        (root / name).mkdir(parents=True)
        (root / name / "index.html").write_text("half a site")
    assert run(root, "build").code == 0
    assert leftovers(root) == []
    assert (root / "site/en/index.html").read_text() != "half a site"


def test_a_build_killed_between_the_two_renames_gets_its_previous_site_back(tmp_path):
    # Where the atomic exchange is not available, publishing is two renames; a build
    # killed between them leaves no site/ but a retired one, which comes back.
    live = tmp_path / "site"
    retired = tmp_path / f".site{output.RETIRED}999"
    retired.mkdir()
    (retired / "index.html").write_text("previous site")
    output.remove_leftovers(live)
    assert (live / "index.html").read_text() == "previous site"
    assert leftovers(tmp_path) == []


def test_publishing_without_the_atomic_exchange_still_replaces_the_site(make_site, monkeypatch):
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    root = make_site()
    assert run(root, "build").code == 0
    write_files(root, {"content/pages/about.en.md": "---\ntitle: About us now\nmenu: 1\n---\nWho we are.\n"})
    assert run(root, "build").code == 0
    assert "About us now" in (root / "site/en/about/index.html").read_text()
    assert leftovers(root) == []


def test_two_builds_at_once_both_finish_and_publish_a_whole_site(make_site):
    # One build's cleanup must not delete the other's staging folder: they take turns.
    root = make_site(many_news())
    first, second = start_build(root), start_build(root)
    assert first.wait() == 0, first.stderr.read().decode()
    assert second.wait() == 0, second.stderr.read().decode()
    assert (root / f"site/en/news/item-{MANY - 1:03d}/index.html").is_file()
    assert leftovers(root) == []


def test_a_changed_file_is_a_new_file_never_the_live_one_written_over(make_site, tmp_path):
    # The next site shares unchanged files with the live one (hard links): writing a changed
    # page into a shared file would change the live site before the swap.
    root = make_site()
    assert run(root, "build").code == 0
    for version in ("now", "again"):  # the second build starts from the site the first one retired
        kept = tmp_path / f"live-before-{version}.html"
        os.link(root / "site/en/about/index.html", kept)  # the live file itself, seen from outside
        old = kept.read_bytes()
        write_files(root, {"content/pages/about.en.md": f"---\ntitle: About us {version}\nmenu: 1\n---\nWho we are.\n"})
        assert run(root, "build").code == 0
        assert kept.read_bytes() == old
        assert f"About us {version}" in (root / "site/en/about/index.html").read_text()


# --- checking a recorded folder -------------------------------------------------------------------


def recorded_folder(root, count: int) -> dict[str, tuple]:
    """A folder of ``count`` files and its record, as Publisher keeps one."""
    files = {"": None}
    for n in range(count):
        (root / f"f{n}.html").write_text(str(n), encoding="utf-8")
        files[f"f{n}.html"] = file_state(str(root / f"f{n}.html"), hashlib.blake2b(str(n).encode()).digest())
    files[""] = folder_state(str(root))
    return files


@pytest.mark.parametrize("count", [10, VERIFY_LATER_FROM + 100])  # checked at once, and in a forked process
def test_a_recorded_folder_is_trusted_only_while_every_file_is_as_recorded(tmp_path, count):
    files = recorded_folder(tmp_path, count)
    assert verify_later(tmp_path, files)() is files
    time.sleep(0.01)
    (tmp_path / "f7.html").write_text("changed by hand", encoding="utf-8")
    assert verify_later(tmp_path, files)() is None
    (tmp_path / "f7.html").unlink()
    assert verify_later(tmp_path, files)() is None
