"""PO files of content segments, for Weblate, Poedit and the like; Babel reads and writes them.

One entry per segment: ``msgctxt`` is ``<source path under content/>#<segment>``, ``msgid`` the
source text and ``msgstr`` the translation.  Codes are numbered braces: ``{1}`` for Markdown
that stands alone (a code span, a line break), ``{2}…{/2}`` around text in a link or emphasis;
the extracted comment (``#.``) says what each stands for.  On import the numbers are looked up
in the current source, so a file brings no Markdown of its own.
"""

from __future__ import annotations

import io
import re

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from parkpress import __version__
from parkpress.core.pluralforms import plural_forms_error
from parkpress.core.problems import Problems
from parkpress.exchange.codes import Pc, Ph, Token, markdown
from parkpress.exchange.model import Item, Received, code_table, legend

WIDTH = 100
_MARK = re.compile(r"\{(/?)([0-9]+)\}")


def write(items: list[Item], locale: str) -> bytes:
    catalog = Catalog(locale=locale, project="parkpress site content", version=__version__, fuzzy=False)
    for item in items:
        for unit in item.units:
            comments = [f"{item.name}#{unit.id} ({unit.kind})"]
            if unit_legend := legend(unit.source):
                comments.append(f"codes: {unit_legend}")
            if item.note:
                comments.append(item.note)
            target, flags = marked(unit.target) if unit.target is not None else "", []
            if unit.done:
                comments.append("unchanged since translated: keep this translation")
            elif unit.previous is not None:  # gettext's way: the earlier translation, fuzzy until revised
                comments.append("changed since translated: this is the translation of the earlier text; revise it, then clear fuzzy")
                target, flags = marked(unit.previous), ["fuzzy"]
            message = catalog.add(marked(unit.source), target, auto_comments=comments, flags=flags, context=f"{item.original}#{unit.id}")
            message.flags.discard("python-brace-format")  # Babel guesses it from the braces: they are ours, not Python's
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, no_location=True)
    return buffer.getvalue()


def marked(tokens: list[Token]) -> str:
    """The PO form of a segment: its codes as ``{n}`` and ``{n}…{/n}``."""
    parts = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
        elif isinstance(token, Ph):
            parts.append(f"{{{token.number}}}")
        else:
            parts.append(f"{{{token.number}}}{marked(token.children)}{{/{token.number}}}")
    return "".join(parts)


def read(data: bytes, shown: str, current, problems: Problems) -> tuple[str | None, list[Received]]:
    """(the Language header, the units); ``current(original, segment id)`` as in xliff.read."""
    if (plural := plural_forms_error(data)) is not None:
        problems.error(shown, *plural)
        return None, []
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as exc:
        problems.error(shown, getattr(exc, "lineno", 0), f"not a valid PO file: {exc}")
        return None, []
    except UnicodeDecodeError as exc:  # Babel decodes line by line: exc.object is the line
        line = data.count(b"\n", 0, max(data.find(exc.object), 0)) + 1
        problems.error(shown, line, f"not UTF-8 text ({exc.reason}); save the file as UTF-8, as i18n export wrote it")
        return None, []
    except LookupError as exc:  # the Content-Type header names a charset Python does not know
        problems.error(shown, 0, f"its charset is unknown ({exc}); save it as UTF-8, as i18n export wrote it")
        return None, []
    except (UnknownLocaleError, ValueError) as exc:
        problems.error(shown, 0, f"its Language header is not a language: {exc}; set it to the language of the translation")
        return None, []
    received = []
    for message in catalog:
        if not message.id:
            continue  # the header
        original, _, ident = (message.context or "").rpartition("#")
        if not original or not isinstance(message.id, str):
            problems.error(shown, message.lineno, "this entry was not exported by parkpress (its msgctxt names no content file)")
            continue
        tokens = current(original, ident)
        table = None if tokens is None else code_table(tokens)
        name = f"{original}#{ident}"
        where = (shown, message.lineno, name)
        if message.string and message.fuzzy:
            problems.error(shown, message.lineno, f"segment {name} is marked fuzzy (needs review); review it and clear the flag")
        source = unmarked(message.id, table, where, None)
        report = problems if tokens is not None and source == markdown(tokens) else None  # else: one mismatch says it all
        target = unmarked(message.string, table, where, report) if message.string else None
        received.append(Received(original, original, ident, message.lineno, source, target))
    return str(catalog.locale) if catalog.locale else None, received


def unmarked(text: str, table: dict | None, where, problems: Problems | None) -> str | None:
    """Markdown again from the PO form; a number that is no code of the source is an error, or
    (``problems`` None: for a msgid, or a msgstr whose msgid is not current) the answer is None."""
    shown, line, name = where
    if table is None:
        return text
    parts, open_codes, position = [], [], 0
    for match in _MARK.finditer(text):
        parts.append(text[position : match.start()])
        position = match.end()
        closing, code = match.group(1), table.get(match.group(2))
        if isinstance(code, Ph) and not closing:
            parts.append(code.data)
        elif isinstance(code, Pc) and not closing and code not in open_codes:
            open_codes.append(code)
            parts.append(code.start)
        elif isinstance(code, Pc) and closing and open_codes and open_codes[-1] is code:
            open_codes.pop()
            parts.append(code.end)
        elif problems is None:
            return None
        else:
            problems.error(
                shown, line, f"segment {name}: {match.group()} is not where a code of the source can be; keep {legend_hint(table)}"
            )
    parts.append(text[position:])
    if open_codes and problems is None:
        return None
    for code in open_codes:
        problems.error(shown, line, f"segment {name}: {{{code.number}}} is not closed; add {{/{code.number}}} after the text it marks")
    return "".join(parts)


def legend_hint(table: dict) -> str:
    return ", ".join(f"{{{n}}}…{{/{n}}}" if isinstance(code, Pc) else f"{{{n}}}" for n, code in table.items()) or "no codes here"
