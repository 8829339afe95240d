"""``i18n export`` and ``i18n import``: the content to translate, as XLIFF 2.0 or PO, and back.

export  the items a language lacks or whose translation is outdated (or every one, --all), one
        segment per paragraph, heading, list item, table cell and quote, plus title and summary;
        a translation whose blocks match its source's offers its text as the target.  Of an
        outdated translation whose record has ``parts``, the segments of unchanged parts are
        done (final) and the others to translate; ``--changed-only`` leaves the done ones out
import  writes each translated file (a new one for a missing translation, the existing one
        updated otherwise; a done segment the file lacks is taken from the translation) and
        records it as current (``translation_of``, as ``i18n done``);
        a file whose segments no longer match the source, or that is malformed, is refused
        with every problem at its line, and nothing is written
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

from babel import Locale, UnknownLocaleError

from parkpress.content.loader import load_content
from parkpress.content.model import Document
from parkpress.content.sources import discover
from parkpress.content.translation import (
    CURRENT,
    MISSING,
    OUTDATED,
    TEXT_FIELDS,
    content_rel,
    source_of,
    state,
    text_parts,
    translation_path,
    unchanged_parts,
    with_record,
)
from parkpress.core.config import Config, Language
from parkpress.core.problems import BuildFailed, Problems
from parkpress.core.schema import FORBIDDEN
from parkpress.core.yamldata import YamlError
from parkpress.exchange import po, xliff
from parkpress.exchange.codes import Pc, Ph, Token, codes, markdown, parse
from parkpress.exchange.model import Item, Received, Unit
from parkpress.exchange.segments import Segment, body_start, normalised, parts_of, segments, shape, splice

FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".po": "po"}
SELECTIONS = ("outdated", "missing", "all")
MAX_IMPORT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Version:
    """One file of an item: its document, its text (normalised) and the newline and BOM it was saved with."""

    doc: Document
    text: str
    segments: list[Segment]
    crlf: bool
    bom: bool


@dataclass(frozen=True)
class Entry:
    """An item's translation into one language, as it stands."""

    name: str  # news-2024-05-x
    lang: str  # the translation's
    source: Version
    existing: Version | None
    target_rel: str  # where the translation is (or goes), relative to the project
    status: str  # current | outdated | unknown | missing

    @property
    def original(self) -> str:
        return content_rel(self.source.doc)

    @property
    def aligned(self) -> bool:
        """Whether the translation's blocks correspond one to one to the source's."""
        return self.existing is not None and shape(self.existing.segments) == shape(self.source.segments)


def export(
    config: Config, lang: str, selection: str | None, output_format: str | None, output: str | None, changed_only: bool = False
) -> int:
    language = _language(config, lang)
    target = Path(output) if output else config.root / f"{language.code}.{'po' if output_format == 'po' else 'xlf'}"
    named = FORMATS.get(target.suffix.lower())
    if output_format and named and named != output_format:
        wrong = f"a {target.suffix} file is not {output_format}: give --format {named} or another name"
        _fail(config, target, 0, wrong)
    kind = output_format or named or "xliff"
    wanted = {None: (OUTDATED, MISSING), "outdated": (OUTDATED,), "missing": (MISSING,)}.get(selection)
    chosen = [entry for entry in entries(config, language.code) if wanted is None or entry.status in wanted]
    other_source = [entry for entry in chosen if entry.source.doc.lang != config.default_language]
    for entry in other_source:
        print(f"{entry.source.doc.rel}: left out, written in '{entry.source.doc.lang}': an export's source is {config.default_language}")
    items = [item for entry in chosen if entry not in other_source and (item := _item(entry, config, changed_only))]
    if not items:
        none = "" if chosen else f" ({selection or 'outdated or missing'} translations: none)"
        print(f"nothing to translate into {language.code}{none}")
        return 0
    source_lang = config.language(config.default_language).hreflang
    data = xliff.write(items, source_lang, language.hreflang) if kind == "xliff" else po.write(items, language.locale.replace("-", "_"))
    _write_atomically(config, target, data)
    units = [unit for item in items for unit in item.units]
    final = sum(unit.done for unit in units)
    words = sum(len(re.findall(r"\w+", _plain(unit.source))) for unit in units if not unit.done)
    segments_written = f"{len(units)} segments" + (f" ({final} of them unchanged, final)" if final else "")
    print(f"wrote {target}: {len(items)} files, {segments_written}, {words} words of {source_lang} to translate into {language.hreflang}")
    return 0


