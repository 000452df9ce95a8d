# Khabuan: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt lock install clean bench backup restore

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Khabuan needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) --require-hashes -r requirements.lock
	@touch $@

install: $(STAMP)

## Start the whole stack (embedded PostgreSQL + Redis unless DATABASE_URL / REDIS_URL are set).
run: $(STAMP)
	$(PY) -m khabuan run

## The test suite: its own temporary data folder and ports.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## One archive of the database and the data folder's keys/ and secrets/ (ARCHIVE=path to choose where).
backup: $(STAMP)
	$(PY) -m khabuan backup $(if $(ARCHIVE),--archive $(ARCHIVE))

## Rotate the token signing key of KHABUAN_DATA_DIR (a running gateway signs with the new key within a second;
## the old one stays in the JWKS until the tokens it signed have expired).
.PHONY: rotate-keys
rotate-keys: $(STAMP)
	$(PY) -m gateway rotate-signing-key

## Restore ARCHIVE into a fresh KHABUAN_DATA_DIR (FORCE=1 replaces an existing database and keys).
restore: $(STAMP)
	$(PY) -m khabuan restore $(ARCHIVE) $(if $(FORCE),--force)

## Benchmarks against baselines measured in the same run; table + bench/results/latest.json (see bench/README.md).
bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Property-based API tests (schemathesis) over the merged OpenAPI document, on a stack of their own.
.PHONY: schemathesis
schemathesis: $(STAMP)
	$(PY) -m tests.fuzz

## Re-resolve the pinned dependencies after editing pyproject.toml.
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes -o requirements.lock

## Regenerate the edge's Caddyfile (gateway/edge/Caddyfile) from the routing table (gateway/routing.py).
.PHONY: edge-config
edge-config: $(STAMP)
	$(PY) -m gateway edge-config

## Regenerate the committed OpenAPI snapshot (openapi/khabuan.json) from a freshly started stack.
.PHONY: openapi
openapi: $(STAMP)
	$(PY) -m khabuan.openapi_snapshot

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
