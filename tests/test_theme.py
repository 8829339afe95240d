"""The built-in theme and a site's overrides: a file in the site's templates/ or static/ replaces
the theme's of the same name, ``theme:NAME`` extends the theme's own, the site's catalog wins
over the theme's, root/ is published at the site's root, and another theme may extend default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run, write_files
from support.edits import differences
from support.fixture_site import CONFIG
from support.snapshot import snapshot

from parkpress.theme.loader import BUILTIN_FOLDER

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NEWS_PAGES = {"en/news/2020-alpha-ranked/index.html", "en/news/2021-alpha-grows/index.html"}
NEWS_PAGES |= {"de/nachrichten/2021-alpha-grows/index.html", "fr/actualites/2021-alpha-grows/index.html"}
NEWS_OVERRIDE = """\
{% extends "theme:news.html" %}
{% block main %}
{{ super() }}
<p class="agency-note">Ask our investment office about this news.</p>
{% endblock %}
"""


@pytest.fixture
def built(make_site):
    """(root, build) of the fixture site: build() builds it again and returns site/."""
    root = make_site()

    def build() -> Path:
        result = run(root, "build")
        assert result.code == 0, result.err
        return root / "site"

    return root, build


def changed_after(root: Path, build, files: dict[str, str | None]) -> set[str]:
    """The output files that differ once ``files`` are written, against a build without them."""
    before = root.parent / "before"
    shutil.copytree(build(), before)
    write_files(root, files)
    return set(differences(before, build()))


# --- overriding templates ---------------------------------------------------------------------


def test_a_site_needs_no_template_or_static_file_of_its_own(built):
    root, build = built
    assert not (root / "templates").exists() and not (root / "static").exists()
    site = build()
    assert (site / "static/site.css").read_bytes() == (BUILTIN_FOLDER / "static/site.css").read_bytes()


def test_an_override_that_extends_the_themes_template_changes_only_the_pages_made_with_it(built):
    root, build = built
    changed = changed_after(root, build, {"templates/news.html": NEWS_OVERRIDE})
    assert {path for path in changed if path.endswith(".html")} == NEWS_PAGES
    assert changed - NEWS_PAGES == {"sw.js"}, "only the service worker's cache version follows"
    page = (root / "site/en/news/2021-alpha-grows/index.html").read_text(encoding="utf-8")
    assert "agency-note" in page and "Alpha grows" in page, "the theme's page, with the site's addition"


def test_an_override_of_a_static_file_replaces_only_that_file(built):
    root, build = built
    css = (BUILTIN_FOLDER / "static/site.css").read_text(encoding="utf-8") + "\n.agency { color: #036; }\n"
    changed = changed_after(root, build, {"static/site.css": css})
    assert changed - {path for path in changed if path.endswith(".html")} == {"static/site.css", "sw.js"}
    assert (root / "site/static/site.css").read_text(encoding="utf-8") == css


def test_a_static_file_of_the_site_is_published_beside_the_themes(built):
    root, build = built
    write_files(root, {"static/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    site = build()
    assert (site / "static/logo.svg").is_file() and (site / "static/search.js").is_file()


def test_a_named_theme_prefix_reaches_that_themes_template(built):
    root, build = built
    write_files(root, {"templates/page.html": NEWS_OVERRIDE.replace("theme:news.html", "default:page.html")})
    page = (build() / "en/about/index.html").read_text(encoding="utf-8")
    assert "agency-note" in page and "Who we are." in page


def test_an_override_filling_a_block_the_theme_lacks_is_an_error_at_its_line(built):
    root, build = built
    site = build()
    before = snapshot(site)
    write_files(root, {"templates/news.html": '{% extends "theme:news.html" %}\n{% block sidebar %}<p>x</p>{% endblock %}\n'})
    result = run(root, "build")
    assert result.code == 1
    theirs = BUILTIN_FOLDER / "templates/news.html"
    assert result.err.splitlines()[0] == (
        f"templates/news.html:2: error: block 'sidebar' is not in theme:news.html ({theirs}), which this template extends, "
        "so it would never show; put {% block sidebar %} back into theme:news.html, or remove this block"
    )
    assert snapshot(site) == before, "nothing was published"


# --- other themes ------------------------------------------------------------------------------

AGENCY_THEME = {
    "themes/agency/theme.toml": 'name = "agency"\nparent = "default"\n',
    "themes/agency/templates/park.html": NEWS_OVERRIDE.replace("theme:news.html", "theme:park.html").replace("agency-note", "theme-note"),
    "themes/agency/static/agency.css": "body { color: #111; }\n",
    "parkpress.toml": CONFIG.replace("[site]\n", '[site]\ntheme = "themes/agency"\n'),
}


def test_a_theme_extends_its_parent_and_the_site_overrides_both(built):
    root, build = built
    site_override = NEWS_OVERRIDE.replace("theme:news.html", "theme:park.html")
    write_files(root, {**AGENCY_THEME, "templates/park.html": site_override})
    site = build()
    page = (site / "en/parks/alpha/index.html").read_text(encoding="utf-8")
    assert "agency-note" in page and "theme-note" in page and "Alpha Development Zone" in page
    assert (site / "static/agency.css").is_file() and (site / "static/site.css").is_file()


def test_an_edit_of_a_theme_folder_is_built(built):
    root, build = built
    write_files(root, AGENCY_THEME)
    build()
    write_files(root, {"themes/agency/static/agency.css": "body { color: #222; }\n"})
    assert (build() / "static/agency.css").read_text(encoding="utf-8") == "body { color: #222; }\n"


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        (
            '"defualt"',
            "parkpress.toml:6: error: unknown theme 'defualt': no folder {root}/defualt with a theme.toml, and no installed "
            "package declares it; did you mean 'default'? themes available by name: default",
        ),
        ('"themes/loop"', "themes/loop/theme.toml:1: error: theme 'loop' cannot be used here (loop -> loop): give each theme its own name"),
        ('"themes/nameless"', "themes/nameless/theme.toml:1: error: missing required field 'name'; add a line 'name = …'"),
    ],
    ids=["a misspelt name", "a theme that is its own parent", "a theme.toml without a name"],
)
def test_a_theme_that_cannot_be_used_is_an_error_naming_the_line_to_fix(built, theme, message):
    root, build = built
    site = build()
    before = snapshot(site)
    write_files(
        root,
        {
            "parkpress.toml": CONFIG.replace("news_per_page = 2\n", f"news_per_page = 2\ntheme = {theme}\n"),
            "themes/loop/theme.toml": 'name = "loop"\nparent = "."\n',
            "themes/loop/templates/base.html": "",
            "themes/nameless/theme.toml": 'parent = "default"\n',
            "themes/nameless/templates/base.html": "",
        },
    )
    result = run(root, "build")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(message.format(root=root)), result.err
    assert snapshot(site) == before


def installed_package(folder: Path, name: str, entry_points: str) -> None:
    """A distribution's metadata, as pip writes it, in a folder put on sys.path."""
    info = folder / f"{name}-1.0.dist-info"
    write_files(info, {"METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", "entry_points.txt": entry_points})


