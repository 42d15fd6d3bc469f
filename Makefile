# One-command set-up: every target below installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# the demo; like any first command after an install it compiles every game's kernels, so
# no later command waits for Numba
run: $(STAMP)
	$(BIN)/fastscan scan

test: $(STAMP)
	$(BIN)/ruff check fastscan kernels cli tests bench
	$(BIN)/ruff format --check fastscan kernels cli tests bench
	$(BIN)/python -m pytest tests -p no:cacheprovider --durations=15
	# every benchmark once, untimed, so the suite cannot rot (addopts would skip them)
	FASTSCAN_BENCH_SMOKE=1 $(BIN)/python -m pytest bench -q -o addopts= --benchmark-disable -p no:cacheprovider

bench: $(STAMP)
	mkdir -p bench-results
	$(BIN)/python -m pytest bench --benchmark-only --benchmark-json=bench-results/latest.json
	$(BIN)/python bench/report.py bench-results/latest.json | tee bench-results/report.md

lint: $(STAMP)
	$(BIN)/ruff check fastscan kernels cli tests bench
	$(BIN)/ruff format --check fastscan kernels cli tests bench

format: $(STAMP)
	$(BIN)/ruff format fastscan kernels cli tests bench
	$(BIN)/ruff check --fix fastscan kernels cli tests bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis bench-results
