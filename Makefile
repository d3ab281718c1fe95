# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.demo

.PHONY: demo install load-demo serve test lint test-python lock test-openfisca-upstream

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

load-demo: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/pacte setup
	$(DEMO_ENV) $(BIN)/pacte load_demo

# The worker of the access-to-rights batches runs beside the server and stops with it.
serve: install
	$(DEMO_ENV) $(BIN)/pacte rights traiter & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/pacte runserver 127.0.0.1:$(PORT)

demo: load-demo serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pacte makemigrations --check --dry-run

test-python: install
	$(BIN)/pytest

test: lint test-python

# The YAML tests of the openfisca-france sdist (rsa, ppa, aides au logement and the students' ones, af, cf, asf,
# aeeh, aah, aspa, asi, cs, CSG of replacement incomes, chèque énergie, bourses, pass colo) against the pinned
# version; about 8 to 11 minutes (`scripts/openfisca_upstream_tests.sh --rapide`: 30 s).
test-openfisca-upstream: install
	scripts/openfisca_upstream_tests.sh

# Regenerate the lock files after editing pyproject.toml (needs the `uv` tool): requirements.lock for development
# and tests (`make install`), requirements-runtime.lock for production (docs/deploiement.md, no test tools). The
# runtime lock is compiled from a copy of the dev lock, so that uv keeps the same versions (it prefers the output
# file's pins); setuptools is added because `pip install --no-build-isolation -e .` builds Pacte with the venv's
# setuptools (Debian's python3 -m venv brings setuptools 65, which rejects pyproject's `license = "EUPL-1.2"`).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--universal -o requirements.lock
	cp requirements.lock requirements-runtime.lock
	echo 'setuptools>=75' | uv pip compile pyproject.toml - --generate-hashes --python-version 3.11 \
		--universal -o requirements-runtime.lock
