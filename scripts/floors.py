"""Print the declared floor of every runtime dependency as a pip requirement: ``Name==floor``.

`make test-floors` installs exactly these, so the floors in pyproject.toml are versions
the build and the core tests have run on.  Each dependency must declare its floor with
``>=``; one without is an error, not a silent pass.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def floors(dependencies: list[str]) -> list[str]:
    pinned = []
    for dependency in dependencies:
        name, spec = REQUIREMENT.match(dependency.split(";")[0]).groups()
        floor = next((part.strip()[2:].strip() for part in spec.split(",") if part.strip().startswith(">=")), None)
        if not floor:
            raise SystemExit(f"{PYPROJECT.name}: '{dependency}' declares no floor (>=); give it one")
        pinned.append(f"{name}=={floor}")
    return pinned


if __name__ == "__main__":
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    sys.stdout.write("".join(line + "\n" for line in floors(project["dependencies"])))
