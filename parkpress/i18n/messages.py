"""The interface strings that Python code translates (section names, charts, data files).

The Babel extractor (extract.py) hands them to translators with the templates' strings;
they are translated where they are used (site/views.py).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is used."""
    return message


SECTION_LABELS = {
    "home": N_("Home"),
    "parks": N_("Parks"),
    "news": N_("News"),
    "industries": N_("Industries"),
    "rankings": N_("Rankings"),
    "compare": N_("Compare"),
    "search": N_("Search"),
}

# Messages that Python code (charts, data files) translates; the Babel extractor
# (extract.py) hands them to translators together with the section labels.
MESSAGES = {
    "rank-title": N_("%(ranking)s: rank by year"),
    "rank-desc": N_("Rank %(first)s in %(first_year)s, rank %(last)s in %(last_year)s."),
    "series-desc": N_("%(first)s in %(first_year)s, %(last)s in %(last_year)s."),
    "share-title": N_("%(figure)s, %(year)s"),
    "share-desc": N_("%(part)s: %(share)s; the rest: %(rest)s."),
    "legend": N_("%(part)s: %(share)s"),
    "rest": N_("Rest"),
    "part": N_("Part"),
    "year": N_("Year"),
    "rank": N_("Rank"),
    "value": N_("Value"),
    "source": N_("Source"),
    "share": N_("Share"),
    "target": N_("target %(year)s"),
    "target-value": N_("%(value)s (target)"),
    "of": N_("of %(count)s"),
    "park": N_("Park"),
    "news-item": N_("News"),
    "place": N_("%(district)s, %(city)s, %(province)s"),
    "place-in-city": N_("%(district)s, %(city)s"),
    "place-city": N_("%(city)s, %(province)s"),
    "not-found": N_("Page not found"),
    "dataset": N_("Industrial parks with their facts, key figures, rankings and contacts, and the news about them."),
    "mu": (N_("%(num)s mu"), N_("%(num)s mu")),
    "back-to-note": N_("Back to note %(num)s in the text"),
    "language": N_("Language"),
}

# What a translator is told about a message beyond where it is used.
NOTES = {
    "place": "a park's place, smallest part first: write the parts in your language's order and with its separators"
    " (Chinese: %(province)s%(city)s%(district)s)",
    "place-in-city": "a park's place in a city that is a province of its own (Tianjin, Shanghai)",
    "place-city": "a park's city and province",
    "target-value": 'a target among the values a chart\'s description names: "CN¥42B in 2020, CN¥150B (target) in 2025"',
    "legend": "a share chart's legend: a part of the whole and its share of it",
    "mu": "an area in mu (亩, 1/15 hectare), the Chinese unit CLDR does not name: write it as your language does",
    "back-to-note": "the title of the link from a footnote back to where the text refers to it",
    "language": "the language switcher's name; the root page that picks a language names itself in every language",
}
