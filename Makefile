# Two entry points: `make run` (pipeline on the bundled sample) and `make test` (the test suite).
# Both set up .venv from nothing, with the exact versions pinned in constraints.txt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
MANIFEST := dbt_project/target/manifest.json

export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup manifest run test validate browser ui sample bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

# dagster-dbt loads the manifest at import time; build it before anything imports the definitions.
manifest: setup
	cd dbt_project && ../$(BIN)/dbt parse --profiles-dir . --quiet

validate: manifest
	$(BIN)/dagster definitions validate -w workspace.yaml

run: manifest
	$(BIN)/infrathesis run

# The report's browser test drives Debian's Chromium through Playwright (no browser download), and the
# Chinese edition needs a CJK font (Debian's fonts-noto-cjk) or its characters render as boxes.
browser:
	@command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: validate browser
	$(BIN)/pytest

ui: manifest
	$(BIN)/infrathesis ui

bench: manifest
	$(BIN)/infrathesis bench --scale $(or $(SCALE),0.1)

# Rewrites data/sample/landing from infrathesis/sample (a test keeps the two in step).
sample: setup
	$(BIN)/python -m infrathesis.sample

clean:
	rm -rf data/out dbt_project/target dbt_project/logs .pytest_cache
