"""The use a value reaches: peer, listen address, display, comparison, data ...

Answers *what the value of an expression is used for*, wherever it flows in
this file (:meth:`UseModel.uses`): followed through names, ``self`` attributes,
parameters of this file's functions and classes, returns, settings' defaults and
unpackings, until it reaches a call whose argument it is. The uses are the
constants below (:data:`PEER`, :data:`LISTEN`, ... :data:`UNKNOWN`); the calls
that decide them (:data:`LISTEN_CALLS`, :data:`PEER_CALLS`) are here too. A call of
another module's function is set apart by :meth:`UseModel.uses_through_helpers`
for the project index (:mod:`debt_lints.analysis.semantic.project`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.addresses import SERVE_KEYWORDS, converts_address, serves_by_name
from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import last_name, name_words
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.resources import LOGGING_METHODS, HelperCall, helper_call
from debt_lints.analysis.semantic.bindings import _CONTAINER, _MAX_DEPTH, Def, _params
from debt_lints.analysis.semantic.values import ValueModel
from debt_lints.core.lazy import lazy_pattern

# --- uses ----------------------------------------------------------------------------------------
#: A host or endpoint another program listens on: connect, request, a client's host.
PEER = "peer"
#: The program's own listen or bind address.
LISTEN = "listen"
#: Shown to a person: print, logging, an exception's or a message's text.
DISPLAY = "display"
#: Resolved or parsed, not reached: ``getaddrinfo``, ``ipaddress.ip_address``.
RESOLVE = "resolve"
#: Compared, tested for membership or for truth (``if host:``).
COMPARE = "compare"
#: The default of a command-line option (argparse, optparse, click, getopt-style
#: declarations, twisted's ``optParameters``): configuration the user sets.
OPTION = "option"
#: The program's own listener reached as a peer: a connect to the port it bound
#: (``connect(("127.0.0.1", server.getsockname()[1]))``).
OWN_LISTENER = "own-listener"
#: This machine's own address, returned by a function that detects it (another of
#: its returns is ``sock.getsockname()[0]`` or a resolution of ``socket.gethostname()``).
OWN_ADDRESS = "own-address"
#: A value a protocol needs where nothing connects to it: a CGI/WSGI environment's
#: ``REMOTE_ADDR``/``SERVER_NAME``, the URL of an XML-RPC proxy whose transport
#: decides where to go, the host of an HTTP connection over a Unix socket, a mock's.
PLACEHOLDER = "placeholder"
#: A command line or the arguments of a process the program starts (``subprocess.Popen``,
#: twisted's ``spawnProcess``): what the child does with it is not seen.
SPAWN = "spawn"
#: Stored as data (a dictionary value, an item of a collection) and never read here.
DATA = "data"
#: Passed, returned or stored where the model cannot follow.
UNKNOWN = "unknown"
#: Returned by the function whose parameter :meth:`SemanticModel.parameter_uses` follows:
#: it goes where the caller, in another file, uses the call's result.
RETURNED = "returned"


#: Where an item sits in a display: its index from the start and from the end (negative),
#: ``None`` where a starred item (or a set's lack of order) makes it unknown.
_Place = tuple[int | None, int | None]
_NOWHERE: _Place = (None, None)


def _place_in(container: ast.AST, item: ast.AST) -> _Place:
    if not isinstance(container, (ast.Tuple, ast.List)):
        return _NOWHERE
    elts = container.elts
    index = next((i for i, e in enumerate(elts) if e is item), None)
    if index is None:
        return _NOWHERE
    start = None if any(isinstance(e, ast.Starred) for e in elts[:index]) else index
    end = None if any(isinstance(e, ast.Starred) for e in elts[index + 1 :]) else index - len(elts)
    return start, end


def _receiver(target: ast.Tuple | ast.List, place: _Place) -> ast.expr | None:
    """The element of an unpacking target that receives the item at ``place`` of the
    value (a starred element for an item of the middle); ``None`` when it cannot be told."""
    elts = target.elts
    star = next((i for i, e in enumerate(elts) if isinstance(e, ast.Starred)), None)
    start, end = place
    if star is None:
        if start is not None and end is not None and start - end != len(elts):
            return None  # the unpacking fails
        if start is not None:
            return elts[start] if start < len(elts) else None
        if end is not None:
            return elts[end] if -end <= len(elts) else None
        return None
    if start is not None and start < star:
        return elts[start]
    if end is not None and -end < len(elts) - star:
        return elts[end]
    if start is not None and end is not None:
        return elts[star]
    return None


# --- the model -----------------------------------------------------------------------------------

_REPORTING = frozenset({"print", "echo", "secho"}) | LOGGING_METHODS
_RESOLVING = frozenset(
    {
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "getnameinfo",
        "inet_aton",
        "inet_pton",
        "ip_address",
        "ip_interface",
        "ip_network",
        "IPv4Address",
        "IPv6Address",
        "urlparse",
        "urlsplit",
        "isloopback",
        "is_loopback",
    }
)
#: Calls whose address argument is the program's own: bind or listen.
LISTEN_CALLS = frozenset(
    {
        "bind",
        "bind_to_random_port",
        "add_insecure_port",
        "add_secure_port",
        "listen",
        "listenTCP",
        "listenUDP",
        "listenSSL",
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
        "TCPSite",
        "bind_sockets",
    }
)
#: Configuration keys and attributes that hold a server's own listen address, for a
#: framework configured rather than called: CherryPy's ``server.socket_host`` (in
#: ``cherrypy.config.update({...})``, a config given to ``quickstart`` or ``tree.mount``)
#: and its ``cherrypy.server.socket_host`` attribute.
LISTEN_SETTING_KEYS = frozenset({"server.socket_host"})
LISTEN_ATTRIBUTES = frozenset({"socket_host"})
#: Calls whose address argument is a peer's.
PEER_CALLS = frozenset(
    {
        "connect",
        "connect_ex",
        "create_connection",
        "open_connection",
        "urlopen",
        "Request",
        "request",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "fetch",
        "HTTPConnection",
        "HTTPSConnection",
        "Redis",
        "StrictRedis",
        "from_url",
        "ServerProxy",
        "insecure_channel",
        "secure_channel",
        "sendto",
    }
)
#: Calls that declare a command-line option; the value of their ``default=`` is its default.
_OPTION_DECLARATIONS = frozenset({"add_argument", "add_option", "option", "argument"})
#: getopt's option specifications: ``"s:"`` (a short option with a value), ``"serverurl="``.
_GETOPT_SPEC_RE = lazy_pattern(r"^(?:[A-Za-z]:|[a-z][a-z0-9-]*=)$")
#: twisted.python.usage.Options tables: ``[long, short, default, help]`` rows.
_OPTION_TABLES = frozenset({"optParameters"})
#: What reads a listening socket's own address: its port, reached by a connect, is ours.
_OWN_ADDRESS_READERS = frozenset(
    {"getsockname", "getHost", "last_endpoint", "server_address", "server_port"}
)
#: What reads this machine's own address or name.
_OWN_NAME_READERS = frozenset({"getsockname", "gethostname", "getfqdn"})
#: CGI/WSGI environment keys that describe the request received (RFC 3875).
_REQUEST_META = frozenset(
    {"REMOTE_ADDR", "REMOTE_HOST", "SERVER_NAME", "SERVER_ADDR", "HTTP_HOST", "SERVER_HOST"}
)
#: Builtins that test a value's type or attributes rather than use it.
_TYPE_TESTS = frozenset({"isinstance", "issubclass", "hasattr", "callable"})
#: Calls that test a value's truth rather than use it.
_TRUTH_TESTS = (ast.If, ast.While, ast.Assert)
#: Classes that listen on the address they are given, by their qualified name.
_LISTENER_CLASSES = frozenset({"multiprocessing.connection.Listener"})


_LISTEN_KEYWORDS = frozenset({"host", "address", "bind", "bind_address", "listen", "interface"})


class UseModel(ValueModel):
    """The use a value reaches, followed through this file."""

    # --- uses -----------------------------------------------------------------------------------

    def uses(self, node: ast.expr) -> frozenset[str]:
        """What the value of ``node`` is used for, wherever it flows in this file.

        Asked once per node: a loopback listener's address is judged by DL301's
        walk and again by the project fact (:meth:`loopback_listen_sources`), a
        listener's port by every client's :meth:`serves_itself`."""
        key = (id(node), "uses")
        found = self._memo.get(key)
        if found is None:
            out: set[str] = set()
            self._uses(node, out, 0, set(), ())
            found = self._memo[key] = frozenset(out or {DATA})
        assert isinstance(found, frozenset)
        return found

    def uses_through_helpers(
        self, node: ast.expr
    ) -> tuple[frozenset[str], tuple[tuple[HelperCall, frozenset[str]], ...]]:
        """:meth:`uses`, with the calls of functions that may be another module's of the
        project (``common.net.serve(host, port)``) set apart instead of :data:`UNKNOWN`,
        each with the uses of its result here: where the value goes in them is for the
        project index to tell (:func:`helper_parameter_uses`)."""
        out: set[str] = set()
        helpers: list[HelperCall] = []
        self._helpers, self._helper_calls = helpers, []
        try:
            self._uses(node, out, 0, set(), ())
        finally:
            self._helpers, calls, self._helper_calls = None, self._helper_calls, []
        results = [self.uses(call) for call in calls]
        return frozenset(out or ({DATA} if not helpers else set())), tuple(
            zip(helpers, results, strict=True)
        )

    def parameter_uses(self, function: ast.AST, helper: HelperCall) -> frozenset[str] | None:
        """Where the value a call (``helper``) hands to ``function``'s parameter goes in
        this file; ``None`` when the argument fills no named parameter."""
        if not isinstance(function, FUNCTIONS):
            return None
        scope = self.scope_for(function)
        name = helper.parameter(function)
        if scope is None or name is None:
            return None
        defs = [d for d in scope.defs.get(name, ()) if d.kind == "param"]
        if not defs:
            return None
        out: set[str] = set()
        self._entered.append((function, None))
        try:
            self._def_flow(defs, out, 0, set())
        finally:
            self._entered.pop()
        return frozenset(out)

    def _uses(
        self, node: ast.AST, out: set[str], depth: int, seen: set[int], path: tuple[_Place, ...]
    ) -> None:
        """``path``: where the value followed sits in ``node``'s value, a place per level
        of displays (``("localhost", 80)`` holds ``"localhost"`` at its first place), for
        an unpacking to give it to the name that receives it."""
        if id(node) in seen:
            # Followed already (``host = str(host)`` reaches the same reads as ``host``, a
            # loop reaches its head again): its uses are in ``out`` or being added to it.
            return
        if depth > _MAX_DEPTH:
            out.add(UNKNOWN)
            return
        seen.add(id(node))
        child: ast.AST = node
        parent = self.parents.get(child)
        while True:
            if _is_tested(parent, child):
                out.add(COMPARE)  # if host: / x if host else y / host and port
                return
            if (
                isinstance(parent, ast.Tuple)
                and len(parent.elts) == 2
                and parent.elts[1] is child
                and _request_meta_key(parent.elts[0])
            ):
                out.add(PLACEHOLDER)  # ("SERVER_NAME", "localhost"): a CGI environment's default
                return
            if (
                isinstance(parent, ast.Tuple)
                and len(parent.elts) == 2
                and parent.elts[0] is child
                and self._dns_port(parent.elts[1])
            ):
                out.add(RESOLVE)  # ("127.0.0.1", 53): the local resolver, a nameserver entry
                return
            # The value is part of a larger string or collection: follow that.
            larger = self._larger_value(parent, (ast.BoolOp,), (ast.Add, ast.Mod))
            if larger is not None:
                if isinstance(larger, _CONTAINER):
                    path = (_place_in(larger, child), *path)
                elif not isinstance(larger, (ast.IfExp, ast.BoolOp)):
                    path = ()  # a string or a sum built from it: no longer an item
                child, parent = larger, self.parents.get(larger)
                continue
            if isinstance(parent, ast.keyword):
                call = self.parents.get(parent)
                if isinstance(call, ast.Call) and self._passes_through(call, child):
                    child, parent = call, self.parents.get(call)
                    continue
            if (
                isinstance(parent, ast.Call)
                and parent.func is not child
                and self._passes_through(parent, child)
            ):
                child, parent = parent, self.parents.get(parent)
                continue
            break
        if parent is None or isinstance(parent, ast.Expr):
            out.add(DATA)
            return
        if isinstance(parent, (ast.Compare, ast.MatchValue, ast.match_case)):
            out.add(COMPARE)
            return
        if isinstance(parent, ast.keyword) or (
            isinstance(parent, ast.Call) and parent.func is not child
        ):
            keyword = parent.arg if isinstance(parent, ast.keyword) else None
            call = self.parents.get(parent) if isinstance(parent, ast.keyword) else parent
            if isinstance(call, ast.Call):
                use = (
                    OPTION
                    if self._trait_default(call, child, keyword)
                    else self._call_use(call, keyword)
                )
                if use == UNKNOWN and self._argument_flow(
                    call, child, keyword, out, depth=depth, seen=seen, path=path
                ):
                    return
                if use == UNKNOWN and self._only_a_mock_holds(call, depth, seen):
                    use = PLACEHOLDER  # Mock(abs_href=Href("http://localhost/"))
                if use == UNKNOWN and self._helpers is not None and isinstance(child, ast.expr):
                    helper = helper_call(child, self.parents, self.ctx)
                    if helper is not None:
                        self._helpers.append(helper)  # the project index reads that function
                        self._helper_calls.append(call)
                        return
                out.add(use)
                return
        if isinstance(parent, ast.arguments):  # a parameter default
            function = self.parents.get(parent)
            scope = self.scope_for(function) if function is not None else None
            if scope is not None:
                param = next((p for p, default in _params(parent) if default is child), None)
                defs = (
                    [d for d in scope.defs.get(param.arg, ()) if d.kind == "param"] if param else []
                )
                self._def_flow(defs, out, depth, seen, path)
                return
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                if (
                    isinstance(target, ast.Name)
                    and target.id in _OPTION_TABLES
                    and child is not node
                ):
                    out.add(OPTION)  # optParameters = [["host", "h", "localhost", "..."]]
                elif _request_meta_key(target):
                    out.add(PLACEHOLDER)  # env["REMOTE_ADDR"] = "127.0.0.1"
                elif isinstance(target, ast.Attribute) and target.attr in LISTEN_ATTRIBUTES:
                    out.add(LISTEN)  # cherrypy.server.socket_host = "127.0.0.1"
                elif (
                    isinstance(target, (ast.Tuple, ast.List))
                    and isinstance(child, ast.Call)
                    and self._converts_address(child)
                ):  # host, port = address_to_host_port(addr): a part of it in each name
                    for elt in target.elts:
                        part = elt.value if isinstance(elt, ast.Starred) else elt
                        self._target_flow(part, parent, (), out, depth=depth, seen=seen)
                else:
                    self._target_flow(target, parent, path, out, depth=depth, seen=seen)
            return
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is child:
            if path:  # an item of what the loop walks: the target receives it
                self._target_flow(parent.target, parent, path[1:], out, depth=depth, seen=seen)
            else:
                out.add(UNKNOWN)
            return
        if isinstance(parent, ast.Dict):
            key = next(
                (k for k, v in zip(parent.keys, parent.values, strict=True) if v is child), None
            )
            if _constant_in(key, LISTEN_SETTING_KEYS):
                out.add(LISTEN)  # {"server.socket_host": "127.0.0.1"}: CherryPy's own address
            else:
                out.add(PLACEHOLDER if _request_meta_key(key) else DATA)
            return
        if isinstance(parent, ast.Subscript) and parent.slice is child:
            out.add(COMPARE)  # a key to look up, not a value
            return
        if isinstance(parent, ast.Return):
            self._return_flow(parent, out, depth, seen, path)
            return
        out.add(UNKNOWN)

    def _target_flow(
        self,
        target: ast.expr,
        statement: ast.AST,
        path: tuple[_Place, ...],
        out: set[str],
        *,
        depth: int,
        seen: set[int],
    ) -> None:
        """A value assigned (or walked by a loop) to ``target`` in ``statement`` goes where
        the name or the attribute that receives it goes: through an unpacking, the
        element of the target at the value's place (``host, port = "localhost", 80``
        gives ``"localhost"`` to ``host``); an item whose place is not known is unknown."""
        while isinstance(target, (ast.Tuple, ast.List)):
            receiver = _receiver(target, path[0]) if path else None
            if receiver is None:
                out.add(UNKNOWN)
                return
            path = path[1:]
            if isinstance(receiver, ast.Starred):  # *rest: one item among others
                receiver, path = receiver.value, (_NOWHERE, *path)
            target = receiver
        if isinstance(target, ast.Name):
            scope = self.scope_of(statement)
            owner = scope if target.id not in scope.globals else self.module
            defs = [d for d in owner.defs.get(target.id, ()) if d.node is statement]
            self._def_flow(defs, out, depth, seen, path)
        elif isinstance(target, ast.Attribute):
            self._attr_flow(target, out, depth, seen, path)
        else:
            out.add(DATA)

    def _larger_value(
        self,
        parent: ast.AST | None,
        kinds: tuple[type[ast.AST], ...],
        operators: tuple[type[ast.operator], ...],
    ) -> ast.AST | None:
        """The larger value a value is part of, when ``parent`` builds one from it: an
        f-string, a conditional expression, a collection, one of ``kinds``, a binary
        operation with one of ``operators`` (``"tcp://%s" % host``, ``base / "x"``),
        ``"{}".format(...)`` (the call). ``None`` when ``parent`` builds nothing."""
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue, ast.IfExp, *_CONTAINER, *kinds)):
            return parent
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, operators):
            return parent
        if isinstance(parent, ast.Attribute) and parent.attr == "format":
            call = self.parents.get(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                return call
        return None

    def _argument_flow(
        self,
        call: ast.Call,
        argument: ast.AST,
        keyword: str | None,
        out: set[str],
        *,
        depth: int,
        seen: set[int],
        path: tuple[_Place, ...],
    ) -> bool:
        """An argument of a call of this file's own function, or of one of its classes,
        goes where that function's (the class's ``__init__``'s) parameter goes; ``False``
        when the callee or the parameter is not known."""
        defs = self._parameter_defs(call, argument, keyword)
        if not defs:
            return False
        function = defs[0].scope.node
        if any(entered is function for entered, _ in self._entered):
            self._def_flow(defs, out, depth, seen, path)  # recursion: followed as before
            return True
        # What this call's value becomes goes back to this call only (not to every call of
        # the function): followed afresh for it, the way back in _return_flow.
        self._entered.append((function, call))
        try:
            self._def_flow(defs, out, depth, set(), path)
        finally:
            self._entered.pop()
        return True

    def _return_flow(
        self, node: ast.Return, out: set[str], depth: int, seen: set[int], path: tuple[_Place, ...]
    ) -> None:
        """A returned value goes where this file's calls of the function use it."""
        function = self.scope_of(node).node
        if not isinstance(function, FUNCTIONS):
            out.add(UNKNOWN)
            return
        if self._detects_own_address(function, node):
            out.add(OWN_ADDRESS)  # get_ip(): ...; except OSError: return "127.0.0.1"
            return
        if self._entered and self._entered[-1][0] is function:
            entered = self._entered.pop()  # back in the caller: the value is the call's result
            try:
                if entered[1] is None:
                    out.add(RETURNED)
                else:
                    self._uses(entered[1], out, depth + 1, seen, path)
            finally:
                self._entered.append(entered)
            return
        calls = [c for c in self.call_sites(function.name) if self.function_of(c) is function]
        if not calls or not function.name.startswith("_"):
            out.add(UNKNOWN)  # a public function: other files' callers are not seen
        for call in calls:
            self._uses(call, out, depth + 1, seen, path)

    def _detects_own_address(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, returned: ast.Return
    ) -> bool:
        """Another ``return`` of ``function`` gives this machine's own address: the
        function detects it, and what it returns is that address on every path."""
        return any(
            isinstance(sub, ast.Return)
            and sub is not returned
            and sub.value is not None
            and self.scope_of(sub).node is function
            and self._own_address(sub.value, 0)
            for sub in ast.walk(function)
        )

    def _own_address(self, node: ast.expr, depth: int) -> bool:
        """``sock.getsockname()[0]``, ``socket.gethostname()``,
        ``getaddrinfo(socket.gethostname(), port)[0][4][0]``, or a name assigned only such
        values: this machine's own address or name."""
        while isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Name) and depth < _MAX_DEPTH:
            defs = self.reaching(node)
            return bool(defs) and all(
                d.kind == "assign" and d.value is not None and self._own_address(d.value, depth + 1)
                for d in defs
            )
        if not isinstance(node, ast.Call):
            return False
        name = last_name(node.func)
        if name in _OWN_NAME_READERS:
            return True
        if name in _RESOLVING and node.args:
            first = node.args[0]
            return isinstance(first, ast.Call) and last_name(first.func) in _OWN_NAME_READERS
        return False

    def _dns_port(self, node: ast.expr) -> bool:
        """The DNS port: ``53``, ``dns.PORT``, ``DNS_PORT``."""
        if isinstance(node, ast.Constant):
            return node.value == 53
        dotted = self.ctx.resolve(node) or self.ctx.dotted(node) or ""
        words = dotted.upper().replace(".", "_").split("_")
        return "DNS" in words and words[-1] == "PORT"

    def _only_a_mock_holds(self, call: ast.Call, depth: int, seen: set[int]) -> bool:
        """``call`` builds an object (a class of unknown purpose: ``Href(url)``) that
        only a mock holds: the value inside reaches nothing either."""
        name = last_name(call.func) or ""
        if not name[:1].isupper():
            return False
        held: set[str] = set()
        self._uses(call, held, depth + 1, seen, ())
        return held == {PLACEHOLDER}

    def _passes_through(self, call: ast.Call, argument: ast.AST) -> bool:
        """``argument`` becomes the call's result: the default of a setting, ``str(x)``,
        a conversion named for the address it builds or takes apart."""
        found = self.setting(call)
        if found is not None and found[1] is argument:
            return True
        if isinstance(call.func, ast.Name) and call.func.id == "str":
            return True
        return self._converts_address(call)

    def _converts_address(self, call: ast.Call) -> bool:
        """A call the model knows no other use of, named for the address it builds or
        takes apart: ``SocketAddress(host, port)``, ``address_to_host_port(addr)``,
        ``parse_endpoint(url)``, ``split_host_port(text)``; what it returns is the
        address, whole or in parts."""
        name = last_name(call.func)
        return (
            name is not None
            and converts_address(name)
            and self._call_use(call, None) == UNKNOWN
            and self.function_of(call) is None
            and self.constructor_of(call) is None
        )

    def _def_flow(
        self,
        defs: list[Def],
        out: set[str],
        depth: int,
        seen: set[int],
        path: tuple[_Place, ...] = (),
    ) -> None:
        reads = [read for d in defs for read in self.def_uses(d)]
        if not reads:
            out.add(DATA)
        for read in reads:
            self._uses(read, out, depth + 1, seen, path)

    def _attr_flow(
        self,
        target: ast.Attribute,
        out: set[str],
        depth: int,
        seen: set[int],
        path: tuple[_Place, ...] = (),
    ) -> None:
        reads = self._attribute_reads(target)
        if not reads:
            out.add(DATA)
        for read in reads:
            self._uses(read, out, depth + 1, seen, path)

    def _attribute_reads(self, target: ast.Attribute) -> list[ast.Attribute]:
        """The reads of the ``self`` attribute ``target`` sets, in its class; empty when
        ``target`` is not an attribute of ``self``."""
        cls = self._self_class(target)
        if cls is None:
            return []
        return [
            sub
            for sub in walk(cls)
            if isinstance(sub, ast.Attribute)
            and sub.attr == target.attr
            and isinstance(sub.ctx, ast.Load)
            and self._self_class(sub) is cls
        ]

    def _trait_default(self, call: ast.Call, argument: ast.AST, keyword: str | None) -> bool:
        """``argument`` is the default of a configurable trait (traitlets):
        ``Unicode("127.0.0.1", config=True)``, ``Unicode(default_value="x", config=True)``,
        ``Unicode("x").tag(config=True)``: configuration the user sets, like an option's."""
        if keyword != "default_value" and not (
            keyword is None and call.args and call.args[0] is argument
        ):
            return False
        if _configurable(call.keywords):
            return True
        tag = self.parents.get(call)
        holder = self.parents.get(tag) if tag is not None else None
        return (
            isinstance(tag, ast.Attribute)
            and tag.attr == "tag"
            and isinstance(holder, ast.Call)
            and holder.func is tag
            and _configurable(holder.keywords)
        )

    def _call_use(self, call: ast.Call, keyword: str | None) -> str:
        name = last_name(call.func)
        if name is None:
            return UNKNOWN
        if keyword == "default" and _declares_option(call, name):
            return OPTION
        if keyword == "help" and _declares_option(call, name):
            return DISPLAY  # help=f"... (default: {ADDRESS})": text shown to the user
        if isinstance(call.func, ast.Name) and name in _TYPE_TESTS:
            return COMPARE  # isinstance(host, str): the value is tested, not used
        if name.endswith("Mock") or name.startswith("Unix"):
            return PLACEHOLDER  # a mock's attribute; the Host header of HTTP over a Unix socket
        resolved = self.ctx.resolve(call.func) or name
        if name in _RESOLVING or resolved.startswith("ipaddress."):
            return RESOLVE
        if (
            name in _REPORTING
            or resolved.startswith("webbrowser.")  # opened for the person at this machine
            or (isinstance(call.func, ast.Attribute) and _is_logger(call.func.value))
            or (name.startswith("set") and name.endswith(("Text", "ToolTip")))  # Qt widgets
        ):
            return DISPLAY
        if resolved.startswith(("xmlrpc.", "xmlrpclib.")) or name == "ServerProxy":
            if len(call.args) >= 2 or any(k.arg == "transport" for k in call.keywords):
                return PLACEHOLDER  # the transport decides where to connect; the URL is a stand-in
            return PEER  # xmlrpc.client.Server is the client's proxy
        if _starts_process(name, resolved):
            return SPAWN
        if opens_tunnel(name):
            return LISTEN  # forward_local_port(...): the tunnel's local end is the program's own
        if name == "run":  # app.run(host=...) listens; subprocess.run([...]) does not
            return LISTEN if keyword in _LISTEN_KEYWORDS else UNKNOWN
        if name.lstrip("_") in LISTEN_CALLS or name.endswith("Server"):
            return LISTEN  # pydoc's _start_server is a listener too
        if resolved in _LISTENER_CLASSES:
            return LISTEN if keyword in {None, "address"} else UNKNOWN  # Listener(address)
        if is_rpc_daemon(name, resolved):
            # Pyro4.Daemon(host=, port=), Pyro5's NameServerDaemon(host, port): they bind it
            return LISTEN if keyword in {None, "host"} else UNKNOWN
        if serves_by_name(name):  # RPCDaemon(host, port), serve_app(app, host=...)
            return LISTEN if keyword is None or keyword in SERVE_KEYWORDS else UNKNOWN
        if (
            name in PEER_CALLS
            or name.startswith("connect")
            or name.endswith(("Client", "Connection", "Proxy"))
        ):
            return OWN_LISTENER if _reads_own_address(call) else PEER
        if name.endswith(("Error", "Exception", "Warning")):
            return DISPLAY
        return UNKNOWN


