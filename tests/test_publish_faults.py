"""Publishing never half-fails, and every operating-system error is the editor's to fix.

A folder the site cannot be swapped into is refused before any work; a swap that fails
midway puts the old site back; a full disk, a read-only folder, a file where a folder
belongs or a name too long is one line ``path: error: what happened, what to do``, exit 1,
site/ untouched and no staging folder left behind.

The read-only cases need a builder that permissions stop: tests run as root here, so the
build runs as ``nobody`` (setpriv), in a project that user owns outside pytest's private
temporary folder.  The full disk is a small tmpfs, mounted where the machine lets us.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import default_files, news, run, write_files
from PIL import Image
from support.fixture_site import copy_catalogs
from support.snapshot import leftovers, snapshot

import parkpress
from parkpress.core.problems import BuildFailed
from parkpress.publish import output, publisher
from parkpress.serve import session

CODE = Path(parkpress.__file__).resolve().parent.parent  # what the builder's Python imports parkpress from
READ_ONLY = 0o555


def news_items(title: str, count: int = 40) -> dict[str, str]:
    """Enough news that a build writes for a while (and forks its workers)."""
    files = {}
    for i in range(count):
        for lang in ("en", "de", "fr"):
            files[f"content/news/item-{i:03d}.{lang}.md"] = news(f"{title} {i} {lang}", date=f"2021-03-{1 + i % 28:02d} 10:00")
    return files


# -- building as a user permissions stop --------------------------------------------------


def as_builder() -> list[str]:
    """The command prefix that runs a build as a user who is not root (none if we are not)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("tests run as root, who may write into any folder, and setpriv is missing to build as another user")
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("tests run as root, who may write into any folder, and there is no user 'nobody' to build as")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def start_as_builder(root: Path, *args: str) -> subprocess.Popen:
    command = [*as_builder(), sys.executable, "-m", "parkpress", "--project", str(root), "build", *args]
    env = {**os.environ, "PYTHONPATH": str(CODE), "HOME": str(root.parent)}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def build_as_builder(root: Path, *args: str) -> tuple[int, str]:
    process = start_as_builder(root, *args)
    _, err = process.communicate()
    return process.returncode, err


@pytest.fixture
def builders_site():
    """A fixture site (with many news items) in a folder the builder owns: (project root, write(files))."""
    home = Path(tempfile.mkdtemp(prefix="parkpress-faults-"))  # pytest's tmp_path lies in a folder only root may enter
    home.chmod(0o755)
    root = home / "project"
    root.mkdir()
    copy_catalogs(root)

    def write(files: dict[str, str]) -> None:
        write_files(root, files)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            for folder, _, names in os.walk(root):
                for path in [folder, *(os.path.join(folder, name) for name in names)]:
                    os.lchown(path, nobody.pw_uid, nobody.pw_gid)

    write({**default_files(), **news_items("Item")})
    yield root, write
    for folder, names, _ in os.walk(home):  # as someone who is not root, a read-only folder cannot be emptied
        for name in names:
            os.chmod(os.path.join(folder, name), 0o755)
    shutil.rmtree(home)


def built_and_changed(root: Path, write) -> dict:
    """Build, then change every news item; returns site/ as built."""
    code, err = build_as_builder(root)
    assert code == 0, err
    write(news_items("Changed"))
    return snapshot(root / "site")


def test_a_read_only_site_folder_is_refused_before_any_work_and_stays_as_it_was(builders_site):
    root, write = builders_site
    assert build_as_builder(root)[0] == 0
    (root / "site").chmod(READ_ONLY)
    code, err = build_as_builder(root)
    assert code == 0, err  # nothing changed: nothing to publish, nothing to refuse

    write(news_items("Changed"))
    before = snapshot(root / "site")
    code, err = build_as_builder(root)
    assert code == 1
    assert err.splitlines()[0] == (
        "site: error: cannot publish here: the folder is read-only (permission denied); make it writable or choose --output DIR"
    )
    assert "Traceback" not in err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_read_only_project_folder_is_refused_before_any_work(builders_site):
    root, write = builders_site
    before = built_and_changed(root, write)
    root.chmod(READ_ONLY)
    code, err = build_as_builder(root)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{root}: error: cannot publish here: the folder is read-only (permission denied); make it writable or choose --output DIR"
    )
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def paused_before_the_swap(root: Path, process: subprocess.Popen, before: dict) -> bool:
    """Stop the build (and its workers) while it writes into its staging folder; False if
    it was past the swap by then (a busy machine can keep this process waiting)."""
    while not leftovers(root):
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    os.killpg(process.pid, signal.SIGSTOP)
    while Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()[0] not in "TZ":
        time.sleep(0.001)  # the signal is on its way
    return snapshot(root / "site") == before


