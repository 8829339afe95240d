"""A language's locale may be written as a BCP 47 tag (zh-Hans-CN) or in gettext's form (zh_Hans_CN)."""

from __future__ import annotations

from conftest import run
from support.fixture_site import CONFIG

ZH = '\n[languages.zh]\nname = "中文"\nlocale = "{locale}"\ntitle = "园区观察"\n'


def test_both_forms_of_a_locale_build_the_same_site(make_site):
    pages = []
    for locale in ("zh_Hans_CN", "zh-Hans-CN"):
        root = make_site({"parkpress.toml": CONFIG + ZH.format(locale=locale)})
        result = run(root, "build")
        assert result.code == 0, result.err
        pages.append((root / "site/zh/index.html").read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert '<html lang="zh-Hans-CN"' in pages[1]


def test_an_unknown_locale_names_the_line_and_both_forms(make_site):
    root = make_site({"parkpress.toml": CONFIG + ZH.format(locale="zz-Hans")})
    result = run(root, "build")
    assert result.code == 1
    line = (CONFIG + ZH).splitlines().index('locale = "{locale}"') + 1
    assert f"parkpress.toml:{line}:" in result.err
    assert "'zz-Hans' is not a locale Babel knows" in result.err
    assert "zh-Hans-CN or zh_Hans_CN" in result.err
    assert "Traceback" not in result.err
