"""Network endpoints: defaults left to users, and the program's own servers.

Answers *how a literal is written as a default someone else may change*
(:meth:`EndpointModel.default_kind`, :meth:`EndpointModel.left_to_callers`),
*whether a loopback endpoint reaches the program's own server*
(:meth:`EndpointModel.serves_itself`, :meth:`EndpointModel.connects_to_itself`,
:meth:`EndpointModel.own_port`, :meth:`EndpointModel.from_own_state_file`), and
*which named settings a port is taken from* (:meth:`EndpointModel.port_sources`,
:meth:`EndpointModel.loopback_listen_sources`), for the project index to match.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import last_name, template
from debt_lints.analysis.nodes import of_type, walk
from debt_lints.analysis.semantic.bindings import _CONTAINER, _MAX_DEPTH, Def, _params
from debt_lints.analysis.semantic.calls import _OMITTED, _argument_for
from debt_lints.analysis.semantic.commandline import _same_target, _tests_missing
from debt_lints.analysis.semantic.launches import LaunchModel, _unconverted
from debt_lints.analysis.semantic.uses import (
    _OWN_ADDRESS_READERS,
    COMPARE,
    DISPLAY,
    LISTEN,
    LISTEN_CALLS,
    OWN_LISTENER,
    PEER,
    RESOLVE,
    SPAWN,
    UNKNOWN,
    UseModel,
    _is_tested,
)
from debt_lints.analysis.semantic.values import _leading_strings
from debt_lints.core.lazy import lazy_pattern

#: Where a value is written as a default someone else may change
#: (:meth:`SemanticModel.default_kind`).
DEFAULT_PARAMETER = "parameter"
DEFAULT_SETTING = "setting"
DEFAULT_CONSTANT = "constant"
DEFAULT_ATTRIBUTE = "attribute"
#: Methods that read a file opened for reading.
_FILE_READS = frozenset({"read", "readline", "readlines"})
#: The uses that end a whole endpoint's way (:meth:`SemanticModel.connects_to_itself`).
_ENDPOINT_ENDS = frozenset({LISTEN, PEER, OWN_LISTENER, DISPLAY, RESOLVE, COMPARE})
#: Reads of one endpoint followed at most.
_MAX_ENDPOINT_READS = 64
#: A port written in an endpoint's text: ``:5555``, or a template's hole after the colon.
_PORT_RE = lazy_pattern(r":(?:\d+|\{[^}]*\}|%[sd])(?:/|$)")


class EndpointModel(UseModel, LaunchModel):
    """Network endpoints: defaults left to users, the program's own servers and ports."""

    # --- defaults and the program's own servers (the network rules) -----------------------------

    def default_kind(self, node: ast.expr) -> str | None:
        """How ``node`` (a literal, or an item of a literal collection) is written as a
        default someone else may change: :data:`DEFAULT_PARAMETER` (``def f(host="x")``),
        :data:`DEFAULT_SETTING` (``config.get("host", "x")``, ``os.getenv("H") or "x"``,
        ``Parameter(default="x")``), :data:`DEFAULT_CONSTANT` (a module constant:
        ``HOST = "x"``, a table of defaults), :data:`DEFAULT_ATTRIBUTE` (a class
        attribute, ``self.host = "x"`` in a method); ``None`` when it is used where it
        is written (``connect("x")``)."""
        child: ast.AST = node
        parent = self.parents.get(child)
        while parent is not None:
            holder = self.parents.get(parent)
            if isinstance(parent, (*_CONTAINER, ast.Dict)):
                child, parent = parent, holder
            elif (
                isinstance(parent, ast.keyword)
                and isinstance(holder, ast.Call)
                and last_name(holder.func) == "dict"
            ):
                child, parent = holder, self.parents.get(holder)
            else:
                break
        if isinstance(parent, ast.arguments):
            return DEFAULT_PARAMETER
        if isinstance(parent, ast.IfExp):  # "" if address is None else address
            return DEFAULT_SETTING if _fallback_branch(parent, child) else None
        if self._fallback_statement(parent, child):
            return DEFAULT_SETTING  # if not host: host = "localhost"
        if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or):
            return DEFAULT_SETTING if parent.values[-1] is child else None
        if isinstance(parent, ast.keyword) and parent.arg in {"default", "fallback"}:
            return DEFAULT_SETTING
        if isinstance(parent, ast.Call):
            found = self.setting(parent)
            if found is not None and found[1] is child:
                return DEFAULT_SETTING
            if child in parent.args and (last_name(parent.func) or "").endswith("Option"):
                return DEFAULT_SETTING  # Option("section", "name", "localhost", doc)
            return DEFAULT_SETTING if self._default_parameter_of(parent, child) else None
        if isinstance(parent, ast.Return) and self._returns_constant(parent):
            return DEFAULT_ATTRIBUTE  # def host(self): return "localhost": subclasses override it
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is child:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if all(isinstance(t, ast.Name) for t in targets):
                kind = self.scope_of(parent).kind
                if kind == "class":
                    return DEFAULT_ATTRIBUTE
                return DEFAULT_CONSTANT if kind == "module" else None
            if all(isinstance(t, ast.Attribute) and self._self_class(t) for t in targets):
                return DEFAULT_ATTRIBUTE
        return None

    def _fallback_statement(self, statement: ast.AST | None, value: ast.AST) -> bool:
        """``if not host: host = value``, ``if url == "mongodb://": url += value``: the
        value replaces a variable only when the variable is missing or a bare stub."""
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AugAssign):
            target = statement.target
        else:
            return False
        guard = self.parents.get(statement)
        if (
            statement.value is not value
            or not isinstance(target, (ast.Name, ast.Attribute))
            or not isinstance(guard, ast.If)
            or statement not in guard.body
        ):
            return False
        return _tests_missing(guard.test, target)

    def _default_parameter_of(self, call: ast.Call, argument: ast.AST) -> bool:
        """``dget("circus", "httpd_host", "localhost")`` where this file defines
        ``def dget(self, section, option, default=None)``: the argument is a default."""
        name = last_name(call.func)
        if name is None or argument not in call.args:
            return False
        index = call.args.index(argument)
        for node in walk(self.tree):
            if isinstance(node, FUNCTIONS) and node.name == name:
                params = [*node.args.posonlyargs, *node.args.args]
                if params and params[0].arg in {"self", "cls"}:
                    params = params[1:]
                if index < len(params) and params[index].arg in {"default", "fallback"}:
                    return True
        return False

    def _returns_constant(self, node: ast.Return) -> bool:
        """The only statement of a method (after its docstring) returns a literal."""
        function = self.parents.get(node)
        if not isinstance(function, FUNCTIONS) or not isinstance(
            self.parents.get(function), ast.ClassDef
        ):
            return False
        body = function.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        return body == [node] and not any(
            isinstance(sub, (ast.Call, ast.JoinedStr, ast.BinOp))
            for sub in walk(node.value or ast.Constant(None))
        )

    def left_to_callers(self, node: ast.expr, use: str) -> bool:
        """In a library's package, a literal that is its users' to set (the ``library``
        reading DL301 and DL302 share): a default they pass, configure or override (a
        parameter's that no call of this file leaves out, a setting's or a fallback, an
        attribute's), a module constant that reaches no ``use`` in this file but as a
        default, a peer's address given to a client the module builds on first use when
        none is configured, or a value written in the module's ``__main__`` self-test."""
        if self.in_main_block(node):
            return True
        if use == PEER and self.lazy_module_default(node):
            return True  # a client built on first use; a server started so stays the library's
        kind = self.default_kind(node)
        if kind is None:
            return False
        if kind == DEFAULT_PARAMETER:
            return not self.relied_on_here(node)
        if kind == DEFAULT_CONSTANT:
            return use not in self.uses(node) or self.reads_only_as_default(node, use)
        return True

    def lazy_module_default(self, node: ast.expr) -> bool:
        """An argument of a client built on first use when none is configured: in an ``if
        NAME is None:`` (or ``if not NAME:``) branch that stores the built object under the
        module-level ``NAME`` it tests, directly (``global _client`` then ``_client =
        Redis(host="localhost")``) or through a function of this module that assigns it
        (``set_broker(Broker(host="127.0.0.1"))`` where ``set_broker`` does ``global
        global_broker; global_broker = broker``): a default the user replaces by
        configuring that name."""
        call = self.parents.get(node)
        if isinstance(call, ast.keyword):
            call = self.parents.get(call)
        if not isinstance(call, ast.Call) or call.func is node:
            return False
        statement = next((a for a in self._ancestors(call) if isinstance(a, ast.stmt)), None)
        function = self.scope_of(call).node
        if statement is None or not isinstance(function, FUNCTIONS):
            return False
        if isinstance(statement, ast.Assign):  # _client = Redis(host="localhost")
            scope = self.scope_for(function)
            stored = {
                t.id
                for t in statement.targets
                if isinstance(t, ast.Name) and scope is not None and t.id in scope.globals
            }
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value is not call
        ):  # set_broker(Broker(host="127.0.0.1"))
            stored = self._module_setter_assigns(statement.value.func.id)
        else:
            return False
        stored &= set(self.module.defs)
        guard: ast.AST | None = self.parents.get(statement)
        while isinstance(guard, ast.Try):  # try: from .x import Broker ... except ImportError
            guard = self.parents.get(guard)
        return (
            isinstance(guard, ast.If)
            and self.scope_of(guard).node is function
            and any(_tests_missing(guard.test, ast.Name(id=name)) for name in stored)
            and any(statement is s or statement in walk(s) for s in guard.body)
        )

    def _module_setter_assigns(self, name: str) -> set[str]:
        """The module-level names a top-level function ``name`` of this module declares
        ``global`` and assigns (``def set_broker(b): global global_broker;
        global_broker = b``)."""
        for function in self.tree.body:
            if isinstance(function, FUNCTIONS) and function.name == name:
                scope = self.scope_for(function)
                if scope is None:
                    return set()
                return {
                    t.id
                    for n in walk(function)
                    if isinstance(n, ast.Assign)
                    for t in n.targets
                    if isinstance(t, ast.Name) and t.id in scope.globals
                }
        return set()

    def reads_only_as_default(self, node: ast.expr, use: str | None = None) -> bool:
        """A module constant (``DEFAULT_HOST = "localhost"``) read only where it is itself
        a default: ``host or DEFAULT_HOST``, ``def f(host=DEFAULT_HOST)``; with ``use``,
        its other reads known not to reach ``use`` (shown in a help text or a message:
        ``help=f"(default: {DEFAULT_HOST})"``) do not count."""
        assign = self.parents.get(node)
        if not isinstance(assign, (ast.Assign, ast.AnnAssign)) or assign.value is not node:
            return False
        reads = [
            read
            for d in self.module.defs.get(_target_name(assign) or "", ())
            if d.node is assign
            for read in self.def_uses(d)
        ]
        return bool(reads) and all(
            self.default_kind(read) is not None
            or (use is not None and not {use, UNKNOWN} & self.uses(read))
            for read in reads
        )

    def relied_on_here(self, node: ast.expr) -> bool:
        """A parameter default that a call in this file leaves out: the module itself
        relies on it (``def connect(host="x")`` and ``connect()``)."""
        parent = self.parents.get(node)
        if not isinstance(parent, ast.arguments):
            return False
        function = self.parents.get(parent)
        param = next((p for p, default in _params(parent) if default is node), None)
        scope = self.scope_for(function) if function is not None else None
        if param is None or scope is None:
            return False
        defs = scope.defs.get(param.arg, ())
        return any(d.kind == "param" and self._omitted(d) for d in defs)

    def _omitted(self, d: Def) -> bool:
        function = d.scope.node
        if not isinstance(function, FUNCTIONS):
            return False
        owner = d.scope.parent.node if d.scope.parent is not None else None
        callee = (
            owner.name
            if isinstance(owner, ast.ClassDef) and function.name == "__init__"
            else function.name
        )
        bound = isinstance(owner, ast.ClassDef)
        for call in self.call_sites(callee):
            if callee == function.name and self.function_of(call) is not function:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords
            ):
                continue  # *args / **kwargs: the caller may pass it
            if _argument_for(call, function, d.name, bound) is _OMITTED:
                return True
        return False

    def serves_itself(self, endpoint: ast.expr) -> bool:
        """The port of a loopback endpoint is also given, in this file, to a listener
        or to a process the program starts: the program reaches its own server
        (``run_app(app, host="localhost", port=port)`` beside
        ``f"http://localhost:{port}/"``; ``spawnProcess(..., ["kubectl", "proxy", "-p",
        str(self.port)])`` beside ``f"http://localhost:{self.port}"``)."""
        statement = self._statement(endpoint)
        return any(
            self._own_port(port, 0, set(), statement) or self.from_own_state_file(port)
            for port in self._ports(endpoint)
        )

    def connects_to_itself(self, endpoint: ast.expr) -> bool:
        """A loopback endpoint written whole, with its port (``"tcp://127.0.0.1:5555"``,
        ``f"tcp://127.0.0.1:{port}"``, ``("127.0.0.1", 6000)``), that reaches a listener
        of this file and otherwise only clients, displays, resolutions and tests,
        unchanged: through names, ``self`` attributes, parameter defaults and the
        parameters of this file's functions. The listener binds loopback, so it serves
        this machine only, and each client reaches the server the program runs itself.
        A value joined to something (another port, a path), returned, stored or handed
        to a call the model does not know is not followed, and the answer is no."""
        start = self._whole_endpoint(endpoint)
        if start is None:
            return False
        listens = False
        todo: list[ast.AST] = [start]
        seen: set[int] = set()
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if len(seen) > _MAX_ENDPOINT_READS:
                return False
            use = self._endpoint_step(node, todo)
            if use is None:
                return False
            listens = listens or use == LISTEN
        return listens

    def _whole_endpoint(self, endpoint: ast.expr) -> ast.expr | None:
        """The expression that holds ``endpoint`` with its port: itself when its text
        names one, or ``("127.0.0.1", port)`` around a bare host."""
        text = template(endpoint) if isinstance(endpoint, ast.JoinedStr) else None
        if isinstance(endpoint, ast.Constant) and isinstance(endpoint.value, str):
            text = endpoint.value
        parent = self.parents.get(endpoint)
        if text is not None and _PORT_RE.search(text):
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod):
                return parent if parent.left is endpoint else None  # "127.0.0.1:%d" % port
            return endpoint
        if (
            isinstance(parent, ast.Tuple)
            and len(parent.elts) == 2
            and parent.elts[0] is endpoint
            and not isinstance(parent.elts[1], ast.Starred)
        ):
            return parent
        return None

    def _endpoint_step(self, node: ast.AST, todo: list[ast.AST]) -> str | None:
        """Where the whole endpoint ``node`` goes next: a use (:data:`LISTEN`,
        :data:`PEER`...), ``""`` when it flows on to the reads put on ``todo``, ``None``
        when it is changed, stored or goes where the model cannot follow."""
        parent = self.parents.get(node)
        if _is_tested(parent, node) or isinstance(parent, ast.Compare):
            return COMPARE
        if isinstance(parent, ast.keyword) or (
            isinstance(parent, ast.Call) and parent.func is not node
        ):
            keyword = parent.arg if isinstance(parent, ast.keyword) else None
            call = self.parents.get(parent) if isinstance(parent, ast.keyword) else parent
            if not isinstance(call, ast.Call):
                return None
            if self._passes_through(call, node):
                todo.append(call)  # str(addr)
                return ""
            use = self._call_use(call, keyword)
            if use in _ENDPOINT_ENDS:
                return use
            defs = self._parameter_defs(call, node, keyword)
        elif isinstance(parent, ast.arguments):  # a parameter default
            function = self.parents.get(parent)
            scope = self.scope_for(function) if function is not None else None
            param = next((p for p, default in _params(parent) if default is node), None)
            if scope is None or param is None:
                return None
            defs = [d for d in scope.defs.get(param.arg, ()) if d.kind == "param"]
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Attribute):
                found = self._attribute_reads(target)
                todo.extend(found)
                return "" if found else None
            if not isinstance(target, ast.Name):
                return None
            scope = self.scope_of(parent)
            owner = scope if target.id not in scope.globals else self.module
            defs = [d for d in owner.defs.get(target.id, ()) if d.node is parent]
        else:
            return None
        reads = [read for d in defs for read in self.def_uses(d)]
        todo.extend(reads)
        return "" if reads else None

    def own_port(self, port: ast.expr) -> bool:
        """``port`` is a port of the program's own listener: read back from a socket it
        bound (``sock.getsockname()[1]``, ``listening.getHost().port``), returned by a
        ``bind*`` call (``bind_unused_port()``, ``bind_to_random_port(...)``) or by a
        function of this file that returns such a port, or handed, beside this use,
        to a listener, a port forward or a process the program starts; followed
        through names, tuple unpacking, ``self`` attributes and this file's methods
        that return them (``self.get_http_port()`` returning ``self.__port``)."""
        return self._own_port(port, 0, set(), self._statement(port))

    def _own_port(
        self, node: ast.AST, depth: int, seen: set[int], statement: ast.AST | None = None
    ) -> bool:
        if depth > _MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, ast.expr):
            node = _unconverted(node)
        if any(
            isinstance(sub, ast.Attribute) and sub.attr in _OWN_ADDRESS_READERS
            for sub in walk(node)
        ):
            return True
        if isinstance(node, ast.Call):
            if self._binds(node):
                return True  # bind_unused_port(), sock.bind_to_random_port(...)
            function = self.function_of(node)
            return function is not None and any(
                self._own_port(value, depth + 1, seen) for value in self._returned(function)
            )
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "assign" and d.value is not None:
                    if self._own_port(d.value, depth + 1, seen):
                        return True
                elif d.kind in ("element", "other") and self._own_unpacked(d, depth, seen):
                    return True
        elif isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    if isinstance(assigned, ast.expr):
                        if self._own_port(assigned, depth + 1, seen):
                            return True
                    elif self._own_unpacked_attribute(assigned, node.attr, depth, seen):
                        return True
        elif not isinstance(node, ast.Subscript):  # sys.argv[1]: the value read from sys.argv
            return False
        return any(
            self.uses(other) & {LISTEN, SPAWN}
            for other in self._same_value(node)
            if statement is None or self._statement(other) is not statement
        )

    def from_own_state_file(self, port: ast.expr) -> bool:
        """``port`` was read back from a file that this file also writes with a fact of
        this machine: the program's own pid (``os.getpid()``) or a port of its own
        listener. A pid file (``f.write(f"{os.getpid()};{self.port}")``, then ``pid,
        port = (int(x) for x in f.readline().split(";"))``) or a single-instance port
        file (``listenTCP(port, factory)`` and ``f.write(str(port))``, then
        ``port = int(f.readline())``) is run-time state of this machine: whoever wrote
        it runs here. The file is the same when its path is written the same way,
        followed through names, ``self`` attributes and parameters (this file's
        arguments); ``open(path)`` (also in ``with``) and ``.read()``,
        ``.readline()``, ``.readlines()`` read it, ``open(path, "w")`` (``a``, ``x``)
        and ``.write()`` write it."""
        read = self._read_paths(port, 0, set())
        if not read:
            return False
        keys: set[str] = set()
        for path in read:
            keys |= self._path_keys(path, 0, set())
        return any(
            keys & self._path_keys(path, 0, set()) and self._of_this_machine(written, 0, set())
            for path, written in self._state_writes()
        )

    def _read_paths(self, node: ast.AST, depth: int, seen: set[int]) -> list[ast.expr]:
        """The paths of the files ``node``'s value was read from, through names."""
        if depth > _MAX_DEPTH or id(node) in seen:
            return []
        seen.add(id(node))
        out: list[ast.expr] = []
        for sub in walk(node):
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and sub.func.attr in _FILE_READS
            ):
                path = self._opened_path(sub.func.value, writing=False)
                if path is not None:
                    out.append(path)
            elif isinstance(sub, ast.Call) and (function := self.function_of(sub)) is not None:
                for returned in self._returned(function):  # self.check_lock_file()
                    out += self._read_paths(returned, depth + 1, seen)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                holder = self.parents.get(sub)
                if isinstance(holder, (ast.comprehension, ast.For)) and holder.iter is sub:
                    path = self._opened_path(sub, writing=False)  # for line in f
                    if path is not None:
                        out.append(path)
                for d in self.reaching(sub):
                    if d.kind == "assign" and d.value is not None:
                        out += self._read_paths(d.value, depth + 1, seen)
                        for stored in self._item_stores(d):  # result[key] = value
                            out += self._read_paths(stored, depth + 1, seen)
                    elif d.kind == "element" and d.value is not None:
                        # pid, port = (int(x) for x in f.readline().split(";")); for x in f
                        out += self._read_paths(d.value, depth + 1, seen)
                    elif d.kind == "other" and isinstance(d.node, ast.Assign):
                        out += self._read_paths(d.node.value, depth + 1, seen)
        return out

    def _item_stores(self, d: Def) -> list[ast.expr]:
        """The values stored into items of the mapping a name was bound to:
        ``result[key] = value`` after ``result = {}``."""
        out: list[ast.expr] = []
        for read in self.def_uses(d):
            item = self.parents.get(read)
            statement = self.parents.get(item) if item is not None else None
            if (
                isinstance(item, ast.Subscript)
                and item.value is read
                and isinstance(item.ctx, ast.Store)
                and isinstance(statement, ast.Assign)
            ):
                out.append(statement.value)
        return out

    def _opened_path(self, receiver: ast.expr, writing: bool) -> ast.expr | None:
        """The path of the ``open(path, mode)`` call ``receiver`` is or names (``with
        open(path) as f``, ``f = open(path)``), opened to write or to read."""
        if isinstance(receiver, ast.Call):
            return self._open_path(receiver, writing)
        if not isinstance(receiver, ast.Name):
            return None
        for d in self.reaching(receiver):
            calls: list[ast.expr] = []
            if d.kind == "assign" and d.value is not None:
                calls = [d.value]
            elif d.kind == "other" and isinstance(d.node, (ast.With, ast.AsyncWith)):
                calls = [
                    item.context_expr
                    for item in d.node.items
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == d.name
                ]
            for call in calls:
                if isinstance(call, ast.Call):
                    path = self._open_path(call, writing)
                    if path is not None:
                        return path
        return None

    def _open_path(self, call: ast.Call, writing: bool) -> ast.expr | None:
        """``path`` of ``open(path[, mode])`` (``io.open``, ``codecs.open``) when the mode
        writes (``w``, ``a``, ``x``) or reads, as asked."""
        name = self.ctx.resolve(call.func)
        if (
            not (
                (isinstance(call.func, ast.Name) and call.func.id == "open")
                or name in {"io.open", "codecs.open"}
            )
            or not call.args
        ):
            return None
        mode = call.args[1] if len(call.args) > 1 else None
        mode = next((k.value for k in call.keywords if k.arg == "mode"), mode)
        if mode is None:
            text = "r"
        elif isinstance(mode, ast.Constant) and isinstance(mode.value, str):
            text = mode.value
        else:
            return None
        return call.args[0] if writing == bool(set(text) & set("wax")) else None

    def _state_writes(self) -> list[tuple[ast.expr, ast.expr]]:
        """``(path, value)`` of each ``f.write(value)`` of this file to an opened path."""
        key = (0, "state-writes")
        found = self._memo.get(key)
        if found is None:
            out: list[tuple[ast.expr, ast.expr]] = []
            for call in of_type(self.parents, ast.Call):
                if (
                    isinstance(call.func, ast.Attribute)
                    and call.func.attr in {"write", "writelines"}
                    and call.args
                ):
                    path = self._opened_path(call.func.value, writing=True)
                    if path is not None:
                        out.append((path, call.args[0]))
            found = self._memo[key] = out
        assert isinstance(found, list)
        return found

    def _path_keys(self, node: ast.expr, depth: int, seen: set[int]) -> set[str]:
        """How a file's path is written, to tell two opens of the same file: the
        expression (a call, a constant, ``self.pid_file``), a name's binding and its
        values, a parameter's default and this file's arguments, a ``self`` attribute's
        values."""
        if depth > _MAX_DEPTH or id(node) in seen:
            return set()
        seen.add(id(node))
        out: set[str] = set()
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                out.add(f"binding:{id(d.node)}:{d.name}")  # the same name, the same path
                values: list[ast.expr | None] = []
                if d.kind == "assign":
                    values = [d.value]
                elif d.kind == "param":
                    values = [d.value, *self._arguments(d)]
                for value in values:
                    if value is not None:
                        out |= self._path_keys(value, depth + 1, seen)
            return out
        out.add(ast.dump(node))
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    if isinstance(assigned, ast.expr):
                        out |= self._path_keys(assigned, depth + 1, seen)
        return out

    def _of_this_machine(self, value: ast.expr, depth: int, seen: set[int]) -> bool:
        """``value`` holds the program's own pid or a port of its own listener."""
        if depth > _MAX_DEPTH or id(value) in seen:
            return False
        seen.add(id(value))
        for sub in walk(value):
            if isinstance(sub, ast.Call) and self.ctx.resolve(sub.func) == "os.getpid":
                return True
            if isinstance(sub, (ast.Name, ast.Attribute)) and isinstance(sub.ctx, ast.Load):
                if self.own_port(sub):
                    return True
                if isinstance(sub, ast.Name) and any(
                    d.kind == "assign"
                    and d.value is not None
                    and self._of_this_machine(d.value, depth + 1, seen)
                    for d in self.reaching(sub)
                ):
                    return True
        return False

    def _binds(self, call: ast.Call) -> bool:
        """A call that binds a listening socket and returns it or its port, by its name
        (``bind_unused_port``, ``bind_sockets``, ``bind_to_random_port``), also imported
        under another name."""
        resolved = self.ctx.resolve(call.func) or last_name(call.func) or ""
        return resolved.rsplit(".", 1)[-1].lstrip("_").startswith("bind")

    def _own_unpacked(self, d: Def, depth: int, seen: set[int]) -> bool:
        """``sock, port = bind_unused_port()``: the element of what the call returns."""
        return self._own_unpacked_element(
            d.node, lambda e: isinstance(e, ast.Name) and e.id == d.name, depth, seen
        )

    def _own_unpacked_attribute(
        self, statement: ast.AST, attr: str, depth: int, seen: set[int]
    ) -> bool:
        """``self.sock, self.port = bind_unused_port()``."""
        return self._own_unpacked_element(
            statement, lambda e: isinstance(e, ast.Attribute) and e.attr == attr, depth, seen
        )

    def _own_unpacked_element(
        self,
        statement: ast.AST | None,
        is_target: Callable[[ast.expr], bool],
        depth: int,
        seen: set[int],
    ) -> bool:
        """The element of a one-target tuple unpacking that ``is_target`` picks comes
        from the program's own listener (:meth:`_own_element`)."""
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            return False
        target = statement.targets[0]
        if not isinstance(target, (ast.Tuple, ast.List)):
            return False
        index = next((i for i, e in enumerate(target.elts) if is_target(e)), None)
        return index is not None and self._own_element(statement.value, index, depth, seen)

    def _own_element(self, value: ast.expr, index: int, depth: int, seen: set[int]) -> bool:
        if not isinstance(value, ast.Call):
            return False
        if self._binds(value):
            return True
        function = self.function_of(value)
        if function is None:
            return False
        return any(
            isinstance(returned, (ast.Tuple, ast.List))
            and index < len(returned.elts)
            and self._own_port(returned.elts[index], depth + 1, seen)
            for returned in self._returned(function)
        )

    # --- port sources shared with the project's own listeners (issue 22) ----------------

    def port_sources(self, endpoint: ast.expr) -> frozenset[str]:
        """The named sources the port of ``endpoint`` (a host with its port, as
        :meth:`serves_itself` reads it) is taken from, which another file of the
        project may read too: ``env:NAME`` (``os.environ["NAME"]``, ``os.getenv``),
        ``config:SECTION/KEY`` or ``config:KEY`` (``CONF.get("main", "port")``,
        ``config.getint("port")``, ``get_conf("port")``) and ``const:module.NAME``
        (a module constant, imported or this file's own); followed through names,
        ``self`` attributes and ``int()``/``str()``."""
        out: set[str] = set()
        for port in self._ports(endpoint):
            self._port_sources(port, 0, set(), out)
        return frozenset(out)

    def loopback_listen_sources(self) -> frozenset[str]:
        """The sources (as :meth:`port_sources` names them) of the ports this file's
        own listeners on loopback take (``bind(("127.0.0.1", port))``,
        ``TCPServer(("127.0.0.1", int(os.environ["P"])), H)``,
        ``start_server(h, "127.0.0.1", PORT)``) or publish to the configuration
        (``set_conf("open_files_port", port)``, ``CONF.set("main", "port", port)``
        beside the bind): a client elsewhere in the project that reads its port from
        the same source talks to this program's own server."""
        from debt_lints.analysis.literals import is_loopback_value

        out: set[str] = set()
        # The model completed the walk's parent map: its constants are the tree's.
        for node in of_type(self.parents, ast.Constant):
            if not (
                isinstance(node.value, str)
                and is_loopback_value(node.value)
                and LISTEN in self.uses(node)
            ):
                continue
            for port in self._ports(node):
                self._port_sources(port, 0, set(), out)
                for other in self._same_value(port):
                    written = self._config_written(other)
                    if written is not None:
                        out.add(written)
        return frozenset(out)

    def _port_sources(self, node: ast.AST, depth: int, seen: set[int], out: set[str]) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if not isinstance(node, ast.expr):
            return
        node = _unconverted(node)
        named = self._named_source(node) or self._argv_source(node)
        if named is not None:
            out.add(named)
            return
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "import":
                    resolved = self.ctx.resolve(node)
                    if resolved is not None and "." in resolved:
                        out.add(f"const:{resolved}")
                elif d.kind == "assign" and d.value is not None:
                    if d.scope.kind == "module" and self.ctx.module:
                        out.add(f"const:{self.ctx.module}.{d.name}")
                    self._port_sources(d.value, depth + 1, seen, out)
        elif isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    self._port_sources(assigned, depth + 1, seen, out)
            else:
                resolved = self.ctx.resolve(node)
                root = self.ctx.dotted(node)
                if (
                    resolved is not None
                    and root is not None
                    and root.split(".", 1)[0] in self.ctx.aliases
                ):
                    out.add(f"const:{resolved}")  # settings.PORT, ports.CONTROL_PORT

    def _named_source(self, node: ast.expr) -> str | None:
        """``env:NAME`` or ``config:...`` for a read of a setting, else ``None``."""
        read = self._key_read(node)
        if read is None:
            return None
        if read.reader is None:
            return f"env:{read.keys[0]}"
        if not read.method or read.reader not in _CONFIG_READERS:
            return None
        keys = read.keys
        if len(keys) >= 2 and keys[1].isidentifier():
            return f"config:{keys[0]}/{keys[1]}"  # configparser: (section, option)
        section = (
            self.section_read(node.func.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            else None
        )
        if section is not None:
            return f"config:{section}/{keys[0]}"  # config.get("scheduler", {}).get("port")
        return f"config:{keys[0]}"

    def section_read(self, node: ast.expr) -> str | None:
        """``SECTION`` when ``node`` reads a section of the configuration as a mapping:
        ``config.get("scheduler", {})`` (a reader of :data:`_CONFIG_READERS` with one
        literal key and a dictionary for default), or a name whose every reaching
        binding is such a read (``scheduler_config = config.get("scheduler", {})``)."""
        if isinstance(node, ast.Name):
            sections = {
                self._section_call(d.value) if d.kind == "assign" and d.value is not None else None
                for d in self.reaching(node)
            }
            return sections.pop() if len(sections) == 1 else None
        return self._section_call(node)

    def _section_call(self, node: ast.expr) -> str | None:
        read = self._key_read(node)
        if (
            read is None
            or not read.method
            or read.reader not in _CONFIG_READERS
            or len(read.keys) != 1
            or not isinstance(read.default, ast.Dict)
        ):
            return None
        return read.keys[0]

    def _config_written(self, value: ast.expr) -> str | None:
        """``config:...`` when ``value`` is the value argument of a configuration write
        (``set_conf("key", value)``, ``CONF.set("section", "key", value)``,
        ``settings.setValue("key", value)``)."""
        call = self.parents.get(value)
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in _CONFIG_WRITERS
            and call.args
            and call.args[-1] is value
        ):
            return None
        keys = _leading_strings(call.args[:-1])
        if len(keys) != len(call.args) - 1 or not keys:
            return None
        if len(keys) >= 2:
            return f"config:{keys[0]}/{keys[1]}"
        return f"config:{keys[0]}"

    def _ports(self, endpoint: ast.expr) -> list[ast.expr]:
        """The port pieces that go with a host: an f-string's later fields, the port
        beside a host argument (``port=``, the next positional, a ``(host, port)``)."""
        if isinstance(endpoint, ast.JoinedStr):
            return [v.value for v in endpoint.values if isinstance(v, ast.FormattedValue)]
        parent = self.parents.get(endpoint)
        if isinstance(parent, ast.Attribute) and parent.attr == "format":
            call = self.parents.get(parent)  # "http://127.0.0.1:{}/".format(PORT)
            return list(call.args) if isinstance(call, ast.Call) else []
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod):
            right = parent.right  # "tcp://127.0.0.1:%d" % port
            return list(right.elts) if isinstance(right, ast.Tuple) else [right]
        if isinstance(parent, ast.Tuple) and len(parent.elts) >= 2 and parent.elts[0] is endpoint:
            return [parent.elts[1]]
        call = self.parents.get(parent) if isinstance(parent, ast.keyword) else parent
        if not isinstance(call, ast.Call):
            return []
        out = [k.value for k in call.keywords if k.arg == "port"]
        if endpoint in call.args:
            index = call.args.index(endpoint)
            out += call.args[index + 1 : index + 2]
        return out

    def _same_value(self, port: ast.expr) -> list[ast.expr]:
        """Other reads of the value ``port`` reads: the same local binding, the same
        ``self`` attribute, the same imported name (``sys.argv``)."""
        port = _unconverted(port)
        while isinstance(port, ast.Subscript):
            port = port.value
        out: list[ast.expr] = []
        if isinstance(port, ast.Name):
            for d in self.reaching(port):
                out += [read for read in self.def_uses(d) if read is not port]
            return [self._whole(read) for read in out]
        if isinstance(port, ast.Attribute):
            cls = self._self_class(port)
            dotted = self.ctx.dotted(port) if cls is None else None
            if cls is None and (dotted is None or dotted.split(".", 1)[0] not in self.ctx.aliases):
                return []
            for sub in walk(cls or self.tree):
                if (
                    isinstance(sub, ast.Attribute)
                    and sub is not port
                    and sub.attr == port.attr
                    and isinstance(sub.ctx, ast.Load)
                    and (
                        self._self_class(sub) is cls
                        if cls is not None
                        else self.ctx.dotted(sub) == dotted
                    )
                ):
                    out.append(self._whole(sub))
        return out

    def _whole(self, read: ast.expr) -> ast.expr:
        """``sys.argv`` in ``sys.argv[1:]``: the value taken from it."""
        parent = self.parents.get(read)
        while isinstance(parent, ast.Subscript) and parent.value is read:
            read, parent = parent, self.parents.get(parent)
        return read


