"""``i18n extract | update | stats``: translators get every UI string and taxonomy label, and see what is left."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from conftest import REPO, copy_sample, run

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
    assert [path for path, _ in pot["Skip to content"].locations] == ["templates/base.html"]
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
    assert result.out.splitlines()[-2:] == ["created locales/de/LC_MESSAGES/messages.po", "created locales/fr/LC_MESSAGES/messages.po"]
    assert not po(project, "en").exists()
    pot = catalog(project / "locales/messages.pot")
    for lang in ("de", "fr"):
        created = catalog(po(project, lang))
        assert str(created.locale) == lang
        assert {m.id for m in created if m.id} == {m.id for m in pot if m.id}


def test_update_keeps_existing_translations_and_adds_new_strings(project):
    run(project, "i18n", "update")
    german = catalog(po(project, "de"))
    german["Latest news"].string = "Neueste Meldungen"
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


def test_stats_counts_per_language_and_fails_while_strings_are_missing(project):
    run(project, "i18n", "update")
    fill(po(project, "de"))
    total = len([m for m in catalog(po(project, "de")) if m.id])
    result = run(project, "i18n", "stats")
    assert result.code == 1
    assert result.out.splitlines() == [
        f"de: {total}/{total} translated (100 %), 0 fuzzy, 0 untranslated",
        f"fr: 0/{total} translated (0 %), 0 fuzzy, {total} untranslated",
    ]


def test_stats_counts_fuzzy_entries_as_not_translated(project):
    run(project, "i18n", "update")
    fill(po(project, "de"))
    fill(po(project, "fr"))
    french = catalog(po(project, "fr"))
    french["News"].flags.add("fuzzy")
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
    german["Latest news"].string = "Neueste Meldungen"
    with po(project, "de").open("wb") as handle:
        write_po(handle, german)
    assert run(project, "build").code == 0
    assert "Neueste Meldungen" in (project / "site/de/index.html").read_text(encoding="utf-8")
    assert not list((project / "locales").rglob("*.mo"))


@pytest.fixture(scope="module")
def current_strings(tmp_path_factory) -> set:
    """The msgids the repository's templates and taxonomy have now (extracted afresh, not the committed .pot)."""
    root = tmp_path_factory.mktemp("extract")
    copy_sample(root)
    result = run(root, "i18n", "extract")
    assert result.code == 0, result.err
    return {m.id for m in catalog(root / "locales/messages.pot") if m.id}


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_repository_catalogs_translate_every_current_string(current_strings, lang):
    committed = catalog(po(REPO, lang))
    done = {m.id for m in committed if m.id and not m.fuzzy and m.string and all(m.string if m.pluralizable else [m.string])}
    assert sorted(map(str, current_strings - done)) == []
    assert sorted(str(m.id) for m in committed if m.id and m.fuzzy) == []
