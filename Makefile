# parkpress: build the site, run the tests, lint.
#   make site                 build the site into site/
#   make test                 the test suite on the locked dependencies, then the core tests on the
#                             declared floors (PYTEST_ARGS="-k foo -x" passes options to the first)
#   make lint                 ruff check + format check
#   make lock                 pin the newest releases of every dependency into constraints.txt
#   make clean                remove site/ and the build cache
# Every install takes its versions from constraints.txt; a pip step runs only when
# pyproject.toml or constraints.txt changed (stamp files in the virtualenvs).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
CONSTRAINTS := constraints.txt
FLOORS_VENV := .venv-floors
PYTEST_ARGS ?=

# The stamps' names carry the hash of what decides the install (not the files' mtimes).
HASH := $(shell cat pyproject.toml $(CONSTRAINTS) 2>/dev/null | sha256sum | cut -c1-12)
SITE_STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
FLOORS_STAMP := $(FLOORS_VENV)/.installed-$(HASH)

.DEFAULT_GOAL := site
.PHONY: site test test-suite test-floors test-deps tools lint lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Drop stamps of older versions, then mark this one installed.
define stamp
	@find $(dir $@) -maxdepth 1 -name '.installed-*' ! -name '*-$(HASH)' -delete
	@touch $@
endef

$(SITE_STAMP): | $(PY)
	@if [ -f $(TEST_STAMP) ]; then echo "already installed with [test] extras"; \
	else echo "pip install -c $(CONSTRAINTS) -e ."; $(PIP) install -c $(CONSTRAINTS) -e .; fi
	$(stamp)

$(TEST_STAMP): | $(PY)
	@echo "pip install -c $(CONSTRAINTS) -e '.[test]'"
	@$(PIP) install -c $(CONSTRAINTS) -e '.[test]'
	$(stamp)

# The declared floor of every runtime dependency (scripts/floors.py), the test tools from the lock.
$(FLOORS_STAMP):
	@test -x $(FLOORS_VENV)/bin/python || $(PYTHON) -m venv $(FLOORS_VENV)
	@echo "pip install the declared floors into $(FLOORS_VENV):" $$($(PYTHON) scripts/floors.py)
	@$(PYTHON) scripts/floors.py > $(FLOORS_VENV)/floors.txt
	@$(FLOORS_VENV)/bin/pip install --disable-pip-version-check -q -r $(FLOORS_VENV)/floors.txt
	@$(FLOORS_VENV)/bin/pip install --disable-pip-version-check -q -c $(CONSTRAINTS) pytest hypothesis playwright segno zxing-cpp
	@$(FLOORS_VENV)/bin/pip install --disable-pip-version-check -q --no-deps -e .
	@$(FLOORS_VENV)/bin/pip check --disable-pip-version-check
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

test: test-suite test-floors

# pytest exits 5 when it collected no tests: that is a failure here too.
test-suite: $(TEST_STAMP) tools
	@$(PY) -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$rc

test-floors: $(FLOORS_STAMP)
	@echo "== the sample site and the core tests (-m floors) on the declared floors"
	@PARKPRESS_PYTHON=$(FLOORS_VENV)/bin/python bash scripts/build-copy.sh
	@$(FLOORS_VENV)/bin/python -m pytest -q -m floors -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test-floors: pytest collected no tests" >&2; fi; \
	exit $$rc

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# The newest releases that satisfy pyproject.toml, resolved in a throwaway virtualenv.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --disable-pip-version-check -q '.[test]'
	.venv-lock/bin/pip freeze --disable-pip-version-check --exclude parkpress > $(CONSTRAINTS)
	rm -rf .venv-lock
	@echo "wrote $(CONSTRAINTS); commit it with the test run that passed on it"

clean:
	rm -rf site .parkpress-cache