def _constant_in(node: ast.AST | None, names: frozenset[str]) -> bool:
    """``node`` is a string literal among ``names``."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names


def _is_tested(parent: ast.AST | None, child: ast.AST) -> bool:
    """``child`` is tested for truth by ``parent``: an ``if``/``while``/``assert`` test,
    the test of ``a if test else b``, an operand of ``not``, or ``x`` in ``x and y``."""
    if isinstance(parent, (*_TRUTH_TESTS, ast.IfExp)):
        return parent.test is child
    if isinstance(parent, ast.UnaryOp):
        return isinstance(parent.op, ast.Not)
    if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And):
        return parent.values[-1] is not child
    return False


def _request_meta_key(node: ast.AST | None) -> bool:
    """``"REMOTE_ADDR"`` as a dictionary key, or ``env["SERVER_NAME"]`` as a target."""
    if isinstance(node, ast.Subscript):
        node = node.slice
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.upper() in _REQUEST_META
    )


def _declares_option(call: ast.Call, name: str) -> bool:
    """A call that declares a command-line option: ``add_argument("--host", ...)``,
    ``add_option``, click's ``option``/``argument``, a getopt-style ``add(..., "s:",
    "serverurl=", ...)``."""
    if name in _OPTION_DECLARATIONS:
        return True
    return any(
        isinstance(a, ast.Constant)
        and isinstance(a.value, str)
        and (_GETOPT_SPEC_RE.match(a.value) is not None or a.value.startswith("--"))
        for a in call.args
    )


def _configurable(keywords: list[ast.keyword]) -> bool:
    """``config=True`` among a trait's keywords."""
    return any(
        k.arg == "config" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in keywords
    )


