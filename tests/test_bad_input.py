"""Bad input never crashes the tool: it builds, or it reports ``path:line: message`` and exits 1.

Property-based tests throw generated front matter, data files and Markdown at a small site
(random YAML types, huge strings, control characters, invalid UTF-8, BOMs, CRLF, empty
files, deep nesting, alias bombs).  Whatever comes in, no exception escapes the command
line, no error lacks its file, and a failed build leaves the previous site/ as it was.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading

import pytest
import yaml
from conftest import PARK, TAXONOMY, copy_catalogs, news, run, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.fixture_site import CONFIG as FIXTURE_CONFIG
from support.snapshot import leftovers, snapshot

from parkpress.content import markup
from parkpress.theme.loader import BUILTIN_FOLDER

CONFIG = """\
[site]
base_url = "https://invest.example.org/"
default_language = "en"

[languages.en]
name = "English"
locale = "en"
title = "Park Monitor"
"""
NEWS = "content/news/2021-alpha-grows.en.md"
FACTS = "content/parks/alpha.yaml"
PO = "locales/de/LC_MESSAGES/messages.po"
FILES = {
    "parkpress.toml": CONFIG,
    "content/taxonomy.yaml": TAXONOMY,
    FACTS: PARK,
    "content/parks/alpha.en.md": "---\ntitle: Alpha Zone\nsummary: A park.\n---\nProse.\n",
    NEWS: news("Alpha grows"),
    "content/pages/about.en.md": "---\ntitle: About us\nmenu: 1\n---\nWho we are.\n",
}
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*(:\d+)?: (error|warning): \S.*$")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A small one-language site, built once; each example breaks one file and puts it back."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    root.mkdir()
    copy_catalogs(root)
    write_files(root, FILES)
    assert run(root, "build").code == 0
    return root


def check_build(root, files: dict[str, str | bytes]) -> None:
    """Build with ``files`` replaced; assert the rules every build obeys; restore the files."""
    before = snapshot(root / "site")
    originals = {rel: (root / rel).read_bytes() if (root / rel).exists() else None for rel in files}
    write_files(root, files)
    try:
        result = run(root, "build")  # an exception escaping here fails the test with its traceback
    finally:
        write_files(root, originals)
    assert result.code in (0, 1)
    assert leftovers(root) == []
    if result.code == 1:
        assert snapshot(root / "site") == before
        *problems, summary = result.err.splitlines()
        assert re.fullmatch(r"failed: \d+ errors?; nothing was published", summary), result.err
        assert problems and all(PROBLEM_LINE.match(line) for line in problems), result.err
        for line in problems:
            path = line.split(":", 1)[0]
            assert (root / path).exists() or (root / path).is_symlink() or path.startswith("templates/"), line


# Generators

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**20, max_value=10**400)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "x" * 200_000, "<script>alert(1)</script>", "{{ 7*7 }}", "\x00\x01\x1f", "\ud7ff\ufffe"])
    | st.dates()
    | st.datetimes(timezones=st.none() | st.timezones())
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12
)
NEWS_FIELDS = ["title", "date", "parks", "industries", "source", "summary", "slug"]
FACT_FIELDS = ["name", "levels", "province", "city", "district", "founded", "area_km2", "industries", "figures", "rankings", "contact"]
YAML_TOKENS = [
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "*b", "!!python/object:os.system", "!!binary", "'", '"', "\\",
    "\t", "\n", "\r\n", "  ", "---", "...", "%YAML 1.1", "? ", "|", ">", "#", "title", "date", "2021-02-30", "25:61", "\ufeff",
    "\x00", "\x85", "\u2028", "~", "null", "yes", "0x1F", ".inf", "<<: *a", "\U0001f600",
]  # fmt: skip
MARKDOWN_TOKENS = [
    "#", "# ", "*", "**", "_", "`", "```", "    ", "\t", "\n", "\n\n", "- ", "1. ", "> ", "|", "| --- |", "---", "[", "]", "(", ")",
    "](", "![", "<", ">", "&", "&#x09;", "&amp;", "<script>", "</script>", "<!--", "javascript:", "data:", "../parks/alpha.md",
    "../../x.png", "http://", "\\", "\x00", "\x0b", "\u202e", "\ufeff", "\r", "[^1]", "*[", "<div>", "]]>", "{{", "}}", "{%",
]  # fmt: skip

tokens = lambda alphabet: st.lists(st.sampled_from(alphabet) | st.text(max_size=4), max_size=60).map("".join)  # noqa: E731
mappings = lambda fields: st.dictionaries(st.sampled_from(fields) | st.text(max_size=8), VALUES, max_size=len(fields))  # noqa: E731


@st.composite
def encoded(draw, text: str) -> bytes:
    """``text`` as a file: maybe with a BOM, CRLF line ends, or a byte that is not UTF-8."""
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = ("\ufeff" if draw(st.booleans()) else "").encode() + text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + data[at:]
    return data


def front_matter(meta) -> str:
    return meta if isinstance(meta, str) else yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)


# Properties


@FUZZ
@given(meta=mappings(NEWS_FIELDS) | tokens(YAML_TOKENS), body=tokens(MARKDOWN_TOKENS), data=st.data())
def test_generated_news_files_build_or_fail_cleanly(project, meta, body, data):
    text = f"---\n{front_matter(meta)}---\n{body}\n"
    check_build(project, {NEWS: data.draw(encoded(text))})


@FUZZ
@given(facts=mappings(FACT_FIELDS) | tokens(YAML_TOKENS), data=st.data())
def test_generated_park_facts_build_or_fail_cleanly(project, facts, data):
    check_build(project, {FACTS: data.draw(encoded(front_matter(facts)))})


@FUZZ
@given(field=st.sampled_from(NEWS_FIELDS), value=VALUES)
def test_any_value_in_any_news_field_builds_or_fails_cleanly(project, field, value):
    meta = yaml.safe_load(news("Alpha grows").split("---\n")[1])
    meta[field] = value
    check_build(project, {NEWS: f"---\n{front_matter(meta)}---\nBody.\n"})


@FUZZ
@given(taxonomy=st.binary(max_size=300) | tokens(YAML_TOKENS).map(str.encode))
def test_generated_taxonomies_build_or_fail_cleanly(project, taxonomy):
    check_build(project, {"content/taxonomy.yaml": taxonomy})


# Cases the generators are unlikely to hit

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
EDGE_FILES = {
    "empty news file": {NEWS: ""},
    "only a BOM": {NEWS: b"\xef\xbb\xbf"},
    "front matter never closed": {NEWS: "---\ntitle: x\n"},
    "empty front matter": {NEWS: "---\n---\nBody.\n"},
    "front matter is a list": {NEWS: "---\n- a\n- b\n---\nBody.\n"},
    "CRLF and BOM": {NEWS: b"\xef\xbb\xbf" + news("Alpha grows").replace("\n", "\r\n").encode()},
    "invalid UTF-8": {NEWS: news("Alpha grows").encode() + b"\xff\xfe"},
    "a NUL byte": {NEWS: news("Alpha \x00 grows")},
    "billion laughs in front matter": {NEWS: f"---\n{LAUGHS}title: x\n---\nBody.\n"},
    "billion laughs in park facts": {FACTS: PARK + LAUGHS.replace("a:", "extra_a:", 1)},
    "billion laughs as a mapping key": {FACTS: LAUGHS + "? *j\n: 1\n"},
    "an alias of its own block": {FACTS: PARK + "loop: &loop [*loop]\n"},
    "an undefined alias": {FACTS: PARK + "x: *nowhere\n"},
    "a python object tag": {FACTS: PARK + "x: !!python/object/apply:os.system ['echo hi']\n"},
    "a merge key from nowhere": {FACTS: PARK + "x:\n  <<: 3\n"},
    "brackets nested 100,000 deep": {NEWS: "---\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n---\nBody.\n"},
    "block lists nested 500 deep": {FACTS: PARK + "x:\n" + "".join("  " * i + "-\n" for i in range(500))},
    "a 3 MB title": {NEWS: news("x" * 3_000_000)},
    "Markdown lists nested 1,000 deep": {NEWS: news("Alpha", body="".join("  " * i + "- item\n" for i in range(1000)))},
    "Markdown quotes nested 5,000 deep": {NEWS: news("Alpha", body="> " * 5000 + "deep")},
    "Markdown emphasis 50,000 deep": {NEWS: news("Alpha", body="*" * 50_000 + "x" + "*" * 50_000)},
    "Markdown brackets 50,000 deep": {NEWS: news("Alpha", body="[" * 50_000 + "x" + "](y)" * 50_000)},
    "a year far in the future": {NEWS: news("Alpha", date="9999-12-31 23:59:00-08:00")},
    "a year at the beginning of time": {NEWS: news("Alpha", date="0001-01-01 00:00:00+14:00")},
    "a number with 500 digits": {FACTS: PARK.replace("value: 1500", "value: " + "9" * 500)},
    "a number too large for a float": {FACTS: PARK.replace("value: 1500", "value: 1e400")},
    "an empty park file": {FACTS: ""},
    "an empty taxonomy": {"content/taxonomy.yaml": ""},
    "a taxonomy that is a list": {"content/taxonomy.yaml": "- a\n"},
}


@pytest.fixture
def tight_budget(monkeypatch):
    """A small CPU budget for Markdown, so texts that would take hours fail in half a second."""
    monkeypatch.setattr(markup, "BUDGET_SECONDS", 0.5)
    monkeypatch.setattr(markup, "BUDGET_SECONDS_PER_MB", 0.0)


@pytest.mark.parametrize("case", EDGE_FILES, ids=list(EDGE_FILES))
def test_edge_case_files_build_or_fail_cleanly(project, case, tight_budget):
    check_build(project, EDGE_FILES[case])


# Python-Markdown needs hours for some texts (thousands of nested lists or brackets), but
# which ones changes between releases (3.11.4 made deep brackets fast).  A stand-in for
# its convert() makes the slow case, so the budget is tested whatever the version does.
NEVER_ENDS = "This text takes Python-Markdown forever."
TOO_DEEP = "This text is nested too deep for Python's stack."


@pytest.fixture
def markdown_stand_in(monkeypatch):
    """Python-Markdown's convert(), spinning on NEVER_ENDS and overflowing the stack on TOO_DEEP."""
    import markdown

    real = markdown.Markdown.convert

    def convert(self, text):
        if NEVER_ENDS in text:
            while True:
                pass
        if TOO_DEEP in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, text)

    monkeypatch.setattr(markdown.Markdown, "convert", convert)


