"""The fixture site's configuration, taxonomy and theme: the tests' tiny sites and
bench/large_inputs.py build on the same ones, so a change to the configuration format
is made here once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITE_FILES = ("content", "parkpress.toml", "templates", "static", "locales", "root")  # this repository's site, beside its theme

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


# The fixture taxonomy's one label the repository's taxonomy lacks, with its translations.
OWN_LABELS = {"Industrial output value": {"de": "Industrieller Produktionswert", "fr": "Valeur de la production industrielle"}}


def copy_catalogs(root: Path) -> None:
    """This repository's catalogs, which translate the labels of the taxonomy the fixture sites
    share with it, plus the fixture's own label (the theme, built in, brings its own catalogs)."""
    shutil.copytree(REPO / "locales", root / "locales", dirs_exist_ok=True)
    for lang in ("de", "fr"):
        entries = "".join(f'\nmsgid "{msgid}"\nmsgstr "{own[lang]}"\n' for msgid, own in OWN_LABELS.items())
        with (root / "locales" / lang / "LC_MESSAGES" / "messages.po").open("a", encoding="utf-8") as po:
            po.write(entries)
