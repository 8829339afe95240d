#!/usr/bin/env python3
"""Turn the shared benchmark corpus into a parkpress site folder.

    python bench/import_corpus.py SRC DST

SRC is a corpus made by ``gen_corpus.py --layout neutral`` (content/news/<slug>.<lang>.md
and content/parks/<slug>.<lang>.md, front matter title/date/park/industries/tags/summary).
DST receives this repository's parkpress.toml (with the peers' 20 news a list page),
templates, static files and catalogs, and a content/ folder in parkpress's own format
(docs/content-format.md) holding the same text:

* news front matter: ``park`` becomes ``parks: [park]``, the zone's English name becomes
  ``source.name``, ``tags`` are dropped (parkpress has no tags), and the corpus' zone-less
  dates are read as Beijing time and written with their +08:00 offset;
* park prose keeps title, summary and body; the language-neutral facts (city, province,
  founding year, area, key figures, national ranking) go to parks/<key>.yaml, taken from
  the English profile, which states them in fixed sentences and a table;
* taxonomy.yaml lists every industry key the corpus uses, labelled with the English name
  the profiles use, the zone types as park levels, and the national ranking.

Bodies are copied byte for byte, so parkpress renders the text every peer renders.  Importing
again writes only the files whose bytes change (bench/harness/build.py relies on it).
Standard library only: it runs with any python3.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = ("parkpress.toml", "locales")  # the configuration and the taxonomy's catalogs; the theme is built in
RANKING = "mofcom-national"
# News a list page, as the shared harness configures its peers (Hugo's pagerSize, Pelican's
# DEFAULT_PAGINATION): the sample site's 6 would make three times their list pages.
PAGE_SIZE = 20
DATA_YEAR = 2021  # the profiles describe the zones as of their 2021 publication
FIGURE_ROWS = {  # table row label in the English profile -> (figure kind, label, money?)
    "Enterprises": ("enterprises", "Enterprises above designated size", False),
    "Output value (bn yuan)": ("output-value", "Industrial output value", True),
    "Regional GDP": ("gdp", "Regional GDP", True),
}


def front_matter(text: str, path: Path) -> tuple[dict, str]:
    """The corpus writes one 'key: JSON value' per line (and bare dates), so no YAML parser is needed."""
    lines = text.split("\n")
    if lines[0] != "---":
        raise SystemExit(f"{path}:1: no front matter")
    meta = {}
    for number, line in enumerate(lines[1:], start=2):
        if line == "---":
            return meta, "\n".join(lines[number:])
        key, _, value = line.partition(": ")
        meta[key] = value if key == "date" else json.loads(value)
    raise SystemExit(f"{path}:1: front matter not closed")


def dump(meta: dict) -> str:
    """YAML front matter; JSON scalars and flow lists are valid YAML."""
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {value if key == 'date' else json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n---\n"


def number(text: str) -> float:
    return float(text.replace(",", ""))


def park_facts(key: str, meta: dict, body: str, zone_label: str) -> dict:
    """Facts from the English profile's overview sentence, ranking sentence and indicator table."""
    overview = re.search(r"approved at national level in (\d{4}) and covers a planned area of ([\d,.]+) km² in (.+?) province", body)
    if overview is None:
        raise SystemExit(f"parks/{key}.en.md: the overview sentence is not in the expected form")
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", body, re.MULTILINE))
    figures = []
    for label, (kind, _, money) in FIGURE_ROWS.items():
        if label in rows:
            value = number(rows[label].split()[0])
            value = int(value) if value.is_integer() and not money else value
            figure = {"kind": kind, "amount": value * 1e9, "currency": "CNY"} if money else {"kind": kind, "value": value}
            figures.append({**figure, "year": DATA_YEAR})
    facts = {
        "name": meta["title"],
        "levels": [key.rsplit("-", 1)[1]],
        "province": overview.group(3),
        "city": meta["title"].removesuffix(" " + zone_label),
        "founded": int(overview.group(1)),
        "area_km2": number(overview.group(2)),
        "industries": meta["industries"],
        "figures": figures,
    }
    rank = re.search(r"ranks \*No\. (\d+)\* among (\d+)", body)
    if rank:
        facts["rankings"] = [{"list": RANKING, "year": DATA_YEAR, "rank": int(rank.group(1))}]
    return facts


def yaml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def facts_yaml(facts: dict) -> str:
    lines = []
    for key, value in facts.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for entry in value:
                first, *rest = entry.items()
                lines.append(f"  - {first[0]}: {yaml_value(first[1])}")
                lines += [f"    {k}: {yaml_value(v)}" for k, v in rest]
        else:
            lines.append(f"{key}: {yaml_value(value)}")
    return "\n".join(lines) + "\n"


def industry_labels(meta: dict, body: str) -> dict[str, str]:
    """The English profile lists its industries, in front-matter order, under 'Leading industries'."""
    section = body.split("## Leading industries", 1)[-1]
    names = re.findall(r"^- \*\*(.+?)\*\*$", section, re.MULTILINE)
    return {key: name[:1].upper() + name[1:] for key, name in zip(meta["industries"], names, strict=False)}


