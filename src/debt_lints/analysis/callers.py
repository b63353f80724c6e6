"""Where a function is used from: the uses of its name in one module, and how often each runs.

A function that sets something up for the whole process (a log handler on a
logger) is harmless when it runs once per process, and debt when it runs once
per call of ordinary code. Whether every use of it starts a program is a
whole-repository question (:meth:`debt_lints.index.Project.runs_once_at_start`);
this module answers the part one module can: what each use of a name in it is
(:func:`name_uses`), and which functions a framework or a launcher calls once
when a process starts (:func:`started_by_framework`).

Uses are found by name: ``x.setup_logger(...)`` is a use of every function or
method named ``setup_logger``, whatever ``x`` is. That over-counts uses (an
unrelated method of the same name), never under-counts those spelled out; a
call through a computed name (``getattr(obj, name)()``) is not seen. Where the
receiver is the method's own instance or class (``self.init_app(app)``,
``cls.create()``), the use says which class it is in (:attr:`NameUse.owner`), so
that the project can match it to that class's methods and those of its bases
and subclasses only.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from debt_lints.analysis.context import FUNCTIONS, FileContext
from debt_lints.analysis.patterns import runs_as_program

#: A direct call that runs only when its file is the program: under ``if __name__ ==
#: "__main__":``, at the top level of a ``__main__.py`` or of a file that cannot be
#: imported (``bin/run-worker.py``).
PROGRAM = "program"
#: A direct call in the module's own top-level code (or a top-level class body):
#: it runs once, when the module is imported.
IMPORT = "import"
#: A direct call in the body of a top-level function or a method of a top-level
#: class (:attr:`NameUse.caller` names it): it runs as often as that function does.
CALLER = "caller"
#: Anything else: the name handed on or stored (a callback, ``getattr`` with the
#: name, a dotted reference in a string: a logging factory, a plugin), called in a
#: loop, a comprehension, a lambda or a nested function, or imported under another
#: name. It may run any number of times.
OTHER = "other"

#: A name read on the method's own instance or class: ``self.name``, ``cls.name``.
SELF = "self"
#: A name read through ``super()`` in a method: one of the class's bases' attributes.
SUPER = "super"

#: Ancestors under which a call runs again and again.
_REPEATING = (
    ast.While,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_SCOPES = (*FUNCTIONS, ast.ClassDef, ast.Module)


class NameUse(NamedTuple):
    """One use of a name: what kind (:data:`PROGRAM`, :data:`IMPORT`, :data:`CALLER`,
    :data:`OTHER`), for :data:`CALLER` the qualified name of the calling function
    (``main``, ``Command.handle``), and the top-level class whose method reads the
    name on its own instance or class (``self.name``, ``cls.name``) or through
    ``super()``, with which of the two (:func:`own_class`)."""

    kind: str
    node: ast.AST
    caller: str | None = None
    owner: str | None = None
    #: How the owner's method reads the name: :data:`SELF` or :data:`SUPER`.
    receiver: str | None = None


def qualified_name(function: ast.AST, ctx: FileContext) -> str | None:
    """``f`` for a top-level function, ``C.f`` for a method of a top-level class; ``None``
    for anything else (a nested function or class: nothing outside can name it)."""
    if not isinstance(function, FUNCTIONS):
        return None
    owner = ctx.parents.get(function)
    if isinstance(owner, ast.Module):
        return function.name
    if isinstance(owner, ast.ClassDef) and isinstance(ctx.parents.get(owner), ast.Module):
        return f"{owner.name}.{function.name}"
    return None


def name_uses(name: str, tree: ast.Module, ctx: FileContext) -> list[NameUse]:
    """Every use of ``name`` in the module ``tree``: a name or an attribute spelled
    ``name`` (definitions and plain ``from m import name`` imports are not uses), an
    import that binds it under another name or in a class body, and a string that names it
    (``getattr(obj, "name")``, ``"pkg.mod.name"``, ``"pkg.mod:name"``), in source
    order. ``ctx`` must know the parents of the whole tree (the semantic model
    completes them; a context from the project index has them)."""
    out: list[NameUse] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            out.append(_use(node, ctx))
        elif isinstance(node, ast.Attribute) and node.attr == name:
            use = _use(node, ctx)
            found = own_class(node, ctx)
            out.append(use if found is None else use._replace(owner=found[0], receiver=found[1]))
        elif (
            isinstance(node, ast.alias)
            and node.name.rpartition(".")[2] == name
            and (node.asname or _in_class_body(node, ctx))
        ) or (isinstance(node, ast.Constant) and _names_it(node, name, ctx)):
            out.append(NameUse(OTHER, node))
    out.sort(key=lambda use: (getattr(use.node, "lineno", 0), getattr(use.node, "col_offset", 0)))
    return out


def own_class(node: ast.Attribute, ctx: FileContext) -> tuple[str, str] | None:
    """``(C, SELF)`` when ``node`` reads an attribute of the instance or class a method
    of the top-level class ``C`` runs on, ``(C, SUPER)`` when it reads one through
    ``super()`` (or ``super(C, ...)``) there; ``None`` otherwise.

    ``self.x`` (``cls.x``) counts directly in the body of a method whose first
    parameter is ``self`` (``cls``) and that never rebinds it, not in a static
    method; neither counts in a nested function, a lambda or a nested class.
    """
    method: ast.AST | None = None
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            method = ancestor
            break
    if not isinstance(method, FUNCTIONS):
        return None
    klass = ctx.parents.get(method)
    if not (isinstance(klass, ast.ClassDef) and isinstance(ctx.parents.get(klass), ast.Module)):
        return None
    receiver = node.value
    if isinstance(receiver, ast.Call):
        return (klass.name, SUPER) if _is_super(receiver, klass.name) else None
    if not isinstance(receiver, ast.Name):
        return None
    params = [*method.args.posonlyargs, *method.args.args]
    if not params or params[0].arg != receiver.id:
        return None
    if any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in method.decorator_list):
        return None
    if any(_rebinds(inner, receiver.id) for inner in ast.walk(method)):
        return None  # ``self = other``: the name no longer holds the instance
    return klass.name, SELF


def _in_class_body(node: ast.alias, ctx: FileContext) -> bool:
    """The import binds a class attribute (``class C: from m import name``)."""
    statement = ctx.parents.get(node)
    return statement is not None and isinstance(ctx.parents.get(statement), ast.ClassDef)


def _is_super(call: ast.Call, class_name: str) -> bool:
    """``super()`` or ``super(C, ...)`` with ``C`` the enclosing class."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "super") or call.keywords:
        return False
    if not call.args:
        return True
    first = call.args[0]
    return len(call.args) == 2 and isinstance(first, ast.Name) and first.id == class_name


