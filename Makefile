# Two commands for a fresh machine:
#   make report   build the report (creates .venv from requirements.lock on first use)
#   make test     run the whole test suite
# `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
CORES ?= all
# uv installs the lock (hash-checked) in seconds; `make` bootstraps it into .tools/
# from its own hashed lock. Point UV at another uv to use that one instead.
TOOLS ?= .tools

# Arguments are data, never shell: a recipe passes a variable on as `$(call arg,NAME)`,
# its text unexpanded (a `$(shell ...)` in it stays text) as one single-quoted shell
# word, after `--` or as `--option=value`, so that neither make, the shell nor a
# program's option parser reads it as anything but a value.
arg = '$(subst ','\'',$(value $(1)))'
# Nor are they exported: putting a variable in a recipe's environment expands it.
unexport SOURCE BASE_URL ACCEPT TABLE VAR CORES RENDER SINCE
# A value is shown in a message on one line, its line breaks as \n.
define newline


endef
shown = '$(subst $(newline),\n,$(subst ','\'',$(value $(1))))'
$(foreach name,SOURCE BASE_URL TABLE VAR SINCE,$(if $(findstring $(newline),$(value $(name))),$(error \
  $(name) must be one line, not $(call shown,$(name)))))
# The paths and programs a user may point elsewhere (PYTHON=python3.12, VENV=/opt/env)
# are plain path words, checked before anything expands them.
plain = $(if $(value $(1)),$(shell printf '%s' $(call arg,$(1)) | tr '\n' ' ' | grep -qx '[A-Za-z0-9_./+=:@%-]*' || echo no))
$(foreach name,PYTHON VENV TOOLS UV,$(if $(call plain,$(name)),$(error \
  $(name) must be a plain path (letters, digits and . / _ - + = : @ %), not $(call shown,$(name)))))

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
# The project itself, installed editable into the venv: the only way its package is found.
PROJECT := $(VENV)/.installed-project
ifeq ($(origin UV),undefined)
UV := $(TOOLS)/bin/uv
BOOTSTRAP_UV := yes
endif
# Never let uv fetch a Python of its own: the venv uses $(PYTHON).
export UV_PYTHON_DOWNLOADS := never

.PHONY: help report run-report explain changes new-edition test test-cluster lint format lock dry-run clean bench refresh resign

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' \
	  $(MAKEFILE_LIST)

ifneq ($(value CORES),all)
ifeq ($(shell echo $(call arg,CORES) | grep -Ex '[1-9][0-9]{0,3}'),)
$(error CORES must be 'all' or a number of cores, not $(call shown,CORES))
endif
endif
ifneq ($(value ACCEPT),)
ifneq ($(value ACCEPT),1)
$(error ACCEPT=1 replaces the snapshot; leave ACCEPT out to only stage it, not ACCEPT=$(call shown,ACCEPT))
endif
endif

# RENDER=quarto requires Quarto on PATH, RENDER=pandoc forces the portable fallback;
# unset, the config's render_engine decides (auto: Quarto when it is on PATH).
RENDER ?=
ifneq ($(filter-out auto quarto pandoc,$(value RENDER))$(word 2,$(value RENDER)),)
$(error RENDER must be auto, quarto or pandoc, not $(call shown,RENDER))
endif
RENDER_CONFIG := $(if $(RENDER),--config render_engine=$(RENDER))

report: $(PROJECT) ## build the report: reports/<name>.html and .pdf (RENDER=quarto|pandoc picks the renderer)
	$(BIN)/python -m mining_report.pipeline.launcher --cores=$(call arg,CORES) $(RENDER_CONFIG)

run-report: $(PROJECT) ## write Snakemake's own run report (every output, its rule, code and runtime)
	$(BIN)/python -m mining_report.pipeline.launcher --cores=$(call arg,CORES) --quiet-success
	$(BIN)/snakemake --report reports/run-report.html
	@echo "Snakemake's run report: reports/run-report.html (open it in a browser)"

# Reads the built reports/_build/lineage.json; names close matches for an unknown VAR.
explain: $(PROJECT) ## where a number of the report comes from: make explain VAR=china_share_baseline
	@test -n $(call arg,VAR) || { echo "ERROR: name the number: make explain VAR=<name>" >&2; exit 2; }
	@$(BIN)/python -m mining_report.report.explain -- $(call arg,VAR)

# Reads the published reports/edition.json and the editions archived under editions/.
changes: $(PROJECT) ## what changed since an edition: make changes [SINCE=2026-11-22 or a git ref]
	@$(BIN)/python -m mining_report.report.changes $(if $(value SINCE),--since=$(call arg,SINCE))

new-edition: $(PROJECT) ## refresh every source, rebuild, and write what changed (the weekly loop)
	$(BIN)/python -m mining_report.pipeline.new_edition

test: $(PROJECT) ## run the whole test suite
	$(BIN)/pytest

