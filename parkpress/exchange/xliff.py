"""XLIFF 2.0 files of content segments: written with lxml's element API, read back against the
OASIS core schema (schemas/, unmodified; see schemas/NOTICE.md).

One ``<file>`` per content file (``original``: its path under content/), one ``<unit>`` per
segment.  Codes are ``<ph>`` (standing alone) and ``<pc>`` (around translated text), their
Markdown in the unit's ``<originalData>`` for tools that show it.  On import the codes are
taken from the current source by number, never from the file: a file cannot bring Markdown
(a link's address, raw HTML) that the source does not have.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from parkpress.core.problems import Problems
from parkpress.exchange.codes import Pc, Ph, Token, codes, markdown
from parkpress.exchange.model import Item, Received, Unit, code_table

NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SCHEMA = Path(__file__).parent / "schemas" / "xliff_core_2.0.xsd"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STRUCTURE = {"xliff", "file", "notes", "unit", "originalData", "segment"}  # element-only: indented


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def write(items: list[Item], source_lang: str, target_lang: str) -> bytes:
    root = etree.Element(_tag("xliff"), nsmap={None: NS}, version="2.0", srcLang=source_lang, trgLang=target_lang)
    for item in items:
        file = etree.SubElement(root, _tag("file"), id=_nmtoken(item.name), original=item.original, canResegment="no")
        if item.note:
            notes = etree.SubElement(file, _tag("notes"))
            _add_text(etree.SubElement(notes, _tag("note"), category="pp:status"), item.note)
        for unit in item.units:
            element = etree.SubElement(file, _tag("unit"), id=unit.id, type=f"pp:{unit.kind}")
            element.set(XML_SPACE, "preserve")
            _unit_note(element, unit)
            _original_data(element, unit.source)
            segment = etree.SubElement(element, _tag("segment"))
            if unit.done:
                segment.set("state", "final")
            elif unit.target is not None:
                segment.set("state", "translated")
            elif unit.previous is not None:
                segment.set("state", "initial")
            _inline(etree.SubElement(segment, _tag("source")), unit.source)
            if unit.target is not None:
                _inline(etree.SubElement(segment, _tag("target")), unit.target)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _unit_note(unit: etree._Element, exported: Unit) -> None:
    """What a translator should do with a unit of an outdated translation: keep it, or translate it
    (the earlier translation is a note, not a target: left untouched, it would import as done)."""
    if exported.done:
        text = "unchanged since translated: keep this translation"
    elif exported.previous is not None:
        text = f"changed since translated; the translation of the earlier text: {markdown(exported.previous)}"
    else:
        return
    notes = etree.SubElement(unit, _tag("notes"))
    _add_text(etree.SubElement(notes, _tag("note"), category="pp:review"), text)


def _nmtoken(name: str) -> str:
    return re.sub(r"[^\w.:-]", "_", name)


def _original_data(unit: etree._Element, tokens: list[Token]) -> None:
    pieces = []
    for code in codes(tokens):
        if isinstance(code, Ph):
            pieces.append((f"d{code.number}", code.data))
        else:
            pieces += [(f"d{code.number}s", code.start), (f"d{code.number}e", code.end)]
    if pieces:
        data = etree.SubElement(unit, _tag("originalData"))
        for ident, markdown in pieces:
            _add_text(etree.SubElement(data, _tag("data"), id=ident), markdown)


def _inline(parent: etree._Element, tokens) -> None:
    for token in tokens:
        if isinstance(token, str):
            _add_text(parent, token)
        elif isinstance(token, Ph):
            etree.SubElement(parent, _tag("ph"), id=str(token.number), dataRef=f"d{token.number}", **_type(token.kind))
        else:
            pc = etree.SubElement(
                parent,
                _tag("pc"),
                id=str(token.number),
                dataRefStart=f"d{token.number}s",
                dataRefEnd=f"d{token.number}e",
                **_type(token.kind),
            )
            _inline(pc, token.children)


def _type(kind: str) -> dict[str, str]:
    """XLIFF's code types: ``fmt`` for emphasis, ``link``, ``image``; the rest go without."""
    known = {"emphasis": "fmt", "link": "link", "image": "image"}
    return {"type": known[kind]} if kind in known else {}


def _add_text(parent: etree._Element, text: str) -> None:
    """Append ``text``; characters XML cannot hold become ``<cp hex="…"/>``."""
    position = 0
    for match in _NOT_XML.finditer(text):
        _append(parent, text[position : match.start()])
        etree.SubElement(parent, _tag("cp"), hex=f"{ord(match.group()):04X}")
        position = match.end()
    _append(parent, text[position:])


