# SEND high needs evidence base. `make` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Offline by default where a sibling ../shared/data mirror exists; override or empty to download.
ANALYSIS_DATA_MIRROR ?= $(abspath $(wildcard ../shared/data))
export ANALYSIS_DATA_MIRROR
export PYTHONHASHSEED := 0

.PHONY: help install data verify-data processed report profiles reproduce check test browser lab clean lock bench lint hooks

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv (if absent) and install the package with dev extras, against the lock

$(STAMP): pyproject.toml requirements.lock
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $@

data: install ## fetch every source file into data/raw and verify its sha256
	$(BIN)/python -m analysis data fetch
	$(BIN)/python -m analysis data verify

verify-data: install ## re-check the sha256 of every file in data/raw (no network)
	$(BIN)/python -m analysis data verify

processed: data ## build the tidy tables in data/processed (only those whose inputs changed)
	$(BIN)/python -m analysis data build
	$(BIN)/python -m analysis data tables

report: install ## the main job: run every publication whose inputs changed (the reports, a profile per LA); publish reports/html
	$(BIN)/python -m analysis run $(RUN_ARGS)
	@echo "site to host: reports/html/ (start at index.html; every download inside it), as one file: reports/site.zip"

profiles: install ## only the local area profiles, into reports/html/profiles (PROFILE_ARGS="--only 886 940" etc.)
	$(BIN)/python -m analysis run profiles $(PROFILE_ARGS)

reproduce: install ## clean, run the whole pipeline twice, fail on any difference in figures, tables or HTML
	$(BIN)/python scripts/reproduce.py

check: install ## the fast tier for every change: lint and the unit tests, without the data mirror (about 40 s)
	$(BIN)/ruff check src tests scripts
	env -u ANALYSIS_DATA_MIRROR $(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

TEST_DIR := build/test
test: install browser ## everything CI runs, on both cores: unit + integration (data mirror, browser) and nbval over every notebook
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(BIN)/python -m analysis test-notebooks $(TEST_DIR)/nbval --data-dir $(TEST_DIR)/data \
	  --reports-dir $(TEST_DIR)/nbval/reports
	ANALYSIS_TEST_DATA=$(TEST_DIR)/data $(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider \
	  --nbval-lax --nbval-current-env --nbval-cell-timeout=600 --ignore=tests/fixtures tests $(TEST_DIR)/nbval/*.ipynb

CHROMIUM := /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js
browser: $(CHROMIUM) $(AXE) ## install Debian's chromium (as root, or with sudo) and axe-core (npm) for the browser test

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) \
	  apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm ci --silent --no-audit --no-fund
	@touch $@

$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null

lab: install ## start JupyterLab with the package importable
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install ## benchmarks: data fetch + build; reports and profiles against plain papermill + nbconvert loops (~40 min); a table of every figure at the end
	rm -f build/bench/results.jsonl
	$(BIN)/python scripts/bench_data.py
	$(BIN)/python scripts/bench_forecast.py
	$(BIN)/python scripts/bench_pipeline.py
	$(BIN)/python scripts/bench_profiles.py
	$(BIN)/python scripts/site_weight.py reports
	$(BIN)/python scripts/bench_results.py

hooks: install ## install the git pre-commit hooks (ruff, notebook output stripping, data guard)
	$(BIN)/pre-commit install

lint: install ## ruff over the package, tests, scripts and notebooks
	$(BIN)/ruff check src tests scripts notebooks

lock: ## re-resolve the exact versions into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e ".[dev]"
	{ echo '# Exact versions resolved on Python 3.11 (pip install -c requirements.lock -e ".[dev]").'; \
	  echo '# Regenerate with: make lock'; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^analysis'; } > requirements.lock
	rm -rf .lock-venv

clean: ## remove generated data and reports (keeps .venv)
	rm -rf data/raw/* data/processed/* data/interim reports/* reports/.staging build/test
	@touch data/raw/.gitkeep data/processed/.gitkeep reports/.gitkeep
