from __future__ import annotations

import ast

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.patterns import env_accesses
from debt_lints.analysis.semantic import model_of
from debt_lints.core.model import Rule, Severity

_MUTATORS = frozenset(
    f"sys.path.{m}" for m in ("insert", "append", "extend", "remove", "pop", "clear")
)
_ADDSITEDIR = frozenset({"site.addsitedir"})
#: Mutators that only take an entry out: they undo an addition of the same file.
_REMOVERS = frozenset({"sys.path.remove", "sys.path.pop"})
_ADDERS = frozenset({"sys.path.insert", "sys.path.append", "sys.path.extend"})
#: Calls that copy a list: ``list(sys.path)``, ``copy.copy(sys.path)``.
_COPIES = frozenset({"list", "tuple", "copy.copy", "copy.deepcopy"})
#: The last name of every call this rule can report: sys.path's mutators,
#: addsitedir, and the environment writes of ``patterns.env_accesses``.
_CALLED_NAMES = frozenset(
    {m.rsplit(".", 1)[1] for m in _MUTATORS}
    | {"addsitedir", "putenv", "unsetenv", "setdefault", "pop", "update", "__setitem__"}
)


class SysPathInjection(Rule):
    """
    ## What it does
    Flags every change of the import path at run time: `sys.path.insert`,
    `append`, `extend`, `remove`, `pop` and `clear`, `sys.path += ...`,
    `sys.path = ...`, item and slice assignment or deletion, `site.addsitedir(...)`,
    the same through `from sys import path` or `import sys as s`, and setting
    `PYTHONPATH` through `os.environ` or `os.putenv`.

    ## Why is this debt
    A module that edits `sys.path` imports differently depending on where it
    is started from, hides circular imports, and breaks in containers and
    multi-stage images where the directory layout differs. The audit found
    `sys.path.insert(0, MAIN_PC_CODE)` in utilities that every agent imports,
    and import chains that only resolve through such injections.

    ## Example
    ```python
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from utils.path_manager import PathManager
    ```

    ## Use instead
    ```python
    # pip install -e . once; the package then imports from anywhere.
    from common.utils.path_manager import PathManager
    ```

    ## Options
    None.

    ## Known limits
    Reading `sys.path` (`print(sys.path)`, `if p not in sys.path`) is fine and
    not reported. Undoing an addition is not reported either (the addition
    is): `sys.path.remove(x)`, `sys.path.pop(0)` and `del sys.path[0]` in a
    function that also adds to `sys.path`, and restoring a saved copy
    (`saved = sys.path[:]` or `list(sys.path)` or `sys.path.copy()`, then
    `sys.path[:] = saved` or `sys.path = saved`), the copy found by the
    semantic model through the variable's assignments. A removal at module level or in a
    function that never adds, or a copy made in another function and passed in, is
    still reported. Setting `PYTHONPATH` in a copied environment for a child
    process (`env = os.environ.copy(); env["PYTHONPATH"] = ...`) is not
    reported: it does not change this process's imports. A list object that
    aliases `sys.path` under another name is not followed.
    """

    code = "DL201"
    evidence = (b"sys", b"pythonpath", b"addsitedir")
    name = "sys-path-injection"
    summary = "sys.path or PYTHONPATH is modified at run time"
    message = "sys.path is modified at runtime; install the package (pip install -e .) instead"
    severity = Severity.ERROR

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        # Most calls in a tree are none of these: decide on the attribute or
        # name before resolving anything (this visitor runs on every call).
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr not in _CALLED_NAMES:
                return
        elif type(func) is ast.Name:
            if func.id not in ctx.aliases:
                return  # only an imported name can be site.addsitedir or os.putenv
        else:
            return
        name = ctx.resolve(func)
        if name in _REMOVERS and _undoes(node, ctx):
            return  # takes back what this file put on the path
        if name in _MUTATORS or name in _ADDSITEDIR:
            ctx.report(node)
            return
        for access in env_accesses(node, ctx):
            if access.kind == "write" and access.name == "PYTHONPATH":
                ctx.report(node, _PYTHONPATH_MESSAGE)

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if isinstance(node.value, ast.Name) and _restores(node, ctx):
            return  # sys.path[:] = saved: the path as it was
        for target in node.targets:
            self._check_target(target, ctx)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: FileContext) -> None:
        self._check_target(node.target, ctx, augmented=True)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        if node.value is not None:
            self._check_target(node.target, ctx)

    def visit_Delete(self, node: ast.Delete, ctx: FileContext) -> None:
        if any(
            isinstance(t, ast.Subscript) and ctx.resolve(t.value) == "sys.path"
            for t in node.targets
        ) and _undoes(node, ctx):
            return  # del sys.path[0]: takes back what this function put on the path
        for target in node.targets:
            self._check_target(target, ctx)

    def _check_target(self, target: ast.AST, ctx: FileContext, augmented: bool = False) -> None:
        kind = type(target)
        if kind is ast.Name:
            # ``path = [...]`` after ``from sys import path`` rebinds a local
            # name; only ``path += [...]`` changes the list itself.
            if augmented and ctx.resolve(target) == "sys.path":
                ctx.report(target)
            return
        if kind is ast.Attribute:
            if ctx.resolve(target) == "sys.path":
                ctx.report(target)
            return
        if kind is ast.Tuple or kind is ast.List:
            assert isinstance(target, (ast.Tuple, ast.List))
            for element in target.elts:
                self._check_target(element, ctx)
            return
        if kind is ast.Starred:
            assert isinstance(target, ast.Starred)
            self._check_target(target.value, ctx)
            return
        if kind is ast.Subscript:
            assert isinstance(target, ast.Subscript)
            if ctx.resolve(target.value) == "sys.path":
                ctx.report(target)
                return
            for access in env_accesses(target, ctx):
                if access.kind == "write" and access.name == "PYTHONPATH":
                    ctx.report(target, _PYTHONPATH_MESSAGE)


