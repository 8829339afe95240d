"""Exchange with translation bureaus and tools: content as XLIFF 2.0 and PO files, and back.

Owns the cutting of a Markdown file into the segments a translator sees (segments: one per
paragraph, heading, list item, table cell, quote, plus the front matter's text fields), the
inline codes that keep links, emphasis and code out of the translator's way (codes), and the
two file formats (xliff, po) with the OASIS XLIFF 2.0 core schema that checks the first.

May import: core, content.
"""
