"""``i18n diff PATH``: what changed in a translation's source since the translation was made.

The record's digest names the source's text as it was when the translation was made; git
history holds that text.  The source's commits are read newest first (``git log --follow``,
so a renamed source is followed) until one has the recorded digest; that version is
compared, part by part, with the file as it is on disk now (saved but uncommitted edits
included): the title, the summary and each paragraph, changed ones old and new, unchanged
ones summarised.  Blobs are read with ``git cat-file blob``, which applies none of the
filters or text conversions a repository's configuration may name.

When git cannot tell (no git, no repository, no version with that digest) the command says
so at the record's line and exits 1: the translator has to compare by hand.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from parkpress.build.checks import language_name
from parkpress.commands.translation_files import Translation, named_translations
from parkpress.content.frontmatter import split
from parkpress.content.model import Document
from parkpress.content.translation import TEXT_FIELDS, changed_parts, part_digests, text_digest, text_parts
from parkpress.core.config import Config
from parkpress.core.invocation import command
from parkpress.core.problems import Problems, one_line
from parkpress.core.yamldata import YamlError

GIT_SECONDS = 30  # one git call; a repository on a hung network share must not hang the command
# The repository is the site's, perhaps a stranger's: its configuration must start no program.  On the
# command line, over the repository's own: no file-system monitor, no signature check (gpg.program).
_UNTRUSTED = ("-c", "core.fsmonitor=false", "-c", "log.showSignature=false", "-c", "core.quotePath=false")


def _untrusted_env() -> dict[str, str]:
    """No transport at all: in a partial clone a missing blob is fetched from the promisor remote,
    with the repository's core.sshCommand or remote.*.uploadpack; GIT_ALLOW_PROTOCOL, unlike
    protocol.allow, is above the repository's protocol.<name>.allow."""
    return {**os.environ, "GIT_ALLOW_PROTOCOL": "", "GIT_TERMINAL_PROMPT": "0"}


class NoHistory(Exception):
    """Why git cannot give the source's old text."""


@dataclass(frozen=True)
class Version:
    commit: str  # abbreviated
    date: str  # YYYY-MM-DD, the commit's
    doc: Document  # the source as committed: its title, summary and body


def show_diff(config: Config, paths: list[str]) -> int:
    problems = Problems(config.root)
    found = named_translations(config, paths, problems, "to compare with their source")
    reports = [report for translation in found if (report := _report(config, translation, problems))]
    print("\n\n".join(reports), end="\n" if reports else "")
    problems.raise_if_errors()  # after the reports that could be made: one translation that cannot be told of hides no other
    return 0


def _report(config: Config, translation: Translation, problems: Problems) -> str:
    doc, source = translation.doc, translation.source
    record = doc.meta.get("translation_of")
    if record is None:
        problems.error(
            doc.rel,
            1,
            "has no 'translation_of' record, so nothing tells which version of the source it translates; "
            f"compare it with the source by hand, then record that: {command()} i18n done {doc.rel}",
        )
        return ""
    language = language_name(config, source.lang)
    if record["digest"] == text_digest(source):
        return f"{doc.rel}: current: the {language} text has not changed since this translation"
    try:
        old = _recorded_version(translation.source_file.path, record["digest"], source)
    except NoHistory as exc:
        problems.error(
            doc.rel,
            doc.line("translation_of"),
            f"{exc}: parkpress can tell that the {language} text changed but not how; compare with your copy of the source",
        )
        return ""
    changes = changed_parts({"parts": part_digests(old.doc)}, source)
    return "\n".join(
        [
            f"{doc.rel} translates {source.rel} as committed in {old.commit} ({old.date}); "
            f"since then the {language} text changed: {', '.join(changes) or 'only the blank lines between its paragraphs'}",
            f"--- {source.rel} ({old.commit}, as translated)",
            f"+++ {source.rel} (now, as on disk)",
            *_lines(text_parts(old.doc), text_parts(source)),
        ]
    )


