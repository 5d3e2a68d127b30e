# Ruta — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DEBUG=1
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/ruta

.PHONY: run test test-postgres ci-checks lint typecheck imports migrations-check install install-dev assets browser \
        translations messages lock bench bench-smoke clean

run: install assets translations ## Install, migrate SQLite, load demo data, start web server + worker
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) MFA_ENFORCED=0 PORT=$(PORT) bin/run-dev

test: install-dev assets translations browser ## Install what the tests need and run them (SQLite)
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-postgres: install-dev assets translations browser ## The same suite on PostgreSQL
	DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

ci-checks: lint typecheck imports migrations-check

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(DEV_ENV) $(VENV)/bin/mypy ruta

imports: install-dev ## Import contracts (pyproject.toml [tool.importlinter]): layers, no cycles
	$(VENV)/bin/lint-imports --no-cache

migrations-check: install-dev
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed

install-dev: $(VENV)/.dev-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

translations: install
	$(DEV_ENV) $(PY) manage.py compile_translations

# Browser tests drive Debian's chromium; install it if it is missing (root on CI and dev machines).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

messages: install ## Extract strings (needs gettext; developers only)
	@command -v xgettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	$(DEV_ENV) $(PY) manage.py makemessages -l es -l en -l fr --ignore=node_modules --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(DEV_ENV) $(PY) manage.py makemessages -d djangojs -l es -l en -l fr --ignore=node_modules --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete

lock: ## Regenerate the pinned, hashed lock files from requirements/*.in
	uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/base.in -o requirements/base.txt
	uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/dev.in -o requirements/dev.txt

bench: install-dev assets ## Benchmarks against PostgreSQL; writes bench/results/latest.json
	$(PY) -m bench $(BENCH_ARGS)

bench-smoke: install-dev assets
	$(PY) -m bench --sizes 10000 --smoke $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