def _append(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _indent(element: etree._Element, depth: int = 0) -> None:
    """Line breaks and indentation between structural elements only: inside ``<source>``,
    ``<target>`` and ``<data>`` every character is the translator's text."""
    if etree.QName(element).localname not in _STRUCTURE or not len(element):
        return
    inner = "\n" + "  " * (depth + 1)
    element.text = inner
    for child in element:
        _indent(child, depth + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * depth


# Reading


def read(data: bytes, shown: str, current, problems: Problems) -> tuple[str | None, list[Received]]:
    """(trgLang, the units) of an XLIFF 2 file; ``current(original, unit id)``: the source's
    tokens for that segment now, or None.  Every problem goes to ``problems`` at its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        said = " ".join(exc.msg.split())  # libxml2's message may hold a line break
        problems.error(shown, exc.lineno or 0, f"not well-formed XML: {said}; send the file as the tool saved it, or export again")
        return None, []
    if tree.docinfo.doctype:
        problems.error(shown, 1, "a DOCTYPE is not allowed in an XLIFF file; remove it")
        return None, []
    root = tree.getroot()
    if root.tag != _tag("xliff") or not str(root.get("version", "")).startswith("2."):
        problems.error(shown, root.sourceline or 1, f"not an XLIFF 2 file (root <{etree.QName(root).localname}>, namespace {NS} expected)")
        return None, []
    schema = _schema()
    if not schema.validate(tree):
        for entry in schema.error_log:
            problems.error(shown, entry.line, f"not valid XLIFF 2.0: {entry.message}")
        return None, []
    received = []
    for file in root.iter(_tag("file")):
        original = file.get("original")
        if not original:
            problems.error(
                shown, file.sourceline, f"<file id=\"{file.get('id')}\"> has no 'original': this file was not exported by parkpress"
            )
            continue
        for unit in file.iter(_tag("unit")):
            name = f"{file.get('id')}#{unit.get('id')}"
            tokens = current(original, unit.get("id"))
            table = None if tokens is None else code_table(tokens)
            where = (shown, unit.sourceline, name)
            source = _joined(_parts(unit, "source"), table, where, None)
            report = problems if tokens is not None and source == markdown(tokens) else None  # else: one mismatch says it all
            targets = [part for part in _parts(unit, "target") if part is not None]
            target = _joined(targets, table, where, report) if targets else None
            received.append(Received(original, file.get("id"), unit.get("id"), unit.sourceline, source, target))
    return root.get("trgLang"), received


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _parts(unit: etree._Element, which: str):
    """The unit's ``<source>`` or ``<target>`` elements, segments and ignorables in order."""
    for child in unit:
        if etree.QName(child).localname in ("segment", "ignorable"):
            yield child.find(_tag(which))


def _joined(parts, table: dict | None, where, problems: Problems | None) -> str | None:
    """The Markdown of a unit's sources or targets; None where ``problems`` is None and a code is unknown."""
    try:
        return "".join(_markdown(part, table, where, problems) for part in parts)
    except _NotInSource:
        return None


class _NotInSource(Exception):
    """A code of the file's source that the current source does not have."""


def _markdown(element: etree._Element, table: dict, where, problems: Problems | None) -> str:
    """The Markdown of a ``<source>`` or ``<target>``; ``problems`` None: an unknown code is no
    error to report (the unit does not match the current source anyway), it raises _NotInSource."""
    shown, line, name = where
    parts = [element.text or ""]
    for child in element:
        local = etree.QName(child).localname
        code = (table or {}).get(child.get("id", ""))
        if local == "cp" and (char := _code_point(child.get("hex"))):
            parts.append(char)
        elif local == "mrk":
            parts.append(_markdown(child, table, where, problems))
        elif local == "ph" and isinstance(code, Ph):
            parts.append(code.data)
        elif local == "pc" and isinstance(code, Pc):
            parts += [code.start, _markdown(child, table, where, problems), code.end]
        elif table is not None and problems is None:
            raise _NotInSource
        elif table is not None:
            problems.error(
                shown,
                child.sourceline or line,
                f'segment {name}: <{local} id="{child.get("id")}"> is not a code of the source; keep the codes as they were exported',
            )
        parts.append(child.tail or "")
    return "".join(parts)


def _code_point(hex_value: str) -> str | None:
    try:
        char = chr(int(hex_value, 16))
    except (ValueError, OverflowError):
        return None
    return None if 0xD800 <= ord(char) <= 0xDFFF else char
