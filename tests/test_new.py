"""``new``: content files with valid front matter in the right place, which check and build accept; nothing overwritten."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, run

from parkpress.cli import main
from parkpress.commands.scaffold import slug_for

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def created(root: Path, *args: str) -> list[Path]:
    result = run(root, "new", *args)
    assert result.code == 0, result.err
    paths = [Path(line) for line in result.out.splitlines()]
    assert paths and all(p.is_file() for p in paths)
    return paths


def accepted(root: Path) -> None:
    """check reports no error and build succeeds."""
    result = run(root, "check")
    assert result.code == 0, result.out
    assert ": error: " not in result.out
    result = run(root, "build")
    assert result.code == 0, result.err


def test_a_news_item_is_accepted_by_check_and_build(make_site):
    root = make_site()
    [path] = created(root, "news", "--park", "alpha", "--lang", "en", "Alpha opens a second campus")
    month = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")
    assert path == root / f"content/news/{month}-alpha-opens-a-second-campus.en.md"
    meta = front_matter(path)
    assert meta["title"] == "Alpha opens a second campus"
    assert meta["parks"] == ["alpha"] and meta["source"] == {"name": "Alpha Development Zone"}
    accepted(root)
    assert (root / f"site/en/news/{month}-alpha-opens-a-second-campus/index.html").is_file()


def test_the_release_time_is_now_in_the_sites_time_zone(make_site):
    root = make_site({"parkpress.toml": CONFIG.replace('timezone = "Asia/Shanghai"', 'timezone = "Pacific/Kiritimati"')})
    before = dt.datetime.now(dt.UTC)
    [path] = created(root, "news", "--park", "alpha", "Alpha news")
    after = dt.datetime.now(dt.UTC)
    written = front_matter(path)["date"]  # "YYYY-MM-DD HH:MM" without offset: read in the site's zone
    released = dt.datetime.strptime(str(written), "%Y-%m-%d %H:%M").replace(tzinfo=dt.timezone(dt.timedelta(hours=14)))
    assert before - dt.timedelta(minutes=1) <= released <= after


@pytest.mark.parametrize(
    ("title", "locale", "slug"),
    [
        ("Alpha wächst über Öl und Straßen", "de_DE", "alpha-waechst-ueber-oel-und-strassen"),
        ("L’économie de Tianjin à 5 %", "fr_FR", "l-economie-de-tianjin-a-5"),
        ("武清开发区", "en", "wu-qing-kai-fa-qu"),
    ],
)
def test_the_slug_is_the_title_transliterated_to_ascii(title, locale, slug):
    assert slug_for(title, locale) == slug


def test_a_german_title_becomes_a_german_file_name(make_site):
    root = make_site()
    [path] = created(root, "news", "--park", "alpha", "--lang", "de", "Alpha wächst weiter")
    assert path.name.endswith("-alpha-waechst-weiter.de.md")
    assert front_matter(path)["title"] == "Alpha wächst weiter"


def test_titles_that_need_quotes_in_yaml_stay_intact(make_site):
    root = make_site()
    title = 'Alpha: "#1" in [biomedicine] & more'
    [path] = created(root, "news", "--park", "alpha", title)
    assert front_matter(path)["title"] == title
    accepted(root)


def test_new_refuses_to_overwrite(make_site):
    root = make_site()
    [path] = created(root, "page", "Imprint")
    path.write_text(path.read_text(encoding="utf-8") + "Edited.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = run(root, "new", "page", "Imprint")
    assert result.code == 1
    assert "content/pages/imprint.en.md: error: an item 'imprint' already exists" in result.err
    assert path.read_text(encoding="utf-8") == before


def test_an_unknown_park_is_a_clear_error(make_site):
    root = make_site()
    result = run(root, "new", "news", "--park", "alpah", "Title")
    assert result.code == 1
    assert "content/parks/alpah.yaml: error: no park 'alpah'; did you mean 'alpha'?" in result.err
    assert "Traceback" not in result.err
    assert not list((root / "content/news").glob("*-title.*"))


def test_an_unknown_industry_or_language_is_a_clear_error(make_site):
    root = make_site()
    result = run(root, "new", "news", "--park", "alpha", "--industry", "biomedecine", "Title")
    assert result.code == 1 and "content/taxonomy.yaml: error: no industry 'biomedecine'; did you mean 'biomedicine'?" in result.err
    result = run(root, "new", "news", "--park", "alpha", "--lang", "es", "Title")
    assert result.code == 1 and "language 'es' is not configured (known: en, de, fr)" in result.err


def without_record(text: str) -> str:
    return re.sub(r"translation_of:\n  file: news/[^\n]+\.en\.md\n  digest: [0-9a-f]{64}\n  parts: [0-9a-f ]+\n", "", text)


def test_translations_creates_the_missing_languages_of_an_existing_item(make_site):
    root = make_site()
    paths = created(root, "news", "--translations", "2020-alpha-ranked")
    assert paths == [root / "content/news/2020-alpha-ranked.de.md", root / "content/news/2020-alpha-ranked.fr.md"]
    original = (root / "content/news/2020-alpha-ranked.en.md").read_text(encoding="utf-8")
    copies = [without_record(p.read_text(encoding="utf-8")) for p in paths]
    assert copies == [original, original], "the translator starts from the original, with the record of which version it is"
    result = run(root, "check")
    assert "2020-alpha-ranked.de.md: warning: '2020-alpha-ranked' has no" not in result.out
    assert "content/news/2020-alpha-ranked.de.md:14: warning: the text is the same as in content/news/2020-alpha-ranked.en.md" in result.out
    accepted(root)
    assert (root / "site/de/nachrichten/2020-alpha-ranked/index.html").is_file()


def test_translations_for_one_language_and_for_a_page_bundle(make_site):
    bundle = "---\ntitle: B\ndate: 2021-01-01\nsummary: S.\nsource:\n  name: X\n---\nB.\n"
    root = make_site({"content/news/bundle/index.en.md": bundle})
    [path] = created(root, "news", "--translations", "bundle", "--lang", "fr")
    assert path == root / "content/news/bundle/index.fr.md"
    assert without_record(path.read_text(encoding="utf-8")) == bundle
    result = run(root, "new", "news", "--translations", "bundle", "--lang", "fr")
    assert result.code == 1 and "content/news/bundle/index.fr.md: error: exists already; parkpress never overwrites content" in result.err


def test_a_page_with_a_menu_position(make_site):
    root = make_site()
    [path] = created(root, "page", "--menu", "2", "--lang", "en", "How to invest")
    assert path == root / "content/pages/how-to-invest.en.md"
    assert front_matter(path) == {"title": "How to invest", "menu": 2}
    accepted(root)
    assert 'href="../how-to-invest/index.html"' in (root / "site/en/about/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("menu", ["-5", "1001", "two"])
def test_a_menu_position_the_build_would_reject_is_refused_before_writing(make_site, capsys, menu):
    root = make_site()
    with pytest.raises(SystemExit) as exit_:
        main(["--project", str(root), "new", "page", "--menu", menu, "How to invest"])
    assert exit_.value.code == 2
    assert f"'{menu}' is not a menu position; give a whole number from 0 to 1000" in capsys.readouterr().err
    assert not (root / "content/pages/how-to-invest.en.md").exists()


def test_a_park_gets_its_facts_and_its_prose(make_site):
    root = make_site()
    paths = created(
        root, "park", "beta", "--name", "Beta Hi-Tech Zone", "--province", "Hebei", "--city", "Langfang", "--level", "state-etdz"
    )
    assert paths == [root / "content/parks/beta.yaml", root / "content/parks/beta.en.md"]
    facts = yaml.safe_load(paths[0].read_text(encoding="utf-8"))
    assert facts["name"] == "Beta Hi-Tech Zone" and facts["levels"] == ["state-etdz"] and facts["city"] == "Langfang"
    accepted(root)
    assert (root / "site/en/parks/beta/index.html").is_file()
    created(root, "park", "beta", "--translations", "--lang", "de")
    assert (root / "content/parks/beta.de.md").is_file()


def test_a_park_that_exists_or_lacks_facts_is_refused(make_site):
    root = make_site()
    result = run(root, "new", "park", "alpha", "--name", "A", "--province", "P", "--city", "C")
    assert result.code == 1 and "content/parks/alpha.yaml: error: park 'alpha' already exists" in result.err
    with pytest.raises(SystemExit) as exit_:
        run(root, "new", "park", "gamma")
    assert exit_.value.code == 2, "argparse reports the missing options with the usage line"