def import_(config: Config, path: str) -> int:
    problems = Problems(config.root)
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        _fail(config, path, 0, "give an .xlf, .xliff or .po file, as i18n export wrote it")
    data = _read_import(config, path)
    every = _all_entries(config)
    by_original = {entry.original: entry for entry in every}

    def current(original: str, ident: str) -> list[Token] | None:
        entry = by_original.get(original)
        segment = next((s for s in entry.source.segments if s.id == ident), None) if entry else None
        return parse(segment.text) if segment else None

    reader = xliff.read if kind == "xliff" else po.read
    lang_tag, received = reader(data, path, current, problems)
    if lang_tag is None:  # unreadable: the reader said why
        problems.raise_if_errors()
    language = _language_of(config, lang_tag, path)
    entries_here = {entry.original: entry for entry in every if entry.lang == language.code}
    grouped: dict[str, list[Received]] = {}
    for unit in received:
        grouped.setdefault(unit.original, []).append(unit)
    plans = []
    for original, units in grouped.items():
        entry = entries_here.get(original)
        if entry is None:
            problems.error(path, units[0].line, _unknown(config, original, language, by_original))
            continue
        if not any(unit.target and unit.target.strip() for unit in units):
            print(f"{entry.target_rel}: left as it is, nothing of it is translated in {path}")
            continue
        targets = _checked_targets(config, entry, units, path, problems)
        if targets is not None:
            plans.append((entry, targets, units[0]))
    problems.raise_if_errors()
    results = [(entry, _translated(entry, targets, path, first, problems)) for entry, targets, first in plans]
    problems.raise_if_errors()
    for entry, text in results:
        if text is None:
            print(f"{entry.target_rel}: unchanged")
            continue
        _write_file(config, config.root / entry.target_rel, text, entry.existing or entry.source)
        print(f"{entry.target_rel}: {'updated' if entry.existing else 'created'}, current")
    return 0


def entries(config: Config, lang: str) -> list[Entry]:
    """Every item's translation into ``lang``, for items written in another language."""
    return [entry for entry in _all_entries(config) if entry.lang == lang]


def _all_entries(config: Config) -> list[Entry]:
    problems = Problems(config.root)
    content = load_content(config, discover(config.content_dir, config.language_codes, problems), problems)
    problems.raise_if_errors()
    groups = [
        *(item.translations for item in content.news.values()),
        *(page.translations for page in content.pages.values()),
        *(park.prose for park in content.parks.values()),
    ]
    found = []
    for docs in groups:
        source_doc = source_of(docs, config.default_language)
        source = _version(config, source_doc, problems)
        for language in config.languages:
            if language.code == source_doc.lang:
                continue
            doc = docs.get(language.code)
            existing = _version(config, doc, problems) if doc else None
            status = MISSING if doc is None else state(doc, source_doc).status
            target_rel = doc.rel if doc else translation_path(source_doc, language.code)
            if source is not None and (doc is None or existing is not None):
                found.append(Entry(f"{source_doc.section}-{source_doc.key}", language.code, source, existing, target_rel, status))
    problems.raise_if_errors()
    return found


def _version(config: Config, doc: Document, problems: Problems) -> Version | None:
    with open(config.root / doc.rel, encoding="utf-8", newline="") as handle:
        raw = handle.read()
    text = normalised(raw)
    try:
        found = segments(text)
    except YamlError as exc:  # read once already by the loader: only a file changed meanwhile gets here
        problems.error(doc.rel, exc.line, str(exc))
        return None
    return Version(doc, text, found, "\r\n" in raw, raw.startswith("\ufeff"))


def _item(entry: Entry, config: Config, changed_only: bool) -> Item | None:
    """The item to export, or None when ``changed_only`` leaves nothing of it."""
    offered = {}
    if entry.aligned:
        offered = {
            mine.id: _renumbered(parse(mine.text), parse(theirs.text))
            for mine, theirs in zip(entry.existing.segments, entry.source.segments, strict=True)
        }
    done, why = _unchanged(entry) if entry.status == OUTDATED else (None, "")
    if done is not None:
        return _marked_item(entry, config, done, offered, changed_only)
    if entry.status == OUTDATED:
        print(f"{entry.target_rel}: exported whole, every segment to review: {why}")
    if changed_only and entry.status == CURRENT:
        return None
    units = [Unit(segment.id, segment.kind, parse(segment.text), offered.get(segment.id)) for segment in entry.source.segments]
    note = ""
    if entry.status == OUTDATED:
        changed = f"the {_name(config, entry.source.doc.lang)} text changed since {entry.target_rel} was translated"
        note = f"outdated: {changed}; the targets are that translation, review each"
    elif entry.existing is not None and not entry.aligned:
        note = f"{entry.target_rel} has other blocks than its source: translate every segment; import gives it the source's blocks"
    return Item(entry.name, entry.original, units, note)


