"""Code shapes that several rules recognise, written once.

Rules ask these helpers what a node means (an environment lookup, a string
value, a call's argument) instead of each re-deriving it from the tree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from debt_lints.context import FileContext

ENVIRON = frozenset({"os.environ", "os.environb"})
GETENV = frozenset({"os.getenv", "os.getenvb"})
PUTENV = frozenset({"os.putenv"})
UNSETENV = frozenset({"os.unsetenv"})
ENVIRON_METHODS = {"get": "read", "setdefault": "write", "pop": "write", "__getitem__": "read"}


@dataclass(frozen=True)
class EnvAccess:
    """One read or write of one environment variable."""

    #: The variable's name when it is a literal, else ``None``.
    name: str | None
    #: ``"read"`` or ``"write"``.
    kind: str
    #: The node that names the variable (report here), or the access itself.
    node: ast.AST
    #: The literal fallback of a read (``os.getenv("X", "d")``), if any.
    default: ast.expr | None = None


def string_value(node: ast.AST | None) -> str | None:
    """The value of a ``str`` (or ``bytes``, decoded) constant, else ``None``."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
    return None


def call_arg(call: ast.Call, position: int, keyword: str | None = None) -> ast.expr | None:
    """The argument at ``position`` or passed as ``keyword``; ``None`` when absent."""
    if keyword is not None:
        for kw in call.keywords:
            if kw.arg == keyword:
                return kw.value
    if len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def env_accesses(node: ast.AST, ctx: FileContext) -> list[EnvAccess]:
    """Environment variable reads and writes that ``node`` itself performs.

    Recognised: ``os.environ[...]`` (load, store, del), ``os.environ.get``,
    ``setdefault``, ``pop``, ``update``, ``os.getenv``, ``os.putenv``,
    ``os.unsetenv`` and ``"X" in os.environ``, through any import alias.
    """
    if isinstance(node, ast.Call):
        return _env_call(node, ctx)
    if isinstance(node, ast.Subscript):
        if ctx.resolve(node.value) in ENVIRON:
            kind = "read" if isinstance(node.ctx, ast.Load) else "write"
            return [EnvAccess(string_value(node.slice), kind, node.slice)]
        return []
    if isinstance(node, ast.Compare):
        out = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)) and ctx.resolve(right) in ENVIRON:
                out.append(EnvAccess(string_value(left), "read", left))
            left = right
        return out
    return []


def _env_call(call: ast.Call, ctx: FileContext) -> list[EnvAccess]:
    func = call.func
    name = ctx.resolve(func)
    if name is None:
        return []
    if name in GETENV:
        key = call_arg(call, 0, "key")
        default = call_arg(call, 1, "default")
        return [EnvAccess(string_value(key), "read", key or call, default)]
    if name in PUTENV or name in UNSETENV:
        key = call_arg(call, 0, "key" if name in UNSETENV else None)
        return [EnvAccess(string_value(key), "write", key or call)]
    if not isinstance(func, ast.Attribute) or ctx.resolve(func.value) not in ENVIRON:
        return []
    method = func.attr
    if method in ENVIRON_METHODS:
        key = call_arg(call, 0)
        default = call_arg(call, 1) if method in {"get", "pop", "setdefault"} else None
        kind = ENVIRON_METHODS[method]
        return [EnvAccess(string_value(key), kind, key or call, default)]
    if method == "update":
        out = []
        for kw in call.keywords:
            if kw.arg is not None:
                out.append(EnvAccess(kw.arg, "write", kw.value))
        for arg in call.args:
            if isinstance(arg, ast.Dict):
                for key_node in arg.keys:
                    if key_node is not None:
                        out.append(EnvAccess(string_value(key_node), "write", key_node))
        return out
    return []
