"""A build writes only into its output folder, and only where each page belongs.

Output paths that would leave the folder are errors naming the source file; an output
folder that is (or holds, or sits inside) the project's sources is refused; two outputs
on one path are an error naming both sources.  Whatever the fixture, nothing outside the
output folder changes.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import CONFIG, TAXONOMY, news, run
from support.snapshot import snapshot

SECRET = "outside/secret.md"
CACHE = "project/.parkpress-cache"


@pytest.fixture
def world(tmp_path, make_site):
    """A project plus a sibling folder outside it; returns (project root, snapshot function)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / SECRET).write_text(news("Secret"))
    (tmp_path / "outside/photo.png").write_bytes(b"\x89PNG outside")

    def make(overrides=None, links=None):
        root = make_site(overrides)
        for link, target in (links or {}).items():
            (root / link).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, root / link)
        return root

    def tree() -> dict[str, object]:
        # The build cache is the one thing besides the output a build may write.
        return {path: value for path, value in snapshot(tmp_path).items() if not path.startswith(CACHE)}

    return make, tree


def failing_build(world, overrides=None, links=None) -> list[str]:
    """Build a hostile fixture; assert it failed and changed nothing at all; return its error lines."""
    make, tree = world
    root = make(overrides, links)
    before = tree()
    result = run(root, "build")
    assert result.code == 1, result.out
    assert tree() == before
    return [line for line in result.err.splitlines() if ": error: " in line]


# Output paths that would leave the output folder

ESCAPES = {
    "news slug climbing out": ("content/news/2021-alpha-grows.en.md", news("Out", extra="slug: ../../outside/x\n")),
    "news slug that is an absolute path": ("content/news/2021-alpha-grows.en.md", news("Out", extra="slug: /tmp/x\n")),
    "page slug of dots": ("content/pages/about.en.md", "---\ntitle: About\nslug: ..\n---\nText.\n"),
    "park file name with a backslash": ("content/parks/a\\..\\..\\x.yaml", "name: X\n"),
    "ranking list key climbing out": (
        "content/taxonomy.yaml",
        TAXONOMY.replace("  top100-biomedical:\n", "  ../../../outside:\n"),
    ),
    "image outside content": ("content/news/2021-alpha-grows.en.md", news("Out", body="![photo](../../../outside/photo.png)")),
}


@pytest.mark.parametrize("case", ESCAPES, ids=list(ESCAPES))
def test_an_output_path_that_would_leave_the_site_is_an_error_naming_its_source(world, case):
    path, text = ESCAPES[case]
    errors = failing_build(world, {path: text})
    assert any(line.startswith(path + ":") for line in errors), errors


def test_a_content_file_linked_from_outside_the_project_is_an_error(world):
    link = "content/news/2022-secret.en.md"
    errors = failing_build(world, links={link: f"../../../{SECRET}"})
    assert len(errors) == 1
    assert errors[0].startswith(f"{link}: error: symbolic link leads to '")
    assert errors[0].endswith(f"{SECRET}', outside content/; copy the file into content/ instead")


def test_a_content_folder_linked_from_outside_the_project_is_an_error(world):
    link = "content/news/2022-secret"
    errors = failing_build(world, links={link: "../../../outside"})
    assert len(errors) == 1
    assert errors[0].endswith("/outside', outside content/; copy the folder into content/ instead"), errors


@pytest.mark.parametrize(
    ("target", "secret"),
    [
        ("../../../.env", {".env": "TOKEN=1"}),  # a hidden file of the project
        ("../../../.git/config", {".git/config": "[remote]"}),
        ("../../../.parkpress-cache/kept.bin", {".parkpress-cache/kept.bin": b"cached"}),
        ("../../../notes.pdf", {"notes.pdf": b"%PDF-1.7 private"}),  # inside the project, outside content/
    ],
)
def test_a_symbolic_link_to_a_project_file_outside_content_is_an_error_naming_its_target(world, target, secret):
    link = "content/news/2021-08-alpha-report/report.pdf"
    errors = failing_build(world, {"content/news/2021-08-alpha-report/index.en.md": news("Report"), **secret}, links={link: target})
    assert len(errors) == 1 and errors[0].startswith(f"{link}: error: symbolic link leads to '"), errors
    assert errors[0].endswith(f"/project/{target.removeprefix('../../../')}', outside content/; copy the file into content/ instead")


