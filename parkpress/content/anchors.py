"""Heading ids, so that a section of a page can be linked (``news/…#funding``).

An id is made from the heading's text as GitHub and VS Code make theirs (lowercase; letters,
digits and marks of every script kept; spaces become hyphens; other punctuation dropped), so a
link written against an editor's preview works on the published page, and a Chinese or Arabic
heading keeps its own characters.  A repeated heading gets ``-1``, ``-2`` as on GitHub.  An id
the theme uses itself (``main``, ``news-heading``, ``chart-…``) is never given to a heading:
such a heading's id starts with ``section-``.
"""

from __future__ import annotations

import unicodedata

# The ids the default theme's templates and charts write (tests/test_markdown_dialect.py keeps
# this in step with the templates); a heading never takes one.
THEME_IDS = frozenset(
    [
        "main",
        "search-form",
        "search-q",
        "search-results",
        "search-status",
        "search-messages",
        "park-filters",
        "filter-industry",
        "filter-level",
        "filter-place",
        "filter-status",
        "filter-messages",
        "filters-heading",
        "language-words",
        "compare-caption",
        "compare-messages",
        "compare-pick",
        "compare-status",
        "compare-table",
        "contact-heading",
        "data-heading",
        "editions-caption",
        "facts-heading",
        "figures-heading",
        "industries-heading",
        "news-heading",
        "park-news-heading",
        "parks-caption",
        "parks-heading",
        "profile-heading",
        "rankings-heading",
        "related-heading",
    ]
)
THEME_ID_PREFIXES = ("chart-",)
CLASH_PREFIX = "section-"
_KEPT = {"L", "M", "N"}  # Unicode letters, marks, numbers


def slugify(text: str) -> str:
    """GitHub's heading slug: ``"Förderung & Steuern"`` → ``"förderung--steuern"``."""
    kept = (char for char in unicodedata.normalize("NFC", text.strip().lower()) if unicodedata.category(char)[0] in _KEPT or char in " -_")
    return "".join(kept).replace(" ", "-")


def heading_ids(texts: list[str]) -> list[str]:
    """One id for each heading text, in order: unique, and none of the theme's."""
    taken: set[str] = set()
    ids = []
    for text in texts:
        base = slugify(text) or "section"
        if base in THEME_IDS or base.startswith(THEME_ID_PREFIXES):
            base = CLASH_PREFIX + base
        ident, count = base, 0
        while ident in taken:
            count += 1
            ident = f"{base}-{count}"
        taken.add(ident)
        ids.append(ident)
    return ids
