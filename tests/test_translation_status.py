"""Translations record which version of their source they translate; check says when it changed."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import news, run


def _english(root, body="Body text.", parks="[alpha]", date="2021-07-15 10:00", title="Alpha grows"):
    (root / "content/news/2021-alpha-grows.en.md").write_text(news(title, date=date, parks=parks, body=body), encoding="utf-8")


THREE_PARAGRAPHS = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def _german_made_now(root):
    (root / "content/news/2021-alpha-grows.de.md").unlink()
    assert run(root, "new", "news", "--translations", "2021-alpha-grows", "--lang", "de").code == 0
    return root / "content/news/2021-alpha-grows.de.md"


def _digests_masked(text):
    return re.sub(r"(digest|parts): [0-9a-f ]+\n", r"\1: X\n", text)


def _outdated_warnings(root):
    return [line for line in (lambda r: r.out + r.err)(run(root, "check")).splitlines() if "text changed since this translation" in line]


def test_new_translations_records_the_source_and_its_digest(make_site):
    root = make_site()
    german = _german_made_now(root).read_text(encoding="utf-8")
    assert "translation_of:\n  file: news/2021-alpha-grows.en.md\n  digest: " in german
    assert re.search(r"\n  parts: [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8}\n---", german)  # title, summary, the one paragraph
    assert _outdated_warnings(root) == []


def test_check_names_the_parts_of_the_source_that_changed(make_site):
    root = make_site()
    _english(root, body=THREE_PARAGRAPHS)
    _german_made_now(root)
    _english(root, title="Alpha grows fast", body="First paragraph.\n\nSecond paragraph, corrected.\n\nThird paragraph.\n\nA fourth.")
    [warning] = _outdated_warnings(root)
    assert warning.startswith("content/news/2021-alpha-grows.de.md:9: warning: the English text changed since this translation ")
    assert "(the title, the summary, paragraph 2, paragraph 4 (new)); " in warning
    assert "'parkpress i18n diff content/news/2021-alpha-grows.de.md' shows how" in warning


def test_check_counts_removed_paragraphs_and_numbers_them_as_the_source_now_does(make_site):
    root = make_site()
    _english(root, body=THREE_PARAGRAPHS)
    _german_made_now(root)
    _english(root, body="Second paragraph.\n\nThird paragraph, longer.")
    [warning] = _outdated_warnings(root)
    assert "(paragraph 2, 1 paragraph removed)" in warning


def test_a_record_from_before_part_digests_still_says_outdated_but_not_where(make_site):
    root = make_site()
    german = _german_made_now(root)
    german.write_text(re.sub(r"  parts: [0-9a-f ]+\n", "", german.read_text(encoding="utf-8")), encoding="utf-8")
    assert _outdated_warnings(root) == []  # the digest alone still says current
    _english(root, body="A corrected paragraph.")
    [warning] = _outdated_warnings(root)
    assert "(the title, the summary or the body: the record is older than part digests and cannot say which)" in warning
    assert run(root, "i18n", "done", str(german)).code == 0
    assert "\n  parts: " in german.read_text(encoding="utf-8")  # renewed records say where next time


def test_malformed_part_digests_are_an_error_at_their_line(make_site):
    digest = "0" * 64
    record = f"translation_of:\n  file: news/2021-alpha-grows.en.md\n  digest: {digest}\n  parts: title-changed\n"
    root = make_site({"content/news/2021-alpha-grows.de.md": news("Alpha wächst", extra=record)})
    result = run(root, "check")
    assert result.code == 1
    assert "content/news/2021-alpha-grows.de.md:12: error: 'translation_of.parts' must be the digests of the source's title" in result.out


def test_a_changed_english_paragraph_makes_the_german_outdated_until_i18n_done(make_site):
    root = make_site()
    german = _german_made_now(root)
    _english(root, body="Body text, corrected: 40 firms, not 30.")
    [warning] = _outdated_warnings(root)
    assert warning.startswith("content/news/2021-alpha-grows.de.md:")
    assert "English text changed" in warning
    translated = german.read_text(encoding="utf-8").replace("Body text.", "Text des Artikels.")
    german.write_text(translated, encoding="utf-8")
    assert run(root, "i18n", "done", str(german)).code == 0
    after = german.read_text(encoding="utf-8")
    assert _digests_masked(after) == _digests_masked(translated)  # only the record's digests were rewritten
    assert _outdated_warnings(root) == []


def test_a_change_of_parks_or_date_keeps_the_translation_current(make_site):
    root = make_site()
    _german_made_now(root)
    _english(root, parks="[]", date="2021-07-16 10:00")
    assert _outdated_warnings(root) == []


def test_strict_check_fails_on_an_outdated_translation(make_site):
    root = make_site()
    _german_made_now(root)
    _english(root, body="A new paragraph.")
    assert run(root, "check", "--strict").code == 1


def test_a_malformed_record_is_an_error_at_its_line(make_site):
    root = make_site(
        {"content/news/2021-alpha-grows.de.md": news("Alpha wächst", extra="translation_of:\n  file: /etc/passwd\n  digest: 12ab\n")}
    )
    result = run(root, "check")
    assert result.code == 1
    assert "content/news/2021-alpha-grows.de.md:10: error: 'translation_of.file'" in result.out + result.err
    assert "content/news/2021-alpha-grows.de.md:11: error: 'translation_of.digest'" in result.out + result.err


def test_i18n_done_refuses_the_original(make_site):
    root = make_site()
    result = run(root, "i18n", "done", str(root / "content/news/2021-alpha-grows.en.md"))
    assert result.code == 1
    assert "content/news/2021-alpha-grows.en.md:1: error: this is the item's original" in result.out + result.err


def test_i18n_status_counts_and_lists_per_language(make_site):
    root = make_site()
    _german_made_now(root)
    _english(root, body="A corrected paragraph.")
    result = run(root, "i18n", "status", "--format", "json")
    assert result.code == 0
    german = json.loads(result.out)["de"]
    assert german["outdated"] == ["content/news/2021-alpha-grows.de.md"]
    assert german["changed"] == {"content/news/2021-alpha-grows.de.md": ["paragraph 1"]}
    assert "content/parks/alpha.de.md" in german["unknown"]
    assert german["missing"] == ["content/news/2020-alpha-ranked.de.md", "content/pages/about.de.md"]
    text = run(root, "i18n", "status", "--strict")
    assert text.code == 1
    assert "de: 0 current, 1 outdated, 1 unknown, 2 missing" in text.out
    assert "  outdated: content/news/2021-alpha-grows.de.md (paragraph 1)\n" in text.out


def test_the_german_page_of_an_outdated_translation_says_so_and_links_the_original(make_site):
    root = make_site()
    _german_made_now(root)
    page = root / "site/de/nachrichten/2021-alpha-grows/index.html"
    assert run(root, "build").code == 0
    assert 'role="note"' not in page.read_text(encoding="utf-8")
    (root / "content/news/2021-alpha-grows.en.md").write_text(
        news("Alpha grows", extra="updated: 2024-05-12 10:00\n", body="A corrected paragraph."), encoding="utf-8"
    )
    assert run(root, "build").code == 0  # an incremental build: the notice comes with the source's edit
    html = page.read_text(encoding="utf-8")
    assert '<p role="note" class="outdated-notice">Diese Übersetzung ist älter als das Original auf <a href="' in html
    assert "Englisch</a> (aktualisiert am 12. Mai 2024)." in html
    write_off = (root / "parkpress.toml").read_text(encoding="utf-8").replace("[site]\n", "[site]\noutdated_notice = false\n")
    (root / "parkpress.toml").write_text(write_off, encoding="utf-8")
    assert run(root, "build").code == 0
    assert 'role="note"' not in page.read_text(encoding="utf-8")


def _git(root, *args):
    identity = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=root, check=True, capture_output=True)


def _committed_site(make_site):
    """A site in a git repository whose English item has three paragraphs and a German translation of them."""
    root = make_site()
    _english(root, body=THREE_PARAGRAPHS)
    german = _german_made_now(root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "English and German")
    return root, german


def test_i18n_diff_shows_the_changed_paragraph_old_and_new_from_git_history(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="First paragraph.\n\nSecond paragraph, corrected:\n40 firms, not 30.\n\nThird paragraph.")
    _git(root, "commit", "-q", "-am", "Correct the figure")
    _english(root, body="First paragraph.\n\nSecond paragraph, corrected:\n40 firms, not 30.\n\nThird paragraph.\n\nNot committed yet.")
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 0, result.err
    head, *lines = result.out.splitlines()
    assert head.startswith("content/news/2021-alpha-grows.de.md translates content/news/2021-alpha-grows.en.md as committed in ")
    assert head.endswith("since then the English text changed: paragraph 2, paragraph 4 (new)")
    assert lines[2:] == [
        "title: unchanged",
        "summary: unchanged",
        "paragraph 1: unchanged",
        "paragraph 2:",
        "- Second paragraph.",
        "+ Second paragraph, corrected:",
        "+ 40 firms, not 30.",
        "paragraph 3: unchanged",
        "paragraph 4 (new):",
        "+ Not committed yet.",
    ]


def test_i18n_diff_of_a_current_translation_says_so(make_site):
    root, german = _committed_site(make_site)
    _english(root, body=THREE_PARAGRAPHS, parks="[]")  # a fact, not text
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 0
    assert result.out == "content/news/2021-alpha-grows.de.md: current: the English text has not changed since this translation\n"


def test_i18n_diff_outside_a_git_repository_says_it_cannot_tell_how(make_site, monkeypatch):
    root = make_site()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))  # even if the temporary folder lies in a repository
    german = _german_made_now(root)
    _english(root, body="A corrected paragraph.")
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 1
    assert (
        "content/news/2021-alpha-grows.de.md:9: error: content/news/2021-alpha-grows.en.md is not in a git repository: "
        "parkpress can tell that the English text changed but not how; compare with your copy of the source"
    ) in result.err


def test_i18n_diff_when_no_committed_version_has_the_recorded_text(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="Translated from this, never committed.")
    assert run(root, "i18n", "done", str(german)).code == 0
    _english(root, body="And changed again.")
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 1
    assert "error: no version of content/news/2021-alpha-grows.en.md in its git history has the text this translation records" in result.err


def test_i18n_diff_without_git_says_so(make_site, monkeypatch):
    root, german = _committed_site(make_site)
    _english(root, body="A corrected paragraph.")
    monkeypatch.setenv("PATH", str(root / "no-programs-here"))
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 1
    assert "error: git is not installed (or not on PATH): parkpress can tell that the English text changed but not how" in result.err


def test_i18n_diff_follows_a_renamed_source_through_git_history(make_site):
    root, _ = _committed_site(make_site)
    for lang in ("en", "de", "fr"):
        _git(root, "mv", f"content/news/2021-alpha-grows.{lang}.md", f"content/news/2021-alpha-grows-fast.{lang}.md")
    english = root / "content/news/2021-alpha-grows-fast.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace("Third paragraph.", "Third, longer paragraph."), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "A better slug, and a longer paragraph")  # only the old name has the translated text
    result = run(root, "i18n", "diff", str(root / "content/news/2021-alpha-grows-fast.de.md"))
    assert result.code == 0, result.err
    assert result.out.splitlines()[-3:] == ["paragraph 3:", "- Third paragraph.", "+ Third, longer paragraph."]


def test_i18n_diff_shows_no_escape_sequence_of_the_text_to_the_terminal(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="First paragraph.\n\nSecond \x1b]0;owned\x07\x1b[2J paragraph.\n\nThird paragraph.")
    _git(root, "commit", "-q", "-am", "A paragraph with terminal escapes")
    assert run(root, "i18n", "done", str(german)).code == 0
    _english(root, body="First paragraph.\n\nSecond \x1b]0;owned\x07\x1b[2J paragraph, longer.\n\nThird paragraph.")
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "+ Second \\x1b]0;owned\\x07\\x1b[2J paragraph, longer." in result.out.splitlines()


def _trap(root):
    """A program that leaves a mark when it runs, for a hostile repository's configuration to name."""
    program = root.parent / "trap.sh"
    program.write_text(f"#!/bin/sh\necho ran >> {root.parent / 'trap-ran'}\nexit 1\n", encoding="utf-8")
    program.chmod(0o755)
    return program, root.parent / "trap-ran"


