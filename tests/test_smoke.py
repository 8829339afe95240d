import pytest
from conftest import run

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


def test_the_fixture_site_builds(make_site):
    root = make_site()
    result = run(root, "build")
    assert result.code == 0, result.err
    assert (root / "site/en/index.html").is_file()
