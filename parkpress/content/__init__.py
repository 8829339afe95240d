"""Content: reading and validating ``content/``.

Owns the layout of the content folder (sources), the front matter and data-file readers,
the content model (documents, park facts, taxonomy), the loader that checks references
between files, Markdown to HTML (markup, with the quick inline processor and the line ends
of Chinese and Japanese joined) and the media files beside the Markdown.

May import: core.
"""
