"""Planning and rendering: every page as plain data, then as bytes.

Owns the planner (each output page's path, template and context, collisions found
before anything is written), the Jinja2 environment of a language over the theme's
templates, compiled templates, and the QR codes of printed pages.

May import: core, content, i18n, search, site, theme.
"""
