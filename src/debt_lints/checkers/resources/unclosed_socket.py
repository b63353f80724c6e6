from __future__ import annotations

import ast

from debt_lints.analysis.context import FileContext, ProjectView
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.resources import (
    BaseFacts,
    Binding,
    ClassFacts,
    FileMemo,
    Function,
    HelperCall,
    Release,
    Use,
    UsePolicy,
    Verdicts,
    bases_release,
    binding,
    call_name_mentions,
    class_chain,
    class_refs,
    classify,
    closes_something,
    decorator_mentions,
    function_scope,
    helper_call,
    module_of,
    names_in,
    project_helper_uses,
    same_file_helper_uses,
    self_name,
    top_level_classes,
    walk_methods,
)
from debt_lints.analysis.semantic import model_of
from debt_lints.core.model import Calls, Finding, Rule, Severity
from debt_lints.core.record import Record, replace
from debt_lints.core.settings import Settings

#: Calls that make a ZMQ context (a socket factory whose ``destroy()`` closes its sockets).
_CONTEXT_FACTORIES = frozenset(
    f"{module}.Context{suffix}"
    for module in ("zmq", "zmq.asyncio", "zmq.green", "zmq.sugar.context")
    for suffix in ("", ".instance", ".shadow")
)
#: Calls that return a new socket whatever they are called on: the socket module and
#: its green drop-ins (eventlet's, gevent's), ZMQ's socket classes.
_SOCKET_FACTORIES = frozenset(
    {
        *(
            f"{module}.{factory}"
            for module in ("socket", "eventlet.green.socket", "gevent.socket")
            for factory in ("socket", "create_connection", "create_server")
        ),
        "zmq.Socket",
        "zmq.asyncio.Socket",
        "zmq.green.Socket",
    }
)
_ZMQ_SOCKET_TYPES = frozenset(
    {
        *("REQ", "REP", "PUB", "SUB", "PUSH", "PULL", "DEALER", "ROUTER", "PAIR"),
        *("XPUB", "XSUB", "STREAM", "XREQ", "XREP", "UPSTREAM", "DOWNSTREAM"),
        *("SERVER", "CLIENT", "RADIO", "DISH", "GATHER", "SCATTER", "DGRAM", "PEER", "CHANNEL"),
    }
)
#: Words in the name of a helper or class decorator that releases an object's sockets.
_CLEANUP_WORDS = ("cleanup", "clean_up", "close", "shutdown", "teardown", "release", "dispose")
_CANDIDATE_NAMES = frozenset({"socket", "Socket", "create_connection", "create_server"})
_POLICY = UsePolicy()
#: What closes attributes reached all at once (``for v in vars(self).values(): v.close()``).
_WHOLESALE = UsePolicy(close_attrs=frozenset({"close", "destroy"}))


class _ClassFacts(ClassFacts):
    __slots__ = ("contexts", "destroyed")
    #: ``self.<attr>`` holding a ZMQ context.
    contexts: set[str]
    #: Receivers (see :func:`_receiver_key`) whose ``destroy()`` is called.
    destroyed: set[str]

    def __init__(self, *, foreign: bool = False, damaged: bool = False) -> None:
        super().__init__(foreign=foreign, damaged=damaged)
        self.contexts = set()
        self.destroyed = set()


