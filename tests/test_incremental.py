"""Incremental builds: a build after edits gives exactly the site a clean build gives, and
writes only the files whose bytes change.

The cache lives in <project>/.parkpress-cache/; the site in site/.  "Clean" means a fresh
copy of the sources with no cache and no site.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import tempfile
from pathlib import Path

from conftest import news, park_prose, run, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.edits import EDITS, HOSTILE_EDITS, clean_build, differences, fixture_project, leftovers, problems, snapshot, touch_css

import parkpress
from parkpress.build import builder
from parkpress.content.model import Document
from parkpress.core import sealed
from parkpress.engine import cache, memo
from parkpress.render import planner
from parkpress.search.live import LiveIndex

# --- helpers ---------------------------------------------------------------------------------


def build(root: Path) -> None:
    result = run(root, "build")
    assert result.code == 0, result.err


def stats(site: Path) -> dict[str, tuple[int, int]]:
    """Every file's (inode, mtime): what a build that rewrites nothing leaves alone."""
    found = {}
    for folder, _, names in os.walk(site):
        for name in names:
            info = os.stat(Path(folder) / name)
            found[(Path(folder) / name).relative_to(site).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


def assert_like_clean(root: Path) -> None:
    result = clean_build(root, root.parent / "clean")
    assert result.code == 0, result.err
    assert differences(root / "site", root.parent / "clean" / "site") == []


def rebuild_like_clean(root: Path, files: dict[str, str]) -> None:
    """Write ``files``, build, and check that the site is the one a clean build gives."""
    write_files(root, files)
    build(root)
    assert_like_clean(root)


# --- a second build, one edit ---------------------------------------------------------------


def test_a_second_build_with_nothing_changed_writes_nothing_and_keeps_the_site_folder(make_site):
    root = make_site()
    build(root)
    before, folder = stats(root / "site"), (root / "site").stat().st_ino
    result = run(root, "build")
    assert result.code == 0
    assert " 0 written" in result.out
    assert stats(root / "site") == before
    assert (root / "site").stat().st_ino == folder  # not even swapped


def test_saving_a_file_unchanged_rewrites_nothing(make_site):
    root = make_site()
    build(root)
    before, folder = stats(root / "site"), (root / "site").stat().st_ino
    path = root / "content/news/2021-alpha-grows.en.md"
    path.write_bytes(path.read_bytes())  # a new modification time, the same bytes
    build(root)
    assert stats(root / "site") == before
    assert (root / "site").stat().st_ino == folder


def test_one_edited_news_item_rewrites_only_the_pages_whose_bytes_change(make_site):
    root = make_site()
    build(root)
    before_bytes, before = snapshot(root / "site"), stats(root / "site")
    path = root / "content/news/2021-alpha-grows.de.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Ein neuer Absatz."), encoding="utf-8")
    build(root)
    after_bytes, after = snapshot(root / "site"), stats(root / "site")
    changed = {rel for rel in after_bytes if after_bytes[rel] != before_bytes.get(rel)}
    rewritten = {rel for rel in after if after[rel] != before.get(rel)}
    assert rewritten == changed
    assert "de/nachrichten/2021-alpha-grows/index.html" in changed
    assert not any(rel.startswith(("en/", "fr/")) for rel in changed)  # the other languages keep every file


def test_an_edited_title_reaches_every_page_that_shows_the_item(make_site):
    root = make_site()
    build(root)
    rebuild_like_clean(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows fast")})
    for page in ("en/index.html", "en/news/index.html", "en/parks/alpha/index.html", "en/feed.xml", "en/news/2020-alpha-ranked/index.html"):
        assert "Alpha grows fast" in (root / "site" / page).read_text(encoding="utf-8"), page


def test_a_renamed_park_reaches_the_search_entries_of_the_news_that_name_it(make_site):
    # The news items' files are unchanged, but their search entries are labelled with the park's name.
    root = make_site()
    build(root)
    rebuild_like_clean(root, {"content/parks/alpha.en.md": park_prose("Alpha Riverside Zone")})
    assert "riverside" in (root / "site/en/search/search-index.js").read_text(encoding="utf-8")


def planned_articles(monkeypatch, root: Path) -> list[tuple[str, str]]:
    """Build ``root`` in this process; (language, key) of every news item page it planned."""
    planned = []
    article = planner.LanguagePlanner.article

    def spy(self, entry):
        planned.append((self.lang, entry.key))
        return article(self, entry)

    monkeypatch.setattr(planner.LanguagePlanner, "article", spy)
    builder.build(root)
    monkeypatch.undo()
    return sorted(planned)


def test_an_edit_of_an_items_text_plans_only_its_own_page(make_site, monkeypatch):
    root = make_site()
    build(root)
    path = root / "content/news/2021-alpha-grows.de.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Ein neuer Absatz."), encoding="utf-8")
    assert planned_articles(monkeypatch, root) == [("de", "2021-alpha-grows")]
    assert_like_clean(root)


