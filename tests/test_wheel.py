"""The wheel, as an agency gets it: built from this repository, installed into a fresh virtual
environment outside it, then ``parkpress init`` in an empty folder, a build, a clean check, valid
pages whose links all resolve; then the customisations an agency makes first (one template, the
stylesheet, a fourth language), all without a file copied from this repository.

The dependencies are installed from the package index with the lock file, as the README's
commands install them (pip's cache makes that quick after the first time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from support.pages import html_files, relative_problems
from support.tools import validate_html

REPO = Path(__file__).resolve().parents[1]
PACKAGE_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "parkpress")
LANGUAGES = "en,de,fr"
SPANISH = """
[languages.es]
name = "Español"
locale = "es_ES"
title = "Invertir en Riverside"
[languages.es.slugs]
news = "noticias"
parks = "parques"
"""


def pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this working tree (its package sources only: nothing else reaches it)."""
    sources = tmp_path_factory.mktemp("sources")
    for name in PACKAGE_SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, sources / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if copy is shutil.copytree else {}))
    out = tmp_path_factory.mktemp("dist")
    pip(Path(sys.executable), "wheel", "--no-deps", "-c", str(REPO / "constraints.txt"), "-w", str(out), str(sources))
    (found,) = out.glob("parkpress-*.whl")
    return found


@pytest.fixture(scope="module")
def parkpress(wheel, tmp_path_factory):
    """parkpress(*args, cwd=folder): the console script of a fresh venv with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv") / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    pip(python, "install", "-c", str(REPO / "constraints.txt"), str(wheel))
    clean_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PARKPRESS_BASE_URL")}

    def command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(env_dir / "bin" / "parkpress"), *args], cwd=cwd, env=clean_env, capture_output=True, text=True)

    command.python = python
    return command


@pytest.fixture(scope="module")
def agency(parkpress, tmp_path_factory) -> Path:
    """A site made with ``init`` by the installed parkpress, built."""
    folder = tmp_path_factory.mktemp("agency")
    made = parkpress("init", "site-src", "--languages", LANGUAGES, "--title", "Invest in Riverside", cwd=folder)
    assert made.returncode == 0, made.stderr
    root = folder / "site-src"
    built = parkpress("build", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def test_the_wheel_carries_the_theme_the_starter_texts_and_the_license(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "parkpress/theme/default"
    expected = {f"parkpress/theme/default/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*") if p.is_file()}
    assert expected <= names
    assert {f"parkpress/commands/starter/{p.name}" for p in (REPO / "parkpress/commands/starter").glob("*.toml")} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_installed_parkpress_is_the_wheels_not_this_repository(parkpress, tmp_path):
    where = subprocess.run(
        [str(parkpress.python), "-c", "import parkpress; print(parkpress.__file__)"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "site-packages" in where.stdout and str(REPO) not in where.stdout


def test_the_new_site_checks_clean(parkpress, agency):
    result = parkpress("check", "--strict", cwd=agency)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("check: 0 errors, 0 warnings;")


def test_the_new_sites_pages_are_valid_html(agency):
    assert validate_html(html_files(agency / "site")) == []


def test_every_link_of_the_new_site_resolves(agency):
    site = agency / "site"
    assert [problem for page in html_files(site) for problem in relative_problems(site, page)] == []


def test_an_agency_overrides_a_template_and_the_css_and_adds_a_language(parkpress, agency):
    templates, static = agency / "templates", agency / "static"
    templates.mkdir()
    static.mkdir()
    (templates / "park.html").write_text(
        '{% extends "theme:park.html" %}\n{% block main %}{{ super() }}<p class="agency-hotline">+86 512 0000 0000</p>{% endblock %}\n',
        encoding="utf-8",
    )
    (static / "site.css").write_text(":root { --accent: #0a5; }\nbody { margin: 0; }\n", encoding="utf-8")
    config = agency / "parkpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + SPANISH, encoding="utf-8")
    for source in (agency / "content").rglob("*.en.md"):
        source.with_name(source.name.replace(".en.md", ".es.md")).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    built = parkpress("build", cwd=agency)
    assert built.returncode == 0, built.stderr
    site = agency / "site"
    assert "agency-hotline" in (site / "es/parques/riverside/index.html").read_text(encoding="utf-8")
    assert "agency-hotline" not in (site / "en/index.html").read_text(encoding="utf-8")
    assert (site / "static/site.css").read_text(encoding="utf-8").startswith(":root { --accent: #0a5; }")
    checked = parkpress("check", cwd=agency)
    assert checked.returncode == 0, checked.stdout
    assert "locales/es/LC_MESSAGES/messages.po: warning: no catalog for 'es'" in checked.stdout, "the English interface is named"
    assert validate_html(html_files(site)) == []
