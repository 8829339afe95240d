"""Hostile exchange files: ``i18n import`` of an XLIFF or PO file that tries to bring what the
source lacks, blow up the parser, or plant characters the site refuses, and ``i18n export -o``
into a place that cannot take a file.  Each is a clean ``path:line:`` error, exit 1, nothing written."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from conftest import news, run
from lxml import etree

ENGLISH = "content/news/2020-alpha-ranked.en.md"
BODY = "Alpha's **new** plant opens in [the north zone](../parks/alpha.md).\n"
X = "{urn:oasis:names:tc:xliff:document:2.0}"
ROOT_START = '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de-DE">'


def _site(make_site) -> Path:
    return make_site({ENGLISH: news("Alpha ranked", date="2020-07-08 09:00", body=BODY)})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "content").rglob("*")) if path.is_file()}


def _refused(root: Path, path: Path) -> list[str]:
    before = _snapshot(root)
    result = run(root, "i18n", "import", str(path))
    assert result.code == 1, result.out
    assert _snapshot(root) == before, "a refused import wrote something"
    assert "Traceback" not in result.err
    assert result.err.strip().endswith("nothing was changed")
    return result.err.splitlines()[:-1]


def _exported_xliff(make_site, translate) -> tuple[Path, Path]:
    """The site and its missing German as XLIFF, every target the source with ``translate("file id#unit id", target)`` applied."""
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    tree = etree.parse(str(root / "de.xlf"))
    for unit in tree.iter(f"{X}unit"):
        name = f"{unit.getparent().get('id')}#{unit.get('id')}"
        segment = unit.find(f"{X}segment")
        target = etree.fromstring(etree.tostring(segment.find(f"{X}source")))
        target.tag = f"{X}target"
        segment.append(target)
        translate(name, target)
    tree.write(str(root / "de.xlf"), xml_declaration=True, encoding="UTF-8")
    return root, root / "de.xlf"


def _exported_po(make_site, translate) -> tuple[Path, Path]:
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "--missing", "--format", "po").code == 0
    catalog = read_po(io.BytesIO((root / "de.po").read_bytes()))
    for message in catalog:
        if message.id:
            message.string = translate(message.context, message.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    (root / "de.po").write_bytes(buffer.getvalue())
    return root, root / "de.po"


# What a segment's text may bring


def test_a_link_typed_into_a_translated_paragraph_is_refused(make_site):
    def typed(ident, target):
        if ident == "news-2020-alpha-ranked#p1":
            target[-1].tail += " [Hier klicken](https://phish.example/login)"

    root, exchange = _exported_xliff(make_site, typed)
    [problem] = _refused(root, exchange)
    assert "segment news-2020-alpha-ranked#p1: the translation's text makes a link or HTML the source does not have" in problem
    assert "[Hier klicken](https://phish.example/login)" in problem


def test_raw_html_typed_into_a_po_entry_is_refused(make_site):
    def typed(ident, text):
        return text + ' <a href="javascript:alert(1)">x</a>' if ident == "news/2020-alpha-ranked.en.md#p1" else text

    root, exchange = _exported_po(make_site, typed)
    [problem] = _refused(root, exchange)
    assert "segment news/2020-alpha-ranked.en.md#p1: the translation's text makes a link or HTML the source does not have" in problem
    assert '(<a href="javascript:alert(1)">)' in problem


def test_a_title_is_plain_text_and_may_hold_angle_brackets_which_the_page_escapes(make_site):
    def titled(ident, target):
        if ident == "news-2020-alpha-ranked#title":
            target.text = "<b>Alpha</b> gewinnt"

    root, exchange = _exported_xliff(make_site, titled)
    assert run(root, "i18n", "import", str(exchange)).code == 0
    assert run(root, "build").code == 0
    pages = [path.read_text(encoding="utf-8") for path in (root / "site/de").rglob("*.html")]
    assert any("&lt;b&gt;Alpha&lt;/b&gt; gewinnt" in page for page in pages)
    assert not any("<b>Alpha" in page for page in pages)


def test_a_control_character_written_as_a_code_point_is_refused(make_site):
    def control(ident, target):
        if ident.startswith("news-2020-alpha-ranked#") and ident.endswith(("#title", "#p1")):
            etree.SubElement(target, f"{X}cp", hex="0000" if ident.endswith("#title") else "001B")

    root, exchange = _exported_xliff(make_site, control)
    assert sorted(problem.split(": error: ")[1] for problem in _refused(root, exchange)) == [
        "segment news-2020-alpha-ranked#p1: the translation contains the control character U+001B, which its source does not; remove it",
        "segment news-2020-alpha-ranked#title: the translation contains the control character U+0000, which its source does not; remove it",
    ]


def test_a_control_character_the_source_has_may_stay_in_its_translation(make_site):
    root = make_site({ENGLISH: news("Alpha ranked", date="2020-07-08 09:00", body="Alpha \x0b grows.\n")})
    assert run(root, "i18n", "export", "--lang", "de", "--missing").code == 0
    exchange = root / "de.xlf"
    tree = etree.parse(str(exchange))
    for segment in tree.iter(f"{X}segment"):
        target = etree.fromstring(etree.tostring(segment.find(f"{X}source")))
        target.tag = f"{X}target"
        segment.append(target)
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    result = run(root, "i18n", "import", str(exchange))
    assert result.code == 0, result.err
    assert "Alpha \x0b grows." in (root / "content/news/2020-alpha-ranked.de.md").read_text(encoding="utf-8")


# Files made to hurt the parser


def _xliff_around(target: str) -> bytes:
    segment = f"<segment><source>Alpha ranked</source><target>{target}</target></segment>"
    unit = f'<file id="a" original="{ENGLISH[8:]}"><unit id="title">{segment}</unit></file>'
    return f'<?xml version="1.0"?>\n{ROOT_START}{unit}</xliff>\n'.encode()


def test_billion_laughs_and_external_entities_are_refused(make_site):
    root = _site(make_site)
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    for name, doctype in (
        ("laughs", f'<!DOCTYPE x [<!ENTITY l0 "lol">{laughs}]>'),
        ("file", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
    ):
        path = root / f"{name}.xlf"
        path.write_bytes(_xliff_around("&l9;" if name == "laughs" else "&e;").replace(b"?>\n", f"?>\n{doctype}\n".encode(), 1))
        [problem] = _refused(root, path)
        assert problem.startswith(f"{name}.xlf:"), problem
        assert "root:" not in problem


def test_deep_nesting_and_bytes_that_are_not_utf8_are_refused(make_site):
    root = _site(make_site)
    cases = {
        "deep.xlf": _xliff_around('<mrk id="m">' * 5000 + "x" + "</mrk>" * 5000),
        "bytes.xlf": _xliff_around("\ufffd").replace("\ufffd".encode(), b"\xff\xfe"),
        "nul.xlf": _xliff_around("a\x00b"),
        "binary.po": b"\x00\xff\xfe" * 1000,
    }
    for name, data in cases.items():
        (root / name).write_bytes(data)
        [problem] = _refused(root, root / name)
        assert re.match(rf"{name}:[12]: error: not ", problem), problem
        assert "\\n" not in problem and "\n" not in problem, problem


def test_a_po_file_with_a_hostile_plural_forms_header_is_refused_before_it_is_read(make_site):
    root, exchange = _exported_po(make_site, lambda ident, text: text)
    text = exchange.read_text(encoding="utf-8")
    line = next(number for number, line in enumerate(text.splitlines(), start=1) if line.startswith('"Plural-Forms:'))
    plural = 'msgid "up"\nmsgid_plural "ups"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
    for header, wrong in (
        ("nplurals=300000000; plural=(n != 1);", "nplurals=300000000, a language has 1 to 6 plural forms"),
        ('nplurals=2; plural=__import__(\\"os\\").system(\\"id\\");', "gettext cannot use the rule"),
        ("nplurals=2; plural=n/0;", "gettext cannot use the rule 'n/0'"),
    ):
        exchange.write_text(text.replace("nplurals=2; plural=(n != 1);", header) + plural, encoding="utf-8")
        [problem] = _refused(root, exchange)
        assert problem.startswith(f"de.po:{line}: error: Plural-Forms: {wrong}"), problem


def test_a_po_file_naming_a_charset_python_does_not_know_is_refused(make_site):
    root, exchange = _exported_po(make_site, lambda ident, text: text)
    exchange.write_text(exchange.read_text(encoding="utf-8").replace("charset=utf-8", "charset=no-such-charset"), encoding="utf-8")
    assert _refused(root, exchange) == [
        "de.po: error: its charset is unknown (unknown encoding: no-such-charset); save it as UTF-8, as i18n export wrote it"
    ]


def test_a_device_or_pipe_given_as_the_file_is_refused_without_reading_it(make_site):
    root = _site(make_site)
    (root / "zero.po").symlink_to("/dev/zero")  # endless: reading it all would never end
    os.mkfifo(root / "pipe.xlf")  # nobody writes: opening it would wait for ever
    for name in ("zero.po", "pipe.xlf"):
        [problem] = _refused(root, root / name)
        assert problem.startswith(f"{name}: error: is not a file (a folder, a device or a pipe)"), problem


# Export into a place that cannot take a file


def test_export_into_a_folder_or_below_a_file_is_an_error_and_leaves_nothing(make_site):
    root = _site(make_site)
    for output, wrong in (("content", "content: error: is a folder"), ("parkpress.toml/de.xlf", "parkpress.toml is a file, not a folder")):
        before = sorted(path.name for path in root.iterdir())
        result = run(root, "i18n", "export", "--lang", "de", "-o", str(root / output))
        assert result.code == 1
        assert wrong in result.err and "Traceback" not in result.err
        assert sorted(path.name for path in root.iterdir()) == before


def test_export_into_a_new_folder_makes_it(make_site):
    root = _site(make_site)
    assert run(root, "i18n", "export", "--lang", "de", "-o", str(root / "for-bureau/de.xlf")).code == 0
    assert (root / "for-bureau/de.xlf").is_file()


def test_a_symbolic_link_where_the_file_is_first_written_is_not_written_through(make_site, tmp_path):
    root = _site(make_site)
    outside = tmp_path / "precious.txt"
    outside.write_text("the editor's own file\n", encoding="utf-8")
    (root / "de.xlf.tmp").symlink_to(outside)
    assert run(root, "i18n", "export", "--lang", "de").code == 0
    assert outside.read_text(encoding="utf-8") == "the editor's own file\n"
    assert (root / "de.xlf").read_bytes().startswith(b"<?xml") and not (root / "de.xlf").is_symlink()
