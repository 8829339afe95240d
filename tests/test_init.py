"""``parkpress init``: a new site that builds at once, checks clean and refuses to overwrite anything."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import run
from support.pages import html_files, relative_problems

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


def init(folder: Path, *options: str):
    return run(folder.parent, "init", str(folder), "--title", "Invest in Riverside", *options)


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """A site made by init in English, German and French, built."""
    folder = tmp_path_factory.mktemp("init") / "agency"
    result = init(folder, "--languages", "en,de,fr", "--base-url", "https://invest.riverside.example/")
    assert result.code == 0, result.err
    assert run(folder, "build").code == 0
    return folder


def test_the_new_site_checks_with_no_error_and_no_warning(starter):
    result = run(starter, "check", "--strict")
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].startswith("check: 0 errors, 0 warnings;")


def test_the_new_site_holds_a_park_news_and_an_about_page_in_every_language(starter):
    content = {path.relative_to(starter / "content").as_posix() for path in (starter / "content").rglob("*.md")}
    for lang in ("en", "de", "fr"):
        assert f"parks/riverside.{lang}.md" in content and f"pages/about.{lang}.md" in content
        assert any(name.startswith("news/") and name.endswith(f".{lang}.md") for name in content)
    site = starter / "site"
    assert (site / "de/parks/riverside/index.html").is_file() and (site / "fr/parcs/riverside/index.html").is_file()
    assert "Biomedizin" in (site / "de/parks/riverside/index.html").read_text(encoding="utf-8"), "the labels are translated"


def test_the_configuration_has_a_table_with_translated_slugs_for_every_language(starter):
    config = tomllib.loads((starter / "parkpress.toml").read_text(encoding="utf-8"))
    assert config["site"]["base_url"] == "https://invest.riverside.example/"
    assert list(config["languages"]) == ["en", "de", "fr"]
    assert config["languages"]["de"]["slugs"]["news"] == "nachrichten"
    assert config["languages"]["de"]["locale"] == "de_DE" and config["languages"]["de"]["name"] == "Deutsch"


def test_every_link_of_the_new_site_leads_to_a_file(starter):
    site = starter / "site"
    assert [problem for page in html_files(site) for problem in relative_problems(site, page)] == []


def test_the_new_site_brings_a_deploy_workflow_and_keeps_its_output_out_of_git(starter):
    workflow = (starter / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert "parkpress build --base-url" in workflow and "actions/deploy-pages" in workflow
    assert "/site/" in (starter / ".gitignore").read_text(encoding="utf-8")
    assert (starter / "requirements.txt").read_text(encoding="utf-8").strip().splitlines()[-1].startswith("parkpress==")


def test_init_says_what_to_do_next_with_the_command_in_use(tmp_path):
    result = init(tmp_path / "site-a")
    assert result.code == 0, result.err
    assert f"cd {tmp_path / 'site-a'}" in result.out and "parkpress serve" in result.out


@pytest.mark.parametrize("languages", ["zh,en", "ar,fr,es", "en,pt-br"])
def test_a_site_in_other_languages_builds_and_check_names_what_is_left_in_english(tmp_path, languages):
    folder = tmp_path / "agency"
    assert init(folder, "--languages", languages).code == 0
    result = run(folder, "check")
    assert result.code == 0, result.out
    findings = result.out.splitlines()[:-1]
    codes = languages.split(",")
    no_theme_catalog = [code for code in codes if code not in ("en", "de", "fr", "zh", "ar")]
    for code in no_theme_catalog:
        assert any(f"locales/{code}/LC_MESSAGES/messages.po: warning:" in line and "no catalog" in line for line in findings), findings
    if "pt-br" in codes:  # no starter texts in Portuguese: English ones, which check names
        assert any("pages/about.pt-br.md" in line and "translate it" in line for line in findings)
    assert run(folder, "build").code == 0


def test_the_starter_translations_are_recorded_as_current_and_english_stand_ins_are_not(tmp_path):
    import json

    folder = tmp_path / "agency"
    assert init(folder, "--languages", "en,de,pt-br").code == 0
    result = run(folder, "i18n", "status", "--format", "json")
    assert result.code == 0, result.err
    status = json.loads(result.out)
    counts = {lang: {key: len(status[lang][key]) for key in ("current", "outdated", "unknown")} for lang in ("de", "pt-br")}
    assert counts == {"de": {"current": 3, "outdated": 0, "unknown": 0}, "pt-br": {"current": 0, "outdated": 0, "unknown": 3}}


def test_init_refuses_a_folder_that_holds_a_site(starter):
    before = (starter / "parkpress.toml").read_bytes()
    result = init(starter)
    assert result.code == 1
    assert (
        result.err.splitlines()[0]
        == f"{starter}: error: holds a site already (parkpress.toml); init writes a new site only into a folder without one"
    )
    assert (starter / "parkpress.toml").read_bytes() == before


def test_init_never_replaces_a_file_and_writes_nothing_then(tmp_path):
    folder = tmp_path / "agency"
    (folder / ".github/workflows").mkdir(parents=True)
    (folder / ".github/workflows/pages.yml").write_text("ours\n", encoding="utf-8")
    result = init(folder)
    assert result.code == 1
    assert "pages.yml: error: exists already; init never replaces a file" in result.err
    assert sorted(p.name for p in folder.iterdir()) == [".github"]


def test_init_writes_nothing_through_a_folder_linked_out_of_the_new_site(tmp_path):
    # A cloned folder's .vscode may be a link to the editor's own settings folder.
    elsewhere = tmp_path / "editor-settings"
    elsewhere.mkdir()
    folder = tmp_path / "agency"
    folder.mkdir()
    (folder / ".vscode").symlink_to(elsewhere)
    result = init(folder)
    assert result.code == 1
    assert f".vscode: error: is a symbolic link to {elsewhere}, outside the new site; remove it, or init another folder" in result.err
    assert list(elsewhere.iterdir()) == [] and [p.name for p in folder.iterdir()] == [".vscode"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--languages", "en,xx-nope"), "(command line): error: --languages: 'xx-nope' is not a language code Babel knows"),
        (("--languages", ","), "(command line): error: --languages: give at least one language"),
        (("--base-url", "ftp://example.org/"), "(command line): error: --base-url: 'ftp://example.org/' is not the address of a site"),
    ],
)
def test_bad_options_are_errors_naming_the_option(tmp_path, options, message):
    result = init(tmp_path / "agency", *options)
    assert result.code == 1
    assert result.err.startswith(message), result.err
    assert not (tmp_path / "agency").exists()
