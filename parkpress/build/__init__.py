"""The build: the stages strung together.

Owns ``build()`` (builder.py: nothing to do, or read, plan, render, publish), its steps
(pipeline.py), ``check`` (checks.py: the build's own reading and rendering, nothing
written), and what both say the pages show untranslated (untranslated.py).

May import: every stage above: core, content, i18n, search, site, render, engine,
publish, theme.
"""
