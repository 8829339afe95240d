"""Find the content files and say what each one is.

Only this module knows the layout of ``content/`` (see docs/content-format.md).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from parkpress.problems import Problems

SECTIONS = ("news", "parks", "pages")
# RFC 3986's unreserved characters: a key made of them needs no escaping in URLs, feeds and sitemaps.
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
TAXONOMY_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str  # path relative to content/, '/'-separated
    section: str  # news | parks | pages | "" for taxonomy.yaml
    key: str  # what translations share: "2021-wuqing-top100"
    lang: str | None  # None for language-neutral files
    kind: str  # markdown | facts | taxonomy | asset


@dataclass(frozen=True)
class SourceSet:
    files: tuple[SourceFile, ...]

    def of_kind(self, kind: str, section: str | None = None) -> list[SourceFile]:
        return [f for f in self.files if f.kind == kind and (section is None or f.section == section)]

    def taxonomy(self) -> SourceFile | None:
        return next((f for f in self.files if f.kind == "taxonomy"), None)


def discover(content_dir: Path, languages: tuple[str, ...], project_root: Path, problems: Problems) -> SourceSet:
    """Walk ``content_dir`` in a stable order and classify every file."""
    files: list[SourceFile] = []
    if not content_dir.is_dir():
        problems.error(content_dir, 0, "no content/ folder: create it with parks/, news/ and pages/ inside")
        return SourceSet(())
    root = project_root.resolve()
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for name in dirnames:
            path = Path(dirpath) / name
            if path.is_symlink() and not _inside(path, root):  # os.walk does not enter it: say so
                problems.error(path, 0, "symbolic link points outside the project; copy the folder into content/ instead")
        for name in sorted(filenames):
            if _ignored(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(content_dir).as_posix()
            problem = _unusable(path, rel, root)
            if problem:
                problems.error(path, 0, problem)
                continue
            source = classify(path, rel, languages, problems)
            if source is not None and source.kind in ("markdown", "facts") and not _URL_SAFE.fullmatch(source.key):
                problems.error(
                    path, 0, f"'{source.key}' becomes part of a URL: rename it using only ASCII letters, digits, '-', '_' and '.'"
                )
            elif source is not None:
                files.append(source)
    return SourceSet(tuple(files))


def classify(path: Path, rel: str, languages: tuple[str, ...], problems: Problems) -> SourceFile | None:
    parts = rel.split("/")
    if rel == TAXONOMY_FILE:
        return SourceFile(path, rel, "", "taxonomy", None, "taxonomy")
    section = parts[0]
    if len(parts) == 1 or section not in SECTIONS:
        problems.warning(path, 0, f"ignored: content files belong in {', '.join(s + '/' for s in SECTIONS)} or {TAXONOMY_FILE}")
        return None
    name = parts[-1]
    if section == "parks" and len(parts) == 2 and name.endswith(".yaml"):
        return SourceFile(path, rel, section, name.removesuffix(".yaml"), None, "facts")
    if not name.endswith(".md"):
        return SourceFile(path, rel, section, "/".join(parts[1:]), None, "asset")
    stem, _, lang = name.removesuffix(".md").rpartition(".")
    if not stem:
        problems.error(path, 0, f"no language in the file name: name it like {name[:-3]}.{languages[0]}.md")
        return None
    if lang not in languages:
        known = ", ".join(languages)
        problems.error(
            path, 0, f"language '{lang}' is not configured (known: {known}); rename the file or add [languages.{lang}] to parkpress.toml"
        )
        return None
    if stem == "index" and len(parts) == 3:
        key = parts[1]  # a bundle: news/<key>/index.<lang>.md with its images beside it
    elif len(parts) == 2:
        key = stem
    else:
        problems.error(path, 0, f"too deep: put it at {section}/<name>.{lang}.md or {section}/<name>/index.{lang}.md")
        return None
    return SourceFile(path, rel, section, key, lang, "markdown")


def _ignored(name: str) -> bool:
    return name.startswith((".", "_", "#")) or name.endswith(("~", ".swp", ".tmp"))


def _unusable(path: Path, rel: str, root: Path) -> str | None:
    """Why a file cannot be a source, or None; ``rel`` becomes part of URLs."""
    if path.is_symlink() and not path.exists():
        return "broken symbolic link (its target is missing, or it loops); remove it or copy the file here"
    if path.is_symlink() and not _inside(path, root):
        return "symbolic link points outside the project; copy the file into content/ instead"
    if not path.is_file():  # a FIFO or device would block the build or never end
        return "not a regular file; replace it with a plain file"
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return "the file or folder name is not valid UTF-8; rename it"
    if any(ord(char) < 32 or ord(char) == 127 for char in rel):
        return "the file or folder name contains a control character; rename it"
    return None


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(root)  # realpath, unlike resolve(), never raises on a loop
