"""Languages: the catalogs of interface strings and CLDR formatting.

Owns reading and merging the ``.po`` catalogs (the theme's and the site's), noting the
msgids looked up that they do not translate (catalogs.Lookups), the strings
that Python code translates, the Babel extractor for the taxonomy, and the Formatter that
formats every date, number and amount through Babel.

May import: core, content (the model), theme (where its catalogs are).
"""
