"""JSON Schemas for editors: derived from the declarations the build validates with, they accept
every file of the sample site and of a new init site, reject each kind of bad input the
validator rejects, and are wired for VS Code by init."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import run
from support.fixture_site import REPO

from parkpress.commands.schemas_cmd import DOCUMENTS, schema_texts
from parkpress.content.readers import (
    PAGE_SCHEMA,
    PARK_FACTS_SCHEMA,
    PARK_PROSE_SCHEMA,
    TAXONOMY_SCHEMA,
    news_schema,
    read_document,
    read_park_facts,
    read_taxonomy,
)
from parkpress.content.sources import classify
from parkpress.core import schema as s
from parkpress.core.config import TOP_SCHEMA, load_config
from parkpress.core.jsonschema import fragment_of
from parkpress.core.problems import BuildFailed, Problems

jsonschema = pytest.importorskip("jsonschema")


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 reads it: a date is text, not a timestamp."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(name: str):
    return jsonschema.Draft202012Validator(json.loads(schema_texts()[name]))


def errors_of(name: str, data: object) -> list[str]:
    return [error.message for error in validator(name).iter_errors(data)]


def data_of(path: Path, syntax: str) -> object:
    text = path.read_text(encoding="utf-8")
    if syntax == "toml":
        return tomllib.loads(text)
    if syntax == "front matter":
        text = text.split("\n---", 1)[0].removeprefix("---")
    return yaml.load(text, Loader=Yaml12Loader) or {}


def files_of(root: Path, document) -> list[Path]:
    return sorted(path for pattern in document.files for path in root.glob(pattern) if path.is_file())


# --- the schemas themselves ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [d.name for d in DOCUMENTS])
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_texts()[name]))


def test_a_field_added_to_a_declaration_appears_in_its_schema_at_once(monkeypatch):
    monkeypatch.setitem(PAGE_SCHEMA, "weight", s.Field(s.integer(0, 9)))
    page = json.loads(schema_texts()["page.schema.json"])
    assert page["properties"]["weight"] == {"type": "integer", "minimum": 0, "maximum": 9}


def test_a_converter_that_does_not_say_what_it_accepts_is_an_error_not_an_empty_schema():
    with pytest.raises(LookupError, match="declares no JSON Schema"):
        fragment_of(lambda value: value)


# --- what they accept ---------------------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_file_of_the_sample_site_is_valid(document):
    files = files_of(REPO, document)
    if document.name == "theme.schema.json":  # the sample uses the built-in theme: check that one's
        files = sorted((REPO / "parkpress/theme").glob("*/theme.toml"))
    assert files, f"the sample has files of this kind: {document.files}"
    invalid = {str(path.relative_to(REPO)): errors_of(document.name, data_of(path, document.syntax)) for path in files}
    assert {path: errors for path, errors in invalid.items() if errors} == {}


def test_a_new_init_site_is_valid_and_wired_for_vs_code(tmp_path):
    root = tmp_path / "site"
    assert run(tmp_path, "init", str(root), "--languages", "en,de,zh", "--title", "Invest in Riverside").code == 0
    for document in DOCUMENTS:
        for path in files_of(root, document):
            assert errors_of(document.name, data_of(path, document.syntax)) == [], path
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema, patterns in settings["yaml.schemas"].items():
        assert (root / schema).is_file()
        assert all(list(root.glob(pattern)) for pattern in patterns), "each pattern names files of the site"
    directive = (root / "parkpress.toml").read_text(encoding="utf-8").splitlines()[0]
    assert directive.startswith("#:schema ") and (root / directive.split(" ", 1)[1]).is_file()
    assert json.loads((root / ".vscode/extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert run(root, "build").code == 0, "the editor's files do not disturb the build"


def test_the_schemas_command_writes_them_where_asked(tmp_path):
    assert run(tmp_path, "schemas", "--output", str(tmp_path / "out")).code == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(d.name for d in DOCUMENTS)


def test_the_schemas_command_replaces_a_symbolic_link_and_leaves_what_it_points_to(tmp_path):
    # A cloned site's .vscode/parkpress/ may hold links to the editor's own files: they are no place to write.
    outside = tmp_path / "precious.txt"
    outside.write_text("the editor's own file\n", encoding="utf-8")
    folder = tmp_path / "site/.vscode/parkpress"
    folder.mkdir(parents=True)
    (folder / "news.schema.json").symlink_to(outside)
    assert run(tmp_path / "site", "schemas").code == 0
    assert outside.read_text(encoding="utf-8") == "the editor's own file\n"
    assert not (folder / "news.schema.json").is_symlink()
    assert json.loads((folder / "news.schema.json").read_text(encoding="utf-8"))["title"]
    assert sorted(path.name for path in folder.iterdir()) == sorted(d.name for d in DOCUMENTS)


def test_the_schemas_command_writes_nothing_through_a_vscode_folder_linked_out_of_the_site(tmp_path):
    elsewhere = tmp_path / "editor-settings"
    elsewhere.mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site/.vscode").symlink_to(elsewhere)
    result = run(tmp_path / "site", "schemas")
    assert result.code == 1
    assert f".vscode/parkpress: error: leads to {elsewhere / 'parkpress'}, outside the site" in result.err
    assert list(elsewhere.iterdir()) == []
    assert run(tmp_path / "site", "schemas", "--output", str(elsewhere)).code == 0, "a folder given is the editor's choice"


def test_the_schemas_command_into_a_file_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run(tmp_path, "schemas", "--output", str(tmp_path / "notes.txt"))
    assert result.code == 1
    assert "notes.txt: error: is a file; give the name of a folder for the schemas" in result.err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


# --- what they reject: each kind of bad input the validator rejects ---------------------------------

NEWS = """\
title: Opening
date: 2024-05-16 09:25
parks: [alpha]
source: {name: Zone office, url: "https://example.org/"}
summary: A summary.
"""
FACTS = """\
name: Alpha Zone
levels: [state-etdz]
province: Tianjin
city: Tianjin
founded: 1991
industries: [biomedicine]
figures:
  - {kind: enterprises, value: 1200, year: 2021}
