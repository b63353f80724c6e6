from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from debt_lints.context import FUNCTIONS, FileContext
from debt_lints.literals import is_bind_all_endpoint, is_bind_all_host, last_name, template
from debt_lints.model import Option, Rule, Security, Severity
from debt_lints.settings import Settings

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

    The address may also come through a variable assigned such a literal
    once in the same function (or, at module level, once in the module):
    `endpoint = f"tcp://*:{port}"; sock.bind(endpoint)`,
    `BIND = "0.0.0.0"; sock.bind(f"tcp://{BIND}:{port}")`. The finding
    points at the bind or run call.

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
    binds) is reported; suppress such a line with `# noqa: DL302`. A host
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
            if _is_bind_all_tuple(address, scope, ctx) and not _has_tls(node, scope):
                ctx.report(node)
            return
        text = template(address, lambda n: _literal_text(n, scope, ctx))
        if text is None or not is_bind_all_endpoint(text):
            return
        # gRPC's add_insecure_port is plaintext by definition.
        if func.attr == "add_insecure_port" or not self._curve_secured(func.value, scope, ctx):
            ctx.report(node)

    def _check_server(self, node: ast.Call, callee: str, ctx: FileContext) -> None:
        if not any(kw.arg in _HOST_KEYWORDS for kw in node.keywords) and not any(
            isinstance(arg, _ADDRESS_NODES) for arg in node.args
        ):
            return
        scope = _scope(node, ctx)
        exposed = False
        for keyword in node.keywords:
            if keyword.arg in _HOST_KEYWORDS and _is_bind_all_address(keyword.value, scope, ctx):
                exposed = True
                break
        else:
            exposed = any(_is_bind_all_address(arg, scope, ctx) for arg in node.args)
        if exposed and not _has_tls(node, scope) and not _speaks_tls(callee):
            ctx.report(node)

    def _curve_secured(self, socket: ast.expr, scope: ast.AST, ctx: FileContext) -> bool:
        """Whether ``scope`` makes ``socket`` a CURVE server or hands it to a securing helper."""
        target = ctx.dotted(socket)
        if target is None:
            return False
        for node in _walk_scope(scope):
            if isinstance(node, ast.Assign):
                for lhs in node.targets:
                    if (
                        isinstance(lhs, ast.Attribute)
                        and lhs.attr == "curve_server"
                        and ctx.dotted(lhs.value) == target
                        and not _is_false(node.value)
                    ):
                        return True
                    if (
                        ctx.dotted(lhs) == target
                        and isinstance(node.value, ast.Call)
                        and self._is_helper(node.value, ctx)
                    ):
                        return True
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
                    return True
                if self._is_helper(node, ctx) and any(
                    ctx.dotted(arg) == target
                    for arg in [*node.args, *(kw.value for kw in node.keywords)]
                ):
                    return True
        return False

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
    value = _follow(node, scope, ctx)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def _is_bind_all_tuple(address: ast.Tuple, scope: ast.AST, ctx: FileContext) -> bool:
    if len(address.elts) < 2:
        return False  # (host, port, ...) only: ("",) is "any CAN interface", not an IP bind
    host = _literal_text(address.elts[0], scope, ctx)
    return host is not None and is_bind_all_host(host, empty=True)


def _is_bind_all_address(node: ast.expr, scope: ast.AST, ctx: FileContext) -> bool:
    """A bind-all host (``"0.0.0.0"``), endpoint (``"0.0.0.0:8000"``) or address tuple."""
    value = _follow(node, scope, ctx)
    if isinstance(value, ast.Tuple):
        return _is_bind_all_tuple(value, scope, ctx)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        text = value.value
        return bool(text) and (is_bind_all_host(text) or is_bind_all_endpoint(text))
    return False


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
