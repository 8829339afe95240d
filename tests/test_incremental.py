"""Incremental builds: a build after edits gives exactly the site a clean build gives, and
writes only the files whose bytes change.

The cache lives in <project>/.parkpress-cache/; the site in site/.  "Clean" means a fresh
copy of the sources with no cache and no site.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from conftest import copy_theme, default_files, news, park_prose, run, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parkpress
from parkpress import builder, cache, memo, planner

LANGS = ("en", "de", "fr")
WORDS = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).map(str.strip).filter(bool)


# --- helpers ---------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or retired folders a build left beside site/."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def build(root: Path) -> None:
    result = run(root, "build")
    assert result.code == 0, result.err


def stats(site: Path) -> dict[str, tuple[int, int]]:
    """Every file's (inode, mtime): what a build that rewrites nothing leaves alone."""
    found = {}
    for folder, _, names in os.walk(site):
        for name in names:
            info = os.stat(Path(folder) / name)
            found[(Path(folder) / name).relative_to(site).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


def clean_build(root: Path, where: Path):
    """Build a fresh copy of ``root``'s sources (no cache, no site)."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(root, where, ignore=shutil.ignore_patterns("site", ".parkpress-cache", ".site.*"))
    return run(where, "build")


def differences(one: Path, other: Path) -> list[str]:
    a, b = snapshot(one), snapshot(other)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def assert_like_clean(root: Path) -> None:
    result = clean_build(root, root.parent / "clean")
    assert result.code == 0, result.err
    assert differences(root / "site", root.parent / "clean" / "site") == []


def problems(err: str) -> list[str]:
    return sorted(line for line in err.splitlines() if ": error: " in line or ": warning: " in line)


# --- a second build, one edit ---------------------------------------------------------------


def test_a_second_build_with_nothing_changed_writes_nothing_and_keeps_the_site_folder(make_site):
    root = make_site()
    build(root)
    before, folder = stats(root / "site"), (root / "site").stat().st_ino
    result = run(root, "build")
    assert result.code == 0
    assert " 0 written" in result.out
    assert stats(root / "site") == before
    assert (root / "site").stat().st_ino == folder  # not even swapped


def test_saving_a_file_unchanged_rewrites_nothing(make_site):
    root = make_site()
    build(root)
    before, folder = stats(root / "site"), (root / "site").stat().st_ino
    path = root / "content/news/2021-alpha-grows.en.md"
    path.write_bytes(path.read_bytes())  # a new modification time, the same bytes
    build(root)
    assert stats(root / "site") == before
    assert (root / "site").stat().st_ino == folder


def test_one_edited_news_item_rewrites_only_the_pages_whose_bytes_change(make_site):
    root = make_site()
    build(root)
    before_bytes, before = snapshot(root / "site"), stats(root / "site")
    path = root / "content/news/2021-alpha-grows.de.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Ein neuer Absatz."), encoding="utf-8")
    build(root)
    after_bytes, after = snapshot(root / "site"), stats(root / "site")
    changed = {rel for rel in after_bytes if after_bytes[rel] != before_bytes.get(rel)}
    rewritten = {rel for rel in after if after[rel] != before.get(rel)}
    assert rewritten == changed
    assert "de/nachrichten/2021-alpha-grows/index.html" in changed
    assert not any(rel.startswith(("en/", "fr/")) for rel in changed)  # the other languages keep every file


def test_an_edited_title_reaches_every_page_that_shows_the_item(make_site):
    root = make_site()
    build(root)
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows fast")})
    build(root)
    assert_like_clean(root)
    for page in ("en/index.html", "en/news/index.html", "en/parks/alpha/index.html", "en/feed.xml", "en/news/2020-alpha-ranked/index.html"):
        assert "Alpha grows fast" in (root / "site" / page).read_text(encoding="utf-8"), page


def planned_articles(monkeypatch, root: Path) -> list[tuple[str, str]]:
    """Build ``root`` in this process; (language, key) of every news item page it planned."""
    planned = []
    article = planner.LanguagePlanner.article

    def spy(self, entry):
        planned.append((self.lang, entry.key))
        return article(self, entry)

    monkeypatch.setattr(planner.LanguagePlanner, "article", spy)
    builder.build(root)
    monkeypatch.undo()
    return sorted(planned)


def test_an_edit_of_an_items_text_plans_only_its_own_page(make_site, monkeypatch):
    root = make_site()
    build(root)
    path = root / "content/news/2021-alpha-grows.de.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Ein neuer Absatz."), encoding="utf-8")
    assert planned_articles(monkeypatch, root) == [("de", "2021-alpha-grows")]
    assert_like_clean(root)


def test_an_edited_title_plans_the_pages_that_show_the_item(make_site, monkeypatch):
    root = make_site()
    build(root)
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows fast")})
    # The older item's page links to it as its newer neighbour and lists it as related.
    assert planned_articles(monkeypatch, root) == [("en", "2020-alpha-ranked"), ("en", "2021-alpha-grows")]
    assert_like_clean(root)


def test_a_new_date_plans_the_whole_site(make_site, monkeypatch):
    root = make_site()
    build(root)
    path = root / "content/news/2021-alpha-grows.en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-07-15", "2019-01-02"), encoding="utf-8")
    everything = [("de", "2021-alpha-grows"), ("en", "2020-alpha-ranked"), ("en", "2021-alpha-grows"), ("fr", "2021-alpha-grows")]
    assert planned_articles(monkeypatch, root) == everything
    assert_like_clean(root)


def test_a_deleted_site_folder_is_built_again_in_full(make_site):
    root = make_site()
    build(root)
    expected = snapshot(root / "site")
    shutil.rmtree(root / "site")
    build(root)
    assert snapshot(root / "site") == expected


def test_a_file_changed_by_hand_in_the_site_is_put_right(make_site):
    root = make_site()
    build(root)
    page = root / "site/en/news/2021-alpha-grows/index.html"
    expected = page.read_bytes()
    page.write_text("changed by hand")
    (root / "site/en/stray.html").write_text("not ours")
    build(root)
    assert page.read_bytes() == expected
    assert not (root / "site/en/stray.html").exists()


def test_a_build_that_fails_leaves_the_cache_able_to_build_the_fixed_site(make_site):
    root = make_site()
    build(root)
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows", parks="[nowhere]")})
    assert run(root, "build").code == 1
    write_files(root, {"content/news/2021-alpha-grows.en.md": news("Alpha grows again")})
    build(root)
    assert_like_clean(root)
    assert leftovers(root) == []


# --- a cache that cannot be trusted ----------------------------------------------------------


def poison(root: Path, title: str) -> None:
    """Replace every parsed document in the cache with one titled ``title``."""
    memo._READ.clear()  # builds run in this process, which keeps what it unpickled: it trusts the file not to change under it
    with sqlite3.connect(root / ".parkpress-cache" / cache.FILE) as db:
        for key, value in db.execute("SELECT key, value FROM docs").fetchall():
            doc, found = pickle.loads(value)
            fake = type(doc)(doc.section, doc.key, doc.lang, {**doc.meta, "title": title}, doc.body, doc.rel, doc.lines, doc.body_line)
            db.execute("UPDATE docs SET value = ? WHERE key = ?", (pickle.dumps((fake, found)), key))
        db.execute("UPDATE meta SET value = randomblob(16) WHERE name = 'generation'")  # as every writer does


def touch_css(root: Path) -> None:
    """An edit that makes the next build read the content again (from the cache)."""
    with open(root / "static/site.css", "a", encoding="utf-8") as handle:
        handle.write("\n/* touched */\n")


def test_the_cache_is_what_an_unchanged_file_is_read_from(make_site):
    # The control for the two tests below: a cache that is trusted is used.
    root = make_site()
    build(root)
    poison(root, "Poisoned")
    touch_css(root)
    build(root)
    assert "Poisoned" in (root / "site/en/news/index.html").read_text(encoding="utf-8")


def test_a_cache_of_another_parkpress_version_is_not_used(make_site, monkeypatch):
    root = make_site()
    build(root)
    poison(root, "Poisoned")
    touch_css(root)
    monkeypatch.setattr(parkpress, "__version__", parkpress.__version__ + ".1")
    build(root)
    assert "Poisoned" not in (root / "site/en/news/index.html").read_text(encoding="utf-8")
    assert_like_clean(root)


def test_a_corrupt_cache_means_a_clean_build(make_site):
    root = make_site()
    build(root)
    (root / ".parkpress-cache" / cache.FILE).write_bytes(b"not a database" * 100)
    touch_css(root)
    build(root)
    assert_like_clean(root)


# --- the property: any edits, then an incremental build equals a clean build ----------------


def news_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "content/news").glob("*.md"))


def pick(data, options: list, label: str):
    return data.draw(st.sampled_from(options), label=label) if options else None


def edit_news_text(root: Path, data) -> None:
    rel = pick(data, news_files(root), "news file")
    if rel is None:
        return
    path = root / rel
    text = path.read_text(encoding="utf-8")
    field = data.draw(st.sampled_from(["title", "summary", "source", "body", "unsafe link", "date"]), label="field")
    words = data.draw(WORDS, label="words")
    if field == "body":
        text = text + f"\n{words}\n"
    elif field == "unsafe link":  # a warning, which builds that do not plan this page again must still give
        text = text + f"\n[{words}](javascript:alert(1))\n"
    elif field == "source":
        text = re.sub(r"^  name: .*$", f"  name: {words}", text, count=1, flags=re.M)
    elif field == "date":
        day = data.draw(st.integers(1, 28), label="day")
        text = re.sub(r"^date: .*$", f"date: 2021-0{1 + day % 9}-{day:02d} 10:00", text, count=1, flags=re.M)
    else:
        text = re.sub(rf"^{field}: .*$", f"{field}: {words}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def edit_news_same_size(root: Path, data) -> None:
    """One letter for another, moments after the last build: same size, maybe the same mtime."""
    rel = pick(data, news_files(root), "news file")
    if rel is None:
        return
    path = root / rel
    text = path.read_text(encoding="utf-8")
    letter = data.draw(st.sampled_from("xyz"), label="letter")
    head, sep, body = text.rpartition("---\n")
    position = next((i for i, c in enumerate(body) if c.isalpha() and c != letter), None)
    if position is not None:
        path.write_text(head + sep + body[:position] + letter + body[position + 1 :], encoding="utf-8")


def add_news(root: Path, data) -> None:
    key = data.draw(st.sampled_from(["item-a", "item-b", "2020-alpha-ranked", "2021-alpha-grows"]), label="key")
    langs = data.draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=3, unique=True), label="langs")
    parks = "[alpha, beta]" if (root / "content/parks/beta.yaml").exists() and data.draw(st.booleans(), label="beta") else "[alpha]"
    link = data.draw(
        st.sampled_from(["", " See [the other item](2020-alpha-ranked.md).", " See [Alpha](../parks/alpha.md)."]), label="link"
    )
    day = data.draw(st.integers(1, 28), label="day")
    for lang in langs:
        title = f"{data.draw(WORDS, label='title')} {lang}"
        write_files(
            root, {f"content/news/{key}.{lang}.md": news(title, date=f"2022-03-{day:02d} 08:00", parks=parks, body="Words." + link)}
        )


def delete_news(root: Path, data) -> None:
    rel = pick(data, news_files(root), "news file")
    if rel is not None:
        (root / rel).unlink()


def rename_news(root: Path, data) -> None:
    rel = pick(data, news_files(root), "news file")
    if rel is None:
        return
    key = Path(rel).name.split(".")[0]
    new = data.draw(st.sampled_from(["renamed-a", "renamed-b"]), label="new key")
    for lang in LANGS:
        old = root / f"content/news/{key}.{lang}.md"
        if old.exists():
            old.rename(root / f"content/news/{new}.{lang}.md")


def edit_park(root: Path, data) -> None:
    choice = data.draw(st.sampled_from(["figure", "founded", "rank", "prose", "summary", "add beta", "remove beta"]), label="park edit")
    facts = root / "content/parks/alpha.yaml"
    text = facts.read_text(encoding="utf-8")
    if choice == "figure":
        facts.write_text(text.replace("value: 1500", f"value: {data.draw(st.integers(1, 9999), label='value')}"), encoding="utf-8")
    elif choice == "founded":
        facts.write_text(re.sub(r"founded: \d+", f"founded: {data.draw(st.integers(1980, 2020), label='year')}", text), encoding="utf-8")
    elif choice == "rank":
        facts.write_text(text.replace("rank: 40", f"rank: {data.draw(st.integers(1, 99), label='rank')}"), encoding="utf-8")
    elif choice == "prose":
        lang = data.draw(st.sampled_from(LANGS), label="lang")
        write_files(
            root, {f"content/parks/alpha.{lang}.md": park_prose(data.draw(WORDS, label="title"), data.draw(WORDS, label="summary"))}
        )
    elif choice == "summary":
        prose = root / f"content/parks/alpha.{data.draw(st.sampled_from(LANGS), label='lang')}.md"
        summary = f"summary: {data.draw(WORDS, label='summary')}"
        prose.write_text(re.sub(r"^summary: .*$", summary, prose.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    elif choice == "add beta":
        beta = text.replace("Alpha Development Zone", "Beta Zone").replace("biomedicine]", "logistics]")
        write_files(root, {"content/parks/beta.yaml": beta, "content/parks/beta.en.md": park_prose("Beta Zone")})
    else:  # news that name beta make this build fail, in both builds
        write_files(root, {"content/parks/beta.yaml": None, "content/parks/beta.en.md": None})


def edit_template(root: Path, data) -> None:
    name = data.draw(st.sampled_from(["base.html", "_macros.html", "news.html", "feed.xml"]), label="template")
    path = root / "templates" / name
    text = path.read_text(encoding="utf-8")
    mark = f"<!-- edited {data.draw(st.integers(0, 3), label='mark')} -->"
    macro = re.search(r"^\{% macro .*%\}\n", text, re.M)
    if name == "_macros.html" and macro:  # imported, not extended: the change shows where the macro is called
        text = text[: macro.end()] + mark + "\n" + text[macro.end() :]
    else:
        text += mark + "\n"
    path.write_text(text, encoding="utf-8")


def edit_catalog(root: Path, data) -> None:
    lang = data.draw(st.sampled_from(["de", "fr"]), label="catalog")
    path = root / f"locales/{lang}/LC_MESSAGES/messages.po"
    lines = path.read_text(encoding="utf-8").split("\n")
    candidates = [i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""']
    if candidates:
        index = data.draw(st.sampled_from(candidates), label="entry")
        lines[index] = lines[index][:-1] + '!"'
        path.write_text("\n".join(lines), encoding="utf-8")


def edit_other(root: Path, data) -> None:
    choice = data.draw(st.sampled_from(["css", "page size", "touch"]), label="other")
    if choice == "css":
        touch_css(root)
    elif choice == "page size":
        config = root / "parkpress.toml"
        text = config.read_text(encoding="utf-8")
        size = 3 if "news_per_page = 2" in text else 2
        config.write_text(re.sub(r"news_per_page = \d+", f"news_per_page = {size}", text), encoding="utf-8")
    else:
        for rel in news_files(root)[:2]:
            (root / rel).write_bytes((root / rel).read_bytes())


EDITS = [edit_news_text, edit_news_same_size, add_news, delete_news, rename_news, edit_park, edit_template, edit_catalog, edit_other]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_after_any_edits_an_incremental_build_equals_a_clean_build(data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        copy_theme(root)
        write_files(root, default_files())
        build(root)
        for step in range(data.draw(st.integers(1, 4), label="steps")):
            for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=2), label=f"edits {step}"):
                edit(root, data)
            incremental = run(root, "build")
            clean = clean_build(root, Path(tmp) / "clean")
            assert (incremental.code, problems(incremental.err)) == (clean.code, problems(clean.err))
            if clean.code == 0:
                assert differences(root / "site", Path(tmp) / "clean" / "site") == []
            assert leftovers(root) == []
