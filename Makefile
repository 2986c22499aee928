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
# Two pytest workers per core (pytest-xdist): each test starts its own servers on free ports,
# and a worker waiting for its server, a CLI process or a browser leaves its core to the other
# (on two cores: 545 s against 610 s with one worker per core). Test files go to memory where
# the machine has it (/dev/shm): every acknowledged write is fsynced there as anywhere, without
# waiting for a disk; the directory is removed afterwards.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))
TEST_TMPDIR ?= $(if $(wildcard /dev/shm/.),/dev/shm,$(or $(TMPDIR),/tmp))
test: $(BIN)/.installed lint chromium
	$(BIN)/python -m compileall -q src tests >/dev/null
	tmp=$$(mktemp -d $(TEST_TMPDIR)/iamsandbox-tests.XXXXXX) && \
	$(BIN)/python -m pytest -m "not slow" -n $(TEST_WORKERS) --basetemp=$$tmp; status=$$?; rm -rf $$tmp; exit $$status

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
