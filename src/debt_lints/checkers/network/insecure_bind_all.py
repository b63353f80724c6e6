from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from debt_lints.analysis.context import FUNCTIONS, FileContext, ProjectView
from debt_lints.analysis.literals import (
    is_bind_all_endpoint,
    is_bind_all_host,
    last_name,
    name_words,
)
from debt_lints.analysis.packaging import LIBRARY
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.resources import (
    ADDING_METHODS,
    Use,
    UsePolicy,
    classify,
    lent_for_the_block,
    refilled_between,
    refills,
)
from debt_lints.analysis.semantic import (
    LISTEN,
    LISTEN_ATTRIBUTES,
    LISTEN_CALLS,
    LISTEN_SETTING_KEYS,
    RPC_DAEMONS,
    SemanticModel,
    Text,
    imported_texts,
    is_rpc_daemon,
    model_of,
)
from debt_lints.core.model import Calls, Finding, Option, Rule, Security, Severity
from debt_lints.core.record import replace
from debt_lints.core.settings import Settings

_OPTION = "secure-socket-helpers"

#: Methods that bind a socket to an address: ZMQ, ``socket``, gRPC.
_BIND_METHODS = frozenset({"bind", "bind_to_random_port", "add_insecure_port"})
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
        "interface",  # twisted: reactor.listenTCP(port, factory, interface="::")
    }
)
#: Framework listeners whose host, left out, is every interface: (qualified-name
#: prefix or ``None`` for a method, call's last name, positional index of the host).
_DEFAULT_ALL = {
    "start_server": 1,  # asyncio.start_server(cb, host=None, port=None)
    "create_server": 1,  # loop.create_server(factory, host=None, port=None)
    "run_app": -1,  # aiohttp.web.run_app(app, host=None): 0.0.0.0
    "TCPSite": 1,  # aiohttp.web.TCPSite(runner, host=None): 0.0.0.0
    "listen": 1,  # tornado: app.listen(port, address="")
    "bind_sockets": 1,  # tornado.netutil.bind_sockets(port, address=None)
}
#: Keywords that make those listeners use something else than a host.
_NOT_HOST_KEYWORDS = frozenset({"sock", "path", "fd"})
#: Keywords that put TLS on a server.
_TLS_KEYWORDS = frozenset(
    {"ssl", "ssl_context", "ssl_keyfile", "ssl_certfile", "certfile", "keyfile", "ssl_options"}
)
_CURVE_SERVER_OPTIONS = ("setsockopt", "set")
#: Server classes that speak TLS themselves (``HTTPSServer(addr, handler, context)``).
_TLS_WORDS = frozenset({"HTTPS", "SSL", "TLS", "SECURE"})  # gRPC: add_secure_port
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
      port, app)`, Twisted's `reactor.listenUDP(port, proto, interface="::")`
      and `listenTCP`, gRPC's `server.add_insecure_port("[::]:50051")`, Pyro's
      daemons (`Pyro5.api.Daemon(host="0.0.0.0")`, `Pyro4.Daemon`,
      `NameServerDaemon`, recognised through the file's imports; without a
      host they bind Pyro's default, localhost), unless
      the call gets an `ssl_context`, `ssl`, `ssl_keyfile`, `ssl_certfile`,
      `certfile`, `keyfile` or `ssl_options` argument, the server's name says it speaks TLS
      (`HTTPSServer`, `SSLServer`, `listenSSL`, `add_secure_port`), or the
      function calls `wrap_socket`. The listeners are the semantic model's
      (`LISTEN_CALLS`, `RPC_DAEMONS`), the ones DL301 knows as the program's
      own address. Pyro's SSL, switched on in its global configuration, is
      not seen: a Pyro daemon on every interface is reported with it.

    * framework listeners whose default is every interface: tornado's
      `app.listen(port)` and `server.listen(port)` without `address=` or with
      an empty one, `tornado.netutil.bind_sockets(port)` and
      `bind_sockets(port, address="")` (also when the address is a
      `tornado.options` setting read as `options.address` whose `define` in
      the file defaults to `""`), unless the function gives a server
      `ssl_options=`; `asyncio.start_server(cb,
      port=port)` and `loop.create_server(factory, None, port)` without a
      host (nor `sock=`), aiohttp's `web.run_app(app)` and `web.TCPSite(runner)`
      without `host=`; the advice is TLS or a configured interface. Keywords
      spread from a mapping count when the model knows its keys (a dict
      display or `dict(...)` not changed before the spread):
      `server.listen(**{"port": port})` leaves the host out, and
      `{"address": "0.0.0.0", ...}` gives every interface. A mapping whose
      keys cannot be known (`listen(**http_address)` of a configured
      address, a loop variable, `merge(address, {"port": 0})`) may carry
      the host, and is not read as "no host".

    * a framework configured rather than called: CherryPy's
      `server.socket_host` in `cherrypy.config.update({...})` or in a
      config given to `quickstart` or `tree.mount`, and
      `cherrypy.server.socket_host = "0.0.0.0"`, unless the same function
      gives the server a certificate (a `server.ssl_certificate` key or
      `cherrypy.server.ssl_certificate = ...`, under a test or not).

    The address is every value the semantic model says may reach the call
    (`debt_lints.analysis.semantic`): a literal, a variable whatever its
    other assignments (`url = "tcp://*:*"; s.bind(url); url =
    s.last_endpoint`), `self.bind_address` (every assignment in the class),
    a parameter's default or an argument this file passes
    (`def __init__(self, ctx, url="tcp://*:*")`), a module constant, or a
    setting whose default is every interface: `BIND_ADDRESS =
    os.environ.get("BIND_ADDRESS", "0.0.0.0")` (also `os.getenv`,
    `os.getenv("X") or "0.0.0.0"`, a helper whose name contains `env` such
    as `get_env("X", "0.0.0.0")`, `config.get("bind_address", "0.0.0.0")`,
    `config.setdefault("bind", "0.0.0.0")`, `kwargs.pop("host", "0.0.0.0")`)
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
    bound to an address tuple and never made to `accept`, `recv` ... (nor to
    `listen` unless it is never closed in the function), nor passed on,
    returned or stored except in a local list (`with socket.socket() as s:
    s.bind(("", 0)); return s.getsockname()[1]`; `sockets.append(s)` then
    closing them; `s.listen(1)` then `s.close()` to test a port) is not
    reported. A close counts as DL501 reads it, also under a test (`if serv
    is not None: serv.close()` in `finally`, after a probe that connects to
    itself), and a generator-based context manager (`@contextmanager`) that
    yields the socket from inside a `with` block that closes it (`with
    socket.socket() as s: s.bind(("", port)); s.listen(1); yield s`) lends it
    to its caller's `with` block only: that is no handing on. A local list
    that held probe sockets and is returned after a loop closed each and put
    another value in its place (`for i, s in enumerate(ports): port =
    s.getsockname()[1]; s.close(); ports[i] = port`, then `return ports`)
    returns ports, not sockets; so does a list built from their ports.

    A client's socket is not a server either: a datagram socket bound to
    port 0 or a random port (`sock.bind(("0.0.0.0", 0))` on a `SOCK_DGRAM`
    socket, Twisted's `listenUDP(dns.randomSource(), proto,
    interface="::")`, `random.randint(...)`) sends queries and reads their
    answers, as an unbound socket would; nobody can find it to connect. A
    multicast receiver (a socket the function makes join a group with
    `setsockopt(..., IP_ADD_MEMBERSHIP, ...)` or `IPV6_JOIN_GROUP`) binds
    INADDR_ANY to get the group's traffic and is not reported.

    The finding points at the bind or run call. Its message names the
    address and, for a ZMQ socket, asks for CURVE or a configured
    interface; for a plain socket or a server, a configured interface or
    TLS; for gRPC's `add_insecure_port`, `add_secure_port`. When the address
    is already read from a setting (`os.getenv("BIND_ADDRESS", "0.0.0.0")`),
    the advice is to default that setting to a loopback address instead.

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

    `library` (shared with DL301, the same reading; by default `true` when the
    configuration's folder builds a distribution): in a library's packages a
    bind-all interface that is a default of its public API is its callers'
    choice and is not reported: a parameter's default no call in the same file
    leaves out (`def __init__(self, port, proto, interface="")`, as Twisted's
    `listenUDP` documents), a class attribute, a fallback (`"" if address is
    None else address`, `address or DEFAULT_ADDRESS`) or a module constant no
    bind of the file uses but as a default (a bind of this file's own class
    counts: `Listener(LISTEN_ADDRESS, port)` whose `__init__` binds it is
    reported; a read shown as text, `help=f"(default: {DEFAULT_ADDRESS})"`,
    does not), and a value written only in the module's `__main__` self-test.
    Where the library relies on the default itself (a call in the file leaves
    the interface out) or binds every interface where it is written
    (`sock.bind(("0.0.0.0", 8080))`), it is reported as in an application,
    and so is a server the library starts on first use (`if _server is None:
    _server = make_server("0.0.0.0", port, app)`; DL301 leaves a client so
    built to the users, not a listener).

    ## Known limits
    A listen address imported from another module of the project
    (`router.bind(BACKBONE)` with `from config.network import BACKBONE`,
    `app.run(host=net.BIND_HOST)`, `sock.bind((BIND_HOST, port))`) is read
    from that module's top-level assignments in the project phase (`debt-lints
    check`, the language server), also through a setting's default there
    (`os.environ.get("EVENTS_ENDPOINT", "tcp://0.0.0.0:5571")`); a file
    checked alone (flake8, pylint) does not report it, and a name the other
    module imports in turn (a re-export), builds in a function or assigns
    only inside a block is not read.

    CherryPy's configuration is read only as the code's own dictionaries
    and `socket_host` attributes: a `.conf` file, a `_cp_config`
    attribute, or a certificate configured in another function is not
    seen (the listener is reported).

    Only the enclosing function is searched for the securing step: a socket
    secured in another method (`__init__` sets `curve_server`, `start()`
    binds) is reported; suppress such a line with `# noqa: DL302`. Whether
    a helper secures anything is only judged when it is defined in the same
    file (a function of the module, or a method of the class called on
    `self`); a helper imported from elsewhere counts by its name. The model
    does not see a command-line default (`argparse`), an attribute set from
    outside the class or in a base class of another file, arguments passed
    by other files' calls, nor values through containers (`ADDRS[0]`) or
    the return values of another module's functions and of callables other
    than this file's plain functions and `self`/`cls` methods (a function of
    this file is read through the call: `sock.bind(endpoint("*", 5555))`
    where `endpoint` returns `"tcp://%s:%d" % (host, port)`, its parameters
    taking this call's arguments or their defaults; not a generator, a
    coroutine, recursion, or an argument passed in `*args`/`**kwargs`).
    Unpacking is followed element by element (`self.host, self.port =
    "0.0.0.0", 9000`, a pair held in a name or a parameter default then
    unpacked, nested targets, a tuple or list display a function of this
    file returns, the pairs of a literal list a `for` loop walks); what a
    starred target collects (`first, *rest = ...`) is not followed, and an
    element of a value the model does not know (`host, port =
    load_address()`, `address.split(":")`, a generator's or a decorated
    function's result) is unknown, not a bind-all address. Keys of a
    mapping spread into a listener (`**options`) are seen only through a
    dict display the function or module assigns. A context manager's
    callers are not followed: a socket it yields from its closing `with`
    block is a probe even where the caller's block accepts on it.
    Comparisons with `"0.0.0.0"` and `""` outside an address tuple are not
    binds, and `""` counts only in a
    `(host, port, ...)` tuple (a one-element `("",)` is a CAN interface) or
    as a tornado listener's address. A `tornado.options` setting is read
    only where the file that reads it declares it with `define`, through the
    imported `options` namespace: an `options` object handed over
    (`self.options.address` with `self.options = options`) or declared in
    another module is not followed. TLS given as `ssl_options=` counts
    whatever its value, also a setting that is `None` until a certificate
    is configured.
    CURVE authentication of clients (ZAP) is not checked, only that
    the transport is encrypted. A TCP listener on port 0 is reported (its
    port is published: a kernel's channel), and so is a UDP socket on a
    known port. Benchmark servers in documentation (`docs/.../tpserver.py`)
    are checked like any listing. In a library, reliance on a default by
    another module of the project (a call elsewhere that leaves the
    interface out) is not seen, as for DL301. Twisted's `listenTCP(port, factory)` and
    `listenUDP(port, proto)` without an interface listen on every interface
    too (their default is `''`), but only an interface given is checked: the
    call is Twisted's idiom everywhere, also for local tools. A list of
    probe sockets counts as refilled only by a `for i, s in enumerate(ports)`
    loop whose body closes `s` and, unconditionally and without `break`,
    assigns `ports[i]` another value, in the block that holds (or encloses)
    the return, with nothing but `ports.append(...)` between: a list refilled
    by a `while` loop, by a loop under a test or in a nested block, or
    through another name is read as still holding its sockets (reported).
    """

    code = "DL302"
    evidence = (
        b"run",
        b"serve",
        b"bind",
        b"listen",
        b"tcpsite",
        b"add_insecure_port",
        b"daemon",
    )
    wanted_calls = Calls(names=_BIND_METHODS | LISTEN_CALLS | RPC_DAEMONS, suffixes=("Server",))
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
        LIBRARY,
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        helpers = settings.str_list(_OPTION) if _OPTION in settings.as_dict() else ()
        self._helpers = frozenset(helpers)
        self._library = LIBRARY.name in settings.as_dict() and settings.flag(LIBRARY.name)

    def _callers_choose(self, address: ast.expr, ctx: FileContext, model: SemanticModel) -> bool:
        """In a library's package, every bind-all value that may reach ``address`` is a
        literal left to the library's callers (``def __init__(self, port, interface="")``
        that no call here leaves out, a class attribute, a fallback, a ``__main__``
        self-test's argument): the caller chooses the interface."""
        if not self._library or "." not in ctx.module:
            return False
        values: list[ast.expr] = []
        for origin in model.origins(address):
            if isinstance(origin, ast.Tuple) and len(origin.elts) >= 2:  # (host, port)
                values += [o for o in model.origins(origin.elts[0]) if _binds_all(o, model)]
            elif _binds_all(origin, model):
                values.append(origin)
        return bool(values) and all(
            isinstance(v, ast.Constant) and model.left_to_callers(v, LISTEN) for v in values
        )

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
        elif (name in LISTEN_CALLS or name.endswith("Server")) and (node.args or node.keywords):
            self._check_server(node, name, ctx)
        elif (
            name in RPC_DAEMONS
            and (node.args or node.keywords)
            and is_rpc_daemon(name, ctx.resolve(func) or name)
        ):
            # Pyro4.Daemon(host=, port=), Pyro5's NameServerDaemon(host, port): a server
            self._check_server(node, name, ctx)

    def visit_Dict(self, node: ast.Dict, ctx: FileContext) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in LISTEN_SETTING_KEYS:
                self._check_configured(value, ctx)

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in LISTEN_ATTRIBUTES:
                self._check_configured(node.value, ctx)

    def _check_configured(self, value: ast.expr, ctx: FileContext) -> None:
        """A listen address a framework reads from its configuration (CherryPy's
        ``server.socket_host``), served over TLS when the function configures a
        certificate (``server.ssl_certificate``)."""
        model = model_of(ctx)
        if model is None:
            return
        host = _bind_all_address(value, model)
        if host is None or self._callers_choose(value, ctx, model):
            return
        if _configures_certificate(_scope(value, model)):
            return
        ctx.report(value, _message(_SERVER, host, ""))

    def _check_bind(self, node: ast.Call, func: ast.Attribute, ctx: FileContext) -> None:
        model = model_of(ctx)
        if model is None:
            return
        scope = _scope(node, model)
        tuple_host = _tuple_host(node.args[0], model)
        # A host or endpoint another module of the project defines: read there (settle).
        imported = () if tuple_host is not None else _imported_tuple_hosts(node.args[0], model)
        if tuple_host is not None or imported:
            if _has_tls(node, scope) or _is_port_probe(func.value, node, scope, model):
                return
            if _client_socket(func.value, node.args[0], model) or _joins_multicast(
                func.value, scope, ctx
            ):
                return  # a client's source port; a multicast receiver
            if self._callers_choose(node.args[0], ctx, model):
                return  # a library's default interface, the caller's to choose
            self._report(node, _SOCKET, tuple_host, imported, ctx=ctx)
            return
        shown = next((t for t in model.texts(node.args[0]) if is_bind_all_endpoint(t.text)), None)
        imported = () if shown is not None else model.imported_values(node.args[0])
        if shown is None and not imported:
            return
        if self._callers_choose(node.args[0], ctx, model):
            return  # a library's default endpoint, the caller's to choose
        if func.attr == "add_insecure_port":  # gRPC: plaintext by definition
            self._report(node, _GRPC, shown, imported, ctx=ctx)
            return
        verdict = self._curve_secured(func.value, scope, ctx, model)
        if verdict is not True:
            why = f" and {verdict}" if verdict else " without CURVE"
            self._report(node, _ZMQ, shown, imported, why=why, ctx=ctx)

    def _report(
        self,
        node: ast.Call,
        kind: str,
        shown: Text | None,
        imported: tuple[str, ...],
        *,
        why: str = "",
        ctx: FileContext,
    ) -> None:
        """Report ``shown``, or ask the project phase whether one of the ``imported``
        names (``config.net.BIND_ADDR``) holds a bind-all host or endpoint."""
        if shown is not None:
            ctx.report(node, _message(kind, shown, why))
        elif imported:
            ctx.defer(node, [ctx.relpath, list(imported), kind, why], _message(kind, None, why))

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report the bind when a name it takes from another module of the project holds
        a bind-all host or endpoint there."""
        if not (isinstance(question, list) and len(question) == 4):
            return None
        relpath, names, kind, why = question
        if not (
            isinstance(relpath, str)
            and isinstance(names, list)
            and kind in _KINDS
            and isinstance(why, str)
        ):
            return None
        for name in names:
            texts = imported_texts(relpath, name, project) if isinstance(name, str) else None
            for text in texts or ():
                if text.known and _KINDS[kind](text.text):
                    return replace(finding, message=_message(kind, text, why, name))
        return None

    def _check_server(self, node: ast.Call, callee: str, ctx: FileContext) -> None:
        """A listener's call: its host, or the host its spread mapping gives, or the
        framework's default."""
        hosts = [kw.value for kw in node.keywords if kw.arg in _HOST_KEYWORDS]
        spreads = [kw.value for kw in node.keywords if kw.arg is None]
        if (
            not hosts
            and not spreads
            and callee not in _DEFAULT_ALL
            and not any(_may_be_address(a) for a in node.args)
        ):
            return  # subprocess.run(cmd), executor.serve(...): no address to ask the model about
        model = model_of(ctx)
        if model is None:
            return
        host_unknown = False
        for spread in spreads:  # listen(**address): the host may come in the mapping
            entries = model.mapping_entries(spread)
            if entries is None:
                host_unknown = True  # keys that cannot be known may hold the host
                continue
            hosts += [v for key, vs in entries.items() if key in _HOST_KEYWORDS for v in vs]
        host: Text | None = None
        imported: tuple[str, ...] = ()
        # tornado listens on every interface for an empty address too (its documented default)
        empty = _is_tornado_listener(node, callee, ctx, model)
        for value in hosts or node.args:
            host = _bind_all_address(value, model, empty=empty)
            if host is not None:
                if self._callers_choose(value, ctx, model):
                    return  # a library's default interface, the caller's to choose
                break
            if hosts or _may_be_address(value):
                imported += model.imported_values(value)
        if host is not None:
            imported = ()
        if host is None and not hosts and not host_unknown:
            host = _default_host(node, callee, ctx, model)
        if (
            (host is not None or imported)
            and callee == "listenUDP"
            and _random_port(call_arg(node, 0, "port"))
        ):
            return  # a UDP client's random source port: DNS queries and their answers
        scope = _scope(node, model)
        if empty and callee == "bind_sockets" and _serves_tls(scope):
            return  # the sockets go to an HTTPServer given ssl_options
        if not _has_tls(node, scope) and not _speaks_tls(callee):
            self._report(node, _SERVER, host, imported, ctx=ctx)

    def _curve_secured(
        self, socket: ast.expr, scope: ast.AST, ctx: FileContext, model: SemanticModel
    ) -> bool | str:
        """``True`` when ``scope`` makes ``socket`` a CURVE server (or hands it to a
        securing helper); else why not, when a securing step was seen but does not
        count (``""`` when none was seen)."""
        target = ctx.dotted(socket)
        if target is None:
            return ""
        why = ""
        for node, guards in _walk_guarded(scope):
            step = self._securing_step(node, target, ctx, model)
            if step is None:
                continue
            if step:  # a helper that does nothing
                why = why or step
                continue
            off = _off_by_default(guards, model)
            if off is None:
                return True
            why = why or f"its CURVE setup is skipped by default ({off})"
        return why

    def _securing_step(
        self, node: ast.AST, target: str, ctx: FileContext, model: SemanticModel
    ) -> str | None:
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
                    return _noop_reason(node.value, model)
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
                return _noop_reason(node, model)
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


#: A framework listener called without a host, whose default is every interface.
_NO_HOST = Text("", None)


_SOCKET, _GRPC, _ZMQ, _SERVER = "socket", "grpc", "zmq", "server"


def _bind_all_text(text: str) -> bool:
    return is_bind_all_host(text, empty=True) or is_bind_all_endpoint(text)


#: What a text must be to be reported, by the kind of bind.
_KINDS: dict[str, Callable[[str], bool]] = {
    _SOCKET: lambda text: is_bind_all_host(text, empty=True),
    _GRPC: is_bind_all_endpoint,
    _ZMQ: is_bind_all_endpoint,
    _SERVER: lambda text: bool(text) and _bind_all_text(text),
}


def _message(kind: str, shown: Text | None, why: str, name: str | None = None) -> str:
    """The finding's message; ``shown`` is ``None`` until the project phase read ``name``.

    A host already read from a setting gets the advice to change the setting's default,
    not to take the host from configuration."""
    where = "" if shown is None else f" ({_describe(shown)}{f', from {name}' if name else ''})"
    setting = None if shown is None or shown is _NO_HOST else shown.source
    configured = "a configured interface" if setting is None else None
    loopback = f"default {setting} to a loopback address"
    if kind == _SOCKET:
        return (
            f"socket binds every interface{where}; "
            f"{f'bind {configured}' if configured else loopback}, or serve it over TLS"
        )
    if kind == _GRPC:
        return (
            f"gRPC port is plaintext on every interface{where}; "
            f"use add_secure_port or {f'bind {configured}' if configured else loopback}"
        )
    if kind == _ZMQ:
        return (
            f"ZMQ socket binds every interface{where}{why}; "
            f"make it a CURVE server or {f'bind {configured}' if configured else loopback}"
        )
    remedy = "take the host from configuration" if configured else loopback
    return f"server listens on every interface{where}; {remedy}, or serve over TLS"


def _imported_tuple_hosts(address: ast.expr, model: SemanticModel) -> tuple[str, ...]:
    """The names of other modules a ``(host, port)`` tuple that may reach ``address``
    takes its host from (``(BIND_HOST, port)`` with ``from config import BIND_HOST``)."""
    out: tuple[str, ...] = ()
    for origin in model.origins(address):
        if isinstance(origin, ast.Tuple) and len(origin.elts) >= 2:
            out += model.imported_values(origin.elts[0])
    return tuple(dict.fromkeys(out))


def _describe(host: Text) -> str:
    """``'0.0.0.0'``, ``host ''``, ``'*', the default when BIND_ADDRESS is unset``."""
    if host is _NO_HOST:
        return "no host given, and its default is every interface"
    shown = f"'{host.text}'" if host.text else "host ''"
    if host.source is None:
        return shown
    return f"{shown}, the default when {host.source} is unset"


def _scope(node: ast.AST, model: SemanticModel) -> ast.AST:
    """The function around ``node``, or the module."""
    scope = model.scope_of(node)
    while scope.parent is not None and not isinstance(scope.node, FUNCTIONS):
        scope = scope.parent
    return scope.node


def _walk_scope(scope: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``scope``'s own body: nested functions and classes are other scopes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))


#: Words of a variable that may hold an address, passed positionally to a server call.
_ADDRESS_WORDS = ("host", "addr", "bind", "listen", "endpoint", "interface", "iface", "url")


def _may_be_address(node: ast.expr) -> bool:
    """A positional argument worth following: a literal, a tuple, an f-string, or a name
    that says it is an address (``HOST``, ``self.bind_address``, ``server_address``)."""
    if isinstance(node, (ast.Constant, ast.Tuple, ast.JoinedStr, ast.BinOp)):
        return True
    lowered = (last_name(node) or "").lower()
    return any(word in lowered for word in _ADDRESS_WORDS)


def _binds_all(value: ast.expr, model: SemanticModel) -> bool:
    """``value`` may be a bind-all host or endpoint."""
    return any(
        t.known and (is_bind_all_host(t.text, empty=True) or is_bind_all_endpoint(t.text))
        for t in model.texts(value)
    )


def _random_port(port: ast.expr | None) -> bool:
    """``0`` or a random port (``dns.randomSource()``, ``random.randint(...)``): nobody
    can find the socket to connect to it."""
    if isinstance(port, ast.Constant):
        return port.value == 0
    if not isinstance(port, ast.Call):
        return False
    words = name_words(last_name(port.func) or "")
    module = last_name(port.func.value) if isinstance(port.func, ast.Attribute) else None
    return "RANDOM" in words or module == "random"


def _client_socket(socket: ast.expr, address: ast.expr, model: SemanticModel) -> bool:
    """A datagram socket bound to a random source port: a client's (it sends queries and
    reads their answers, as an unbound socket would), no service."""
    ports = [
        origin.elts[1]
        for origin in model.origins(address)
        if isinstance(origin, ast.Tuple) and len(origin.elts) >= 2
    ]
    if not ports or not all(_random_port(port) for port in ports):
        return False
    return any(
        isinstance(origin, ast.Call)
        and any(
            (model.ctx.dotted(a) or "").endswith("SOCK_DGRAM")
            for a in [*origin.args, *(k.value for k in origin.keywords)]
        )
        for origin in model.origins(socket)
    )


#: Socket options that join a multicast group: the group's traffic reaches a socket
#: bound to INADDR_ANY (or the group), on the interface chosen when it joins.
_JOIN_OPTIONS = ("ADD_MEMBERSHIP", "JOIN_GROUP")


def _joins_multicast(socket: ast.expr, scope: ast.AST, ctx: FileContext) -> bool:
    target = ctx.dotted(socket)
    return target is not None and any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setsockopt"
        and ctx.dotted(node.func.value) == target
        and any((ctx.dotted(a) or "").endswith(_JOIN_OPTIONS) for a in node.args)
        for node in _walk_scope(scope)
    )


def _tuple_host(address: ast.expr, model: SemanticModel) -> Text | None:
    """A bind-all host of a ``(host, port, ...)`` tuple that may reach ``address``."""
    for origin in model.origins(address):
        # (host, port, ...) only: ("",) is "any CAN interface", not an IP bind
        if isinstance(origin, ast.Tuple) and len(origin.elts) >= 2:
            for host in model.texts(origin.elts[0]):
                if host.known and is_bind_all_host(host.text, empty=True):
                    return host
    return None


def _bind_all_address(node: ast.expr, model: SemanticModel, *, empty: bool = False) -> Text | None:
    """A bind-all host (``"0.0.0.0"``), endpoint (``"0.0.0.0:8000"``) or address tuple;
    with ``empty``, an empty host too (a listener whose empty address is every interface)."""
    host = _tuple_host(node, model)
    if host is not None:
        return host
    for text in model.texts(node):
        if (
            text.known
            and (text.text or empty)
            and (is_bind_all_host(text.text, empty=empty) or is_bind_all_endpoint(text.text))
        ):
            return text
    return None


def _default_host(
    node: ast.Call, callee: str, ctx: FileContext, model: SemanticModel
) -> Text | None:
    """A framework listener called without a host, whose default is every interface."""
    position = _DEFAULT_ALL.get(callee)
    if position is None or any(kw.arg in _NOT_HOST_KEYWORDS for kw in node.keywords):
        return None
    if callee in {"listen", "bind_sockets"} and not _is_tornado_listener(node, callee, ctx, model):
        return None
    if callee in {"start_server", "create_server"} and not (
        (ctx.resolve(node.func) or "").startswith("asyncio.") or _is_loop(node, model)
    ):
        return None
    if callee in {"run_app", "TCPSite"} and not (ctx.resolve(node.func) or "").startswith(
        "aiohttp"
    ):
        return None
    if position >= 0:
        given = call_arg(node, position)
        if given is not None and not (isinstance(given, ast.Constant) and given.value is None):
            return None
    return _NO_HOST


def _is_tornado_listener(
    node: ast.Call, callee: str, ctx: FileContext, model: SemanticModel
) -> bool:
    """tornado's ``bind_sockets(port, address)`` or an application's or server's
    ``listen(port, address)``: an empty or missing address is every interface."""
    if callee == "bind_sockets":
        return (ctx.resolve(node.func) or "").startswith("tornado.")
    return callee == "listen" and _is_tornado_app(node, ctx, model)


def _serves_tls(scope: ast.AST) -> bool:
    """``scope`` gives a server ``ssl_options`` (tornado's ``HTTPServer(app,
    ssl_options=...)``, which the sockets bound there are added to)."""
    return any(
        isinstance(node, ast.Call)
        and any(k.arg == "ssl_options" and not _is_false(k.value) for k in node.keywords)
        for node in _walk_scope(scope)
    )


def _is_tornado_app(node: ast.Call, ctx: FileContext, model: SemanticModel) -> bool:
    """``app.listen(port)`` on a tornado ``Application``/``HTTPServer`` (not a socket's backlog)."""
    if not any(name.startswith("tornado") for name in ctx.aliases.values()):
        return False
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    for origin in model.origins(func.value):
        if isinstance(origin, ast.Call):
            made = last_name(origin.func) or ""
            if made.endswith(("Application", "Server")) or "app" in made.lower():
                return (ctx.resolve(origin.func) or "").startswith("tornado") or made == "make_app"
    return False


def _is_loop(node: ast.Call, model: SemanticModel) -> bool:
    """``loop.create_server(...)`` on an asyncio event loop."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    for origin in model.origins(func.value):
        if isinstance(origin, ast.Call) and (last_name(origin.func) or "").endswith("event_loop"):
            return True
        if isinstance(origin, ast.Call) and last_name(origin.func) == "get_running_loop":
            return True
    return isinstance(func.value, ast.Name) and "loop" in func.value.id


#: Methods that make a bound socket serve: a socket bound and never used with
#: one of these (and never handed on) only reserved a port.
_SERVING_METHODS = frozenset(
    {
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
#: How a mention uses a socket: ``close()`` and ``with s:`` close it (DL501's reading).
_USES = UsePolicy()
#: Methods of a local list that only hold a socket until it is closed.
_HOLDING_METHODS = ADDING_METHODS


def _is_port_probe(socket: ast.expr, bind: ast.Call, scope: ast.AST, model: SemanticModel) -> bool:
    """A function's local socket bound only to learn a free port or to test that a
    port can be taken: ``s.bind(("", 0)); s.getsockname()[1]``; ``s.bind(("",
    port)); s.listen(1)`` then ``s.close()`` (also under ``if s is not None:``). It
    never accepts or receives, and is never passed on, returned or stored except in
    a local list or yielded by a context manager for its caller's ``with`` block from
    a ``with`` block that closes it. How each mention uses it is the resource model's
    (:func:`resources.classify`, as DL501 reads closes)."""
    if not isinstance(socket, ast.Name) or not isinstance(scope, FUNCTIONS):
        return False
    defs = model.reaching(socket)
    if not defs or any(d.kind == "param" or d.scope.node is not scope for d in defs):
        return False  # a parameter or a global: its owner may serve on it
    ctx = model.ctx
    methods: set[str] = set()
    closed = False
    for d in defs:
        for read in model.def_uses(d):
            parent = model.parents.get(read)
            if _held_in_local_list(read, parent, scope, model):
                continue
            if lent_for_the_block(read, model.parents, ctx):
                closed = True  # the with block closes it when the caller's block ends
                continue
            use = classify(read, model.parents, ctx, _USES)
            if use is Use.CLOSE:
                closed = True
            elif use is Use.ESCAPE or _argument_of_call(read, model):
                return False  # passed, returned or stored: it may serve elsewhere
            if isinstance(parent, ast.Attribute):
                methods.add(parent.attr)
    if methods & _SERVING_METHODS:
        return False
    return "listen" not in methods or closed or _closed_by_with(bind, model)


def _held_in_local_list(
    read: ast.Name, parent: ast.AST | None, scope: ast.AST, model: SemanticModel
) -> bool:
    """``sockets.append(s)`` on a list of the function that is only added to and iterated."""
    holder = model.parents.get(parent) if isinstance(parent, ast.Call) else None
    return (
        isinstance(parent, ast.Call)
        and read in parent.args
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in _HOLDING_METHODS
        and isinstance(parent.func.value, ast.Name)
        and isinstance(holder, ast.Expr)
        and _is_local_holder(parent.func.value, holder, scope, model)
    )


def _argument_of_call(read: ast.Name, model: SemanticModel) -> bool:
    """``s`` given to a call that does not close it (``selector.register(s, ...)``,
    ``select.select([s], ...)``): it may serve there."""
    child: ast.AST = read
    parent = model.parents.get(read)
    while isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Starred, ast.keyword)):
        child, parent = parent, model.parents.get(parent)
    return isinstance(parent, ast.Call) and parent.func is not child


def _is_local_holder(name: ast.Name, put: ast.stmt, scope: ast.AST, model: SemanticModel) -> bool:
    """A list of the function that is only iterated and added to, never passed on, or
    passed on only after a loop refilled it with other values than what ``put`` added
    (``for i, s in enumerate(ports): s.close(); ports[i] = port`` then ``return ports``)."""
    defs = model.reaching(name)
    if not defs or any(d.kind != "assign" or d.scope.node is not scope for d in defs):
        return False
    for d in defs:
        for read in model.def_uses(d):
            parent = model.parents.get(read)
            if isinstance(parent, ast.Attribute) and parent.attr in _HOLDING_METHODS:
                continue
            if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is read:
                continue
            loop = model.parents.get(parent) if isinstance(parent, ast.Call) else None
            if loop is not None and refills(loop, read.id, model.ctx, _USES):
                continue  # ``for i, s in enumerate(ports)``: it closes and replaces each
            if (
                isinstance(parent, ast.Subscript)
                and parent.value is read
                and isinstance(parent.ctx, ast.Store)
                and any(refills(up, read.id, model.ctx, _USES) for up in _ancestors(parent, model))
            ):
                continue  # ``ports[i] = port`` in the refilling loop
            if refilled_between(put, read, model.parents, model.ctx, _USES):
                continue  # returned after the refill: it holds ports, not sockets
            return False
    return True


def _ancestors(node: ast.AST, model: SemanticModel) -> Iterator[ast.AST]:
    current = model.parents.get(node)
    while current is not None and not isinstance(current, FUNCTIONS):
        yield current
        current = model.parents.get(current)


def _closed_by_with(bind: ast.Call, model: SemanticModel) -> bool:
    current = model.parents.get(bind)
    while current is not None and not isinstance(current, FUNCTIONS):
        if isinstance(current, (ast.With, ast.AsyncWith)):
            return True
        current = model.parents.get(current)
    return False


def _noop_reason(call: ast.Call, model: SemanticModel) -> str:
    """Why a securing helper defined in this file secures nothing, else ``""``."""
    function = model.function_of(call)
    if function is None or not _does_nothing(function, model):
        return ""
    return f"{function.name}() secures nothing"


#: Calls that only report: a helper made of these (and a return) does nothing.
_REPORTING_CALLS = frozenset(
    {"print", "debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)


def _does_nothing(function: ast.FunctionDef | ast.AsyncFunctionDef, model: SemanticModel) -> bool:
    """Whether, with its configuration left at the defaults, ``function`` only
    passes, logs, or returns its argument unchanged."""
    args = function.args
    params = {p.arg for p in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    for statement in model.default_path(function.body):
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


def _off_by_default(guards: tuple[tuple[ast.expr, bool], ...], model: SemanticModel) -> str | None:
    """The flag that switches a guarded step off by default, or ``None``."""
    for test, branch in guards:
        truth = model.default_truth(test)
        if truth is not None and truth != branch:
            return _flag_name(test, model)
    return None


def _flag_name(test: ast.expr, model: SemanticModel) -> str:
    """``SECURE_ZMQ`` for ``if SECURE_ZMQ:``, ``if os.getenv("SECURE_ZMQ") == "1":`` ..."""
    while isinstance(test, ast.UnaryOp):
        test = test.operand
    if isinstance(test, ast.Compare):
        test = test.left
    found = model.setting_behind(test)
    if found is not None:
        return found
    if isinstance(test, ast.Call):
        return f"{model.ctx.dotted(test.func) or 'its flag'}()"
    return model.ctx.dotted(test) or "its flag"


def _has_tls(call: ast.Call, scope: ast.AST) -> bool:
    for keyword in call.keywords:
        if keyword.arg in _TLS_KEYWORDS and not _is_false(keyword.value):
            return True
    return any(
        isinstance(node, ast.Call) and last_name(node.func) == "wrap_socket"
        for node in _walk_scope(scope)
    )


#: CherryPy's settings that give its server a certificate: as configuration keys
#: (``server.ssl_certificate``) or attributes of ``cherrypy.server``.
_CERTIFICATE_KEYS = frozenset({"server.ssl_certificate"})
_CERTIFICATE_ATTRIBUTES = frozenset({"ssl_certificate"})


def _configures_certificate(scope: ast.AST) -> bool:
    """``scope`` gives a configured server a certificate, under a test or not."""
    for node in _walk_scope(scope):
        if isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value in _CERTIFICATE_KEYS for k in node.keys
        ):
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr in _CERTIFICATE_ATTRIBUTES for t in node.targets
        ):
            return True
    return False


def _speaks_tls(name: str) -> bool:
    """``HTTPSServer``, ``SSLServer``, ``start_tls_server``, ``add_secure_port``,
    ``listenSSL``; not ``HTTPServer``."""
    return any(word.upper() in _TLS_WORDS for word in _NAME_WORD_RE.findall(name))


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not node.value


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
