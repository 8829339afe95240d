"""The build cache is disposable: whatever damage it comes to, the next build publishes the site
a clean build gives, and says so in one warning line; what the computer refuses (a full disk, a
read-only or failing file) is an error that says what to do, with the site left as it was.

Each test starts from a copy of one built fixture site (the clean build), damages its cache, and
builds again without site/ and the spare copy, so that the build reads every entry of the cache.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from conftest import default_files, news, run, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from support.edits import snapshot
from support.fixture_site import copy_catalogs
from support.snapshot import leftovers

from parkpress.core import parallel, sealed
from parkpress.engine import cache, memo
from parkpress.publish.publisher import SPARE
from parkpress.render.compiled import CompiledTemplates

CACHE = ".parkpress-cache"
TEXT = "The lab opened in 2021."  # in one document only
WARNING = re.compile(rf"^{re.escape(CACHE)}(/{cache.FILE})?: warning: ", re.MULTILINE)


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The fixture site with a photo, built once: its project folder and its site's files."""
    root = tmp_path_factory.mktemp("built") / "project"
    root.mkdir()
    copy_catalogs(root)
    files = default_files() | {
        "content/news/2021-alpha-grows.en.md": None,
        "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body=f"{TEXT}\n\n![The new lab](lab.jpg)"),
        "content/news/2021-alpha-grows/lab.jpg": jpeg(1200, 600),
    }
    write_files(root, files)
    forget_what_this_process_kept()  # else templates compiled by earlier tests are never written to this cache
    result = run(root, "build")
    assert result.code == 0, result.err
    assert not WARNING.search(result.err)  # a first build finds no cache, and nothing damaged
    return root, snapshot(root / "site")


def copy_of(built: tuple[Path, dict[str, bytes]], folder: Path) -> Path:
    root = folder / "project"
    shutil.copytree(built[0], root, symlinks=True)
    return root


def forget_what_this_process_kept() -> None:
    """What a build keeps in memory for the next one in the same process: a new process has none of it."""
    memo._READ.clear()
    cache._KEPT.clear()
    CompiledTemplates._memory.clear()


def rebuild(root: Path):
    """Build as a new process would, which knows only the files: site/ and the spare copy gone."""
    forget_what_this_process_kept()
    shutil.rmtree(root / "site")
    shutil.rmtree(root / CACHE / SPARE)
    return run(root, "build")


def assert_rebuilt_like_clean(root: Path, built: tuple[Path, dict[str, bytes]]) -> str:
    """The next build succeeds with one warning line and the clean build's site; returns that line."""
    result = rebuild(root)
    assert result.code == 0, result.err
    assert differences(snapshot(root / "site"), built[1]) == []
    found = [line for line in result.err.splitlines() if WARNING.match(line)]
    assert len(found) == 1, result.err
    return found[0]


