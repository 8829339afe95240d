"""A site in five languages, two of them Chinese and Arabic, as an agency makes one: every page says
its language and direction, text in another language is marked as such, the HTML is valid, no
number shows float noise, and the pages fit a phone with their chart labels whole.

One build, one browser context: the checks that need a browser share it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONFIG, PARK, build_fixture_site, park_prose
from support.pages import html_files
from support.tools import validate_html

ZH_AR = """
[languages.zh]
name = "中文"
locale = "zh-Hans-CN"
title = "园区投资指南"

[languages.ar]
name = "العربية"
locale = "ar_EG"
title = "دليل الاستثمار في المناطق"
"""
TAXONOMY_EXTRA = "  output-share: Share of strategic industries in output\n  gdp: Regional GDP\n"
UNTRANSLATED_INDUSTRY = "  new-materials: New materials\n"  # no catalog of the fixture translates it, nor "Regional GDP"
BETA = """\
name: Beta High-tech Zone
levels: [state-etdz]
province: Shandong
city: Heze
founded: 2002
industries: [biomedicine, logistics, new-materials]
figures:
  - kind: gdp
    amount: 9000000000
    currency: CNY
    year: 2021
  - kind: gdp
    amount: 9500000000
    currency: CNY
    year: 2022
  - kind: output-value
    amount: 42000000000
    currency: CNY
    year: 2020
    source: Beta Investment Bureau
  - kind: output-value
    amount: 150000000000
    currency: USD
    year: 2025
    target: true
    source: Beta Investment Bureau
  - kind: output-share
    value: 64.2
    unit: percent
    year: 2020
    share: true
  - kind: enterprises
    value: 4.1
    unit: percent
    year: 2021
contact:
  office: Beta Investment Bureau
  address: 8 Example Avenue, Heze
  email: invest@beta.example
"""
LABELS = {
    "zh": {
        "Biomedicine": "生物医药",
        "Logistics": "物流",
        "State-level economic and technological development zone": "国家级经济技术开发区",
        "Enterprises": "企业数量",
        "Industrial output value": "工业总产值",
        "Share of strategic industries in output": "战略性产业产值占比",
        "Top 100 biomedical industrial parks in China": "中国生物医药产业园区百强",
    },
    "ar": {
        "Biomedicine": "الطب الحيوي",
        "Logistics": "الخدمات اللوجستية",
        "State-level economic and technological development zone": "منطقة وطنية للتنمية الاقتصادية والتكنولوجية",
        "Enterprises": "عدد الشركات",
        "Industrial output value": "قيمة الناتج الصناعي",
        "Share of strategic industries in output": "حصة الصناعات الاستراتيجية من الناتج",
        "Top 100 biomedical industrial parks in China": "أفضل ١٠٠ حديقة صناعية للطب الحيوي في الصين",
    },
}
# Wider than a share chart's bar: its legend takes two lines.
LONG_NAME = "Zone de haute technologie de Beta, parc de développement économique et technologique"
ZH_PLACE = "province: 天津市\ncity: 天津市\ncontact:\n  office: 投资服务中心\n"
AR_PLACE = "province: تيانجين\ncity: تيانجين\n"
# Latin letters a Chinese or Arabic page may show unmarked: names of formats and of the time zone,
# currency symbols (CN¥, US$), addresses and file names, and the {placeholders} the scripts fill in.
TECHNICAL = re.compile(
    r"https?://\S+|\S+@\S+|\w+\.(?:json|csv)|\{\w+\}|(?<![A-Za-z])(?:JSON|CSV|UTF|Atom|JavaScript|GMT|CN|US)(?![A-Za-z])"
)
LATIN = re.compile(r"[A-Za-z]{2,}")


def catalog(lang: str) -> str:
    entries = "".join(f'\nmsgid "{english}"\nmsgstr "{own}"\n' for english, own in LABELS[lang].items())
    forms = (
        "nplurals=1; plural=0;"
        if lang == "zh"
        else "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    )
    return f'msgid ""\nmsgstr ""\n"Plural-Forms: {forms}\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n{entries}'


def prose(title: str, summary: str, extra: str = "", body: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n{body}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from support.fixture_site import TAXONOMY

    source = "date: 2021-07-15 10:00\nparks: [alpha]\nindustries: [biomedicine, new-materials]\nsource:\n  name: {name}\n"
    zh_news = prose(
        "阿尔法园区医药投资增长",
        "三家医药企业落户园区。",
        source.format(name="阿尔法开发区"),
        "园区今年新引进三家医药企业，投资总额继续增长。",
    )
    ar_news = prose(
        "ارتفاع الاستثمار في منطقة ألفا", "ثلاث شركات أدوية جديدة.", source.format(name="منطقة ألفا"), "استقطبت المنطقة ثلاث شركات أدوية."
    )
    return build_fixture_site(
        tmp_path_factory.mktemp("five") / "project",
        {
            "parkpress.toml": CONFIG + ZH_AR,
            "content/taxonomy.yaml": TAXONOMY.replace(
                "  output-value: Industrial output value\n", "  output-value: Industrial output value\n" + TAXONOMY_EXTRA
            ).replace("  logistics: Logistics\n", "  logistics: Logistics\n" + UNTRANSLATED_INDUSTRY),
            "content/parks/alpha.yaml": PARK,
            "content/parks/alpha.zh.md": prose("阿尔法开发区", "天津的国家级开发区。", ZH_PLACE, "园区以生物医药为主导产业。"),
            "content/parks/alpha.ar.md": prose(
                "منطقة ألفا", "منطقة على مستوى الدولة في تيانجين.", AR_PLACE, "تركز المنطقة على الطب الحيوي."
            ),
            "content/parks/beta.yaml": BETA,
            **{
                f"content/parks/beta.{lang}.md": park_prose(title)
                for lang, title in (("en", "Beta Zone"), ("de", "Zone Beta"), ("fr", LONG_NAME))
            },
            "content/parks/beta.zh.md": prose("贝塔高新区", "山东的一个高新区。", body="园区发展医药和物流。"),
            "content/parks/beta.ar.md": prose(
                "منطقة بيتا", "منطقة للتقنية العالية في شاندونغ.", body="تطور المنطقة الدواء والخدمات اللوجستية."
            ),
            "content/news/2021-alpha-grows.zh.md": zh_news,
            "content/news/2021-alpha-grows.ar.md": ar_news,
            "locales/zh/LC_MESSAGES/messages.po": catalog("zh"),
            "locales/ar/LC_MESSAGES/messages.po": catalog("ar"),
        },
    )


def pages_of(site: Path, lang: str) -> list[Path]:
    return [path for path in html_files(site) if path.relative_to(site).parts[0] == lang]


def unmarked_latin(path: Path) -> list[str]:
    """Runs of Latin letters in a page's text outside any element marked as another language."""
    import lxml.html

    found = []
    root = lxml.html.parse(str(path)).getroot()
    for element in root.iter():
        # A <title> is text only: no markup can say that an untranslated label in it is English.
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title"):
            continue
        if any(a.get("lang", "").startswith(("en", "de", "fr")) for a in (element, *element.iterancestors())):
            continue
        for text in (element.text, *(child.tail for child in element)):
            if text and LATIN.search(TECHNICAL.sub("", text)):
                found.append(f"{path}: <{element.tag}> {text.strip()[:60]}")
    return found


