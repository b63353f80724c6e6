"""Deprecated: import app.core instead."""

from app.core import greet

__all__ = ["greet"]