def differences(site: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    return sorted(path for path in site.keys() | clean.keys() if site.get(path) != clean.get(path))


# --- the damage: to a row, a file, a page of the database -------------------------------------


def database(root: Path) -> contextlib.closing:
    return contextlib.closing(sqlite3.connect(root / CACHE / cache.FILE, isolation_level=None))


COLUMNS = {
    "docs": "value",
    "markdown": "value",
    "search": "value",
    "plan": "value",
    "trees": "value",
    "pages": "digest",
    "inputs": "digest",
}


def rows(root: Path, table: str, holding: bytes = b"") -> list[int]:
    with database(root) as db:
        found = db.execute(f"SELECT rowid, {COLUMNS[table]} FROM {table}").fetchall()
    return [rowid for rowid, value in found if holding in value]


def damage_row(root: Path, table: str, rowid: int, damage) -> None:
    with database(root) as db:
        (value,) = db.execute(f"SELECT {COLUMNS[table]} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        db.execute(f"UPDATE {table} SET {COLUMNS[table]} = ? WHERE rowid = ?", (damage(value), rowid))


def cache_files(root: Path, kind: str) -> list[Path]:
    pattern = {"template": "jinja/*", "image": "media/*", "index": "search-*.index"}[kind]
    return sorted((root / CACHE).glob(pattern))


def damage_file(path: Path, damage) -> None:
    path.write_bytes(damage(path.read_bytes()))


def pages_of(root: Path, tables: tuple[str, ...]) -> list[int]:
    """The database's pages that hold ``tables`` (and their indexes), as SQLite numbers them."""
    with database(root) as db:
        return [page for (page,) in db.execute(f"SELECT pageno FROM dbstat WHERE name IN ({','.join('?' * len(tables))})", tables)]


def zero_page(root: Path, page: int) -> None:
    path = root / CACHE / cache.FILE
    with database(root) as db:
        (size,) = db.execute("PRAGMA page_size").fetchone()
    assert not Path(f"{path}-wal").exists()  # every page is in the file itself
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(bytes(size))


def flip(data: bytes, at: int = -1, bit: int = 0) -> bytes:
    at = at % len(data)
    return data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]


def replace(old: bytes, new: bytes):
    return lambda data: data.replace(old, new)


# --- one of each kind ----------------------------------------------------------------------------


def test_a_parsed_document_with_a_changed_byte_is_parsed_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    (row,) = rows(root, "docs", TEXT.encode())
    damage_row(root, "docs", row, replace(b"Alpha grows", b"Alpha glows"))  # the title, not the body: that was rendered by its key
    assert assert_rebuilt_like_clean(root, built) == f"{CACHE}: warning: 1 damaged cache entry was rebuilt"


def test_rendered_markdown_with_a_changed_byte_is_rendered_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    (row,) = rows(root, "markdown", TEXT.encode())
    damage_row(root, "markdown", row, replace(TEXT.encode(), TEXT.replace("lab", "lax").encode()))
    assert_rebuilt_like_clean(root, built)


def test_a_zeroed_piece_of_the_search_index_is_analysed_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    for row in rows(root, "search"):
        damage_row(root, "search", row, lambda data: bytes(len(data)))
    warning = assert_rebuilt_like_clean(root, built)
    assert warning == f"{CACHE}: warning: {len(rows(built[0], 'search'))} damaged cache entries were rebuilt"


def test_a_page_record_with_a_flipped_bit_renders_the_page_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    damage_row(root, "pages", rows(root, "pages")[0], flip)
    assert_rebuilt_like_clean(root, built)


def test_an_input_record_with_a_flipped_bit_reads_the_file_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    damage_row(root, "inputs", rows(root, "inputs")[0], flip)
    assert_rebuilt_like_clean(root, built)


def test_a_folder_record_that_is_not_a_pickle_is_forgotten(built, tmp_path):
    root = copy_of(built, tmp_path)
    damage_row(root, "trees", rows(root, "trees")[0], lambda data: b"not a pickle")
    assert_rebuilt_like_clean(root, built)


def test_a_cut_short_plan_means_the_whole_site_is_planned(built, tmp_path):
    root = copy_of(built, tmp_path)
    (row,) = rows(root, "plan")
    damage_row(root, "plan", row, lambda data: data[: len(data) // 2])
    assert_rebuilt_like_clean(root, built)


def test_a_truncated_compiled_template_is_compiled_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    templates = cache_files(root, "template")
    assert templates, "the build kept its compiled templates in the cache"
    for path in templates:
        damage_file(path, lambda data: data[:10])  # within what Jinja2 reads before its code
    assert_rebuilt_like_clean(root, built)


def test_a_cut_short_resized_image_is_resized_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    images = cache_files(root, "image")
    assert images
    for path in images:
        damage_file(path, lambda data: data[: len(data) - 100])
    warning = assert_rebuilt_like_clean(root, built)
    assert warning == f"{CACHE}: warning: {len(images)} damaged cache entries were rebuilt"


def test_a_search_index_with_a_flipped_bit_is_merged_again(built, tmp_path):
    root = copy_of(built, tmp_path)
    damage_file(cache_files(root, "index")[0], lambda data: flip(data, len(data) // 2, 3))
    assert_rebuilt_like_clean(root, built)


def test_a_zeroed_page_of_the_database_makes_it_anew(built, tmp_path):
    root = copy_of(built, tmp_path)
    zero_page(root, max(pages_of(root, ("docs",))))
    assert assert_rebuilt_like_clean(root, built) == (
        f"{CACHE}/{cache.FILE}: warning: damaged (database disk image is malformed); the cache was made anew"
    )


def test_a_damaged_index_of_the_database_found_only_when_saving_makes_it_anew(built, tmp_path):
    root = copy_of(built, tmp_path)  # the copied site's folders are new to the cache: their records are saved anew
    zero_page(root, max(pages_of(root, ("sqlite_autoindex_trees_1",))))
    assert "database disk image is malformed" in assert_rebuilt_like_clean(root, built)
    with database(root) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_file_that_is_not_a_database_is_made_anew(built, tmp_path):
    root = copy_of(built, tmp_path)
    (root / CACHE / cache.FILE).write_bytes(b"not a database" * 100)
    assert (
        assert_rebuilt_like_clean(root, built)
        == f"{CACHE}/{cache.FILE}: warning: damaged (file is not a database); the cache was made anew"
    )


def test_an_empty_database_file_is_made_without_a_warning(built, tmp_path):
    root = copy_of(built, tmp_path)
    (root / CACHE / cache.FILE).write_bytes(b"")  # a first build killed while making the file
    result = rebuild(root)
    assert result.code == 0, result.err
    assert not WARNING.search(result.err)
    assert snapshot(root / "site") == built[1]


def test_a_file_in_place_of_the_compiled_templates_folder_only_means_compiling_them(built, tmp_path):
    root = copy_of(built, tmp_path)
    shutil.rmtree(root / CACHE / "jinja")
    (root / CACHE / "jinja").write_bytes(b"")
    result = rebuild(root)
    assert result.code == 0, result.err
    assert snapshot(root / "site") == built[1]


def test_a_file_in_place_of_the_spare_copy_of_the_site_is_replaced_by_one(built, tmp_path):
    root = copy_of(built, tmp_path)
    shutil.rmtree(root / CACHE / SPARE)
    (root / CACHE / SPARE).write_bytes(b"")
    result = run(root, "build")
    assert result.code == 0, result.err
    assert snapshot(root / "site") == built[1]
    assert (root / CACHE / SPARE).is_dir()


def test_damage_a_worker_process_finds_is_counted_by_the_build(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)  # workers even on one core

    def job(items: list[int]) -> list[int]:
        for item in items:
            sealed.damaged(("test", item))
        return [os.getpid()] * len(items)

    sealed.take_damaged()
    pids = set(parallel.fork_map(job, list(range(parallel.WORTH_FORKING)), chunk=parallel.WORTH_FORKING // 2))
    assert os.getpid() not in pids
    assert sealed.take_damaged() == {("test", item) for item in range(parallel.WORTH_FORKING)}


# --- the property: any damage, then the clean site ---------------------------------------------


DAMAGE = {
    "flip": lambda data, draw: flip(data, draw(st.integers(0, len(data) - 1)), draw(st.integers(0, 7))),
    "truncate": lambda data, draw: data[: draw(st.integers(0, len(data) - 1))],
    "zero": lambda data, draw: bytes(len(data)),
    "not a pickle": lambda data, draw: b"not a pickle",
}
KINDS = [*COLUMNS, "template", "image", "index", "database page"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_after_any_damage_the_next_build_is_the_clean_one_with_one_warning(built, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_of(built, Path(tmp))
        kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True), label="kinds")
        for kind in sorted(kinds, key=KINDS.index):  # a page of the database last: rows are damaged through SQLite
            how = DAMAGE[data.draw(st.sampled_from(sorted(DAMAGE)), label=f"damage to {kind}")]
            damage = lambda value, how=how: how(value, data.draw)  # noqa: E731
            if kind in COLUMNS:
                damage_row(root, kind, data.draw(st.sampled_from(rows(root, kind)), label="row"), damage)
            elif kind == "database page":
                zero_page(root, data.draw(st.sampled_from(pages_of(root, (*COLUMNS, "meta", "sqlite_schema"))), label="page"))
            else:
                damage_file(data.draw(st.sampled_from(cache_files(root, kind)), label="file"), damage)
        assert_rebuilt_like_clean(root, built)


# --- what the computer refuses ---------------------------------------------------------------


def edited_copy(built: tuple[Path, dict[str, bytes]], folder: Path) -> Path:
    """A copy with a news item made much longer: a build with rows to save, more than the free room in the file."""
    root = copy_of(built, folder)
    write_files(root, {"content/news/2020-alpha-ranked.en.md": news("Alpha ranked", date="2020-07-08 09:00", body="Ranked. " * 50_000)})
    return root


def assert_refused(root: Path, message: str) -> None:
    """The build fails with ``message`` about the cache and nothing else, and leaves the site as it was."""
    before = snapshot(root / "site")
    memo._READ.clear()
    cache._KEPT.clear()
    result = run(root, "build")
    assert result.code == 1
    assert result.err.splitlines() == [message, "failed: 1 error; nothing was published"]
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def connecting_with(monkeypatch, pragma: str) -> None:
    """Every connection to the cache made with ``pragma`` set."""
    connect = cache.BuildCache._connect

    def limited(self, journal: str = "WAL") -> None:
        connect(self, journal)
        self.db.execute(pragma)

    monkeypatch.setattr(cache.BuildCache, "_connect", limited)


def test_a_full_disk_is_an_error_that_says_to_free_space(built, tmp_path, monkeypatch):
    root = edited_copy(built, tmp_path)
    with database(root) as db:
        (pages,) = db.execute("PRAGMA page_count").fetchone()
    connecting_with(monkeypatch, f"PRAGMA max_page_count = {pages}")  # as if the disk had room for no more
    assert_refused(root, f"{CACHE}/{cache.FILE}: error: the disk is full; free some space, then run again")


def test_a_read_only_cache_is_an_error_that_says_to_make_it_writable(built, tmp_path, monkeypatch):
    root = edited_copy(built, tmp_path)
    connecting_with(monkeypatch, "PRAGMA query_only = 1")
    assert_refused(
        root,
        f"{CACHE}/{cache.FILE}: error: cannot be written (a read-only file or file system); "
        f"make {CACHE}/ and the files in it writable for the user who runs parkpress (or delete {CACHE}/), then run again",
    )


def test_an_input_output_error_is_an_error_that_names_it(built, tmp_path, monkeypatch):
    root = edited_copy(built, tmp_path)

    def failing(self, *args) -> None:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode, error.sqlite_errorname = 778, "SQLITE_IOERR_WRITE"  # as SQLite sets them
        raise error

    monkeypatch.setattr(cache.BuildCache, "_save", failing)
    message = "input/output error (SQLITE_IOERR_WRITE): the disk or its connection failed; check the disk, then run again"
    assert_refused(root, f"{CACHE}/{cache.FILE}: error: {message}")


def test_a_file_where_the_cache_folder_belongs_is_an_error_not_deleted(built, tmp_path):
    root = copy_of(built, tmp_path)
    shutil.rmtree(root / CACHE)
    (root / CACHE).write_text("notes\n", encoding="utf-8")
    assert_refused(root, f"{CACHE}: error: is a file where a folder is expected; move it away or rename it, then run again")
    assert (root / CACHE).read_text(encoding="utf-8") == "notes\n"
