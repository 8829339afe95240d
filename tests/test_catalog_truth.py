"""Catalog truth: what ``check``, ``i18n stats`` and ``build`` say is untranslated is what the
built pages show in English, taxonomy labels included, with no ``i18n extract`` run first.

The fixture site speaks English (the msgids' language: it needs no catalog) and German; its
taxonomy gains an industry the park is in, whose label the German catalog does not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import PARK, news, run, write_files
from support.edits import clean_build, problems
from support.fixture_site import CONFIG, TAXONOMY

from parkpress.core.problems import Problems
from parkpress.i18n.catalogs import placeholder_errors, read_catalog
from parkpress.theme.loader import BUILTIN_FOLDER

GERMAN_PO = "locales/de/LC_MESSAGES/messages.po"
LABEL = "Medical big data"
TAXONOMY_LINE = TAXONOMY.splitlines().index("  logistics: Logistics") + 2  # the line the label is added on
SUMMARY = (
    f'{GERMAN_PO}: warning: 1 label used on pages has no German translation: "{LABEL}";'
    " 'parkpress i18n update' adds what this catalog lacks, then translate it"
)
PER_LABEL = (
    f"content/taxonomy.yaml:{TAXONOMY_LINE}: warning: '{LABEL}' is not translated into 'de';"
    f" add it to {GERMAN_PO} ('parkpress i18n update' does)"
)
IN_BUILD = SUMMARY + " ('parkpress check' says where each comes from)"


@pytest.fixture
def project(make_site) -> Path:
    """English and German; park alpha is in the new industry, the German catalog lacks its label."""
    return make_site(
        {
            "parkpress.toml": CONFIG.split("\n[languages.fr]")[0],
            "content/taxonomy.yaml": TAXONOMY.replace("logistics: Logistics", f"logistics: Logistics\n  medical-big-data: {LABEL}"),
            "content/parks/alpha.yaml": PARK.replace("industries: [biomedicine]", "industries: [biomedicine, medical-big-data]"),
            "content/parks/alpha.fr.md": None,
            "content/news/2021-alpha-grows.fr.md": None,
        }
    )


def check(root: Path, *options: str) -> tuple[int, set[str]]:
    result = run(root, "check", *options)
    assert "Traceback" not in result.err
    return result.code, set(result.out.splitlines()[:-1])


def add_german(root: Path, msgid: str, string: str, fuzzy: bool = False) -> None:
    path = root / GERMAN_PO
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = catalog.add(msgid, string)
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)


def build_warnings(root: Path) -> list[str]:
    result = run(root, "build", "-v")
    assert result.code == 0, result.err
    return problems(result.out)


# --- check -----------------------------------------------------------------------------------


def test_check_warns_at_the_catalog_and_names_the_taxonomy_line_of_the_label(project):
    code, lines = check(project)
    assert code == 0
    assert SUMMARY in lines and PER_LABEL in lines
    assert not [line for line in lines if "English translation" in line or "'en'" in line], "English is the msgids' language"


def test_strict_check_fails_on_a_label_pages_show_untranslated(project):
    code, lines = check(project, "--strict")
    assert code == 1
    assert SUMMARY.replace(": warning: ", ": error: ") in lines
    assert PER_LABEL.replace(": warning: ", ": error: ") in lines


def test_a_fuzzy_entry_counts_as_missing(project):
    add_german(project, LABEL, "Medizinische Big Data", fuzzy=True)
    code, lines = check(project)
    summary = SUMMARY.replace("translation:", "translation (1 only a fuzzy one):")
    assert code == 0 and summary in lines
    assert any(line.endswith(f"fuzzy translation of '{LABEL}': review it, then remove the '#, fuzzy' line") for line in lines)
    stats = run(project, "i18n", "stats")
    assert stats.code == 1 and ", 1 fuzzy, 0 untranslated" in stats.out


def test_the_translation_added_no_warning_is_left(project):
    add_german(project, LABEL, "Medizinische Big Data")
    code, lines = check(project)
    assert code == 0
    assert not [line for line in lines if LABEL in line]
    assert check(project, "--strict")[0] == 1  # the fixture still misses German news and pages
    assert "de: " in (stats := run(project, "i18n", "stats")).out and "(100 %)" in stats.out and stats.code == 0


# --- i18n stats ------------------------------------------------------------------------------


def test_stats_counts_the_label_as_untranslated_without_an_extract_first(project):
    (project / "locales/messages.pot").unlink(missing_ok=True)
    result = run(project, "i18n", "stats")
    assert result.code == 1
    (german,) = result.out.splitlines()
    done, total = (int(n) for n in german.split()[1].split("/"))
    assert total - done == 1 and german.endswith(", 0 fuzzy, 1 untranslated")
    assert f"({100 * done // total} %)" in german and 100 * done // total < 100


def test_stats_rounds_down_so_that_one_missing_label_of_many_is_not_100_percent(project):
    result = run(project, "i18n", "stats")
    assert "(100 %)" not in result.out


# --- build, and incremental builds -----------------------------------------------------------


def test_the_build_warns_once_per_language_and_keeps_warning_when_only_another_page_changed(project):
    assert IN_BUILD in build_warnings(project)
    write_files(project, {"content/news/2021-alpha-grows.en.md": news("Alpha grows", body="Another text.")})
    incremental = build_warnings(project)
    assert IN_BUILD in incremental
    clean = clean_build(project, project.parent / "clean", "-v")
    assert incremental == problems(clean.out)


def test_a_build_with_nothing_to_do_reports_what_the_last_one_did(project):
    build_warnings(project)
    assert IN_BUILD in build_warnings(project)


def test_an_incremental_build_drops_the_warning_once_the_label_is_translated(project):
    build_warnings(project)
    add_german(project, LABEL, "Medizinische Big Data")
    assert not [line for line in build_warnings(project) if LABEL in line]


def test_a_label_a_template_makes_up_while_rendering_is_named_at_the_page_that_shows_it(project):
    """No file names the message, so only the page looking it up can tell: check names the built page."""
    write_files(project, {"content/pages/about.de.md": "---\ntitle: Über uns\nmenu: 1\n---\nWer wir sind.\n"})
    template = project / "templates/page.html"
    template.parent.mkdir(exist_ok=True)
    theirs = (BUILTIN_FOLDER / "templates/page.html").read_text(encoding="utf-8")
    template.write_text(theirs.replace("{{ title }}", "{{ title }}{{ _('Made' ~ ' up') }}", 1), encoding="utf-8")
    code, lines = check(project)
    assert code == 0
    assert any(line.startswith("site/de/") and "'Made up' is shown untranslated on this page ('de')" in line for line in lines), lines
    assert any(line.startswith(f"{GERMAN_PO}: warning: 2 labels used on pages have no German translation") for line in lines)


# --- plural forms: the placeholder check names the form and its line --------------------------

ARABIC = """\
msgid ""
msgstr ""
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"