def _marked_item(entry: Entry, config: Config, done: dict[str, str], offered: dict, changed_only: bool) -> Item | None:
    """An outdated translation whose record says which parts changed: the segments of unchanged
    parts are done (their translation as the target, final), the others to translate, with the
    translation of their earlier text as a suggestion where the blocks still correspond."""
    units = []
    for segment in entry.source.segments:
        tokens = parse(segment.text)
        if segment.id not in done:
            units.append(Unit(segment.id, segment.kind, tokens, None, previous=offered.get(segment.id)))
            continue
        target = _renumbered(parse(done[segment.id]), tokens)
        if target is not None and not changed_only:  # else left out: import keeps the translation's text (and its own Markdown)
            units.append(Unit(segment.id, segment.kind, tokens, target, done=True))
    changed = len(entry.source.segments) - len(done)
    others = "left out: import keeps them as they are" if changed_only else "final, with their translation"
    print(f"{entry.target_rel}: {changed} of {len(entry.source.segments)} segments changed since translated, the others {others}")
    if not changed and changed_only:
        print(f"{entry.target_rel}: nothing to translate (what changed is no segment's text); parkpress i18n done marks it current")
        return None
    source = _name(config, entry.source.doc.lang)
    kept = "the others are not in this file; import keeps them" if changed_only else "the others are unchanged: keep them"
    note = f"outdated: the {source} text of {changed} segments changed since {entry.target_rel} was translated, each says so; {kept}"
    return Item(entry.name, entry.original, units, note)


def _unchanged(entry: Entry) -> tuple[dict[str, str] | None, str]:
    """For an outdated translation: the translation's text of each source segment whose part
    (title, summary, paragraph) is the one it was translated from, by segment id; or None and
    why its record cannot tell."""
    record = entry.existing.doc.meta["translation_of"]
    then_of = unchanged_parts(record, entry.source.doc)
    if then_of is None:
        return None, "its record (translation_of) has no parts, so which segments changed is unknown"
    recorded, has = len(record["parts"].split()) - len(TEXT_FIELDS), len(text_parts(entry.existing.doc)) - len(TEXT_FIELDS)
    if has != recorded:
        return None, f"it has {has} paragraphs where its source had {recorded} when translated, so they do not correspond"
    mine, theirs = _by_part(entry.source), _by_part(entry.existing)
    done = {}
    for now, then in then_of.items():
        ours, translated = mine.get(now, []), theirs.get(then, [])
        if [segment.kind for segment in ours] == [segment.kind for segment in translated]:
            done.update((segment.id, theirs_segment.text) for segment, theirs_segment in zip(ours, translated, strict=True))
    return done, ""


def _by_part(version: Version) -> dict[int, list[Segment]]:
    """The version's segments by the part of its text (content.translation.text_parts) they lie in."""
    grouped: dict[int, list[Segment]] = {}
    part = parts_of(version.text, version.segments)
    for segment in version.segments:
        grouped.setdefault(part[segment.id], []).append(segment)
    return grouped


def _renumbered(target: list[Token], source: list[Token]) -> list[Token] | None:
    """The translation's tokens with the numbers of the source's codes of the same Markdown, or
    None when it has a code the source lacks (then it offers no target for that segment)."""
    unused = codes(source)
    numbers = {}
    for code in codes(target):
        match = next((theirs for theirs in unused if _same_code(code, theirs)), None)
        if match is None:
            return None
        unused.remove(match)
        numbers[code.number] = match.number
    return _with_numbers(target, numbers)


def _same_code(mine: Ph | Pc, theirs: Ph | Pc) -> bool:
    if isinstance(mine, Ph):
        return isinstance(theirs, Ph) and mine.data == theirs.data
    return isinstance(theirs, Pc) and (mine.start, mine.end) == (theirs.start, theirs.end)