def _fallback_branch(choice: ast.IfExp, branch: ast.AST) -> bool:
    """``value if x is None else x``, ``x if x else value``: ``branch`` stands in for a
    missing ``x``; also for a missing part of ``x`` the other branch reads
    (``parts[0] if len(parts) else value``, ``value if m is None else m.group(1)``)."""
    test = choice.test
    if branch is choice.body:
        return any(_tests_missing(test, read) for read in _read_from(choice.orelse))
    if branch is choice.orelse:
        return any(_tests_present(test, read) for read in _read_from(choice.body))
    return False


def _read_from(node: ast.expr) -> Iterator[ast.expr]:
    """``node`` and what it is read from: ``parts[0]``, ``parts``; ``m.group(1)``,
    ``m``; ``url.hostname``, ``url``."""
    while True:
        yield node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif isinstance(node, (ast.Subscript, ast.Attribute)):
            node = node.value
        else:
            return


def _tests_present(test: ast.expr, target: ast.AST) -> bool:
    """``x``, ``len(x)``, ``len(x) > 0`` or ``x is not None``: ``x`` is there."""
    if isinstance(test, ast.Call) and last_name(test.func) == "len" and len(test.args) == 1:
        return _same_target(test.args[0], target)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.IsNot):
            none = isinstance(right, ast.Constant) and right.value is None
            return none and _same_target(left, target)
        return (
            isinstance(op, (ast.Gt, ast.GtE))
            and isinstance(right, ast.Constant)
            and isinstance(left, ast.Call)
            and _tests_present(left, target)
        )
    return _same_target(test, target)