def test_a_symbolic_link_to_a_hidden_file_inside_content_is_an_error(world):
    link = "content/news/2021-08-alpha-report/report.pdf"
    hidden = {"content/news/2021-08-alpha-report/index.en.md": news("Report"), "content/.private/report.pdf": b"%PDF-1.7"}
    errors = failing_build(world, hidden, links={link: "../../.private/report.pdf"})
    assert len(errors) == 1 and "symbolic link leads to the hidden '" in errors[0] and errors[0].startswith(link), errors


def test_a_broken_or_looping_symbolic_link_is_an_error(world):
    errors = failing_build(world, links={"content/news/loop.en.md": "loop.en.md"})
    assert errors == [
        "content/news/loop.en.md: error: broken symbolic link (its target is missing, or it loops); remove it or copy the file here"
    ]


def test_a_file_name_that_cannot_be_a_url_is_an_error(world):
    errors = failing_build(world, {'content/news/q&a <"x">.en.md': news("Q&A")})
    message = "becomes part of a URL: rename it using only ASCII letters, digits, '-', '_' and '.'"
    assert errors == [f"""content/news/q&a <"x">.en.md: error: 'q&a <"x">' {message}"""]


def test_a_content_file_that_is_not_a_regular_file_is_an_error_not_a_hang(world, tmp_path):
    make, tree = world
    root = make()
    os.mkfifo(root / "content/news/2022-pipe.en.md")  # reading it would block forever
    before = tree()
    result = run(root, "build")
    assert result.code == 1
    assert "content/news/2022-pipe.en.md: error: not a regular file; replace it with a plain file" in result.err
    assert tree() == before


# A linked folder: read where it stays inside content/, an error naming the link and its target elsewhere


def news_folder_moved(world, where: str, link: str) -> tuple:
    """The fixture with content/news moved to ``where`` (from the project) and linked as ``link``."""
    make, tree = world
    root = make()
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(root / "content/news", root / where)
    os.symlink(link, root / "content/news")
    return root, tree


def test_a_news_folder_linked_to_a_folder_inside_content_is_read(world):
    root, _ = news_folder_moved(world, "content/_shared/news", "_shared/news")
    result = run(root, "build")
    assert result.code == 0, result.err
    page = root / "site/en/news/2021-alpha-grows/index.html"
    assert "Alpha grows" in page.read_text(encoding="utf-8")
    (root / "content/_shared/news/2021-alpha-grows.en.md").write_text(news("Alpha grows on"), encoding="utf-8")
    assert run(root, "build").code == 0
    assert "Alpha grows on" in page.read_text(encoding="utf-8")  # the edit of the folder linked to is seen


@pytest.mark.parametrize(
    ("where", "link"),
    [("elsewhere/news", "../elsewhere/news"), ("../outside/news", "../../outside/news")],
    ids=["inside the project", "outside the project"],
)
def test_a_news_folder_linked_outside_content_is_an_error_naming_the_link_and_its_target(world, where, link):
    root, tree = news_folder_moved(world, where, link)
    before = tree()
    result = run(root, "build")
    assert result.code == 1
    target = (root / where).resolve()
    assert f"content/news: error: symbolic link leads to '{target}', outside content/; copy the folder into content/ instead" in result.err
    assert tree() == before


def test_a_folder_link_leading_outside_that_appears_after_a_build_fails_the_next_build(world):
    make, tree = world
    root = make()
    assert run(root, "build").code == 0
    os.symlink("../../../outside", root / "content/news/2022-more")
    before = tree()
    result = run(root, "build")
    assert result.code == 1, "not a build that finds nothing changed"
    assert "content/news/2022-more: error: symbolic link leads to '" in result.err
    assert tree() == before


def test_a_linked_folder_that_holds_itself_is_an_error_not_an_endless_walk(world):
    errors = failing_build(world, links={"content/news/2022-all/again": "../..", "content/news/2022-self": "."})
    assert errors == [
        "content/news/2022-all/again: error: symbolic link leads back to 'content', which holds it, so reading it would never end;"
        " remove the link",
        "content/news/2022-self: error: symbolic link leads back to 'content/news', which holds it, so reading it would never end;"
        " remove the link",
    ]


# The output folder itself

