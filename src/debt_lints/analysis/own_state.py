"""Ports the callers of a function read back from this machine's own state files (DL301).

A daemon writes its listener's port to its lock file, beside its pid; a second
run of the program reads the port back and hands it to a client class of
another module (``IPCClient(ipc_info["port"], ipc_info["password"])``, where
that class connects to ``("127.0.0.1", port)``). Whoever wrote that file runs on
this machine: the client reaches a process of this machine. The client's file
says which parameter its port is (:func:`parameter_ports`); the callers' files,
read in the project phase, say where each call's argument comes from
(:func:`calls_from_own_state`, asking
:meth:`~debt_lints.analysis.semantic.SemanticModel.from_own_state_file`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.semantic import SemanticModel

#: The prefix of a parameter port in DL301's deferred question.
PARAMETER = "param:"


def parameter_ports(model: SemanticModel, endpoint: ast.expr) -> list[str]:
    """``param:NAME:POSITION:KEYWORD`` for each port of ``endpoint`` (a host with its
    port) that is, where the endpoint reads it, only a parameter of a module-level
    function of this file or of the ``__init__`` of a module-level class: its callers
    choose it. ``NAME`` is the function or the class, ``POSITION`` the argument's
    position in a call (``-1``: keyword only), ``KEYWORD`` the parameter's name."""
    out: list[str] = []
    for port in model._ports(endpoint):
        if not isinstance(port, ast.Name):
            continue
        defs = model.reaching(port)
        if not defs or any(d.kind != "param" for d in defs):
            continue
        function = defs[0].scope.node
        if not isinstance(function, FUNCTIONS):
            continue
        owner = model.parents.get(function)
        if owner is model.tree:
            name, shift = function.name, 0
        elif (
            isinstance(owner, ast.ClassDef)
            and model.parents.get(owner) is model.tree
            and function.name == "__init__"
        ):
            name, shift = owner.name, 1
        else:
            continue
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        position = positional.index(port.id) - shift if port.id in positional else -1
        out.append(f"{PARAMETER}{name}:{position}:{port.id}")
    return out


def calls_from_own_state(
    model: SemanticModel, qualified: frozenset[str], local: str | None, position: int, keyword: str
) -> bool | None:
    """Whether every use in this file of the callable named ``qualified`` (or, in its
    own file, the bare name ``local``) is a call that hands the parameter
    (``position``-th argument, or ``keyword=``) a value read back from a file this
    file writes with this machine's pid or own port. ``None`` when the file does not
    use it; ``False`` when it is used otherwise (handed on, stored, called with
    ``*args``) or with another value."""
    ctx = model.ctx
    used = False
    for node in ast.walk(model.tree):
        if not isinstance(node, (ast.Name, ast.Attribute)) or not isinstance(node.ctx, ast.Load):
            continue
        if isinstance(node, ast.Name) and local is not None and node.id == local:
            pass
        elif ctx.resolve(node) not in qualified:
            continue
        call = model.parents.get(node)
        if isinstance(call, ast.Attribute):
            continue  # the name inside a longer chain, judged as that chain
        if not (isinstance(call, ast.Call) and call.func is node):
            return False  # handed on or stored: its calls are not seen
        used = True
        argument = call_arg(call, position, keyword) if position >= 0 else None
        if argument is None:
            argument = next((k.value for k in call.keywords if k.arg == keyword), None)
        if argument is None or not model.from_own_state_file(argument):
            return False
    return True if used else None
