"""Pages that hold on every screen, measured in a real browser (headless Chromium): no page of the sample is
wider than a 320 px phone (WCAG 1.4.10), the focus ring stands out 3:1 from what surrounds it (WCAG 1.4.11),
no chart label is cut off by its SVG, and the enhanced directory and compare pages do not jump as their
scripts run. One browser and one tab for the whole module: the pages are only loaded and measured."""

from __future__ import annotations

import pytest
from conftest import run

pytest.importorskip("playwright.sync_api")

PHONE = {"width": 320, "height": 640}

# The widest element's right edge and what it is, so a failure names the culprit.
MEASURE_OVERFLOW = """() => {
  const root = document.documentElement;
  const widest = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('.table-scroll, .visually-hidden, .skip'))
    .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')])
    .sort((a, b) => b[0] - a[0])[0];
  return {scroll: root.scrollWidth, client: root.clientWidth, widest};
}"""

# WCAG's relative luminance and contrast ratio of two computed CSS colours (rgb or rgba, opaque assumed).
CONTRAST_JS = """
const luminance = css => {
  const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(v => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [low, high] = [luminance(a), luminance(b)].sort((x, y) => x - y);
  return (high + 0.05) / (low + 0.05);
};
const opaque = css => !/^rgba\\(.*, 0\\)$/.test(css) && css !== 'transparent';
const background = element => {
  for (let e = element; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (opaque(colour)) return colour;
  }
  return 'rgb(255, 255, 255)';
};
"""

# The ring of the element that has focus, against the element's own background and the page's behind it.
MEASURE_FOCUS = (
    "() => {"
    + CONTRAST_JS
    + """
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    what: e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + (e.textContent || '').trim().slice(0, 30),
    width: parseFloat(style.outlineWidth),
    visible: style.outlineStyle !== 'none',
    element: contrast(style.outlineColor, background(e)),
    page: contrast(style.outlineColor, background(e.parentElement)),
  };
}"""
)


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def every_page(site):
    return sorted(site.rglob("*.html"))


# --- reflow -------------------------------------------------------------------------------------------


def test_no_page_of_the_sample_is_wider_than_a_320_px_phone(page, sample_site):
    too_wide = {}
    for path in every_page(sample_site):
        page.goto(path.as_uri())
        measured = page.evaluate(MEASURE_OVERFLOW)
        if measured["scroll"] > measured["client"]:
            too_wide[str(path.relative_to(sample_site))] = measured
    assert len(every_page(sample_site)) > 100, "the sample has pages of every type in three languages"
    assert too_wide == {}, "these pages scroll sideways at 320 px (the widest element's right edge and what it is)"


def test_wide_tables_scroll_in_a_box_that_takes_keyboard_focus(page, sample_site):
    page.goto((sample_site / "de/parks/binhai/index.html").as_uri())
    boxes = page.eval_on_selector_all(
        "main table",
        "tables => tables.map(t => { const box = t.closest('.table-scroll');"
        " return box && {focusable: box.tabIndex === 0, scrolls: getComputedStyle(box).overflowX}; })",
    )
    assert boxes and all(box == {"focusable": True, "scrolls": "auto"} for box in boxes), boxes
    wide = page.eval_on_selector_all(".table-scroll", "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth).length")
    assert wide > 0, "at 320 px some of this park's tables are wider than the screen and scroll inside their box"


# --- focus --------------------------------------------------------------------------------------------


FOCUSED_ON = {
    "en/parks/index.html": {"a.skip", "a", "select", "button"},
    "de/parks/binhai/index.html": {"a", "div.table-scroll"},
    "fr/comparer/index.html": {"a", "input", "button.sort", "div.table-scroll"},
}


@pytest.mark.parametrize("path", FOCUSED_ON)
def test_the_focus_ring_has_3_to_1_against_the_page_and_the_element(page, sample_site, path):
    page.set_viewport_size({"width": 1024, "height": 768})
    try:
        page.goto((sample_site / path).as_uri())
        page.wait_for_selector("body")
        rings = []
        for _ in range(60):  # links, language switch, selects, buttons, scroll boxes, summaries, up to the page's end
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break
            rings.append(page.evaluate(MEASURE_FOCUS))
    finally:
        page.set_viewport_size(PHONE)
    faint = [r for r in rings if not r["visible"] or r["width"] < 2 or min(r["element"], r["page"]) < 3]
    kinds = {r["what"].split(" ")[0] for r in rings}
    assert FOCUSED_ON[path] <= kinds, "the walk reaches the page's kinds of control"
    assert faint == [], "focus rings fainter than 3:1 or thinner than 2 px"


# --- charts -------------------------------------------------------------------------------------------

