"""The command the user runs, for the hints in messages ("run 'parkpress i18n update'").

The same messages reach editors who type ``parkpress …`` (the console script), ``python
build.py …`` (in a site folder that has one, such as parkpress's own repository) or
``python -m parkpress …``: a hint names the one in use, read from how this process started.
"""

from __future__ import annotations

import sys
from pathlib import Path

MAIN = Path(__file__).resolve().parents[1] / "__main__.py"  # what `python -m parkpress` runs


def command() -> str:
    """'parkpress', 'python build.py' or 'python -m parkpress'."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None:
        return "parkpress"
    if started.name == "build.py":
        return "python build.py"
    if started.name == "__main__.py" and started.resolve() == MAIN:
        return "python -m parkpress"
    return "parkpress"
