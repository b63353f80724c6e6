"""Code shapes that several rules recognise, written once.

Rules ask these helpers what a node means (an environment lookup, a string
value, a call's argument) instead of each re-deriving it from the tree.
"""

from __future__ import annotations

import ast
import weakref

from debt_lints.analysis.context import FileContext
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.record import FrozenRecord

ENVIRON = frozenset({"os.environ", "os.environb"})
GETENV = frozenset({"os.getenv", "os.getenvb"})
PUTENV = frozenset({"os.putenv"})
UNSETENV = frozenset({"os.unsetenv"})
ENVIRON_METHODS = {"get": "read", "setdefault": "write", "pop": "write", "__getitem__": "read"}
#: The names of the calls :func:`env_accesses` recognises (through an import
#: alias too): ``os.getenv(...)``, ``environ.get(...)``, ``environ.update(...)``.
ENV_CALL_NAMES = frozenset(
    {name.rpartition(".")[2] for name in GETENV | PUTENV | UNSETENV}
    | set(ENVIRON_METHODS)
    | {"update"}
)


#: The files a CI service reads its jobs from (root-relative, ``/``-separated).
_CI_DEFINITION_RE = lazy_pattern(
    r"(?i)^(?:\.github/workflows/[^/]+|\.gitlab-ci|\.circleci/config|\.travis|\.?appveyor"
    r"|azure-pipelines|bitbucket-pipelines|\.drone|\.woodpecker(?:/[^/]+)?)\.ya?ml$"
)


def is_ci_definition(relpath: str) -> bool:
    """Whether the root-relative ``relpath`` is a CI service's job definition
    (GitHub Actions, GitLab CI, CircleCI, Travis, AppVeyor, Azure Pipelines,
    Bitbucket Pipelines, Drone, Woodpecker): it describes the runner the service
    starts for the job, not anybody's machine."""
    return bool(_CI_DEFINITION_RE.match(relpath))


