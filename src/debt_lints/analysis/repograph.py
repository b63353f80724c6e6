"""What the whole-repository rules see: modules, resolved imports, definition shapes.

The rules DL601-DL603 need every module of the repository at once. They do not
read files or resolve imports themselves: the runner builds a
:class:`Repository` from the project index's per-file facts
(:mod:`debt_lints.repo`) and hands it to each :class:`ProjectRule`. The
types here are plain data, so the rules stay in the checkers layer and can
be tested on a repository written by hand.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from debt_lints.core.model import Finding, Rule

#: Directory names that hold dead copies (backups, trash, archives, old versions).
DEAD_DIRECTORIES = (
    *("backup", "backups", "*_backup", "*_backups", "*_backup_*", "backup_*", "bak"),
    *("_trash*", "trash", ".trash", "archive", "archives", "archived", "attic"),
    *("old", "*_old", "old_*", "deprecated", "obsolete", "unused"),
)
#: File names of backup copies.
DEAD_FILES = ("*_backup_*.py", "*_backup.py", "*.bak.py", "*_old.py", "* copy.py", "*_copy.py")


def dead_part(relpath: str) -> str | None:
    """The directory (or the file) that marks ``relpath`` as a dead copy; ``None``: live.

    A backup, archive or trash directory, an ``old``/``*_old``/``deprecated``
    directory, or a file named like a backup (``x_backup.py``, ``x_old.py``).
    """
    parts = relpath.split("/")
    for depth, part in enumerate(parts[:-1]):
        if any(fnmatch.fnmatchcase(part.lower(), p) for p in DEAD_DIRECTORIES):
            return "/".join(parts[: depth + 1])
    if any(fnmatch.fnmatchcase(parts[-1].lower(), p) for p in DEAD_FILES):
        return relpath
    return None


def dead_module_name(dotted: str) -> bool:
    """Whether the module ``dotted`` lives in a dead copy's directory or file (by its name)."""
    parts = dotted.split(".")
    return dead_part("/".join(parts) + ".py") is not None


@dataclass(frozen=True)
class Definition:
    """One top-level ``def`` or ``class``, by its normalised form."""

    name: str
    #: ``"def"`` or ``"class"``.
    kind: str
    #: Digest of the normalised source (identifiers, strings, docstrings,
    #: comments and formatting left out): equal for a copied definition.
    shape: str
    lines: int
    #: Length of the normalised form: how much code the shape stands for
    #: (``def N(N): return N`` is 20; tiny definitions are no evidence of a copy).
    size: int = 0


@dataclass(frozen=True)
class Module:
    """One Python file of the repository, named as it is imported."""

    #: The dotted name that reaches this file (the first import root that does).
    name: str
    relpath: str
    lines: int = 0
    #: Top-level definitions, in source order (empty when shapes were not collected).
    definitions: tuple[Definition, ...] = ()
    #: Why the module runs without being imported (``"__main__ block"``, ``"test file"``,
    #: ``"console script in pyproject.toml"`` ...); ``None`` when nothing says so.
    entry_point: str | None = None
    #: The file does not parse: its imports are unknown.
    unparsable: bool = False


@dataclass(frozen=True)
class ImportEdge:
    """An import in one project module that reaches another project module."""

    importer: str
    imported: str
    line: int
    column: int
    #: Runs when the importer is imported (not in a function, not under
    #: ``TYPE_CHECKING``, not only under ``if __name__ == "__main__":``).
    at_import_time: bool


@dataclass
class Repository:
    """Every module of one project and the imports between them (keyed by module name)."""

    modules: Mapping[str, Module]
    edges: tuple[ImportEdge, ...] = ()
    #: Module names an unparsable file may import (its text mentions them).
    possibly_imported: frozenset[str] = frozenset()
    _importers: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        importers: dict[str, set[str]] = {}
        for edge in self.edges:
            if edge.importer != edge.imported:
                importers.setdefault(edge.imported, set()).add(edge.importer)
        self._importers = {name: frozenset(found) for name, found in importers.items()}

    def importers(self, name: str) -> frozenset[str]:
        """The other modules that import ``name`` (any kind of import)."""
        return self._importers.get(name, frozenset())

    def import_time_successors(self) -> dict[str, set[str]]:
        """Module -> modules it imports when it is imported (the graph of DL601)."""
        graph: dict[str, set[str]] = {name: set() for name in self.modules}
        for edge in self.edges:
            if edge.at_import_time and edge.importer != edge.imported:
                graph[edge.importer].add(edge.imported)
        return graph


class ProjectRule(Rule):
    """A rule that judges the repository as a whole (import graph, copies).

    It visits no nodes. After every file was checked, the runner calls
    :meth:`check_project` once with the :class:`Repository`; each finding it
    returns names a module's root-relative path in ``Finding.path``, and is
    then treated like any other: noqa on its line, per-file ignores, the
    baseline. Its ``snippet`` is the finding's identity in the baseline (the
    module set of a cycle, the canonical copy of a duplicate), so unrelated
    edits to the file do not change it.
    """

    #: Needs the definitions' shapes (the runner collects them only then).
    needs_shapes: ClassVar[bool] = False
    #: Whole-repository rules are opt-in (``select = ["DL", "DL6"]``): a tree of
    #: scripts, or a library whose modules are used from outside, has no use for them.
    opt_in: ClassVar[bool] = True

    def check_project(self, repository: Repository) -> Iterable[Finding]:
        """The findings of this rule over the whole repository."""
        return ()
