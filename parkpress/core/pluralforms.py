"""The ``Plural-Forms`` header of a PO file, checked before Babel reads the file.

Babel makes a list of ``nplurals`` strings for every plural entry (``nplurals=300000000``
takes gigabytes), and gettext compiles ``plural=`` into Python: it refuses what is not C
arithmetic, but ``n/0`` or a form number beyond ``nplurals`` fail only when a page asks for
a plural.  So the rule is tried here for the numbers a page shows, and any fault is the file's.
"""

from __future__ import annotations

import gettext
import re

MAX_FORMS = 6  # CLDR's most (Arabic: zero, one, two, few, many, other)
# A header entry (msgid "", no msgctxt) and its msgstr's strings: Babel joins them before it reads the headers.
_HEADER_ENTRY = re.compile(rb'^msgid[ \t]+""[ \t]*\r?\nmsgstr[ \t]*((?:"(?:[^"\\\n]|\\.)*"[ \t]*(?:\r?\n|$))+)', re.MULTILINE)
_STRING = re.compile(rb'"((?:[^"\\\n]|\\.)*)"')
_NPLURALS = re.compile(r"nplurals\s*=\s*([0-9]+)")
_PLURAL = re.compile(r"plural\s*=\s*([^;]*)")
_TRIED = range(1001)


def plural_forms_error(data: bytes) -> tuple[int, str] | None:
    """(line, what is wrong) of the file's Plural-Forms header, or None when it is sound or absent."""
    for entry in _HEADER_ENTRY.finditer(data):
        headers = b"".join(_STRING.findall(entry.group(1))).decode("utf-8", "replace").split("\\n")
        for value in headers:
            name, _, rule = value.partition(":")
            if name.strip().lower() == "plural-forms":
                named = data.find(b"Plural-Forms", entry.start(1), entry.end(1))
                line = data.count(b"\n", 0, named if named >= 0 else entry.start(1)) + 1
                problem = _rule_error(rule)
                if problem is not None:
                    return line, problem
    return None


def _rule_error(value: str) -> str | None:
    fix = "; write it as gettext's list of plural forms gives it for the language, e.g. nplurals=2; plural=(n != 1);"
    count = _NPLURALS.search(value)
    rule = _PLURAL.search(value)
    if count is None or rule is None:
        return f"Plural-Forms needs both nplurals and plural{fix}"
    forms = int(count.group(1))
    if not 1 <= forms <= MAX_FORMS:
        return f"Plural-Forms: nplurals={forms}, a language has 1 to {MAX_FORMS} plural forms{fix}"
    expression = rule.group(1).strip()
    try:
        choose = gettext.c2py(expression)
        chosen = {choose(n) for n in _TRIED}
    except (ValueError, SyntaxError, RecursionError, ArithmeticError) as exc:
        return f"Plural-Forms: gettext cannot use the rule '{expression[:80]}' ({exc}){fix}"
    beyond = sorted(form for form in chosen if form not in range(forms))
    if beyond:
        return f"Plural-Forms: the rule chooses form {beyond[0]}, but nplurals={forms} (forms 0 to {forms - 1}){fix}"
    return None