def _signed_head(root):
    """HEAD again, as a commit that carries a (fake) signature: git log --show-signature runs gpg.program on it."""

    def git_out(*args):
        return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()

    tree, parent = git_out("rev-parse", "HEAD^{tree}"), git_out("rev-parse", "HEAD~1")
    body = (
        f"tree {tree}\nparent {parent}\nauthor E <e@example.org> 1700000000 +0000\ncommitter E <e@example.org> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\nSigned\n"
    )
    signed = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=body, check=True, capture_output=True, text=True
    )
    _git(root, "update-ref", "HEAD", signed.stdout.strip())


def test_i18n_diff_runs_no_program_a_repositorys_configuration_names(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="First paragraph.\n\nSecond paragraph.\n\nThird paragraph, longer.")
    _git(root, "commit", "-q", "-am", "Longer")
    _signed_head(root)
    program, ran = _trap(root)
    for name in ("core.fsmonitor", "gpg.program", "gpg.ssh.program", "core.pager", "diff.external", "alias.log"):
        _git(root, "config", name, str(program))
    _git(root, "config", "log.showSignature", "true")
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 0, result.err
    assert result.out.splitlines()[-3:] == ["paragraph 3:", "- Third paragraph.", "+ Third paragraph, longer."]
    assert not ran.exists(), "git ran a program the repository's configuration names"


