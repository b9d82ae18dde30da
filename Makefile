# Two commands matter on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

# The newest interpreter >= 3.11 that actually starts (pyenv shims may exist and still fail).
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
find_python = $(shell for c in $(PYTHON_CANDIDATES); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then echo $$c; break; fi; done)

.PHONY: run test lint schema check-schema fuzz bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@PYBIN="$(call find_python)"; \
	if [ -z "$$PYBIN" ]; then echo "No working Python >= 3.11 found (tried $(PYTHON_CANDIDATES))"; exit 1; fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

# The server, and beside it the delivery worker of events (docs/events.md), stopped with it.
run: export KLANTINTERACTIES_DEV ?= 1
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py devtoken
	$(PY) manage.py afleveren & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/gunicorn klantinteracties.wsgi -c klantinteracties/gunicorn.conf.py \
		--bind $(HOST):$(PORT) --workers $(WORKERS)

test: export KLANTINTERACTIES_DEV ?= 1
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Property-based fuzzing of the served app against openapi/*.yaml (schemathesis); a few
# minutes, with its own throw-away database. See fuzz/run.py.
fuzz: $(VENV)/.installed
	$(PY) fuzz/run.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the committed OpenAPI documents.
schema: export KLANTINTERACTIES_DEV ?= 1
schema: $(VENV)/.installed
	$(PY) manage.py generate_schema

# Seed BENCH_SIZE klantcontacten into a separate embedded PostgreSQL (/tmp), serve with
# gunicorn and run the harness (../shared/bench, else benchmarks/harness) against it.
BENCH_SIZE ?= 20000
bench: $(VENV)/.installed
	benchmarks/run.sh $(BENCH_SIZE)

clean:
	rm -rf $(VENV) .pgdata .benchenv
