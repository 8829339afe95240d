"""Find the content files and say what each one is.

Only this module knows the layout of ``content/`` (see docs/content-format.md).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from parkpress.core.problems import Problems

SECTIONS = ("news", "parks", "pages")
# RFC 3986's unreserved characters: a key made of them needs no escaping in URLs, feeds and sitemaps.
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
TAXONOMY_FILE = "taxonomy.yaml"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What a published file's name may hold: letters and digits of any script and a few marks that
# mean nothing in a URL or an HTML attribute, on any static host ('+' is a space to S3, '%', '#'
# and '?' end or change a URL's path) and on Windows and macOS file systems (':', '*', '|', '"').
_NAME_CHARACTERS = re.compile(r"[\w\-.~ ()&',]")
_NAME_MARKS = "- _ . ~ ( ) & ' , and spaces"
_WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)


@dataclass(frozen=True)
class SourceFile:
    file: str  # the absolute path
    rel: str  # path relative to content/, '/'-separated
    section: str  # news | parks | pages | "" for taxonomy.yaml
    key: str  # what translations share: "2021-wuqing-top100"
    lang: str | None  # None for language-neutral files
    kind: str  # markdown | facts | taxonomy | asset
    shown: str  # the path as messages and documents name it: relative to the project (Problems.relpath)

    @cached_property
    def path(self) -> Path:
        # Made when asked: a build that takes its documents from the cache never asks, and making
        # ten thousand Paths took a tenth of a second.
        return Path(self.file)


@dataclass(frozen=True)
class SourceSet:
    files: tuple[SourceFile, ...]

    def of_kind(self, kind: str, section: str | None = None) -> list[SourceFile]:
        return [f for f in self.files if f.kind == kind and (section is None or f.section == section)]

    def taxonomy(self) -> SourceFile | None:
        return next((f for f in self.files if f.kind == "taxonomy"), None)


def discover(content_dir: Path, languages: tuple[str, ...], problems: Problems) -> SourceSet:
    """Walk ``content_dir`` in a stable order and classify every file."""
    files: list[SourceFile] = []
    if not content_dir.is_dir():
        problems.error(content_dir, 0, "no content/ folder: create it with parks/, news/ and pages/ inside")
        return SourceSet(())
    root = content_dir.resolve()
    # A file's name relative to the project is the content folder's and its path below it, a
    # linked folder's files named as if they were where the link is: resolving each file's
    # folder again took a quarter of reading a document.
    shown_prefix = problems.folder_prefix(content_dir)

    # os.scandir rather than os.walk and pathlib: the entries know whether they are files,
    # folders or links without a system call each, which a site of ten thousand files notices.
    # ``within``: the real folders being read, from content/ down, so that a link back up is refused.
    def visit(folder: str, prefix: str, within: tuple[Path, ...]) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted((entry for entry in found if not _ignored(entry.name)), key=lambda entry: entry.name)
        except OSError:
            return  # unreadable, as os.walk would skip it
        folders = [entry for entry in entries if _holds(entry.is_dir)]  # links to folders too
        entered = []
        for entry in folders:
            problem = folder_link_problem(entry.path, root, within) if entry.is_symlink() else None
            if problem:
                problems.error(Path(entry.path), 0, problem)
            else:
                entered.append(entry)
        for entry in entries:
            if entry in folders:
                continue
            file, rel = entry.path, prefix + entry.name
            problem = unusable(entry, rel, root)
            if problem:
                problems.error(file, 0, problem)
                continue
            source = classify(file, rel, shown_prefix + rel, languages, problems)
            if source is not None and source.kind == "asset" and (problem := unpublishable_name(source.key)):
                problems.error(file, 0, problem)
            elif source is not None and source.kind in ("markdown", "facts") and not URL_SAFE.fullmatch(source.key):
                problems.error(
                    file, 0, f"'{source.key}' becomes part of a URL: rename it using only ASCII letters, digits, '-', '_' and '.'"
                )
            elif source is not None:
                files.append(source)
        for entry in entered:
            real = Path(os.path.realpath(entry.path)) if entry.is_symlink() else within[-1] / entry.name
            visit(entry.path, f"{prefix}{entry.name}/", (*within, real))

    visit(str(content_dir), "", (root,))
    return SourceSet(tuple(files))


def classify(file: str, rel: str, shown: str, languages: tuple[str, ...], problems: Problems) -> SourceFile | None:
    parts = rel.split("/")
    if rel == TAXONOMY_FILE:
        return SourceFile(file, rel, "", "taxonomy", None, "taxonomy", shown)
    section = parts[0]
    if len(parts) == 1 or section not in SECTIONS:
        problems.warning(file, 0, f"ignored: content files belong in {', '.join(s + '/' for s in SECTIONS)} or {TAXONOMY_FILE}")
        return None
    name = parts[-1]
    if section == "parks" and len(parts) == 2 and name.endswith(".yaml"):
        return SourceFile(file, rel, section, name.removesuffix(".yaml"), None, "facts", shown)
    if not name.endswith(".md"):
        return SourceFile(file, rel, section, "/".join(parts[1:]), None, "asset", shown)
    stem, _, lang = name.removesuffix(".md").rpartition(".")
    if not stem:
        problems.error(file, 0, f"no language in the file name: name it like {name[:-3]}.{languages[0]}.md")
        return None
    if lang not in languages:
        known = ", ".join(languages)
        problems.error(
            file, 0, f"language '{lang}' is not configured (known: {known}); rename the file or add [languages.{lang}] to parkpress.toml"
        )
        return None
    if stem == "index" and len(parts) == 3:
        key = parts[1]  # a bundle: news/<key>/index.<lang>.md with its images beside it
    elif len(parts) == 2:
        key = stem
    else:
        problems.error(file, 0, f"too deep: put it at {section}/<name>.{lang}.md or {section}/<name>/index.{lang}.md")
        return None
    return SourceFile(file, rel, section, key, lang, "markdown", shown)


def _ignored(name: str) -> bool:
    return name.startswith((".", "_", "#")) or name.endswith(("~", ".swp", ".tmp"))


def unusable(entry: os.DirEntry, rel: str, root: Path) -> str | None:
    """Why a file cannot be a source, or None; ``rel`` becomes part of URLs."""
    if entry.is_symlink() and not os.path.exists(entry.path):
        return "broken symbolic link (its target is missing, or it loops); remove it or copy the file here"
    if entry.is_symlink() and (problem := link_problem(entry.path, root, "file")):
        return problem
    if not _holds(entry.is_file):  # a FIFO or device would block the build or never end
        return "not a regular file; replace it with a plain file"
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return "the file or folder name is not valid UTF-8; rename it"
    if _CONTROL.search(rel):
        return "the file or folder name contains a control character; rename it"
    return None


def unpublishable_name(key: str) -> str | None:
    """Why a file beside the Markdown cannot be published under its name, or None.

    The name becomes part of a URL in an attribute and a file on the visitor's host or USB stick.
    """
    for part in key.split("/"):
        # An accent may follow its letter as a character of its own (macOS writes names so): a mark, not \w.
        bad = sorted({char for char in part if not (_NAME_CHARACTERS.fullmatch(char) or unicodedata.category(char).startswith("M"))})
        if bad:
            shown = " ".join(repr(char) for char in bad)
            unsafe = f"the name '{part}' holds characters a web address or a static host cannot carry safely ({shown})"
            return f"{unsafe}; rename it using letters, digits and {_NAME_MARKS}"
        if part != part.strip(" ") or part.endswith("."):
            return f"the name '{part}' begins or ends with a space or ends with a dot, which Windows drops; rename it"
        if _WINDOWS_DEVICES.fullmatch(part):
            return f"the name '{part}' is a device on Windows, which cannot hold such a file; rename it"
    return None


def _holds(test: Callable[[], bool]) -> bool:
    """``entry.is_dir`` or ``entry.is_file``, False for a link that loops (for unusable to explain)."""
    try:
        return test()
    except OSError:
        return False


def link_problem(link: str, folder: Path, what: str) -> str | None:
    """Why a symbolic link in ``folder`` (resolved) may not be published, or None.

    Only what the folder holds in the open is published: a link to ``../../.env``, ``.git/config``
    or the build cache would put a secret on the web, and a hidden file is one its author keeps out.
    """
    target = Path(os.path.realpath(link))  # realpath, unlike resolve(), never raises on a loop
    if not target.is_relative_to(folder):
        return f"symbolic link leads to '{target}', outside {folder.name}/; copy the {what} into {folder.name}/ instead"
    inside = target.relative_to(folder)
    if any(part.startswith(".") and part != ".well-known" for part in inside.parts):
        return f"symbolic link leads to the hidden '{folder.name}/{inside.as_posix()}', which is never published; link to a visible {what}"
    return None


def folder_link_problem(link: str, folder: Path, within: tuple[Path, ...]) -> str | None:
    """Why a linked folder in ``folder`` (resolved) is not read, or None: as :func:`link_problem`,
    and a link to a folder being read (``within``) or one holding it would be read for ever."""
    problem = link_problem(link, folder, "folder")
    target = Path(os.path.realpath(link))
    if problem is None and any(reading.is_relative_to(target) for reading in within):
        shown = f"{folder.name}/{target.relative_to(folder).as_posix()}".removesuffix("/.")
        return f"symbolic link leads back to '{shown}', which holds it, so reading it would never end; remove the link"
    return problem
