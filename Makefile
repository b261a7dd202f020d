# Every target has a '## description'; `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml setup.py constraints.txt
	@$(PYTHON) -m localglue.prereqs
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed ## create .venv and install the project with its test tools

run: venv ## generate the sample, ingest it, run the rubric jobs and print the validation report
	$(PY) -m lakehouse demo

test: venv ## run the layer contracts and the whole test suite (what CI runs)
	$(VENV)/bin/lint-imports
	@set +e; $(PY) -m pytest -n 2 --dist loadgroup; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating that as a failure"; exit 1; fi; exit $$rc

test-fast: venv ## the inner loop: every test but the heavy end-to-end runs (about 5 min on a 2-core machine)
	@set +e; $(PY) -m pytest -n 2 --dist loadgroup -m "not e2e and not slow"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating that as a failure"; exit 1; fi; exit $$rc

notebooks: venv ## open both notebooks in JupyterLab (Ctrl-C stops it; JUPYTER_ARGS="--no-browser ...")
	$(VENV)/bin/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(JUPYTER_ARGS)

lint: venv ## ruff lint and format check, and the import-layer contracts
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(VENV)/bin/lint-imports

bench: venv ## run the benchmarks and rewrite docs/benchmarks.md
	$(PY) -m bench

class-screenshot: venv ## grade the learner-style demo class on the embedded sample; redraw docs/screenshots/class/summary.png
	rm -rf reports/demo-class
	$(PY) -m tests.learner_class reports/demo-class/stedi-cohort
	$(PY) -m lakehouse grade --class reports/demo-class/stedi-cohort --report-dir reports/demo-class/grade || [ $$? = 1 ]
	$(PY) -m tests.browser reports/demo-class/grade/summary.html docs/screenshots/class/summary.png 1400 1320

lock: venv ## pin constraints.txt to the versions installed in .venv (after a dependency change)
	@{ echo '# The versions CI tests: `make venv` installs with `pip install -c constraints.txt`.'; \
	  echo '# Regenerate from a working venv after changing pyproject.toml'"'"'s dependencies: make lock'; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^stedi-lakehouse'; } > constraints.txt
	@touch $(VENV)/.installed

clean: ## remove the local lake, sample, reports and caches
	rm -rf lake sample reports .pytest_cache .ruff_cache spark-warehouse metastore_db derby.log

.PHONY: help venv run test test-fast notebooks lint bench class-screenshot lock clean