def _rebinds(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    return isinstance(node, ast.ExceptHandler) and node.name == name


def _names_it(node: ast.Constant, name: str, ctx: FileContext) -> bool:
    """The string is ``name`` or a dotted reference to it (``"pkg.log.setup"``,
    ``"pkg.log:setup"``: a logging configuration's factory, a plugin's entry point,
    ``getattr(obj, "setup")``), neither a docstring nor an entry of ``__all__``."""
    value = node.value
    if not (isinstance(value, str) and value.endswith(name)):
        return False
    if value != name and value[-len(name) - 1] not in ".:":
        return False
    parent = ctx.parents.get(node)
    if isinstance(parent, ast.Expr):
        return False  # a docstring, or a string alone on its line
    if isinstance(parent, (ast.List, ast.Tuple)):
        owner = ctx.parents.get(parent)
        targets = owner.targets if isinstance(owner, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return False
    return True


def _use(node: ast.Name | ast.Attribute, ctx: FileContext) -> NameUse:
    call = ctx.parents.get(node)
    if not (isinstance(node.ctx, ast.Load) and isinstance(call, ast.Call) and call.func is node):
        return NameUse(OTHER, node)  # handed on, stored or deleted: may run any time
    child: ast.AST = call
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, _REPEATING) or (
            isinstance(ancestor, (ast.For, ast.AsyncFor)) and child in ancestor.body
        ):
            return NameUse(OTHER, node)
        if isinstance(ancestor, _SCOPES):
            return _in_scope(node, ancestor, ctx)
        child = ancestor
    return NameUse(OTHER, node)


def _in_scope(node: ast.AST, scope: ast.AST, ctx: FileContext) -> NameUse:
    if isinstance(scope, ast.Module):
        filename = ctx.relpath.rpartition("/")[2]
        if filename == "__main__.py" or runs_as_program(node, ctx):
            return NameUse(PROGRAM, node)
        return NameUse(IMPORT, node)
    if isinstance(scope, ast.ClassDef):
        top = isinstance(ctx.parents.get(scope), ast.Module)
        return NameUse(IMPORT if top else OTHER, node)
    caller = qualified_name(scope, ctx)
    return NameUse(OTHER, node) if caller is None else NameUse(CALLER, node, caller)


def started_by_framework(relpath: str, qualname: str) -> str | None:
    """What starts a process by calling the function ``qualname`` of ``relpath`` once,
    or ``None``: a Django management command's ``Command.handle`` (in
    ``<app>/management/commands/<name>.py``, which ``manage.py <name>`` runs)."""
    parts = relpath.split("/")
    if qualname == "Command.handle" and parts[-3:-1] == ["management", "commands"]:
        return "a Django management command"
    return None
