"""Package attributes that load on first use (PEP 562), written once.

A package that re-exports names from heavy submodules (the baseline, the
typing ratchet) keeps its import cheap: ``__getattr__ = loader(__name__,
WHERE, globals())`` imports ``package.WHERE[name]`` the first time ``name`` is
asked for and keeps the value in the package's namespace.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping


def loader(
    package: str, where: Mapping[str, str], namespace: MutableMapping[str, object]
) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports each name from its submodule once."""

    def load(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return load
