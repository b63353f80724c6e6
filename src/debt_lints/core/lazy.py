"""What loads on first use: package attributes (PEP 562) and regular expressions.

A package that re-exports names from heavy submodules (the baseline, the
typing ratchet) keeps its import cheap: ``__getattr__ = loader(__name__,
WHERE, globals())`` imports ``package.WHERE[name]`` the first time ``name`` is
asked for and keeps the value in the package's namespace.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, MutableMapping
from typing import cast, overload


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


class _LazyPattern:
    """A regular expression compiled on first use: each attribute asked for (``match``,
    ``sub`` ...) is the compiled pattern's, kept on the instance, so that a later use
    costs what a compiled pattern's does."""

    def __init__(self, text: str | bytes, flags: int) -> None:
        self._text = text
        self._flags = flags

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            # Not the pattern's (``copy`` and ``pickle`` probe ``__setstate__``...), nor
            # ``_text`` itself on an instance made without ``__init__``.
            raise AttributeError(name)
        value = getattr(re.compile(self._text, self._flags), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return repr(re.compile(self._text, self._flags))


@overload
def lazy_pattern(text: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def lazy_pattern(text: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def lazy_pattern(text: str | bytes, flags: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
    """``re.compile(text, flags)``, compiled when the pattern is first used.

    A module's patterns would otherwise all be compiled when it is imported, most
    of them for files a run never sees (about 4 ms of a one-file check). Use it
    for module-level patterns that are only called (``match``, ``sub`` ...): the
    object is no ``re.Pattern`` for ``isinstance`` nor for ``re.sub(pattern, ...)``.
    """
    return cast("re.Pattern[str]", _LazyPattern(text, flags))
