# The two commands of the README: `make demo` and `make test`.
# Everything is installed into .venv; nothing is fetched at run time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint clean python-check

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

demo: $(VENV)/.installed
	$(BIN)/seo-audit demo

test: $(VENV)/.installed-dev
	$(BIN)/ruff check audit spiders tests
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check audit spiders tests
	$(BIN)/ruff format --check audit spiders tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
