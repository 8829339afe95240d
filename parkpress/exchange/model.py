"""What an exchange file holds, whatever its format: items (one per content file), their units."""

from __future__ import annotations

from dataclasses import dataclass

from parkpress.exchange.codes import Pc, Ph, Token, codes


@dataclass(frozen=True)
class Unit:
    id: str  # the segment's: title | summary | p1 …
    kind: str  # field | paragraph | heading | item | cell | quote
    source: list[Token]
    target: list[Token] | None  # the translation as it stands, where it has one to offer
    done: bool = False  # its source is the text the translation was made from: the target is final
    previous: list[Token] | None = None  # changed since translated: the translation of the earlier text


@dataclass(frozen=True)
class Item:
    name: str  # as messages name it: news-2024-05-x
    original: str  # the source's path under content/: news/2024-05-x.en.md
    units: list[Unit]
    note: str = ""


@dataclass(frozen=True)
class Received:
    """One unit of an imported file, its codes already turned back into Markdown."""

    original: str
    item: str  # the item as the file names it, for messages: the XLIFF file's id, the PO entry's source path
    id: str
    line: int
    source: str | None  # None: it has codes the current source lacks
    target: str | None


def code_table(tokens: list[Token]) -> dict[str, Ph | Pc]:
    """The segment's codes by number, as the file's ``id`` and ``{n}`` name them."""
    return {str(code.number): code for code in codes(tokens)}


def legend(tokens: list[Token]) -> str:
    """What each code stands for, for a translator's note: ``{1} = **…**``."""
    return "; ".join(_meaning(code) for code in codes(tokens))


def _meaning(code: Ph | Pc) -> str:
    if isinstance(code, Ph):
        return f"{{{code.number}}} = {code.data!r}"
    return f"{{{code.number}}}…{{/{code.number}}} = {code.start}…{code.end}"