@pytest.mark.parametrize("body", [NEVER_ENDS, TOO_DEEP], ids=["over the CPU budget", "nested too deep"])
def test_markdown_too_complex_to_render_is_an_error_naming_the_file(project, body, tight_budget, markdown_stand_in):
    write_files(project, {NEWS: news("Alpha grows", body=body)})
    try:
        result = run(project, "build")
    finally:
        write_files(project, {NEWS: FILES[NEWS]})
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{NEWS}:10: error: the Markdown is too complex to render (lists, quotes or brackets nested hundreds deep?); simplify it"
    )


def test_the_markdown_budget_holds_in_a_thread_other_than_the_main_one(project, tight_budget, markdown_stand_in):
    # serve builds in a thread of its own, where no signal arrives: the budget must hold there too.
    write_files(project, {NEWS: news("Alpha grows", body=NEVER_ENDS)})
    results = []
    builder = threading.Thread(target=lambda: results.append(run(project, "build")), daemon=True)
    try:
        builder.start()
        builder.join(timeout=60)
    finally:
        write_files(project, {NEWS: FILES[NEWS]})
    assert not builder.is_alive(), "the build in a thread never ended"
    assert results[0].code == 1
    assert "the Markdown is too complex to render" in results[0].err.splitlines()[0]


@pytest.mark.parametrize("case", ["billion laughs in front matter", "brackets nested 100,000 deep", "invalid UTF-8"])
def test_the_command_line_never_shows_a_traceback(project, tmp_path, case):
    # A separate process: a crash in C code (libyaml) would take the test run down with it,
    # and a hang is caught by the timeout instead of blocking the suite.
    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True)
    write_files(root, EDGE_FILES[case])
    result = subprocess.run(
        [sys.executable, "-m", "parkpress", "--project", str(root), "build"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(NEWS + ":"), result.stderr
    assert result.stderr.endswith("nothing was published\n")


# Files beside the content: catalogs, templates, configuration


@pytest.fixture
def site(tmp_path, make_site):
    """The three-language fixture site, built; returns its root."""
    root = make_site()
    assert run(root, "build").code == 0
    return root


def fails_naming(root, path: str, overrides: dict[str, str | bytes | None]) -> list[str]:
    before = snapshot(root / "site")
    write_files(root, overrides)
    result = run(root, "build")
    assert result.code == 1
    assert snapshot(root / "site") == before
    errors = result.err.splitlines()[:-1]
    assert errors and all(line.startswith(path + ":") for line in errors), result.err
    return errors


@pytest.mark.parametrize("cut", [0.1, 0.35, 0.5, 0.77, 0.99])
def test_a_truncated_catalog_is_an_error_naming_it_or_still_reads(site, cut):
    text = (site / PO).read_text(encoding="utf-8")
    truncated = text[: int(len(text) * cut)]
    write_files(site, {PO: truncated})
    result = run(site, "build")
    # Cut between entries, a catalog is still valid, just with fewer translations.
    assert result.code == 0 or all(line.startswith(PO) for line in result.err.splitlines()[:-1]), result.err


def test_a_catalog_cut_inside_a_string_is_an_error_naming_its_line(site):
    text = (site / PO).read_text(encoding="utf-8")
    cut = text.index('msgstr "Biomedizin"') + len('msgstr "Biomed')
    line = text[:cut].count("\n") + 1
    errors = fails_naming(site, PO, {PO: text[:cut]})
    assert errors[0].startswith(f"{PO}:{line}: error: broken catalog:")


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00g\x00a\x00r\x00b\x00a\x00g\x00e",
        b'msgid "x"\nmsgstr "\xff"\n',
        b'msgid "News"\nmsgstr "a" "b\n',
        b"msgid",
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=no-such-charset\\n"\n\nmsgid "News"\nmsgstr "x"\n',
    ],
    ids=["UTF-16 bytes", "not UTF-8", "unclosed quote", "a lone keyword", "unknown charset"],
)
def test_a_corrupt_catalog_is_an_error_naming_it(site, data):
    fails_naming(site, PO, {PO: data})


