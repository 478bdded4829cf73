# Every target the README names.  Set-up is automatic: the first target that
# needs the virtual environment creates it from the pinned requirements.lock;
# the first that needs JavaScript runs `npm ci` (package-lock.json); the browser
# tests install Debian's chromium when /usr/bin/chromium is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# jupyter-book's kernel and nbval's kernel must see the venv's packages
export PATH := $(abspath $(BIN)):$(PATH)
export KERAS_BACKEND := jax

# ---------------------------------------------------------------------------
# Offline book: vendored JavaScript (issue 4).  Contract for the pages:
#   npm packages, exact versions in package.json / package-lock.json:
#     mathjax 3.2.2, vega 6.2.0, vega-lite 6.4.1, vega-embed 7.0.2
#     (vega-lite = altair.VEGALITE_VERSION; vega 6.x / vega-embed 7.x are
#     altair.VEGA_VERSION "6" / VEGAEMBED_VERSION "7", pinned to the builds
#     vl-convert-python bundles for Altair's own inline HTML).
#   Served from the build (html_extra_path: book/_vendor -> _build/html/):
#     vendor/mathjax/tex-mml-chtml.js        (Sphinx mathjax_path)
#     vendor/vega/vega.min.js                global `vega`
#     vendor/vega-lite/vega-lite.min.js      global `vegaLite`
#     vendor/vega-embed/vega-embed.min.js    global `vegaEmbed`
#   The three Vega scripts are in every page's <head> with `defer`, in that
#   order (html_js_files in _config.yml): inline chart code must run
#   `vegaEmbed(...)` after DOMContentLoaded (or at once if window.vegaEmbed
#   is already defined).  No require.js on any page (nb_ipywidgets_js: {}),
#   so the UMD bundles define globals, not AMD modules.
#   Details and a snippet: tests/browser/README.md.
# ---------------------------------------------------------------------------
NODE_STAMP := node_modules/.installed
VENDOR := book/_vendor/vendor
VENDOR_STAMP := $(VENDOR)/vega-embed/vega-embed.min.js
CHROMIUM := /usr/bin/chromium
# MathJax components a page can load: the combined tex-mml-chtml.js plus what
# it loads on demand (TeX extensions, fonts, the menu's renderers, a11y, speech).
MATHJAX_PARTS := tex-mml-chtml.js input output ui a11y adaptors sre
BUILD_FLAGS := -W -n --keep-going
# The book builds into $(OUT)/_build (jupyter-book's --path-output);
# `make book OUT=/tmp/x` builds a second copy without touching ./_build.
OUT ?= .
BUILD := $(OUT)/_build
JCACHE := $(BUILD)/.jupyter_cache
NOTEBOOKS := $(wildcard book/*.ipynb)
PORT ?= 8000
# Four workers on two cores: the JupyterLab and Notebook 7 checks wait on kernels
# and a server in places; with four, both cores stay busy (vmstat: 97-100 % user+sys
# for all but the last minutes of a run).  `time`'s user+sys misses the browsers and
# kernels, so it once made the run look half idle; `make bench` counts them (cgroup).
PYTEST_FLAGS ?= -n 4 --dist loadscope

.PHONY: book html test lab serve bench pdf clean setup vendor screenshots

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(LAB_STAMP)

# The learner's environment (make lab): the same pins without PyTorch, JAX,
# Keras, Optax and what only they need (1.2 GB less); the notebooks' framework
# cells then print how to add them.  `make lab FRAMEWORKS=1` uses the full set.
FRAMEWORK_PKGS := torch jax jaxlib keras optax absl-py h5py ml_dtypes namex optree opt_einsum networkx
LAB_STAMP := $(VENV)/.installed-lab
empty :=
space := $(empty) $(empty)
$(LAB_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	grep -v -E '^($(subst $(space),|,$(FRAMEWORK_PKGS)))==' requirements.lock > $(VENV)/requirements-lab.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements-lab.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

## vendor: copy MathJax and the Vega runtime from node_modules into book/_vendor
vendor: $(VENDOR_STAMP)

$(VENDOR_STAMP): $(NODE_STAMP)
	rm -rf book/_vendor
	mkdir -p $(VENDOR)/mathjax $(VENDOR)/vega $(VENDOR)/vega-lite $(VENDOR)/vega-embed
	cd node_modules/mathjax/es5 && cp -r $(MATHJAX_PARTS) $(abspath $(VENDOR))/mathjax/
	cp node_modules/mathjax/LICENSE $(VENDOR)/mathjax/
	for p in vega vega-lite vega-embed; do \
	  cp node_modules/$$p/build/$$p.min.js node_modules/$$p/LICENSE $(VENDOR)/$$p/ || exit 1; \
	done

$(CHROMIUM):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# The source's Chinese terms (e.g. 分段) must render as a reader sees them in
# the screenshots, not as boxes: Debian's Noto CJK (its fontconfig file picks
# the Simplified Chinese variant).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
$(CJK_FONT):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk
	fc-cache -f >/dev/null

## book: build the HTML book offline into _build/html (zero warnings allowed)
book: html

# jupyter-book executes notebooks one after another; on 2 cores that alone
# took 115 s.  jupyter-cache first runs the outdated ones in parallel (one per
# core) into the very cache jupyter-book reads, so the build only merges
# outputs; the stamp skips this step when nothing changed.  book/_ext/execute.py
# is jupyter-cache's local-parallel executor that also stores the {eval}
# results of the prose (the bridge to MyST-NB #597); a failing cell or
# expression stops the build here with its traceback.
# 600 s = execute.timeout in _config.yml.
# jupyter-cache and Sphinx see a notebook's code, not the decaylib it imports:
# after a library change (or with no stamp yet) the cache and the parsed pages
# are dropped, so no page shows outputs of an older decaylib.
LIBRARY := $(wildcard decaylib/*.py decaylib/*/*.py)
$(JCACHE)/executed.stamp: $(NOTEBOOKS) $(LIBRARY) | $(STAMP)
	if [ ! -f $@ ] || [ -n "$(filter $(LIBRARY),$?)" ]; then \
	  rm -rf $(JCACHE) $(BUILD)/.doctrees $(BUILD)/jupyter_execute; fi
	mkdir -p $(JCACHE)
	JUPYTERCACHE=$(JCACHE) $(BIN)/jcache notebook add $(NOTEBOOKS) >/dev/null
	JUPYTERCACHE=$(JCACHE) $(BIN)/python book/_ext/execute.py --timeout 600
	touch $@

