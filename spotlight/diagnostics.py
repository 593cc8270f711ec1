"""Diagnostic records and the formats they are reported in (plain text, GitHub annotations)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

from .characters import escape_for_display


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file: `path:line: field: message (hint)`."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = field(default="error", compare=False)  # "error" or "warning"

    def text(self) -> str:
        where = f"{self.path}:{self.line}: {self.field}: " if self.field else f"{self.path}:{self.line}: "
        tail = f" ({self.hint})" if self.hint else ""
        prefix = "warning: " if self.severity == "warning" else ""
        # A message may quote what an editor wrote: control characters, lone surrogates (which
        # no output can encode) and bidi controls are shown as \uXXXX, never passed on.
        return escape_for_display(f"{where}{prefix}{self.message}{tail}")

    def github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message and , : in properties.
        def prop(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

        def msg(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        level = "warning" if self.severity == "warning" else "error"
        title = prop(escape_for_display(self.field or "content"))
        body = escape_for_display(self.message + (f" ({self.hint})" if self.hint else ""))
        return f"::{level} file={prop(escape_for_display(self.path))},line={self.line},title={title}::{msg(body)}"


class Report:
    """Collects diagnostics instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, field, message, hint, "error"))

    def warning(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, field, message, hint, "warning"))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted(d for d in self.items if d.severity == "error")

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted(d for d in self.items if d.severity == "warning")

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.field, d.message))


class ContentError(Exception):
    """Raised by the pipeline when content has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.text() for d in diagnostics))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing a few when nothing is close."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if str(value).lower() in lowered:
            close = [lowered[str(value).lower()]]
    if close:
        return f"did you mean '{close[0]}'?"
    if not choices:
        return ""
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f"expected one of: {shown}"


class ConfigError(Exception):
    """The hub's configuration (mkdocs.yml, theme/) is not one the engine can use: the person's
    mistake, said in one line (build.py exits 2), never an internal error."""
