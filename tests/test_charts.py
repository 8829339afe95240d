"""Charts: drawn at build time as inline SVG that names itself and carries its data as a table."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from conftest import PARK, run
from support.pages import elements

from parkpress.site.charts import WIDTH, Point, bar_chart, nice_ticks, share_chart, text_width, wrapped

SVG = "{http://www.w3.org/2000/svg}"

PARK_WITH_SERIES = PARK.replace(
    """  - kind: output-value
    amount: 120000000000
    currency: CNY
    year: 2025
    target: true
""",
    """  - kind: output-value
    amount: 40250000000
    currency: CNY
    year: 2020
    source: Alpha Statistics Office
  - kind: output-value
    amount: 120000000000
    currency: CNY
    year: 2025
    target: true
  - kind: output-share
    value: 64.2
    unit: percent
    share: true
    year: 2020
""",
)
TAXONOMY_EXTRA = "  output-share: Share of the city's output\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import copy_catalogs, default_files, write_files

    root = tmp_path_factory.mktemp("charts")
    copy_catalogs(root)
    files = default_files()
    files["content/taxonomy.yaml"] = files["content/taxonomy.yaml"].replace(
        "  output-value: Industrial output value\n", "  output-value: Industrial output value\n" + TAXONOMY_EXTRA
    )
    files["content/parks/alpha.yaml"] = PARK_WITH_SERIES
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def charts_of(page) -> dict[str, ET.Element]:
    """Each <figure class="chart"> of a page, parsed as XML, by id."""
    text = page.read_text(encoding="utf-8")
    found = {}
    start = 0
    while (start := text.find('<figure class="chart"', start)) >= 0:
        end = text.index("</figure>", start) + len("</figure>")
        figure = ET.fromstring(text[start:end])
        found[figure.get("id")] = figure
        start = end
    return found


def svg_texts(figure: ET.Element) -> list[str]:
    return [t.text for t in figure.iter(f"{SVG}text")]


def table_rows(figure: ET.Element) -> list[list[str]]:
    return [["".join(cell.itertext()) for cell in row] for row in figure.find("details/div/table/tbody")]


def test_every_chart_is_an_image_named_by_its_title_and_description(built):
    charts = charts_of(built / "de/parks/alpha/index.html")
    assert set(charts) == {"chart-rank-top100-biomedical", "chart-figure-output-value", "chart-share-output-share-2020"}
    for ident, figure in charts.items():
        svg = figure.find(f"{SVG}svg")
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{ident}-title {ident}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{ident}-title" and svg.find(f"{SVG}title").text
        assert svg.find(f"{SVG}desc").get("id") == f"{ident}-desc" and svg.find(f"{SVG}desc").text
        assert figure.find("details/div/table") is not None, "the data table is the text alternative"


def test_the_ranking_chart_shows_each_years_rank_and_says_it_in_words(built):
    figure = charts_of(built / "en/parks/alpha/index.html")["chart-rank-top100-biomedical"]
    texts = svg_texts(figure)
    assert "43" in texts and "40" in texts and "2020" in texts and "2021" in texts
    assert figure.find(f"{SVG}svg/{SVG}desc").text == "Rank 43 in 2020, rank 40 in 2021."
    assert table_rows(figure) == [["2020", "43"], ["2021", "40 of 386"]]


def test_rank_one_is_drawn_at_the_top(built):
    figure = charts_of(built / "en/parks/alpha/index.html")["chart-rank-top100-biomedical"]
    points = [float(c.get("cy")) for c in figure.iter(f"{SVG}circle")]
    assert points[1] < points[0], "the better rank (40) is higher up than 43"


def test_a_figure_over_the_years_is_drawn_with_localised_values_and_the_target_marked(built):
    en = charts_of(built / "en/parks/alpha/index.html")["chart-figure-output-value"]
    de = charts_of(built / "de/parks/alpha/index.html")["chart-figure-output-value"]
    assert "CN¥40.25B" in svg_texts(en) and "CN¥120B" in svg_texts(en)
    assert "40,25\xa0Mrd.\xa0CN¥" in svg_texts(de) and "120\xa0Mrd.\xa0CN¥" in svg_texts(de)
    assert "0\xa0CN¥" in svg_texts(de), "the axis starts at zero"
    assert "target 2025" in svg_texts(en)
    bars = list(en.iter(f"{SVG}rect"))
    assert [b.get("class") for b in bars] == ["chart-bar", "chart-bar chart-target"]
    assert float(bars[1].get("height")) > 2.9 * float(bars[0].get("height")), "120 is three times 40.25"
    assert table_rows(en) == [["2020", "CN¥40.25B", "Alpha Statistics Office"], ["target 2025", "CN¥120B", ""]]


def test_a_charts_description_names_a_target_beside_its_year(built):
    """Not "CN¥120B in target 2025": the year stays a year, the value says it is a target."""
    en = charts_of(built / "en/parks/alpha/index.html")["chart-figure-output-value"]
    de = charts_of(built / "de/parks/alpha/index.html")["chart-figure-output-value"]
    assert en.find(f"{SVG}svg/{SVG}desc").text == "CN¥40.25B in 2020, CN¥120B (target) in 2025."
    assert de.find(f"{SVG}svg/{SVG}desc").text == "40,25\xa0Mrd.\xa0CN¥ im Jahr 2020, 120\xa0Mrd.\xa0CN¥ (Ziel) im Jahr 2025."


def test_a_share_fills_its_part_of_the_whole(built):
    figure = charts_of(built / "fr/parcs/alpha/index.html")["chart-share-output-share-2020"]
    whole, part = (float(r.get("width")) for r in figure.iter(f"{SVG}rect"))
    assert part / whole == pytest.approx(0.642, abs=0.001)
    assert table_rows(figure) == [["Zone Alpha FR", "64,2\xa0%"], ["Reste", "35,8\xa0%"]]


def test_a_share_label_longer_than_the_bar_goes_on_as_many_lines_as_it_needs():
    name = "Zone de développement économique et technologique de Wuqing (Tianjin)"
    chart = share_chart("c", "t", "d", Decimal("64.2"), f"{name}\u00a0: 64,2\u00a0%", "Reste\u00a0: 35,8\u00a0%", (), ())
    texts = svg_texts(ET.fromstring(chart.svg))
    assert texts == [
        "Zone de développement économique et technologique de Wuqing",
        "(Tianjin)\u00a0: 64,2\u00a0%",
        "Reste\u00a0: 35,8\u00a0%",
    ]
    assert all(text_width(line, bold=True) <= WIDTH - 32 for line in texts)


def test_a_line_breaks_at_spaces_but_not_at_no_break_ones_and_chinese_between_any_two_characters():
    assert wrapped("Rest 64,2\u00a0%", text_width("Rest 64,2")) == ["Rest", "64,2\u00a0%"]
    han = "天津武清经济技术开发区" * 6
    lines = wrapped(han, 200)
    assert len(lines) > 1 and "".join(lines) == han and all(text_width(line) <= 200 for line in lines)


def test_labels_too_many_to_stand_side_by_side_are_thinned_out_keeping_the_latest():
    """Nine years of German amounts: every label drawn stands clear of the next; the table has them all."""
    points = [Point(str(year), Decimal(year - 2000), f"{year - 2000},25\u00a0Mrd.\u00a0CN¥", x=year) for year in range(2016, 2025)]
    chart = bar_chart("c", "t", "d", points, lambda value: f"{value}\u00a0Mrd.\u00a0CN¥", (), ())
    svg = ET.fromstring(chart.svg)
    drawn = [t for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "700"]
    assert 1 < len(drawn) < len(points)
    assert drawn[-1].text == "24,25\u00a0Mrd.\u00a0CN¥"
    edges = [(float(t.get("x")) - text_width(t.text, bold=True) / 2, float(t.get("x")) + text_width(t.text, bold=True) / 2) for t in drawn]
    assert all(right < left for (_, right), (left, _) in itertools.pairwise(edges))
    ticks = [t for t in svg.find(f"{SVG}g").iter(f"{SVG}text")]
    assert max(float(t.get("x")) for t in ticks) < edges[0][0], "nor does the first reach the value axis' labels"


def test_a_single_value_draws_no_chart(make_site):
    root = make_site({"content/parks/alpha.yaml": PARK.replace("  - list: top100-biomedical\n    year: 2020\n    rank: 43\n", "")})
    assert run(root, "build").code == 0
    assert charts_of(root / "site/en/parks/alpha/index.html") == {}


def test_share_needs_a_percentage(make_site):
    park = PARK.replace("    value: 1500\n    year: 2021\n", "    value: 1500\n    year: 2021\n    share: true\n")
    result = run(make_site({"content/parks/alpha.yaml": park}), "build")
    assert result.code == 1
    assert "content/parks/alpha.yaml:" in result.err and "'share: true' needs 'unit: percent'" in result.err


@pytest.mark.parametrize(("low", "high"), [("40", "43"), ("0", "120e9"), ("1", "1"), ("3", "97"), ("0", "0.7"), ("0.1", "0.3")])
def test_axis_ticks_are_round_and_cover_the_data(low, high):
    low, high = Decimal(low), Decimal(high)
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1, "exact steps: no 0.6000000000000001 among them"
    step = steps.pop()
    assert step.scaleb(-step.adjusted()) in (1, 2, 5)


def test_chart_text_is_text_not_markup(make_site):
    taxonomy_label = 'Top <script>alert(1)</script> "parks"'
    root = make_site()
    taxonomy = (root / "content/taxonomy.yaml").read_text().replace("Top 100 biomedical industrial parks in China", f"'{taxonomy_label}'")
    (root / "content/taxonomy.yaml").write_text(taxonomy)
    assert run(root, "build").code == 0
    page = root / "site/en/parks/alpha/index.html"
    assert "<script>alert" not in page.read_text()
    titles = [e.text for e in elements(page) if e.tag == "title" and e.inside("svg")]
    assert any("<script>alert(1)</script>" in t for t in titles)
