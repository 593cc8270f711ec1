"""A small static host for a built Spotlight site, for the browser tests and Lighthouse.

It behaves like the static hosts the site is published on, so that what the tests see is
what a reader would get:

- `/dir/` serves `dir/index.html`; `/dir` redirects to `/dir/`;
- a missing path answers 404 with the site's `404.html`;
- the rules of the site's `_headers` file (Netlify / Cloudflare Pages format) are sent,
  so the Content-Security-Policy and Referrer-Policy the build writes are in force; a later
  rule's `! Name` line detaches that header of an earlier rule (Cloudflare Pages' syntax);
- text responses are gzip-compressed when the browser accepts it, as every such host
  does (Lighthouse's simulated slow network would otherwise price uncompressed bytes).

Standard library only; binds 127.0.0.1 on a free port; logs nothing.
"""

from __future__ import annotations

import gzip
import mimetypes
import posixpath
import re
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|atom\+xml|manifest\+json)|image/svg\+xml)")


def parse_headers_file(text: str) -> list[tuple[re.Pattern[str], list[tuple[str, str]]]]:
    """Rules of a `_headers` file: a path pattern line, then indented `Name: value` lines."""
    rules: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            pattern = raw.strip()
            regex = "".join(
                ".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
                for part in re.split(r"(\*|:[A-Za-z_]+)", pattern)
                if part
            )
            current = []
            rules.append((re.compile("^" + regex + "$"), current))
        elif current is not None and raw.strip().startswith("!"):
            current.append(("!", raw.strip()[1:].strip()))
        elif current is not None and ":" in raw:
            name, value = raw.strip().split(":", 1)
            current.append((name.strip(), value.strip()))
    return rules


class SiteHandler(SimpleHTTPRequestHandler):
    site: Path
    rules: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = []

    def log_message(self, format, *args):  # noqa: A002 - quiet: the tests print what matters
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _resolve(self, url_path: str) -> Path | None:
        parts = [p for p in posixpath.normpath(unquote(url_path)).split("/") if p not in ("", ".", "..")]
        target = self.site.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _serve(self, head: bool) -> None:
        url_path = urlsplit(self.path).path or "/"
        target = self._resolve(url_path)
        status = HTTPStatus.OK
        if target is not None and target.name == "index.html" and not url_path.endswith(("/", "index.html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if target is None:
            status = HTTPStatus.NOT_FOUND
            target = self.site / "404.html"
            if not target.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        body = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        sent: list[tuple[str, str]] = []
        for pattern, headers in self.rules:
            if pattern.match(url_path):
                for name, value in headers:
                    if name == "!":
                        sent = [(n, v) for n, v in sent if n.lower() != value.lower()]
                    else:
                        sent.append((name, value))
        for name, value in sent:
            self.send_header(name, value)
        if COMPRESSIBLE.match(ctype) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SiteServer:
    """`with SiteServer(site_dir) as base_url:` serves the site until the block ends."""

    def __init__(self, site: Path | str, host: str = "127.0.0.1", port: int = 0, apply_headers: bool = True):
        site = Path(site).resolve()
        headers_file = site / "_headers"
        rules = parse_headers_file(headers_file.read_text(encoding="utf-8")) if apply_headers and headers_file.is_file() else []
        handler = type("BoundSiteHandler", (SiteHandler,), {"site": site, "rules": rules})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self.thread.start()
        return self.base_url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def first_item_dir(site: Path, section: str) -> Path | None:
    """The first (sorted) item page under `site/section/`: a folder with an index.html and
    no pages of its own below it (so facet folders such as `creators/language/` are skipped)."""
    root = Path(site) / section
    if not root.is_dir():
        return None
    for child in sorted(p for p in root.iterdir() if p.is_dir()):
        if (child / "index.html").is_file() and not any(child.glob("*/index.html")):
            return child
    return None