@pytest.mark.parametrize(
    ("rule", "wrong"),
    [
        ('nplurals=2; plural=__import__(\\"os\\").system(\\"id\\");', "gettext cannot use the rule"),
        ("nplurals=2; plural=n/0;", "gettext cannot use the rule 'n/0' (integer division or modulo by zero)"),
        ("nplurals=2; plural=" + "(" * 300 + "n" + ")" * 300 + ";", "gettext cannot use the rule"),
        ("nplurals=2; plural=5;", "the rule chooses form 5, but nplurals=2 (forms 0 to 1)"),
        ("nplurals=300000000; plural=(n != 1);", "nplurals=300000000, a language has 1 to 6 plural forms"),
    ],
    ids=["python", "division by zero", "too deep", "form beyond nplurals", "huge nplurals"],
)
def test_a_catalog_whose_plural_forms_header_gettext_cannot_use_is_an_error_at_its_line(site, rule, wrong):
    text = (site / PO).read_text(encoding="utf-8")
    line = next(number for number, line in enumerate(text.splitlines(), start=1) if line.startswith('"Plural-Forms:'))
    plural = 'msgid "up %(num)s place"\nmsgid_plural "up %(num)s places"\nmsgstr[0] "%(num)s Platz"\nmsgstr[1] "%(num)s Plätze"\n'
    hostile = re.sub(r"nplurals=[^\\]*", lambda _: rule, text, count=1) + "\n" + plural
    errors = fails_naming(site, PO, {PO: hostile})
    assert errors == [errors[0]] and errors[0].startswith(f"{PO}:{line}: error: Plural-Forms: {wrong}"), errors