def test_a_swap_that_fails_midway_puts_the_old_site_back(builders_site):
    # site/ turns read-only while the build writes, after it was found writable: the new
    # site is swapped in, and the old one cannot move into the cache folder as the spare.
    root, write = builders_site
    before = built_and_changed(root, write)
    for attempt in range(3):
        process = start_as_builder(root)
        if paused_before_the_swap(root, process, before):
            break
        with contextlib.suppress(ProcessLookupError):  # it may have ended
            os.killpg(process.pid, signal.SIGCONT)
        assert process.wait() == 0
        write(news_items(f"Changed {attempt}"))
        before = snapshot(root / "site")
    else:
        pytest.fail("the build was never paused before its swap")
    (root / "site").chmod(READ_ONLY)
    os.killpg(process.pid, signal.SIGCONT)
    _, err = process.communicate()
    assert process.returncode == 1
    assert err.splitlines()[0] == "site: error: permission denied; make it readable and writable for the user who runs parkpress"
    assert snapshot(root / "site") == before
    assert leftovers(root) == []

    (root / "site").chmod(0o755)
    code, err = build_as_builder(root)
    assert code == 0, err
    assert snapshot(root / "site") != before


def test_where_folders_cannot_be_exchanged_a_swap_that_fails_midway_puts_the_old_site_back_too(make_site, monkeypatch):
    # Two renames instead of one exchange (not Linux, or an old C library); the retired site then cannot become the spare.
    root = make_site()
    assert run(root, "build").code == 0
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows again")})
    before = snapshot(root / "site")
    rename = os.rename

    def rename_but_not_into_the_cache(source, target):
        if Path(target).parent.name == ".parkpress-cache":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), source, None, target)
        rename(source, target)

    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", rename_but_not_into_the_cache)
    result = run(root, "build")
    assert result.code == 1
    assert result.err.splitlines()[0] == "site: error: is on another file system; keep the project and its folders on one disk"
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


# -- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def small_disk():
    """A folder on a file system of its own, 16 MB large (to fill, or to make read-only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system (to fill it) needs root")
    folder = Path(tempfile.mkdtemp(prefix="parkpress-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"this machine does not let us mount a small tmpfs: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)
    folder.rmdir()


def fill(disk: Path) -> None:
    with open(disk / "ballast", "wb", buffering=0) as ballast:  # unbuffered: closing it has nothing left to write
        try:
            while True:
                ballast.write(b"\0" * 65536)
                ballast.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_on_a_full_disk_the_build_says_so_and_leaves_the_site_as_it_was(small_disk, make_site):
    root = small_disk / "project"
    shutil.copytree(make_site(news_items("Item")), root)
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    write_files(root, news_items("Changed"))
    fill(small_disk)
    result = run(root, "build")
    assert result.code == 1
    problem = result.err.splitlines()[0]  # the cache or the output folder, whichever is written first
    assert problem.startswith(("site/", f"{root}:", ".parkpress-cache/")), problem
    assert ": error: the disk is full" in problem and problem.endswith("free some space, then run again"), problem
    assert snapshot(root / "site") == before
    assert leftovers(root) == []

    (small_disk / "ballast").unlink()
    assert run(root, "build").code == 0


def test_on_a_read_only_file_system_the_build_says_so_and_leaves_the_site_as_it_was(small_disk, make_site):
    root = small_disk / "project"
    shutil.copytree(make_site(), root)
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows again")})
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run(root, "build")
    assert result.code == 1
    problem = result.err.splitlines()[0]  # the cache or the output folder, whichever is written first
    assert problem.startswith((".parkpress-cache", "site")) and ": error: the file system is read-only" in problem, problem
    assert snapshot(root / "site") == before


def test_a_cache_folder_on_another_disk_is_refused_before_any_work(small_disk, make_site):
    # The retired site moves into the cache folder as the next build's spare: a rename, which cannot cross disks.
    root = make_site()
    os.symlink(small_disk, root / ".parkpress-cache")
    first_build_fails_with(
        root, ".parkpress-cache: error: is on another file system than site/, and the site moves between the two; keep them on one disk"
    )


def first_build_fails_with(root: Path, problem: str, *options: str) -> None:
    """The project's first build fails with ``problem`` first, having made no site and no staging folder."""
    result = run(root, "build", *options)
    assert result.code == 1
    assert result.err.splitlines()[0] == problem
    assert "Traceback" not in result.err
    assert not (root / "site").exists()
    assert leftovers(root) == []


