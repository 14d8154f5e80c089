# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format bench load replay screenshots translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP)  ## create .venv and install the project with its test tools

run: install  ## start the server on the embedded SQLite default and print the addresses
	$(VENV)/bin/facilitation serve

# Tests run in two processes, each test file whole in one of them (its servers and browser are
# started once per file): most of a test's time is spent waiting on servers and browsers.
TEST_PROCESSES ?= 2

test: install  ## run every test (browser, PostgreSQL and Redis included), then the operations on PostgreSQL
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile
	TEST_DATABASE=postgres $(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile tests/facilitation \
		--ignore=tests/facilitation/test_cli.py --ignore=tests/facilitation/test_docs.py \
		--ignore=tests/facilitation/test_languages.py

test-fast: install  ## every test except the browser ones
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile -m "not browser"

screenshots: install  ## refresh docs/screenshots from the browser tests
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest tests/browser/test_screenshots.py

BABEL_KEYWORDS := -k _ -k gettext -k lazy_gettext -k Rejected -k text_field:2 -k identifier:2 -k flag:2 -k counted:1,2 -k plural_forms:1,2
translations: install  ## extract texts, update the Romanian catalogue, compile it
	$(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --omit-header -o facilitation/translations/messages.pot .
	$(VENV)/bin/pybabel update -i facilitation/translations/messages.pot -d facilitation/translations --width 100 --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d facilitation/translations

lint: install  ## check style with ruff
	$(VENV)/bin/ruff check facilitation analysis tests benchmarks
	$(VENV)/bin/ruff format --check facilitation analysis tests benchmarks

format: install
	$(VENV)/bin/ruff format facilitation analysis tests benchmarks
	$(VENV)/bin/ruff check --fix facilitation analysis tests benchmarks

bench: install  ## clustering, export and then-and-now benchmarks (docs/benchmarks.md, docs/comparison.md)
	$(PY) -m benchmarks.clustering
	$(PY) -m benchmarks.exports
	$(PY) -m benchmarks.comparison

load: install  ## a full room: 500 phones, 50 ideas/s; ARGS="--scaleout 1,2,4" for several processes (docs/benchmarks.md)
	$(PY) -m benchmarks.load $(ARGS)

replay: install  ## a realistic room: a real conversation replayed as a 90-minute session, 150 phones (ARGS="--contention browsers")
	$(PY) -m benchmarks.replay $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
