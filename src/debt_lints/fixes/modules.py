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

    def installed(self, module: str) -> bool:
        """``import module`` finds it outside the project (found on disk, never imported)."""

    def declared(self, module: str) -> bool:
        """A distribution the project declares it needs provides ``module`` (by name)."""

    def provides(self, module: str, name: str) -> bool | None:
        """Whether ``from module import name`` works; ``None`` when it cannot be told."""

    def exports(self, module: str, name: str) -> bool | None:
        """Whether ``from module import *`` binds ``name``; ``None`` when it cannot be told."""

    def same_object(self, old: str, new: str, name: str) -> bool | None:
        """Whether ``old.name`` and ``new.name`` are one object (a re-export of the other).

        ``False`` when both can be followed to where they are defined and
        those differ; ``None`` when either cannot be followed.
        """

    def same_module(self, one: str, other: str) -> bool:
        """The two names reach the same project file."""

    def imports_at_import_time(self, module: str, target: str) -> bool | None:
        """Importing ``module`` imports ``target`` (DL601's graph); ``None``: not known."""

    def reexports(self, shim: str, target: str, *, as_is: bool = False) -> frozenset[str] | None:
        """Names ``shim`` takes from ``target`` when it is a pure re-export of it.

        :data:`EVERYTHING` for a star re-export; ``None`` when ``shim`` is not a
        pure re-export of ``target`` (it defines something of its own, or
        imports from elsewhere) or cannot be read. ``as_is``: only the names
        it binds under the name ``target`` gives them (no ``as``).
        """


class IndexModules:
    """:class:`ModuleLookup` over the project index of one configuration."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def exists(self, module: str) -> bool | None:
        return True if self.project.find_module(module) is not None else None

    def installed(self, module: str) -> bool:
        from debt_lints.index.environment import installed

        return installed(module)

    def declared(self, module: str) -> bool:
        return self.project.declares(module)

    def provides(self, module: str, name: str) -> bool | None:
        return self.project.provides(module, name)

    def exports(self, module: str, name: str) -> bool | None:
        if self.project.find_module(module) is None:
            return None
        exported = self.project.exported_names(module)
        return None if exported is None else name in exported

    def same_object(self, old: str, new: str, name: str) -> bool | None:
        project = self.project
        if project.find_module(old) is None:
            return None  # not a project module: what it gave cannot be read
        before, after = project.origin(old, name), project.origin(new, name)
        if before is None or after is None:
            return None
        return before == after

    def same_module(self, one: str, other: str) -> bool:
        if one == other:
            return True
        first = self.project.file_of(one)
        return first is not None and first == self.project.file_of(other)

    def imports_at_import_time(self, module: str, target: str) -> bool | None:
        return self.project.imports_at_import_time(module, target)

    def reexports(self, shim: str, target: str, *, as_is: bool = False) -> frozenset[str] | None:
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
                if not (as_is and asname not in (None, name)):
                    names.add(asname or name)
        return frozenset(names) if names else None
