"""serve's builds (parkpress/serve/session.py): after any edits, told which files changed, a session
builds exactly the site a clean build gives, and reports the same problems.

Edits of texts take the session's quick path, from the changed files alone; anything else
takes an ordinary build.  Both are checked here, and so is which one an edit takes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import news, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.edits import EDITS, clean_build, differences, fixture_project, leftovers, problems, snapshot
from support.snapshot import snapshot as tree

from parkpress.build import builder
from parkpress.core.problems import BuildFailed
from parkpress.serve import session

NEWS_EN = "content/news/2021-alpha-grows.en.md"


def sources(root: Path) -> dict[str, object]:
    return tree(root, skip=("site", ".parkpress-cache"))


def changed(root: Path, before: dict[str, object]) -> set[str]:
    """What the watcher reports: every file or folder added, removed or written to since ``before``."""
    after = sources(root)
    return {str(root / rel) for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel) and not rel.startswith(".")}


def build(built: session.Session, paths: set[str]) -> tuple[int, list[str]]:
    """(exit status, problems) as the command line would give them."""
    try:
        report = built.build(paths)
    except BuildFailed as exc:
        return 1, problems("\n".join(map(str, exc.problems)))
    return 0, problems("\n".join(map(str, report.warnings)))


@pytest.fixture
def counted(monkeypatch):
    """How many ordinary builds (not quick ones) the session made."""
    calls = []
    ordinary = builder.build

    def spy(*args, **kwargs):
        calls.append(args)
        return ordinary(*args, **kwargs)

    monkeypatch.setattr(builder, "build", spy)
    return calls


def test_an_edited_text_is_built_from_the_file_alone(make_site, counted):
    root = make_site()
    built = session.Session(root)
    built.build()
    path = root / NEWS_EN
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "A new paragraph."), encoding="utf-8")
    published = []
    report = built.build({str(path)}, published.append)
    assert len(counted) == 1, "the first build only"
    assert published == [report]
    assert report.written == 3  # the page, the English search index and the service worker
    assert "A new paragraph." in (root / "site/en/news/2021-alpha-grows/index.html").read_text(encoding="utf-8")
    result = clean_build(root, root.parent / "clean")
    assert differences(root / "site", root.parent / "clean" / "site") == [], result.err


def test_a_new_date_takes_an_ordinary_build(make_site, counted):
    root = make_site()
    built = session.Session(root)
    built.build()
    write_files(root, {NEWS_EN: news("Alpha grows", date="2019-01-02 10:00")})
    built.build({str(root / NEWS_EN)})
    assert len(counted) == 2


def test_a_broken_file_reports_every_error_as_a_build_does(make_site):
    root = make_site()
    built = session.Session(root)
    built.build()
    write_files(root, {NEWS_EN: news("Alpha grows", parks="[nowhere]")})
    with pytest.raises(BuildFailed) as failed:
        built.build({str(root / NEWS_EN)})
    assert any(NEWS_EN in str(problem) and "unknown park 'nowhere'" in str(problem) for problem in failed.value.problems)


def test_a_site_folder_removed_under_the_session_is_built_again(make_site, counted):
    root = make_site()
    built = session.Session(root)
    built.build()
    expected = snapshot(root / "site")
    path = root / NEWS_EN
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # saved unchanged
    (root / "site").rename(root / "elsewhere")
    built.build({str(path)})
    assert len(counted) == 2
    assert snapshot(root / "site") == expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_after_any_edits_a_session_build_equals_a_clean_build(data):
    with tempfile.TemporaryDirectory() as tmp:
        root = fixture_project(Path(tmp))
        built = session.Session(root)
        built.build()
        # Texts are edited more often than anything else, as by editors: the quick path is the one to try.
        texts = [edit for edit in EDITS if edit.__name__ in ("edit_news_text", "edit_news_same_size")]
        for step in range(data.draw(st.integers(1, 5), label="steps")):
            before = sources(root)
            kinds = st.sampled_from(EDITS) if data.draw(st.booleans(), label="any edit") else st.sampled_from(texts)
            for edit in data.draw(st.lists(kinds, min_size=1, max_size=2), label=f"edits {step}"):
                edit(root, data)
            outcome = build(built, changed(root, before))
            clean = clean_build(root, Path(tmp) / "clean", "--verbose")  # which lists warnings too
            assert outcome == (clean.code, problems(clean.err + clean.out))
            if clean.code == 0:
                assert differences(root / "site", Path(tmp) / "clean" / "site") == []
            assert leftovers(root) == []
