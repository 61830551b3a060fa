# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app blog
HOST ?= 127.0.0.1
PORT ?= 5000

TRANSLATIONS := blog/translations

.PHONY: messages translations run test test-browser-if-possible test-slow test-browser screenshots test-all lint typecheck security code-css hooks install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

## Serve the blog on SQLite in instance/, with demo content, at http://$(HOST):$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## Lint, check formatting and types, the fast suite with its coverage floor,
## then the browser tests when Chromium is installed (slow tests aside:
## `make test-slow`). Tests run on every core (each has its own database).
test: install-test lint typecheck
	$(BIN)/pytest -m "not browser and not slow" -n auto --cov --cov-report=term
	@$(MAKE) --no-print-directory test-browser-if-possible

test-browser-if-possible:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then \
		$(BIN)/pytest -m browser tests/browser; \
	else \
		echo "make test: SKIPPED the browser tests: Chromium is not installed."; \
		echo "           Install it (apt-get install chromium) and run make test-browser."; \
	fi

## The slow tests: real servers under load (SQLite, or BLOG_TEST_DATABASE_URL)
test-slow: install-test
	$(BIN)/pytest -m "slow and not browser"

## The browser tests: headless Chromium against a live server
test-browser: install-test
	$(BIN)/pytest -m browser tests/browser

## Write static/code.css, the colours of highlighted code, from the Pygments styles
code-css: install
	$(BIN)/python -c "from blog.rendering import code_css; print(code_css(), end='')" > blog/static/code.css

## The README's screenshots (docs/screenshots/), from the demo content in headless Chromium
screenshots: install-test
	$(BIN)/python -m tests.browser.screenshots

## Everything CI runs on SQLite
test-all: test test-slow

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/mypy blog

## bandit (medium and high findings) and pip-audit (known vulnerabilities), as CI runs them
security: install-test
	bash .ci/security

## Run lint, format and type checks before each commit (.pre-commit-config.yaml)
hooks: install-test
	$(BIN)/pre-commit install

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage

# The benchmark (bench/): see docs/performance.md.
.PHONY: bench bench-cluster lighthouse

## Load the blog (SQLite; ARGS="--db postgres --with-wordpress --with-ghost --runs 3 --duration 10")
bench: install
	$(BIN)/python -m bench.run $(ARGS)

## Lighthouse (npm lighthouse 12.2.3, Debian's Chromium): public pages and the owner's studio pages, mobile and desktop
lighthouse: install-test
	$(BIN)/python -m bench.lighthouse

## Two blog instances behind nginx on PostgreSQL + Redis: throughput and consistency checks
bench-cluster: install
	$(BIN)/python -m bench.cluster $(ARGS)

## Extract every string the blog shows (every folder but .* and __pycache__:
## Babel's default would skip templates/_macros) into $(TRANSLATIONS)/messages.pot and
## add the new ones to each language's catalogue (then translate them there)
messages: install-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file \
		--ignore-dirs ".* __pycache__" \
		--no-wrap --project blog --copyright-holder "the blog's authors" \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-wrap --no-fuzzy-matching --ignore-obsolete

## Compile the catalogues into the .mo files the blog reads, and write the
## languages' date and number words from Babel into locale.json (all committed)
translations: install
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)
	$(BIN)/python -c "from blog.locale_data import write_table; write_table()"
