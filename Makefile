# LAO Portal. `make run` serves the portal, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
ENV := source scripts/env.sh
PYTEST_ARGS ?=

.PHONY: help install setup run stop test lint format messages bench lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.lock
	@python=$$(scripts/find-python.sh); \
	if [ ! -x $(VENV)/bin/python ] || ! $(VENV)/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create the virtualenv and install the pinned dependencies

setup: install  ## install, start the database, migrate, compile translations, collect static files
	@scripts/system-deps.sh
	@$(ENV)
	python manage.py migrate --noinput -v 0
	python manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'var/*'
	python manage.py collectstatic --noinput -v 0

run: setup  ## serve the portal with demo data on http://$HOST:$PORT (default 127.0.0.1:8000)
	@$(ENV)
	python manage.py seed_demo --allow-demo-accounts
	scripts/serve.sh start
	echo
	echo "LAO Portal is running on http://$$HOST:$$PORT/  (make stop to stop it)"

stop:  ## stop the web server, the task worker and the local PostgreSQL
	@scripts/serve.sh stop
	scripts/pg.sh stop

lint: install  ## ruff (lint + format check) and djLint on the templates
	@$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint --quiet templates */templates

format: install  ## apply ruff's fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: setup lint  ## lint, check migrations, run every test (browser tests included) on PostgreSQL
	@scripts/system-deps.sh --browser
	$(ENV)
	python manage.py makemigrations --check --dry-run -v 1
	python -m pytest $(PYTEST_ARGS)

messages: install  ## extract translatable strings into locale/ (then translate locale/th)
	@$(ENV)
	for lang in th en; do python manage.py makemessages -l $$lang --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'; done

bench: setup  ## measure page latency and throughput at national scale; writes bench/results.md
	@scripts/system-deps.sh --bench
	$(ENV)
	python manage.py seed_demo --scale national --allow-demo-accounts
	python bench/run.py
	python bench/upload.py
	python bench/recompute.py

lock:  ## re-pin the dependencies from pyproject.toml
	@scripts/lock.sh

clean:  ## remove the virtualenv, everything under var/ and the local database cluster
	@scripts/serve.sh stop
	scripts/pg.sh destroy
	rm -rf $(VENV) var
