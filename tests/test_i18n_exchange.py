"""Exchange with translation bureaus and tools: ``i18n export`` writes the content to translate as
XLIFF 2.0 or PO, one segment per block, Markdown kept in inline codes; ``i18n import`` writes the
translations back and records them current, or refuses the file and writes nothing."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import copy_sample, news, run
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from parkpress.content.translation import TEXT_FIELDS, paragraph_spans
from parkpress.core.problems import Problems
from parkpress.exchange import xliff
from parkpress.exchange.codes import Pc, Ph, markdown, parse
from parkpress.exchange.model import Item, Unit
from parkpress.exchange.segments import body_start, parts_of, segments, splice

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
BODY = """\
Alpha's **new** plant opens in [the north zone](../parks/alpha.md) this *spring*.

## Investment

- 40 firms, up from `30`,
- a budget of 2 billion yuan.

| Field | Focus |
|---|---|
| Cells | research |

> Quoted words
> on two lines.

    code, not text
"""
ENGLISH = "content/news/2020-alpha-ranked.en.md"
GERMAN = "content/news/2020-alpha-ranked.de.md"
OUTDATED = "the English text changed since this translation"  # check's warning


def _site(make_site, body: str = BODY) -> Path:
    return make_site({ENGLISH: news("Alpha ranked", date="2020-07-08 09:00", body=body)})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "content").rglob("*")) if path.is_file()}


def _xliff(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def _valid(tree: etree._ElementTree) -> bool:
    schema = etree.XMLSchema(etree.parse(str(xliff.SCHEMA)))
    return schema.validate(tree) or pytest.fail(str(schema.error_log))


def _unit(tree, original: str, ident: str):
    [unit] = tree.xpath(f"//x:file[@original='{original}']/x:unit[@id='{ident}']", namespaces=NS)
    return unit


def _translate_every_target(tree, translate) -> None:
    """What a translator does: each segment's target is the source, its text nodes translated."""
    for segment in tree.iterfind(".//x:segment", NS):
        source = segment.find("x:source", NS)
        for old in segment.findall("x:target", NS):
            segment.remove(old)
        target = etree.fromstring(etree.tostring(source))
        target.tag = f"{{{NS['x']}}}target"
        for element in target.iter():
            element.text = translate(element.text) if element.text else element.text
            if element is not target and element.tail:
                element.tail = translate(element.tail)
        segment.append(target)


def _outdated_warnings(root: Path) -> list[str]:
    checked = run(root, "check")
    return [line for line in (checked.out + checked.err).splitlines() if OUTDATED in line]


def _german_made_now(root: Path, key: str = "2021-alpha-grows") -> Path:
    german = root / f"content/news/{key}.de.md"
    german.unlink(missing_ok=True)
    assert run(root, "new", "news", "--translations", key, "--lang", "de").code == 0
    return german


# Segments


def test_each_block_is_one_segment_and_its_markdown_stays_in_the_file():
    text = news("Alpha ranked", body=BODY)
    found = {segment.id: (segment.kind, segment.text) for segment in segments(text)}
    assert found == {
        "title": ("field", "Alpha ranked"),
        "summary": ("field", "Summary of Alpha ranked."),
        "p1": ("paragraph", "Alpha's **new** plant opens in [the north zone](../parks/alpha.md) this *spring*."),
        "p2": ("heading", "Investment"),
        "p3": ("item", "40 firms, up from `30`,"),
        "p4": ("item", "a budget of 2 billion yuan."),
        "p5": ("cell", "Field"),
        "p6": ("cell", "Focus"),
        "p7": ("cell", "Cells"),
        "p8": ("cell", "research"),
        "p9": ("quote", "Quoted words\non two lines."),
    }


def test_a_paragraph_inside_an_item_is_the_items_and_code_after_the_list_is_no_text():
    body = "- first\n  continued\n\n  inside the item\n\nAfter the list.\n\n    code block\n\n#Heading without a space\n"
    found = [(segment.kind, segment.text, segment.prefix) for segment in segments(news("T", body=body))[2:]]
    assert found == [
        ("item", "first\ncontinued", "  "),
        ("item", "inside the item", ""),
        ("paragraph", "After the list.", ""),
        ("heading", "Heading without a space", ""),
    ]


