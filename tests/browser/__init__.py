"""Browser tests. A package, so that its conftest.py is imported as browser.conftest and
does not shadow tests/conftest.py (which other tests import as `conftest`)."""
