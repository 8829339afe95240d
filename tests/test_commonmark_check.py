"""``check`` warns where a text would look different on the site than in the CommonMark previews
editors write with (GitHub, VS Code, Markdown apps): one warning per place, at its line in the file,
saying what each shows and how to write it so that both agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_sample, default_files, run, write_files
from support.fixture_site import CONFIG, REPO, copy_catalogs

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

PAGE = "---\ntitle: {title}\n---\n"  # three lines: a body's first line is the file's fourth

# name -> (body, the line of the file the warning names, what the warning says)
DIVERGENCES = {
    "list-nested-in-quote": ("Intro.\n\n> Steps:\n>\n> - apply\n>   - online\n", 9, "inside a quote ('>')"),
    "break-before-definition": ("Intro.\n\nSee the report  \n[report]: https://example.org/report.pdf\n", 6, "as a definition (of a link"),
    "list-after-paragraph": ("Intro.\n\nWe offer:\n- land\n- tax relief\n", 7, "start a bulleted list here"),
    "item-after-paragraph": ("- land\n\n  with serviced plots\n- tax relief\n", 7, "start a list item here"),
    "parenthesis-numbers": ("Intro.\n\n1) Apply\n2) Sign\n", 6, "number the items as '1.', not '1)'"),
    "code-in-list-in-quote": ("Intro.\n\n> 1. Run:\n>\n>        make site\n", 8, "(code by eight)"),
    "setext-heading": ("Intro.\n\nOur goals\nfor 2025\n---------\n", 6, "show a heading (its text underlined with ---)"),
    "html-block": ('Intro.\n\n<div class="note">\nOpen on Sundays.\n</div>\n', 6, "the site shows it as text (raw HTML is off"),
    "inline-html": ("Intro.\n\nArea: 12 km<sup>2</sup>.\n", 6, "show the HTML '<sup>' as HTML"),
    "backslash-break": ("Intro.\n\nWuqing District\\\nTianjin\n", 6, "end the line with two spaces"),
    "lazy-line": ("Intro.\n\n- Build:\n\n      make site\nthen upload.\n", 9, "end the list item above this line"),
    "fenced-code": ("Intro.\n\n```\nmake site\n```\n", 6, "indent the code by four spaces"),
    "hash-without-space": ("Intro.\n\n#Investment\n", 6, "put one space after the '#'"),
    "marker-change": ("Intro.\n\n- land\n* tax relief\n", 7, "where the marker changes to '*'"),
    "table-after-paragraph": ("Figures:\n| Year | Output |\n|---|---|\n| 2020 | 100 |\n", 5, "start a table here"),
    "underline-under-item": ("Intro.\n\n- land\n---\n", 6, "as the underline of a heading"),
    "trailing-tab": ("Intro.\n\nWuqing\t\nTianjin\n", 6, "breaks the line after the tab"),
    "table-absorbs-line": ("- Figures:\n\n  | Year | Output |\n  |---|---|\n  | 2020 | 100 |\nSource: CCID.\n", 6, "one more of its rows"),
    "indented-heading": ("Intro.\n\n  ## Location\n", 6, "start the heading's line with its '#'"),
}

HARD_BREAK = "  "  # two spaces at the end of a line: a line break on the site and in the previews
# Every kind of block written so that both agree: nothing to report.
ALIKE = f"""\
## Location

Wuqing lies between Beijing and Tianjin.{HARD_BREAK}
It was founded in 1991.

We offer:

- land
  - serviced plots
  - warehouses

    with their own paragraph

- tax relief

1. Apply
2. Sign:

       make site

> Steps:
>
> - apply
>     - online

| Year | Output |
|---|---|
| 2020 | 100 |

Our goals
---------

Text with a note.

***

    indented code
