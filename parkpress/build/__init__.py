"""The build: the stages strung together.

Owns ``build()`` (builder.py: nothing to do, or read, plan, render, publish), its steps
(pipeline.py) and ``check`` (checks.py: the build's own reading and rendering, nothing
written).

May import: every stage above: core, content, i18n, search, site, render, engine,
publish, theme.
"""
