"""``check``: every problem an editor-in-chief wants to know before publishing, one line each, site/ untouched."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import news, run
from PIL import Image
from support.fixture_site import TAXONOMY

from parkpress.theme.loader import BUILTIN_FOLDER

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NEWS_EN = "content/news/2021-alpha-grows.en.md"
GERMAN_PO = "locales/de/LC_MESSAGES/messages.po"
# Everything the fixture site leaves untranslated: the checks below add to these warnings only.


def missing(section: str, key: str, lang: str) -> str:
    kind = {"news": "news", "pages": "page"}[section]
    return (
        f"content/{section}/{key}.{lang}.md: warning: '{key}' has no '{lang}' version; "
        f"create it with: parkpress new {kind} --translations {key} --lang {lang}"
    )


FIXTURE_WARNINGS = {missing("news", "2020-alpha-ranked", lang) for lang in ("de", "fr")} | {
    missing("pages", "about", lang) for lang in ("de", "fr")
}


@pytest.fixture
def site(make_site):
    """The fixture site with its translations translated (the fixture repeats one body in every language)."""

    def factory(overrides: dict | None = None) -> Path:
        translated = {
            "content/news/2021-alpha-grows.de.md": news("Alpha wächst", body="Text auf Deutsch."),
            "content/news/2021-alpha-grows.fr.md": news("Alpha grandit", body="Texte en français."),
            "content/parks/alpha.de.md": "---\ntitle: Zone Alpha\nsummary: Ein Park.\n---\nÜber den Park.\n",
            "content/parks/alpha.fr.md": "---\ntitle: Zone Alpha FR\nsummary: Un parc.\n---\nÀ propos du parc.\n",
        }
        return make_site({**translated, **(overrides or {})})

    return factory


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def findings(root: Path, *options: str) -> tuple[int, set[str], str]:
    """Exit status, the finding lines and the summary line."""
    result = run(root, "check", *options)
    assert "Traceback" not in result.err
    lines = result.out.splitlines()
    return result.code, set(lines[:-1]), lines[-1]


def new_findings(root: Path) -> tuple[int, set[str]]:
    code, lines, _ = findings(root)
    return code, lines - FIXTURE_WARNINGS


def german_summary(names: str, count: str = "1 label used on pages has", fuzzy: str = "") -> str:
    """What check says at the German catalog when pages show labels it does not translate."""
    them = "it" if count.startswith("1 ") else "them"
    return (
        f"{GERMAN_PO}: warning: {count} no German translation{fuzzy}: {names};"
        f" 'parkpress i18n update' adds what this catalog lacks, then translate {them}"
    )


def edit_catalog(root: Path, msgid: str, string: str | None = None, fuzzy: bool = False) -> int:
    """Change one entry of the site's German catalog, or add one that overrides the theme's;
    return the line check should name."""
    path = root / GERMAN_PO
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = catalog[msgid] or catalog.add(msgid, "")
    assert message.string or string is not None, f"the German catalog translates {msgid!r}"
    if string is not None:
        message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    with path.open("rb") as handle:
        return read_po(handle)[msgid].lineno


def test_a_good_site_has_only_its_missing_translations_to_report_and_site_stays_unwritten(site):
    root = site()
    code, lines, summary = findings(root)
    assert code == 0
    assert lines == FIXTURE_WARNINGS
    assert summary.startswith("check: 0 errors, 4 warnings;") and "pages checked" in summary
    assert not (root / "site").exists()


def test_schema_errors(site):
    root = site({NEWS_EN: news("Alpha grows").replace("summary: Summary of Alpha grows.\n", "")})
    code, lines = new_findings(root)
    assert code == 1
    assert lines == {f"{NEWS_EN}:2: error: missing required field 'summary'; add a line 'summary: …'"}


def test_unknown_park_and_industry(site):
    text = news("Alpha grows", parks="[alpah]").replace("industries: [biomedicine]", "industries: [biomed]")
    code, lines = new_findings(site({NEWS_EN: text}))
    assert code == 1
    assert lines == {
        f"{NEWS_EN}:4: error: unknown park 'alpah'; did you mean 'alpha'?",
        f"{NEWS_EN}:5: error: unknown industry 'biomed'; did you mean 'biomedicine'?",
    }


def test_a_markdown_link_to_a_content_file_that_does_not_exist(site):
    body = "See [the ranking](2020-alpha-rankd.md) and [the park](../parks/alpha.md)."
    code, lines = new_findings(site({NEWS_EN: news("Alpha grows", body=body)}))
    assert code == 1
    assert lines == {f"{NEWS_EN}:10: error: link to 'news/2020-alpha-rankd.md' but no such content in 'en'; check the file name"}


def test_duplicate_output_urls(site):
    root = site({"content/pages/imprint.en.md": "---\ntitle: Imprint\nslug: about\n---\nText.\n"})
    code, lines = new_findings(root)
    assert code == 1
    assert lines == {
        "content/pages/imprint.en.md:1: error: output en/about/index.html is also produced by content/pages/about.en.md; "
        "give one of them another slug",
    }


def test_an_image_without_alt_text(site):
    root = site({NEWS_EN: news("Alpha grows", body="Intro.\n\n![](plant.png)"), "content/news/plant.png": png()})
    code, lines = new_findings(root)
    assert code == 0, "a missing description is a warning"
    assert lines == {f"{NEWS_EN}:12: warning: image 'plant.png' has no alt text; describe what it shows: ![a short description](plant.png)"}


def test_an_image_file_that_does_not_exist(site):
    code, lines = new_findings(site({NEWS_EN: news("Alpha grows", body="![The plant](plant.png)")}))
    assert code == 1
    assert lines == {f"{NEWS_EN}:10: error: file 'news/plant.png' not found in content/; put it next to the Markdown file"}


def test_content_missing_in_a_language(site):
    code, lines = new_findings(site({"content/news/2021-alpha-grows.fr.md": None}))
    assert code == 0
    assert lines == {
        "content/news/2021-alpha-grows.fr.md: warning: '2021-alpha-grows' has no 'fr' version; "
        "create it with: parkpress new news --translations 2021-alpha-grows --lang fr"
    }


def test_a_translation_that_is_still_a_copy_of_its_source(site):
    code, lines = new_findings(site({"content/news/2021-alpha-grows.de.md": news("Alpha wächst")}))
    assert code == 0
    assert lines == {f"content/news/2021-alpha-grows.de.md:10: warning: the text is the same as in {NEWS_EN}; translate it ('de')"}


def test_an_untranslated_catalog_entry(site):
    root = site()
    line = edit_catalog(root, "Biomedicine", string="")
    code, lines = new_findings(root)
    assert code == 0
    assert lines == {
        f"{GERMAN_PO}:{line}: warning: 'Biomedicine' is not translated ('de'); pages show it in English",
        german_summary('"Biomedicine"'),
    }


def test_an_empty_site_entry_leaves_the_themes_translation_in_place(site):
    root = site()
    edit_catalog(root, "Industries", string="")
    assert new_findings(root) == (0, set())


def test_a_taxonomy_label_missing_from_the_sites_catalog(site):
    root = site({"content/taxonomy.yaml": TAXONOMY.replace("logistics: Logistics", "logistics: Logistics\n  batteries: Batteries")})
    code, lines = new_findings(root)
    assert code == 0
    hint = "('parkpress i18n update' does)"
    line = TAXONOMY.splitlines().index("  logistics: Logistics") + 2
    assert lines == {
        f"content/taxonomy.yaml:{line}: warning: 'Batteries' is not translated into '{lang}'; add it to {catalog} {hint}"
        for lang, catalog in (("de", GERMAN_PO), ("fr", GERMAN_PO.replace("/de/", "/fr/")))
    }


def test_a_fuzzy_catalog_entry(site):
    root = site()
    line = edit_catalog(root, "Biomedicine", fuzzy=True)
    code, lines = new_findings(root)
    assert code == 0
    assert lines == {
        f"{GERMAN_PO}:{line}: warning: fuzzy translation of 'Biomedicine': review it, then remove the '#, fuzzy' line",
        german_summary('"Biomedicine"', fuzzy=" (1 only a fuzzy one)"),
    }


def test_a_catalog_entry_whose_placeholders_differ_from_the_source(site):
    root = site()
    line = edit_catalog(root, "%(ranking)s: rank by year", string="%(rangliste)s: Rang nach Jahr")
    code, lines, summary = findings(root)
    assert code == 1
    message = "translation of '%(ranking)s: rank by year' must use the placeholders %(ranking)s, exactly as the source does"
    assert f"{GERMAN_PO}:{line}: error: {message}" in lines
    assert "pages not checked until the errors above are fixed" in summary


def test_a_template_error_found_by_rendering_every_page(site):
    root = site()
    template = root / "templates/page.html"
    template.parent.mkdir()
    theirs = (BUILTIN_FOLDER / "templates/page.html").read_text(encoding="utf-8")
    template.write_text(theirs.replace("{{ title }}", "{{ title.nope() }}", 1), encoding="utf-8")
    code, lines = new_findings(root)
    assert code == 1
    assert any(line.startswith("templates/page.html:") and "(while rendering en/about/index.html)" in line for line in lines), lines
    assert not (root / "site").exists()


def test_strict_makes_warnings_errors(site):
    code, lines, summary = findings(site(), "--strict")
    assert code == 1
    assert lines == {line.replace(": warning: ", ": error: ") for line in FIXTURE_WARNINGS}
    assert summary.startswith("check: 4 errors, 0 warnings;")


def test_json_format_for_tools(site):
    root = site({NEWS_EN: news("Alpha grows", parks="[alpah]")})
    result = run(root, "check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["errors"] == 1 and report["warnings"] == 0 and report["pages"] == 0
    assert report["findings"] == [
        {"path": NEWS_EN, "line": 4, "level": "error", "message": "unknown park 'alpah'; did you mean 'alpha'?"},
    ]


@pytest.mark.parametrize("options", [(), ("--format", "json")])
def test_a_broken_configuration_is_reported_not_raised(site, options):
    root = site({"parkpress.toml": "[site]\nbase_url = 1\n"})
    result = run(root, "check", *options)
    assert result.code == 1
    assert "parkpress.toml" in result.out and "Traceback" not in result.err
