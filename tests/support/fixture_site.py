"""The fixture site's configuration, taxonomy and theme: the tests' tiny sites and
bench/large_inputs.py build on the same ones, so a change to the configuration format
is made here once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
THEME = ("templates", "static", "locales", "babel.cfg")

CONFIG = """\
[site]
base_url = "https://invest.example.org/"
default_language = "en"
timezone = "Asia/Shanghai"
news_per_page = 2

[languages.en]
name = "English"
locale = "en"
title = "Park Monitor"

[languages.de]
name = "Deutsch"
locale = "de_DE"
title = "Parkmonitor"
[languages.de.slugs]
news = "nachrichten"
industries = "branchen"

[languages.fr]
name = "Français"
locale = "fr_FR"
title = "Observatoire des parcs"
[languages.fr.slugs]
news = "actualites"
parks = "parcs"
"""

TAXONOMY = """\
industries:
  biomedicine: Biomedicine
  logistics: Logistics
levels:
  state-etdz: State-level economic and technological development zone
figures:
  enterprises: Enterprises
  output-value: Industrial output value
rankings:
  top100-biomedical:
    label: Top 100 biomedical industrial parks in China
    publisher: CCID Consulting
    editions:
      - year: 2021
        evaluated: 386
"""


def copy_theme(root: Path) -> None:
    """The repository's templates, static files and catalogs, as an agency's site would have them."""
    for name in THEME:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, root / name)
