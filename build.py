#!/usr/bin/env python3
"""Spotlight's command line: python build.py [build|check|serve|new] (see README)."""

import sys
from pathlib import Path

from spotlight.environment import ensure_packages

if __name__ == "__main__":
    # Any `python` will do: without Spotlight's packages, this runs again with .venv's Python.
    ensure_packages(Path(__file__).resolve(), sys.argv[1:])
    from spotlight.cli import main

    sys.exit(main())
