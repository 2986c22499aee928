# The two commands (README): `make serve` and `make test`. Each builds .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: serve test test-slow lint conformance bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/.installed
	$(BIN)/iamsandbox serve

test: $(BIN)/.installed lint
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(BIN)/.installed
	$(BIN)/python -m pytest -m slow

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench conformance
	$(BIN)/mypy

# Public case sets from ../shared (iam-simulate's are AGPL: read there, never copied).
conformance: $(BIN)/.installed
	$(BIN)/python conformance/policy_eval.py $(SHARED)/conformance/policy-eval

bench: $(BIN)/.installed
	$(BIN)/python bench/policy_eval.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
