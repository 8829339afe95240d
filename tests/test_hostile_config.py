"""A hostile parkpress.toml gets a configuration error naming the key, never a traceback."""

from __future__ import annotations

import pytest
from conftest import run
from support.fixture_site import CONFIG

ADDRESS = '"https://invest.example.org/"'


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("mailto:office@invest.example.org", "is not the address of a site"),
        ("https://editor:secret@invest.example.org/", "holds a user name or password"),
        ("https://invest.example.org/#top", "has a query or fragment"),
        ("https://invest.example.org/?preview=1", "has a query or fragment"),
    ],
)
def test_a_base_url_that_is_no_site_address_is_a_config_error(make_site, address, says):
    root = make_site({"parkpress.toml": CONFIG.replace(ADDRESS, f'"{address}"')})
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"parkpress.toml:2: error: 'site.base_url' '{address}' {says}" in result.err


@pytest.mark.parametrize("nesting", ["[" * 10_000 + "]" * 10_000, "{a = " * 10_000 + "1" + "}" * 10_000], ids=["arrays", "tables"])
def test_a_value_nested_ten_thousand_deep_is_a_clean_error(make_site, nesting):
    root = make_site({"parkpress.toml": f"deep = {nesting}\n{CONFIG}"})
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert "parkpress.toml: error: invalid TOML: arrays or tables nested hundreds deep" in result.err


@pytest.mark.parametrize("name", ["a" * 5000, "/".join(["folder"] * 1000), "a" * 256], ids=["one long name", "deep", "one too long"])
def test_a_very_long_output_dir_is_a_config_error(make_site, name):
    root = make_site({"parkpress.toml": CONFIG.replace("news_per_page = 2", f'news_per_page = 2\noutput_dir = "{name}"')})
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"parkpress.toml:6: error: 'site.output_dir' '{name[:40]}…' is {len(name)} characters long" in result.err


def test_a_long_output_dir_on_the_command_line_is_an_error_too(make_site):
    result = run(make_site(), "build", "--output", "b" * 300)
    assert result.code == 1 and "Traceback" not in result.err
    assert "(command line): error: --output: 'bbbb" in result.err and "is 300 characters long" in result.err
