"""Templates looked up through layers: the site's ``templates/`` first, then its theme's, then the
theme's parents', as MkDocs' ``custom_dir`` and Hugo's lookup order do.

A template named plainly (``base.html``) is the first layer's that has it: a file in the site's
``templates/`` replaces the theme's file of the same name.  Two prefixes reach further down:

* ``theme:base.html`` is ``base.html`` as the layers *below the current template's* provide it:
  in the site's ``templates/base.html``, ``{% extends "theme:base.html" %}`` extends the theme's
  own ``base.html`` (the override adds to it instead of copying it); in a theme that extends
  ``default``, the same line extends default's.
* ``<theme name>:base.html`` (``default:base.html``) is that theme's, whatever lies above it.

Jinja2 resolves a name against the template that asks for it through
``Environment.join_path``, which is where ``theme:`` is worked out; the loader then reads
the qualified name ``<layer>:<name>`` from that layer or the ones below it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from parkpress.theme.loader import Themes

RELATIVE = "theme"  # the prefix of a name looked up below the current template's layer


@dataclass(frozen=True)
class TemplateFolder:
    name: str  # the layer's: "site" or a theme's name
    folder: Path


def template_folders(themes: Themes) -> list[TemplateFolder]:
    """The site's templates/ and each theme's, in lookup order."""
    return [TemplateFolder(layer.name, layer.templates) for layer in themes.layers]


class LayeredLoader(jinja2.BaseLoader):
    """Finds ``name`` or ``layer:name`` in the first folder, from that layer down, that has it."""

    def __init__(self, folders: Iterable[TemplateFolder]):
        self.folders = tuple(folders)
        self.names = [folder.name for folder in self.folders]

    def split(self, template: str) -> tuple[int, str]:
        """(index of the first layer to look in, the name within the layers)."""
        layer, colon, name = template.partition(":")
        if colon and layer in self.names:
            return self.names.index(layer), name
        return 0, template

    def locate(self, template: str) -> tuple[int, Path] | None:
        """(layer index, file) of the template, or None."""
        start, name = self.split(template)
        if not name or name.startswith("/") or ".." in name.split("/"):
            return None
        for index in range(start, len(self.folders)):
            path = self.folders[index].folder / name
            if path.is_file():
                return index, path
        return None

    def below(self, template: str, parent: str | None) -> str:
        """``theme:NAME`` as asked for from ``parent``: NAME from the layers below the parent's."""
        name = template[len(RELATIVE) + 1 :]
        found = self.locate(parent) if parent is not None else None
        start = found[0] + 1 if found is not None else 1
        return f"{self.names[start]}:{name}" if start < len(self.names) else template

    def get_source(self, environment, template):
        found = self.locate(template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        path = found[1]
        try:
            source = path.read_text(encoding="utf-8")
            mtime = path.stat().st_mtime_ns
        except OSError:
            raise jinja2.TemplateNotFound(template) from None
        return source, str(path), lambda: _unchanged(path, mtime)

    def list_templates(self) -> list[str]:
        """Every template's plain name, from any layer."""
        found = set()
        for layer in self.folders:
            if layer.folder.is_dir():
                found.update(path.relative_to(layer.folder).as_posix() for path in layer.folder.rglob("*") if path.is_file())
        return sorted(found)

    def file_of(self, template: str) -> Path | None:
        found = self.locate(template)
        return found[1] if found else None

    def describe(self) -> str:
        """Where templates are looked for, for messages: 'templates/ and the theme default'."""
        themes = [layer.name for layer in self.folders[1:]]
        return "templates/" + (f" and the theme {', then '.join(themes)}" if themes else "")


def _unchanged(path: Path, mtime: int) -> bool:
    try:
        return path.stat().st_mtime_ns == mtime
    except OSError:
        return False


class LayeredEnvironment(jinja2.Environment):
    """An environment whose ``theme:`` names are resolved against the template that uses them."""

    loader: LayeredLoader

    def join_path(self, template: str, parent: str) -> str:
        if template.startswith(RELATIVE + ":"):  # no layer takes this name (theme/loader.py)
            return self.loader.below(template, parent)
        return template


@dataclass(frozen=True)
class TemplateProblem:
    path: Path
    line: int
    message: str


def block_problems(env: LayeredEnvironment, names: Iterable[str]) -> list[TemplateProblem]:
    """Blocks a template fills that the template it extends does not have, so they would never show.

    Jinja2 drops such a block without a word: an override of ``base.html`` that leaves out
    ``{% block main %}`` would publish every page without its content.  Only blocks at the
    top of a child count (a block inside a block is the child's own); an ``extends`` whose
    name is worked out at render time is not followed.
    """
    found = []
    available: dict[str, set[str] | None] = {}
    for name in sorted(names):
        parsed = _parse(env, name)
        if parsed is None:
            continue
        parent = _extended(parsed)
        if parent is None:
            continue
        parent_name = env.join_path(parent, name)
        blocks = _blocks_of(env, parent_name, available, depth=0)
        if blocks is None:
            continue
        for block in parsed.body:
            if isinstance(block, nodes.Block) and block.name not in blocks:
                parent_file = env.loader.file_of(parent_name)
                found.append(
                    TemplateProblem(
                        env.loader.file_of(name),
                        block.lineno,
                        f"block '{block.name}' is not in {parent} ({parent_file}), which this template extends, so it would "
                        f"never show; put {{% block {block.name} %}} back into {parent}, or remove this block",
                    )
                )
    return found


def _parse(env: LayeredEnvironment, name: str) -> nodes.Template | None:
    with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError, OSError):  # reported when compiled
        source, _, _ = env.loader.get_source(env, name)
        return env.parse(source, name)
    return None


