# The two commands a fresh machine needs: `make site` and `make test`.
# `make docs` builds Spotlight's own documentation (docs/, mkdocs.docs.yml) into .docs-site/.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Builds use a fixed moment only when asked: AS_OF=2027-05-15T12:00:00Z make site
AS_OF ?=

.PHONY: site test check serve install docs lighthouse bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,engines]'
	touch $@

install: $(VENV)/.installed

site: install
	$(PY) build.py build $(if $(AS_OF),--as-of $(AS_OF))

check: install
	$(PY) build.py check $(if $(AS_OF),--as-of $(AS_OF))

serve: install
	$(PY) build.py serve

# --strict: a link to a missing page or heading fails the build (as in tests/test_docs.py).
docs: install
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --config-file mkdocs.docs.yml

test: install browser-deps
	$(PY) -m pytest -q -rs

clean:
	rm -rf site .site-* .docs-site $(VENV) node_modules

-include mk/*.mk
