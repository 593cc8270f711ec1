"""Spotlight's benchmark: a fictional corpus generator and a timed comparison with plain MkDocs."""
