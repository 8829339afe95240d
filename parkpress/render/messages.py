"""Every message a site's pages can show, and where each comes from.

The templates are the ones the pages are made of: the site's own where it overrides the
theme, the theme's (and its parents') elsewhere, with whatever they extend, include or
import.  With parkpress's own strings and the taxonomy's labels, that is what a visitor may
see in the interface: what ``check`` and ``i18n stats`` count, and what ``i18n extract``
hands to translators.  No catalog template (``messages.pot``) needs to exist for it.
"""

from __future__ import annotations

import gettext

from parkpress.content.sources import TAXONOMY_FILE
from parkpress.core.config import Config
from parkpress.i18n.extract import Usage, builtin_messages, taxonomy_messages, template_messages
from parkpress.i18n.formatting import Formatter
from parkpress.render.layers import template_files, template_folders
from parkpress.render.templates import environment, is_template
from parkpress.theme.loader import Themes


def site_messages(config: Config, themes: Themes) -> list[Usage]:
    """Raises extract.ExtractionFailed for a template that cannot be read."""
    default = config.language(config.default_language)
    env = environment(template_folders(themes), gettext.NullTranslations(), Formatter(default.locale, config.timezone), str)
    files = template_files(env, env.list_templates(filter_func=is_template))
    return [*template_messages(files), *builtin_messages(), *taxonomy_messages(config.content_dir / TAXONOMY_FILE)]
