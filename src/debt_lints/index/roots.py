"""Import roots and module lookup, as Python's path finder does it, from the file tree only.

An *import root* is a directory (relative to the configuration root) that is
on ``sys.path`` when the project runs, like ruff's ``src``: ``"."`` when the
repository root is, ``"src"`` for a src layout, ``"main_pc_code"`` for agents
started as ``python main_pc_code/agents/x.py``. ``a.b`` resolves as the path
finder resolves it: the first root that holds ``a`` as a regular package
(``a/__init__.py``) or a module (``a.py``) wins, and ``a.b`` is then looked up
inside that package only; directories without ``__init__.py`` are namespace
package portions, merged across roots, and lose to a regular package or a
module found later. Only ``.py`` files count (stubs are not importable).

The tree is read with ``os.scandir`` (one listing per directory, memoised).
Symbolic links are not followed (a link may lead out of the repository): a
module reached only through one is not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints.analysis.packaging import FileTree

#: :attr:`Found.kind` values.
MODULE = "module"
PACKAGE = "package"
NAMESPACE = "namespace"


def module_names(relpath: str, roots: Sequence[str]) -> tuple[str, ...]:
    """The dotted names of the file ``relpath`` under each root that holds it, in root order.

    ``main_pc_code/utils/path_manager.py`` with roots ``(".", "main_pc_code")``
    is ``("main_pc_code.utils.path_manager", "utils.path_manager")``. A root
    under which a directory is not an identifier gives no name. These are the
    names the file *can* be imported by; :meth:`ModuleFinder.find` says which
    file a name actually reaches when roots shadow each other.
    """
    out: dict[str, None] = {}
    for root in roots:
        if root == ".":
            sub = relpath
        elif relpath.startswith(root + "/"):
            sub = relpath[len(root) + 1 :]
        else:
            continue
        name = _dotted(sub)
        if name:
            out.setdefault(name, None)
    return tuple(out)


def _dotted(sub: str) -> str | None:
    for suffix in (".py", ".pyi"):
        if sub.endswith(suffix):
            sub = sub[: -len(suffix)]
            break
    else:
        return None
    parts = sub.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


@dataclass(frozen=True)
class Found:
    """Where a dotted module name leads."""

    name: str
    kind: str
    #: The module's file (``a/b.py``, ``a/b/__init__.py``); ``None`` for a namespace package.
    relpath: str | None
    #: Directories its submodules are looked up in (empty for a plain module).
    search: tuple[str, ...] = ()


class ModuleFinder(FileTree):
    """Finds modules under the import roots of a project (see the module doc); its
    listings are the :class:`~debt_lints.analysis.packaging.FileTree`'s."""

    def __init__(self, root: Path, roots: Sequence[str]) -> None:
        super().__init__(root)
        self.roots = tuple(roots)
        self._found: dict[str, Found | None] = {}

    def find(self, name: str) -> Found | None:
        """What ``import name`` reaches, or ``None`` when no root holds it."""
        if name in self._found:
            return self._found[name]
        parts = name.split(".")
        if not all(p.isidentifier() for p in parts):
            self._found[name] = None
            return None
        if len(parts) == 1:
            search: tuple[str, ...] = self.roots
        else:
            parent = self.find(".".join(parts[:-1]))
            if parent is None or not parent.search:
                self._found[name] = None
                return None
            search = parent.search
        found = self._find_in(name, parts[-1], search)
        self._found[name] = found
        return found

    def _find_in(self, name: str, part: str, search: tuple[str, ...]) -> Found | None:
        portions: list[str] = []
        for directory in search:
            entries = self.listing(directory)
            if entries is None:
                continue
            child = part if directory == "." else f"{directory}/{part}"
            if entries.get(part) is True:
                inner = self.listing(child) or {}
                if inner.get("__init__.py") is False:
                    return Found(name, PACKAGE, f"{child}/__init__.py", (child,))
            if entries.get(f"{part}.py") is False:
                return Found(name, MODULE, f"{child}.py")
            if entries.get(part) is True:
                portions.append(child)
        if portions:
            return Found(name, NAMESPACE, None, tuple(portions))
        return None

    def submodule_names(self, found: Found) -> tuple[str, ...]:
        """The names of the modules and packages directly inside a package."""
        out: dict[str, None] = {}
        for directory in found.search:
            for entry, is_dir in (self.listing(directory) or {}).items():
                if is_dir and entry.isidentifier():
                    out.setdefault(entry, None)
                elif (
                    not is_dir
                    and entry.endswith(".py")
                    and entry[:-3].isidentifier()
                    and entry != "__init__.py"
                ):
                    out.setdefault(entry[:-3], None)
        return tuple(sorted(out))