# tests/cluster/test_cluster.py; the trap stops the daemons even if pytest dies.
test-cluster: $(PROJECT) ## run the pipeline on a throw-away single-node SLURM cluster (root, Debian)
	export THROWAWAY_SLURM_DIR="$${TMPDIR:-/tmp}/throwaway-slurm-test"; \
	trap 'tests/cluster/throwaway-slurm.sh stop' EXIT; \
	$(BIN)/pytest -m cluster --numprocesses=0

lint: $(PROJECT) ## ruff, ruff format --check, snakefmt --check, snakemake --lint, actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check .
	$(BIN)/snakemake --lint
	$(BIN)/snakemake --lint --configfile .test/config/config.yaml
	$(BIN)/actionlint

format: $(PROJECT) ## apply ruff and snakefmt
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/snakefmt .

refresh: $(PROJECT) ## fetch SOURCE anew into data/staging/ and show the diff; ACCEPT=1 replaces it
	$(BIN)/python -m mining_report.raw.refresh \
	  $(if $(value BASE_URL),--base-url=$(call arg,BASE_URL)) $(if $(ACCEPT),--accept) \
	  -- $(call arg,SOURCE)

resign: $(PROJECT) ## re-validate a hand-edited raw TABLE, then update its sidecar (sha256, change log)
	$(BIN)/python -m mining_report.raw.refresh --resign=$(call arg,TABLE)

dry-run: $(PROJECT) ## show what a build would run, and why
	$(BIN)/snakemake --dry-run

# The installer itself, from its own hashed lock (unless UV names one to use).
ifdef BOOTSTRAP_UV
# A venv without pip of its own, filled by this Python's pip, is ready in 2 s instead of 5;
# where that pip is too old or missing, an ordinary venv installs it.
$(UV): requirements-tools.lock
	rm -rf $(TOOLS)
	$(PYTHON) -m venv --without-pip $(TOOLS) && $(PYTHON) -m pip --python $(TOOLS)/bin/python \
	  install --quiet --disable-pip-version-check --require-hashes -r requirements-tools.lock \
	  || { rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/python -m pip install \
	       --quiet --disable-pip-version-check --require-hashes -r requirements-tools.lock; }
	touch $(UV)
endif

# The isolated environment, rebuilt whenever the lock changes. Every file is checked
# against its sha256 in the lock; a mismatch stops the install and says so. The modules
# the build imports are compiled to bytecode now, as pip would, or every job would parse
# pandas anew (with PYTHONDONTWRITEBYTECODE set, Python never writes .pyc files itself);
# the test and lint tools, which one process loads once, are left out: 4 s instead of 7.
NOT_PRECOMPILED := /(playwright|hypothesis|_pytest|pytest|black|blib2to3|snakefmt|pre_commit|virtualenv|nbformat|identify|tests?)/
$(STAMP): requirements.lock | $(if $(BOOTSTRAP_UV),$(UV))
	rm -rf $(VENV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)
	@$(UV) pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock \
	  || { echo "ERROR: installing requirements.lock failed (above: which package and why)." \
	       "A hash mismatch means a file differs from the one locked: do not edit hashes by hand;" \
	       "run 'make lock' to re-pin, or restore requirements.lock with git." >&2; \
	       rm -rf $(VENV); exit 1; }
	@$(BIN)/python -m compileall -q -j0 -x '$(NOT_PRECOMPILED)' $(VENV)/lib > /dev/null 2>&1 || true
	touch $(STAMP)

# `pip install -e .`: the package's modules are read from src/ (a .pth file), so an edit
# needs no reinstall; pyproject.toml changing (its packages, its entry points) does.
# Its build backend, setuptools, is in the lock: nothing is fetched.
$(PROJECT): pyproject.toml $(STAMP)
	@$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e . \
	  || { echo "ERROR: installing the project into $(VENV) failed (above: why)." >&2; exit 1; }
	touch $(PROJECT)

lock: $(UV) ## re-pin requirements.lock (with hashes) from requirements.in
	$(UV) pip compile requirements.in --quiet --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	  -o requirements.lock
	@echo "Now update environment.yml and workflow/envs/pipeline.yaml to the new versions" \
	  "(tests/repo/test_environment.py checks)."

clean: ## remove everything the pipeline wrote; raw data and sources stay
	rm -rf data/interim data/staging data/processed/*.parquet data/processed/*.csv \
	  data/processed/*.json data/processed/validation reports/_build reports/figures reports/data \
	  reports/_variables.yml reports/*.html reports/*.pdf reports/manifest.json \
	  reports/edition.json logs \
	  .snakemake/metadata
	find data reports -name '*.part' -type f -delete

bench: $(PROJECT) ## cold build vs one-process floor, no-op vs snakemake --version, edit, suite (medians)
	$(BIN)/python benchmarks/bench.py