def test_a_template_with_a_syntax_error_is_one_error_naming_its_line(site):
    base = (BUILTIN_FOLDER / "templates/base.html").read_text(encoding="utf-8")
    broken = base.replace("<title>", "<title>{% if %}", 1)
    line = base[: base.index("<title>")].count("\n") + 1
    assert fails_naming(site, "templates/base.html", {"templates/base.html": broken}) == [
        f"templates/base.html:{line}: error: template syntax error: Expected an expression, got 'end of statement block'"
    ]  # once, not once for every page built on it


def test_a_template_an_override_includes_that_no_layer_has_is_an_error_at_its_line(site):
    assert fails_naming(site, "templates/park.html", {"templates/park.html": '<p>Park</p>\n{% include "_contact.html" %}\n'}) == [
        "templates/park.html:2: error: template '_contact.html' not found in templates/ and the theme default; "
        "fix the name, or add _contact.html to templates/"
    ]


def test_a_template_a_theme_without_a_parent_lacks_is_an_error_naming_it(site):
    theme = {
        "themes/bare/theme.toml": 'name = "bare"\n',
        "themes/bare/templates/base.html": "<p>{% block main %}{% endblock %}</p>\n",
        "parkpress.toml": FIXTURE_CONFIG.replace("[site]\n", '[site]\ntheme = "themes/bare"\n'),
    }
    write_files(site, theme)
    result = run(site, "build")
    assert result.code == 1
    errors = result.err.splitlines()
    assert len(errors) == 23, "one error per missing template, and the summary"
    assert (
        "templates/park.html: error: template 'park.html' not found in templates/ and the theme bare; "
        'add it to templates/, or give the theme a parent = "default" in its theme.toml'
    ) in errors


