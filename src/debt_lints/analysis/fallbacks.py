"""Whether code runs only where a value is missing: the fallbacks of a rollout.

A renamed environment variable is read under its old name, during the rollout,
only where the new one is missing: ``os.environ.get(NEW, os.environ.get(OLD))``,
``os.environ.get(NEW) or os.environ.get(OLD)``, ``v = os.environ.get(NEW)`` then
``v = v or os.environ.get(OLD)`` or ``if v is None: v = ...``, and the deprecation
notice ``if v is None and "OLD" in os.environ: log.warning(...)``. The question
is asked of the semantic model: where a name's value comes from is its reaching
definitions, so ``v`` holds the new variable only when every binding that may
reach the read does.
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS, FileContext
from debt_lints.analysis.patterns import env_accesses, string_value
from debt_lints.analysis.semantic import SemanticModel, model_of

#: How many bindings :func:`_holds` follows back (``v = v or ...`` chains).
_MAX_DEPTH = 12
#: Where a question about a value stops: a function's body is no guard of its caller's.
_BOUNDARIES = (*FUNCTIONS, ast.Lambda, ast.ClassDef, ast.Module)
_BLOCKS = ("body", "orelse", "finalbody")


def env_fallback(node: ast.AST, new: str, ctx: FileContext) -> bool:
    """Whether ``node`` (an access of an environment variable: a call, a subscript, a
    membership test) runs only where the variable ``new`` was read and found missing
    or empty: it is the default of a read of ``new``, an operand of ``or`` after the
    value of ``new``, an operand of ``and`` after a test that ``new`` is missing, in
    the branch of an ``if`` (or a conditional expression) where ``new`` is missing or
    after one that returns when it is present.

    The value of ``new`` is a read of it (``os.environ.get``, ``os.getenv``,
    ``os.environ[...]``) or a name every reaching binding of which holds one or is
    made only where ``new`` is missing (``if v is None: v = os.environ.get(OLD)``),
    also through ``or``, ``:=`` and a conditional expression; ``new`` is missing where
    that value is ``None``, empty or false, or where ``"NEW" not in os.environ``. Only
    the function around ``node`` is read: a guard in a caller is not seen."""
    model = model_of(ctx)
    return model is not None and _Guard(model, ctx, new).runs_only_when_missing(node, 0)


class _Guard:
    """Tests of whether the environment variable ``new`` is missing, in one file."""

    def __init__(self, model: SemanticModel, ctx: FileContext, new: str) -> None:
        self.model = model
        self.ctx = ctx
        self.new = new

    def runs_only_when_missing(self, node: ast.AST, depth: int) -> bool:
        """``node`` runs only where ``new`` is missing, by the code around it."""
        parents = self.model.parents
        child: ast.AST = node
        parent = parents.get(child)
        while parent is not None and not isinstance(parent, _BOUNDARIES):
            if self.only_when_missing(parent, child, depth):
                return True
            child, parent = parent, parents.get(parent)
        return parent is not None and self.after_early_exit(parent, child, depth)

    def only_when_missing(self, parent: ast.AST, child: ast.AST, depth: int) -> bool:
        """``child`` (an operand, a branch, a statement of ``parent``) runs only where
        ``new`` is missing, by ``parent``."""
        if isinstance(parent, ast.BoolOp):
            earlier = parent.values[: _index(parent.values, child)]
            if isinstance(parent.op, ast.Or):  # reached when every earlier operand is false
                return any(self.false_if_missing(value, depth) for value in earlier)
            return any(self.true_if_missing(value, depth) for value in earlier)
        if isinstance(parent, (ast.If, ast.IfExp)):
            if child is parent.test:
                return False
            in_body = child is parent.body or (
                isinstance(parent.body, list) and _index(parent.body, child) < len(parent.body)
            )
            if in_body and self.true_if_missing(parent.test, depth):
                return True
            if not in_body and self.false_if_missing(parent.test, depth):
                return True
        if isinstance(parent, ast.Call):  # os.environ.get("NEW", <child>)
            return any(
                access.kind == "read" and access.name == self.new and access.default is child
                for access in env_accesses(parent, self.ctx)
            )
        return self.after_early_exit(parent, child, depth)

    def after_early_exit(self, parent: ast.AST, child: ast.AST, depth: int) -> bool:
        """``child``, a statement of ``parent``, follows ``if <new present>: return ...``
        in the same block: it runs only where ``new`` is missing."""
        for field in _BLOCKS:
            block = getattr(parent, field, None)
            if not isinstance(block, list):
                continue
            index = _index(block, child)
            if index == len(block):
                continue
            return any(
                isinstance(statement, ast.If)
                and not statement.orelse
                and isinstance(statement.body[-1], (ast.Return, ast.Raise))
                and self.false_if_missing(statement.test, depth)
                for statement in block[:index]
            )
        return False

    def true_if_missing(self, test: ast.expr, depth: int) -> bool:
        """``test`` is true only where ``new`` is missing or empty: ``v is None``,
        ``not v``, ``"NEW" not in os.environ``, one of them and anything."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.false_if_missing(test.operand, depth)
        if isinstance(test, ast.BoolOp):
            combine = any if isinstance(test.op, ast.And) else all
            return combine(self.true_if_missing(value, depth) for value in test.values)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, (ast.Is, ast.Eq)):
                return _empty(right) and self.holds(test.left, depth)
            if isinstance(op, ast.NotIn):
                return self._membership(test)
        return False

    def false_if_missing(self, test: ast.expr, depth: int) -> bool:
        """``test`` is false only where ``new`` is missing or empty: ``v``, ``v is not
        None``, ``"NEW" in os.environ``, one of them or anything."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.true_if_missing(test.operand, depth)
        if isinstance(test, ast.BoolOp):
            combine = all if isinstance(test.op, ast.And) else any
            return combine(self.false_if_missing(value, depth) for value in test.values)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, (ast.IsNot, ast.NotEq)):
                return _empty(right) and self.holds(test.left, depth)
            if isinstance(op, ast.In):
                return self._membership(test)
            return False
        return self.holds(test, depth)

    def _membership(self, test: ast.Compare) -> bool:
        """``"NEW" in os.environ`` (or ``not in``)."""
        return string_value(test.left) == self.new and any(
            access.name == self.new for access in env_accesses(test, self.ctx)
        )

    def holds(self, value: ast.expr, depth: int) -> bool:
        """``value`` is ``None``, empty or false only where ``new`` is missing or empty:
        a read of ``new``; ``or``, ``:=`` or a conditional expression made of such
        values; a name every reaching binding of which assigns one, or is made only
        where ``new`` is missing (``if v is None: v = os.environ.get(OLD)``)."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(value, (ast.Call, ast.Subscript)):
            return any(
                access.kind == "read" and access.name == self.new
                for access in env_accesses(value, self.ctx)
            )
        if isinstance(value, ast.NamedExpr):
            return self.holds(value.value, depth + 1)
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            # false only once every operand was read and was false: the new name's too
            return any(self.holds(operand, depth + 1) for operand in value.values)
        if isinstance(value, ast.IfExp):
            return self.holds(value.body, depth + 1) and self.holds(value.orelse, depth + 1)
        if isinstance(value, ast.Name):
            defs = self.model.reaching(value)
            return bool(defs) and all(
                d.kind == "assign"
                and d.value is not None
                and (
                    self.holds(d.value, depth + 1) or self.runs_only_when_missing(d.node, depth + 1)
                )
                for d in defs
            )
        return False


def _empty(node: ast.expr) -> bool:
    """``None`` or ``""``: what a missing variable reads as."""
    return isinstance(node, ast.Constant) and node.value in (None, "")


def _index(items: list[ast.expr] | list[ast.stmt], item: ast.AST) -> int:
    """The position of ``item`` (by identity) in ``items``; ``len(items)`` when absent."""
    return next((i for i, x in enumerate(items) if x is item), len(items))
