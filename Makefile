# The two commands (README): `make serve` and `make test`. Each builds .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: serve test test-slow lint chromium conformance bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/.installed
	$(BIN)/iamsandbox serve

# Byte-compiled first: with PYTHONDONTWRITEBYTECODE set (as on CI's machines) every server
# and CLI process the end-to-end tests start would otherwise compile the package again.
# One pytest worker per core (pytest-xdist): each test starts its own servers on free ports.
test: $(BIN)/.installed lint chromium
	$(BIN)/python -m compileall -q src tests >/dev/null
	$(BIN)/python -m pytest -m "not slow" -n auto

# The console's browser tests need Debian's /usr/bin/chromium: installed here when make
# runs as root (as on CI); otherwise it says what to run.
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| { echo "The console tests need Chromium: sudo apt-get install -y chromium"; exit 1; }

test-slow: $(BIN)/.installed
	$(BIN)/python -m pytest -m slow

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench conformance
	$(BIN)/ruff format --check --quiet src tests bench conformance
	$(BIN)/mypy

# Public case sets from ../shared (iam-simulate's are AGPL: read there, never copied).
conformance: $(BIN)/.installed
	$(BIN)/python conformance/policy_eval.py $(SHARED)/conformance/policy-eval

bench: $(BIN)/.installed
	$(BIN)/python bench/policy_eval.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
