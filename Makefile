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

.PHONY: help install data verify-data processed report test lab clean lock bench lint

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

report: processed ## the main job: build the data, run the baseline notebook, write figures, tables and HTML
	@mkdir -p reports/executed reports/html
	$(BIN)/papermill -k python3 --cwd notebooks --execution-timeout 600 --no-progress-bar \
	  notebooks/01_baseline_review.ipynb reports/executed/01_baseline_review.ipynb
	$(BIN)/jupyter nbconvert --to html --no-input --log-level WARN \
	  --output-dir reports/html reports/executed/01_baseline_review.ipynb
	@echo "report: reports/html/01_baseline_review.html, figures in reports/figures, tables in reports/tables"

test: install ## run the test suite (unit + integration against the data mirror)
	$(BIN)/python -m pytest

lab: install ## start JupyterLab with the package importable
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install ## time fetch from the mirror plus a cold build
	$(BIN)/python scripts/bench_data.py

lint: install ## ruff over the package, tests and scripts
	$(BIN)/ruff check src tests scripts

lock: ## re-resolve the exact versions into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e ".[dev]"
	{ echo '# Exact versions resolved on Python 3.11 (pip install -c requirements.lock -e ".[dev]").'; \
	  echo '# Regenerate with: make lock'; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^analysis'; } > requirements.lock
	rm -rf .lock-venv

clean: ## remove generated data and reports (keeps .venv)
	rm -rf data/raw/* data/processed/* reports/*
	@touch data/raw/.gitkeep data/processed/.gitkeep reports/.gitkeep
