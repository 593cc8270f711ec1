"""`build.py serve` in a child process, and reading its pages: used by the benchmark's edit
timing and by tests/test_serve.py, so both drive the preview the same way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> str:
    """The page's text, or "" while the server does not answer it (not yet built, or 404)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


@contextmanager
def serve_process(root: Path, *, as_of: str | None = None, log: Path | None = None,
                  options: tuple[str, ...] = ()) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of `build.py serve [options]` on a free port; stopped on leaving the block.

    Its terminal output goes to `log` when given."""
    port = free_port()
    cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve",
           "--dev-addr", f"127.0.0.1:{port}", *options]
    if as_of:
        cmd += ["--as-of", as_of]
    with open(log if log else os.devnull, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