@pytest.mark.parametrize(
    ("module", "files", "reason"),
    [
        ("agency_theme_gone", {}, "loading agency_theme_gone failed (ModuleNotFoundError: No module named 'agency_theme_gone')"),
        ("agency_theme_bare", {"agency_theme_bare/__init__.py": ""}, "holds no theme.toml"),
    ],
    ids=["its module fails to import", "its folder holds no theme"],
)
def test_an_installed_theme_that_cannot_be_loaded_is_named_with_its_package(built, tmp_path, monkeypatch, module, files, reason):
    root, _ = built
    packages = tmp_path / "packages"
    installed_package(packages, "agency-theme", f"[parkpress.themes]\nagency = {module}\n")
    write_files(packages, files)
    monkeypatch.syspath_prepend(str(packages))
    write_files(root, {"parkpress.toml": CONFIG.replace("news_per_page = 2\n", 'news_per_page = 2\ntheme = "agency"\n')})
    result = run(root, "build")
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert first.startswith("parkpress.toml:6: error: theme 'agency' cannot be loaded: package agency-theme declares it, but "), first
    assert reason in first and first.endswith("reinstall that package, or name another theme"), first


# --- catalogs ------------------------------------------------------------------------------


def test_an_entry_of_the_sites_catalog_wins_over_the_themes(built):
    root, build = built
    german = (build() / "de/index.html").read_text(encoding="utf-8")
    assert ">Nachrichten<" in german, "the theme's German catalog"
    po = root / "locales/de/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "News"\nmsgstr "Meldungen"\n', encoding="utf-8")
    german = (build() / "de/index.html").read_text(encoding="utf-8")
    assert ">Meldungen<" in german and ">Nachrichten<" not in german


