# Daily commands. `make run` starts the app on the bundled data; `make test` runs every test.
VENV := .venv/bin
.PHONY: setup run test test-fast lint typecheck build validate stats browser-tests bench clean

setup:
	@bash scripts/setup.sh

run:
	@KG_SETUP_SYSTEM=0 bash scripts/setup.sh
	$(VENV)/kg serve

test: setup
	$(VENV)/python -m pytest -q --doctest-modules kg tests

test-fast: setup
	KG_SETUP_SYSTEM=0 $(VENV)/python -m pytest -q -m "not browser and not remote and not slow" --doctest-modules kg tests

lint: setup
	$(VENV)/ruff check kg webapp tests

typecheck: setup
	$(VENV)/mypy

build validate stats: setup
	$(VENV)/kg $@

bench: setup
	$(VENV)/kg bench

clean:
	rm -rf var test-output .pytest_cache
