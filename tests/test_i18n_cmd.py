"""``i18n extract | update | stats``: translators get every UI string and taxonomy label, and see what is left."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from conftest import REPO, run

from parkpress.theme.loader import BUILTIN_FOLDER

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


def catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def po(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def project(make_site) -> Path:
    """The fixture site without any catalog yet."""
    root = make_site()
    shutil.rmtree(root / "locales")
    return root


def test_extract_collects_template_strings_with_their_locations(project):
    result = run(project, "i18n", "extract")
    assert result.code == 0, result.err
    pot = catalog(project / "locales/messages.pot")
    assert [path for path, _ in pot["Skip to content"].locations] == ["theme/default/templates/base.html"]
    assert pot["up %(num)s place"].id == ("up %(num)s place", "up %(num)s places")


def test_extract_collects_taxonomy_labels_with_a_comment_naming_the_key(project):
    run(project, "i18n", "extract")
    pot = catalog(project / "locales/messages.pot")
    assert pot["Biomedicine"].auto_comments == ["industry: biomedicine"]
    assert pot["Biomedicine"].locations == [("content/taxonomy.yaml", 2)]
    assert pot["State-level economic and technological development zone"].auto_comments == ["park level: state-etdz"]
    assert pot["Top 100 biomedical industrial parks in China"].auto_comments == ["ranking list: top100-biomedical"]
    assert "site section" in pot["News"].auto_comments


def test_update_creates_a_catalog_for_every_language_but_english(project):
    result = run(project, "i18n", "update")
    assert result.code == 0, result.err
    assert [line.split(" (")[0] for line in result.out.splitlines()[-2:]] == [
        "created locales/de/LC_MESSAGES/messages.po",
        "created locales/fr/LC_MESSAGES/messages.po",
    ]
    assert not po(project, "en").exists()
    pot = catalog(project / "locales/messages.pot")
    for lang, locale in (("de", "de_DE"), ("fr", "fr_FR")):
        created = catalog(po(project, lang))
        assert str(created.locale) == locale
        themes = catalog(BUILTIN_FOLDER / "locales" / lang / "LC_MESSAGES/messages.po")
        # What the theme translates stays out: the site's catalog holds the site's own labels.
        assert {m.id for m in created if m.id} == {m.id for m in pot if m.id} - {m.id for m in themes if m.string}
        assert "Biomedicine" in created and "Skip to content" not in created


def test_update_keeps_existing_translations_and_adds_new_strings(project):
    run(project, "i18n", "update")
    german = catalog(po(project, "de"))
    german.add("Latest news", "Neueste Meldungen")  # the site's own wording, over the theme's
    german["Biomedicine"].string = "Biomedizin"
    with po(project, "de").open("wb") as handle:
        write_po(handle, german)
    (project / "content/taxonomy.yaml").write_text(
        (project / "content/taxonomy.yaml")
        .read_text(encoding="utf-8")
        .replace("  logistics: Logistics\n", "  logistics: Logistics\n  optics: Optics\n"),
        encoding="utf-8",
    )
    assert run(project, "i18n", "extract").code == 0
    result = run(project, "i18n", "update")
    assert result.code == 0, result.err
    assert "updated locales/de/LC_MESSAGES/messages.po" in result.out
    merged = catalog(po(project, "de"))
    assert merged["Latest news"].string == "Neueste Meldungen"
    assert merged["Biomedicine"].string == "Biomedizin"
    assert merged["Optics"].string == ""


def fill(path: Path) -> None:
    """Translate every message of a catalog, keeping its placeholders; a plural gets every form the
    language has (newer CLDR data gives French three: 'one', 'many' and 'other')."""
    messages = catalog(path)
    for message in messages:
        if message.id:
            forms = [message.id[min(n, len(message.id) - 1)] for n in range(messages.num_plurals)] if message.pluralizable else []
            message.string = tuple(f"«{form}»" for form in forms) if message.pluralizable else f"«{message.id}»"
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, messages)


def test_stats_counts_what_a_visitor_sees_from_either_catalog_and_fails_while_labels_are_missing(project):
    run(project, "i18n", "update")
    fill(po(project, "de"))
    total = len({m.id for m in catalog(project / "locales/messages.pot") if m.id})
    labels = len([m for m in catalog(po(project, "fr")) if m.id])  # the site's own: the theme has none of them
    result = run(project, "i18n", "stats")
    assert result.code == 1
    assert result.out.splitlines() == [
        f"de: {total}/{total} translated (100 %), 0 fuzzy, 0 untranslated",
        f"fr: {total - labels}/{total} translated ({100 * (total - labels) // total} %), 0 fuzzy, {labels} untranslated",
    ]
    assert "'parkpress check' lists each untranslated message" in result.err


def test_stats_counts_fuzzy_entries_as_not_translated(project):
    run(project, "i18n", "update")
    fill(po(project, "de"))
    fill(po(project, "fr"))
    french = catalog(po(project, "fr"))
    french["Biomedicine"].flags.add("fuzzy")
    with po(project, "fr").open("wb") as handle:
        write_po(handle, french)
    result = run(project, "i18n", "stats")
    assert result.code == 1
    assert ", 1 fuzzy, 0 untranslated" in result.out.splitlines()[1]


def test_stats_succeeds_when_every_language_is_complete(project):
    run(project, "i18n", "update")
    fill(po(project, "de"))
    fill(po(project, "fr"))
    result = run(project, "i18n", "stats")
    assert result.code == 0, result.out


def test_the_built_site_uses_a_freshly_updated_catalog_without_a_compile_step(project):
    run(project, "i18n", "update")
    german = catalog(po(project, "de"))
    german.add("Latest news", "Neueste Meldungen")
    with po(project, "de").open("wb") as handle:
        write_po(handle, german)
    assert run(project, "build").code == 0
    assert "Neueste Meldungen" in (project / "site/de/index.html").read_text(encoding="utf-8")
    assert not list((project / "locales").rglob("*.mo"))


def test_a_language_the_theme_has_no_catalog_for_is_counted_and_named(project):
    config = (project / "parkpress.toml").read_text(encoding="utf-8")
    japanese = '\n[languages.ja]\nname = "日本語"\nlocale = "ja_JP"\ntitle = "パーク"\n'
    (project / "parkpress.toml").write_text(config + japanese, encoding="utf-8")
    run(project, "i18n", "update")
    result = run(project, "i18n", "stats")
    japanese = next(line for line in result.out.splitlines() if line.startswith("ja:"))
    assert japanese.endswith("untranslated; the theme default has no catalog for ja_JP: its interface shows in English")
    assert "Skip to content" in catalog(po(project, "ja")), "update gives the site every interface string to translate"


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_repository_catalogs_translate_every_string_its_pages_use(lang):
    result = run(REPO, "i18n", "stats")
    assert f"{lang}: " in result.out and "(100 %), 0 fuzzy, 0 untranslated" in next(
        line for line in result.out.splitlines() if line.startswith(f"{lang}: ")
    )
