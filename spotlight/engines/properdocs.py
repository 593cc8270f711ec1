"""The ProperDocs engine: Spotlight's commands, with ProperDocs (MkDocs 1.x's maintained continuation) building the site.

ProperDocs 1.6 is MkDocs 1.6.1 under another name: the same configuration, plugin and theme
interfaces, and it loads plugins and themes registered for MkDocs (Spotlight's plugin, Material).
So the MkDocs adapter runs on it unchanged once `import mkdocs` gives ProperDocs' modules, which
`properdocs.replacement` arranges for the whole process. A plugin class made from the real
MkDocs is refused by ProperDocs ("must be a subclass of properdocs.plugins.BasePlugin"), so the
engine is chosen per process, before anything imports MkDocs:

    python -m spotlight.engines.properdocs build --as-of 2027-05-15T12:00:00Z

takes the same arguments as build.py. Why ProperDocs, and when it becomes the default engine:
docs/decisions/0001-engine-after-material.md.
"""

from __future__ import annotations

import sys


class EngineChosenTooLate(RuntimeError):
    pass


def use_properdocs() -> None:
    """From here on, this process's `import mkdocs...` gives ProperDocs' modules."""
    real = sorted(name for name, module in sys.modules.items()
                  if (name == "mkdocs" or name.startswith("mkdocs."))
                  and not getattr(module, "__name__", "").startswith("properdocs"))
    if real:
        # Classes made from these would be refused by ProperDocs' own checks halfway through a build.
        raise EngineChosenTooLate(f"MkDocs is already imported ({real[0]}): choose ProperDocs in a new process")
    import properdocs.replacement  # noqa: F401, PLC0415 - installs the import alias as it is imported


def main(argv: list[str] | None = None) -> int:
    use_properdocs()
    from spotlight.cli import main as spotlight_main  # noqa: PLC0415 - after the alias, so the CLI's MkDocs is ProperDocs

    return spotlight_main(argv)


if __name__ == "__main__":
    sys.exit(main())
