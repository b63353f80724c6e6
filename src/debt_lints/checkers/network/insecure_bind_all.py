from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from debt_lints.analysis.context import FUNCTIONS, FileContext
from debt_lints.analysis.literals import is_bind_all_endpoint, is_bind_all_host, last_name, template
from debt_lints.analysis.patterns import call_arg, env_accesses
from debt_lints.core.model import Option, Rule, Security, Severity
from debt_lints.core.settings import Settings

_OPTION = "secure-socket-helpers"

#: Methods that bind a socket to an address: ZMQ, ``socket``, gRPC.
_BIND_METHODS = frozenset({"bind", "bind_to_random_port", "add_insecure_port"})
#: Calls that start a server listening on a host given as an argument.
_SERVER_CALLS = frozenset(
    {
        "run",
        "run_app",
        "run_simple",
        "serve",
        "make_server",
        "start_server",
        "start_unix_server",
        "create_server",
        "create_datagram_endpoint",
        "start_http_server",
        "start_wsgi_server",
        "listen",
        "TCPSite",
    }
)
#: Keywords of those calls (and of ``*Server`` constructors) that name the address.
_HOST_KEYWORDS = frozenset(
    {
        "host",
        "hostname",
        "address",
        "addr",
        "bind",
        "bind_address",
        "listen",
        "server_address",
        "local_addr",
    }
)
#: Keywords that put TLS on a server.
_TLS_KEYWORDS = frozenset(
    {"ssl", "ssl_context", "ssl_keyfile", "ssl_certfile", "certfile", "keyfile"}
)
_CURVE_SERVER_OPTIONS = ("setsockopt", "set")
#: Positional arguments that may be (or name) an address.
_ADDRESS_NODES = (ast.Constant, ast.Tuple, ast.Name)
#: Server classes that speak TLS themselves (``HTTPSServer(addr, handler, context)``).
_TLS_WORDS = frozenset({"HTTPS", "SSL", "TLS"})
_NAME_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


