"""The ProperDocs engine: Spotlight's MkDocs engine, run on ProperDocs, MkDocs 1.x's maintained continuation.

ProperDocs 1.6 is MkDocs 1.6.1 under another name: the same configuration, plugin and theme
interfaces, and it loads plugins and themes registered for MkDocs (Spotlight's plugin, Material).
So engines/mkdocs.py runs on it unchanged once `import mkdocs` gives ProperDocs' modules, which
`properdocs.replacement` arranges for the whole process. ProperDocs refuses a plugin class made
from the real MkDocs ("must be a subclass of properdocs.plugins.BasePlugin"), and MkDocs stays
installed (Material requires it), so the engine is chosen per process, before anything imports
MkDocs: `get_engine("properdocs")`, or build.py's commands with

    python -m spotlight.engines.properdocs build --as-of 2027-05-15T12:00:00Z

Why ProperDocs, and when it becomes the default: docs/decisions/0001-engine-after-material.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from . import ServeOptions, Site


class EngineChosenTooLate(RuntimeError):
    pass


def use_properdocs() -> None:
    """From here on, this process's `import mkdocs...` gives ProperDocs' modules."""
    real = sorted(name for name, module in sys.modules.items()
                  if (name == "mkdocs" or name.startswith("mkdocs."))
                  and not getattr(module, "__name__", "").startswith("properdocs"))
    if real:
        # Classes made from these would be refused by ProperDocs' own checks halfway through a build.
        raise EngineChosenTooLate(
            f"MkDocs is already imported ({real[0]}): choose ProperDocs in a new process")
    import properdocs.replacement  # noqa: F401, PLC0415 - installs the import alias as it is imported


class ProperDocsEngine:
    """Builds and serves a Site as the MkDocs engine does, with ProperDocs doing MkDocs' part."""

    def __init__(self) -> None:
        use_properdocs()
        # Only after the alias: that module's `import mkdocs` must give ProperDocs.
        from .mkdocs import MkDocsEngine  # noqa: PLC0415

        self._engine = MkDocsEngine()

    def build(self, site: Site, out: Path) -> None:
        self._engine.build(site, out)

    def serve(self, produce: Callable[[], Site], options: ServeOptions) -> None:
        self._engine.serve(produce, options)


def main(argv: list[str] | None = None) -> int:
    """build.py's commands, with this engine as the pipeline's for the whole process."""
    from .. import engines  # noqa: PLC0415
    from ..cli import main as spotlight_main  # noqa: PLC0415

    use_properdocs()  # here, so that a misuse fails before any command starts
    engines.DEFAULT_ENGINE = "properdocs"
    return spotlight_main(argv)


if __name__ == "__main__":
    sys.exit(main())
