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

.PHONY: run test install assets system-packages collectstatic lint clean

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
	-@$(MAKE) --no-print-directory system-packages || echo "Could not install the PDF fonts: PDFs will use fallback fonts."
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Debian packages: Chromium for the browser tests, the Noto fonts that PDFs are set in (emoji
# come from npm, see scripts/build-assets.mjs), poppler-utils (pdftotext, pdffonts) that reads
# PDFs back in the tests, Redis for the rate-limit cache's test, and nginx (nginx-light) for the
# test of the documented proxy configuration and for deploy/local-cluster (the cluster proof).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	test -x /usr/sbin/nginx || command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	fc-list 2>/dev/null | grep -q "Noto Sans Bengali" || missing="$$missing fonts-noto-core"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list : family 2>/dev/null | grep -qx "Noto Sans Mono" || missing="$$missing fonts-noto-mono"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian's packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $$missing; \
	  else sudo apt-get update -q && sudo apt-get install -y -q $$missing; fi; \
	fi

# SQLite unless DATABASE_URL is set. The suite runs with production settings (DEBUG off),
# so it needs a SECRET_KEY; this one is for tests only.
test: install assets system-packages collectstatic
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-any-deployment-3f9c2a7e51b04d8e} DATABASE_CONN_MAX_AGE=0 \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