def _extended(template: nodes.Template) -> str | None:
    for node in template.find_all(nodes.Extends):
        return node.template.value if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str) else None
    return None


def _blocks_of(env: LayeredEnvironment, name: str, known: dict[str, set[str] | None], depth: int) -> set[str] | None:
    """Every block ``name`` and the templates it extends define; None if that cannot be told."""
    if name in known:
        return known[name]
    known[name] = None  # a template that extends itself stops here
    parsed = _parse(env, name) if depth < 20 else None
    if parsed is None:
        return None
    blocks = {block.name for block in parsed.find_all(nodes.Block)}
    parent = _extended(parsed)
    if parent is not None:
        inherited = _blocks_of(env, env.join_path(parent, name), known, depth + 1)
        if inherited is None:
            return None
        blocks |= inherited
    known[name] = blocks
    return blocks


def missing_references(env: LayeredEnvironment, names: Iterable[str]) -> list[TemplateProblem]:
    """Templates that ``names`` extend, include or import by a fixed name and no layer has:
    one error at the line that names it, found before any page is rendered."""
    found = []
    for name in sorted(names):
        parsed = _parse(env, name)
        if parsed is None:
            continue
        for node in parsed.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            wanted = node.template.value if isinstance(node.template, nodes.Const) else None
            if not isinstance(wanted, str) or getattr(node, "ignore_missing", False):
                continue
            if env.loader.locate(env.join_path(wanted, name)) is None:
                message = f"template '{wanted}' not found in {env.loader.describe()}; fix the name, or add {wanted} to templates/"
                found.append(TemplateProblem(env.loader.file_of(name), node.lineno, message))
    return found


def template_files(env: LayeredEnvironment, names: Iterable[str]) -> list[Path]:
    """The files of ``names`` as the layers resolve them, and of every template they extend,
    include or import (``theme:`` names too): the templates pages are actually made of."""
    found: dict[Path, None] = {}
    todo = list(names)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = env.loader.file_of(name)
        parsed = _parse(env, name)
        if path is None or parsed is None:
            continue
        found[path] = None
        for node in parsed.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                todo.append(env.join_path(node.template.value, name))
    return sorted(found)