def _with_numbers(tokens: list[Token] | tuple, numbers: dict[int, int]) -> list[Token]:
    result = []
    for token in tokens:
        if isinstance(token, Ph):
            token = replace(token, number=numbers[token.number])
        elif isinstance(token, Pc):
            token = replace(token, number=numbers[token.number], children=tuple(_with_numbers(token.children, numbers)))
        result.append(token)
    return result


def _plain(tokens: list[Token] | tuple) -> str:
    return " ".join(token if isinstance(token, str) else _plain(token.children) if isinstance(token, Pc) else "" for token in tokens)


def _checked_targets(config: Config, entry: Entry, units: list[Received], path: str, problems: Problems) -> dict[str, str] | None:
    """The translation of every segment of ``entry``: the file's, and for a segment unchanged since
    translated that the file leaves out (or gives no target) the translation's own; or None after
    reporting why not."""
    source_name = _name(config, entry.source.doc.lang)
    by_id = {segment.id: segment for segment in entry.source.segments}
    kept = (_unchanged(entry)[0] if entry.status == OUTDATED else None) or {}
    targets, before = {}, len(problems.errors)
    for unit in units:
        segment = by_id.get(unit.id)
        name = f"{unit.item}#{unit.id}"  # as the file names it
        if unit.id in targets:
            problems.error(path, unit.line, f"segment {name} is in this file twice; keep one")
        elif segment is None or unit.source != segment.text:
            problems.error(
                path, unit.line, f"segment {name} does not match the {source_name} source (it changed since export); export again"
            )
        elif unit.target and unit.target.strip() and (wrong := _target_problem(unit.target, segment)):
            problems.error(path, unit.line, f"segment {name}: {wrong}")
        elif unit.target and unit.target.strip():
            targets[unit.id] = unit.target
        elif unit.id in kept:
            targets[unit.id] = kept[unit.id]
        else:
            problems.error(path, unit.line, f"segment {name} has no translation; translate it, or leave {entry.original} out of the import")
    given = {unit.id for unit in units}
    for ident in (ident for ident in by_id if ident not in given):
        if ident in kept:
            targets[ident] = kept[ident]
            continue
        problems.error(
            path,
            units[0].line,
            f"segment {units[0].item}#{ident} of the {source_name} source is not in this file (it changed since export); export again",
        )
    return targets if len(problems.errors) == before else None


def _target_problem(target: str, segment: Segment) -> str | None:
    """What a translated text must not bring that its source lacks: control characters (a title's
    would stop the build; <cp hex="0000"/> makes one), links and HTML."""
    if bad := next((found.group() for found in FORBIDDEN.finditer(target) if found.group() not in segment.text), None):
        return f"the translation contains the control character U+{ord(bad):04X}, which its source does not; remove it"
    if segment.kind != "field" and (foreign := _foreign_codes(target, segment.text)):  # a field is plain text
        return (
            f"the translation's text makes a link or HTML the source does not have ({foreign[0]});"
            " use the source's codes, or put a backslash before its '[' or '<'"
        )
    return None


def _foreign_codes(target: str, source: str) -> list[str]:
    """The links, images and HTML that the target's own text makes: its codes come from the
    source, but text such as ``[here](https://…)`` typed into a segment is Markdown too."""
    theirs = codes(parse(source))
    found = [code for code in codes(parse(target)) if code.kind in ("link", "image", "html")]
    return [markdown([code]) for code in found if not any(_same_code(code, known) for known in theirs)]


def _translated(entry: Entry, targets: dict[str, str], path: str, first: Received, problems: Problems) -> str | None:
    """The translation's new text, or None when it would not change; ``first``: the item's first unit in the file."""
    line = first.line
    if entry.aligned and entry.status == CURRENT and all(targets[s.id] == s.text for s in entry.existing.segments):
        return None
    base, found = _base(entry, targets)
    text = with_record(splice(base, found, targets), entry.source.doc)
    try:
        after = segments(text)
    except YamlError as exc:
        problems.error(
            path, line, f"the translation of {entry.original} makes its front matter unreadable ({exc}); check the title and summary"
        )
        return None
    if shape(after) != shape(found) or any(segment.text != targets[segment.id] for segment in after):
        broken = next(
            (s.id for s, t in zip(after, found, strict=False) if (s.id, s.kind) != (t.id, t.kind) or s.text != targets[s.id]), found[-1].id
        )
        problems.error(
            path,
            line,
            f"segment {first.item}#{broken}: the translation changes the page's blocks"
            " (a blank line, or a line that begins with '#', '-', '>' or '|'); keep it one block",
        )
        return None
    if entry.existing is not None and text == entry.existing.text:
        return None
    return text