rankings:
  - {list: top100, year: 2021, rank: 12}
contact: {office: Office, email: invest@example.org}
"""
TAXONOMY = """\
industries: {biomedicine: Biomedicine}
levels: {state-etdz: State-level zone}
rankings:
  top100: {label: Top 100, publisher: Ministry, editions: [{year: 2021}]}
"""
PAGE = "title: About\nmenu: 3\nslug: about-us\n"
PROFILE = "title: Alpha\nsummary: A park.\ncontact: {office: Büro}\n"
CONFIG = """\
[site]
base_url = "https://invest.example.org/"
default_language = "en"
timezone = "Asia/Shanghai"

[languages.en]
name = "English"
locale = "en"
title = "Invest"

[languages.en.slugs]
news = "news"
"""
ZONE = ZoneInfo("Asia/Shanghai")
TZ = 'timezone = "Asia/Shanghai"'  # a line of CONFIG after which a [site] key can be added
PARKS = "parks: [alpha]"  # a line of NEWS after which a field can be added

# document -> (where the build reads such a file, a valid text, syntax)
KINDS = {
    "news.schema.json": ("content/news/opening.en.md", NEWS, "yaml"),
    "park-facts.schema.json": ("content/parks/alpha.yaml", FACTS, "yaml"),
    "taxonomy.schema.json": ("content/taxonomy.yaml", TAXONOMY, "yaml"),
    "page.schema.json": ("content/pages/about.en.md", PAGE, "yaml"),
    "park-profile.schema.json": ("content/parks/alpha.en.md", PROFILE, "yaml"),
    "parkpress.schema.json": ("parkpress.toml", CONFIG, "toml"),
}

# (document, what is wrong, the valid text's line -> the bad one)
BAD = [
    ("news.schema.json", "an unknown field", ("summary: A summary.", "summary: A summary.\nsumary: typo")),
    ("news.schema.json", "a required field missing", ("title: Opening\n", "")),
    ("news.schema.json", "an empty text", ("title: Opening", "title: '  '")),
    ("news.schema.json", "a control character", ("title: Opening", 'title: "Open\\x07ing"')),
    ("news.schema.json", "a date that is no date", ("date: 2024-05-16 09:25", "date: 16 May 2024")),
    ("news.schema.json", "a year out of range", ("date: 2024-05-16 09:25", "date: 1850-05-16")),
    ("news.schema.json", "a source address that is not one", ('url: "https://example.org/"', 'url: "ftp://example.org/"')),
    ("news.schema.json", "a bad slug", (PARKS, PARKS + "\nslug: Not A Slug")),
    ("news.schema.json", "parks that are not keys", ("parks: [alpha]", "parks: {alpha: 1}")),
    (
        "news.schema.json",
        "a translation record's digest",
        (PARKS, PARKS + "\ntranslation_of: {file: news/a.en.md, digest: abc}"),
    ),
    (
        "news.schema.json",
        "a translation record's part digests",
        (PARKS, PARKS + f"\ntranslation_of: {{file: news/a.en.md, digest: {'a' * 64}, parts: title-changed}}"),
    ),
    (
        "news.schema.json",
        "a translation record leaving content/",
        (PARKS, PARKS + f"\ntranslation_of: {{file: ../a.en.md, digest: {'a' * 64}}}"),
    ),
    ("park-facts.schema.json", "a number as text", ("value: 1200", "value: '1,200'")),
    ("park-facts.schema.json", "a founding year out of range", ("founded: 1991", "founded: 1700")),
    ("park-facts.schema.json", "a unit it does not know", ("value: 1200,", "value: 1200, unit: acres,")),
    ("park-facts.schema.json", "a currency that is no ISO code", ("value: 1200,", "amount: 5, currency: yuan,")),
    ("park-facts.schema.json", "a flag that is not true or false", ("value: 1200,", "value: 1200, target: 'yes',")),
    ("park-facts.schema.json", "a rank below 1", ("rank: 12", "rank: 0")),
    ("park-facts.schema.json", "a bad e-mail address", ("email: invest@example.org", "email: invest-at-example")),
    ("park-facts.schema.json", "an unknown field in a figure", ("value: 1200,", "value: 1200, colour: red,")),
    ("park-facts.schema.json", "figures that are not a list", ("  - {kind: enterprises, value: 1200, year: 2021}", "  kind: enterprises")),
    ("taxonomy.schema.json", "a label key that is no slug", ("biomedicine: Biomedicine", "Bio Medicine: Biomedicine")),
    ("taxonomy.schema.json", "a ranking list key that is no slug", ("  top100:", "  Top_100:")),
    ("taxonomy.schema.json", "a ranking list without its publisher", ("publisher: Ministry, ", "")),
    ("page.schema.json", "a menu position out of range", ("menu: 3", "menu: -5")),
    ("park-profile.schema.json", "an unknown contact field", ("office: Büro", "office: Büro, fax: 1")),
    ("parkpress.schema.json", "a site address with credentials", ('"https://invest.example.org/"', '"https://me:pw@invest.example.org/"')),
    ("parkpress.schema.json", "a site address with a fragment", ('"https://invest.example.org/"', '"https://invest.example.org/#top"')),
    ("parkpress.schema.json", "a language code in capitals", ("[languages.en]", "[languages.EN]")),
    ("parkpress.schema.json", "a locale that is no locale", ('locale = "en"', 'locale = "english please"')),
    ("parkpress.schema.json", "a direction that is none", ('locale = "en"', 'locale = "en"\ndirection = "up"')),
    ("parkpress.schema.json", "a hidden output folder", (TZ, TZ + '\noutput_dir = ".git"')),
    (
        "parkpress.schema.json",
        "an output folder outside",
        (TZ, TZ + '\noutput_dir = "../www"'),
    ),
    (
        "parkpress.schema.json",
        "a share image that is SVG",
        (TZ, TZ + '\nimage = "static/logo.svg"'),
    ),
    ("parkpress.schema.json", "a description too long", ('title = "Invest"', f'title = "Invest"\ndescription = "{"x" * 301}"')),
    ("parkpress.schema.json", "a section slug that is none", ('news = "news"', 'news = "Neuigkeiten!"')),
    (
        "parkpress.schema.json",
        "a number of news per page out of range",
        (TZ, TZ + "\nnews_per_page = 0"),
    ),
]


def validator_problems(root: Path, rel: str, text: str) -> list[str]:
    """What the build's own reader says about ``text`` as the file ``rel`` of a site in ``root``."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if rel == "parkpress.toml":
        path.write_text(text, encoding="utf-8")
        try:
            load_config(root)
        except BuildFailed as failed:
            return [str(problem) for problem in failed.problems]
        return []
    path.write_text(f"---\n{text}---\nBody.\n" if rel.endswith(".md") else text, encoding="utf-8")
    problems = Problems(root)
    source = classify(str(path), rel.removeprefix("content/"), rel, ("en",), problems)
    if source.kind == "markdown":
        read_document(source, ZONE, problems)
    elif source.kind == "facts":
        read_park_facts(source, problems)
    else:
        read_taxonomy(source, problems)
    return [str(problem) for problem in problems.items]


