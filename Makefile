# vdwnb: `make test` (what CI runs) and `make demo`. The venv lives outside the clone (tools/venv.sh).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
NB_WORKERS ?= 2

.PHONY: venv browser test test-slow test-nbs test-py demo readme clean bench

venv:
	@PYTHON=$(PYTHON) tools/venv.sh > .venv-path
	@echo "venv: $$(cat .venv-path)"

# fetch_example's cache: the reference copies in ../shared/data/tedgen when they are there (nothing is downloaded)
EXAMPLES := $(wildcard $(abspath ..)/shared/data/tedgen)

test: venv browser
	@V=$$(cat .venv-path); export PATH="$$V/bin:$$PATH"; \
	if [ -n "$(EXAMPLES)" ]; then export VDWNB_EXAMPLES="$(EXAMPLES)"; fi; \
	python tools/check_export.py && \
	python tools/check_imports.py && \
	python tools/readme.py --check && \
	python tools/check_figures.py && \
	python tools/colab.py --check && \
	nbdev_test --n_workers $(NB_WORKERS) --do_print --timing && \
	python -m pytest -q tests

# Debian's chromium for tests/test_browser.py (installed once, as root; without it that test skips)
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
	  echo "installing chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
	    || echo "chromium could not be installed: tests/test_browser.py will skip"; \
	fi

test-slow: venv
	@V=$$(cat .venv-path); export PATH="$$V/bin:$$PATH"; \
	nbdev_test --n_workers $(NB_WORKERS) --flags slow --do_print --timing && \
	python -m pytest -q tests --runslow

demo: venv
	@V=$$(cat .venv-path); export PATH="$$V/bin:$$PATH"; \
	vdwnb demo --out demo_out --overwrite   # the demo's own folder: each `make demo` replaces its results

readme: venv
	@V=$$(cat .venv-path); "$$V/bin/python" tools/readme.py

bench: venv
	@V=$$(cat .venv-path); "$$V/bin/python" tools/check_figures.py && "$$V/bin/python" bench/speed.py && "$$V/bin/python" bench/bench_calibration.py && "$$V/bin/python" bench/simulate.py && "$$V/bin/python" bench/trident_train.py && "$$V/bin/python" bench/trident.py && "$$V/bin/python" bench/infer.py && "$$V/bin/python" bench/maps.py && "$$V/bin/python" bench/verify.py

clean:
	rm -rf .venv-path _proc _docs .pytest_cache .hypothesis