def _base(entry: Entry, targets: dict[str, str]) -> tuple[str, list[Segment]]:
    """The text the translation is written into: the translation itself where its blocks match the
    source's, else its front matter (with the text fields it lacks) over the source's body, else
    (a new file) the source."""
    if entry.aligned:
        return entry.existing.text, entry.existing.segments
    if entry.existing is not None:
        front = entry.existing.text[: body_start(entry.existing.text)]
        fence = front.rstrip("\n").rfind("\n") + 1
        has = {segment.id for segment in entry.existing.segments if segment.kind == "field"}
        lacking = [s.id for s in entry.source.segments if s.kind == "field" and s.id not in has]
        added = "".join(f"{name}: {json.dumps(targets[name], ensure_ascii=False)}\n" for name in lacking)
        mixed = front[:fence] + added + front[fence:] + entry.source.text[body_start(entry.source.text) :]
        found = segments(mixed)
        if shape(found) == shape(entry.source.segments):
            return mixed, found
    return entry.source.text, entry.source.segments


def _unknown(config: Config, original: str, language: Language, by_original: dict[str, Entry]) -> str:
    if original in by_original:
        return f"{original} is written in {language.code}, the language of this file: it is no source to translate into {language.code}"
    return f"{original} is not a content file of this site (renamed or removed since export?); export again"


def _language(config: Config, code: str) -> Language:
    for language in config.languages:
        if language.code == code:
            return language
    known = ", ".join(config.language_codes)
    _fail(config, config.root / "parkpress.toml", 0, f"language '{code}' is not configured (known: {known}); give one of them with --lang")


def _language_of(config: Config, tag: str | None, path: str) -> Language:
    """The configured language an imported file names (trgLang, or the PO Language header)."""
    wanted = (tag or "").replace("_", "-").lower()
    for language in config.languages:
        if wanted in (language.code.lower(), language.hreflang.lower()):
            return language
    known = ", ".join(config.language_codes)
    named = f"the file's target language '{tag}' is not one of this site's" if tag else "the file names no target language"
    _fail(config, path, 1, f"{named} ({known}); set trgLang (XLIFF) or the Language header (PO) to the translation's")


def _name(config: Config, code: str) -> str:
    """The language's English name, as messages name a source: 'English', 'Chinese'."""
    try:
        return Locale.parse(config.language(code).locale.replace("-", "_")).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def _read_import(config: Config, path: str) -> bytes:
    """The file's bytes, at most MAX_IMPORT_BYTES: a device or pipe (/dev/zero) has no size to check first."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            _fail(config, path, 0, "is not a file (a folder, a device or a pipe); give the .xlf or .po file that i18n export wrote")
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        _fail(config, path, 0, f"cannot read: {exc.strerror}")
    if len(data) > MAX_IMPORT_BYTES:
        _fail(config, path, 0, f"file is over {MAX_IMPORT_BYTES // 1048576} MB; import at most that at once")
    return data


def _write_file(config: Config, path: Path, text: str, like: Version) -> None:
    """``text`` saved with the newlines and byte order mark of the file it was made from."""
    data = ("\ufeff" if like.bom else "") + (text.replace("\n", "\r\n") if like.crlf else text)
    _write_atomically(config, path, data.encode("utf-8"))


def _write_atomically(config: Config, path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all; a path that is a folder, or that cannot be written, is an error."""
    if path.is_dir():
        _fail(config, path, 0, "is a folder; give the name of the file to write, such as de.xlf")
    blocking = next((folder for folder in path.parents if folder.exists() and not folder.is_dir()), None)
    if blocking is not None:
        _fail(config, path, 0, f"{blocking} is a file, not a folder; give a path in a folder")
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)  # a symbolic link left there would be written through
        temporary.write_bytes(data)
        temporary.replace(path)  # never half a file, whatever stops the command
    except OSError as exc:
        if temporary.is_file():  # written, but it could not take the file's place
            temporary.unlink()
        _fail(config, path, 0, f"cannot write: {exc.strerror}; choose a place you can write to")


def _fail(config: Config, path: Path | str, line: int, message: str) -> NoReturn:
    """Stop with one problem, its path shown as every other (relative to the project)."""
    problems = Problems(config.root)
    problems.error(path, line, message)
    raise BuildFailed(problems.items)