def as_data(text: str, syntax: str) -> object:
    return tomllib.loads(text) if syntax == "toml" else yaml.load(text, Loader=Yaml12Loader)


@pytest.mark.parametrize("name", KINDS)
def test_the_valid_examples_are_valid_for_both(tmp_path, name):
    rel, text, syntax = KINDS[name]
    assert validator_problems(tmp_path, rel, text) == []
    assert errors_of(name, as_data(text, syntax)) == []


def test_a_translation_record_as_i18n_done_writes_it_is_valid_for_both(tmp_path):
    record = f"translation_of:\n  file: news/opening.de.md\n  digest: {'3f' * 32}\n  parts: 1a2b3c4d 5e6f7a8b 00000000\n"
    assert validator_problems(tmp_path, "content/news/opening.en.md", NEWS + record) == []  # the reader takes any language
    assert errors_of("news.schema.json", as_data(NEWS + record, "yaml")) == []


@pytest.mark.parametrize(("name", "wrong", "change"), BAD, ids=[f"{name.split('.')[0]}: {wrong}" for name, wrong, _ in BAD])
def test_what_the_validator_rejects_the_schema_rejects(tmp_path, name, wrong, change):
    rel, text, syntax = KINDS[name]
    old, new = change
    assert text.count(old) == 1, f"the example has the line to change once: {old!r}"
    bad = text.replace(old, new)
    assert validator_problems(tmp_path, rel, bad), f"the build refuses {wrong}"
    assert errors_of(name, as_data(bad, syntax)), f"the JSON Schema refuses {wrong} too"


def test_the_documents_name_every_declaration_the_readers_validate_with():
    declared = {id(d.schema) for d in DOCUMENTS}
    assert {id(PARK_FACTS_SCHEMA), id(TAXONOMY_SCHEMA), id(PAGE_SCHEMA), id(PARK_PROSE_SCHEMA), id(TOP_SCHEMA)} <= declared
    news = next(d for d in DOCUMENTS if d.name == "news.schema.json")
    assert set(news.schema) == set(news_schema(ZONE)), "the news schema is the readers' own, whatever the zone"
    assert all(re.fullmatch(r"[a-z-]+\.schema\.json", d.name) for d in DOCUMENTS)
