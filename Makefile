# Every target the README names.  Set-up is automatic: the first target that
# needs the virtual environment creates it from the pinned requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# jupyter-book's kernel and nbval's kernel must see the venv's packages
export PATH := $(abspath $(BIN)):$(PATH)
export KERAS_BACKEND := jax
export MPLBACKEND := Agg

.PHONY: book test lab serve bench clean setup

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

## book: build the HTML book offline into _build/html (zero warnings allowed)
book: $(STAMP)
	rm -rf _build/html
	$(BIN)/jupyter-book build . -W -n --keep-going

## test: unit tests, doctests and every notebook under nbval
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope

## lab: open the chapter notebooks in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab book/

## serve: preview the built book on http://localhost:8000
serve:
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

## bench: print the performance figures and write BENCHMARKS.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build