def full_disk_open(file, mode="r", *args, **kwargs):
    """open() on a disk with no room left: a new file is made, and nothing fits in it."""
    if "x" in mode or "w" in mode:
        with builtins.open(file, mode, *args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as write() raises it: naming no file
    return builtins.open(file, mode, *args, **kwargs)


def test_a_page_that_finds_the_disk_full_is_named(make_site, monkeypatch):
    root = make_site()
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows again")})
    monkeypatch.setattr(publisher, "open", full_disk_open, raising=False)  # the publisher's own writes only
    result = run(root, "build")
    assert result.code == 1
    page, _, message = result.err.splitlines()[0].partition(": error: ")
    assert page.startswith("site/en/") and page.endswith(".html"), page  # a page the edit changed, as published
    assert message == "the disk is full (no space left on device); free some space, then run again"
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_quick_build_of_serve_that_finds_the_disk_full_is_named_and_the_next_one_works(make_site, monkeypatch):
    # serve publishes an edited text on its own (serve/session.py), not through build()
    root = make_site()
    built = session.Session(root)
    built.build()
    before = snapshot(root / "site")
    article = root / "content/news/2021-alpha-grows.en.md"
    article.write_text(news("Alpha grows", body="A new paragraph."), encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(publisher, "open", full_disk_open, raising=False)
        with pytest.raises(BuildFailed) as failed:
            built.build({str(article)})
    assert [str(problem) for problem in failed.value.problems] == [
        "site/en/news/2021-alpha-grows/index.html: error: the disk is full (no space left on device); free some space, then run again"
    ]
    assert snapshot(root / "site") == before
    assert leftovers(root) == []

    built.build({str(article)})
    assert "A new paragraph." in (root / "site/en/news/2021-alpha-grows/index.html").read_text(encoding="utf-8")


# -- files where folders belong, names too long ---------------------------------------------


def test_a_cache_folder_that_is_a_file_is_named(make_site):
    root = make_site({".parkpress-cache": "not a folder\n"})
    first_build_fails_with(root, ".parkpress-cache: error: is a file where a folder is expected; move it away or rename it, then run again")


def test_an_output_folder_inside_a_file_is_named(make_site):
    root = make_site({"notes": "a file\n"})
    problem = "notes: error: is a file where a folder is expected; move it away or rename it, then run again"
    first_build_fails_with(root, problem, "--output", "notes/site")


def test_a_published_name_too_long_for_the_disk_is_an_error_naming_it(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    before = snapshot(root / "site")
    name = "p" * 250 + ".png"  # a name the disk holds; its published sizes ('-40w.png') are too long
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(image, "PNG")
    write_files(
        root,
        {
            "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body=f"![A picture]({name})"),
            "content/news/2021-alpha-grows.en.md": None,
            f"content/news/2021-alpha-grows/{name}": image.getvalue(),
        },
    )
    result = run(root, "build")
    assert result.code == 1
    problem = result.err.splitlines()[0]
    assert "p" * 250 in problem and "too long" in problem, problem
    assert "Traceback" not in result.err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_file_whose_name_is_nearly_too_long_is_published_again_when_it_changes(make_site):
    # Its next version is written beside it first: under a name of its own, not its name plus a suffix.
    name = "static/" + "s" * 250 + ".txt"
    root = make_site({name: "one\n"})
    assert run(root, "build").code == 0
    write_files(root, {name: "two\n"})
    result = run(root, "build")
    assert result.code == 0, result.err
    assert (root / "site" / name).read_text() == "two\n"


def test_another_command_meeting_a_file_where_a_folder_belongs_says_so_too(make_site):
    # Not only build: the command line turns what a command leaves unnamed into the same one line.
    root = make_site()
    shutil.rmtree(root / "locales")
    (root / "locales").write_text("not a folder\n")
    result = run(root, "i18n", "update")
    assert result.code == 1
    assert result.err.splitlines() == [
        "locales: error: is a file where a folder is expected; move it away or rename it, then run again",
        "failed: 1 error; nothing was changed",
    ]