msgid "%(count)s park"
msgid_plural "%(count)s parks"
msgstr[0] "لا حدائق"
msgstr[1] "حديقة واحدة"
msgstr[2] "حديقتان"
msgstr[3] "%(count)s حدائق"
msgstr[4] "%(count)s حديقة"
msgstr[5] "%(count)s حديقة"
"""


def placeholder_problems(text: str) -> list[tuple[int, str]]:
    catalog = read_catalog(Path("ar.po"), text.encode(), "ar", Problems(Path(".")))
    return placeholder_errors(catalog, text)


def test_forms_for_exactly_one_number_may_leave_the_number_out():
    assert placeholder_problems(ARABIC) == []


def test_a_form_for_many_numbers_without_the_number_is_named_with_its_msgstr_line_and_numbers():
    text = ARABIC.replace('msgstr[4] "%(count)s حديقة"', 'msgstr[4] "حديقة"')
    ((line, message),) = placeholder_problems(text)
    assert text.splitlines()[line - 1] == 'msgstr[4] "حديقة"'
    assert message.startswith("the form for n = 11, 12, 13, … (msgstr[4]) of '%(count)s park' must use the placeholders %(count)s")


def test_a_form_for_one_number_is_named_by_that_number():
    text = ARABIC.replace('msgstr[2] "حديقتان"', 'msgstr[2] "%(total)s حديقتان"')
    ((line, message),) = placeholder_problems(text)
    assert text.splitlines()[line - 1].startswith("msgstr[2] ")
    assert message.startswith("the form for n = 2 (msgstr[2]) of '%(count)s park'")


def test_the_last_form_of_a_catalogs_last_entry_is_named_at_its_own_line():
    text = ARABIC.replace('msgstr[5] "%(count)s حديقة"', 'msgstr[5] "حديقة"')
    ((line, message),) = placeholder_problems(text)
    assert line == len(text.splitlines()) and message.startswith("the form for n = 100, 101, 102, … (msgstr[5])")
