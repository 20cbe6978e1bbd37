# Daily commands. `make run` starts the app on the bundled data; `make test` runs every test.
VENV := .venv/bin
.PHONY: setup setup-python run test test-fast lint typecheck build validate stats browser-tests bench clean

setup:
	@bash scripts/setup.sh

run: setup-python
	$(VENV)/kg serve

# Everything CI checks: lint, strict types, then every test (unit, app, browser, remote).
test: setup
	$(VENV)/ruff check kg webapp tests
	$(VENV)/mypy
	$(VENV)/python -m pytest -q --doctest-modules kg webapp tests

# The quick loop: no system packages installed, no browser or remote-store tests.
test-fast: setup-python
	$(VENV)/python -m pytest -q -m "not browser and not remote and not slow" --doctest-modules kg webapp tests

lint: setup-python
	$(VENV)/ruff check kg webapp tests

typecheck: setup-python
	$(VENV)/mypy

setup-python:
	@KG_SETUP_SYSTEM=0 bash scripts/setup.sh

build validate stats: setup-python
	$(VENV)/kg $@

bench: setup
	$(VENV)/kg bench

clean:
	rm -rf var test-output .pytest_cache