class EnvAccess(FrozenRecord):
    """One read or write of one environment variable."""

    __slots__ = ("default", "kind", "name", "node")
    #: The variable's name when it is a literal, else ``None``.
    name: str | None
    #: ``"read"`` or ``"write"``.
    kind: str
    #: The node that names the variable (report here), or the access itself.
    node: ast.AST
    #: The literal fallback of a read (``os.getenv("X", "d")``), if any.
    default: ast.expr | None

    def __init__(
        self, name: str | None, kind: str, node: ast.AST, default: ast.expr | None = None
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "name", name)
        _set(self, "kind", kind)
        _set(self, "node", node)
        _set(self, "default", default)


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
    ``setdefault``, ``pop``, ``update`` (keywords and dict literals),
    ``os.environ |= {...}``, ``os.getenv``, ``os.putenv``, ``os.unsetenv``,
    ``"X" in os.environ`` (and ``in os.environ.keys()``), through any import
    alias. A name that a function parameter or a local assignment shadows
    (a WSGI ``environ`` argument in a module that also did ``from os import
    environ``) is not the environment. A copy (``os.environ.copy()``,
    ``dict(os.environ)``) is a plain dict and is not followed.
    """
    if isinstance(node, ast.Call):
        return _env_call(node, ctx)
    if isinstance(node, ast.Subscript):
        if _is_environ(node.value, node, ctx):
            kind = "read" if isinstance(node.ctx, ast.Load) else "write"
            return [EnvAccess(string_value(node.slice), kind, node.slice)]
        return []
    if isinstance(node, ast.Compare):
        out = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)) and (
                _is_environ(right, node, ctx) or _is_environ_keys(right, node, ctx)
            ):
                out.append(EnvAccess(string_value(left), "read", left))
            left = right
        return out
    if isinstance(node, ast.AugAssign):
        # os.environ |= {"X": ...} (Python 3.9+ dict union) writes every key.
        if isinstance(node.op, ast.BitOr) and _is_environ(node.target, node, ctx):
            return _dict_writes(node.value)
        return []
    return []


def _is_environ(node: ast.AST, at: ast.AST, ctx: FileContext) -> bool:
    return ctx.resolve(node) in ENVIRON and not _shadowed(node, at, ctx)


def _is_environ_keys(node: ast.AST, at: ast.AST, ctx: FileContext) -> bool:
    return (
        isinstance(node, ast.Call)
        and not node.args
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "keys"
        and _is_environ(node.func.value, at, ctx)
    )


def _dict_writes(node: ast.AST) -> list[EnvAccess]:
    if not isinstance(node, ast.Dict):
        return []
    return [EnvAccess(string_value(key), "write", key) for key in node.keys if key is not None]


def _shadowed(node: ast.AST, at: ast.AST, ctx: FileContext) -> bool:
    """True when the name ``node`` starts with is a parameter or local of a function around ``at``.

    Import aliases are recorded per module, so ``environ`` in
    ``def app(environ, start_response)`` would otherwise resolve to
    ``os.environ`` in a module that also imported it. Only called once an
    expression already looks like the environment, so the walk stays rare.
    ``at`` is the node being visited: the engine records a node's parent
    only when it reaches the parent, so ``node``'s own ancestry may not be
    known yet.
    """
    while isinstance(node, ast.Attribute):
        node = node.value
    if not isinstance(node, ast.Name):
        return False
    name = node.id
    for anc in (at, *ctx.ancestors(at)):
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = anc.args
            params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            if any(p is not None and p.arg == name for p in params):
                return True
            if not isinstance(anc, ast.Lambda) and _assigned_in(name, anc):
                return True
    return False


def _assigned_in(name: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    stored = _LOCAL_NAMES.get(function)
    if stored is None:
        stored = frozenset(
            sub.id
            for stmt in function.body
            for sub in ast.walk(stmt)
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)
        )
        _LOCAL_NAMES[function] = stored
    return name in stored


#: Names a function body assigns, computed once per function (a legacy
#: ``load_config()`` may read dozens of variables).
_LOCAL_NAMES: weakref.WeakKeyDictionary[ast.AST, frozenset[str]] = weakref.WeakKeyDictionary()


def _env_call(call: ast.Call, ctx: FileContext) -> list[EnvAccess]:
    func = call.func
    name = ctx.resolve(func)
    if name is None:
        return []
    if name in GETENV:
        if _shadowed(func, call, ctx):
            return []
        key = call_arg(call, 0, "key")
        default = call_arg(call, 1, "default")
        return [EnvAccess(string_value(key), "read", key or call, default)]
    if name in PUTENV or name in UNSETENV:
        if _shadowed(func, call, ctx):
            return []
        key = call_arg(call, 0, "key" if name in UNSETENV else None)
        return [EnvAccess(string_value(key), "write", key or call)]
    if not isinstance(func, ast.Attribute) or not _is_environ(func.value, call, ctx):
        return []
    method = func.attr
    if method in ENVIRON_METHODS:
        key = call_arg(call, 0, "key")
        default = call_arg(call, 1, "default") if method in {"get", "pop", "setdefault"} else None
        kind = ENVIRON_METHODS[method]
        return [EnvAccess(string_value(key), kind, key or call, default)]
    if method == "update":
        out = []
        for kw in call.keywords:
            if kw.arg is not None:
                # The keyword (``MAIN_PC_IP=...``) is what names the variable.
                out.append(EnvAccess(kw.arg, "write", kw))
        for arg in call.args:
            out.extend(_dict_writes(arg))
        return out
    return []


def runs_as_program(node: ast.AST, ctx: FileContext) -> bool:
    """Whether module-level ``node`` runs only when the file is the program, never for an
    importer: under ``if __name__ == "__main__":``, or anywhere in a file that cannot be
    imported (its name is no module name: ``bin/carbon-cache.py``, ``run-server.py``)."""
    name = ctx.relpath.rpartition("/")[2]
    if name.endswith(".py") and not name[: -len(".py")].isidentifier():
        return True
    child = node
    for ancestor in ctx.ancestors(node):
        if _is_main_test(ancestor, child):
            return True
        child = ancestor
    return False


def _is_main_test(parent: ast.AST, child: ast.AST) -> bool:
    """``child`` is in the body of ``if __name__ == "__main__":`` (either side)."""
    if not isinstance(parent, ast.If) or child not in parent.body:
        return False
    test = parent.test
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )
