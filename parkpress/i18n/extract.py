"""A Babel extractor for content/taxonomy.yaml, so translators get its labels in messages.pot.

Named in the mapping file's ``[extractors]`` section and used for ``[taxonomy: content/taxonomy.yaml]``.
It also yields the built-in section names (News, Parks, …) that views.py translates.
"""

from __future__ import annotations

from parkpress.core.yamldata import YamlError, parse
from parkpress.i18n.messages import MESSAGES, SECTION_LABELS

_GROUPS = {
    "industries": "industry",
    "levels": "park level",
    "figures": "key figure",
}


def extract_taxonomy(fileobj, keywords, comment_tags, options):
    """Yield (lineno, funcname, message, comments) for every label."""
    for label in SECTION_LABELS.values():
        yield 0, "_", label, ["site section"]
    for label in MESSAGES.values():
        yield 0, "_", label, ["charts and data files"]
    try:
        doc = parse(fileobj.read().decode("utf-8"))
    except (YamlError, UnicodeDecodeError):
        return  # the build reports the broken file with its line
    data = doc.data if isinstance(doc.data, dict) else {}
    for group, what in _GROUPS.items():
        labels = data.get(group)
        if isinstance(labels, dict):
            for key, label in labels.items():
                if isinstance(label, str):
                    yield doc.line((group, key)), "_", label, [f"{what}: {key}"]
    rankings = data.get("rankings")
    if isinstance(rankings, dict):
        for key, ranking in rankings.items():
            if isinstance(ranking, dict) and isinstance(ranking.get("label"), str):
                yield doc.line(("rankings", key, "label")), "_", ranking["label"], [f"ranking list: {key}"]