def test_links_emphasis_and_code_are_codes_around_or_between_the_text():
    tokens = parse('See **[the zone](../parks/alpha.md "Alpha")**, `code` and {name}  \nthen.')
    assert markdown(tokens) == 'See **[the zone](../parks/alpha.md "Alpha")**, `code` and {name}  \nthen.'
    [_, bold, *_] = tokens
    assert isinstance(bold, Pc) and (bold.start, bold.end) == ("**", "**")
    link = bold.children[0]
    assert (link.start, link.end, link.children) == ("[", '](../parks/alpha.md "', ("the zone",))
    assert bold.children[1] == "Alpha"  # a link's title is text to translate
    assert [token.data for token in tokens if isinstance(token, Ph)] == ["`code`", "{name}", "  \n"]


PIECES = [*"ab *_`[]()!<>&;#{}/\\|-\n", "  \n", "**", "](x)", "&amp;", '"t"', "> ", "1. ", "## "]
MARKDOWN_TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN_TEXT)
def test_codes_give_back_any_text_byte_for_byte(text):
    assert markdown(parse(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_TEXT, max_size=6))
def test_a_file_given_its_own_segments_back_is_the_same_file(blocks):
    text = "---\ntitle: T\n---\n" + "\n\n".join(blocks) + "\n"
    found = segments(text)
    assert splice(text, found, {segment.id: segment.text for segment in found}) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_TEXT, max_size=6))
def test_each_segment_lies_in_the_paragraph_the_record_counts_it_in(blocks):
    text = "---\ntitle: T\n---\n" + "\n\n".join(blocks) + "\n"
    found = segments(text)
    body = body_start(text)
    spans = paragraph_spans(text[body:])
    for segment in found[1:]:
        begin, end = spans[parts_of(text, found)[segment.id] - len(TEXT_FIELDS)]
        assert body + begin <= segment.start and segment.end <= body + end, segment


# Export


def test_an_outdated_translation_without_parts_in_its_record_is_exported_whole(make_site):
    root = make_site()
    german = _german_made_now(root)
    german.write_text(re.sub(r"  parts: .*\n", "", german.read_text(encoding="utf-8")), encoding="utf-8")  # an older record
    (root / "content/news/2021-alpha-grows.en.md").write_text(news("Alpha grows", body="Body text, corrected: 40 firms."), encoding="utf-8")
    result = run(root, "i18n", "export", "--lang", "de", "--outdated", "-o", str(root / "de.xlf"))
    assert result.code == 0, result.err
    assert (
        "content/news/2021-alpha-grows.de.md: exported whole, every segment to review:"
        " its record (translation_of) has no parts, so which segments changed is unknown"
    ) in result.out
    tree = _xliff(root / "de.xlf")
    assert _valid(tree)
    assert tree.getroot().get("srcLang") == "en" and tree.getroot().get("trgLang") == "de-DE"
    assert [file.get("original") for file in tree.iterfind("x:file", NS)] == ["news/2021-alpha-grows.en.md"]
    paragraph = _unit(tree, "news/2021-alpha-grows.en.md", "p1")
    assert paragraph.findtext("x:segment/x:source", namespaces=NS) == "Body text, corrected: 40 firms."
    assert paragraph.findtext("x:segment/x:target", namespaces=NS) == "Body text."  # the translation to review
    assert {segment.get("state") for segment in tree.iterfind(".//x:segment", NS)} == {"translated"}
    assert "outdated" in tree.findtext("x:file/x:notes/x:note", namespaces=NS)


