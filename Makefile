# Driftline's two entry points: `make run` serves the whole suite, `make test` runs every check.
# Everything is installed into .venv (Python) and node_modules (buf's CLI) from scratch.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUF := node_modules/.bin/buf
HOST ?= 127.0.0.1
PORT ?= 50051
PYTEST_ARGS ?=
# Test modules run on this many workers (pytest-xdist), each module whole on one worker, so a
# module's server is still started once; 1 runs them in this process.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)
GENERATED := clients/python/driftline/common clients/python/driftline/identity \
             clients/python/driftline/catalog clients/python/driftline/data \
             clients/python/driftline/jobs clients/python/driftline/monitoring

.PHONY: install run test lint generate generate-async check-generated test-sqlite test-postgres bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs only when the project files change (the stamp tracks them).
$(VENV)/.installed: $(PY) pyproject.toml clients/python/pyproject.toml
	$(PY) -m pip install --quiet -e clients/python -e ".[test]"
	touch $@

$(BUF): package.json
	npm install --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed $(BUF)

run: $(VENV)/.installed
	$(VENV)/bin/driftline-server serve --host $(HOST) --port $(PORT)

generate: install
	rm -rf $(GENERATED)
	$(BUF) generate
	$(PY) tools/generate_async_client.py

# driftline.AsyncClient (clients/python/driftline/aio) from the blocking client's source.
generate-async: install
	$(PY) tools/generate_async_client.py

lint: install
	$(BUF) lint
	$(BUF) format -d --exit-code
	$(VENV)/bin/ruff check services clients/python tests benchmarks tools

# CI regenerates the stubs and the async client and fails on any difference with what is
# committed; the async client is compared first, before `generate` rewrites it.
check-generated: install
	$(PY) tools/generate_async_client.py --check
	@$(MAKE) --no-print-directory generate
	@git add --intent-to-add --all clients/python >/dev/null 2>&1 || true
	@git diff --exit-code --stat -- clients/python || \
	  (echo "Generated stubs are out of date: run 'make generate' and commit clients/python." && exit 1)

test-sqlite: install
	$(PYTEST) tests $(PYTEST_ARGS)

# The gRPC suites (and the 2 GB upload) again, on the PostgreSQL named by DRIFTLINE_TEST_POSTGRES_URL.
test-postgres: install
	@if [ -n "$$DRIFTLINE_TEST_POSTGRES_URL" ]; then \
	  DRIFTLINE_TEST_DATABASE_URL="$$DRIFTLINE_TEST_POSTGRES_URL" \
	    $(PYTEST) tests/services tests/volume $(PYTEST_ARGS); \
	else echo "DRIFTLINE_TEST_POSTGRES_URL is not set: the PostgreSQL leg is skipped."; fi

test: lint check-generated test-sqlite test-postgres

# The jobs benchmark's two-replica figures use this PostgreSQL (the local server by default).
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	DRIFTLINE_TEST_DATABASE_URL="$${DRIFTLINE_TEST_DATABASE_URL:-$(BENCH_POSTGRES_URL)}" $(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules .driftline
