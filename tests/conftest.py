"""Shared test set-up. ``tests`` is a package, so pytest puts the repository
root on the import path and ``from tests.fixtures import ...`` works."""