BAD_OUTPUT_DIRS = {
    "the project root": (".", "is the project folder itself"),
    "the project root, spelled with a slash": ("./", "is the project folder itself"),
    "an absolute path": ("/tmp/site", "must be a folder inside the project"),
    "a folder beside the project": ("../outside", "must be a folder inside the project"),
    "the content folder": ("content", "holds the sources (content)"),
    "a folder inside content": ("content/out", "is inside content"),
    "the templates folder": ("templates", "holds the sources (templates)"),
    "a folder inside static": ("static/out", "is inside static"),
    "the catalogs": ("locales", "holds the sources (locales)"),
    "the configuration file": ("parkpress.toml", "is a file"),
    "a hidden folder such as .git": (".git", "is a hidden folder"),
}


def with_output_dir(name: str) -> dict[str, str]:
    return {"parkpress.toml": CONFIG.replace("news_per_page = 2\n", f'news_per_page = 2\noutput_dir = "{name}"\n')}


@pytest.mark.parametrize("case", BAD_OUTPUT_DIRS, ids=list(BAD_OUTPUT_DIRS))
def test_an_output_folder_that_is_not_a_folder_of_its_own_is_refused(world, case):
    name, reason = BAD_OUTPUT_DIRS[case]
    errors = failing_build(world, with_output_dir(name))
    assert len(errors) == 1 and errors[0].startswith("parkpress.toml:6: error: ") and reason in errors[0], errors


def test_an_output_folder_holding_a_project_is_refused(world):
    errors = failing_build(world, {**with_output_dir("backup"), "backup/content/news/old.en.md": news("Old")})
    assert errors == [
        "parkpress.toml:6: error: output_dir 'backup' contains content/ or parkpress.toml, like a project;"
        " building would replace it: choose another folder"
    ]


@pytest.mark.parametrize(
    ("name", "links", "reason"),
    [
        ("site", {"site": ".."}, "is a symbolic link"),  # the parent of the sources
        ("site", {"site": "../outside"}, "is a symbolic link"),
        ("sub/site", {"sub": "../outside"}, "leads outside the project through a symbolic link"),
        ("sub/project", {"sub": ".."}, "holds the sources (content)"),  # the project root again
    ],
)
def test_an_output_folder_reached_through_a_symbolic_link_is_refused(world, name, links, reason):
    errors = failing_build(world, with_output_dir(name), links=links)
    assert len(errors) == 1 and reason in errors[0], errors


# Two outputs on one path


def test_two_news_items_with_one_slug_are_an_error_naming_both_files(world):
    first, second = "content/news/2021-alpha-grows.en.md", "content/news/2022-beta.en.md"
    errors = failing_build(world, {second: news("Beta", extra="slug: 2021-alpha-grows\n")})
    assert errors == [
        f"{second}:1: error: output en/news/2021-alpha-grows/index.html is also produced by {first}; give one of them another slug"
    ]


def test_a_news_slug_that_is_a_page_number_of_the_news_list_is_an_error(world):
    third = "content/news/2019-alpha-founded.en.md"  # three items at two per page: the list has a page 2
    errors = failing_build(world, {third: news("Alpha founded", date="2019-01-01 10:00", extra='slug: "2"\n')})
    assert errors == [
        f"{third}:1: error: output en/news/2/index.html is also produced by the generated news_list page; give one of them another slug"
    ]


def test_a_page_slug_that_is_a_section_is_an_error_naming_the_page(world):
    page = "content/pages/parks.en.md"
    errors = failing_build(world, {page: "---\ntitle: Parks\n---\nText.\n"})
    assert errors == [
        f"{page}:1: error: output en/parks/index.html is also produced by the generated parks page; give one of them another slug"
    ]


# Two outputs that Windows, macOS or a USB stick take for one path


def test_two_news_items_whose_names_differ_only_in_letter_case_are_an_error_naming_both(world):
    upper, lower = "content/news/Alpha-Report.en.md", "content/news/alpha-report.en.md"
    errors = failing_build(world, {upper: news("Upper", date="2022-01-02 10:00"), lower: news("Lower", date="2022-01-03 10:00")})
    assert errors == [
        f"{lower}: error: output en/news/alpha-report/index.html (the page made from {lower}) and en/news/Alpha-Report/index.html"
        f" (the page made from {upper}) differ only in letter case, which Windows, macOS and most USB sticks take for one file:"
        " rename one so that the names differ in more than that"
    ]