def _target_name(assign: ast.Assign | ast.AnnAssign) -> str | None:
    targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None


#: A loopback literal's opening quote and host (``"127.``, ``'localhost``, ``"[::1``):
#: rare, and a scan for it starts with a character class (the quote), run in C.
_LOOPBACK_LITERAL = lazy_pattern(r"['\"](?:localhost|127\.|\[?::1)")
#: How many characters a listener call's ``(`` may be before the literal.
_LISTENER_REACH = 300
_LISTENER_NAMES = tuple(sorted(LISTEN_CALLS))


def may_listen_on_loopback(text: str) -> bool:
    """A cheap test of a file's text before :meth:`SemanticModel.loopback_listen_sources`
    is asked: a listener call with a loopback literal among its first arguments
    (``bind(("127.0.0.1", port))``, ``TCPServer(("localhost", p), H)``,
    ``start_server(h, "127.0.0.1", PORT)``, ``run_app(app, host="localhost")``).

    The text has a match of ``(?:\\b(?:NAME|...)|Server)\\s*\\([^)]{0,300}?['"]``
    ``(?:localhost|127\\.|\\[?::1)`` (``NAME``: :data:`LISTEN_CALLS`), found from each
    loopback literal backwards: an ``(`` at most 300 characters before it with no
    ``)`` between, after white space and a listener's name that starts a word, or
    ``Server``. Searched whole, that expression tried its alternation at every
    position of the text.
    """
    rfind, find, endswith = text.rfind, text.find, text.endswith
    for literal in _LOOPBACK_LITERAL.finditer(text):
        at = literal.start()
        low = max(at - _LISTENER_REACH - 1, 0)
        low = max(low, rfind(")", low, at) + 1)
        bracket = find("(", low, at)
        while bracket != -1:
            end = bracket
            while end and text[end - 1].isspace():
                end -= 1
            if endswith("Server", 0, end):
                return True
            if endswith(_LISTENER_NAMES, 0, end):
                for name in _LISTENER_NAMES:
                    start = end - len(name)
                    if endswith(name, 0, end) and not (
                        start and (text[start - 1].isalnum() or text[start - 1] == "_")
                    ):
                        return True
            bracket = find("(", bracket + 1, at)
    return False


#: Methods that read a configuration key (:meth:`SemanticModel.port_sources`).
_CONFIG_READERS = frozenset(
    {"get", "getint", "get_conf", "get_option", "get_value", "value", "option"}
)
#: Methods that write one (the value last): ``set_conf``, ``CONF.set``, ``setValue``.
_CONFIG_WRITERS = frozenset({"set", "set_conf", "set_option", "set_value", "setValue"})
