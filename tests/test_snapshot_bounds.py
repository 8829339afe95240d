"""The snapshot of a build's inputs reads what the build reads, and nothing else.

The project's configuration, content, templates, catalogs, static and root files are its
inputs; a link beside them (to /, to a huge folder) is never followed, and a link in
content/ that leads out of it is not read, as the build refuses it (content/sources.py):
it is recorded by where it leads, so that a new one fails the next build too.
"""

from __future__ import annotations

import os

import pytest
from conftest import run

from parkpress.engine import snapshot


@pytest.fixture
def taken(monkeypatch):
    """The records of the files the last build's snapshot took, by name."""
    names: list[dict[str, snapshot.Record]] = []
    take = snapshot.take

    def spy(*args, **kwargs):
        result = take(*args, **kwargs)
        names.append(dict(result.files))
        return result

    monkeypatch.setattr(snapshot, "take", spy)
    return lambda: names[-1]


@pytest.fixture
def elsewhere(tmp_path):
    """A folder outside the project, with a file in it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "video.mp4").write_bytes(b"\0" * 4096)
    return folder


def test_links_beside_the_inputs_to_the_root_or_a_large_folder_are_never_read(make_site, taken, elsewhere):
    root = make_site()
    os.symlink("/", root / "everything")
    os.symlink(elsewhere, root / "videos")
    (root / "notes.txt").write_text("not an input\n")
    result = run(root, "build")
    assert result.code == 0, result.err
    names = taken()
    assert "content/news/2021-alpha-grows.en.md" in names and "parkpress.toml" in names
    assert not [name for name in names if name.startswith(("everything/", "videos/", "notes.txt"))]


def test_links_in_content_to_the_root_or_a_file_outside_it_are_not_read_but_refused(make_site, taken, elsewhere):
    root = make_site()
    os.symlink("/", root / "content/pages/everything")
    os.symlink(elsewhere / "video.mp4", root / "content/pages/video.mp4")
    result = run(root, "build")
    assert result.code == 1
    assert "content/pages/everything: error: symbolic link leads to '/', outside content/" in result.err
    assert f"content/pages/video.mp4: error: symbolic link leads to '{elsewhere}/video.mp4', outside content/" in result.err
    links = ("content/pages/everything", "content/pages/video.mp4")
    assert {name: record.size for name, record in taken().items() if name.startswith(links)} == dict.fromkeys(links, snapshot.NOT_READ)


def test_a_linked_templates_folder_is_still_an_input(make_site, taken, tmp_path):
    shared = tmp_path / "shared-templates"
    shared.mkdir()
    (shared / "note.html").write_text("{# kept beside the site, shared by several #}\n")
    root = make_site()
    os.symlink(shared, root / "templates")
    assert run(root, "build").code == 0
    assert "templates/note.html" in taken()
