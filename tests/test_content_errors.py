"""Bad input is reported as ``path:line: error: message`` with the fix, all at once, and nothing is published.

Each test breaks a built fixture site in one way, builds again and checks the
exact report, exit status 1 and that the previous site/ is byte for byte as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONFIG, PARK, TAXONOMY, build_fixture_site, news, park_prose, run, write_files

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NEWS = "content/news/2021-alpha-grows.en.md"
GERMAN_PO = "locales/de/LC_MESSAGES/messages.po"
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("built") / "project").parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def fails(built, tmp_path):
    """fails({path: text}) -> the error lines of a build of the broken site, after checking it failed cleanly."""

    def build_broken(overrides: dict[str, str | bytes | None]) -> list[str]:
        root = tmp_path / "project"
        shutil.copytree(built, root, symlinks=True)
        before = snapshot(root / "site")
        write_files(root, overrides)
        result = run(root, "build")
        assert result.code == 1, result.out
        assert "Traceback" not in result.err
        assert snapshot(root / "site") == before
        assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []  # no staging folder left
        *errors, summary = result.err.splitlines()
        assert summary == f"failed: {len(errors)} error{'s' if len(errors) != 1 else ''}; nothing was published"
        return errors

    return build_broken


# Front matter


def test_broken_yaml_in_front_matter_names_its_line(fails):
    text = news("Alpha grows").replace("summary: Summary of Alpha grows.", "summary: Growth: up 5 % in: 2021")
    assert fails({NEWS: text}) == [
        f"{NEWS}:8: error: invalid YAML: mapping values are not allowed in this context"
        " (check indentation, and quote values that contain ': ' or start with [, {, *, & or #)"
    ]


def test_a_markdown_file_without_front_matter(fails):
    assert fails({NEWS: "Alpha grows.\n"}) == [
        f"{NEWS}:1: error: no front matter: start the file with a line '---', the YAML fields, and another '---'"
    ]


def test_front_matter_that_is_never_closed(fails):
    assert fails({NEWS: "---\ntitle: Alpha grows\nAlpha grows.\n"}) == [
        f"{NEWS}:1: error: front matter is not closed: add a line '---' after the last field"
    ]


def test_a_missing_required_field(fails):
    text = news("Alpha grows").replace("summary: Summary of Alpha grows.\n", "")
    assert fails({NEWS: text}) == [f"{NEWS}:2: error: missing required field 'summary'; add a line 'summary: …'"]


def test_values_of_the_wrong_type(fails):
    text = news("Alpha grows").replace("title: Alpha grows", "title: 123").replace("parks: [alpha]", "parks: 5")
    assert fails({NEWS: text}) == [
        f"{NEWS}:2: error: 'title' must be text, got a number; put the value in quotes",
        f"{NEWS}:4: error: 'parks' must be a list of keys such as [wuqing, binhai], got a number",
    ]


@pytest.mark.parametrize("date", ["2021-02-30", "2021-07-15 25:00:00", "15.07.2021", "yesterday"])
def test_a_date_that_is_no_date(fails, date):
    assert fails({NEWS: news("Alpha grows", date=date)}) == [
        f"{NEWS}:3: error: 'date' '{date}' is not a date: write YYYY-MM-DD HH:MM, e.g. 2024-05-16 09:25 (optionally +08:00)"
    ]


def test_an_unknown_field_suggests_the_known_one(fails):
    text = news("Alpha grows", extra="sumary: Typo.\n")
    assert fails({NEWS: text}) == [f"{NEWS}:9: error: unknown field 'sumary'; did you mean 'summary'?"]


def test_a_duplicate_key(fails):
    assert fails({NEWS: news("Alpha grows", extra="title: Alpha grows again\n")}) == [
        f"{NEWS}:9: error: duplicate key 'title' (first given on line 2); keep only one"
    ]


def test_a_file_that_is_not_utf8(fails):
    text = news("Alpha grows", body="First line.\nZweite Zeile f\xfcr Leser.").encode("latin-1")
    assert fails({NEWS: text}) == [f"{NEWS}:11: error: not valid UTF-8 text; save the file with UTF-8 encoding"]


# References between files


def test_an_unknown_park_suggests_the_closest_key(fails):
    assert fails({NEWS: news("Alpha grows", parks="[alpah]")}) == [f"{NEWS}:4: error: unknown park 'alpah'; did you mean 'alpha'?"]


def test_an_unknown_industry_suggests_the_closest_key(fails):
    text = news("Alpha grows").replace("industries: [biomedicine]", "industries: [biomedecine]")
    assert fails({NEWS: text}) == [f"{NEWS}:5: error: unknown industry 'biomedecine'; did you mean 'biomedicine'?"]


def test_an_unknown_figure_kind_and_ranking_list_in_park_facts(fails):
    facts = PARK.replace("kind: enterprises", "kind: enterprise").replace(
        "  - list: top100-biomedical\n    year: 2021", "  - list: top100-biomed\n    year: 2021"
    )
    assert fails({"content/parks/alpha.yaml": facts}) == [
        "content/parks/alpha.yaml:9: error: unknown figure kind 'enterprise'; did you mean 'enterprises'?",
        "content/parks/alpha.yaml:21: error: unknown ranking list 'top100-biomed'; did you mean 'top100-biomedical'?",
    ]


def test_park_facts_that_are_not_a_mapping(fails):
    assert fails({"content/parks/alpha.yaml": "- name: Alpha Development Zone\n"}) == [
        "content/parks/alpha.yaml:1: error: the file must be a mapping of 'field: value' lines, got a list"
    ]


def test_park_prose_without_facts(fails):
    assert fails({"content/parks/beta.en.md": park_prose("Beta Zone")}) == [
        "content/parks/beta.en.md:1: error: no facts for park 'beta': create content/parks/beta.yaml"
    ]


def test_an_error_in_park_facts_is_not_repeated_by_the_files_that_use_the_park(fails):
    assert fails({"content/parks/alpha.yaml": PARK.replace("founded: 1991", 'founded: "1991"')}) == [
        "content/parks/alpha.yaml:5: error: 'founded' must be a whole number between 1800 and 2200, got text"
    ]


def test_an_error_in_the_taxonomy_is_not_repeated_by_the_files_that_use_it(fails):
    taxonomy = TAXONOMY.replace("  logistics: Logistics\n", "  logistics: [Logistics]\n")
    assert fails({"content/taxonomy.yaml": taxonomy}) == [
        "content/taxonomy.yaml:3: error: 'industries' entry 'logistics': must be text, got a list; put the value in quotes"
    ]


# File names and URLs


def test_a_language_suffix_that_is_not_configured(fails):
    assert fails({"content/news/2021-alpha-grows.es.md": news("Alfa crece")}) == [
        "content/news/2021-alpha-grows.es.md: error: language 'es' is not configured (known: en, de, fr);"
        " rename the file or add [languages.es] to parkpress.toml"
    ]


def test_two_news_items_with_one_url_name_both_files(fails):
    other = "content/news/2021-beta-grows.en.md"
    assert fails({other: news("Beta grows", extra="slug: 2021-alpha-grows\n")}) == [
        f"{other}:1: error: output en/news/2021-alpha-grows/index.html is also produced by {NEWS}; give one of them another slug"
    ]


def test_a_page_whose_slug_is_a_section_slug(fails):
    page = "content/pages/nachrichten.de.md"
    assert fails({page: "---\ntitle: Nachrichten\n---\nText.\n"}) == [
        f"{page}:1: error: output de/nachrichten/index.html is also produced by the generated news_list page; give one of them another slug"
    ]


# Catalogs


def test_a_po_file_with_a_syntax_error_names_its_line(fails):
    catalog = PO_HEADER + 'msgid "Home"\nmsgstr "Start"\n\nmsgid "News"\nmsgtsr "Nachrichten"\n'
    assert fails({GERMAN_PO: catalog}) == [
        f"{GERMAN_PO}:9: error: broken catalog: this line is not part of a valid entry (a misspelt msgid or msgstr, or an entry cut short);"
        " fix the entry or run 'parkpress i18n update'"
    ]


def test_a_po_string_with_a_missing_quote_names_its_line(fails):
    catalog = PO_HEADER + 'msgid "Home"\nmsgstr "Start\n\nmsgid "News"\nmsgstr Nachrichten\n'
    assert fails({GERMAN_PO: catalog}) == [
        f'{GERMAN_PO}:6: error: broken catalog: the text must be in double quotes (write \\" for a quote inside it)',
        f'{GERMAN_PO}:9: error: broken catalog: the text must be in double quotes (write \\" for a quote inside it)',
    ]


def test_a_translation_with_other_placeholders_than_its_source(fails):
    catalog = PO_HEADER + 'msgid "founded %(year)s"\nmsgstr "gegründet %(jahr)s"\n'
    assert fails({GERMAN_PO: catalog}) == [
        f"{GERMAN_PO}:5: error: translation of 'founded %(year)s' must use the placeholders %(year)s, exactly as the source does"
    ]


# Configuration


def test_an_unknown_config_key_suggests_the_known_one(fails):
    assert fails({"parkpress.toml": CONFIG.replace("news_per_page = 2", "news_per_pages = 2")}) == [
        "parkpress.toml:5: error: unknown field 'news_per_pages' in 'site'; did you mean 'news_per_page'?"
    ]


def test_a_config_value_of_the_wrong_type(fails):
    assert fails({"parkpress.toml": CONFIG.replace("news_per_page = 2", 'news_per_page = "2"')}) == [
        "parkpress.toml:5: error: 'site.news_per_page' must be a whole number between 1 and 1000, got text"
    ]


def test_a_time_zone_that_does_not_exist(fails):
    assert fails({"parkpress.toml": CONFIG.replace('"Asia/Shanghai"', '"Asia/Beijing"')}) == [
        "parkpress.toml:4: error: 'site.timezone' 'Asia/Beijing' is not a time zone; use an IANA name such as Asia/Shanghai"
    ]


# All at once


def test_errors_in_several_files_are_all_reported_in_one_run(fails):
    errors = fails(
        {
            NEWS: news("Alpha grows", date="2021-13-01"),
            "content/news/2021-alpha-grows.de.md": news("Alpha wächst", parks="[alpah]"),
            "content/parks/alpha.yaml": PARK.replace("kind: enterprises", "kind: enterprise"),
            "content/pages/about.en.md": "---\ntitle: About us\nmenu: first\n---\nWho we are.\n",
            GERMAN_PO: PO_HEADER + 'msgid "founded %(year)s"\nmsgstr "gegründet"\n',
        }
    )
    assert [error.split(": error: ")[0] for error in errors] == [
        "content/news/2021-alpha-grows.de.md:4",
        f"{NEWS}:3",
        "content/pages/about.en.md:3",
        "content/parks/alpha.yaml:9",
        f"{GERMAN_PO}:5",
    ]


def test_a_news_file_beside_a_bundle_of_the_same_item_is_an_error(make_site):
    root = make_site({"content/news/2021-alpha-grows/index.en.md": news("Alpha grows again")})
    result = run(root, "build")
    assert result.code == 1
    assert (
        "content/news/2021-alpha-grows/index.en.md:1: error: '2021-alpha-grows' in 'en' is also "
        "content/news/2021-alpha-grows.en.md; keep one of the two files"
    ) in result.err
