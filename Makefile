# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format bench load screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP)  ## create .venv and install the project with its test tools

run: install  ## start the server on the embedded SQLite default and print the addresses
	$(VENV)/bin/facilitation serve

test: install  ## run every test, browser tests included
	$(PY) -m pytest

test-fast: install  ## every test except the browser ones
	$(PY) -m pytest -m "not browser"

screenshots: install  ## refresh docs/screenshots from the browser tests
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest tests/browser/test_screenshots.py

lint: install  ## check style with ruff
	$(VENV)/bin/ruff check facilitation analysis tests benchmarks
	$(VENV)/bin/ruff format --check facilitation analysis tests benchmarks

format: install
	$(VENV)/bin/ruff format facilitation analysis tests benchmarks
	$(VENV)/bin/ruff check --fix facilitation analysis tests benchmarks

bench: install  ## clustering and export benchmarks (figures in docs/benchmarks.md)
	$(PY) -m benchmarks.clustering

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
