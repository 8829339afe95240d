"""The build's errors as HTML, for the development server's responses only (never written to site/)."""

from __future__ import annotations

import re
from html import escape

from parkpress.core.problems import ERROR, Problem

_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.5rem;"
    "background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;font:15px/1.45 system-ui,sans-serif;"
    "box-shadow:0 4px 16px rgba(0,0,0,.25)"
)


def overlay(problems: tuple[Problem, ...], note: str) -> str:
    """A fixed panel listing every problem as file:line, level and message."""
    errors = sum(1 for p in problems if p.level == ERROR)
    items = "".join(
        f'<li><code style="font-weight:bold">{escape(p.path)}{f":{p.line}" if p.line else ""}</code> '
        f"{escape(p.level)}: {escape(p.message)}</li>"
        for p in problems
    )
    return (
        f'<section id="parkpress-build-errors" role="alert" style="{_STYLE}">'
        f'<h2 style="margin:0 0 .5rem;font-size:1.1rem">The last build failed with {errors} error{"s" if errors != 1 else ""}</h2>'
        f'<p style="margin:0 0 .5rem">{escape(note)} Fix the files listed; the page reloads by itself.</p>'
        f'<ul style="margin:0;padding-left:1.2rem">{items}</ul></section>'
    )


def inject(html: bytes, problems: tuple[Problem, ...]) -> bytes:
    """``html`` with the overlay as the first thing in its body."""
    panel = overlay(problems, "Below is the last good version of this page.").encode()
    match = _BODY.search(html)
    at = match.end() if match else 0
    return html[:at] + panel + html[at:]


def error_page(problems: tuple[Problem, ...]) -> bytes:
    """A whole page for when no good version of the requested page exists."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Build failed · parkpress</title>\n</head>\n'
        f"<body>\n{overlay(problems, 'This page has no good version yet.')}\n</body>\n</html>\n"
    ).encode()
