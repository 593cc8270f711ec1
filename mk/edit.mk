# The form editor on this machine (included by the Makefile: `-include mk/*.mk`).
#
#   make edit    decap-server (Decap CMS's local backend, from npm: package-lock.json) writing
#                into this folder, and `python build.py serve`: open http://127.0.0.1:8000/admin/
#                and every save through the form is a file here, previewed at once.
#                Ctrl-C stops both. The port is the one /admin/config.yml names
#                (mkdocs.yml: `editor: {local_port: N}`, 8081 by default).
#
# No GitHub and no account: the files change in this folder only; commit them as usual.

NODE ?= node

.PHONY: edit

edit: install node_modules/.package-lock.json
	@port=$$($(PY) -c 'from pathlib import Path; from spotlight.editor import local_port; \
from spotlight.settings import read_settings; print(local_port(read_settings(Path("."))))') || exit 2; \
	echo "edit: the form editor is at http://127.0.0.1:8000/admin/ (local backend on port $$port; Ctrl-C stops)"; \
	GIT_REPO_DIRECTORY="$(CURDIR)" PORT=$$port BIND_HOST=127.0.0.1 MODE=fs LOG_LEVEL=warn \
		$(NODE) node_modules/decap-server/dist/index.js & server=$$!; \
	trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	$(PY) build.py serve