# The Chinese edition (locale/zh_CN) is built from the same executed notebooks
# (book/_ext/edition.py: language zh_CN, this jupyter-cache, -W -n) beside the
# English one, then copied into it: myst-nb writes jupyter_execute/ next to
# its output folder, so it cannot build into _build/html/zh_CN directly.
# Nothing changed since the last build (this stamp is newer than every source
# of the pages): nothing to do.
BOOK_SOURCES := $(NOTEBOOKS) _config.yml _toc.yml $(wildcard book/*.md book/*.bib \
  book/_ext/*.py book/_static/* book/_templates/* locale/*/LC_MESSAGES/*.po locale/*/LC_MESSAGES/*/*.po)
HTML_STAMP := $(BUILD)/html/.built
html: $(HTML_STAMP)

# The two editions only read the executed notebooks: they are built at the
# same time, one per core (the Chinese one's log is shown after the English).
$(HTML_STAMP): $(BOOK_SOURCES) $(JCACHE)/executed.stamp $(VENDOR_STAMP) $(STAMP)
	rm -rf $(BUILD)/html $(BUILD)/zh/html
	mkdir -p $(BUILD)/zh
	JCACHE=$(JCACHE) $(BIN)/python book/_ext/edition.py html zh_CN $(BUILD)/zh > $(BUILD)/zh/build.log 2>&1 & zh=$$!; \
	$(BIN)/jupyter-book build . --path-output $(OUT) $(BUILD_FLAGS); en=$$?; \
	wait $$zh; zh=$$?; echo "--- the Chinese edition ($(BUILD)/zh/build.log):"; cat $(BUILD)/zh/build.log; \
	[ $$en -eq 0 ] && [ $$zh -eq 0 ]
	cp -r $(BUILD)/zh/html $(BUILD)/html/zh_CN
	touch $@

## test: build the book, then unit tests, doctests, every notebook under nbval
## and the browser tests (tests/browser) against the fresh build
test: $(STAMP) $(VENDOR_STAMP) $(CHROMIUM) $(CJK_FONT)
	$(MAKE) --no-print-directory pdf
	rm -rf _build/screenshots
	$(BIN)/python -m pytest $(PYTEST_FLAGS)

## screenshots: a full-page screenshot of every page of both editions and of every
## live chart, into _build/screenshots/ (make test takes them only of failing pages)
screenshots: html $(CHROMIUM) $(CJK_FONT)
	rm -rf _build/screenshots
	BOOK_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadscope \
	  tests/browser/test_book_pages.py tests/browser/test_live_browser.py -k "test_page or page_of_its_own"

## lab: open the chapter notebooks in JupyterLab (FRAMEWORKS=1: with PyTorch, Keras, Optax)
lab: $(if $(FRAMEWORKS),$(STAMP),$(LAB_STAMP))
	$(BIN)/jupyter lab book/

## serve: preview the built book on http://127.0.0.1:$(PORT) (builds it if missing)
serve: $(STAMP)
	test -f _build/html/index.html || $(MAKE) --no-print-directory html
	@echo "Serving _build/html at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

## bench: print the performance figures and write BENCHMARKS.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## pdf: the whole book as one PDF, printed from the built HTML by Chromium in
## the order of _toc.yml: $(BUILD)/pdf/decay-book.pdf, copied into $(BUILD)/html
## for the intro's link, and the Chinese edition's into $(BUILD)/html/zh_CN
## (about a minute each; builds the book first if it is not up to date)
# Printed again only when the HTML was rebuilt (the stamp is newer than it).
PDF_STAMP := $(BUILD)/pdf/.printed
pdf: $(PDF_STAMP)

$(PDF_STAMP): $(HTML_STAMP) book/_ext/book_pdf.py | $(STAMP) $(CHROMIUM) $(CJK_FONT)
	$(BIN)/python book/_ext/book_pdf.py --html $(BUILD)/html --out $(BUILD)/pdf/decay-book.pdf
	$(BIN)/python book/_ext/book_pdf.py --html $(BUILD)/html/zh_CN --out $(BUILD)/pdf/decay-book.zh_CN.pdf
	touch $@

clean:
	rm -rf _build