"""


def page(title: str, body: str) -> str:
    return PAGE.format(title=title) + body


def commonmark_findings(root: Path, *options: str) -> tuple[int, list[dict]]:
    result = run(root, "check", "--format", "json", *options)
    assert "Traceback" not in result.err
    found = json.loads(result.out)["findings"]
    return result.code, [f for f in found if "CommonMark previews" in f["message"]]


@pytest.fixture(scope="module")
def divergent_site(tmp_path_factory) -> Path:
    """The fixture site with one page per kind of divergence, and one written so that both agree."""
    root = tmp_path_factory.mktemp("commonmark") / "project"
    root.mkdir()
    copy_catalogs(root)
    pages = {f"content/pages/{name}.en.md": page(name, body) for name, (body, _, _) in DIVERGENCES.items()}
    write_files(root, {**default_files(), **pages, "content/pages/alike.en.md": page("Alike", ALIKE)})
    return root


@pytest.fixture(scope="module")
def divergent_findings(divergent_site) -> list[dict]:
    return commonmark_findings(divergent_site)[1]


@pytest.mark.parametrize("name", DIVERGENCES)
def test_each_divergence_is_one_warning_at_its_line(divergent_findings, name):
    _, line, says = DIVERGENCES[name]
    found = [f for f in divergent_findings if f["path"] == f"content/pages/{name}.en.md"]
    assert [(f["line"], f["level"]) for f in found] == [(line, "warning")], found
    assert says in found[0]["message"]


def test_a_text_both_render_alike_has_no_warning(divergent_findings):
    assert [f for f in divergent_findings if f["path"] == "content/pages/alike.en.md"] == []


def test_the_warning_says_what_each_shows_and_how_to_agree(divergent_site):
    result = run(divergent_site, "check")
    line = next(line for line in result.out.splitlines() if line.startswith("content/pages/parenthesis-numbers.en.md:"))
    assert line == (
        "content/pages/parenthesis-numbers.en.md:6: warning: CommonMark previews (GitHub, VS Code) show a numbered list, "
        "the site shows '1) Apply' as text; number the items as '1.', not '1)'"
    )


def test_strict_makes_them_errors(make_site):
    root = make_site({"content/pages/steps.en.md": page("Steps", "We offer:\n- land\n")})
    code, found = commonmark_findings(root, "--strict")
    assert code == 1
    assert [(f["path"], f["line"], f["level"]) for f in found] == [("content/pages/steps.en.md", 5, "error")]


def test_with_raw_html_an_html_block_is_compared_as_html(make_site):
    config = CONFIG.replace("news_per_page = 2\n", "news_per_page = 2\nallow_raw_html = true\n")
    body = '<div class="note">\n\n*Open on Sundays.*\n\n</div>\n\n<div class="note">\nOpen on Sundays.\n</div>\n'
    root = make_site({"parkpress.toml": config, "content/pages/note.en.md": page("Note", body)})
    _, found = commonmark_findings(root)
    assert [(f["path"], f["line"]) for f in found] == [("content/pages/note.en.md", 4)]  # the first block's <div>
    assert "end an HTML block at a blank line" in found[0]["message"]


def test_footnotes_are_the_sites_own_and_not_compared(make_site):
    body = (
        "Ranked 40th[^1] and 12th[^2].\n\n[^1]: CCID Consulting,\n2021 edition.\n\n    The list of 2021.\n\n"
        "[^2]: https://example.org/list\nof the year.\n\nAfter the notes.\n"  # CommonMark alone: a link definition, then text
    )
    _, found = commonmark_findings(make_site({"content/pages/ranked.en.md": page("Ranked", body)}))
    assert found == []


def test_the_sample_site_has_none(tmp_path):
    copy_sample(tmp_path)
    _, found = commonmark_findings(tmp_path)
    assert found == []


def test_only_check_loads_markdown_it(make_site):
    """`build` keeps its speed: the reference parser is imported by `check` alone."""
    root = make_site()
    script = (
        "import sys\nfrom parkpress.cli import main\n"
        f"main(['--project', {str(root)!r}, 'build'])\nprint('loaded after build:', 'markdown_it' in sys.modules)\n"
        f"main(['--project', {str(root)!r}, 'check'])\nprint('loaded after check:', 'markdown_it' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = [line for line in result.stdout.splitlines() if line.startswith("loaded")]
    assert loaded == ["loaded after build: False", "loaded after check: True"]