def test_a_template_that_is_not_utf8_is_an_error_naming_it(site):
    fails_naming(site, "templates/page.html", {"templates/page.html": b"\xff\xfe broken"})


CONFIG_ERRORS = {
    "an unknown key": ("news_per_page = 2\n", "news_per_page = 2\ncolour = 'blue'\n", "parkpress.toml:6: error: unknown field 'colour'"),
    "a wrong type": ("news_per_page = 2\n", "news_per_page = [2]\n", "parkpress.toml:5: error: 'site.news_per_page' must be a whole"),
    "a wrong type for a flag": (
        "news_per_page = 2\n",
        'news_per_page = 2\nallow_raw_html = "yes"\n',
        "parkpress.toml:6: error: 'site.allow_raw_html' must be true or false",
    ),
    "invalid TOML": ("news_per_page = 2\n", "news_per_page = = 2\n", "parkpress.toml:5: error: invalid TOML"),
    "an unknown language key": (
        'title = "Park Monitor"\n',
        'title = "Park Monitor"\nflag = "gb"\n',
        "parkpress.toml:11: error: unknown field 'flag' in 'languages.en'",
    ),
    "a table instead of a value": (
        "news_per_page = 2\n",
        "[site.news_per_page]\nx = 1\n",
        "parkpress.toml:5: error: 'site.news_per_page' must be a whole",
    ),
}


@pytest.mark.parametrize("case", CONFIG_ERRORS, ids=list(CONFIG_ERRORS))
def test_a_configuration_error_names_the_file_and_line(site, case):
    from conftest import CONFIG as FULL_CONFIG

    old, new, message = CONFIG_ERRORS[case]
    assert old in FULL_CONFIG
    errors = fails_naming(site, "parkpress.toml", {"parkpress.toml": FULL_CONFIG.replace(old, new, 1)})
    assert errors[0].startswith(message), errors


@pytest.mark.parametrize("data", [b"", b"\xff\xfe[site]", b"[site]\n"], ids=["empty", "not UTF-8", "no base_url"])
def test_a_broken_configuration_file_is_an_error_naming_it(site, data):
    fails_naming(site, "parkpress.toml", {"parkpress.toml": data})


@pytest.mark.parametrize("date", ["1900-01-01 00:00:00+14:00", "2200-12-31 23:59:00-12:00"])
def test_release_times_at_the_ends_of_the_accepted_years_build(project, date):
    write_files(project, {NEWS: news("Alpha grows", date=date)})
    try:
        assert run(project, "build").code == 0
    finally:
        write_files(project, {NEWS: FILES[NEWS]})


def test_a_problem_is_one_line_without_terminal_escapes_whatever_the_input(project):
    write_files(project, {NEWS: news("Alpha grows", extra='"line\\nbreak \\e[2J": 1\n')})
    try:
        result = run(project, "build")
    finally:
        write_files(project, {NEWS: FILES[NEWS]})
    assert result.err.splitlines()[0] == (
        f"{NEWS}:9: error: unknown field 'line\\nbreak \\x1b[2J'; "
        "known fields: title, date, updated, parks, industries, source, summary, slug, source_language, translation_of"
    )
