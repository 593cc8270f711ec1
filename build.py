#!/usr/bin/env python3
"""Spotlight's command line: python build.py [build|check|serve|new] (see README)."""

import sys

from spotlight.cli import main

if __name__ == "__main__":
    sys.exit(main())
