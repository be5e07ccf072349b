# narrascope: `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PAGES ?= ../shared/seeds
DEMO_DB ?= demo.db
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test lint types unit eval bench bench-1m battery audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"

# pip (not uv/poetry): the CPU build of torch==2.13.0 is found on local disk by pip only.
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/narrascope ingest $(PAGES) --db $(DEMO_DB) || [ $$? -eq 1 ]
	$(BIN)/narrascope articles --db $(DEMO_DB)
	$(BIN)/narrascope speakers --db $(DEMO_DB)
	$(BIN)/narrascope narratives --db $(DEMO_DB)

lint: install
	$(BIN)/ruff check src tests bench

types: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint types unit

# Full evaluations on ../shared/data; latest figures in bench/README.md.
eval: install
	$(BIN)/python bench/eval_extraction.py
	$(BIN)/python bench/eval_quotes.py
	$(BIN)/python bench/eval_narratives.py
	$(BIN)/python bench/eval_clusters.py
	$(BIN)/python bench/narrative_purity.py 100
	$(BIN)/python bench/ingest_corpus.py
	$(BIN)/python bench/eval_stance.py

# Benchmarks: extraction speed (text/HTML modes vs trafilatura), web latency on a 100k-article database, clustering cost at 10k and 100k claims.
bench: install
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/web_latency.py --articles 100000
	$(BIN)/python bench/cluster_scale.py --sizes 10000 100000 1000000 --peer bertopic

# One million articles (bench/README.md "One million articles"): the source pages through the pipeline once
# (cached in /tmp, with the per-page and global-refresh timings beside it), a 1M-article database bulk-loaded
# from their variants (reused if it exists; about 33 GB), then search, page/API latency and L1 on it, then
# the cost of adding 10k pages to it (which leaves it 10k articles larger). About 1.5 h on a quiet machine.
SCALE_DIR ?= /tmp/narrascope-scale
bench-1m: install
	$(BIN)/python bench/source_corpus.py --pages 500
	test -e $(SCALE_DIR)/1m.db || $(BIN)/python bench/synthetic_corpus.py --articles 1000000 --db $(SCALE_DIR)/1m.db
	$(BIN)/python bench/scale_search.py --db $(SCALE_DIR)/1m.db
	$(BIN)/python bench/web_latency.py --db $(SCALE_DIR)/1m.db --requests 20
	$(BIN)/python bench/load.py l1 --db $(SCALE_DIR)/1m.db --clients 50 --seconds 300
	$(BIN)/python bench/load.py l1 --db $(SCALE_DIR)/1m.db --clients 50 --seconds 120 --think 1.0
	# last, as it changes the database in place: 10k new pages through the store and the incremental refresh
	$(BIN)/python bench/add_pages.py --db $(SCALE_DIR)/1m.db --pages 10000

# Long battery runs (BATTERY.md): kill -9 and crash-snapshot trials, the 10-minute writer + 20 readers (D5),
# fuzzing 10 minutes per parser (H13), 50 clients on a 50k-article database (L1), a 30-minute soak (L2) and
# the extraction regression gate (L3). About 100 minutes on 2 cores; figures in bench/README.md.
battery: install
	$(BIN)/pytest -q -m battery_long tests/battery
	$(BIN)/python bench/battery.py --minutes 10
	$(BIN)/python bench/load.py l1 --articles 50000 --clients 50 --seconds 300
	$(BIN)/python bench/load.py l2 --minutes 30 --readers 5
	$(BIN)/python bench/regression.py

# W7: pip-audit over every pin, in its own venv; needs the network (PyPI JSON API or OSV), so not in `make test`.
# Fails when any pin could not be audited: pip-audit alone reports "no known vulnerabilities" offline.
audit:
	[ -x .venv-audit/bin/pip-audit ] || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet -r bench/requirements-audit.txt)
	.venv-audit/bin/python bench/audit.py --pip-audit .venv-audit/bin/pip-audit

clean:
	rm -rf $(VENV) .venv-audit .mypy_cache .ruff_cache .pytest_cache $(DEMO_DB)*