def test_inline_codes_carry_their_markdown_in_original_data(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    tree = _xliff(root / "de.xlf")
    assert _valid(tree)
    unit = _unit(tree, "news/2020-alpha-ranked.en.md", "p1")
    data = {element.get("id"): element.text for element in unit.iterfind("x:originalData/x:data", NS)}
    assert (
        "<source>Alpha's "
        '<pc id="1" dataRefStart="d1s" dataRefEnd="d1e" type="fmt">new</pc> plant opens in '
        '<pc id="2" dataRefStart="d2s" dataRefEnd="d2e" type="link">the north zone</pc> this '
        '<pc id="3" dataRefStart="d3s" dataRefEnd="d3e" type="fmt">spring</pc>.</source>'
    ) in (root / "de.xlf").read_text(encoding="utf-8")
    assert data == {"d1s": "**", "d1e": "**", "d2s": "[", "d2e": "](../parks/alpha.md)", "d3s": "*", "d3e": "*"}
    assert _unit(tree, "news/2020-alpha-ranked.en.md", "p3").find("x:segment/x:source/x:ph", NS).get("dataRef") == "d1"


def test_characters_xml_cannot_hold_travel_as_code_points_and_come_back():
    text = "R&D <b>up</b> \x0b 5 % \U0001f600"
    tokens = parse(text)
    data = xliff.write([Item("news-x", "news/x.en.md", [Unit("p1", "paragraph", tokens, tokens)])], "en", "de")
    assert b'<cp hex="000B"/>' in data and b"R&amp;D" in data
    assert _valid(etree.ElementTree(etree.fromstring(data)))
    problems = Problems(Path("."))
    _, [unit] = xliff.read(data, "x.xlf", lambda original, ident: tokens, problems)
    assert (unit.source, unit.target, problems.items) == (text, text, [])


def test_missing_exports_only_what_the_language_lacks(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    originals = [file.get("original") for file in _xliff(root / "de.xlf").iterfind("x:file", NS)]
    assert originals == ["news/2020-alpha-ranked.en.md", "pages/about.en.md"]


def test_po_export_is_a_valid_catalog_with_numbered_codes(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing", "--format", "po").code == 0
    data = (root / "de.po").read_bytes()
    catalog = read_po(io.BytesIO(data), abort_invalid=True)
    assert str(catalog.locale) == "de_DE"
    entry = catalog.get("Alpha's {1}new{/1} plant opens in {2}the north zone{/2} this {3}spring{/3}.", "news/2020-alpha-ranked.en.md#p1")
    assert entry is not None and "{2}…{/2} = […](../parks/alpha.md)" in " ".join(entry.auto_comments)
    assert b"python-brace-format" not in data  # the braces are ours: Weblate must not check them as Python's
    if shutil.which("msgfmt"):
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(root / "de.po")], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_nothing_to_translate_writes_no_file(make_site):
    root = make_site()
    result = run(root, "i18n", "export", "--lang", "de", "--outdated")
    assert result.code == 0 and "nothing to translate into de" in result.out
    assert not (root / "de.xlf").exists()


# Import: round trips


@pytest.mark.parametrize("suffix", ["xlf", "po"])
def test_an_untouched_round_trip_changes_nothing_byte_for_byte(tmp_path, suffix):
    root = tmp_path / "sample"
    copy_sample(root)
    exchange = root / f"de.{suffix}"
    assert run(root, "i18n", "export", "--lang", "de", "--all", "-o", str(exchange)).code == 0
    assert run(root, "i18n", "import", str(exchange)).code == 0  # the sample's translations get their record
    before = _snapshot(root)
    assert run(root, "i18n", "export", "--lang", "de", "--all", "-o", str(exchange)).code == 0
    result = run(root, "i18n", "import", str(exchange))
    assert result.code == 0, result.err
    assert set(result.out.split()) >= {"unchanged"} and "updated" not in result.out
    assert _snapshot(root) == before


def test_a_translated_file_comes_back_and_builds_with_its_links_and_emphasis(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    tree = _xliff(root / "de.xlf")
    _translate_every_target(tree, lambda text: text.replace("plant opens in", "Werk öffnet im").replace("spring", "Frühling"))
    tree.write(str(root / "de.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run(root, "i18n", "import", str(root / "de.xlf"))
    assert result.code == 0, result.err
    assert f"{GERMAN}: created, current" in result.out
    german = (root / GERMAN).read_text(encoding="utf-8")
    assert "Alpha's **new** Werk öffnet im [the north zone](../parks/alpha.md) this *Frühling*.\n\n## Investment\n" in german
    assert "translation_of:\n  file: news/2020-alpha-ranked.en.md\n  digest: " in german
    assert run(root, "build").code == 0
    [page] = [path for path in (root / "site/de").rglob("index.html") if "2020-alpha-ranked" in str(path)]
    html = page.read_text(encoding="utf-8")
    linked = r'<a href="[^"]*/parks/alpha/[^"]*">the north zone</a>'
    assert re.search(rf"Alpha's <strong>new</strong> Werk öffnet im {linked} this <em>Frühling</em>", html)
    assert "content/news/2020-alpha-ranked.de.md" in json.loads(run(root, "i18n", "status", "--format", "json").out)["de"]["current"]


def test_a_changed_segment_updates_only_its_paragraph_and_makes_the_translation_current(make_site):
    root = make_site()
    german = _german_made_now(root)
    (root / "content/news/2021-alpha-grows.en.md").write_text(news("Alpha grows", body="Body text, corrected."), encoding="utf-8")
    before = german.read_text(encoding="utf-8")
    assert run(root, "i18n", "export", "--lang", "de", "--outdated", "--format", "po").code == 0
    catalog = read_po(io.BytesIO((root / "de.po").read_bytes()))
    entry = catalog.get("Body text, corrected.", "news/2021-alpha-grows.en.md#p1")
    assert entry.fuzzy and entry.string == "Body text."  # the translation of the earlier text, to revise
    entry.string = "Text des Artikels, berichtigt."
    entry.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    (root / "de.po").write_bytes(buffer.getvalue())
    result = run(root, "i18n", "import", str(root / "de.po"))
    assert result.code == 0, result.err
    after = german.read_text(encoding="utf-8")
    digests = re.compile(r"(digest|parts): [0-9a-f ]+")  # the record's, renewed
    assert digests.sub("", after) == digests.sub("", before).replace("Body text.", "Text des Artikels, berichtigt.")
    assert _outdated_warnings(root) == []


def test_a_translation_saved_with_crlf_and_a_bom_keeps_them(make_site):
    root = make_site()
    german = _german_made_now(root)
    german.write_bytes(b"\xef\xbb\xbf" + german.read_bytes().replace(b"\n", b"\r\n"))
    assert run(root, "i18n", "export", "--lang", "de", "--all").code == 0
    tree = _xliff(root / "de.xlf")
    _unit(tree, "news/2021-alpha-grows.en.md", "p1").find("x:segment/x:target", NS).text = "Neuer Text."
    tree.write(str(root / "de.xlf"), xml_declaration=True, encoding="UTF-8")
    result = run(root, "i18n", "import", str(root / "de.xlf"))
    assert result.code == 0, result.err
    assert "content/pages/about.de.md: left as it is, nothing of it is translated" in result.out
    assert not (root / "content/pages/about.de.md").exists()
    data = german.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and data.endswith(b"Neuer Text.\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_a_translation_with_other_blocks_gets_the_sources_and_keeps_its_front_matter(make_site):
    root = _site(make_site)
    (root / GERMAN).write_text(
        news("Alpha platziert", date="2020-07-08 09:00", extra="slug: alpha-platziert\n", body="Ein Absatz."), encoding="utf-8"
    )
    assert run(root, "i18n", "export", "--lang", "de", "--all").code == 0
    tree = _xliff(root / "de.xlf")
    [file] = tree.xpath("//x:file[@original='news/2020-alpha-ranked.en.md']", namespaces=NS)
    assert file.find("x:unit/x:segment/x:target", NS) is None  # nothing to offer: the blocks differ
    assert "other blocks" in file.findtext("x:notes/x:note", namespaces=NS)
    _translate_every_target(tree, lambda text: text.replace("Investment", "Investitionen"))
    tree.write(str(root / "de.xlf"), xml_declaration=True, encoding="UTF-8")
    assert run(root, "i18n", "import", str(root / "de.xlf")).code == 0
    german = (root / GERMAN).read_text(encoding="utf-8")
    assert "slug: alpha-platziert\n" in german and "## Investitionen\n" in german and "Ein Absatz." not in german


# Import: an outdated translation, its changed segments only

GROWS_EN = "content/news/2021-alpha-grows.en.md"
GROWS_DE = "content/news/2021-alpha-grows.de.md"
GROWS = "news/2021-alpha-grows.en.md"
GROWS_BODY = "Alpha opens a plant.\n\nIt hires [200 people](../parks/alpha.md) this year.\n\n- research\n- production\n\nMore next week.\n"
GERMAN_TEXT = {
    "Summary of Alpha grows.": "Zusammenfassung.",
    "Alpha grows": "Alpha wächst",
    "Alpha opens a plant.": "Alpha eröffnet ein Werk.",
    "It hires [200 people](../parks/alpha.md) this year.": "Es stellt dieses Jahr [200 Leute](../parks/alpha.md) ein.",
    "- research\n- production": "- Forschung\n- Produktion",
    "More next week.": "Mehr nächste Woche.",
}


def _translated_german(make_site) -> Path:
    """A site whose German news item is a translation of the English one, recorded current."""
    root = make_site({GROWS_EN: news("Alpha grows", body=GROWS_BODY)})
    german = _german_made_now(root)
    text = german.read_text(encoding="utf-8")
    for english, translated in GERMAN_TEXT.items():
        text = text.replace(english, translated)
    german.write_text(text, encoding="utf-8")
    assert _outdated_warnings(root) == []
    return root


def _change_english(root: Path, old: str, new: str) -> None:
    english = root / GROWS_EN
    english.write_text(english.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _without_record(text: str) -> str:
    return re.sub(r"(digest|parts): [0-9a-f ]+", "", text)  # the record's digests, renewed by import


P2_GERMAN = 'Es stellt dieses Jahr <pc id="1" dataRefStart="d1s" dataRefEnd="d1e" type="link">250 Leute</pc> ein.'


def _paragraph_2_changed_and_exported(make_site, *options: str) -> tuple[Path, str, str]:
    """(root, the German file before, what export printed) once the English second paragraph changed."""
    root = _translated_german(make_site)
    german_before = (root / GROWS_DE).read_text(encoding="utf-8")
    _change_english(root, "200 people", "250 people")
    result = run(root, "i18n", "export", "--outdated", "--lang", "de", *options)
    assert result.code == 0, result.err
    return root, german_before, result.out


def _translate_unit(path: Path, ident: str, target_xml: str) -> None:
    tree = _xliff(path)
    segment = _unit(tree, GROWS, ident).find("x:segment", NS)
    segment.append(etree.fromstring(f'<target xmlns="{NS["x"]}">{target_xml}</target>'))
    segment.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _translate_entry(path: Path, ident: str, text: str) -> None:
    catalog = read_po(io.BytesIO(path.read_bytes()))
    [message] = [message for message in catalog if message.context == f"{GROWS}#{ident}"]
    message.string = text
    message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def _imported_and_published(root: Path, exchange: Path, german_before: str) -> None:
    """Import makes the translation current with the new text; every other byte stays."""
    result = run(root, "i18n", "import", str(exchange))
    assert result.code == 0, result.err
    assert f"{GROWS_DE}: updated, current" in result.out
    assert _outdated_warnings(root) == []
    after = (root / GROWS_DE).read_text(encoding="utf-8")
    assert _without_record(after) == _without_record(german_before).replace("200 Leute", "250 Leute")
    assert run(root, "build").code == 0
    [page] = [path for path in (root / "site/de").rglob("index.html") if "2021-alpha-grows" in str(path)]
    html = page.read_text(encoding="utf-8")
    assert re.search(r'Es stellt dieses Jahr <a href="[^"]*">250 Leute</a> ein\.', html) and "200 Leute" not in html


def test_a_changed_english_paragraph_is_the_one_segment_to_translate_and_import_publishes_it(make_site):
    root, german_before, printed = _paragraph_2_changed_and_exported(make_site)
    [warning] = _outdated_warnings(root)
    assert warning.startswith(f"{GROWS_DE}:") and "(paragraph 2)" in warning
    assert f"{GROWS_DE}: 1 of 7 segments changed since translated, the others final, with their translation" in printed
    assert "7 segments (6 of them unchanged, final), 6 words of en to translate" in printed
    exchange = root / "de.xlf"
    tree = _xliff(exchange)
    assert _valid(tree)
    [file] = tree.iterfind("x:file", NS)
    assert file.get("original") == GROWS
    states = {unit.get("id"): unit.find("x:segment", NS).get("state") for unit in file.iterfind("x:unit", NS)}
    assert states == {"title": "final", "summary": "final", "p1": "final", "p2": "initial", "p3": "final", "p4": "final", "p5": "final"}
    changed = _unit(tree, GROWS, "p2")
    assert "".join(changed.find("x:segment/x:source", NS).itertext()) == "It hires 250 people this year."
    assert changed.find("x:segment/x:target", NS) is None  # to translate: no target that could go back untranslated
    assert changed.findtext("x:notes/x:note", namespaces=NS).endswith(
        "the translation of the earlier text: Es stellt dieses Jahr [200 Leute](../parks/alpha.md) ein."
    )
    assert _unit(tree, GROWS, "p3").findtext("x:segment/x:target", namespaces=NS) == "Forschung"
    assert _unit(tree, GROWS, "p3").findtext("x:notes/x:note", namespaces=NS) == "unchanged since translated: keep this translation"
    _translate_unit(exchange, "p2", P2_GERMAN)
    assert _valid(_xliff(exchange))
    _imported_and_published(root, exchange, german_before)


def test_changed_only_exports_just_that_paragraph_and_import_keeps_the_rest_from_the_translation(make_site):
    root, german_before, printed = _paragraph_2_changed_and_exported(make_site, "--changed-only")
    assert "the others left out: import keeps them as they are" in printed
    exchange = root / "de.xlf"
    tree = _xliff(exchange)
    assert _valid(tree)
    assert [unit.get("id") for unit in tree.iterfind(".//x:unit", NS)] == ["p2"]
    _translate_unit(exchange, "p2", P2_GERMAN)
    _imported_and_published(root, exchange, german_before)


@pytest.mark.parametrize("changed_only", [False, True], ids=["whole", "changed-only"])
def test_po_offers_the_earlier_translation_of_a_changed_paragraph_as_fuzzy(make_site, changed_only):
    chosen = ["--changed-only"] if changed_only else []
    root, german_before, _ = _paragraph_2_changed_and_exported(make_site, "--format", "po", *chosen)
    exchange = root / "de.po"
    catalog = read_po(io.BytesIO(exchange.read_bytes()), abort_invalid=True)
    entries = {message.context.rpartition("#")[2]: message for message in catalog if message.id}
    assert sorted(entries) == (["p2"] if changed_only else ["p1", "p2", "p3", "p4", "p5", "summary", "title"])
    changed = entries.pop("p2")
    assert changed.id == "It hires {1}250 people{/1} this year."
    assert changed.fuzzy and changed.string == "Es stellt dieses Jahr {1}200 Leute{/1} ein."  # gettext's convention
    assert all(not message.fuzzy and message.string for message in entries.values())
    assert all("unchanged since translated: keep this translation" in message.auto_comments for message in entries.values())
    if shutil.which("msgfmt"):
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(exchange)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    assert "is marked fuzzy" in run(root, "i18n", "import", str(exchange)).err  # the suggestion is no translation
    _translate_entry(exchange, "p2", "Es stellt dieses Jahr {1}250 Leute{/1} ein.")
    _imported_and_published(root, exchange, german_before)


def test_a_new_english_paragraph_is_the_one_to_translate_though_the_others_moved(make_site):
    root = _translated_german(make_site)
    german_before = (root / GROWS_DE).read_text(encoding="utf-8")
    _change_english(root, "Alpha opens a plant.\n", "Breaking news.\n\nAlpha opens a plant.\n")
    result = run(root, "i18n", "export", "--outdated", "--changed-only", "--lang", "de")
    assert result.code == 0, result.err
    exchange = root / "de.xlf"
    tree = _xliff(exchange)
    assert [unit.get("id") for unit in tree.iterfind(".//x:unit", NS)] == ["p1"]
    assert _unit(tree, GROWS, "p1").find("x:notes", NS) is None  # new: there is no earlier translation
    _translate_unit(exchange, "p1", "Eilmeldung.")
    result = run(root, "i18n", "import", str(exchange))
    assert result.code == 0, result.err
    after = (root / GROWS_DE).read_text(encoding="utf-8")
    assert _without_record(after) == _without_record(german_before).replace("Alpha eröffnet", "Eilmeldung.\n\nAlpha eröffnet")
    assert _outdated_warnings(root) == []


def test_an_unchanged_paragraph_whose_translation_links_elsewhere_is_kept_as_it_is(make_site):
    root = _translated_german(make_site)
    german = root / GROWS_DE
    german.write_text(german.read_text(encoding="utf-8").replace("Werk.", "[Werk](../pages/about.md)."), encoding="utf-8")
    german_before = german.read_text(encoding="utf-8")
    _change_english(root, "200 people", "250 people")
    assert run(root, "i18n", "export", "--outdated", "--lang", "de").code == 0
    exchange = root / "de.xlf"
    ids = [unit.get("id") for unit in _xliff(exchange).iterfind(".//x:unit", NS)]
    assert "p1" not in ids and "p2" in ids  # no target can hold a link the source lacks: import keeps it
    _translate_unit(exchange, "p2", P2_GERMAN)
    assert run(root, "i18n", "import", str(exchange)).code == 0
    assert _without_record(german.read_text(encoding="utf-8")) == _without_record(german_before).replace("200 Leute", "250 Leute")


def test_a_translation_with_other_paragraphs_than_its_source_had_is_exported_whole(make_site):
    root = _translated_german(make_site)
    german = root / GROWS_DE
    german.write_text(german.read_text(encoding="utf-8").replace("Mehr nächste Woche.", "Mehr.\n\nNächste Woche."), encoding="utf-8")
    _change_english(root, "200 people", "250 people")
    result = run(root, "i18n", "export", "--outdated", "--changed-only", "--lang", "de")
    assert (
        f"{GROWS_DE}: exported whole, every segment to review: it has 5 paragraphs where its source had 4 when translated,"
        " so they do not correspond"
    ) in result.out
    assert len(list(_xliff(root / "de.xlf").iterfind(".//x:unit", NS))) == 7


def test_changed_only_import_refuses_a_segment_that_changed_after_the_export_by_name(make_site):
    root = _translated_german(make_site)
    _change_english(root, "200 people", "250 people")
    assert run(root, "i18n", "export", "--outdated", "--changed-only", "--lang", "de").code == 0
    exchange = root / "de.xlf"
    _translate_unit(exchange, "p2", P2_GERMAN)
    _change_english(root, "More next week.", "More tomorrow.")
    line = _line_of(exchange, '<unit id="p2"')
    assert _refused(root, exchange) == [
        f"de.xlf:{line}: error: segment news-2021-alpha-grows#p5 of the English source is not in this file"
        " (it changed since export); export again"
    ]


# Import: refused files


def _exported(make_site) -> tuple[Path, Path]:
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    tree = _xliff(root / "de.xlf")
    _translate_every_target(tree, str.upper)
    tree.write(str(root / "de.xlf"), xml_declaration=True, encoding="UTF-8")
    return root, root / "de.xlf"


def _refused(root: Path, path: Path) -> list[str]:
    before = _snapshot(root)
    result = run(root, "i18n", "import", str(path))
    assert result.code == 1
    assert _snapshot(root) == before, "a refused import wrote something"
    assert result.err.strip().endswith("nothing was changed")
    return result.err.splitlines()[:-1]


def _line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_a_segment_whose_source_changed_since_export_is_refused_by_name_and_line(make_site):
    root, exchange = _exported(make_site)
    english = root / ENGLISH
    english.write_text(english.read_text(encoding="utf-8").replace("a budget of 2", "a budget of 3"), encoding="utf-8")
    line = _line_of(exchange, '<unit id="p4"')
    assert _refused(root, exchange) == [
        f"de.xlf:{line}: error: segment news-2020-alpha-ranked#p4 does not match the English source (it changed since export); export again"
    ]


def test_a_source_whose_codes_changed_is_one_mismatch_not_a_list_of_unknown_codes(make_site):
    root, exchange = _exported(make_site)
    english = root / ENGLISH
    english.write_text(english.read_text(encoding="utf-8").replace("**new** plant", "new plant"), encoding="utf-8")
    [problem] = _refused(root, exchange)
    assert "segment news-2020-alpha-ranked#p1 does not match the English source" in problem


def test_malformed_xml_is_refused_at_its_line(make_site):
    root, exchange = _exported(make_site)
    line = _line_of(exchange, "</source>")
    exchange.write_text(exchange.read_text(encoding="utf-8").replace("</source>", "</sauce>", 1), encoding="utf-8")
    [problem] = _refused(root, exchange)
    assert problem.startswith(f"de.xlf:{line}: error: not well-formed XML")


def test_a_file_against_the_schema_is_refused_at_its_line(make_site):
    root, exchange = _exported(make_site)
    text = exchange.read_text(encoding="utf-8")
    exchange.write_text(text.replace("<segment>", '<segment state="done">', 1), encoding="utf-8")
    line = _line_of(exchange, 'state="done"')
    [problem] = _refused(root, exchange)
    assert re.match(rf"de.xlf:{line}: error: not valid XLIFF 2.0: .*'state'.*'done'", problem)


def test_a_file_naming_no_content_of_this_site_is_refused(make_site):
    root, exchange = _exported(make_site)
    exchange.write_text(exchange.read_text(encoding="utf-8").replace("news/2020-alpha-ranked.en.md", "news/gone.en.md"), encoding="utf-8")
    line = _line_of(exchange, 'original="news/gone.en.md"') + 1  # its first unit
    [problem] = _refused(root, exchange)
    assert f"de.xlf:{line}: error: news/gone.en.md is not a content file of this site" in problem


def test_a_code_the_source_lacks_is_refused(make_site):
    root, exchange = _exported(make_site)
    tree = _xliff(exchange)
    target = _unit(tree, "news/2020-alpha-ranked.en.md", "p2").find("x:segment/x:target", NS)
    etree.SubElement(target, f"{{{NS['x']}}}ph", id="9", dataRef="d1")
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    [problem] = _refused(root, exchange)
    assert 'segment news-2020-alpha-ranked#p2: <ph id="9"> is not a code of the source' in problem


def test_a_translation_that_breaks_the_blocks_is_refused(make_site):
    root, exchange = _exported(make_site)
    tree = _xliff(exchange)
    _unit(tree, "news/2020-alpha-ranked.en.md", "p2").find("x:segment/x:target", NS).text = "INVESTITION\n\n- ein Punkt"
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    [problem] = _refused(root, exchange)
    assert "segment news-2020-alpha-ranked#p2: the translation changes the page's blocks" in problem


def test_an_untranslated_or_fuzzy_po_entry_is_refused(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing", "--format", "po").code == 0
    catalog = read_po(io.BytesIO((root / "de.po").read_bytes()))
    for message in catalog:
        if message.id:
            message.string = message.id
    catalog.get("Investment", "news/2020-alpha-ranked.en.md#p2").flags.add("fuzzy")
    catalog.get("Cells", "news/2020-alpha-ranked.en.md#p7").string = ""
    catalog.get("research", "news/2020-alpha-ranked.en.md#p8").string = "{9}Forschung"
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    (root / "de.po").write_bytes(buffer.getvalue())
    problems = _refused(root, root / "de.po")
    assert {re.sub(r"^de.po:\d+: error: ", "", problem).split(";")[0] for problem in problems} == {
        "segment news/2020-alpha-ranked.en.md#p2 is marked fuzzy (needs review)",
        "segment news/2020-alpha-ranked.en.md#p7 has no translation",
        "segment news/2020-alpha-ranked.en.md#p8: {9} is not where a code of the source can be",
    }


def test_an_xliff_file_with_a_doctype_is_refused(make_site):
    root, exchange = _exported(make_site)
    text = exchange.read_text(encoding="utf-8")
    exchange.write_text(text.replace("?>\n", '?>\n<!DOCTYPE xliff [<!ENTITY e "x">]>\n', 1), encoding="utf-8")
    assert _refused(root, exchange) == ["de.xlf:1: error: a DOCTYPE is not allowed in an XLIFF file; remove it"]


# The command line


def test_exit_codes(make_site):
    root, exchange = _exported(make_site)
    with pytest.raises(SystemExit) as usage:
        run(root, "i18n", "export")  # no --lang
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        run(root, "i18n", "export", "--lang", "de", "--missing", "--all")
    assert usage.value.code == 2
    assert run(root, "i18n", "export", "--lang", "xx").code == 1
    assert run(root, "i18n", "export", "--lang", "de", "--format", "po", "-o", str(root / "de.xlf")).code == 1
    assert run(root, "i18n", "import", str(root / "absent.xlf")).code == 1
    assert run(root, "i18n", "import", str(root / "parkpress.toml")).code == 1
    exchange.write_text(exchange.read_text(encoding="utf-8").replace('trgLang="de-DE"', 'trgLang="es"'), encoding="utf-8")
    assert run(root, "i18n", "import", str(exchange)).err.startswith(
        "de.xlf:1: error: the file's target language 'es' is not one of this site's"
    )
    exchange.write_text(exchange.read_text(encoding="utf-8").replace('trgLang="es"', 'trgLang="de"'), encoding="utf-8")
    assert run(root, "i18n", "import", str(exchange)).code == 0  # the language's code does as well as its locale
