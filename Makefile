# Two entry points: `make serve` (set up and run HubDeck) and `make test` (set up and run every
# check). Both create and reuse .venv and frontend/node_modules.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
STATIC_INDEX := src/hubdeck/web/static/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json

.PHONY: setup build serve demo test lint typecheck test-python test-frontend bench clean

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "HubDeck needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

$(STATIC_INDEX): $(NODE_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

setup: $(PY_STAMP) $(NODE_STAMP)

build: setup $(STATIC_INDEX)

serve: build
	$(BIN)/hubdeck serve

# HubDeck wired to the built-in GitHub simulator: sign in as alice, see live data.
demo: build
	$(BIN)/hubdeck demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd frontend && npm run lint

typecheck: setup
	$(BIN)/mypy
	cd frontend && npm run typecheck

test-frontend: setup
	cd frontend && npm test

# The whole suite on the embedded stack, then the stack tests again on PostgreSQL + Redis.
test-python: build
	$(BIN)/pytest
	HUBDECK_TEST_STACK=scaleout $(BIN)/pytest -m stack

test: lint typecheck test-frontend test-python

clean:
	rm -rf $(VENV) frontend/node_modules src/hubdeck/web/static
