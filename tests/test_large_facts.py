"""Pathological facts keep the output bounded: a site grows with what its facts list, not with
the square of it.

Sizes are measured in bytes of the built site, never in time: the second N industries of a park,
or parks of a news item, add no more to the site than the first N did.  Where a page is a table of parks by kinds (the
compare page, parks.csv), the kinds have a documented limit instead, an error at its line.
"""

from __future__ import annotations

from conftest import PARK, default_files, news, run, write_files
from support.fixture_site import CONFIG, TAXONOMY, copy_catalogs

from parkpress.content.readers import MAX_FIGURE_KINDS

ENGLISH_ONLY = CONFIG.split("\n[languages.de]")[0] + "\n"  # one language: the builds are quicker, the growth the same


def site_bytes(root, files: dict[str, str]) -> int:
    root.mkdir()
    copy_catalogs(root)
    english = {rel: text for rel, text in default_files().items() if not rel.endswith((".de.md", ".fr.md"))}
    write_files(root, {**english, "parkpress.toml": ENGLISH_ONLY, **files})
    result = run(root, "build")
    assert result.code == 0, result.err
    return sum(path.stat().st_size for path in (root / "site").rglob("*") if path.is_file())


def park_with_industries(count: int) -> dict[str, str]:
    keys = [f"industry-{n}" for n in range(count)]
    taxonomy = TAXONOMY.replace("industries:\n", "industries:\n" + "".join(f"  {key}: Industry {key[9:]}\n" for key in keys))
    return {
        "content/taxonomy.yaml": taxonomy,
        "content/parks/alpha.yaml": PARK.replace("industries: [biomedicine]", f"industries: [{', '.join(['biomedicine', *keys])}]"),
    }


def test_the_second_n_industries_of_a_park_add_no_more_to_the_site_than_the_first_n(tmp_path):
    # Each industry has a page listing the park's card: were the card to list every industry of
    # the park, each page would grow with them, and the site with their square.
    n = 30
    none, first, second = (site_bytes(tmp_path / str(count), park_with_industries(count)) for count in (0, n, 2 * n))
    assert second - first <= 1.1 * (first - none), (none, first, second)


def news_about_parks(count: int, parks: int) -> dict[str, str]:
    """``parks`` parks besides alpha, and a news item about ``count`` of them."""
    files = {}
    for n in range(parks):
        files[f"content/parks/park-{n}.yaml"] = PARK.replace("Alpha Development Zone", f"Park {n}")
        files[f"content/parks/park-{n}.en.md"] = f"---\ntitle: Park {n}\nsummary: A park.\n---\nProse.\n"
    about = ", ".join(["alpha", *(f"park-{n}" for n in range(count))])
    files["content/news/2022-every-park.en.md"] = news("Every park", date="2022-01-01 10:00", parks=f"[{about}]")
    return files


def test_the_second_n_parks_of_a_news_item_add_no_more_to_the_site_than_the_first_n(tmp_path):
    # The item's card is on each of its parks' pages: were the card to name every park of the
    # item, each of those pages would grow with them, and the site with their square.
    n = 20
    sizes = [site_bytes(tmp_path / str(count), news_about_parks(count, parks=2 * n)) for count in (0, n, 2 * n)]
    none, first, second = sizes
    assert second - first <= 1.1 * (first - none), sizes


def taxonomy_with_figure_kinds(count: int) -> str:
    kinds = "".join(f"  kind-{n}: Kind {n}\n" for n in range(count - 2))  # the fixture's two, and these
    return TAXONOMY.replace("figures:\n", "figures:\n" + kinds)


def test_more_figure_kinds_than_the_compare_page_has_columns_for_is_an_error_at_their_line(make_site):
    line = TAXONOMY.splitlines().index("figures:") + 1
    root = make_site({"content/taxonomy.yaml": taxonomy_with_figure_kinds(MAX_FIGURE_KINDS + 1)})
    result = run(root, "build")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        f"content/taxonomy.yaml:{line}: error: {MAX_FIGURE_KINDS + 1} figure kinds; the compare page and parks.csv give every park"
        f" a column for each, so at most {MAX_FIGURE_KINDS} are allowed: merge kinds or leave out the least used"
    ]


def test_as_many_figure_kinds_as_the_limit_build(make_site):
    root = make_site({"content/taxonomy.yaml": taxonomy_with_figure_kinds(MAX_FIGURE_KINDS)})
    assert run(root, "build").code == 0