_PYTHONPATH_MESSAGE = "PYTHONPATH is set at runtime; install the package (pip install -e .) instead"


def _undoes(node: ast.AST, ctx: FileContext) -> bool:
    """Whether the function around ``node`` also adds to ``sys.path`` (``insert``,
    ``append``, ``extend``, ``+=``): a removal there takes back its own addition."""
    function = ctx.enclosing_function(node)
    if function is None:
        return False
    memo = ctx.memo.setdefault(SysPathInjection.code, {})
    assert isinstance(memo, dict)
    found = memo.get(function)
    if found is None:
        found = memo[function] = any(
            (isinstance(sub, ast.Call) and ctx.resolve(sub.func) in _ADDERS)
            or (isinstance(sub, ast.AugAssign) and ctx.resolve(sub.target) == "sys.path")
            for sub in ast.walk(function)
        )
    return found is True


def _restores(node: ast.Assign, ctx: FileContext) -> bool:
    """``sys.path[:] = saved`` where ``saved`` can only be a copy of ``sys.path`` taken earlier."""
    if not any(
        ctx.resolve(t.value if isinstance(t, ast.Subscript) else t) == "sys.path"
        for t in node.targets
    ):
        return False
    model = model_of(ctx)
    origins = model.origins(node.value) if model is not None else []
    return bool(origins) and all(_is_copy(o, ctx) for o in origins)


def _is_copy(node: ast.expr, ctx: FileContext) -> bool:
    """``sys.path[:]``, ``list(sys.path)``, ``sys.path.copy()``, ``copy.copy(sys.path)``."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return ctx.resolve(node.value) == "sys.path"
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "copy" and not node.args:
            return ctx.resolve(node.func.value) == "sys.path"
        if ctx.resolve(node.func) in _COPIES and len(node.args) == 1:
            return ctx.resolve(node.args[0]) == "sys.path"
    return False