def test_a_language_the_theme_has_no_catalog_for_shows_the_interface_in_english_and_check_says_so(built):
    root, build = built
    config = CONFIG + '\n[languages.ja]\nname = "日本語"\nlocale = "ja_JP"\ntitle = "パークモニター"\n'
    write_files(root, {"parkpress.toml": config})
    page = (build() / "ja/index.html").read_text(encoding="utf-8")
    assert "Skip to content" in page and 'lang="ja-JP"' in page
    result = run(root, "check")
    assert (
        "locales/ja/LC_MESSAGES/messages.po: warning: no catalog for 'ja': the interface shows English; run 'parkpress i18n update'"
        in result.out.splitlines()
    )


# --- root/ -----------------------------------------------------------------------------------


def test_the_files_of_root_are_published_at_the_sites_root_as_they_are(built):
    root, build = built
    files = {"root/CNAME": "invest.example.org\n", "root/_headers": "/*\n  X-Frame-Options: DENY\n"}
    files["root/.well-known/security.txt"] = "Contact: mailto:security@example.org\n"
    write_files(root, files)
    site = build()
    for rel, text in files.items():
        assert (site / rel.removeprefix("root/")).read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("index.html", "the generated chooser.html page"),
        ("static/site.css", f"the theme's static file {BUILTIN_FOLDER}/static/site.css"),
        ("sw.js", "the generated service worker"),
        ("en/index.html", "the generated home.html page"),
    ],
)
def test_a_file_of_root_that_would_replace_a_generated_one_is_an_error_naming_both(built, name, other):
    root, build = built
    site = build()
    before = snapshot(site)
    write_files(root, {f"root/{name}": "mine\n"})
    result = run(root, "build")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(f"root/{name}: error: would replace {other}"), result.err
    assert snapshot(site) == before


# --- the command line --------------------------------------------------------------------------


def test_project_is_accepted_after_the_command_too(built, tmp_path, monkeypatch):
    from parkpress.cli import main

    root, _ = built
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--project", str(root)]) == 0
    assert main(["new", "news", "--project", str(root), "--park", "alpha", "Second item"]) == 0
    assert list((root / "content/news").glob("*second-item.en.md"))


def test_a_preview_build_goes_to_another_folder_for_another_address(built, monkeypatch):
    root, build = built
    result = run(root, "build", "--output", "preview", "--base-url", "https://preview.example.net/pr-7/")
    assert result.code == 0, result.err
    assert not (root / "site").exists()
    page = (root / "preview/en/index.html").read_text(encoding="utf-8")
    assert 'href="https://preview.example.net/pr-7/en/"' in page
    monkeypatch.setenv("PARKPRESS_BASE_URL", "https://staging.example.net/")
    assert 'href="https://staging.example.net/en/"' in (build() / "en/index.html").read_text(encoding="utf-8")


def test_a_bad_base_url_on_the_command_line_is_an_error_naming_the_option(built):
    root, _ = built
    result = run(root, "build", "--base-url", "mailto:x@example.org")
    assert result.code == 1
    assert result.err.startswith("(command line): error: --base-url (or PARKPRESS_BASE_URL): "), result.err


@pytest.mark.parametrize(
    ("argv0", "expected"),
    [("/usr/local/bin/parkpress", "parkpress"), ("build.py", "python build.py"), ("/tmp/other/__main__.py", "parkpress")],
)
def test_hints_name_the_command_the_user_runs(monkeypatch, argv0, expected):
    from parkpress.core import invocation

    monkeypatch.setattr("sys.argv", [argv0])
    assert invocation.command() == expected
    monkeypatch.setattr("sys.argv", [str(invocation.MAIN)])
    assert invocation.command() == "python -m parkpress"
