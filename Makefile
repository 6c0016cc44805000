# The whole set-up: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
export DATA_DIR

CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: run dev test lint typecheck pytest bench clean browser messages po lighthouse

# The translations: each language's django.po, compiled to the django.mo that Django reads.
# Babel compiles them in pure Python, so no GNU gettext (msgfmt) is needed. The .mo files
# are not kept in git.
PO_FILES := $(wildcard stenosis_coach/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@ --statistics

messages: $(MO_FILES)

# Brings every django.po in step with the strings marked in the code and the templates, or
# starts a new language's (make po NEW_LANGUAGE=pt). Needs GNU gettext (apt-get install
# gettext); only translators need it.
po: $(VENV)/.installed
	cd stenosis_coach && DATA_DIR=$(abspath $(DATA_DIR)) ../$(BIN)/stenosis-coach makemessages \
	  $(if $(NEW_LANGUAGE),--locale $(NEW_LANGUAGE),--all) --add-location=file

# `make run` serves as in production (gunicorn); `make dev` reloads on every code change.
run: MODE := serve
dev: MODE := dev
# runserver with DEBUG: static files straight from where they are edited.
dev: export DEBUG := 1
run dev: $(VENV)/.installed messages
	mkdir -p $(DATA_DIR)
	$(BIN)/stenosis-coach migrate --noinput
	$(BIN)/stenosis-coach load_catalogue
	@echo
	@echo "  Stenosis Coach is running at http://$(HOST):$(PORT)/  (press Ctrl+C to stop)"
	@echo "  The job worker (e-mail, reminders) runs beside it."
	@echo
	bash scripts/run-with-worker.sh $(BIN) $(HOST):$(PORT) $(MODE)

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test browser messages
	$(BIN)/pytest

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Please install Chromium (Debian: apt-get install chromium)"; exit 1; fi; }

# Lighthouse (npm, pinned in package-lock.json) on the main patient pages, in Debian's
# Chromium; the scores go to build/lighthouse/scores.md. Not part of `make test`: it takes a
# few minutes and measures speed, which a busy machine changes.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "Please install Node.js 18 or newer and npm (Debian: apt-get install nodejs npm)"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: $(VENV)/.installed-test browser messages node_modules/.installed
	$(BIN)/python -m scripts.lighthouse

bench: $(VENV)/.installed-test
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/clinic.py
	$(BIN)/python bench/handout.py
	$(BIN)/python bench/fhir_export.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/cues.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) node_modules build .mypy_cache .ruff_cache .hypothesis $(MO_FILES)
