# Browser tests and Lighthouse (included by the Makefile: `-include mk/*.mk`).
#
#   make browser-deps   npm ci (axe-core, lighthouse, vnu-jar: pinned in package-lock.json)
#                       when node_modules is missing or older than the lock; checks chromium
#   make lighthouse     builds the sample site as of a fixed moment into .site-lighthouse
#                       and audits it (scripts/lighthouse.py; every score >= LIGHTHOUSE_MIN)
#
# Browsers are never downloaded: Debian's chromium (apt-get install chromium) is used.
# Packages' install scripts are not run (--ignore-scripts): none of ours needs one, and
# vnu-jar's would download a Java runtime; Debian's is used (apt-get install default-jre-headless).

CHROMIUM ?= /usr/bin/chromium
NPM ?= npm
LIGHTHOUSE_AS_OF ?= 2027-05-15T12:00:00Z
LIGHTHOUSE_MIN ?= 0.98
LIGHTHOUSE_SITE ?= .site-lighthouse

.PHONY: browser-deps lighthouse

# npm ci writes node_modules/.package-lock.json; it is older than the lock when the lock
# (or package.json) changed since the last install.
node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $@

browser-deps: node_modules/.package-lock.json
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "browser-deps: $$("$(CHROMIUM)" --version 2>/dev/null || echo chromium) at $(CHROMIUM)"; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "browser-deps: chromium not found at $(CHROMIUM); install it: apt-get install -y chromium" >&2; exit 1; \
	else \
		echo "browser-deps: warning: chromium not found at $(CHROMIUM): the browser tests will be skipped (apt-get install -y chromium)" >&2; \
	fi

lighthouse: install browser-deps
	$(PY) build.py build --out $(LIGHTHOUSE_SITE) --as-of $(LIGHTHOUSE_AS_OF)
	CHROME_PATH=$(CHROMIUM) $(PY) scripts/lighthouse.py $(LIGHTHOUSE_SITE) --min $(LIGHTHOUSE_MIN)
