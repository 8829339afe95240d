"""Random edits of a fixture site, and what tells two builds of it apart: for the property tests
of incremental builds (tests/test_incremental.py) and of serve's session (tests/test_session.py)."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

from conftest import copy_catalogs, default_files, news, park_prose, run, write_files
from hypothesis import strategies as st

from parkpress.theme.loader import BUILTIN_FOLDER

LANGS = ("en", "de", "fr")
WORDS = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).map(str.strip).filter(bool)


# --- builds compared --------------------------------------------------------------------------


def fixture_project(folder: Path) -> Path:
    """The fixture site, its theme and catalogs, in ``folder``/project."""
    root = folder / "project"
    root.mkdir()
    copy_catalogs(root)
    write_files(root, default_files())
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or retired folders a build left beside site/."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def clean_build(root: Path, where: Path, *options: str):
    """Build a fresh copy of ``root``'s sources (no cache, no site), its links and FIFOs as they are."""
    if where.exists():
        shutil.rmtree(where)
    ignore = shutil.ignore_patterns("site", ".parkpress-cache", ".site.*")
    shutil.copytree(root, where, symlinks=True, ignore=ignore, copy_function=_copy_entry)
    return run(where, "build", *options)


def _copy_entry(source: str, target: str) -> None:
    if stat.S_ISFIFO(os.lstat(source).st_mode):
        os.mkfifo(target)  # copying its bytes would wait for a writer forever
    else:
        shutil.copy2(source, target)


def differences(one: Path, other: Path) -> list[str]:
    a, b = snapshot(one), snapshot(other)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def problems(err: str) -> list[str]:
    return sorted(line for line in err.splitlines() if ": error: " in line or ": warning: " in line)


# --- edits ------------------------------------------------------------------------------------


def overridden(root: Path, rel: str) -> Path:
    """The site's own copy of the theme's file ``rel`` (templates/… or static/…), made on first use:
    an edit of the theme's look is an override, as an agency makes it."""
    path = root / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUILTIN_FOLDER / rel, path)
    return path


def touch_css(root: Path) -> None:
    """An edit that makes the next build read the content again (from the cache)."""
    with open(overridden(root, "static/site.css"), "a", encoding="utf-8") as handle:
        handle.write("\n/* touched */\n")


def news_files(root: Path) -> list[str]:
    """The news items' files, not the links and FIFOs of the edits below."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "content/news").glob("*.md") if p.is_file() and not p.is_symlink())


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
    path = overridden(root, f"templates/{name}")
    text = path.read_text(encoding="utf-8")
    mark = f"<!-- edited {data.draw(st.integers(0, 3), label='mark')} -->"
    macro = re.search(r"^\{% macro .*%\}\n", text, re.M)
    if name == "_macros.html" and macro:  # imported, not extended: the change shows where the macro is called
        text = text[: macro.end()] + mark + "\n" + text[macro.end() :]
    else:
        text += mark + "\n"
    path.write_text(text, encoding="utf-8")


def edit_catalog(root: Path, data) -> None:
    """A translation changed, or emptied: then the pages that show the label show it in English,
    and the build says so (build/untranslated.py)."""
    lang = data.draw(st.sampled_from(["de", "fr"]), label="catalog")
    path = root / f"locales/{lang}/LC_MESSAGES/messages.po"
    lines = path.read_text(encoding="utf-8").split("\n")
    candidates = [i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""']
    if candidates:
        index = data.draw(st.sampled_from(candidates), label="entry")
        emptied = data.draw(st.booleans(), label="emptied")
        lines[index] = 'msgstr ""' if emptied else lines[index][:-1] + '!"'
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


# --- edits of links, FIFOs and invalid files, each undone when drawn again -----------------------
# Where a clean build fails, the incremental one must fail alike: same problems, exit 1.


def toggled(root: Path, rel: str, make) -> None:
    """Remove ``rel`` (a file, link or FIFO) if it is there, else ``make(path)`` it."""
    path = root / rel
    if path.is_symlink() or path.exists():
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)


def toggle_dangling_link(root: Path, data) -> None:
    toggled(root, "content/news/2022-gone.en.md", lambda path: path.symlink_to("2022-missing.en.md"))


def toggle_fifo(root: Path, data) -> None:
    toggled(root, "content/news/2022-pipe.en.md", os.mkfifo)


def toggle_broken_front_matter(root: Path, data) -> None:
    broken = data.draw(st.sampled_from(["---\ntitle: [unclosed\n---\nText.\n", "---\ntitle: No end\n"]), label="front matter")
    toggled(root, "content/news/2022-broken.en.md", lambda path: path.write_text(broken, encoding="utf-8"))


def toggle_link_to_hidden_file(root: Path, data) -> None:
    write_files(root, {"content/.private/report.pdf": b"%PDF-1.7 private"})
    toggled(root, "content/news/report.pdf", lambda path: path.symlink_to("../.private/report.pdf"))


def toggle_bad_bundle_file_name(root: Path, data) -> None:
    name = data.draw(st.sampled_from(["plan?.pdf", "plan.pdf.", "con.pdf"]), label="bundle file")
    write_files(root, {"content/news/2022-bundle/index.en.md": news("Bundle", date="2022-01-05 10:00")})
    toggled(root, f"content/news/2022-bundle/{name}", lambda path: path.write_bytes(b"%PDF-1.7"))


def toggle_linked_bundle(root: Path, data) -> None:
    """A bundle linked from a folder inside content/: read, as if it were where the link is."""
    write_files(root, {"content/_shared/2022-linked/index.en.md": news("Linked", date="2022-02-05 10:00")})
    toggled(root, "content/news/2022-linked", lambda path: path.symlink_to("../_shared/2022-linked"))


def toggle_folder_link_outside(root: Path, data) -> None:
    (root.parent / "outside").mkdir(exist_ok=True)
    toggled(root, "content/news/2022-outside", lambda path: path.symlink_to("../../../outside"))


def toggle_case_twin(root: Path, data) -> None:
    """A news item, or a static file, whose name differs from another's only in letter case."""
    rel = data.draw(st.sampled_from(["content/news/2021-Alpha-Grows.en.md", "static/SITE.CSS"]), label="twin")
    toggled(root, rel, lambda path: path.write_text(news("Twin") if rel.endswith(".md") else "p {}\n", encoding="utf-8"))


HOSTILE_EDITS = [
    toggle_case_twin,
    toggle_dangling_link,
    toggle_fifo,
    toggle_broken_front_matter,
    toggle_link_to_hidden_file,
    toggle_bad_bundle_file_name,
    toggle_linked_bundle,
    toggle_folder_link_outside,
]
