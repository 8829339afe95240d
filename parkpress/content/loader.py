"""Read all of content/ into one :class:`Content` and check references between files."""

from __future__ import annotations

import difflib

from parkpress.content.model import Content, Document, NewsItem, Park, ParkFacts, StaticPage, Taxonomy
from parkpress.content.readers import read_document, read_park_facts, read_taxonomy
from parkpress.content.sources import SourceSet
from parkpress.core.config import Config
from parkpress.core.problems import Problems

EMPTY_TAXONOMY = Taxonomy({}, {}, {}, {})


def load_content(config: Config, sources: SourceSet, problems: Problems, read=read_document) -> Content:
    """Read every source; ``read`` lets the build substitute a caching reader."""
    taxonomy_source = sources.taxonomy()
    taxonomy = read_taxonomy(taxonomy_source, problems) if taxonomy_source else None
    if taxonomy_source is None:
        problems.error(config.content_dir / "taxonomy.yaml", 0, "missing: create content/taxonomy.yaml with industries and levels")
    # A broken taxonomy or facts file is reported once, where it is broken: checking
    # other files against it would add a false "unknown key" error to each of them.
    facts, unreadable = {}, set()
    for source in sources.of_kind("facts", "parks"):
        park = read_park_facts(source, problems)
        if park is None:
            unreadable.add(source.key)
            continue
        facts[park.key] = park
        if taxonomy is not None:
            _check_facts(park, taxonomy, problems)
    documents: dict[str, dict[str, dict[str, Document]]] = {"news": {}, "parks": {}, "pages": {}}
    for source in sources.of_kind("markdown"):
        document = read(source, config.timezone, problems)
        if document is None:
            continue
        translations = documents[source.section].setdefault(document.key, {})
        if document.lang in translations:  # news/x.de.md beside the bundle news/x/index.de.md
            first = translations[document.lang].rel
            problems.error(document.rel, 1, f"'{document.key}' in '{document.lang}' is also {first}; keep one of the two files")
            continue
        translations[document.lang] = document
    parks = {}
    for key, prose in sorted(documents["parks"].items()):
        if key in unreadable:
            continue
        if key not in facts:
            for doc in prose.values():
                problems.error(doc.rel, 1, f"no facts for park '{key}': create content/parks/{key}.yaml")
            continue
        parks[key] = Park(facts[key], prose)
        _check_sources(parks[key], problems)
    for key, park in facts.items():
        if key not in parks:
            problems.warning(park.rel, 1, f"park '{key}' has no prose in any language: add content/parks/{key}.<lang>.md")
    news = {key: NewsItem(key, tr) for key, tr in sorted(documents["news"].items())}
    for item in news.values():
        _check_news(item, sorted(facts.keys() | unreadable), taxonomy, problems)
    pages = {key: StaticPage(key, tr) for key, tr in sorted(documents["pages"].items())}
    assets = {f.rel: f.file for f in sources.of_kind("asset")}
    return Content(taxonomy or EMPTY_TAXONOMY, parks, news, pages, assets)


def _unknown(kind: str, key: str, known, where: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"add it to {where}"
    return f"unknown {kind} '{key}'; {hint}"


def _check_facts(park: ParkFacts, taxonomy: Taxonomy, problems: Problems) -> None:
    for level in park.levels:
        if level not in taxonomy.levels:
            problems.error(park.rel, park.lines["levels"], _unknown("park level", level, taxonomy.levels, "taxonomy.yaml levels"))
    for industry in park.industries:
        if industry not in taxonomy.industries:
            problems.error(
                park.rel, park.lines["industries"], _unknown("industry", industry, taxonomy.industries, "taxonomy.yaml industries")
            )
    for index, figure in enumerate(park.figures):
        if figure.kind not in taxonomy.figures:
            problems.error(
                park.rel, park.lines[("figures", index)], _unknown("figure kind", figure.kind, taxonomy.figures, "taxonomy.yaml figures")
            )
    seen = set()
    for index, entry in enumerate(park.rankings):
        line = park.lines[("rankings", index)]
        if entry.list not in taxonomy.rankings:
            problems.error(park.rel, line, _unknown("ranking list", entry.list, taxonomy.rankings, "taxonomy.yaml rankings"))
        if (entry.list, entry.year) in seen:
            problems.error(park.rel, line, f"ranking '{entry.list}' {entry.year} is listed twice; keep one")
        seen.add((entry.list, entry.year))


def _check_sources(park: Park, problems: Problems) -> None:
    """A source named in the prose must be one the facts give a figure, or its translation would show nowhere."""
    known = sorted({f.source for f in park.facts.figures if f.source})
    for doc in park.prose.values():
        for name in doc.meta.get("sources") or {}:
            if name not in known:
                problems.error(
                    doc.rel, doc.line("sources"), _unknown("figure source", name, known, f"a figure's 'source' in {park.facts.rel}")
                )


def _check_news(item: NewsItem, parks: list[str], taxonomy: Taxonomy | None, problems: Problems) -> None:
    dates = {}
    for lang, doc in sorted(item.translations.items()):
        for park in doc.meta["parks"]:
            if park not in parks:
                problems.error(doc.rel, doc.line("parks"), _unknown("park", park, parks, f"content/parks/{park}.yaml"))
        for industry in doc.meta["industries"]:
            if taxonomy is not None and industry not in taxonomy.industries:
                problems.error(
                    doc.rel, doc.line("industries"), _unknown("industry", industry, taxonomy.industries, "taxonomy.yaml industries")
                )
        dates[lang] = doc.meta["date"]
    if len(set(dates.values())) > 1:
        first_lang, first = next(iter(dates.items()))
        for lang, moment in dates.items():
            if moment != first:
                doc = item.translations[lang]
                problems.warning(
                    doc.rel,
                    doc.line("date"),
                    f"release time differs from the {first_lang} version ({first.isoformat()}); translations share one release time",
                )
