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

.PHONY: run test lint typecheck pytest bench clean browser

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

run: $(VENV)/.installed
	mkdir -p $(DATA_DIR)
	$(BIN)/stenosis-coach migrate --noinput
	$(BIN)/stenosis-coach load_catalogue
	@echo
	@echo "  Stenosis Coach is running at http://$(HOST):$(PORT)/  (press Ctrl+C to stop)"
	@echo
	$(BIN)/stenosis-coach runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test browser
	$(BIN)/pytest

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Please install Chromium (Debian: apt-get install chromium)"; exit 1; fi; }

bench: $(VENV)/.installed-test
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/upload.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis
