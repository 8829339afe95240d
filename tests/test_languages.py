"""Languages: the switcher, missing translations, hreflang, translated slugs, and adding a language.

The fixture site has English, German and French; one news item and the about
page exist in English only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG, build_fixture_site, news, park_prose, run
from support.pages import Element, elements, find, follow, html_files

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

LANGUAGES = {"en": "en", "de": "de-DE", "fr": "fr-FR"}
BASE_URL = "https://invest.example.org/"
TRANSLATED_ITEM = {"en": "en/news/2021-alpha-grows", "de": "de/nachrichten/2021-alpha-grows", "fr": "fr/actualites/2021-alpha-grows"}


def switcher(page: Path) -> dict[str, Element]:
    """hreflang -> the switcher's link (or, for the page's own language, its marker). A fallback link
    carries its language on the name inside it: its note "(not translated)" is in the page's."""
    entries = [e for e in elements(page) if e.inside("nav", "languages") and e.tag in ("a", "span") and "lang" in e.attrs]
    return {e.attrs["lang"]: e.ancestors[-1] if e.ancestors[-1].tag == "a" else e for e in entries}


def target(site: Path, page: Path, link: Element) -> str:
    path, _ = follow(site, page, link.attrs["href"])
    return path.relative_to(site).as_posix()


def hreflang_links(page: Path) -> dict[str, str]:
    return {e.attrs["hreflang"]: e.attrs["href"] for e in find(page, "link", rel="alternate") if "hreflang" in e.attrs}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_switcher_on_a_news_item_leads_to_the_same_item_in_every_other_language(fixture_site, lang):
    page = fixture_site / TRANSLATED_ITEM[lang] / "index.html"
    links = switcher(page)
    assert links[LANGUAGES[lang]].tag == "span" and links[LANGUAGES[lang]].attrs["aria-current"] == "true"
    for other, hreflang in LANGUAGES.items():
        if other != lang:
            assert links[hreflang].tag == "a"
            assert target(fixture_site, page, links[hreflang]) == f"{TRANSLATED_ITEM[other]}/index.html"
            assert "fallback" not in links[hreflang].classes


@pytest.mark.parametrize(
    ("page", "parents"),
    [
        ("en/news/2020-alpha-ranked/index.html", {"de-DE": "de/nachrichten/index.html", "fr-FR": "fr/actualites/index.html"}),
        ("en/news/archive/2020/index.html", {"de-DE": "de/nachrichten/index.html", "fr-FR": "fr/actualites/index.html"}),
        ("en/about/index.html", {"de-DE": "de/index.html", "fr-FR": "fr/index.html"}),
    ],
)
def test_where_a_translation_is_missing_the_switcher_leads_to_the_nearest_parent_and_says_so(fixture_site, page, parents):
    page = fixture_site / page
    links = switcher(page)
    for hreflang, parent in parents.items():
        link = links[hreflang]
        assert target(fixture_site, page, link) == parent
        assert "fallback" in link.classes
        hidden = [e for e in elements(page) if e.tag == "span" and "visually-hidden" in e.classes and link in e.ancestors]
        assert [e.text.strip() for e in hidden] == ["(not translated)"]


def test_every_language_page_has_a_switcher_with_every_language(fixture_site):
    for lang in LANGUAGES:
        for page in html_files(fixture_site / lang):
            assert set(switcher(page)) == set(LANGUAGES.values()), page


@pytest.mark.parametrize(("lang", "html_lang"), LANGUAGES.items())
def test_html_lang_is_the_pages_language(fixture_site, lang, html_lang):
    for page in html_files(fixture_site / lang):
        assert [e.attrs["lang"] for e in find(page, "html")] == [html_lang], page


def test_hreflang_alternates_name_every_existing_translation_and_the_english_x_default(fixture_site):
    page = fixture_site / "de/nachrichten/2021-alpha-grows/index.html"
    assert hreflang_links(page) == {
        "en": BASE_URL + "en/news/2021-alpha-grows/",
        "de-DE": BASE_URL + "de/nachrichten/2021-alpha-grows/",
        "fr-FR": BASE_URL + "fr/actualites/2021-alpha-grows/",
        "x-default": BASE_URL + "en/news/2021-alpha-grows/",
    }


def test_hreflang_alternates_leave_out_missing_translations(fixture_site):
    page = fixture_site / "en/news/2020-alpha-ranked/index.html"
    assert hreflang_links(page) == {"en": BASE_URL + "en/news/2020-alpha-ranked/", "x-default": BASE_URL + "en/news/2020-alpha-ranked/"}