def put(path: Path, data: bytes) -> bool:
    """Write ``data`` unless ``path`` holds it already: a file left alone keeps its modification
    time, so the next parkpress build finds it unchanged without reading it."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def copy_configuration(dst: Path) -> None:
    """This repository's configuration and catalogs, with the peers' page size."""
    for name in SITE:
        source = REPO / name
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            data = path.read_bytes()
            if name == "parkpress.toml":
                data, count = re.subn(rb"(?m)^news_per_page = \d+$", f"news_per_page = {PAGE_SIZE}".encode(), data)
                if count != 1:
                    raise SystemExit(f"{path}: no 'news_per_page = N' line to set the benchmark's page size in")
            put(dst / path.relative_to(REPO), data)


def news_file(meta: dict, body: str, parks: dict[str, str]) -> str:
    """One news item of the corpus in parkpress's format; ``parks``: key -> English name."""
    ours = {
        "title": meta["title"],
        "date": meta["date"].replace(" ", "T") + "+08:00",
        "parks": [meta["park"]],
        "industries": meta["industries"],
        "source": {"name": parks[meta["park"]]},
        "summary": meta["summary"],
    }
    return dump(ours) + body


def convert(src: Path, dst: Path) -> dict:
    """Import the whole corpus; returns the parks (key -> English name), the industry keys and counts.

    Only files whose bytes change are written, and content files the corpus no longer has are
    removed, so importing again after an edit leaves the rest of the site folder as it was.
    """
    content = dst / "content"
    copy_configuration(dst)
    written: dict[Path, str] = {}
    industries: dict[str, str] = {}
    levels: dict[str, str] = {}
    parks: dict[str, str] = {}  # key -> English name
    evaluated = 0
    for path in sorted((src / "content" / "parks").glob("*.md")):
        meta, body = front_matter(path.read_text(encoding="utf-8"), path)
        key, lang = path.name.removesuffix(".md").rsplit(".", 1)
        if lang == "en":
            zone = key.rsplit("-", 1)[1]
            city = re.match(r"(.+?) (Economic|High-tech|Industrial|Pilot|Comprehensive)", meta["title"])
            levels[zone] = meta["title"].removeprefix(city.group(1) + " ") if city else zone
            facts = park_facts(key, meta, body, levels[zone])
            written[content / "parks" / f"{key}.yaml"] = facts_yaml(facts)
            industries.update(industry_labels(meta, body))
            parks[key] = meta["title"]
            total = re.search(r"among (\d+) national development zones", body)
            evaluated = int(total.group(1)) if total else evaluated
        prose = {"title": meta["title"], "summary": meta["summary"]}
        written[content / "parks" / path.name] = dump(prose) + body
    news = 0
    for path in sorted((src / "content" / "news").glob("*.md")):
        meta, body = front_matter(path.read_text(encoding="utf-8"), path)
        if meta["park"] not in parks:
            raise SystemExit(f"{path}: park '{meta['park']}' has no profile in the corpus")
        for key in meta["industries"]:
            industries.setdefault(key, key.replace("-", " ").capitalize())
        written[content / "news" / path.name] = news_file(meta, body, parks)
        news += 1
    written[content / "taxonomy.yaml"] = taxonomy_yaml(industries, levels, evaluated)
    for path, text in written.items():
        put(path, text.encode("utf-8"))
    for path in content.rglob("*") if content.is_dir() else ():
        if path.is_file() and path not in written:
            path.unlink()
    return {"parks": parks, "industries": sorted(industries), "news files": news}


def taxonomy_yaml(industries: dict[str, str], levels: dict[str, str], evaluated: int) -> str:
    taxonomy = ["industries:"]
    taxonomy += [f"  {key}: {yaml_value(label)}" for key, label in sorted(industries.items())]
    taxonomy.append("levels:")
    taxonomy += [f"  {key}: {yaml_value(label)}" for key, label in sorted(levels.items())]
    taxonomy.append("figures:")
    taxonomy += [f"  {kind}: {yaml_value(label)}" for kind, label, _ in FIGURE_ROWS.values()]
    taxonomy += [
        "rankings:",
        f"  {RANKING}:",
        '    label: "Comprehensive evaluation of national economic and technological development zones"',
        '    publisher: "Ministry of Commerce"',
        "    editions:",
        f"      - year: {DATA_YEAR}",
        f"        evaluated: {evaluated or 230}",
    ]
    return "\n".join(taxonomy) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    src, dst = Path(argv[0]), Path(argv[1])
    if not (src / "content" / "parks").is_dir():
        print(f"{src}: not a neutral-layout corpus (no content/parks/)", file=sys.stderr)
        return 2
    dst.mkdir(parents=True, exist_ok=True)
    counts = convert(src, dst)
    print(f"imported {len(counts['parks'])} parks and {counts['news files']} news files into {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
