"""Probes: whether the code looks for a path before relying on it.

Answers *whether a path is looked for*: tested for existence, globbed with an
answer the code branches on, tested in an enclosing ``if``, read for its syntax
only, or listed or opened where ``OSError`` is handled
(:meth:`ProbeModel.looked_for`, :meth:`ProbeModel.folder_looked_for`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import last_name
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.semantic.bindings import _MAX_DEPTH, Def, ScopeModel
from debt_lints.analysis.semantic.paths import _PATH_BUILDERS
from debt_lints.analysis.semantic.uses import UseModel

#: Calls that test whether a path exists or glob for it.
_PROBES = frozenset(
    {
        *(f"os.path.{n}" for n in ("exists", "lexists", "isdir", "isfile", "islink", "ismount")),
        "os.access",
        "glob.glob",
        "glob.iglob",
        "shutil.which",
    }
)
_GLOBS = frozenset({"glob.glob", "glob.iglob"})
#: Calls that read a path's syntax only: the path is a sample, not a location.
_SYNTAX_PROBES = frozenset({"os.path.splitdrive", "os.path.isabs", "os.path.splitroot"})
_PATH_PROBE_METHODS = frozenset({"exists", "is_dir", "is_file", "glob", "rglob", "iterdir"})
#: Calls that list a folder: looking for what is there, when absence is handled.
_LISTS = frozenset({"os.listdir", "os.scandir", "os.walk", "open", "io.open", "builtins.open"})
#: Calls that create a path: the code assumes where it goes.
_CREATES = frozenset({"os.makedirs", "os.mkdir"})
_PROBED = "probed"
#: Calls that pass a probe's answer on (``bool(...)``, ``any(...)``).
_KEEP_ANSWERS = frozenset({"bool", "sorted", "list", "any", "all"})
#: Comprehensions whose element is the value they hold.
_ELEMENT_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp)
_CREATED = "created"
_OSERRORS = frozenset(
    {
        "OSError",
        "IOError",
        "EnvironmentError",
        "FileNotFoundError",
        "NotADirectoryError",
        "PermissionError",
    }
)


def _searches_folders(node: ast.AST) -> bool:
    """A glob pattern with a wildcard in a folder (``C:\\mingw-w64\\*\\bin``,
    ``/opt/intel_cc_*/bin``): it looks for where something is installed,
    where a wildcard in the last part only lists one known folder."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        node = node.left
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    folders = node.value.replace("\\", "/").rpartition("/")[0]
    return any(c in folders for c in "*?[")


def _handles_oserror(node: ast.AST, model: ScopeModel) -> bool:
    """Whether ``node`` is in the body of a ``try`` that handles ``OSError`` (or a subclass)."""
    child: ast.AST = node
    for ancestor in model._ancestors(node):
        if isinstance(ancestor, (ast.Try, ast.TryStar)) and child in ancestor.body:
            for handler in ancestor.handlers:
                kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(last_name(k) in _OSERRORS for k in kinds if k is not None):
                    return True
        if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            return False
        child = ancestor
    return False


