"""Templates' ``_`` gives what Jinja's newstyle ``gettext`` gives, for every message of every catalog."""

from __future__ import annotations

import pytest
from conftest import REPO
from markupsafe import Markup

from parkpress.core.problems import Problems
from parkpress.i18n.catalogs import load_catalog
from parkpress.i18n.formatting import Formatter
from parkpress.render.layers import TemplateFolder
from parkpress.render.templates import environment
from parkpress.theme.loader import BUILTIN_FOLDER

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


@pytest.mark.parametrize(("lang", "locale"), [("de", "de_DE"), ("fr", "fr_FR")])
def test_underscore_is_jinjas_gettext(lang, locale):
    catalog = load_catalog(REPO / "locales", [BUILTIN_FOLDER / "locales"], lang, locale, Problems(REPO))
    env = environment([TemplateFolder("default", BUILTIN_FOLDER / "templates")], catalog.translations, Formatter(locale, "UTC"), str)
    messages = [message for _, po in catalog.sources() for message in po]
    texts = [message.id for message in messages if message.id and isinstance(message.id, str) and "%(" not in message.id]
    assert len(texts) > 50
    texts += ["100%% sure", "<b>not a tag</b>", "not in the catalog"]
    ours = env.from_string("{% for text in texts %}{{ _(text) }}|{{ _(text) }}\n{% endfor %}")
    jinjas = env.from_string("{% for text in texts %}{{ gettext(text) }}|{{ gettext(text) }}\n{% endfor %}")
    assert ours.render(texts=texts) == jinjas.render(texts=texts)
    link = Markup('<a href="x">A&amp;B</a>')  # kept as it is; the year is escaped
    calls = "{{ %s('founded %%(year)s', year='<1999>') }} {{ %s('Parks: %%(parks)s', parks=link) }}"
    ours, jinjas = (env.from_string(calls % (name, name)).render(link=link) for name in ("_", "gettext"))
    assert ours == jinjas
