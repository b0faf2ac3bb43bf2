PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench bench-ingest bench-load bench-export bench-images bench-save bench-floor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/faturas serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/extract.py

# Needs PostgreSQL and Redis for the scale mode (FATURAS_TEST_DATABASE_URL / FATURAS_TEST_REDIS_URL).
bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest.py

# Load and soak: 10,000 uploads, 20 clients, duplicates mixed in; PostgreSQL + BullMQ + 2 workers.
bench-load: $(STAMP)
	$(BIN)/python bench/load.py

# Exports of a generated 100,000-invoice database in every format: rows/s and peak memory vs one month.
bench-export: $(STAMP)
	$(BIN)/python bench/export.py

bench-images: $(STAMP)
	$(BIN)/python bench/images.py

# The stack's own CPU per bill outside extraction, with nothing of faturas in it, beside the budget of
# the 60% ratio (scale mode when FATURAS_TEST_DATABASE_URL and FATURAS_TEST_REDIS_URL are set).
bench-floor: $(STAMP)
	$(BIN)/python bench/ingest_floor.py

# A worker's CPU per bill outside extraction (reading jobs and files, saving): SQLite, and PostgreSQL
# when FATURAS_TEST_DATABASE_URL names a server (a database is made there for the run, then dropped).
bench-save: $(STAMP)
	$(BIN)/python bench/save_cpu.py
	$(BIN)/python bench/save_cpu.py --one-by-one
	if [ -n "$$FATURAS_TEST_DATABASE_URL" ]; then \
		$(BIN)/python bench/save_cpu.py --postgres "$$FATURAS_TEST_DATABASE_URL" && \
		$(BIN)/python bench/save_cpu.py --one-by-one --postgres "$$FATURAS_TEST_DATABASE_URL"; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
