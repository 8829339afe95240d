"""Localised facts: a park's place, contact and figure sources written per language in its prose,
the neutral facts shown (marked with their language) where a language writes none, and the place
composed in the order the language's catalog gives."""

from __future__ import annotations

from conftest import build_fixture_site, park_prose, run, write_files

FACTS = """\
name: Taicang Port Zone
levels: [state-etdz]
province: Jiangsu
city: Suzhou
district: Taicang
founded: 1993
industries: [biomedicine]
figures:
  - kind: enterprises
    value: 147
    unit: count
    year: 2019
    source: Taicang Port Zone Office
contact:
  office: Investment Service Center
  address: 1 Example Road, Taicang
"""
GERMAN = """---
title: Hafenzone Taicang
summary: Ein Park.
city: Suzhou (Stadt)
contact:
  office: Investitionsservice
sources:
  Taicang Port Zone Office: Verwaltung der Hafenzone Taicang
---
Text.
"""
ZH_CATALOG = """msgid ""
msgstr ""
"Language: zh_Hans_CN\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "%(district)s, %(city)s, %(province)s"
msgstr "%(province)s%(city)s%(district)s"
"""
ZH = """
[languages.zh]
name = "中文"
locale = "zh_Hans_CN"
title = "投资中国产业园区"
"""


def profile(site, lang: str) -> str:
    return (site / lang / "parks" / "taicang" / "index.html").read_text(encoding="utf-8")


def test_a_language_shows_its_own_names_and_marks_the_neutral_ones_with_their_language(tmp_path):
    site = build_fixture_site(
        tmp_path / "site",
        {
            "content/parks/taicang.yaml": FACTS,
            "content/parks/taicang.en.md": park_prose("Taicang Port Zone"),
            "content/parks/taicang.de.md": GERMAN,
            "content/parks/taicang.fr.md": park_prose("Zone portuaire de Taicang"),
        },
    )
    german = profile(site, "de")
    assert '<span lang="en" dir="ltr">Taicang</span>, Suzhou (Stadt), <span lang="en" dir="ltr">Jiangsu</span>' in german
    assert "<strong>Investitionsservice</strong>" in german
    assert '<span lang="en" dir="ltr">1 Example Road, Taicang</span>' in german
    assert "<td>Verwaltung der Hafenzone Taicang</td>" in german
    english = profile(site, "en")
    assert "<td>Taicang, Suzhou, Jiangsu</td>" in english


def chinese_site(tmp_path, prose: str):
    """Taicang in English and Chinese, with the Chinese pattern for the place."""
    from conftest import CONFIG

    return build_fixture_site(
        tmp_path / "site",
        {
            "parkpress.toml": CONFIG + ZH,
            "locales/zh/LC_MESSAGES/messages.po": ZH_CATALOG,
            "content/parks/taicang.yaml": FACTS,
            "content/parks/taicang.en.md": park_prose("Taicang Port Zone"),
            "content/parks/taicang.zh.md": prose,
        },
    )


def test_the_place_follows_the_order_of_the_languages_catalog(tmp_path):
    site = chinese_site(tmp_path, "---\ntitle: 太仓港区\nsummary: 园区。\nprovince: 江苏省\ncity: 苏州市\ndistrict: 太仓市\n---\n正文。\n")
    assert "<td>江苏省苏州市太仓市</td>" in profile(site, "zh")


def test_a_translated_source_that_no_figure_names_is_an_error_with_a_hint(tmp_path):
    site = build_fixture_site(tmp_path / "site", {"content/parks/taicang.yaml": FACTS, "content/parks/taicang.de.md": GERMAN})
    root = site.parent
    write_files(root, {"content/parks/taicang.de.md": GERMAN.replace("Taicang Port Zone Office:", "Taicang Port Zone Ofice:")})
    result = run(root, "build")
    assert result.code == 1
    assert "taicang.de.md:7: error: unknown figure source 'Taicang Port Zone Ofice'; did you mean 'Taicang Port Zone Office'?" in result.err


def test_a_place_the_language_names_no_part_of_is_shown_whole_as_the_facts_write_it(tmp_path):
    """Composed by the Chinese pattern, the neutral names would run together: "JiangsuSuzhouTaicang"."""
    site = chinese_site(tmp_path, park_prose("太仓港区", "园区。"))
    assert '<td><span lang="en" dir="ltr">Taicang, Suzhou, Jiangsu</span></td>' in profile(site, "zh")
    directory = (site / "zh" / "parks" / "index.html").read_text(encoding="utf-8")
    assert '<p class="meta"><span lang="en" dir="ltr">Suzhou, Jiangsu</span>' in directory
    assert '<option value="Jiangsu/Suzhou" class="city" lang="en" dir="ltr">Suzhou, Jiangsu</option>' in directory
    assert '<option value="Jiangsu" lang="en" dir="ltr">Jiangsu</option>' in directory


def test_a_rankings_publisher_is_marked_with_the_language_of_the_facts(tmp_path):
    from conftest import CONFIG

    site = build_fixture_site(tmp_path / "site", {"parkpress.toml": CONFIG + ZH, "content/parks/alpha.zh.md": park_prose("阿尔法开发区")})
    marked = '由<span lang="en" dir="ltr">CCID Consulting</span>发布。'
    assert marked in (site / "zh" / "rankings" / "index.html").read_text(encoding="utf-8")
    assert marked in (site / "zh" / "rankings" / "top100-biomedical" / "index.html").read_text(encoding="utf-8")
    assert "Published by CCID Consulting." in (site / "en" / "rankings" / "index.html").read_text(encoding="utf-8")