class InsecureBindAll(Rule):
    """
    ## What it does
    Flags a server that listens on every network interface with nothing in
    the same function securing its transport. Bind-all addresses are
    `"0.0.0.0"`, `"::"`, ZMQ's `*`, and `""` in an address tuple:

    * ZMQ: `sock.bind("tcp://*:5555")`, `sock.bind(f"tcp://0.0.0.0:{port}")`,
      `"tcp://*:%d" % port`, `"tcp://*:{}".format(port)`,
      `sock.bind_to_random_port("tcp://*")`, unless that socket is made a
      CURVE server in the function (`sock.curve_server = True`,
      `sock.setsockopt(zmq.CURVE_SERVER, 1)`) or handed to a securing helper
      (a call whose name contains `secure` or `curve`, not `insecure`, that
      takes the socket, such as `configure_secure_server(sock)`, or a name in
      `secure-socket-helpers`), or was created by one;
    * sockets and servers: `sock.bind(("0.0.0.0", port))`,
      `HTTPServer(("0.0.0.0", 8000), Handler)`, `socketserver.TCPServer(("",
      8000), Handler)`, `app.run(host="0.0.0.0")`, `uvicorn.run(app,
      host="0.0.0.0")`, `aiohttp.web.run_app(app, host="0.0.0.0")`,
      `asyncio.start_server(cb, "0.0.0.0", port)`, `make_server("0.0.0.0",
      port, app)`, gRPC's `server.add_insecure_port("[::]:50051")`, unless
      the call gets an `ssl_context`, `ssl`, `ssl_keyfile`, `ssl_certfile`,
      `certfile` or `keyfile` argument, the server's name says it speaks TLS
      (`HTTPSServer`, `SSLServer`), or the function calls `wrap_socket`.

    The address may also come through a variable assigned once in the same
    function (or, at module level, once in the module), either a literal
    (`endpoint = f"tcp://*:{port}"; sock.bind(endpoint)`) or a setting
    whose default is every interface: `BIND_ADDRESS =
    os.environ.get("BIND_ADDRESS", "0.0.0.0")` (also `os.getenv`,
    `os.getenv("X") or "0.0.0.0"`, a helper whose name contains `env` such
    as `get_env("X", "0.0.0.0")`, `config.get("bind_address", "0.0.0.0")`)
    then `sock.bind(f"tcp://{BIND_ADDRESS}:{port}")`; the message says the
    default binds every interface.

    A securing step only counts when it secures by default:

    * a securing helper defined in the same file whose body does nothing
      with the configuration at its defaults (`pass`, logging, `return
      sock`, or `if not SECURE_ZMQ: return sock` first) secures nothing;
    * a securing step under `if FLAG:` where `FLAG` is off by default
      (`SECURE_ZMQ = os.environ.get("SECURE_ZMQ", "0") == "1"`,
      `os.getenv("X", "false").lower() in ("1", "true")`, `os.getenv("X")`,
      a constant `False`, or a function of this file returning such a test)
      leaves the default insecure. A flag whose default cannot be told from
      the file (a parameter, an attribute) gets the benefit of the doubt.

    A port probe is not a server: a socket that is a local of the function,
    bound to an address tuple and never made to `listen`, `accept`, `recv`
    ... nor passed on, returned or stored (`with socket.socket() as s:
    s.bind(("", 0)); return s.getsockname()[1]`) is not reported.

    The finding points at the bind or run call. Its message names the
    address and, for a ZMQ socket, asks for CURVE or a configured
    interface; for a plain socket or a server, a configured interface or
    TLS; for gRPC's `add_insecure_port`, `add_secure_port`.

    ## Why is this debt
    A service bound to every interface is reachable from every network the
    machine or container is attached to. Without CURVE or TLS anyone who can
    reach the port can read and inject messages. The audit found services
    exposed on 0.0.0.0 without TLS and ZMQ sockets bound to `tcp://*` with
    CURVE configured only on some of them.

    ## Example
    ```python
    import zmq


    def serve(context, port):
        socket = context.socket(zmq.REP)
        socket.bind(f"tcp://*:{port}")
        return socket
    ```

    ## Use instead
    ```python
    import zmq


    def serve(context, port, server_secret):
        socket = context.socket(zmq.REP)
        socket.curve_secretkey = server_secret
        socket.curve_server = True
        socket.bind(f"tcp://*:{port}")
        return socket
    ```

    ## Options
    `secure-socket-helpers` (list of strings): more functions that secure a
    socket passed to them, as qualified names (`common.security.harden`) or
    bare names (`harden`); `extend-secure-socket-helpers` adds to the list.
    Calls whose name contains `secure` or `curve` always count.

    ```toml
    [tool.debt-lints]
    secure-socket-helpers = ["harden"]
    ```

    ## Known limits
    Only the enclosing function is searched for the securing step: a socket
    secured in another method (`__init__` sets `curve_server`, `start()`
    binds) is reported; suppress such a line with `# noqa: DL302`. Whether
    a helper secures anything is only judged when it is defined in the same
    file (a function of the module, or a method of the class called on
    `self`); a helper imported from elsewhere counts by its name. A host
    that is a parameter default (`def serve(host="0.0.0.0")`) or a
    command-line default is not followed, nor an address stored on `self`.
    Comparisons with `"0.0.0.0"` and `""` outside an address tuple are not
    binds, and `""` counts only in a `(host, port, ...)` tuple (a one-element
    `("",)` is a CAN interface). CURVE authentication of clients (ZAP) is not checked, only that
    the transport is encrypted.
    """

    code = "DL302"
    name = "insecure-bind-all"
    summary = "server binds to every interface without CURVE or TLS"
    message = (
        "service binds to all interfaces without CURVE or TLS; "
        "bind to a configured interface or secure the socket"
    )
    severity = Severity.ERROR
    # CWE-1327 "Binding to an Unrestricted IP Address" is exactly this weakness;
    # bandit's B104 still reports the older, vaguer CWE-605.
    security = Security(cwe=1327, confidence="MEDIUM", bandit_severity="MEDIUM")
    options = (
        Option(
            _OPTION,
            "str-list",
            (),
            "functions that secure a socket passed to them (DL302)",
            extendable=True,
        ),
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        helpers = settings.str_list(_OPTION) if _OPTION in settings.as_dict() else ()
        self._helpers = frozenset(helpers)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if type(func) is ast.Attribute:
            name = func.attr
        elif type(func) is ast.Name:
            name = func.id
        else:
            return
        if name in _BIND_METHODS:
            if isinstance(node.func, ast.Attribute) and node.args:
                self._check_bind(node, node.func, ctx)
        elif (name in _SERVER_CALLS or name.endswith("Server")) and (node.args or node.keywords):
            self._check_server(node, name, ctx)

    def _check_bind(self, node: ast.Call, func: ast.Attribute, ctx: FileContext) -> None:
        scope = _scope(node, ctx)
        address = _follow(node.args[0], scope, ctx)
        if isinstance(address, ast.Tuple):
            host = _bind_all_tuple_host(address, scope, ctx)
            if host is None or _has_tls(node, scope) or _is_port_probe(func.value, scope):
                return
            ctx.report(
                node,
                f"socket binds every interface ({host.describe()}); "
                "bind a configured interface, or serve it over TLS",
            )
            return
        defaults: list[_Host] = []
        text = _formatted(address, scope, ctx, defaults)
        if text is None:
            text = template(address, lambda n: _part_text(n, scope, ctx, defaults))
        if text is None or not is_bind_all_endpoint(text):
            return
        shown = _Host(text, defaults[0].source if defaults else None)
        if func.attr == "add_insecure_port":  # gRPC: plaintext by definition
            ctx.report(
                node,
                f"gRPC port is plaintext on every interface ({shown.describe()}); "
                "use add_secure_port or bind a configured interface",
            )
            return
        verdict = self._curve_secured(func.value, scope, ctx)
        if verdict is not True:
            why = f" and {verdict}" if verdict else " without CURVE"
            ctx.report(
                node,
                f"ZMQ socket binds every interface ({shown.describe()}){why}; "
                "make it a CURVE server or bind a configured interface",
            )

    def _check_server(self, node: ast.Call, callee: str, ctx: FileContext) -> None:
        if not any(kw.arg in _HOST_KEYWORDS for kw in node.keywords) and not any(
            isinstance(arg, _ADDRESS_NODES) for arg in node.args
        ):
            return
        scope = _scope(node, ctx)
        host: _Host | None = None
        for keyword in node.keywords:
            if keyword.arg in _HOST_KEYWORDS:
                host = _bind_all_address(keyword.value, scope, ctx)
                if host is not None:
                    break
        else:
            for arg in node.args:
                host = _bind_all_address(arg, scope, ctx)
                if host is not None:
                    break
        if host is not None and not _has_tls(node, scope) and not _speaks_tls(callee):
            ctx.report(
                node,
                f"server listens on every interface ({host.describe()}); "
                "take the host from configuration, or serve over TLS",
            )

    def _curve_secured(self, socket: ast.expr, scope: ast.AST, ctx: FileContext) -> bool | str:
        """``True`` when ``scope`` makes ``socket`` a CURVE server (or hands it to a
        securing helper); else why not, when a securing step was seen but does not
        count (``""`` when none was seen)."""
        target = ctx.dotted(socket)
        if target is None:
            return ""
        why = ""
        for node, guards in _walk_guarded(scope):
            step = self._securing_step(node, target, ctx)
            if step is None:
                continue
            if step:  # a helper that does nothing
                why = why or step
                continue
            off = _off_by_default(guards, scope, ctx)
            if off is None:
                return True
            why = why or f"its CURVE setup is skipped by default ({off})"
        return why

    def _securing_step(self, node: ast.AST, target: str, ctx: FileContext) -> str | None:
        """``""`` when ``node`` secures ``target``; the reason when it only looks as if
        it did (a helper that does nothing); ``None`` when it is no securing step."""
        if isinstance(node, ast.Assign):
            for lhs in node.targets:
                if (
                    isinstance(lhs, ast.Attribute)
                    and lhs.attr == "curve_server"
                    and ctx.dotted(lhs.value) == target
                    and not _is_false(node.value)
                ):
                    return ""
                if (
                    ctx.dotted(lhs) == target
                    and isinstance(node.value, ast.Call)
                    and self._is_helper(node.value, ctx)
                ):
                    return _noop_reason(node.value, ctx)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in _CURVE_SERVER_OPTIONS
                and ctx.dotted(func.value) == target
                and len(node.args) >= 2
                and (ctx.dotted(node.args[0]) or "").endswith("CURVE_SERVER")
                and not _is_false(node.args[1])
            ):
                return ""
            if self._is_helper(node, ctx) and any(
                ctx.dotted(arg) == target
                for arg in [*node.args, *(kw.value for kw in node.keywords)]
            ):
                return _noop_reason(node, ctx)
        return None

    def _is_helper(self, call: ast.Call, ctx: FileContext) -> bool:
        """A call of a function that secures a socket: by name, or listed in the option."""
        short = last_name(call.func)
        if short is None:
            return False
        if short in self._helpers or ctx.resolve(call.func) in self._helpers:
            return True
        lowered = short.lower()
        if "insecure" in lowered or "unsecure" in lowered:
            return False
        return "secure" in lowered or "curve" in lowered


