"""The default theme speaks Chinese and Arabic: complete catalogs that parkpress finds and accepts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import CONFIG, run
from test_i18n_cmd import fill, po

from parkpress.core.problems import Problems
from parkpress.i18n.catalogs import placeholder_errors, read_catalog, theme_po_path
from parkpress.theme.loader import BUILTIN_FOLDER

LOCALES = BUILTIN_FOLDER / "locales"
CHINESE_AND_ARABIC = (
    '\n[languages.zh]\nname = "中文"\nlocale = "zh_Hans_CN"\ntitle = "园区观察"\n'
    '\n[languages.ar]\nname = "العربية"\nlocale = "ar"\ntitle = "مرصد المجمعات"\n'
)


def theme_msgids() -> set:
    """Every msgid of the theme: its German catalog holds them all (the sample's stats check it)."""
    with po_of("de").open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def po_of(folder: str) -> Path:
    return LOCALES / folder / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "zh-Hans-CN", "zh_CN", "zh"])
def test_a_simplified_chinese_locale_finds_the_theme_catalog(locale):
    assert theme_po_path(LOCALES, locale) == po_of("zh_Hans")


@pytest.mark.parametrize(("folder", "locale", "forms"), [("zh_Hans", "zh_Hans_CN", 1), ("ar", "ar", 6)])
def test_the_catalog_translates_every_theme_string_in_full_and_compiles(folder, locale, forms, tmp_path):
    data = po_of(folder).read_bytes()
    problems = Problems(tmp_path)
    catalog = read_catalog(po_of(folder), data, locale, problems)
    assert catalog is not None and not problems.items
    assert catalog.num_plurals == forms
    assert {message.id for message in catalog if message.id} == theme_msgids()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert message.id == "" or (not message.fuzzy and len(strings) in (1, forms) and all(strings)), message.id
    assert placeholder_errors(catalog, data.decode()) == []
    write_mo(io.BytesIO(), catalog, use_fuzzy=False)


def test_arabic_writes_one_and_two_without_the_number_and_counts_the_rest():
    catalog: Catalog = read_po(po_of("ar").open("rb"), locale="ar")
    parks = catalog["%(num)s park"].string
    assert parks[1:3] == ("مجمع واحد", "مجمعان")
    assert all("%(num)s" in form for form in parks[3:])


def test_a_site_in_chinese_and_arabic_builds_without_a_missing_catalog_and_is_fully_translated(make_site):
    root = make_site({"parkpress.toml": CONFIG + CHINESE_AND_ARABIC})
    build = run(root, "build")
    assert build.code == 0, build.err
    assert "no catalog" not in build.err
    assert "返回首页" in (root / "site/zh/404.html").read_text(encoding="utf-8")
    assert "الانتقال إلى الصفحة الرئيسية" in (root / "site/ar/404.html").read_text(encoding="utf-8")
    run(root, "i18n", "update")
    for lang in ("zh", "ar"):
        left = {message.id for message in read_po(po(root, lang).open("rb")) if message.id}
        assert not left & theme_msgids(), "the theme's catalog leaves the site nothing of its own to translate"
        fill(po(root, lang))  # the taxonomy's labels, which are the site's
    stats = run(root, "i18n", "stats")
    for lang in ("zh", "ar"):
        line = next(line for line in stats.out.splitlines() if line.startswith(f"{lang}: "))
        assert "(100 %), 0 fuzzy, 0 untranslated" in line, stats.out


@pytest.mark.parametrize("locale", ["zh_Hant_TW", "zh-TW", "zh_HK"])
def test_a_traditional_chinese_locale_is_not_given_the_simplified_catalog(locale):
    assert theme_po_path(LOCALES, locale) is None
