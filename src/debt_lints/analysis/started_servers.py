"""Servers a function starts itself from a section of the configuration (DL301).

A command that runs the program's components hands each its section of the
configuration whole (``run_in(ctx.invoke, scheduler, **scheduler_config)``,
``ctx.invoke(phantomjs, **phantomjs_config)``), where ``scheduler`` and
``phantomjs`` are commands of the same file; the started command gives a key of
that section to a listener (``xmlrpc_run(port=xmlrpc_port, bind=xmlrpc_host)``)
or to the process it starts (``Popen([..., str(port)])``). A client the same
function builds with that key of that section
(``"http://127.0.0.1:%s/" % config.get("scheduler", {}).get("xmlrpc_port")``,
``phantomjs_config.get("port")``) or with the same attribute of what the start
returned (``phantomjs_obj.port`` where ``phantomjs`` returns
``ObjectDict(port=port)``) reaches a server this very run starts on this
machine. The model (:mod:`debt_lints.analysis.semantic`) knows the uses and the
sources; this module joins them.
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.semantic import LISTEN, SPAWN, SemanticModel

#: Keywords that name where a call listens: a call given one beside ``port=`` serves it.
_BIND_KEYWORDS = frozenset({"bind", "bind_address", "bind_host", "listen", "listen_address"})
#: A started function's parameter is served when it reaches one of these uses.
_SERVED = frozenset({LISTEN, SPAWN})


def serves_started_section(model: SemanticModel, endpoint: ast.expr) -> bool:
    """The port of the loopback ``endpoint`` is a key of a configuration section that
    the function around it hands whole to a function of this file which gives that
    key to a listener or to a process it starts; or the same attribute of what such
    a start returned. Only the function's own body counts (not a nested function,
    not another command of the file: that one may run where the server does not)."""
    function = model.scope_of(endpoint).node
    if not isinstance(function, FUNCTIONS):
        return False
    starts = _section_starts(model, function)
    if not starts:
        return False
    served = {
        f"config:{section}/{key}"
        for section, started, _ in starts
        for key in _served_parameters(model, started)
    }
    if model.port_sources(endpoint) & served:
        return True
    return any(_returned_port(model, port, starts) for port in _port_expressions(model, endpoint))


def _section_starts(
    model: SemanticModel, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.Call]]:
    """``(section, started function, the call)`` for each call of ``function``'s own
    body that hands a section (``**scheduler_config``) to a function of this file,
    named as the callee or as an argument (``ctx.invoke(scheduler, **config)``,
    ``run_in(ctx.invoke, scheduler, **config)``)."""
    out: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.Call]] = []
    for call in _own_nodes(function):
        if not isinstance(call, ast.Call):
            continue
        sections = {
            section
            for k in call.keywords
            if k.arg is None
            and isinstance(k.value, ast.Name)
            and (section := model.section_read(k.value)) is not None
        }
        if len(sections) != 1:
            continue
        section = sections.pop()
        for named in (call.func, *call.args):
            started = _module_function(model, named)
            if started is not None:
                out.append((section, started, call))
    return out


def _module_function(
    model: SemanticModel, node: ast.expr
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function of this file that the name ``node`` means."""
    if not isinstance(node, ast.Name):
        return None
    defs = model.reaching(node)
    if len(defs) != 1 or defs[0].kind != "function":
        return None
    found = defs[0].node
    if not isinstance(found, FUNCTIONS) or model.parents.get(found) is not model.tree:
        return None
    return found


def _served_parameters(
    model: SemanticModel, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> set[str]:
    """The parameters of ``function`` that it gives to a listener or to a process it
    starts, or as ``port=`` to a call that is told where to listen (``bind=``)."""
    scope = model.scope_for(function)
    if scope is None:
        return set()
    out: set[str] = set()
    for name, defs in scope.defs.items():
        for d in defs:
            if d.kind != "param":
                continue
            if any(
                model.uses(read) & _SERVED or _port_beside_bind(model, read)
                for read in model.def_uses(d)
            ):
                out.add(name)
    return out


def _port_beside_bind(model: SemanticModel, read: ast.expr) -> bool:
    """``read`` is the ``port=`` of a call that is also told where to listen:
    ``run_in_thread(server.xmlrpc_run, port=port, bind=host)``."""
    keyword = model.parents.get(read)
    if not (isinstance(keyword, ast.keyword) and keyword.arg == "port"):
        return False
    call = model.parents.get(keyword)
    return isinstance(call, ast.Call) and any(k.arg in _BIND_KEYWORDS for k in call.keywords)


def _port_expressions(model: SemanticModel, endpoint: ast.expr) -> list[ast.expr]:
    """The port pieces of ``endpoint``: ``"127.0.0.1:%s" % obj.port``'s ``obj.port``."""
    parent = model.parents.get(endpoint)
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod):
        right = parent.right
        return list(right.elts) if isinstance(right, ast.Tuple) else [right]
    if isinstance(endpoint, ast.JoinedStr):
        return [v.value for v in endpoint.values if isinstance(v, ast.FormattedValue)]
    return []


def _returned_port(
    model: SemanticModel,
    port: ast.expr,
    starts: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.Call]],
) -> bool:
    """``port`` is ``obj.KEY`` where ``obj`` was bound to one of ``starts``' calls and
    the started function returns ``KEY=`` a parameter it serves
    (``phantomjs_obj = ctx.invoke(phantomjs, **config)`` then ``phantomjs_obj.port``,
    where ``phantomjs`` returns ``ObjectDict(port=port, ...)``)."""
    if not (isinstance(port, ast.Attribute) and isinstance(port.value, ast.Name)):
        return False
    defs = model.reaching(port.value)
    if len(defs) != 1 or defs[0].kind != "assign":
        return False
    for _, started, call in starts:
        if defs[0].value is not call:
            continue
        served = _served_parameters(model, started)
        for returned in _returns(model, started):
            if isinstance(returned, ast.Call) and any(
                k.arg == port.attr and isinstance(k.value, ast.Name) and k.value.id in served
                for k in returned.keywords
            ):
                return True
    return False


def _returns(model: SemanticModel, function: ast.AST) -> list[ast.expr]:
    """What ``function`` returns, read through the assignments that reach a returned
    name (``phantomjs = ObjectDict(port=port)`` then ``return phantomjs``)."""
    out: list[ast.expr] = []
    for node in _own_nodes(function):
        if not (isinstance(node, ast.Return) and node.value is not None):
            continue
        if isinstance(node.value, ast.Name):
            out += [
                d.value
                for d in model.reaching(node.value)
                if d.kind == "assign" and d.value is not None
            ]
        else:
            out.append(node.value)
    return out


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function``'s body, not of the functions, classes or lambdas it
    defines."""
    out: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out
