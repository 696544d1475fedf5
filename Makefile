# Two commands for a fresh machine:
#   make report   build the report (creates .venv from requirements.lock on first use)
#   make test     run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
CORES ?= all

.PHONY: report test lint format lock dry-run clean bench

report: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m mining_report.recovery
	$(BIN)/snakemake --cores $(CORES) --rerun-incomplete

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check .
	$(BIN)/snakemake --lint
	$(BIN)/actionlint

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/snakefmt .

dry-run: $(STAMP)
	$(BIN)/snakemake --dry-run

# The isolated environment, rebuilt whenever the lock changes.
$(STAMP): requirements.lock
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# Re-pin every dependency from requirements.in; then update environment.yml and
# workflow/envs/pipeline.yaml to the new versions (tests/test_environment.py checks).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Pinned by 'make lock' from requirements.in (Python 3.11, Linux x86_64). Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze; } > requirements.lock
	rm -rf .lock-venv

# Remove everything the pipeline writes; raw data and sources stay.
clean:
	rm -rf data/interim data/processed/*.parquet data/processed/*.csv data/processed/validation \
	  reports/_build reports/figures reports/_variables.yml \
	  reports/*.html reports/*.pdf reports/manifest.json logs .snakemake/metadata
	find data reports -name '*.part' -type f -delete

# Medians of a cold build, a no-op run, a one-table edit and 100x daily rows.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
