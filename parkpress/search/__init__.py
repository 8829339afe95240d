"""Search: the per-language index that the search page loads.

Owns the analysis of documents into stems (Snowball), the index format the browser reads
(static/search.js), and the live indexes a long-lived process updates after an edit.

May import: core, content (the model).
"""