class UnclosedSocket(Rule):
    """
    ## What it does
    Flags a socket that is created inside a function and never released:
    `ctx.socket(...)` on a ZMQ context, `zmq.Context().socket(...)`,
    `socket.socket(...)`, `socket.create_connection(...)` and
    `socket.create_server(...)` (also through eventlet's and gevent's green
    `socket` modules), bound to a local name that the function never closes
    and never hands on, or made and dropped in one statement
    (`socket.socket().connect((host, port))` in a retry loop). Handing on
    means returning or yielding it, storing it on an attribute or in a
    container, passing it to another call (other than a poller's `register`,
    `select` or a log call, which keep no ownership), or using it in `with` or
    `contextlib.closing`. Calling
    `destroy()` on the context the socket came from, or creating it from a
    context used in `with`, also releases it.

    It also flags a socket stored on `self.<attr>` when neither the class nor
    any of its base classes, in whatever module of the project they are
    defined, ever closes `self.<attr>` (or `destroy()`s the context it came
    from) or hands it on: a subclass of the project's `BaseAgent` whose
    `cleanup()` closes only `self.socket` leaks its `self.pub_socket`.

    A ZMQ context is recognised when it is made in sight (`zmq.Context()`,
    `zmq.Context.instance()`, `zmq.asyncio.Context()`, through any import
    alias), assigned to a local name, a module-level name or a `self.<attr>`
    of the class; any `.socket(zmq.REQ)` whose argument is a ZMQ socket type
    is recognised whatever it is called on.

    ## Why is this debt
    Every call or every instance leaks a file descriptor and, for ZMQ, an I/O
    thread's socket that keeps the context from terminating: the agent hangs
    on shutdown or dies with "too many open files" after days of uptime. The
    audit counts sockets never closed in 13 agents, typically a request
    socket created per call in a helper method.

    ## Example
    ```python
    import zmq


    class HealthChecker:
        def __init__(self):
            self.context = zmq.Context()

        def ping(self, address):
            socket = self.context.socket(zmq.REQ)
            socket.connect(address)
            socket.send_json({"action": "health_check"})
            return socket.recv_json()
    ```

    ## Use instead
    ```python
    import zmq


    class HealthChecker:
        def __init__(self):
            self.context = zmq.Context()

        def ping(self, address):
            socket = self.context.socket(zmq.REQ)
            try:
                socket.connect(address)
                socket.send_json({"action": "health_check"})
                return socket.recv_json()
            finally:
                socket.close(linger=0)
    ```

    ## Options
    None.

    ## Known limits
    The rule follows names, not values: one `close()` of a name anywhere in the
    function counts for every socket bound to it, on every path (use `finally`
    or `with` to close it on errors too). A name that is copied to another name,
    used by a nested function or lambda, or declared `global` is assumed to be
    handed on. A socket passed to a function of the project is followed into
    that function's code (through the project index): one that only uses it
    (`send`, `connect`, a test) does not take it over, one that closes, stores
    or returns it does; a method of some object (`self.pool.add(sock)`) and a
    function of an installed package are assumed to take it over.
    `Context.term()` does not count as closing: it blocks until the sockets
    are closed; `Context.destroy()` does. A context that arrives as a
    parameter is recognised only through a `zmq.` socket-type argument.
    A local context that is also a `self` attribute (`self.context = context
    = zmq.Context()`, `context = zmq.Context(); self.context = context`, or
    `context = self.context`) is that attribute: a socket made from it and
    stored on `self` is released by the attribute's `destroy()` in any method;
    a later rebinding of the attribute is not seen, and a socket kept only in
    a local name must still be closed in its own function.
    Base classes are followed through every module of the project (any import
    root, re-exports included): an attribute closed, destroyed or handed on by
    a base by name is closed. A base that cannot be followed to a project
    class (an installed package, a computed base, a file that does not parse)
    keeps the class unchecked for its attributes, as does passing `self` to a
    helper named like `cleanup`/`close`/`shutdown`, such a decorator, or
    closing whatever `vars(self)` or `self.__dict__` holds. A cleanup that
    reaches attributes with `getattr(self, name)` releases the names it can
    be seen to reach: a literal name, a loop over a literal list of names (or
    a class constant of the same class holding one), or the literal names the
    callers of a helper method (`self._close_quietly("pub")`) pass it. Over
    names that cannot be followed (`for n in self._threads`), a value that is
    only joined, tested or logged releases nothing, and one that is closed or
    handed on makes the finding uncertain: it is still reported, with a
    message that says so, rather than exempting the whole hierarchy.
    A base's methods count whatever the subclass overrides, and only classes
    defined at module level are followed. In a file that does not parse, what
    recovery could not keep whole (a statement whose receiver became a
    template placeholder, `${X}.ctx.destroy(0)`, or the rest of a class
    swallowed by a bracket never closed) may release anything: a function
    with lost text reports none of its local sockets, and a class with lost
    text in it or in a base of the same file none of its attributes.
    A socket is recognised by the module its constructor is written through
    (`socket.socket`, its green drop-ins `eventlet.green.socket.socket` and
    `gevent.socket.socket`, `zmq.Context`, any import alias of them): one
    made through a project module that imports the socket module
    (`from ryu.lib import hub` then `hub.socket.socket(...)`) is not seen.
    A socket never bound to a name is followed only when a statement makes it
    for one call and drops it (`socket.socket().connect(address)`,
    `ctx.socket(zmq.PUSH).connect(url)`); released there by a `close()` in the
    same statement or, for ZMQ, by its context's `destroy()` or `with` block.
    One that goes into an expression (`sock = ctx.socket(zmq.REQ).connect(url)`,
    a chained call's argument) and sockets returned by `accept()` are not
    followed, nor is an object a
    socket goes into: a socket passed straight to a constructor
    (`conn = SocketConnection(socket.socket())`, `ZMQStream(ctx.socket(...))`)
    is that object's to close, and a wrapper that is never closed is not
    reported (one registered with an event loop is often closed by the loop,
    `io_loop.close(all_fds=True)`, where the rule cannot see it).
    """

    code = "DL501"
    evidence = (b"socket", b"create_")
    wanted_calls = Calls(names=_CANDIDATE_NAMES, imported=True)
    name = "unclosed-socket"
    summary = "a socket created in a function or stored on self is never closed"
    message = "socket is never closed; close it in a finally block or use a with statement"
    severity = Severity.WARNING

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._functions: FileMemo[ast.AST, Verdicts] = FileMemo()
        self._classes: FileMemo[ast.AST, _ClassFacts] = FileMemo()
        #: Base classes read by :meth:`settle`: (tree id, name) -> (tree, facts).
        self._bases = BaseFacts(self._compute_class_facts)
        self._modules: FileMemo[ast.AST, frozenset[str]] = FileMemo()

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if short not in _CANDIDATE_NAMES and not (
            short in ctx.aliases and ctx.resolve(func) in _SOCKET_FACTORIES
        ):
            return  # cheap exit for the vast majority of calls
        function = ctx.enclosing_function(node)
        if function is None:
            return
        verdicts = self._functions.get(ctx, function, lambda: self._analyse(function, ctx))
        if node in verdicts.leaked:
            ctx.report(node, verdicts.leaked[node])
        elif node in verdicts.deferred:
            question = verdicts.deferred[node]
            message = question[3] if question[0] == _HELPERS else _attribute_message(question)
            assert isinstance(message, str)
            ctx.defer(node, question, message)

    # --- one function ----------------------------------------------------------------

    def _analyse(self, function: Function, ctx: FileContext) -> Verdicts:
        scope = function_scope(function)
        klass = ctx.parent(function)
        me = self_name(function) if isinstance(klass, ast.ClassDef) else None
        facts = self._class_facts(klass, ctx) if isinstance(klass, ast.ClassDef) else None
        module = module_of(function, ctx)
        known = _Known(
            locals=set(),
            module=self._module_contexts(module, ctx) if module is not None else frozenset(),
            attrs=facts.contexts if facts is not None else set(),
            self_name=me,
        )
        managed: set[str] = set()
        for node in scope.nodes:
            if isinstance(node, ast.withitem) and _is_context(node.context_expr, ctx):
                if isinstance(node.optional_vars, ast.Name):
                    known.locals.add(node.optional_vars.id)
                    managed.add(f"name:{node.optional_vars.id}")
            elif (
                isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr))
                and node.value is not None
                and _is_context(node.value, ctx)
            ):
                bound = binding(node.value, node)
                known.locals.update(bound.names if bound else ())

        destroyed: set[str] = set()
        creations: list[tuple[ast.Call, Binding, str]] = []
        #: Sockets nobody keeps: ``socket.socket().connect(address)`` as a statement.
        dropped: list[tuple[ast.Call, str, str]] = []
        for node in scope.nodes:
            if isinstance(node, ast.Attribute) and node.attr == "destroy":
                destroyed.add(_receiver_key(node.value, me, ctx))
            elif isinstance(node, ast.Call):
                key = _socket_receiver(node, ctx, known)
                if key is None:
                    continue
                bound = binding(node, scope.parents.get(node))
                if bound is not None:
                    creations.append((node, bound, key))
                elif (method := _dropped_after(node, scope.parents)) is not None:
                    dropped.append((node, key, method))
        verdicts = Verdicts()
        for call, key, method in dropped:
            if not (key and (key in destroyed or key in managed)):
                verdicts.leaked[call] = (
                    f"socket made for one {method}() call is never closed; bind it and close"
                    " it in a finally block or use a with statement"
                )
        if not creations:
            return verdicts

        names = {name for _, bound, _ in creations for name in bound.names}
        handled = set(scope.shared) | (names & scope.captured)
        if ctx.text_lost_in(function):
            handled |= names  # the lost text may close or hand on any of them
        #: Names handed only to functions that may be project helpers (the index decides).
        helpers: dict[str, list[HelperCall]] = {}
        for name in names_in(scope.nodes):
            if name.id not in names or name.id in handled:
                continue
            use = classify(name, scope.parents, ctx, _POLICY)
            if use is Use.NEUTRAL:
                continue
            helper = helper_call(name, scope.parents, ctx) if use is Use.ESCAPE else None
            if helper is not None and "." not in helper.callee:
                # A function of this file: read it now, no need for the index.
                uses = same_file_helper_uses(helper, function, ctx, _POLICY)
                if uses is None or uses - {Use.NEUTRAL.value}:
                    handled.add(name.id)
            elif helper is not None:
                helpers.setdefault(name.id, []).append(helper)
            else:
                handled.add(name.id)

        for call, bound, key in creations:
            released = bool(key) and (key in destroyed or key in managed)
            if bound.attributes:
                # Stored on an attribute: the class, not this function, owns it.
                if not bound.names and len(bound.attributes) == 1 and not released:
                    target = bound.attributes[0]
                    # A local alias of a self attribute: the attribute's destroy() counts.
                    owner = _attribute_alias(call, key, ctx) or key
                    verdict = self._attribute_leaks(target, me, owner, facts)
                    if verdict is not None:
                        assert isinstance(klass, ast.ClassDef) and facts is not None
                        question: list[object] = [
                            ctx.relpath,
                            klass.name,
                            target.attr,
                            owner,
                            facts.uncertain,
                        ]
                        if verdict is _LEAKS:
                            verdicts.leaked[call] = _attribute_message(question)
                        else:
                            verdicts.deferred[call] = question
                continue
            if released or any(name in handled for name in bound.names):
                continue
            message = (
                f"socket {bound.names[0]} is never closed; close it in a finally block"
                " or use a with statement"
            )
            calls = [c.to_json() for n in bound.names for c in helpers.get(n, ())]
            if calls:
                verdicts.deferred[call] = [_HELPERS, ctx.relpath, calls, message]
            else:
                verdicts.leaked[call] = message
        return verdicts

    # --- classes and modules -------------------------------------------------------

    @staticmethod
    def _attribute_leaks(
        target: ast.Attribute, me: str | None, key: str, facts: _ClassFacts | None
    ) -> object:
        """:data:`_LEAKS`, :data:`_ASK_BASES` (a base in another module may close it), or None."""
        if facts is None or me is None:
            return None
        if not (isinstance(target.value, ast.Name) and target.value.id == me):
            return None
        if facts.releases_everything or facts.damaged:
            return None
        if target.attr in facts.handled or (key and key in facts.destroyed):
            return None
        return _ASK_BASES if facts.foreign else _LEAKS

    # --- the project phase -----------------------------------------------------------

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report ``self.<attr>`` unless a base class in another module releases it.

        The bases are followed through every module of the project; one that
        cannot be followed (an installed package, a file that does not parse)
        keeps the exemption.
        """
        if not isinstance(question, list):
            return None
        if len(question) == 4 and question[0] == _HELPERS:
            return _settle_helpers(question, finding, project)
        if len(question) != 5:
            return None
        relpath, class_name, attr, key, uncertain = question
        if not (all(isinstance(v, str) for v in question[:4]) and isinstance(uncertain, bool)):
            return None

        def judge(facts: _ClassFacts) -> Release:
            if (
                facts.releases_everything
                or facts.damaged
                or attr in facts.handled
                or (bool(key) and key in facts.destroyed)
            ):
                return Release.RELEASED
            return Release.UNCERTAIN if facts.uncertain else Release.NOT_RELEASED

        verdict = bases_release(project, relpath, class_name, self._bases, judge)
        if verdict is Release.RELEASED:
            return None
        if verdict is Release.UNCERTAIN or uncertain:
            message = _attribute_message([relpath, class_name, attr, key, True])
            return replace(finding, message=message)
        return finding

    def _class_facts(self, klass: ast.ClassDef, ctx: FileContext) -> _ClassFacts:
        return self._classes.get(ctx, klass, lambda: self._compute_class_facts(klass, ctx))

    def _compute_class_facts(self, klass: ast.ClassDef, ctx: FileContext) -> _ClassFacts:
        module = module_of(klass, ctx)
        classes = top_level_classes(module) if module is not None else {}
        chain, foreign = class_chain(klass, classes, ctx)
        facts = _ClassFacts(foreign=foreign, damaged=any(ctx.text_lost_in(c) for c in chain))
        methods = walk_methods(chain)
        refs = class_refs(methods, ctx, chain)
        facts.releases_everything = (
            any(closes_something(m, _WHOLESALE) for m in refs.wholesale)
            or any(call_name_mentions(c, ctx, _CLEANUP_WORDS) for c in refs.self_passed)
            or any(decorator_mentions(c, _CLEANUP_WORDS) for c in chain)
            or any(decorator_mentions(m.method, _CLEANUP_WORDS) for m in methods)
        )
        for method in methods:
            for node in method.nodes:
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    if not _is_context(node.value, ctx):
                        continue
                    bound = binding(node.value, node)
                    for target in bound.attributes if bound else ():
                        if (
                            isinstance(target.value, ast.Name)
                            and target.value.id == method.self_name
                        ):
                            facts.contexts.add(target.attr)
                elif isinstance(node, ast.Attribute) and node.attr == "destroy":
                    facts.destroyed.add(_receiver_key(node.value, method.self_name, ctx))
        for attr, mentions in refs.refs.items():
            for ref in mentions:
                if isinstance(ref.node, ast.Attribute) and not isinstance(ref.node.ctx, ast.Load):
                    continue
                if classify(ref.node, ref.parents, ctx, _POLICY) is not Use.NEUTRAL:
                    facts.handled.add(attr)
                    break
        # ``getattr(self, name)`` over names that cannot be followed: joining or logging
        # the value releases nothing; closing or handing it on may release anything.
        facts.uncertain = any(
            classify(ref.node, ref.parents, ctx, _POLICY) is not Use.NEUTRAL for ref in refs.dynamic
        )
        return facts

    def _module_contexts(self, module: ast.Module, ctx: FileContext) -> frozenset[str]:
        def compute() -> frozenset[str]:
            names: set[str] = set()
            for statement in module.body:
                if (
                    isinstance(statement, (ast.Assign, ast.AnnAssign))
                    and statement.value is not None
                    and _is_context(statement.value, ctx)
                ):
                    bound = binding(statement.value, statement)
                    names.update(bound.names if bound else ())
            return frozenset(names)

        return self._modules.get(ctx, module, compute)


_LEAKS = object()
_ASK_BASES = object()
#: First item of a question about project helpers (the other kind names a file first).
_HELPERS = "helpers"


def _attribute_message(question: list[object]) -> str:
    _, class_name, attr, _, uncertain = question
    if uncertain:
        return (
            f"self.{attr} is not closed by name by {class_name} or its bases, and may not"
            " be closed at all: a cleanup closes attributes through getattr(self, name)"
            " with names that cannot be followed; close it by name in cleanup()"
        )
    return f"self.{attr} is never closed by {class_name} or its bases; close it in cleanup()"


def _settle_helpers(
    question: list[object], finding: Finding, project: ProjectView
) -> Finding | None:
    """Report a socket handed only to project functions that merely use it."""
    _, relpath, raw_calls, _ = question
    if not (isinstance(relpath, str) and isinstance(raw_calls, list)):
        return None
    uses = project_helper_uses(relpath, raw_calls, project, _POLICY)
    if uses is None or any(u - {Use.NEUTRAL.value} for u in uses):
        return None  # not a project function, or one that takes the socket over
    return finding


class _Known(Record):
    """The ZMQ contexts a function can see, by kind of name."""

    __slots__ = ("attrs", "locals", "module", "self_name")
    locals: set[str]
    module: frozenset[str]
    attrs: set[str]
    self_name: str | None

    def __init__(
        self, locals: set[str], module: frozenset[str], attrs: set[str], self_name: str | None
    ) -> None:
        self.locals = locals
        self.module = module
        self.attrs = attrs
        self.self_name = self_name


def _is_context(node: ast.expr, ctx: FileContext) -> bool:
    """``zmq.Context()``, ``zmq.Context.instance()``, ``ctx or zmq.Context.instance()`` ..."""
    if isinstance(node, ast.Call):
        return ctx.resolve(node.func) in _CONTEXT_FACTORIES
    if isinstance(node, ast.BoolOp):
        return any(_is_context(value, ctx) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _is_context(node.body, ctx) or _is_context(node.orelse, ctx)
    return False


def _socket_receiver(call: ast.Call, ctx: FileContext, known: _Known) -> str | None:
    """``None`` unless ``call`` creates a socket; else the key of the context it came from."""
    func = call.func
    dotted = ctx.dotted(func)
    if (
        dotted is not None
        and dotted.split(".", 1)[0] in ctx.aliases
        and ctx.resolve(func) in _SOCKET_FACTORIES
    ):
        return ""
    if not isinstance(func, ast.Attribute) or func.attr != "socket":
        return None
    receiver = func.value
    me = known.self_name
    if (
        _is_context(receiver, ctx)
        or (isinstance(receiver, ast.Name) and receiver.id in known.locals | known.module)
        or (
            isinstance(receiver, ast.Attribute)
            and isinstance(receiver.value, ast.Name)
            and receiver.value.id == me
            and receiver.attr in known.attrs
        )
        or _is_zmq_socket_type(call_arg(call, 0, "socket_type"), ctx)
    ):
        return _receiver_key(receiver, me, ctx)
    return None


#: Methods that release the socket they are called on.
_RELEASING_METHODS = frozenset({"close", "detach", "__exit__"})


def _dropped_after(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The method called on a socket that a statement makes and drops at once
    (``connect`` in ``socket.socket().connect(address)``); ``None`` when the socket
    is kept, handed on or released (``create_connection(address).close()``)."""
    attribute = parents.get(call)
    if not (
        isinstance(attribute, ast.Attribute)
        and attribute.value is call
        and attribute.attr not in _RELEASING_METHODS
    ):
        return None
    method_call = parents.get(attribute)
    if not (isinstance(method_call, ast.Call) and method_call.func is attribute):
        return None
    return attribute.attr if isinstance(parents.get(method_call), ast.Expr) else None


