# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store

.PHONY: demo test test-slow test-all install load serve lint bench browser virtuoso fonts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

load: install
	$(BIN)/kg --store $(STORE) load data/samples data/record

serve: install
	$(BIN)/kg --store $(STORE) serve --host 127.0.0.1 --port 8000

demo: load serve

# The PDF tests render the seed with DejaVu Sans (umlauts, ☒, ☐); Debian ships it by default.
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null)

# Fast suites (under 10 minutes); the slow ones run in CI through .ci/run.
test: install fonts
	$(BIN)/python -m pytest -q -m "not slow" -n 2

# Browser, live-server conformance and other long suites; installs Debian's chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Virtuoso 7 open source for the remote-store suites (tests/remote); the Oxigraph server
# comes from PyPI (`oxigraph`, the bench extra)
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null)
	@[ -x $(BIN)/oxigraph ] || $(BIN)/pip install -q 'oxigraph>=0.5.13'

test-slow: install browser virtuoso
	$(BIN)/python -m pytest -q -m slow || [ $$? -eq 5 ]

test-all: test test-slow

# ruff, then the layering contract of DESIGN.md §1 ([tool.importlinter] in pyproject.toml);
# --no-cache: lint-imports' cache directory would litter the tree
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STORE)
