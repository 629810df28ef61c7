# Quick start: `make train` (set up, then train and test on DuckDB), `make test` (everything CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# crucible-emulator (a local BigQuery API) pins its own duckdb, so it gets its own venv.
EMULATOR_VENV ?= .venv-emulator
CRUCIBLE_VERSION ?= 0.1.0a2
export DBT_PROFILES_DIR := $(CURDIR)
# `make train DATASET=wine` trains on a shipped preset (presets/<name>.yml) instead of the spiral.
DATASET ?=
DBT_VARS := $(if $(DATASET),--vars "$$(cat presets/$(DATASET).yml)")

.PHONY: install train test test-scale lint docs plot chromium emulator clean bench

# The venv is rebuilt when pyproject.toml changes. uv installs in seconds; dbt-core is
# pinned to 1.11.x in pyproject.toml so nothing is built from source (works offline
# from a package index). The `engines` extra brings dbt-bigquery, dbt-spark and pyspark.
$(BIN)/sqlnn: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[dev,engines]'
	touch $@

$(EMULATOR_VENV)/bin/crucible: | $(BIN)/sqlnn
	$(PYTHON) -m venv $(EMULATOR_VENV)
	$(BIN)/uv pip install --python $(EMULATOR_VENV)/bin/python --quiet 'crucible-emulator[server]==$(CRUCIBLE_VERSION)'
	touch $@

install: $(BIN)/sqlnn $(EMULATOR_VENV)/bin/crucible

train: install
	$(BIN)/dbt build $(DBT_VARS)

lint: install
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/sqlnn scaffold --check

# tests/test_docs_site.py renders the docs in headless Chromium (Debian's package); CI runs as root.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "chromium missing and not root: tests/test_docs_site.py will be skipped (fails under CI=true)"; fi

test: lint chromium
	$(BIN)/pytest

# The 1,000,000-row training run alone (about 1.5 minutes, 7 GB peak; `make test` runs it too).
test-scale: install
	$(BIN)/pytest -m slow -s tests/test_scale.py

docs: install
	$(BIN)/dbt docs generate $(DBT_VARS)

plot: install
	$(BIN)/sqlnn plot $(DBT_VARS)

# The BigQuery emulator in the foreground, for `dbt build --target bigquery_emulator` by hand.
emulator: install
	$(EMULATOR_VENV)/bin/crucible serve --dialect bigquery --host 127.0.0.1 --port 9050

clean:
	rm -rf target logs sqlnn.duckdb .pytest_cache metastore_db spark-warehouse derby.log

# Seconds per training step of each SQL path vs numpy, and dbt's overhead (under 10 min;
# not part of `make test`, whose tests/test_bench.py runs `bench.py --smoke`).
bench: install
	$(BIN)/python bench/bench.py