def test_two_bundle_files_whose_names_are_one_name_in_two_unicode_spellings_are_an_error_naming_both(world):
    composed, decomposed = "Caf\u00e9.pdf", "Cafe\u0301.pdf"  # what Linux and macOS keyboards write
    bundle = "content/news/2022-menu"
    files = {
        f"{bundle}/index.en.md": news("Menu", body=f"[One]({composed}) and [two]({decomposed})."),
        f"{bundle}/{composed}": b"%PDF-1.7 one",
        f"{bundle}/{decomposed}": b"%PDF-1.7 two",
    }
    errors = failing_build(world, files)
    assert errors == [
        f"{bundle}/{composed}: error: output media/news/2022-menu/{composed} ({bundle}/{composed}) and media/news/2022-menu/{decomposed}"
        f" ({bundle}/{decomposed}) are one name in two Unicode spellings (an accented letter as one code point, or two),"
        " which Windows, macOS and most USB sticks take for one file:"
        " delete the copy, or rename one so that the names differ in their letters"
    ]


def test_a_bundle_file_named_as_macos_writes_it_is_published(world):
    make, _ = world
    decomposed, bundle = "Cafe\u0301.pdf", "content/news/2022-menu"
    root = make({f"{bundle}/index.en.md": news("Menu", body=f"[The menu]({decomposed})."), f"{bundle}/{decomposed}": b"%PDF-1.7"})
    result = run(root, "build")
    assert result.code == 0, result.err
    assert (root / f"site/media/news/2022-menu/{decomposed}").read_bytes() == b"%PDF-1.7"


# A successful build


def test_a_build_changes_nothing_outside_its_output_folder(world):
    make, tree = world
    root = make(links={"content/news/2022-copy.en.md": "2021-alpha-grows.en.md"})
    before = tree()
    assert run(root, "build").code == 0
    assert run(root, "build").code == 0  # the second one replaces a previous site
    after = {path: value for path, value in tree().items() if not path.startswith("project/site")}
    assert after == before
    assert (root / "site/en/news/2022-copy/index.html").is_file()


# Only a folder parkpress made is replaced

FOREIGN_FOLDERS = {
    "docs, the GitHub Pages convention": ("docs", {"docs/guide.md": "# Guide\n"}),
    "the tests": ("tests", {"tests/test_site.py": "def test(): pass\n"}),
    "a package": ("parkpress", {"parkpress/__init__.py": ""}),
    "a folder of anything": ("site", {"site/CNAME": "parks.example.com\n"}),
}


@pytest.mark.parametrize("case", FOREIGN_FOLDERS, ids=list(FOREIGN_FOLDERS))
def test_an_output_folder_holding_files_parkpress_did_not_make_is_refused_before_anything_moves(world, case):
    name, files = FOREIGN_FOLDERS[case]
    errors = failing_build(world, {**with_output_dir(name), **files})
    first = sorted(files)[0]
    assert errors == [
        f"parkpress.toml:6: error: output_dir '{name}' holds files parkpress did not make ({first}); a build replaces the whole folder:"
        f" choose an empty or new folder, or move those files out (a site an older parkpress built: delete {name}/ and build again)"
    ]


def test_the_output_option_is_refused_the_same_way(world):
    make, tree = world
    root = make({"docs/guide.md": "# Guide\n"})
    before = tree()
    result = run(root, "build", "--output", "docs")
    assert result.code == 1
    assert "(command line): error: --output: output_dir 'docs' holds files parkpress did not make (docs/guide.md)" in result.err
    assert tree() == before


def test_an_empty_or_missing_output_folder_is_taken_and_marked_as_parkpress_s(make_site):
    root = make_site(with_output_dir("docs"))
    (root / "docs").mkdir()
    assert run(root, "build").code == 0
    assert (root / "docs/.parkpress-site").is_file() and (root / "docs/en/index.html").is_file()
    (root / "docs/CNAME").write_text("parks.example.com\n")  # a marked folder stays parkpress's: the next build replaces it
    assert run(root, "build").code == 0
    assert not (root / "docs/CNAME").exists()


def test_a_site_built_before_folders_were_marked_is_still_known_by_the_cache_and_gets_its_marker(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    (root / "site/.parkpress-site").unlink()
    assert run(root, "build").code == 0
    assert (root / "site/.parkpress-site").is_file()


def test_an_unmarked_site_without_its_cache_is_refused_with_how_to_go_on(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    (root / "site/.parkpress-site").unlink()
    shutil.rmtree(root / ".parkpress-cache")
    result = run(root, "build")
    assert result.code == 1
    assert "delete site/ and build again" in result.err
    assert (root / "site/en/index.html").is_file()