def _is_zmq_socket_type(node: ast.expr | None, ctx: FileContext) -> bool:
    name = ctx.resolve(node) if node is not None else None
    if name is None:
        return False
    parts = name.split(".")
    return len(parts) > 1 and parts[0] == "zmq" and parts[-1] in _ZMQ_SOCKET_TYPES


def _attribute_alias(call: ast.Call, key: str, ctx: FileContext) -> str | None:
    """The ``self:<attr>`` key of a local context that is also ``self.<attr>``
    (``self.context = context = zmq.Context()``), so that destroying the attribute
    releases the sockets made from the local name; ``None`` when there is none."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not key.startswith("name:") or not isinstance(receiver, ast.Name):
        return None
    model = model_of(ctx)
    attrs = model.self_attributes_of(receiver) if model is not None else frozenset()
    return f"self:{min(attrs)}" if len(attrs) == 1 else None


def _receiver_key(node: ast.expr, me: str | None, ctx: FileContext) -> str:
    """A name for the object a socket came from, to match its ``destroy()`` call."""
    if isinstance(node, ast.Name):
        return f"name:{node.id}"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == me:
        return f"self:{node.attr}"
    if isinstance(node, ast.Call) and (ctx.resolve(node.func) or "").endswith(".instance"):
        return "instance"
    return ""  # unknown: never matched by a destroy() call
