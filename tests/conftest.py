"""Shared fixtures: tiny fixture sites written into tmp_path, and the built sample site."""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.fixture_site import CONFIG, REPO, SITE_FILES, TAXONOMY, copy_catalogs

from parkpress.cli import main

PARK = """\
name: Alpha Development Zone
levels: [state-etdz]
province: Tianjin
city: Tianjin
founded: 1991
area_km2: 120.5
industries: [biomedicine]
figures:
  - kind: enterprises
    value: 1500
    year: 2021
  - kind: output-value
    amount: 120000000000
    currency: CNY
    year: 2025
    target: true
rankings:
  - list: top100-biomedical
    year: 2020
    rank: 43
  - list: top100-biomedical
    year: 2021
    rank: 40
"""


def park_prose(title: str, summary: str = "A park.") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\n---\nSome prose about the park.\n"


def news(title: str, date: str = "2021-07-15 10:00", parks: str = "[alpha]", extra: str = "", body: str = "Body text.") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nparks: {parks}\nindustries: [biomedicine]\n"
        f"source:\n  name: Alpha Zone\nsummary: Summary of {title}.\n{extra}---\n{body}\n"
    )


def default_files() -> dict[str, str]:
    """A small valid site: one park and two news items in three languages, one page in English only."""
    files = {
        "parkpress.toml": CONFIG,
        "content/taxonomy.yaml": TAXONOMY,
        "content/parks/alpha.yaml": PARK,
        "content/parks/alpha.en.md": park_prose("Alpha Zone"),
        "content/parks/alpha.de.md": park_prose("Zone Alpha"),
        "content/parks/alpha.fr.md": park_prose("Zone Alpha FR"),
        "content/pages/about.en.md": "---\ntitle: About us\nmenu: 1\n---\nWho we are.\n",
    }
    for lang, title in (("en", "Alpha grows"), ("de", "Alpha wächst"), ("fr", "Alpha grandit")):
        files[f"content/news/2021-alpha-grows.{lang}.md"] = news(title)
    files["content/news/2020-alpha-ranked.en.md"] = news("Alpha ranked", date="2020-07-08 09:00")
    return files


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(root: Path, *args: str) -> Result:
    """Run the command line in-process, as `parkpress --project ROOT ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(root), *args])
    return Result(code, out.getvalue(), err.getvalue())


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")


def copy_sample(root: Path) -> None:
    """The repository's sample site (content, configuration and theme), as a fresh checkout would have it."""
    root.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)


@pytest.fixture
def make_site(tmp_path):
    """make_site({path: text or None}) -> project root with the default fixture site plus overrides."""

    def factory(overrides: dict[str, str | bytes | None] | None = None, theme: bool = True) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        if theme:
            copy_catalogs(root)
        write_files(root, {**default_files(), **(overrides or {})})
        return root

    return factory


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright
    from support.tools import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample site, built once into a temporary copy; returns its site/ folder."""
    root = tmp_path_factory.mktemp("sample")
    copy_sample(root)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def build_fixture_site(root: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the default fixture site plus ``overrides`` into ``root``, build it, return its site/ folder."""
    root.mkdir(parents=True, exist_ok=True)
    copy_catalogs(root)
    write_files(root, {**default_files(), **(overrides or {})})
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The default fixture site, built once for tests that only read it; returns its site/ folder."""
    return build_fixture_site(tmp_path_factory.mktemp("fixture") / "project")
