"""Spotlight: a creator-spotlight CMS for mental-health awareness hubs, built on MkDocs."""

__version__ = "0.1.0"
