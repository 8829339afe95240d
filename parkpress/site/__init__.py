"""The site model and its views: content arranged for pages, in one language at a time.

Owns the queries over the content (orderings, neighbours, related items), the URL scheme,
the frozen view objects that templates see (cards, figures, rankings, charts), bodies with
their links resolved per page, JSON-LD and the open-data files.

May import: core, content, i18n.
"""
