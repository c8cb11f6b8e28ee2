# Werkplek: the two commands are `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
# Python 3.13 (see .python-version): from pyenv when present, else from PATH.
PYTHON313 ?= $(shell pyenv which python3.13 2>/dev/null || command -v python3.13 2>/dev/null || ls /root/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null | head -n1)
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) -m django
export DJANGO_SETTINGS_MODULE := werkplek.settings
export PYTHONPATH := $(CURDIR)/src
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	@test -n "$(PYTHON313)" || { echo "Python 3.13 is needed (pyenv install 3.13)"; exit 1; }
	$(PYTHON313) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'uv==0.13.8'

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON313)
	@touch $@

.PHONY: install
install: $(VENV)/.synced ## create the virtual environment from the lock file
	@mkdir -p var/static var/media

.PHONY: setup
setup: install ## migrate the SQLite database and load reference and demo data (idempotent)
	@mkdir -p var
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) load_reference_data
	DEBUG=1 $(MANAGE) load_demo_data
	DEBUG=1 $(MANAGE) load_demo_cases
	DEBUG=1 $(MANAGE) load_demo_recognitions

.PHONY: run
run: setup ## set up, then serve on http://127.0.0.1:$(PORT) with the task worker beside it
	DEBUG=1 WERKPLEK_STAFF_2FA=$${WERKPLEK_STAFF_2FA:-0} PORT=$(PORT) $(PY) -m werkplek.devserver

.PHONY: lint
lint: install ## ruff
	$(VENV)/bin/ruff check .

.PHONY: test
test: setup lint ## set up, lint, and run the whole suite (on PostgreSQL when DATABASE_URL says so)
	bash scripts/system-deps.sh
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: messages
messages: install ## extract and compile the translations of every app
	# django-admin, not `python -m django`: a module named selectors.py in the current folder
	# would shadow the standard library's.
	cd src/werkplek && for app in core catalog accounts enterprises conditions selfscan applications recognitions agreements appeals register notices api; do \
	  (cd $$app && mkdir -p locale && DEBUG=1 $(CURDIR)/$(VENV)/bin/django-admin makemessages -l nl --no-obsolete >/dev/null); \
	done
	cd src/werkplek && DEBUG=1 $(CURDIR)/$(VENV)/bin/django-admin compilemessages >/dev/null

# The benchmark database (PostgreSQL by default; its name must contain "bench").
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/werkplek_bench
SCALE ?= 1
# The key the generated national register numbers are encrypted with (bench/load.py uses it).
BENCH_PERSONAL_DATA_KEY ?= werkplek-bench-only-personal-data-key

.PHONY: bench-data
bench-data: install ## (re)create the benchmark database with data at the Dutch scale (SCALE=0.1 for a tenth)
	$(PY) bench/database.py recreate "$(BENCH_DATABASE_URL)"
	DEBUG=1 DATABASE_URL="$(BENCH_DATABASE_URL)" $(MANAGE) migrate --no-input -v0
	DEBUG=1 DATABASE_URL="$(BENCH_DATABASE_URL)" $(MANAGE) load_reference_data >/dev/null
	DEBUG=1 DATABASE_URL="$(BENCH_DATABASE_URL)" PERSONAL_DATA_KEY="$(BENCH_PERSONAL_DATA_KEY)" \
	  $(MANAGE) bench_data --scale $(SCALE)

.PHONY: bench
bench: install ## load benchmark against the framework floor on the bench-data database (see bench/load.py)
	bash scripts/bench-deps.sh
	BENCH_PERSONAL_DATA_KEY="$(BENCH_PERSONAL_DATA_KEY)" $(PY) bench/load.py \
	  --database-url "$(BENCH_DATABASE_URL)"

.PHONY: worker
worker: install ## run only the task worker
	DEBUG=1 $(MANAGE) db_worker

.PHONY: clean
clean: ## remove the virtual environments and the local database
	rm -rf $(VENV) $(TOOLS) var/werkplek.sqlite3*

.PHONY: assets
assets: ## rebuild the CSS/JS from assets/ (needs node; the output is committed, `make run` does not need it)
	cd assets && npm ci && npm run build