def test_section_slugs_are_translated_per_language(fixture_site):
    for path in ("de/nachrichten/index.html", "de/branchen/index.html", "fr/actualites/index.html", "fr/parcs/alpha/index.html"):
        assert (fixture_site / path).is_file(), path
    for path in ("de/news", "de/industries", "fr/news", "fr/parks"):
        assert not (fixture_site / path).exists(), path
    menu = [e.attrs["href"] for e in elements(fixture_site / "fr/index.html") if e.tag == "a" and e.inside("nav", "menu")]
    assert "actualites/index.html" in menu and "parcs/index.html" in menu


def test_the_root_page_lists_every_language_as_plain_links(fixture_site):
    page = fixture_site / "index.html"
    links = {e.attrs["hreflang"]: e for e in find(page, "a") if "hreflang" in e.attrs}
    assert {hreflang: target(fixture_site, page, link) for hreflang, link in links.items()} == {
        hreflang: f"{lang}/index.html" for lang, hreflang in LANGUAGES.items()
    }
    assert [link.text.split()[0] for link in links.values()] == ["English", "Deutsch", "Français"]
    assert hreflang_links(page)["x-default"] == BASE_URL


def test_the_build_lists_what_is_missing_in_each_language(make_site):
    result = run(make_site(), "build", "-v")
    assert result.code == 0, result.err
    assert "missing translations: de 2, fr 2" in result.out.splitlines()[0]
    assert [line for line in result.out.splitlines() if line.endswith(("(de)", "(fr)"))] == [
        "content/news/2020-alpha-ranked.de.md: missing translation (de)",
        "content/pages/about.de.md: missing translation (de)",
        "content/news/2020-alpha-ranked.fr.md: missing translation (fr)",
        "content/pages/about.fr.md: missing translation (fr)",
    ]


SPANISH_CATALOG = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "News"
msgstr "Noticias"

msgid "Latest news"
msgstr "Últimas noticias"

msgid "(not translated)"
msgstr "(sin traducir)"
"""


@pytest.fixture(scope="module")
def four_languages(tmp_path_factory) -> Path:
    """The fixture site plus Spanish: only configuration, a catalog and content were added."""
    spanish = {
        "parkpress.toml": CONFIG + '\n[languages.es]\nname = "Español"\nlocale = "es_ES"\ntitle = "Observatorio"\n'
        '[languages.es.slugs]\nnews = "noticias"\n',
        "locales/es/LC_MESSAGES/messages.po": SPANISH_CATALOG,
        "content/parks/alpha.es.md": park_prose("Zona Alfa"),
        "content/news/2021-alpha-grows.es.md": news("Alfa crece"),
    }
    return build_fixture_site(tmp_path_factory.mktemp("spanish") / "project", spanish)


def test_a_fourth_language_gets_its_pages_in_its_own_locale(four_languages):
    home = four_languages / "es/index.html"
    assert [e.attrs["lang"] for e in find(home, "html")] == ["es-ES"]
    assert [e.text for e in find(home, "time")] == ["15 de julio de 2021"]
    assert [e.text for e in find(home, "h2", id="news-heading")] == ["Últimas noticias"]
    assert (four_languages / "es/noticias/2021-alpha-grows/index.html").is_file()
    assert (four_languages / "es/feed.xml").is_file()


def test_a_fourth_language_appears_in_every_switcher_and_on_the_root_page(four_languages):
    page = four_languages / "en/news/2021-alpha-grows/index.html"
    assert target(four_languages, page, switcher(page)["es-ES"]) == "es/noticias/2021-alpha-grows/index.html"
    untranslated = four_languages / "en/about/index.html"
    fallback = switcher(untranslated)["es-ES"]
    assert target(four_languages, untranslated, fallback) == "es/index.html"
    assert "fallback" in fallback.classes
    assert "es-ES" in {e.attrs.get("hreflang") for e in find(four_languages / "index.html", "a")}


def test_a_fourth_language_is_in_the_sitemap_with_its_alternates(four_languages):
    sitemap = (four_languages / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE_URL}es/noticias/2021-alpha-grows/</loc>" in sitemap
    assert f'hreflang="es-ES" href="{BASE_URL}es/noticias/2021-alpha-grows/"' in sitemap
