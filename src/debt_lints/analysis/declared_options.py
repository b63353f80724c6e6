"""Settings declared in an option registry and read by attribute: ``tornado.options``.

A tornado program declares its command-line and configuration-file settings
with ``define("address", default="", type=str)`` and reads them as
``options.address``: the value is the user's when given, else the declared
default. The semantic model reads such an attribute as a setting with its
default (:meth:`~debt_lints.analysis.semantic.SemanticModel.texts`), as it reads
``os.environ.get("X", "d")``.
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FileContext

#: Qualified names of the registry's declaring function and of its global namespace.
_DEFINE = frozenset({"tornado.options.define", "tornado.options.options.define"})
_NAMESPACE = "tornado.options.options"
_MEMO_KEY = "declared-options"


def _declared(ctx: FileContext) -> dict[str, ast.expr | None]:
    """Option name -> its default (``None``: none given) for every ``define`` call in
    the file, at any depth; an option declared twice keeps its first default."""
    cached = ctx.memo.get(_MEMO_KEY)
    if isinstance(cached, dict):
        return cached
    found: dict[str, ast.expr | None] = {}
    tree = ctx.tree
    if tree is not None and any(v.startswith("tornado.options") for v in ctx.aliases.values()):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.args[0]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                continue
            if ctx.resolve(node.func) not in _DEFINE:
                continue
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            if default is None and len(node.args) > 1:
                default = node.args[1]
            found.setdefault(name.value, default)
    ctx.memo[_MEMO_KEY] = found
    return found


def declared_option(node: ast.expr, ctx: FileContext) -> tuple[str, ast.expr | None] | None:
    """``("option address", <default>)`` for ``options.address`` when ``options`` is
    ``tornado.options.options`` and this file declares ``address`` with ``define``
    (its default, or ``None`` when it has none); ``None`` otherwise."""
    if not isinstance(node, ast.Attribute) or ctx.resolve(node.value) != _NAMESPACE:
        return None
    declared = _declared(ctx)
    if node.attr not in declared:
        return None
    return f"option {node.attr}", declared[node.attr]
