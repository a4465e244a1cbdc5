# cuakhau: two commands for a newcomer.
#   make run    create .venv, install, migrate, load reference and demo data, serve http://127.0.0.1:8000
#               with the background worker beside it
#   make test   install what the tests need and run the whole suite but the browser tests
#   make test-browser  the browser tests (Playwright driving chromium against a live server; CI runs them)
#   make test-pg  the same suite as make test on the PostgreSQL database named by DATABASE_URL
#   make check  the conventions held by machine: lint, format, types, system checks, migrations, catalogues

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1
# The suite runs on one pytest-xdist worker a CPU, each with its own test database (SQLite in memory,
# PostgreSQL test_<name>_gw0, _gw1, ...) and its own var/ directory (tests/settings.py); a module's tests
# stay on one worker (--dist loadscope), so a module-scoped fixture (the demo world of the security
# suite, the generated year) is built once. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadscope
# The browser journeys (marker `browser`, tests/browser/) start chromium and a live server and take
# minutes, so they run on their own: `make test-browser` (SQLite; CI runs it after `make test` and sets
# CUAKHAU_REQUIRE_BROWSER=1, so that a missing chromium fails them instead of skipping). `make test-pg`
# leaves them out too: the journeys test the pages in a browser, the suite tests the database behind
# them on both engines. `DATABASE_URL=... make test-browser` runs them on PostgreSQL.
NOT_BROWSER := -m "not browser"

.PHONY: run serve setup install install-test test test-browser test-pg check lint format messages check-deploy bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

setup: install
	mkdir -p var
	$(BIN)/cuakhau migrate --noinput
	$(BIN)/cuakhau fees devcert
	$(BIN)/cuakhau reference load
	$(BIN)/cuakhau demo load
	$(BIN)/cuakhau audit anchor

# The background worker (`cuakhau db_worker`: the refresh of computed turnover after trips cross, web
# imports, ...) runs beside the server and stops with it: Ctrl+C, or make being stopped, ends both. It
# does not reload on code changes (its reloader's child would outlive a stop): run `make run` again.
run: setup
	@echo "cuakhau: serving http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	@DEBUG=1 $(BIN)/cuakhau db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM HUP; \
	DEBUG=1 $(BIN)/cuakhau runserver $(HOST):$(PORT)

serve: run

test: install-test
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(NOT_BROWSER) $(PYTEST_ARGS)

test-browser: install-test
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m browser $(PYTEST_ARGS)

test-pg: install-test
	@test -n "$(DATABASE_URL)" || (echo "make test-pg needs DATABASE_URL=postgres://user@host:port/dbname" && exit 2)
	DATABASE_URL=$(DATABASE_URL) $(BIN)/python -m pytest $(PYTEST_PARALLEL) $(NOT_BROWSER) $(PYTEST_ARGS)

# Everything CI checks before the tests, stopping at the first failure. The Django commands run with the
# test settings, so they need no production environment and leave var/ alone.
CHECK_DJANGO := DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=. $(BIN)/cuakhau

check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(CHECK_DJANGO) check --fail-level WARNING
	$(CHECK_DJANGO) makemigrations --check --dry-run
	@for po in $$(find src/cuakhau/locale -name '*.po'); do \
	  msgfmt --check-format --output-file=/dev/null "$$po" || exit 1; \
	done; echo "message catalogues compile"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	cd src/cuakhau && ../../$(BIN)/cuakhau makemessages -l en -l zh_Hans --no-obsolete && ../../$(BIN)/cuakhau compilemessages

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 40) CUAKHAU_DATA_KEY=$$(openssl rand -base64 32) ALLOWED_HOSTS=cuakhau.example.vn $(BIN)/cuakhau check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