def test_i18n_diff_fetches_nothing_for_a_partial_clone_whose_remote_would_run_a_program(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="First paragraph.\n\nSecond paragraph.\n\nThird paragraph, longer.")
    _git(root, "commit", "-q", "-am", "Longer")
    blob = subprocess.run(["git", "rev-parse", "HEAD~1:content/news/2021-alpha-grows.en.md"], cwd=root, capture_output=True, text=True)
    (root / ".git/objects" / blob.stdout[:2] / blob.stdout.strip()[2:]).unlink()  # the translated version: not fetched yet
    program, ran = _trap(root)
    for name, value in (
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.promisor", "true"),
        ("remote.origin.url", str(root)),
        ("remote.origin.uploadpack", str(program)),
        ("protocol.file.allow", "always"),
    ):
        _git(root, "config", name, value)
    result = run(root, "i18n", "diff", str(german))
    assert result.code == 1
    assert "no version of content/news/2021-alpha-grows.en.md in its git history has the text this translation records" in result.err
    assert not ran.exists(), "git fetched from the promisor remote with its upload-pack program"


def test_i18n_diff_of_several_translations_reports_each_even_when_one_has_no_record(make_site):
    root, german = _committed_site(make_site)
    _english(root, body="First paragraph.\n\nSecond paragraph.\n\nThird paragraph, longer.")
    result = run(root, "i18n", "diff", str(german), str(root / "content/news/2021-alpha-grows.fr.md"))
    assert result.code == 1
    assert "since then the English text changed: paragraph 3\n" in result.out
    assert "content/news/2021-alpha-grows.fr.md:1: error: has no 'translation_of' record" in result.err