def test_an_edited_title_plans_the_pages_that_show_the_item(make_site, monkeypatch):
    root = make_site()
    build(root)
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows fast")})
    # The older item's page links to it as its newer neighbour and lists it as related.
    assert planned_articles(monkeypatch, root) == [("en", "2020-alpha-ranked"), ("en", "2021-alpha-grows")]
    assert_like_clean(root)


def test_a_new_date_plans_the_whole_site(make_site, monkeypatch):
    root = make_site()
    build(root)
    path = root / "content/news/2021-alpha-grows.en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-07-15", "2019-01-02"), encoding="utf-8")
    everything = [("de", "2021-alpha-grows"), ("en", "2020-alpha-ranked"), ("en", "2021-alpha-grows"), ("fr", "2021-alpha-grows")]
    assert planned_articles(monkeypatch, root) == everything
    assert_like_clean(root)


def test_a_deleted_site_folder_is_built_again_in_full(make_site):
    root = make_site()
    build(root)
    expected = snapshot(root / "site")
    shutil.rmtree(root / "site")
    build(root)
    assert snapshot(root / "site") == expected


def test_a_file_changed_by_hand_in_the_site_is_put_right(make_site):
    root = make_site()
    build(root)
    page = root / "site/en/news/2021-alpha-grows/index.html"
    expected = page.read_bytes()
    page.write_text("changed by hand")
    (root / "site/en/stray.html").write_text("not ours")
    build(root)
    assert page.read_bytes() == expected
    assert not (root / "site/en/stray.html").exists()


def test_a_build_that_fails_leaves_the_cache_able_to_build_the_fixed_site(make_site):
    root = make_site()
    build(root)
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows", parks="[nowhere]")})
    assert run(root, "build").code == 1
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows again")})
    build(root)
    assert_like_clean(root)
    assert leftovers(root) == []


def test_a_first_build_reads_many_files_on_all_cores_and_reports_errors_as_ever(make_site, monkeypatch):
    files = {f"content/news/item-{n:03d}.en.md": news(f"Item {n}", date=f"2021-03-{1 + n % 28:02d} 10:00") for n in range(150)}
    files["content/news/item-007.en.md"] = news("Item 7", parks="alpha: x")  # line 4 is not valid YAML
    root = make_site(files)
    parsed_here = []
    read_document = memo.read_document
    monkeypatch.setattr(memo, "read_document", lambda source, *args: parsed_here.append(source.rel) or read_document(source, *args))
    result = run(root, "build")
    assert result.code == 1
    found = problems(result.err)
    assert found and all(line.startswith("content/news/item-007.en.md:4: error:") for line in found)
    assert parsed_here == ["news/item-007.en.md"]  # every other file was read in the worker processes
    rebuild_like_clean(root, {"content/news/item-007.en.md": news("Item 7")})


def test_an_edit_updates_the_search_index_the_last_build_left_in_the_cache(make_site, monkeypatch):
    files = {f"content/news/item-{n:03d}.en.md": news(f"Item {n}", date=f"2021-04-{1 + n % 28:02d} 10:00") for n in range(120)}
    root = make_site(files)
    build(root)  # renders its pages, the search indexes among them, in worker processes
    restored = []
    restore = LiveIndex.restore.__func__
    monkeypatch.setattr(LiveIndex, "restore", classmethod(lambda cls, data: restored.append(cls) or restore(cls, data)))
    edited = news("Item 7", date="2021-04-08 10:00", body="A word no other item has: Zollfreilager.")  # the text, not the date
    write_files(root, {"content/news/item-007.en.md": edited})
    build(root)
    assert restored, "the English index came from the cache, not from merging every item's analysis again"
    assert_like_clean(root)


def test_a_link_that_leads_to_a_hidden_copy_of_its_file_now_fails_the_next_build_as_a_clean_one(make_site):
    # The bytes it gives are the same: only where it leads tells the two apart.
    pdf = b"%PDF-1.7 report"
    link = "content/news/2021-alpha-grows/report.pdf"
    bundle = {"content/news/2021-alpha-grows.en.md": None, "content/news/2021-alpha-grows/index.en.md": news("Alpha grows")}
    root = make_site({**bundle, "content/_shared/report.pdf": pdf, "content/.private/report.pdf": pdf})
    (root / link).symlink_to("../../_shared/report.pdf")
    build(root)
    (root / link).unlink()
    (root / link).symlink_to("../../.private/report.pdf")
    incremental, clean = run(root, "build"), clean_build(root, root.parent / "clean")
    assert incremental.code == clean.code == 1
    refused = f"{link}: error: symbolic link leads to the hidden 'content/.private/report.pdf', which is never published"
    assert problems(incremental.err) == problems(clean.err) == [f"{refused}; link to a visible file"]


