# The two commands of the README: `make demo` and `make test`.
# Everything is installed into .venv; nothing is fetched at run time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench precision clean python-check system-deps

# Debian packages of the offline checkers: Hunspell dictionaries (spelling; the
# "comprehensive" French variant accepts both classical and 1990 reformed spellings),
# Grammalecte (French grammar, pure Python, found by audit/text/grammar.py), Chromium
# (site.render: pages rendered headless, driven by Playwright; its tests skip without it)
# and redis-server (the distributed-crawl tests start their own on 127.0.0.1).
SYSTEM_PACKAGES := hunspell-fr-comprehensive hunspell-en-us hunspell-en-gb python3-grammalecte \
                   chromium redis-server

python-check:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Python >= 3.11 is required (found: $$($(PYTHON) --version 2>&1)). Set PYTHON=python3.x"; exit 2; }

$(BIN)/python: | python-check
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Installed with apt-get when we can (root on Debian/Ubuntu); otherwise named clearly.
# The audit still runs without them and says in the report which checks were skipped.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing system packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  (apt-get install -y -qq $$missing || (apt-get update -qq && apt-get install -y -qq $$missing)) \
	    >/dev/null || { echo "apt-get failed for:$$missing"; exit 1; }; \
	else \
	  echo "*** Please install these system packages (offline spelling and grammar, rendering; Redis for the distributed-crawl tests):$$missing"; \
	  echo "*** (Debian/Ubuntu: sudo apt-get install$$missing; elsewhere: Hunspell fr/en dictionaries"; \
	  echo "***  and Grammalecte, then set spelling.dictionaries in the client config; Chromium,"; \
	  echo "***  then set site.chromium to its path)"; \
	fi

demo: $(VENV)/.installed system-deps
	$(BIN)/seo-audit demo

test: $(VENV)/.installed-dev system-deps
	$(BIN)/ruff check audit spiders tests
	$(BIN)/python -m pytest -q

# Speed and memory figures (BENCHMARKS.md); not part of `make test`.
bench: $(VENV)/.installed system-deps
	$(BIN)/python -m tests.bench.bench_content --pages 1000 --no-grammar
	$(BIN)/python -m tests.bench.bench_content --pages 100
	$(BIN)/python -m tests.bench.bench_duplicates
	$(BIN)/python -m tests.bench.bench_audit --pages 1000 --repeat 3
	$(BIN)/python -m tests.bench.bench_report --pages 100000

# Precision of the content rules on the real-site corpus (tests/realsites), into BENCHMARKS.md.
precision: $(VENV)/.installed system-deps
	$(BIN)/python -m tests.realsites.precision --write

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check audit spiders tests
	$(BIN)/ruff format --check audit spiders tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
