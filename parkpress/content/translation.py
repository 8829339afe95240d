"""Which version of its source a translation translates: digests of translatable text.

A translation's front matter records ``translation_of: {file, digest, parts}``: the source's
path under content/, the SHA-256 of the source's title, summary and body when the
translation was made, and a short digest of each part (title, summary, every paragraph).
Fact keys (parks, date, industries, …) are not text and do not count, so correcting them
never makes a translation outdated.

``digest`` alone decides whether a translation is current; ``parts`` only says which part
changed, without the old text (which ``i18n diff`` finds in git history).  Records written
before ``parts`` existed hold only ``digest``: they still tell "outdated", not where.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from parkpress.content.model import Document

CURRENT, OUTDATED, UNKNOWN, MISSING = "current", "outdated", "unknown", "missing"
TEXT_FIELDS = ("title", "summary")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraphs(body: str) -> list[str]:
    text = body.replace("\r\n", "\n")
    return [text[start:end] for start, end in paragraph_spans(text)]


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Where each paragraph of ``body`` (``\\n`` line ends) begins and ends, its surrounding whitespace left out."""
    spans, start = [], 0
    for end, after in [*((found.start(), found.end()) for found in _PARAGRAPH_BREAK.finditer(body)), (len(body), len(body))]:
        piece = body[start:end]
        if piece.strip():
            spans.append((start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())))
        start = after
    return spans


def text_parts(doc: Document) -> list[str]:
    """The translatable text in parts: title, summary (empty when there is none), each paragraph."""
    return [doc.meta.get(name) or "" for name in TEXT_FIELDS] + paragraphs(doc.body)


def text_digest(doc: Document) -> str:
    """SHA-256 of the translatable text; whitespace between paragraphs does not count."""
    return hashlib.sha256("\0".join(text_parts(doc)).encode()).hexdigest()


# Eight hex digits a part: a record stays one short line per article.  They only name what
# changed (a collision would hide one changed part, 1 in 4 billion); ``digest`` decides.
PART_DIGEST_LENGTH = 8


def part_digests(doc: Document) -> str:
    """The record's ``parts``: one short digest per part of :func:`text_parts`, separated by spaces."""
    return " ".join(hashlib.sha256(part.encode()).hexdigest()[:PART_DIGEST_LENGTH] for part in text_parts(doc))


def changed_parts(record: dict, source: Document) -> list[str] | None:
    """What changed in ``source`` since ``record`` was written, as a reader names it ("the title",
    "paragraph 3", "paragraph 5 (new)", "1 paragraph removed"); None when the record has no ``parts``.
    Paragraphs are numbered as in the source's current text."""
    if not record.get("parts"):
        return None
    old, new = record["parts"].split(), part_digests(source).split()
    changes = [f"the {name}" for name, was, now in zip(TEXT_FIELDS, old, new, strict=False) if was != now]
    changed, added, removed = [], [], 0
    for tag, i1, i2, j1, j2 in _paragraph_changes(old, new):
        if tag == "equal":
            continue
        both = min(i2 - i1, j2 - j1)
        changed += range(j1 + 1, j1 + both + 1)
        added += range(j1 + both + 1, j2 + 1)
        removed += (i2 - i1) - both
    if changed:
        changes.append(_numbered("paragraph", changed))
    if added:
        changes.append(_numbered("paragraph", added) + " (new)")
    if removed:
        changes.append(f"{removed} paragraph{'s' if removed != 1 else ''} removed")
    return changes


def unchanged_parts(record: dict, source: Document) -> dict[int, int] | None:
    """The parts of ``source`` (indexes into :func:`text_parts`) whose text is the one ``record``
    was written for, each with its index then: ``{2: 2, 4: 3}`` when a paragraph was inserted
    before the third.  None when the record has no ``parts``."""
    if not record.get("parts"):
        return None
    old, new = record["parts"].split(), part_digests(source).split()
    unchanged = {index: index for index in range(len(TEXT_FIELDS)) if index < min(len(old), len(new)) and old[index] == new[index]}
    for tag, i1, _, j1, j2 in _paragraph_changes(old, new):
        if tag == "equal":
            fields = len(TEXT_FIELDS)
            unchanged.update((fields + j1 + offset, fields + i1 + offset) for offset in range(j2 - j1))
    return unchanged


def _paragraph_changes(old: list[str], new: list[str]):
    """How the paragraphs' digests went from ``old`` to ``new`` (after the text fields'), as difflib's opcodes."""
    return SequenceMatcher(None, old[len(TEXT_FIELDS) :], new[len(TEXT_FIELDS) :], autojunk=False).get_opcodes()


def _numbered(noun: str, numbers: list[int]) -> str:
    """'paragraph 2', 'paragraphs 2 and 5', 'paragraphs 2, 3 and 5'."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    return f"{noun}s {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def source_of(docs: dict[str, Document], default_language: str) -> Document:
    """The item's original: in the language any of its files names, else the default one."""
    named = [doc.meta.get("source_language") for doc in docs.values() if doc.meta.get("source_language")]
    lang = named[0] if named else default_language
    return docs.get(lang) or docs[sorted(docs)[0]]


def translation_path(source: Document, lang: str) -> str:
    """Where ``source``'s translation into ``lang`` belongs (beside it, also inside a bundle)."""
    folder, _, name = source.rel.rpartition("/")
    return f"{folder}/{name.removesuffix(f'.{source.lang}.md')}.{lang}.md"


def content_rel(doc: Document) -> str:
    """The file's path under content/, as a record names it."""
    return doc.rel.removeprefix("content/")


@dataclass(frozen=True)
class State:
    doc: Document
    source: Document
    status: str  # current | outdated | unknown


def state(doc: Document, source: Document) -> State:
    record = doc.meta.get("translation_of")
    if record is None:
        return State(doc, source, UNKNOWN)
    return State(doc, source, CURRENT if record["digest"] == text_digest(source) else OUTDATED)


def record_lines(source: Document, newline: str = "\n") -> str:
    """The record as block YAML, as ``new --translations`` and ``i18n done`` write it."""
    return (
        f"translation_of:{newline}  file: {content_rel(source)}{newline}  digest: {text_digest(source)}{newline}"
        f"  parts: {part_digests(source)}{newline}"
    )


def with_record(text: str, source: Document) -> str:
    """``text`` (a Markdown file) with its record replaced or added; every other byte kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    start = next((i for i in range(1, end) if re.match(r"translation_of\s*:", lines[i])), None)
    if start is None:
        return "".join(lines[:end]) + record_lines(source, newline) + "".join(lines[end:])
    stop = start + 1
    while stop < end and lines[stop][:1] in (" ", "\t"):
        stop += 1
    return "".join(lines[:start]) + record_lines(source, newline) + "".join(lines[stop:])


def translation_states_key(content, default_language: str) -> bytes:
    """A digest of which translations of ``content`` are outdated."""
    outdated = []
    for docs in [*(i.translations for i in content.news.values()), *(p.translations for p in content.pages.values())]:
        source = source_of(docs, default_language)
        outdated += sorted(doc.rel for doc in docs.values() if doc is not source and state(doc, source).status == OUTDATED)
    for park in content.parks.values():
        source = source_of(park.prose, default_language)
        outdated += sorted(doc.rel for doc in park.prose.values() if doc is not source and state(doc, source).status == OUTDATED)
    return hashlib.blake2b("\0".join(outdated).encode(), digest_size=16).digest()