# --- a cache that cannot be trusted ----------------------------------------------------------


def poison(root: Path, title: str) -> None:
    """Replace every parsed document in the cache with one titled ``title``."""
    memo._READ.clear()  # builds run in this process, which keeps what it unpickled: it trusts the file not to change under it
    with sqlite3.connect(root / ".parkpress-cache" / cache.FILE) as db:
        for key, value in db.execute("SELECT key, value FROM docs").fetchall():
            doc, found = sealed.unpickled(value, ("docs", key))
            fake = type(doc)(doc.section, doc.key, doc.lang, {**doc.meta, "title": title}, doc.body, doc.rel, doc.lines, doc.body_line)
            db.execute("UPDATE docs SET value = ? WHERE key = ?", (sealed.pickled((fake, found)), key))  # sealed anew: whole, if wrong
        db.execute("UPDATE meta SET value = randomblob(16) WHERE name = 'generation'")  # as every writer does


def test_the_cache_is_what_an_unchanged_file_is_read_from(make_site):
    # The control for the two tests below: a cache that is trusted is used.
    root = make_site()
    build(root)
    poison(root, "Poisoned")
    touch_css(root)
    build(root)
    assert "Poisoned" in (root / "site/en/news/index.html").read_text(encoding="utf-8")


def test_a_new_cache_is_left_in_wal_mode_after_its_first_build(make_site):
    # The first build writes the new database with a rollback journal (cache._reset), quicker
    # for its one large transaction; WAL, which needs no sync at each commit, is for the rest.
    root = make_site()
    build(root)
    with sqlite3.connect(root / ".parkpress-cache" / cache.FILE) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_cached_document_comes_back_equal_with_its_body_decoded_only_when_asked_for():
    doc = Document("news", "x", "en", {"title": "Café"}, "Käse ✓", "content/news/x.en.md", {"title": 2}, 4)
    key = doc.body_key  # cached properties travel with it
    copy = pickle.loads(pickle.dumps(doc))
    assert "body" not in vars(copy)  # still bytes
    assert pickle.loads(pickle.dumps(copy)) == doc  # pickled again before it was read
    assert copy.body == "Käse ✓" and copy == doc and copy.body_key == key
    assert pickle.loads(pickle.dumps(copy)) == doc  # and after
    assert not hasattr(copy, "_missing")


def test_a_cache_of_another_parkpress_version_is_not_used(make_site, monkeypatch):
    root = make_site()
    build(root)
    poison(root, "Poisoned")
    touch_css(root)
    monkeypatch.setattr(parkpress, "__version__", parkpress.__version__ + ".1")
    build(root)
    assert "Poisoned" not in (root / "site/en/news/index.html").read_text(encoding="utf-8")
    assert_like_clean(root)


def test_a_cache_of_another_parkpress_version_forgets_the_search_indexes_it_kept(make_site, monkeypatch):
    root = make_site()
    build(root)
    kept = sorted(path.name for path in (root / ".parkpress-cache").glob("search-*.index"))
    assert kept == ["search-de_DE.index", "search-en.index", "search-fr_FR.index"]
    restored = []
    restore = LiveIndex.restore.__func__
    monkeypatch.setattr(LiveIndex, "restore", classmethod(lambda cls, data: restored.append(cls) or restore(cls, data)))
    monkeypatch.setattr(parkpress, "__version__", parkpress.__version__ + ".1")
    touch_css(root)
    build(root)
    assert not restored, "each index was merged anew, not updated from one the other version left"
    assert_like_clean(root)


def test_a_corrupt_cache_means_a_clean_build(make_site):
    root = make_site()
    build(root)
    (root / ".parkpress-cache" / cache.FILE).write_bytes(b"not a database" * 100)
    touch_css(root)
    build(root)
    assert_like_clean(root)


# --- the property: any edits, then an incremental build equals a clean build ----------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_after_any_edits_an_incremental_build_equals_a_clean_build(data):
    # Edits that break the content among them: a dangling link or a FIFO is no file the snapshot
    # reads, and still fails a clean build, so the incremental one must fail with the same problems.
    edits = EDITS + HOSTILE_EDITS
    with tempfile.TemporaryDirectory() as tmp:
        root = fixture_project(Path(tmp))
        build(root)
        for step in range(data.draw(st.integers(1, 4), label="steps")):
            for edit in data.draw(st.lists(st.sampled_from(edits), min_size=1, max_size=2), label=f"edits {step}"):
                edit(root, data)
            incremental = run(root, "build", "-v")  # -v: the warnings too
            clean = clean_build(root, Path(tmp) / "clean", "-v")
            assert (incremental.code, problems(incremental.out + incremental.err)) == (clean.code, problems(clean.out + clean.err))
            if clean.code == 0:
                assert differences(root / "site", Path(tmp) / "clean" / "site") == []
            assert leftovers(root) == []
