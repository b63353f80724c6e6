"""Calls of this file's own functions: call sites, arguments and parameters, results.

Answers *what a call calls and what it passes*: the definition a call reaches
(:meth:`CallModel.function_of`, :meth:`CallModel.constructor_of`), the calls of a
name (:meth:`CallModel.call_sites`), the arguments this file's calls pass to a
parameter (``_arguments``), the parameter an argument fills (``_parameter_defs``),
the argument a call gives a parameter (:func:`_argument_for`), and what a
function returns (``_returned``, ``_returns_plainly``).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.semantic.bindings import Def, ScopeModel


class CallModel(ScopeModel):
    """Calls of this file's functions: callee, arguments to parameters, returns."""

    def function_of(self, call: ast.Call) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The definition in this file of what ``call`` calls: a function of the
        module, a method called on ``self``/``cls``; the last definition wins."""
        func = call.func
        body: list[ast.stmt] | None = None
        if isinstance(func, ast.Name):
            body = self.tree.body
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id not in {"self", "cls"}:
                return None
            owner = self._class_of(call)
            body = owner.body if owner is not None else None
            name = func.attr
        else:
            return None
        found = None
        for statement in body or ():
            if isinstance(statement, FUNCTIONS) and statement.name == name:
                found = statement
        return found

    def constructor_of(self, call: ast.Call) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The ``__init__`` of the class of this module that ``call`` instantiates
        (``Emitter(host, port)``), the last definition winning as in :meth:`function_of`;
        ``None`` when the class is not this module's or its ``__init__`` comes from a
        base (not seen here)."""
        if not isinstance(call.func, ast.Name):
            return None
        found: ast.ClassDef | None = None
        for statement in self.tree.body:
            if isinstance(statement, ast.ClassDef) and statement.name == call.func.id:
                found = statement
        init = None
        for statement in found.body if found is not None else ():
            if isinstance(statement, FUNCTIONS) and statement.name == "__init__":
                init = statement
        return init

    def call_sites(self, name: str) -> list[ast.Call]:
        """Calls in this file whose callee's last name is ``name``."""
        return self._calls.get(name, [])

    def _bound(self, function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> bool:
        """``call`` binds ``function``'s first parameter: a method called on ``self`` or
        ``cls`` (not a static method)."""
        return isinstance(call.func, ast.Attribute) and self._takes_receiver(function)

    def _takes_receiver(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """``function`` is a method whose first parameter is its receiver (not static)."""
        return isinstance(self.parents.get(function), ast.ClassDef) and not any(
            isinstance(x, ast.Name) and x.id == "staticmethod" for x in function.decorator_list
        )

    def _arguments(self, d: Def) -> list[ast.expr]:
        """The arguments this file's calls pass to the parameter ``d``."""
        function = d.scope.node
        if not isinstance(function, FUNCTIONS):
            return []
        owner = d.scope.parent.node if d.scope.parent is not None else None
        method = isinstance(owner, ast.ClassDef)
        bound = self._takes_receiver(function)
        callees = [function.name]
        if method and function.name == "__init__" and isinstance(owner, ast.ClassDef):
            callees = [owner.name]
        out: list[ast.expr] = []
        for callee in callees:
            for call in self.call_sites(callee):
                if (
                    isinstance(call.func, ast.Attribute)
                    and not (
                        method
                        and isinstance(call.func.value, ast.Name)
                        and call.func.value.id in {"self", "cls"}
                    )
                    and callee == function.name
                ):
                    continue
                if isinstance(call.func, ast.Name) and method and callee == function.name:
                    continue
                argument = _argument_for(call, function, d.name, bound)
                if argument is not None and argument is not _OMITTED:
                    out.append(argument)
        return out

    def _returns_plainly(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A call of ``function`` gives what its ``return`` statements give: it is no
        coroutine, no generator, and no decorator but ``staticmethod``/``classmethod``
        may wrap its result."""
        key = (id(function), "returns-plainly")
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = (
                isinstance(function, ast.FunctionDef)
                and all(
                    isinstance(d, ast.Name) and d.id in {"staticmethod", "classmethod"}
                    for d in function.decorator_list
                )
                and not any(
                    isinstance(node, (ast.Yield, ast.YieldFrom))
                    and self.scope_of(node).node is function
                    for node in walk(function)
                )
            )
        return found is True

    def _parameter_defs(self, call: ast.Call, argument: ast.AST, keyword: str | None) -> list[Def]:
        """The parameter of this file's function (or of its class's ``__init__``) that
        ``argument`` of ``call`` binds; empty when the callee or the parameter is not known."""
        function = self.function_of(call)
        if function is not None:
            bound = self._bound(function, call)  # self.method(...) / cls.method(...)
        else:
            function = self.constructor_of(call)
            bound = True  # Class(...): __init__'s first parameter is the new instance
        if function is None:
            return []
        scope = self.scope_for(function)
        if scope is None:
            return []
        params = [*function.args.posonlyargs, *function.args.args]
        if bound and params:
            params = params[1:]  # the receiver is bound
        name: str | None = keyword
        if name is None:
            index = next((i for i, a in enumerate(call.args) if a is argument), None)
            if index is None or index >= len(params):
                return []
            name = params[index].arg
        return [d for d in scope.defs.get(name, ()) if d.kind == "param"]

    def _returned(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
        """What ``function`` returns (its own ``return`` statements, not nested ones)."""
        out: list[ast.expr] = []
        stack: list[ast.AST] = list(function.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Return) and node.value is not None:
                out.append(node.value)
            elif not isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                stack.extend(ast.iter_child_nodes(node))
        return out


#: A parameter the call leaves to its default (:func:`_argument_for`).
_OMITTED = ast.Constant(value=None)


def _argument_for(
    call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, bound: bool
) -> ast.expr | None:
    """The argument ``call`` gives ``function``'s parameter ``name``: by keyword or by
    position, :data:`_OMITTED` when it is left to its default, ``None`` when ``*args``
    or ``**kwargs`` may hold it. ``bound``: the call binds the first parameter (a
    method's receiver). The one mapping from a parameter to its argument: of the call
    whose result is read (``_param_texts``), of every call of this file
    (:meth:`CallModel._arguments`), of a call that leaves it out (``_omitted``)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    args = function.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if bound:
        positional = positional[1:]
    if name in positional:
        index = positional.index(name)
        for i, argument in enumerate(call.args):
            if isinstance(argument, ast.Starred):
                return None
            if i == index:
                return argument
    if any(k.arg is None for k in call.keywords):
        return None
    return _OMITTED


def _generates(function: ast.FunctionDef) -> bool:
    """``function`` is a generator: its ``return`` is not what the call gives."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return False
