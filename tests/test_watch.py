"""serve's watcher: edits of the sources reach the build as sets of paths, one per burst."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

import pytest

from parkpress.serve.watch import ChangeWatcher

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

TIMEOUT = 10  # seconds; reports come within a fraction of that


@pytest.fixture
def watched(tmp_path):
    """(project folder, queue of reported bursts) with content/ and parkpress.toml watched."""
    (tmp_path / "content/news").mkdir(parents=True)
    (tmp_path / "parkpress.toml").write_text("[site]\n", encoding="utf-8")
    reported: queue.Queue[set[str]] = queue.Queue()
    watcher = ChangeWatcher([tmp_path / "content", tmp_path / "missing"], [tmp_path / "parkpress.toml"], reported.put)
    watcher.start()
    time.sleep(0.3)  # the watches are set up in their threads
    yield tmp_path, reported
    watcher.stop()


def next_burst(reported: queue.Queue) -> set[str]:
    return reported.get(timeout=TIMEOUT)


def test_an_edit_in_a_watched_folder_is_reported_with_its_path(watched):
    root, reported = watched
    news = root / "content/news/a.en.md"
    news.write_text("---\n", encoding="utf-8")
    assert str(news) in next_burst(reported)


def test_a_save_all_comes_as_one_burst(watched):
    root, reported = watched
    names = [root / f"content/news/{n}.en.md" for n in range(5)]
    for name in names:
        name.write_text("---\n", encoding="utf-8")
    assert {str(name) for name in names} <= next_burst(reported)


def test_a_folder_that_appears_later_is_watched_with_what_it_holds(watched):
    root, reported = watched
    (root / "missing").mkdir()  # say static/, made for the site's first override of its theme
    assert str(root / "missing") in next_burst(reported)
    time.sleep(0.3)  # the new folder's watch is set up in its thread
    css = root / "missing/site.css"
    css.write_text("h1 {}\n", encoding="utf-8")
    assert str(css) in next_burst(reported)


def test_a_file_replaced_by_renaming_stays_watched(watched):
    root, reported = watched
    config = root / "parkpress.toml"
    (root / "parkpress.toml.new").write_text("[site]\nnews_per_page = 3\n", encoding="utf-8")
    os.replace(root / "parkpress.toml.new", config)  # how many editors save
    assert str(config) in next_burst(reported)
    time.sleep(0.2)
    config.write_text("[site]\nnews_per_page = 4\n", encoding="utf-8")
    assert str(config) in next_burst(reported)


def test_editor_litter_and_other_files_beside_the_config_are_not_reported(watched):
    root, reported = watched
    (root / "content/news/.a.en.md.swp").write_text("x", encoding="utf-8")
    (root / "content/news/a.en.md~").write_text("x", encoding="utf-8")
    (root / "notes.txt").write_text("x", encoding="utf-8")
    news = root / "content/news/b.en.md"
    news.write_text("---\n", encoding="utf-8")
    assert next_burst(reported) == {str(news)}


def test_stopping_ends_the_watch(tmp_path):
    reported: queue.Queue[set[str]] = queue.Queue()
    watcher = ChangeWatcher([tmp_path], [], reported.put)
    watcher.start()
    time.sleep(0.3)
    watcher.stop()
    assert not any(thread.is_alive() for thread in watcher._threads)
    (Path(tmp_path) / "late.md").write_text("x", encoding="utf-8")
    time.sleep(0.3)
    assert reported.empty()
