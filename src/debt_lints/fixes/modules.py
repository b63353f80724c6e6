"""What a fix needs to know about other modules: which names they define, and shims.

This is the one question the fixes ask about the rest of the project
(:class:`ModuleLookup`). :class:`StaticModules` answers it by reading the
module's file under the project root with ``ast``: nothing is imported or
executed, links are not followed, and a module that cannot be found or read
is *unknown* (``None``), which makes a fix unsafe, never safe.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

#: Star imports followed from one module to the next, at most.
MAX_STAR_DEPTH = 4
#: Reading a module for a fix: files above this size are unknown.
MAX_MODULE_BYTES = 4 * 1024 * 1024


class ModuleLookup(Protocol):
    """The questions a fix asks about another module of the project."""

    def defines(self, module: str) -> frozenset[str] | None:
        """Every name ``from module import name`` can take; ``None`` when not known."""

    def reexports(self, shim: str, target: str) -> frozenset[str] | None:
        """Names ``shim`` takes from ``target`` when it is a pure re-export of it.

        ``{"*"}`` for a star re-export; ``None`` when ``shim`` is not a pure
        re-export (it defines something of its own) or cannot be read.
        """


@dataclass
class _Module:
    tree: ast.Module
    is_package: bool
    directory: Path


class StaticModules:
    """:class:`ModuleLookup` by parsing the modules' files under ``root`` (memoised)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[str, _Module | None] = {}
        self._defines: dict[str, frozenset[str] | None] = {}

    # --- finding and reading ----------------------------------------------------------

    def _module(self, module: str) -> _Module | None:
        if module in self._modules:
            return self._modules[module]
        found: _Module | None = None
        parts = module.split(".")
        if all(part.isidentifier() for part in parts):
            for prefix in ((), ("src",), ("lib",)):
                found = self._read([*prefix, *parts])
                if found is not None:
                    break
        self._modules[module] = found
        return found

    def _read(self, parts: list[str]) -> _Module | None:
        from debt_lints import safefs

        for directory, name, is_package in (
            (parts[:-1], parts[-1] + ".py", False),
            (parts, "__init__.py", True),
        ):
            try:
                with safefs.open_chain(self.root, directory, create=False, heal=False) as where:
                    data = where.read_regular(name, MAX_MODULE_BYTES)
            except OSError:
                continue
            if data is None:
                continue
            try:
                tree = ast.parse(data)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            return _Module(tree, is_package, self.root.joinpath(*directory))
        return None

    # --- the questions ------------------------------------------------------------------

    def defines(self, module: str) -> frozenset[str] | None:
        return self._names(module, 0)

    def _names(self, module: str, depth: int) -> frozenset[str] | None:
        if module in self._defines:
            return self._defines[module]
        self._defines[module] = None  # a star-import cycle answers "unknown"
        found = self._module(module)
        result = (
            None if found is None or depth > MAX_STAR_DEPTH else self._collect(module, found, depth)
        )
        self._defines[module] = result
        return result

    def _collect(self, module: str, found: _Module, depth: int) -> frozenset[str] | None:
        names: set[str] = set()
        for stmt in _top_level(found.tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if stmt.name == "__getattr__":
                    return None  # PEP 562: any name may exist
                names.add(stmt.name)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets: list[ast.expr] = (
                    stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                )
                for target in targets:
                    names.update(_bound(target))
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    names.add(alias.asname or alias.name.partition(".")[0])
            elif isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    if alias.name != "*":
                        names.add(alias.asname or alias.name)
                        continue
                    source = _absolute(module, found.is_package, stmt)
                    inner = self._names(source, depth + 1) if source else None
                    if inner is None:
                        return None
                    names.update(n for n in inner if not n.startswith("_"))
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                names.update(_bound(stmt.target))
        if found.is_package:
            names.update(_submodules(found.directory))
        return frozenset(names)

    def reexports(self, shim: str, target: str) -> frozenset[str] | None:
        found = self._module(shim)
        if found is None:
            return None
        names: set[str] = set()
        for index, stmt in enumerate(found.tree.body):
            if index == 0 and _is_docstring(stmt):
                continue
            if isinstance(stmt, ast.ImportFrom):
                source = _absolute(shim, found.is_package, stmt)
                if source == "__future__":
                    continue
                if source == target:
                    names.update(alias.name for alias in stmt.names)
                    continue
                return None
            if isinstance(stmt, ast.Import):
                if all(alias.name in {"warnings", target} for alias in stmt.names):
                    continue
                return None
            if _is_warning(stmt) or _is_all(stmt):
                continue
            return None  # a definition of its own: not a pure re-export
        return frozenset(names) if names else None


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements that run at import time, through ``if``/``try``/``with`` blocks."""
    out: list[ast.stmt] = []
    for stmt in body:
        out.append(stmt)
        if isinstance(stmt, ast.If):
            out.extend(_top_level(stmt.body + stmt.orelse))
        elif isinstance(stmt, ast.Try):
            blocks = stmt.body + stmt.orelse + stmt.finalbody
            for handler in stmt.handlers:
                blocks += handler.body
            out.extend(_top_level(blocks))
        elif isinstance(stmt, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
            out.extend(_top_level(stmt.body))
    return out


def _bound(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _absolute(module: str, is_package: bool, stmt: ast.ImportFrom) -> str | None:
    if not stmt.level:
        return stmt.module
    package = module.split(".") if is_package else module.split(".")[:-1]
    if stmt.level - 1 > len(package) - 1:
        return None
    base = package[: len(package) - (stmt.level - 1)]
    return ".".join([*base, stmt.module] if stmt.module else base)


def _submodules(directory: Path) -> set[str]:
    import os

    out: set[str] = set()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return out
    for entry in entries:
        name = entry.name
        if name.endswith(".py") and name != "__init__.py" and name[:-3].isidentifier():
            out.add(name[:-3])
        elif name.isidentifier() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
            out.add(name)
    return out


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_warning(stmt: ast.stmt) -> bool:
    """``warnings.warn(...)`` at top level (a shim's deprecation notice)."""
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    func = stmt.value.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "warn"
        and isinstance(func.value, ast.Name)
        and func.value.id == "warnings"
    )


def _is_all(stmt: ast.stmt) -> bool:
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return bool(targets) and all(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)
