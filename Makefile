# parkpress: build the site, run the tests, lint.
#   make site                 build the site into site/
#   make test                 run the test suite (PYTEST_ARGS="-k foo -x" to pass options)
#   make lint                 ruff check + format check
#   make clean                remove site/ and the build cache
# The pip step runs only when pyproject.toml changed (stamp file in .venv/).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

# The stamp's name carries the hash of pyproject.toml's content (not its mtime).
HASH := $(shell sha256sum pyproject.toml 2>/dev/null | cut -c1-12)
ifeq ($(HASH),)
HASH := missing-pyproject
endif
SITE_STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)

.DEFAULT_GOAL := site
.PHONY: site test test-deps tools lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Drop stamps of older pyproject.toml versions, then mark this one installed.
define stamp
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(HASH)' -delete
	@touch $@
endef

$(SITE_STAMP): | $(PY)
	@if [ -f $(TEST_STAMP) ]; then echo "already installed with [test] extras"; \
	else echo "pip install -e ."; $(PIP) install -e .; fi
	$(stamp)

$(TEST_STAMP): | $(PY)
	@echo "pip install -e '.[test]'"
	@$(PIP) install -e '.[test]'
	$(stamp)

# Byte-compile parkpress as pip does for a regular install: an editable one leaves it to the
# first import, which writes nothing where PYTHONDONTWRITEBYTECODE is set, and every command
# would then compile the package again. compileall skips files already compiled.
site: $(SITE_STAMP)
	@$(PY) -m compileall -q parkpress
	$(PY) build.py build

test-deps: $(TEST_STAMP)

tools:
	bash scripts/setup-test-tools.sh

# pytest exits 5 when it collected no tests: that is a failure here too.
test: $(TEST_STAMP) tools
	@$(PY) -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$rc

lint: $(TEST_STAMP)
	@test -x $(VENV)/bin/ruff || $(PIP) install ruff
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf site .parkpress-cache
