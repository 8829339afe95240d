"""The package's folders follow the data: no module imports from a later stage.

Each subpackage's docstring says what it owns and what it may import; this test holds
the code to it, imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import parkpress

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

PACKAGE = Path(parkpress.__file__).parent
# Stage -> the stages it may import from (besides itself).  The order is the data's:
# reading content, the site model and views, planning and rendering, the incremental
# engine and its cache, publishing, the build that strings them together, then what
# drives a build (the server, the command line).  The theme, i18n, search and the exchange
# with translation tools sit beside.
ALLOWED = {
    "core": set(),
    "theme": {"core"},
    "content": {"core"},
    "i18n": {"core", "content", "theme"},
    "search": {"core", "content"},
    "exchange": {"core", "content"},
    "site": {"core", "content", "i18n"},
    "render": {"core", "content", "i18n", "search", "site", "theme"},
    "engine": {"core", "content", "i18n", "search", "site", "render", "theme"},
    "publish": {"core", "content", "render", "engine"},
    "build": {"core", "content", "i18n", "search", "site", "render", "engine", "publish", "theme"},
    "serve": {"core", "content", "i18n", "search", "site", "render", "engine", "publish", "build", "theme"},
    "commands": {"core", "content", "i18n", "search", "site", "render", "engine", "publish", "build", "serve", "theme", "exchange"},
}
TOP_LEVEL = {"__init__", "__main__", "cli"}  # the entry points may import anything


def stage_of(module: str) -> str | None:
    """'parkpress.site.views' -> 'site'; None for the top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every parkpress module that ``path`` imports, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parkpress"):
            if node.module == "parkpress":
                found += [(node.lineno, f"parkpress.{alias.name}") for alias in node.names]
            else:
                found += [(node.lineno, node.module)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("parkpress.")]
    return found


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if path.parent != PACKAGE)


def test_every_module_is_in_a_known_stage():
    loose = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem not in TOP_LEVEL)
    assert loose == [], "put these modules into one of the stages' folders"
    assert {path.relative_to(PACKAGE).parts[0] for path in MODULES} <= ALLOWED.keys()


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_no_module_imports_from_a_later_stage(path):
    stage = path.relative_to(PACKAGE).parts[0]
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line}: imports {module}"
        for line, module in imports(path)
        if stage_of(module) not in (None, stage) and stage_of(module) not in ALLOWED[stage]
    ]
    assert wrong == []


@pytest.mark.parametrize("folder", sorted({path.parent for path in MODULES}), ids=lambda folder: folder.name)
def test_every_stage_says_what_it_owns_and_may_import(folder):
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "May import" in doc, f"{folder.name}/__init__.py: say what the stage owns and what it may import"
