"""What a fix needs to know about other modules: which names they provide, and shims.

This is the one question the fixes ask about the rest of the project
(:class:`ModuleLookup`). :class:`IndexModules` answers it from the project
index (:mod:`debt_lints.index`): statically, from the files under the
configuration root and its import roots; nothing is imported or executed.
A module the index cannot find or read is *unknown* (``None``), which makes
a fix unsafe, never safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from debt_lints.index import Project

#: What a pure re-export of a whole module provides (``from target import *``).
EVERYTHING = frozenset({"*"})


class ModuleLookup(Protocol):
    """The questions a fix asks about another module of the project."""

    def exists(self, module: str) -> bool | None:
        """``True`` when ``import module`` finds a project module; ``None``: not known."""

    def provides(self, module: str, name: str) -> bool | None:
        """Whether ``from module import name`` works; ``None`` when it cannot be told."""

    def reexports(self, shim: str, target: str) -> frozenset[str] | None:
        """Names ``shim`` takes from ``target`` when it is a pure re-export of it.

        :data:`EVERYTHING` for a star re-export; ``None`` when ``shim`` is not a
        pure re-export of ``target`` (it defines something of its own, or
        imports from elsewhere) or cannot be read.
        """


class IndexModules:
    """:class:`ModuleLookup` over the project index of one configuration."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def exists(self, module: str) -> bool | None:
        return True if self.project.find_module(module) is not None else None

    def provides(self, module: str, name: str) -> bool | None:
        return self.project.provides(module, name)

    def reexports(self, shim: str, target: str) -> frozenset[str] | None:
        project = self.project
        if not project.is_pure_reexport(shim):
            return None
        relpath = project.file_of(shim)
        facts = project.facts(relpath) if relpath is not None else None
        if facts is None or relpath is None:
            return None
        names: set[str] = set()
        for fact in facts.top_level_imports():
            source = project.absolute(relpath, fact.module, fact.level)
            if source in {"__future__", "warnings"}:
                continue
            if source != target or not fact.names:
                return None  # a name of its own from elsewhere: not a shim of ``target``
            for name, asname in fact.names:
                if name == "*":
                    return EVERYTHING
                names.add(asname or name)
        return frozenset(names) if names else None