#: RPC frameworks whose daemon classes bind the host they are given (the server side).
_RPC_DAEMON_MODULES = ("Pyro4.", "Pyro5.")
RPC_DAEMONS = frozenset({"Daemon", "NameServerDaemon"})


def is_rpc_daemon(name: str, resolved: str) -> bool:
    """A call that builds an RPC framework's daemon, the program's own listener:
    ``Pyro4.Daemon(host=, port=)``, ``Pyro4.naming.NameServerDaemon(host, port)``,
    ``Pyro5.server.Daemon``/``Pyro5.api.Daemon``, ``Pyro5.nameserver.NameServerDaemon``
    (``resolved`` is the call's name through the file's imports; another library's
    ``Daemon`` is not one)."""
    return name in RPC_DAEMONS and resolved.startswith(_RPC_DAEMON_MODULES)


def opens_tunnel(name: str) -> bool:
    """A call or function that opens an SSH tunnel or forwards a port, by its name:
    ``open_tunnel``, ``tunnel_to_kernel``, ``forward_local_port``; not ``forward_events``."""
    words = name_words(name)
    return bool(words & _TUNNEL_WORDS) or ("FORWARD" in words and bool(words & _FORWARDED_WORDS))


_TUNNEL_WORDS = frozenset({"TUNNEL", "TUNNELS", "TUNNELED", "TUNNELLED"})
_FORWARDED_WORDS = frozenset({"PORT", "PORTS", "LOCAL", "REMOTE"})


