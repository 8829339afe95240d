"""Find a site's theme and the themes it extends.

``theme = "…"`` in ``parkpress.toml`` names

* ``default``, the theme that ships with parkpress (this package's ``default/`` folder);
* a folder, relative to the project (``themes/agency``) or absolute, holding ``theme.toml``;
* an installed package that declares a theme: in its ``pyproject.toml``,
  ``[project.entry-points."parkpress.themes"] agency = "agency_theme"`` (the module's folder
  is the theme's, or the entry point names a path).

``theme.toml`` gives the theme's ``name`` and, optionally, its ``parent``, found the same way
(a folder relative to the theme's own).  A theme without a parent must provide every template
the site's pages use; one that extends ``default`` provides only what it changes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from parkpress.core import schema as s
from parkpress.core.config import Config, read_toml
from parkpress.core.problems import Problems

BUILTIN = "default"
BUILTIN_FOLDER = Path(__file__).resolve().parent / BUILTIN
THEME_FILE = "theme.toml"
ENTRY_POINTS = "parkpress.themes"
SITE = "site"  # the name of the site's own layer
RESERVED = (SITE, "theme")  # names a theme may not take: "theme:base.html" means the layer below (render/layers.py)
MAX_DEPTH = 8  # themes extending themes: deeper than this is a loop or a mistake

THEME_SCHEMA = {
    "name": s.Field(s.slug, required=True),
    "parent": s.Field(s.text),
    "description": s.Field(s.text),
}


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path  # resolved
    parent: str | None  # as theme.toml names it

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def static(self) -> Path:
        return self.folder / "static"

    @property
    def locales(self) -> Path:
        return self.folder / "locales"


@dataclass(frozen=True)
class Layer:
    """One place templates, static files and catalogs come from: the site's own folders, or a theme's."""

    name: str  # "site", or the theme's name
    templates: Path
    static: Path
    locales: Path


@dataclass(frozen=True)
class Themes:
    """A site's theme and its parents, the theme itself first."""

    site: Layer
    chain: tuple[Theme, ...]

    @property
    def layers(self) -> tuple[Layer, ...]:
        """Where a file is looked for, in order: the site's folders, the theme's, its parent's…"""
        return (self.site, *(Layer(theme.name, theme.templates, theme.static, theme.locales) for theme in self.chain))

    @property
    def folders(self) -> tuple[Path, ...]:
        """The themes' folders, for watching and for the snapshot of the inputs."""
        return tuple(theme.folder for theme in self.chain)

    def describe(self) -> str:
        """'default' or 'agency (extends default)', for messages."""
        names = [theme.name for theme in self.chain]
        return names[0] + (f" (extends {', '.join(names[1:])})" if len(names) > 1 else "")


def load_themes(config: Config) -> Themes:
    """The configured theme and its parents; raise BuildFailed naming the line to fix."""
    problems = Problems(config.root)
    site = Layer(SITE, config.templates_dir, config.static_dir, config.locales_dir)
    chain: list[Theme] = []
    wanted, base, where = config.theme, config.root, (config.file, config.line("site", "theme"))
    while wanted is not None:
        folder = find(wanted, base)
        if folder is None:
            problems.error(where[0], where[1], _unknown(wanted, base))
            break
        theme = read_theme(folder, problems)
        if theme is None:
            break
        if any(known.folder == theme.folder or known.name == theme.name for known in chain) or theme.name in RESERVED:
            names = " -> ".join([*(known.name for known in chain), theme.name])
            problems.error(folder / THEME_FILE, 1, f"theme '{theme.name}' cannot be used here ({names}): give each theme its own name")
            break
        chain.append(theme)
        if len(chain) > MAX_DEPTH:
            problems.error(folder / THEME_FILE, 1, f"themes extend each other more than {MAX_DEPTH} deep; remove a 'parent'")
            break
        wanted, base, where = theme.parent, theme.folder, (folder / THEME_FILE, 0)
    problems.raise_if_errors()
    return Themes(site, tuple(chain))


def find(name: str, base: Path) -> Path | None:
    """The folder of the theme ``name``: built in, a folder below ``base`` (or absolute), or installed."""
    if name == BUILTIN:
        return BUILTIN_FOLDER
    folder = (base / name).expanduser()
    if (folder / THEME_FILE).is_file():
        return folder.resolve()
    if "/" in name or name.startswith("."):
        return None  # a path, and nothing there: not a package's name
    return _installed().themes.get(name)


def read_theme(folder: Path, problems: Problems) -> Theme | None:
    path = folder / THEME_FILE
    doc = read_toml(path, problems)
    if doc is None:
        return None
    values = s.validate(doc, THEME_SCHEMA, lambda line, message: problems.error(path, line, message))
    if values is None:
        return None
    if not (folder / "templates").is_dir():
        problems.error(path, 0, "a theme needs a templates/ folder beside its theme.toml")
        return None
    return Theme(values["name"], folder.resolve(), values["parent"])


def installed_themes() -> list[str]:
    """The names of every theme available by name: the built-in one and the installed packages'."""
    return sorted({BUILTIN, *_installed().themes})


@dataclass(frozen=True)
class Installed:
    """Installed packages' themes by name, and why each declared one that cannot be used fails."""

    themes: dict[str, Path]
    broken: dict[str, str]


def _installed() -> Installed:
    """Installed packages' themes (loading a package's module only to find its folder)."""
    from importlib import metadata  # here: scanning installed packages is for themes named so, not for every build

    found, broken = {}, {}
    for entry in metadata.entry_points(group=ENTRY_POINTS):
        package = entry.dist.name if entry.dist else entry.value
        try:
            target = entry.load()
        except Exception as error:  # any error of a foreign package's import: it is told, not raised
            broken[entry.name] = f"package {package} declares it, but loading {entry.value} failed ({type(error).__name__}: {error})"
            continue
        folder = Path(target.__file__).parent if isinstance(target, ModuleType) else Path(str(target))
        if (folder / THEME_FILE).is_file():
            found[entry.name] = folder.resolve()
        else:
            broken[entry.name] = f"package {package} declares it, but {folder} holds no {THEME_FILE}"
    return Installed(found, broken)


def _unknown(name: str, base: Path) -> str:
    broken = _installed().broken.get(name)
    if broken:
        return f"theme '{name}' cannot be loaded: {broken}; reinstall that package, or name another theme"
    known = installed_themes()
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        f"unknown theme '{name}': no folder {base / name} with a {THEME_FILE}, and no installed package declares it; "
        f"{hint}themes available by name: {', '.join(known)}"
    )
