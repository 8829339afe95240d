"""Themes: the templates, static files and interface catalogs a site is rendered with.

A theme is data, not code: a folder with ``theme.toml`` (its name and, optionally, the theme
it extends), ``templates/``, ``static/`` and ``locales/``.  parkpress ships one, ``default``,
as package data (``theme/default/``).  A site names its theme in ``parkpress.toml``
(``theme = "…"``: the built-in name, a folder, or an installed package that declares one under
the ``parkpress.themes`` entry point) and overrides it file by file from its own
``templates/``, ``static/`` and ``locales/``.  This package owns finding themes and their
parents (loader.py); the stages that use the files say how (render/templates.py for templates,
i18n/catalogs.py for catalogs, build/pipeline.py for static files).

May import: core.
"""
