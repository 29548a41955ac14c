# Thrive EDI: `make run` serves the app locally, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel, one worker per core of a two-core machine.
PYTEST_WORKERS ?= 2

.PHONY: run test install assets chromium collectstatic lint clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/thrive.css: node_modules/.installed scripts/build-assets.mjs $(wildcard static/scss/*.scss)
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed

assets: static/build/thrive.css

collectstatic: install assets
	SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --noinput --verbosity 0

run: install assets
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium from Debian's packages for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi; }

# SQLite unless DATABASE_URL is set. The suite runs with production settings (DEBUG off),
# so it needs a SECRET_KEY; this one is for tests only.
test: install assets chromium
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-any-deployment-3f9c2a7e51b04d8e} DATABASE_CONN_MAX_AGE=0 \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