# Every <text> of every chart on the page whose box leaves its SVG's viewBox, by the chart's id.
CLIPPED_LABELS = """() => [...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => [t, t.getBBox()])
    .filter(([, b]) => b.x < view.x - 0.5 || b.y < view.y - 0.5 || b.x + b.width > view.width + 0.5 || b.y + b.height > view.height + 0.5)
    .map(([t, b]) => `${svg.closest('figure').id}: "${t.textContent}" at ${Math.round(b.x)}..${Math.round(b.x + b.width)}`);
})"""

BIG_AMOUNTS = """\
  - kind: output-value
    amount: 150000000000
    currency: CNY
    year: 2020
  - kind: output-value
    amount: 120000000000
    currency: CNY
    year: 2025
    target: true
"""


def clipped_labels(page, site):
    pages = [path for path in every_page(site) if 'class="chart-svg"' in path.read_text(encoding="utf-8")]
    clipped = []
    for path in pages:
        page.goto(path.as_uri())
        clipped += [f"{path.relative_to(site)}: {label}" for label in page.evaluate(CLIPPED_LABELS)]
    return pages, clipped


def test_no_chart_label_of_the_sample_leaves_its_chart_in_any_language(page, sample_site):
    pages, clipped = clipped_labels(page, sample_site)
    assert {path.relative_to(sample_site).parts[0] for path in pages} == {"en", "de", "fr"}
    assert clipped == []


def test_amounts_longer_than_the_samples_still_fit_beside_the_axis(page, make_site):
    from conftest import PARK

    park = PARK.replace(
        "  - kind: output-value\n    amount: 120000000000\n    currency: CNY\n    year: 2025\n    target: true\n", BIG_AMOUNTS
    )
    long_name = "---\ntitle: Tianjin Binhai Hochtechnologie-Industrieentwicklungszone Alpha\nsummary: A park.\n---\nProse.\n"
    root = make_site({"content/parks/alpha.yaml": park, "content/parks/alpha.de.md": long_name})
    assert run(root, "build").code == 0
    pages, clipped = clipped_labels(page, root / "site")
    assert len(pages) >= 3, "the park page has a figure chart in every language"
    assert "150 Mrd. CN¥" in (root / "site/de/parks/alpha/index.html").read_text(encoding="utf-8").replace("\xa0", " ")
    assert clipped == []


# --- layout shift -------------------------------------------------------------------------------------

# The layout shift (CLS, as Chromium scores it) from the moment a painted page runs its enhancement
# script until two frames later. The page is first loaded with that script answered empty, so the
# visitor on a slow line who sees the page before the script arrives is reproduced every time.
OBSERVE_SHIFTS = """() => new Promise(resolve => {
  window.shifted = 0;
  new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.shifted += e.value; }))
    .observe({type: 'layout-shift'});
  requestAnimationFrame(() => requestAnimationFrame(resolve));
})"""
SHIFTED_AFTER_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(window.shifted))))"

ENHANCED = {
    "en/parks/index.html": "directory.js",
    "de/parks/index.html": "directory.js",
    "en/compare/index.html": "compare.js",
    "fr/comparer/index.html": "compare.js",
}


@pytest.fixture(scope="module")
def sample_host(sample_site):
    from support.tools import serve_directory

    with serve_directory(sample_site) as base:
        yield base


@pytest.fixture
def host_page(browser):
    """A tab whose requests all reach the network: a service worker would answer the scripts from its cache."""
    context = browser.new_context(service_workers="block")
    yield context.new_page()
    context.close()


def layout_shift_of_enhancement(page, site, url: str, script: str) -> float:
    answered = []
    pattern = f"**/static/{script}"
    page.route(pattern, lambda route: answered.append(route.request.url) or route.fulfill(body="", content_type="text/javascript"))
    try:
        page.goto(url)
        page.wait_for_load_state("load")
    finally:
        page.unroute(pattern)
    assert answered, f"the page asked for {script}"
    page.evaluate(OBSERVE_SHIFTS)
    page.add_script_tag(content=(site / "static" / script).read_text(encoding="utf-8"))
    return page.evaluate(SHIFTED_AFTER_TWO_FRAMES)


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("path", ENHANCED)
def test_the_enhanced_directory_and_compare_pages_do_not_jump_when_their_script_runs(host_page, sample_site, sample_host, path, width):
    host_page.set_viewport_size({"width": width, "height": 800})
    shifted = layout_shift_of_enhancement(host_page, sample_site, f"{sample_host}/{path}", ENHANCED[path])
    enhanced = host_page.evaluate("() => !document.querySelector('#park-filters, #compare-pick').hidden")
    assert enhanced, "the script ran and showed its controls"
    assert shifted < 0.05, f"layout shift {shifted:.3f} (Lighthouse's 'good' is below 0.1; the issue asks below 0.05)"