def _lines(old: list[str], new: list[str]) -> list[str]:
    """Title and summary, then the paragraphs: changed ones with their old ('- ') and new ('+ ') lines."""
    lines = []
    for index, name in enumerate(TEXT_FIELDS):
        lines += _part(name, old[index], new[index]) if old[index] != new[index] else [f"{name}: unchanged"]
    old_paragraphs, new_paragraphs = old[len(TEXT_FIELDS) :], new[len(TEXT_FIELDS) :]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.append(f"paragraph {j1 + 1}: unchanged" if j2 == j1 + 1 else f"paragraphs {j1 + 1}-{j2}: unchanged")
            continue
        both = min(i2 - i1, j2 - j1)
        for k in range(both):
            lines += _part(f"paragraph {j1 + k + 1}", old_paragraphs[i1 + k], new_paragraphs[j1 + k])
        for k in range(j1 + both, j2):
            lines += [f"paragraph {k + 1} (new):", *_marked("+", new_paragraphs[k])]
        for k in range(i1 + both, i2):
            lines += [f"removed (was paragraph {k + 1}):", *_marked("-", old_paragraphs[k])]
    return lines


def _part(name: str, old: str, new: str) -> list[str]:
    return [f"{name}:", *_marked("-", old), *_marked("+", new)]


def _marked(mark: str, text: str) -> list[str]:
    """The text's lines, each marked; control characters escaped: a committed version may hold escape sequences for the terminal."""
    return [one_line(f"{mark} {line}".rstrip()) for line in (text.split("\n") if text else ["(none)"])]


def _recorded_version(path: Path, digest: str, source: Document) -> Version:
    """The newest committed version of the source at ``path`` whose translatable text has ``digest``."""
    for commit, date, data in _history(path, source.rel):
        old = _committed(data, source)
        if old is not None and text_digest(old) == digest:
            return Version(commit, date, old)
    raise NoHistory(f"no version of {source.rel} in its git history has the text this translation records")


def _history(path: Path, shown: str) -> Iterator[tuple[str, str, bytes]]:
    """(abbreviated commit, date, the file's bytes) of each commit that changed ``path``, newest first."""
    top = Path(_git(path.parent, "rev-parse", "--show-toplevel", outside=f"{shown} is not in a git repository").decode().strip())
    rel = path.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "--follow", "--date=short", "--format=%x00%H %h %cd", "--name-only", "--", rel).decode()
    for entry in log.split("\0")[1:]:
        head, _, names = entry.partition("\n")
        full, short, date = head.split(" ")
        name = names.strip().split("\n")[0] or rel  # the file's name in that commit
        try:
            data = _git(top, "cat-file", "blob", f"{full}:{name}")
        except NoHistory:
            continue  # the commit deleted the file
        yield short, date, data


def _git(folder: Path, *args: str, outside: str = "") -> bytes:
    """git's output; NoHistory when there is none (``outside``: what to say when ``folder`` is not in a repository)."""
    command = ["git", *_UNTRUSTED, *args]
    try:
        done = subprocess.run(command, cwd=folder, env=_untrusted_env(), capture_output=True, timeout=GIT_SECONDS, check=False)
    except FileNotFoundError:
        raise NoHistory("git is not installed (or not on PATH)") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NoHistory(f"git did not answer ({exc})") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().split("\n")[0]
        raise NoHistory(outside if outside and "not a git repository" in said else f"git says: {said}")
    return done.stdout


def _committed(data: bytes, source: Document) -> Document | None:
    """The translatable text of a committed version; None if it does not read (its facts are not looked at)."""
    try:
        parts = split(data.decode("utf-8"))
    except (UnicodeDecodeError, YamlError):
        return None
    meta = {name: value.strip() for name in TEXT_FIELDS if isinstance(value := parts.meta.data.get(name), str)}
    return Document(source.section, source.key, source.lang, meta, parts.body, source.rel)