class ProbeModel(UseModel):
    """Whether the code looks for a path before relying on it."""

    # --- whether the code looks for a path before relying on it --------------------------------

    def looked_for(self, node: ast.expr, *, absence_handled: bool = True) -> bool:
        """Whether the code *looks for* the path ``node`` before relying on it: a
        test of its existence (``os.path.exists``/``isdir``/``isfile``, ``Path.exists``)
        or a glob whose answer the code branches on or loops over, the same path
        tested in an enclosing ``if``, a reading of its syntax only
        (``os.path.splitdrive``), and, with ``absence_handled``, a listing or
        opening in a ``try`` that handles ``OSError``; followed through names,
        loops over candidate lists and path building. A path the code also
        creates (``os.makedirs``/``mkdir``) is not looked for: it assumes where
        it goes."""
        found: set[str] = set()
        self._looked_for(node, found, 0, set(), absence_handled)
        return _PROBED in found and _CREATED not in found

    def folder_looked_for(self, node: ast.expr) -> bool:
        """Whether the code looks for the folder ``node`` names before it relies on it:
        a name ``node`` is built from, followed through this file's assignments and
        parameters, is tested for existence and the code branches on the answer
        (``if not os.path.isdir(site_dir): return``), as :meth:`looked_for` judges
        each of its uses; a folder the code also creates is not looked for."""
        found: set[str] = set()
        self._folder_looked_for(node, found, 0, set())
        return _PROBED in found and _CREATED not in found

    def _folder_looked_for(
        self, node: ast.AST, found: set[str], depth: int, seen: set[Def]
    ) -> None:
        if depth > _MAX_DEPTH:
            return
        for name in walk(node):
            if not isinstance(name, ast.Name) or not isinstance(name.ctx, ast.Load):
                continue
            for d in self.reaching(name):
                if d in seen:
                    continue
                seen.add(d)
                for read in self.def_uses(d):
                    self._looked_for(read, found, 0, set(), True)
                if d.kind == "assign" and d.value is not None:
                    self._folder_looked_for(d.value, found, depth + 1, seen)

    def _looked_for(
        self, node: ast.AST, found: set[str], depth: int, seen: set[int], handled: bool
    ) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Constant) and self._tested_above(node):
            found.add(_PROBED)
        ctx = self.ctx
        child: ast.AST = node
        parent = self.parents.get(child)
        while True:
            larger = self._larger_value(parent, (ast.Starred,), (ast.Add, ast.Mod, ast.Div))
            if larger is None and isinstance(parent, _ELEMENT_COMPREHENSIONS):
                # [os.path.join(folder, b) for b in names]: the paths it holds
                larger = parent if child is parent.elt else None
            if larger is not None:
                child, parent = larger, self.parents.get(larger)
                continue
            if isinstance(parent, ast.Call) and parent.func is not child:
                name = ctx.resolve(parent.func) or ""
                if name in _PATH_BUILDERS or (
                    name.startswith(("os.path.", "posixpath.", "ntpath.", "pathlib."))
                    and name not in _PROBES
                    and name not in _SYNTAX_PROBES
                ):
                    child, parent = parent, self.parents.get(parent)
                    continue
            break
        if isinstance(parent, ast.Call) and parent.func is not child:
            name = ctx.resolve(parent.func) or ""
            if (
                name in _SYNTAX_PROBES
                or (name in _PROBES and self._decides(parent))
                or (name in _GLOBS and _searches_folders(child))
            ):
                found.add(_PROBED)
            elif name in _CREATES:
                found.add(_CREATED)
            elif handled and name in _LISTS and _handles_oserror(parent, self):
                found.add(_PROBED)
            return
        if isinstance(parent, ast.Attribute) and parent.attr in _PATH_PROBE_METHODS:
            call = self.parents.get(parent)
            if isinstance(call, ast.Call) and self._decides(call):
                found.add(_PROBED)
            return
        reads: list[ast.Name] = []
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and child is parent.value:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            scope = self.scope_of(parent)
            for target in targets:
                if isinstance(target, ast.Name):
                    owner = scope if target.id not in scope.globals else self.module
                    for d in owner.defs.get(target.id, ()):
                        if d.node is parent:
                            reads.extend(self.def_uses(d))
        elif (
            isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and child is parent.iter
        ):
            scope = self.scope_of(parent)
            for sub in walk(parent.target):
                if isinstance(sub, ast.Name):
                    for d in scope.defs.get(sub.id, ()):
                        if d.node is parent:
                            reads.extend(self.def_uses(d))
        for read in reads:
            self._looked_for(read, found, depth + 1, seen, handled)

    def _decides(self, probe: ast.Call, follow: bool = True) -> bool:
        """Whether the code acts on the probe's answer: it branches on it (an ``if``,
        ``while``, conditional expression or comprehension test) or loops over it,
        directly or through a name it is assigned to."""
        child: ast.AST = probe
        parent = self.parents.get(child)
        while (
            isinstance(parent, (ast.BoolOp, ast.UnaryOp, ast.Compare))
            or (
                isinstance(parent, ast.Call)
                and (self.ctx.resolve(parent.func) or "") in _KEEP_ANSWERS
            )
            or (
                # all(os.path.isfile(p) for p in paths): the answers one test sums up
                isinstance(parent, _ELEMENT_COMPREHENSIONS)
                and child is parent.elt
                and self._summed_up(parent)
            )
        ):
            child, parent = parent, self.parents.get(parent)
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and child is parent.test:
            return True
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child is parent.iter:
            return True
        if isinstance(parent, ast.comprehension) and (child is parent.iter or child in parent.ifs):
            return True
        if follow and isinstance(parent, ast.Assign) and child is parent.value:
            scope = self.scope_of(parent)
            for target in parent.targets:
                if isinstance(target, ast.Name):
                    for d in scope.defs.get(target.id, ()):
                        if d.node is parent and any(
                            self._decides_read(read) for read in self.def_uses(d)
                        ):
                            return True
        return False

    def _summed_up(self, comprehension: ast.expr) -> bool:
        """Whether ``comprehension`` is the one argument of ``all`` or ``any``: its
        elements' answers become one answer (a list of answers alone is truthy
        whenever it is not empty, whatever they are)."""
        call = self.parents.get(comprehension)
        return (
            isinstance(call, ast.Call)
            and call.args == [comprehension]
            and not call.keywords
            and (self.ctx.resolve(call.func) or "") in {"all", "any"}
        )

    def _decides_read(self, read: ast.Name) -> bool:
        parent = self.parents.get(read)
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and read is parent.iter:
            return True
        if isinstance(parent, ast.Attribute) and parent.attr in {"sort", "reverse"}:
            return True  # dirs.sort(): ordered to be looped over
        return isinstance(read, ast.expr) and self._decides_expr(read)

    def _decides_expr(self, node: ast.expr) -> bool:
        child: ast.AST = node
        parent = self.parents.get(child)
        while isinstance(parent, (ast.BoolOp, ast.UnaryOp, ast.Compare)):
            child, parent = parent, self.parents.get(parent)
        return (
            isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and child is parent.test
        )

    def _tested_above(self, node: ast.Constant) -> bool:
        """``if os.path.isfile("/etc/x"): open("/etc/x")``: the same path tested first."""
        child: ast.AST = node
        for ancestor in self._ancestors(node):
            if isinstance(ancestor, (ast.If, ast.While, ast.IfExp)) and child is not ancestor.test:
                for sub in walk(ancestor.test):
                    if (
                        isinstance(sub, ast.Call)
                        and (self.ctx.resolve(sub.func) or "") in _PROBES
                        and any(
                            isinstance(a, ast.Constant) and a.value == node.value for a in sub.args
                        )
                    ):
                        return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False