class _Host:
    """A bind-all address as the message shows it, and where its value came from."""

    __slots__ = ("source", "text")

    def __init__(self, text: str, source: str | None = None) -> None:
        self.text = text
        #: The environment variable or configuration key whose default it is.
        self.source = source

    def describe(self) -> str:
        shown = f"'{self.text}'" if self.text else "host ''"
        if self.source is None:
            return shown
        return f"{shown}, the default when {self.source} is unset"


def _scope(node: ast.AST, ctx: FileContext) -> ast.AST:
    """The function around ``node``, or the module."""
    function = ctx.enclosing_function(node)
    return function if function is not None else _module_of(node, ctx)


def _walk_scope(scope: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``scope``'s own body: nested functions and classes are other scopes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _params(scope: ast.AST) -> set[str]:
    if not isinstance(scope, FUNCTIONS):
        return set()
    args = scope.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {p.arg for p in every if p is not None}


class _Binding:
    """How often a scope binds one name, and the values of its plain assignments."""

    __slots__ = ("stores", "values")

    def __init__(self) -> None:
        self.stores = 0
        self.values: list[ast.expr] = []


# Scope -> its bindings, built in one walk and reused by every call in the scope.
# Holding the scope itself makes the id check safe; the cache stays small.
_INDEXES: dict[int, tuple[ast.AST, dict[str, _Binding]]] = {}


def _index(scope: ast.AST) -> dict[str, _Binding]:
    cached = _INDEXES.get(id(scope))
    if cached is not None and cached[0] is scope:
        return cached[1]
    index: dict[str, _Binding] = {}
    for name in _params(scope):
        index.setdefault(name, _Binding()).stores += 1
    for node in _walk_scope(scope):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                index.setdefault(node.id, _Binding()).stores += 1
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                index.setdefault(target.id, _Binding()).values.append(node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            index.setdefault(node.target.id, _Binding()).values.append(node.value)
    if len(_INDEXES) >= 64:
        _INDEXES.clear()
    _INDEXES[id(scope)] = (scope, index)
    return index


def _bindings(name: str, scope: ast.AST) -> tuple[int, list[ast.expr]]:
    """How many times ``scope`` binds ``name``, and the values of its plain assignments."""
    binding = _index(scope).get(name)
    if binding is None:
        return 0, []
    return binding.stores, binding.values


def _follow(node: ast.expr, scope: ast.AST, ctx: FileContext) -> ast.expr:
    """``node``, or the value a name is bound to once in the function (else in the module)."""
    if not isinstance(node, ast.Name):
        return node
    stores, values = _bindings(node.id, scope)
    if stores == 0 and isinstance(scope, FUNCTIONS):
        stores, values = _bindings(node.id, _module_of(scope, ctx))
    if stores == 1 and len(values) == 1:
        return values[0]
    return node


def _module_of(node: ast.AST, ctx: FileContext) -> ast.AST:
    root = node
    for ancestor in ctx.ancestors(node):
        root = ancestor
    return root


def _literal_text(node: ast.expr, scope: ast.AST, ctx: FileContext) -> str | None:
    host = _host_value(node, scope, ctx)
    return host.text if host is not None else None


def _host_value(node: ast.expr, scope: ast.AST, ctx: FileContext) -> _Host | None:
    """The text ``node`` stands for: a literal, or the literal default of a lookup,
    directly or through a name bound once (``BIND = os.getenv("BIND", "0.0.0.0")``)."""
    value = _follow(node, scope, ctx)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return _Host(value.value)
    found = _lookup_default(value, ctx)
    if found is not None and isinstance(found[1], str):
        return _Host(found[1], found[0])
    return None


def _part_text(node: ast.expr, scope: ast.AST, ctx: FileContext, seen: list[_Host]) -> str | None:
    """A non-literal part of an endpoint template, when it is known (see ``_host_value``)."""
    host = _host_value(node, scope, ctx)
    if host is None:
        return None
    if host.source is not None:
        seen.append(host)
    return host.text


_PLACEHOLDER_RE = re.compile(r"%[sdir]|\{\}")


def _formatted(node: ast.expr, scope: ast.AST, ctx: FileContext, seen: list[_Host]) -> str | None:
    """``"tcp://%s:%d" % (HOST, port)`` and ``"tcp://{}:{}".format(HOST, port)`` with
    the known arguments filled in (see ``_host_value``); ``None`` for other shapes."""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        pattern = node.left.value
        args = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
        and not node.keywords
    ):
        pattern = node.func.value.value
        args = list(node.args)
    else:
        return None
    if any(isinstance(a, ast.Starred) for a in args):
        return None
    parts = iter(args)

    def fill(match: re.Match[str]) -> str:
        arg = next(parts, None)
        text = _part_text(arg, scope, ctx, seen) if arg is not None else None
        return text if text is not None else "{}"

    return _PLACEHOLDER_RE.sub(fill, pattern)


def _bind_all_tuple_host(address: ast.Tuple, scope: ast.AST, ctx: FileContext) -> _Host | None:
    if len(address.elts) < 2:
        return None  # (host, port, ...) only: ("",) is "any CAN interface", not an IP bind
    host = _host_value(address.elts[0], scope, ctx)
    if host is None or not is_bind_all_host(host.text, empty=True):
        return None
    return host


def _bind_all_address(node: ast.expr, scope: ast.AST, ctx: FileContext) -> _Host | None:
    """A bind-all host (``"0.0.0.0"``), endpoint (``"0.0.0.0:8000"``) or address tuple."""
    value = _follow(node, scope, ctx)
    if isinstance(value, ast.Tuple):
        return _bind_all_tuple_host(value, scope, ctx)
    host = _host_value(value, scope, ctx)
    if host is None or not host.text:
        return None
    if is_bind_all_host(host.text) or is_bind_all_endpoint(host.text):
        return host
    return None


#: Methods that make a bound socket serve: a socket bound and never used with
#: one of these (and never handed on) only reserved a port.
_SERVING_METHODS = frozenset(
    {
        "listen",
        "accept",
        "serve_forever",
        "recv",
        "recvfrom",
        "recv_into",
        "recvfrom_into",
        "recvmsg",
        "recvmsg_into",
        "makefile",
    }
)


def _is_port_probe(socket: ast.expr, scope: ast.AST) -> bool:
    """A function's local socket bound only to learn a free port: ``s.bind(("", 0));
    s.getsockname()[1]``. It never listens or receives, and is never passed on,
    returned or stored, so nothing can make it a server later."""
    if not isinstance(socket, ast.Name) or not isinstance(scope, FUNCTIONS):
        return False
    name = socket.id
    if not _bound_in(name, scope) or name in _params(scope):
        return False  # a parameter or a global: its owner may serve on it
    holders: dict[ast.AST, ast.AST] = {}
    for node in _walk_scope(scope):
        for child in ast.iter_child_nodes(node):
            holders[child] = node
    for node in _walk_scope(scope):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        parent = holders.get(node)
        if not isinstance(parent, ast.Attribute):
            return False  # passed, returned or stored: it may serve elsewhere
        if parent.attr in _SERVING_METHODS:
            return False
    return True


def _noop_reason(call: ast.Call, ctx: FileContext) -> str:
    """Why a securing helper defined in this file secures nothing, else ``""``."""
    function = _local_function(call, ctx)
    if function is None or not _does_nothing(function, ctx):
        return ""
    return f"{function.name}() secures nothing"


def _local_function(
    call: ast.Call, ctx: FileContext
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The definition, in this file, of the function or ``self`` method ``call`` calls."""
    func = call.func
    body: list[ast.stmt] | None = None
    if isinstance(func, ast.Name):
        module = _module_of(call, ctx)
        body = module.body if isinstance(module, ast.Module) else None
        name = func.id
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id not in {"self", "cls"}:
            return None
        owner = ctx.enclosing_class(call)
        body = owner.body if owner is not None else None
        name = func.attr
    else:
        return None
    found = None
    for statement in body or ():
        if isinstance(statement, FUNCTIONS) and statement.name == name:
            found = statement  # the last definition wins, as at run time
    return found


#: Calls that only report: a helper made of these (and a return) does nothing.
_REPORTING_CALLS = frozenset(
    {"print", "debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)


def _does_nothing(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> bool:
    """Whether, with its configuration left at the defaults, ``function`` only
    passes, logs, or returns its argument unchanged."""
    params = _params(function)
    statements = _default_path(function.body, function, ctx)
    for statement in statements:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Constant):
                continue  # a docstring or ``...``
            if isinstance(value, ast.Call) and last_name(value.func) in _REPORTING_CALLS:
                continue
            return False
        if isinstance(statement, ast.Return):
            returned = statement.value
            if returned is None or _is_none(returned):
                continue
            if isinstance(returned, ast.Name) and returned.id in params:
                continue
        return False
    return True


def _default_path(
    body: list[ast.stmt], scope: ast.AST, ctx: FileContext, depth: int = 0
) -> list[ast.stmt]:
    """The statements of ``body`` that run when every flag has its default value,
    up to the first ``return``; an ``if`` whose test is unknown is kept whole."""
    out: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If) and depth < _MAX_DEPTH:
            truth = _default_truth(statement.test, scope, ctx, depth + 1)
            if truth is not None:
                taken = statement.body if truth else statement.orelse
                out.extend(_default_path(taken, scope, ctx, depth + 1))
                if out and isinstance(out[-1], (ast.Return, ast.Raise)):
                    return out
                continue
        out.append(statement)
        if isinstance(statement, (ast.Return, ast.Raise)):
            return out
    return out


def _walk_guarded(scope: ast.AST) -> Iterator[tuple[ast.AST, tuple[tuple[ast.expr, bool], ...]]]:
    """Like ``_walk_scope``, with the ``if`` tests each node sits under (and in which branch)."""
    stack: list[tuple[ast.AST, tuple[tuple[ast.expr, bool], ...]]] = [
        (child, ()) for child in ast.iter_child_nodes(scope)
    ]
    while stack:
        node, guards = stack.pop()
        yield node, guards
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If):
            stack.append((node.test, guards))
            stack.extend((child, (*guards, (node.test, True))) for child in node.body)
            stack.extend((child, (*guards, (node.test, False))) for child in node.orelse)
            continue
        stack.extend((child, guards) for child in ast.iter_child_nodes(node))


def _off_by_default(
    guards: tuple[tuple[ast.expr, bool], ...], scope: ast.AST, ctx: FileContext
) -> str | None:
    """The flag that switches a guarded step off by default, or ``None``."""
    for test, branch in guards:
        truth = _default_truth(test, scope, ctx)
        if truth is not None and truth != branch:
            return _flag_name(test, scope, ctx)
    return None


def _flag_name(test: ast.expr, scope: ast.AST, ctx: FileContext) -> str:
    """``SECURE_ZMQ`` for ``if SECURE_ZMQ:``, ``if os.getenv("SECURE_ZMQ") == "1":`` ..."""
    while isinstance(test, ast.UnaryOp):
        test = test.operand
    if isinstance(test, ast.Compare):
        test = test.left
    followed = _follow(test, scope, ctx) if isinstance(test, ast.Name) else test
    found = _lookup_default(_unwrap(followed), ctx, allow_none=True)
    if found is not None:
        return found[0]
    if isinstance(test, ast.Call):
        return f"{ctx.dotted(test.func) or 'its flag'}()"
    return ctx.dotted(test) or "its flag"


def _unwrap(node: ast.expr) -> ast.expr:
    """``os.getenv("X", "0")`` for ``os.getenv("X", "0").strip().lower()`` or ``int(...)``."""
    for _ in range(10):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _STR_METHODS
            and not node.args
        ):
            node = node.func.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _CONVERTERS
            and len(node.args) == 1
        ):
            node = node.args[0]
        else:
            break
    return node


_STR_METHODS = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip"})
_CONVERTERS = frozenset({"int", "bool", "str", "float"})
_UNKNOWN = object()
#: How far a default is followed through names, calls and nested ``if``s (a
#: function whose test calls itself must end, not recurse).
_MAX_DEPTH = 10


def _default_truth(test: ast.expr, scope: ast.AST, ctx: FileContext, depth: int = 0) -> bool | None:
    """Whether ``test`` holds when the environment and configuration are left at
    their defaults; ``None`` when that cannot be told from this file."""
    value = _default_value(test, scope, ctx, depth)
    # Constants and tuples of them: bool() of these never raises.
    return None if value is _UNKNOWN else bool(value)


def _default_value(node: ast.expr, scope: ast.AST, ctx: FileContext, depth: int) -> object:
    """The value ``node`` has with every setting at its default, or ``_UNKNOWN``."""
    if depth > _MAX_DEPTH:
        return _UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        followed = _follow(node, scope, ctx)
        if followed is node:
            return _UNKNOWN
        # A module constant is judged in the module's scope.
        inner = scope if _bound_in(node.id, scope) else _module_of(scope, ctx)
        return _memoised(followed, lambda: _default_value(followed, inner, ctx, depth + 1))
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_default_value(e, scope, ctx, depth + 1) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _default_value(node.operand, scope, ctx, depth + 1)
        return _UNKNOWN if operand is _UNKNOWN else not operand
    if isinstance(node, ast.BoolOp):
        values = [_default_value(v, scope, ctx, depth + 1) for v in node.values]
        if any(v is _UNKNOWN for v in values):
            return _UNKNOWN
        result = values[0]
        for v in values[1:]:
            result = (result and v) if isinstance(node.op, ast.And) else (result or v)
        return result
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _compare(node, scope, ctx, depth)
    if isinstance(node, ast.Call):
        return _call_value(node, scope, ctx, depth)
    return _UNKNOWN


def _compare(node: ast.Compare, scope: ast.AST, ctx: FileContext, depth: int) -> object:
    left = _default_value(node.left, scope, ctx, depth + 1)
    right = _default_value(node.comparators[0], scope, ctx, depth + 1)
    if left is _UNKNOWN or right is _UNKNOWN:
        return _UNKNOWN
    op = node.ops[0]
    try:
        if isinstance(op, ast.Eq):
            return left == right
        if isinstance(op, ast.NotEq):
            return left != right
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (tuple, str)):
            inside = left in right  # a str in a str raises TypeError for a non-str left
            return inside if isinstance(op, ast.In) else not inside
    except TypeError:
        return _UNKNOWN
    return _UNKNOWN


def _call_value(node: ast.Call, scope: ast.AST, ctx: FileContext, depth: int) -> object:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS and not node.args:
        inner = _default_value(func.value, scope, ctx, depth + 1)
        if isinstance(inner, str):
            return getattr(inner, func.attr)()
        return _UNKNOWN
    if isinstance(func, ast.Name) and func.id in _CONVERTERS and len(node.args) == 1:
        inner = _default_value(node.args[0], scope, ctx, depth + 1)
        if inner is _UNKNOWN:
            return _UNKNOWN
        try:
            return {"int": int, "bool": bool, "str": str, "float": float}[func.id](inner)
        except (TypeError, ValueError):
            return _UNKNOWN
    found = _lookup_default(node, ctx, allow_none=True)
    if found is not None:
        return found[1]
    function = _local_function(node, ctx) if not node.args and not node.keywords else None
    if function is not None:  # def is_secure_zmq_enabled(): return os.environ.get(...) == "1"
        return _memoised(function, lambda: _returned_by_default(function, ctx, depth + 1))
    return _UNKNOWN


def _returned_by_default(
    function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext, depth: int
) -> object:
    path = _default_path(function.body, function, ctx, depth)
    if not path or not isinstance(path[-1], ast.Return) or path[-1].value is None:
        return _UNKNOWN
    if any(isinstance(n, ast.Return) for s in path[:-1] for n in ast.walk(s)):
        return _UNKNOWN  # an ``if`` that cannot be judged may return first
    return _default_value(path[-1].value, function, ctx, depth)


# Node -> its default value: a constant or a function is evaluated once, so
# names and helpers that refer to each other many times stay linear, and a
# cycle (a function whose test calls itself) ends as unknown.
_MEMO: dict[int, tuple[ast.AST, object]] = {}


def _memoised(node: ast.AST, compute: Callable[[], object]) -> object:
    cached = _MEMO.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    if len(_MEMO) >= 1024:
        _MEMO.clear()
    _MEMO[id(node)] = (node, _UNKNOWN)  # in progress: a cycle reads unknown
    value = compute()
    _MEMO[id(node)] = (node, value)
    return value


def _bound_in(name: str, scope: ast.AST) -> bool:
    return _bindings(name, scope)[0] > 0


def _lookup_default(
    node: ast.expr, ctx: FileContext, *, allow_none: bool = False
) -> tuple[str, object] | None:
    """``("BIND_ADDRESS", "0.0.0.0")`` for a lookup of a setting with a literal
    default: ``os.environ.get``/``os.getenv`` (and ``or "..."``), a project
    helper whose name contains ``env`` (``get_env("X", "d")``), a
    configuration ``.get("key", "d")``. With ``allow_none``, a lookup without
    a default gives ``None`` (what ``os.getenv("X")`` returns when unset)."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        first, fallback = node.values
        found = _lookup_default(first, ctx, allow_none=True)
        if found is not None and found[1] is None and isinstance(fallback, ast.Constant):
            return found[0], fallback.value
        return None
    if not isinstance(node, ast.Call):
        return None
    for access in env_accesses(node, ctx):
        if access.kind == "read" and access.name is not None:
            if isinstance(access.default, ast.Constant):
                return access.name, access.default.value
            if access.default is None and allow_none:
                return access.name, None
        return None
    name = last_name(node.func)
    if name is None:
        return None
    key = call_arg(node, 0)
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    default = call_arg(node, 1, "default")
    if default is None:
        default = call_arg(node, 1, "fallback")
    lowered = name.lower()
    if name == "get" or "env" in lowered or lowered.startswith("get"):
        if isinstance(default, ast.Constant):
            return key.value, default.value
        if default is None and allow_none and "env" in lowered:
            return key.value, None
    return None


def _has_tls(call: ast.Call, scope: ast.AST) -> bool:
    for keyword in call.keywords:
        if keyword.arg in _TLS_KEYWORDS and not _is_false(keyword.value):
            return True
    return any(
        isinstance(node, ast.Call) and last_name(node.func) == "wrap_socket"
        for node in _walk_scope(scope)
    )


def _speaks_tls(name: str) -> bool:
    """``HTTPSServer``, ``SSLServer``, ``start_tls_server``; not ``HTTPServer``."""
    return any(word.upper() in _TLS_WORDS for word in _NAME_WORD_RE.findall(name))


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not node.value


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