def _reads_own_address(call: ast.Call) -> bool:
    """A connect whose port is read from a listener of this program
    (``server.getsockname()[1]``, ``port.getHost().port``)."""
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        for sub in walk(argument):
            if isinstance(sub, ast.Attribute) and sub.attr in _OWN_ADDRESS_READERS:
                return True
    return False


#: Calls that start a process whatever module they come from.
_PROCESS_STARTERS = frozenset(
    {"Popen", "spawnProcess", "create_subprocess_exec", "create_subprocess_shell"}
)


def _may_start_processes(target: str) -> bool:
    """A name bound to ``target`` can start a chain :func:`_starts_process` accepts:
    ``target`` or ``target.rest`` starts ``subprocess.``, ``os.spawn``, ``os.exec``
    or ``os.posix_spawn`` only when ``target`` is ``os`` or ``subprocess`` or starts so."""
    return target in ("os", "subprocess") or target.startswith(
        ("subprocess.", "os.spawn", "os.exec", "os.posix_spawn")
    )


def _starts_process(name: str, resolved: str) -> bool:
    """``subprocess.run``, ``Popen``, twisted's ``spawnProcess``, ``os.spawnv``, ``os.execv``."""
    return (
        name in _PROCESS_STARTERS
        or resolved.startswith("subprocess.")
        or resolved.startswith(("os.spawn", "os.exec", "os.posix_spawn"))
    )


def _is_logger(node: ast.expr) -> bool:
    return "log" in (last_name(node) or "").lower()