def test_every_page_names_its_language_and_direction(site):
    expected = {"en": ("en", "ltr"), "de": ("de-DE", "ltr"), "fr": ("fr-FR", "ltr"), "zh": ("zh-Hans-CN", "ltr"), "ar": ("ar-EG", "rtl")}
    for lang, (tag, direction) in expected.items():
        pages = pages_of(site, lang)
        assert pages
        for path in pages:
            head = path.read_text(encoding="utf-8")[:300]
            assert f'<html lang="{tag}" dir="{direction}">' in head, path


@pytest.mark.parametrize("lang", ["zh", "ar"])
def test_no_latin_text_on_a_chinese_or_arabic_page_goes_unmarked(site, lang):
    """Neutral facts (an unlocalised place, a source, a publisher) show marked lang="en"; a place is
    shown whole ("Heze, Shandong"), not run together by the Chinese pattern."""
    found = [line for path in pages_of(site, lang) for line in unmarked_latin(path)]
    assert found == []
    profile = (site / lang / "parks" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">Heze, Shandong</span>' in profile


def test_every_page_is_valid_html_and_no_number_shows_float_noise(site):
    assert validate_html(html_files(site)) == []
    noisy = [
        f"{path}: {match}"
        for path in site.rglob("*")
        if path.is_file()
        for match in re.findall(r"[0-9]\.[0-9]{6,}", path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert noisy == []


def test_chinese_text_joins_its_parts_without_latin_spaces(site):
    rankings = (site / "zh" / "rankings" / "index.html").read_text(encoding="utf-8")
    assert '由<span lang="en" dir="ltr">CCID Consulting</span>发布。历次发布：2021' in rankings
    assert "网址：<bdi" in (site / "zh" / "parks" / "beta" / "index.html").read_text(encoding="utf-8")


def test_an_address_on_an_arabic_page_keeps_its_direction(site):
    profile = (site / "ar" / "parks" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<p>على الإنترنت: <bdi dir="ltr">https://invest.example.org/ar/parks/beta/</bdi></p>' in profile


def test_every_language_fits_a_small_phone_with_its_chart_labels_whole(site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    for lang in ("en", "de", "fr", "zh", "ar"):
        parks = "parcs" if lang == "fr" else "parks"
        for rel in ("index.html", f"{parks}/index.html", f"{parks}/beta/index.html", "compare/index.html"):
            path = site / lang / rel
            page.goto(path.as_uri())
            width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], path
            outside = page.evaluate(
                """() => [...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
                    const box = svg.viewBox.baseVal;
                    return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
                      .filter(([, b]) => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5
                                      || b.y < box.y - 0.5 || b.y + b.height > box.y + box.height + 0.5)
                      .map(([text]) => text);
                })"""
            )
            assert outside == [], path
    page.goto((site / "ar" / "parks" / "beta" / "index.html").as_uri())
    heading = page.evaluate(
        "() => { const h = document.querySelector('main h1'); const range = document.createRange(); range.selectNodeContents(h);"
        " return [range.getBoundingClientRect().right, document.querySelector('main').getBoundingClientRect().right]; }"
    )
    assert abs(heading[0] - heading[1]) < 24, "the Arabic heading starts at the right edge"
    context.close()


ENGLISH = '<span lang="en" dir="ltr">{}</span>'


def test_a_label_the_catalog_lacks_is_marked_english_wherever_a_page_shows_it(site):
    """The msgid a page falls back to is English: its heading, links, choices and columns say so, for
    screen readers' pronunciation and the font and hyphenation of the text; a translated label is the page's."""
    industry = (site / "zh" / "industries" / "new-materials" / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{ENGLISH.format('New materials')}</h1>" in industry
    assert f'<span aria-current="page">{ENGLISH.format("New materials")}</span>' in industry  # the breadcrumb
    assert "<title>New materials · 园区投资指南</title>" in industry  # a title holds no markup
    profile = (site / "zh" / "parks" / "beta" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../../industries/new-materials/index.html">{ENGLISH.format("New materials")}</a>' in profile
    assert f'<th scope="row">{ENGLISH.format("Regional GDP")}</th>' in profile
    assert '<a href="../../industries/biomedicine/index.html">生物医药</a>' in profile
    assert f"<figcaption>{ENGLISH.format('Regional GDP')}</figcaption>" in profile  # the chart's caption
    assert f'<span class="visually-hidden">数据表：{ENGLISH.format("Regional GDP")}</span>' in profile
    assert '<span class="visually-hidden">数据表：战略性产业产值占比（2020年）</span>' in profile
    directory = (site / "zh" / "parks" / "index.html").read_text(encoding="utf-8")
    assert '<option value="new-materials" lang="en" dir="ltr">New materials</option>' in directory
    assert '<option value="biomedicine">生物医药</option>' in directory
    compare = (site / "zh" / "compare" / "index.html").read_text(encoding="utf-8")
    assert f'data-type="number">{ENGLISH.format("Regional GDP")}</th>' in compare
    assert 'data-type="number">企业数量</th>' in compare
    assert "<h1>生物医药</h1>" in (site / "zh" / "industries" / "biomedicine" / "index.html").read_text(encoding="utf-8")
    feed = (site / "zh" / "feed.xml").read_text(encoding="utf-8")  # Atom gives any element an xml:lang
    assert '<category term="new-materials" label="New materials" xml:lang="en"/>' in feed
    assert '<category term="biomedicine" label="生物医药"/>' in feed


def test_an_english_page_marks_no_label(site):
    industry = (site / "en" / "industries" / "new-materials" / "index.html").read_text(encoding="utf-8")
    assert "<h1>New materials</h1>" in industry
    assert 'lang="en"' not in industry.split("<main", 1)[1]


def test_an_arabic_conjunction_stays_on_the_line_of_the_item_it_joins(site, browser):
    """'و' is written onto the next item; a link is an inline box a line may break before, which left
    the conjunction alone at a line's end on narrow cards."""
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto((site / "ar" / "parks" / "index.html").as_uri())
    stranded = []
    for width in range(120, 300, 6):
        stranded += page.evaluate(
            """width => [...document.querySelectorAll('.tags .joined')].flatMap(joined => {
                joined.closest('.tags').style.width = width + 'px';
                const range = document.createRange();
                range.setStart(joined.firstChild, 0); range.setEnd(joined.firstChild, 1);
                const conjunction = range.getBoundingClientRect(), item = joined.querySelector('a').getBoundingClientRect();
                const middle = (conjunction.top + conjunction.bottom) / 2;
                return middle < item.top || middle > item.bottom ? [width + ': ' + joined.textContent] : [];
            })""",
            width,
        )
    assert page.locator(".tags .joined").count() >= 2
    assert stranded == []
    context.close()


def test_the_compare_pages_side_by_side_view_keeps_an_english_labels_language(site, browser):
    page = browser.new_page()
    page.goto((site / "zh" / "compare" / "index.html").as_uri() + "#parks=alpha,beta")
    rows = page.evaluate("() => [...document.querySelectorAll('.compare-side tbody th')].map(th => [th.textContent, th.lang, th.dir])")
    assert ["Regional GDP", "en", "ltr"] in rows
    assert ["企业数量", "", ""] in rows
    page.close()
