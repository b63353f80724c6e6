"""Scope analysis shared by the resource rules (unclosed sockets and log handlers).

The resource rules need more than one node at a time: whether a socket bound
to a local name is closed, returned or handed on somewhere in its function,
or whether ``self.sock`` is closed by any method of its class. This module
walks one function's own scope (or every method of a class) once, with an
explicit stack, and tells how each mention of a name or attribute is used:
closed, handed on (it escapes: someone else may close it) or merely used.

The helpers never recurse in Python, so deeply nested code cannot exhaust the
stack, and each walk is linear in the size of what it walks. Rules memoise the
results per file with :class:`FileMemo`.
"""

from __future__ import annotations

import ast
import builtins
import enum
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from debt_lints.analysis.context import FileContext, ProjectView
from debt_lints.analysis.nodes import MANY, ONE, field_kinds
from debt_lints.core.record import FrozenRecord, Record

Function = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: Nodes that open a new scope: names bound inside them are not the function's.
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)

_BUILTIN_NAMES = frozenset(dir(builtins))
#: Builtins that look at an object without keeping it.
_INSPECTING_BUILTINS = frozenset(
    {
        "print",
        "isinstance",
        "id",
        "repr",
        "str",
        "hash",
        "type",
        "len",
        "bool",
        "getattr",
        "hasattr",
        "setattr",
        "callable",
        "format",
        "dir",
    }
)
#: The methods of a logger (``logging.Logger``'s and the module's): they format
#: what they are given and keep nothing.
LOGGING_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
#: Methods that take an object as an argument without owning it: a poller's
#: registration keeps a reference but never closes the socket, a lookup
#: (``owners.get(sock)``) keeps nothing, and logging a socket only formats it.
_NON_OWNING_METHODS = frozenset({"get", "register", "unregister", "modify"}) | LOGGING_METHODS
_NON_OWNING_CALLS = frozenset({"select.select", "zmq.select"})
_CLOSING_CALLS = frozenset({"contextlib.closing"})
#: Methods after which the object is someone else's (``socket.detach`` hands the descriptor on).
_HANDING_ON_METHODS = frozenset({"detach"})


class Use(enum.Enum):
    """What one mention of a resource does with it."""

    #: Used in place: a method call, a test, a comparison, a log message.
    NEUTRAL = "neutral"
    #: Closed: ``x.close()``, ``with x:``, ``closing(x)``, a rule-specific closer.
    CLOSE = "close"
    #: Handed on: returned, yielded, stored, passed to a call that may own it.
    ESCAPE = "escape"


#: How a frozen record's ``__init__`` sets its fields (as ``@dataclass(frozen=True)``).
_set = object.__setattr__
_CLOSE = frozenset({"close"})
_NONE: frozenset[str] = frozenset()


class UsePolicy(FrozenRecord):
    """The rule-specific part of :func:`classify`."""

    __slots__ = ("close_attrs", "closing_methods", "neutral_methods")
    #: Attribute names that close the object when accessed on it (``close``).
    close_attrs: frozenset[str]
    #: Method names that close the object passed to them (``removeHandler``).
    closing_methods: frozenset[str]
    #: Method names that take the object without owning it (``addHandler``).
    neutral_methods: frozenset[str]

    def __init__(
        self,
        close_attrs: frozenset[str] = _CLOSE,
        closing_methods: frozenset[str] = _NONE,
        neutral_methods: frozenset[str] = _NONE,
    ) -> None:
        _set(self, "close_attrs", close_attrs)
        _set(self, "closing_methods", closing_methods)
        _set(self, "neutral_methods", neutral_methods)


class Scope(Record):
    """One function's own scope: every node outside nested functions and classes."""

    __slots__ = ("captured", "function", "nodes", "parents", "shared")
    function: Function
    #: Every node of the scope, the function's own statements first.
    nodes: list[ast.AST]
    parents: dict[ast.AST, ast.AST]
    #: Names mentioned inside nested functions, lambdas and classes (closures).
    captured: frozenset[str]
    #: Names declared ``global`` or ``nonlocal``: not the function's to close.
    shared: frozenset[str]

    def __init__(
        self,
        function: Function,
        nodes: list[ast.AST],
        parents: dict[ast.AST, ast.AST],
        captured: frozenset[str],
        shared: frozenset[str],
    ) -> None:
        self.function = function
        self.nodes = nodes
        self.parents = parents
        self.captured = captured
        self.shared = shared


def function_scope(function: Function) -> Scope:
    """Walk ``function``'s own scope once (nested scopes are summarised, not entered)."""
    nodes: list[ast.AST] = []
    parents: dict[ast.AST, ast.AST] = {}
    captured: set[str] = set()
    shared: set[str] = set()
    stack: list[ast.AST] = list(reversed(function.body))
    for statement in function.body:
        parents[statement] = function
    while stack:
        node = stack.pop()
        nodes.append(node)
        if isinstance(node, NESTED_SCOPES):
            captured.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            shared.update(node.names)
        _push_children(node, parents, stack.append)
    return Scope(function, nodes, parents, frozenset(captured), frozenset(shared))


def walk(root: ast.AST) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
    """Every node under ``root`` (nested scopes included) and their parents."""
    nodes: list[ast.AST] = []
    parents: dict[ast.AST, ast.AST] = {}
    stack: list[ast.AST] = [root]
    push = stack.append
    while stack:
        node = stack.pop()
        nodes.append(node)
        _push_children(node, parents, push)
    return nodes, parents


def _push_children(
    node: ast.AST, parents: dict[ast.AST, ast.AST], push: Callable[[ast.AST], None]
) -> None:
    """Record and push the children of ``node`` (``ast.iter_child_nodes``'s, contexts too),
    last first, so that they pop in source order: what ``stack.extend(reversed(
    list(ast.iter_child_nodes(node))))`` did, without a generator per node."""
    for name, kind in field_kinds(type(node), True):
        value = getattr(node, name, None)
        if kind == ONE:
            if value is not None:
                parents[value] = node
                push(value)
        elif kind == MANY:
            for item in reversed(value or ()):
                if item is not None:
                    parents[item] = node
                    push(item)
        elif isinstance(value, list):
            for item in reversed(value):
                if isinstance(item, ast.AST):
                    parents[item] = node
                    push(item)
        elif isinstance(value, ast.AST):
            parents[value] = node
            push(value)


def classify(
    node: ast.expr,
    parents: dict[ast.AST, ast.AST],
    ctx: FileContext,
    policy: UsePolicy,
) -> Use:
    """How the mention ``node`` (a name or ``self.attr`` load) uses the object.

    Tuples, lists, sets, ``*x``, ``a or b`` and ``a if c else b`` are looked
    through: what matters is where the value ends up. Anything not known to be
    harmless counts as handing the object on, so that the rules stay quiet
    when they cannot follow the object.
    """
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        if parent.attr in policy.close_attrs:
            return Use.CLOSE
        if parent.attr in _HANDING_ON_METHODS:
            return Use.ESCAPE
        return Use.NEUTRAL
    if isinstance(parent, ast.withitem) and parent.context_expr is node:
        return Use.CLOSE
    child: ast.AST = node
    while isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Starred, ast.BoolOp, ast.IfExp)):
        if isinstance(parent, ast.IfExp) and parent.test is child:
            return Use.NEUTRAL
        if isinstance(parent, (ast.Tuple, ast.List)) and isinstance(parent.ctx, ast.Store):
            return Use.NEUTRAL
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Call):
        if parent.func is child:
            return Use.NEUTRAL
        return _call_use(parent, ctx, policy)
    if isinstance(parent, (ast.If, ast.While, ast.Assert)) and parent.test is child:
        return Use.NEUTRAL
    if isinstance(parent, ast.Subscript) and parent.slice is child:
        # ``owners[sock] = name`` keeps it as a key; ``owners[sock]`` only looks it up.
        return Use.NEUTRAL if isinstance(parent.ctx, ast.Load) else Use.ESCAPE
    if isinstance(parent, (ast.Compare, ast.UnaryOp, ast.FormattedValue, ast.Expr, ast.Subscript)):
        return Use.NEUTRAL
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and child is not getattr(
        parent, "value", None
    ):
        return Use.NEUTRAL  # rebinding or resetting it (``self.sock = None``) keeps nothing
    return Use.ESCAPE


#: Decorators that make a generator a context manager: what it yields is lent to the
#: caller's ``with`` block, and the code after the ``yield`` runs when that block ends.
_CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})


def lent_for_the_block(node: ast.Name, parents: dict[ast.AST, ast.AST], ctx: FileContext) -> bool:
    """Whether the mention ``node`` is yielded by a generator-based context manager
    (``@contextmanager``) from inside a ``with`` block of its own that closes it
    (``with socket.socket() as s: ...; yield s``; ``with closing(s): yield s``): the
    caller holds it for its ``with`` block only, and it is closed when that block ends.
    :func:`classify` counts the ``yield`` as handing it on, as it may outlive the call."""
    current = parents.get(node)
    if not isinstance(current, ast.Yield) or current.value is not node:
        return False
    closing_with = False
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(current, NESTED_SCOPES):
            return False
        if isinstance(current, (ast.With, ast.AsyncWith)) and any(
            _with_closes(item, node.id, ctx) for item in current.items
        ):
            closing_with = True
        current = parents.get(current)
    if current is None or not closing_with:
        return False
    return any(
        (ctx.resolve(d.func if isinstance(d, ast.Call) else d) or "").rpartition(".")[2]
        in _CONTEXT_MANAGER_DECORATORS
        for d in current.decorator_list
    )


def _with_closes(item: ast.withitem, name: str, ctx: FileContext) -> bool:
    """``with <expr> as name``, ``with name``, ``with closing(name)``."""
    target, context = item.optional_vars, item.context_expr
    if isinstance(target, ast.Name) and target.id == name:
        return True
    if isinstance(context, ast.Name) and context.id == name:
        return True
    return (
        isinstance(context, ast.Call)
        and ctx.resolve(context.func) in _CLOSING_CALLS
        and any(isinstance(a, ast.Name) and a.id == name for a in context.args)
    )


def _call_use(call: ast.Call, ctx: FileContext, policy: UsePolicy) -> Use:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in policy.closing_methods:
            return Use.CLOSE
        if func.attr in policy.neutral_methods or func.attr in _NON_OWNING_METHODS:
            return Use.NEUTRAL
    name = ctx.resolve(func)
    if name in _CLOSING_CALLS:
        return Use.CLOSE
    if name in _NON_OWNING_CALLS or (name in _INSPECTING_BUILTINS and isinstance(func, ast.Name)):
        return Use.NEUTRAL
    return Use.ESCAPE


def self_name(function: Function) -> str | None:
    """The name of a method's instance parameter (``self``), if it has one."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in {"staticmethod", "classmethod"}:
            return None
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None


def module_of(node: ast.AST, ctx: FileContext) -> ast.Module | None:
    """The module ``node`` belongs to (the engine has linked its ancestors)."""
    root: ast.AST | None = None
    for ancestor in ctx.ancestors(node):
        root = ancestor
    return root if isinstance(root, ast.Module) else None


def top_level_classes(module: ast.Module) -> dict[str, ast.ClassDef]:
    """Classes defined at module level (also under ``if`` and ``try``), by name."""
    out: dict[str, ast.ClassDef] = {}
    stack: list[ast.stmt] = list(reversed(module.body))
    while stack:
        statement = stack.pop()
        if isinstance(statement, ast.ClassDef):
            out.setdefault(statement.name, statement)
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                for item in reversed(getattr(statement, block, [])):
                    if isinstance(item, ast.ExceptHandler):
                        stack.extend(reversed(item.body))
                    else:
                        stack.append(item)
    return out


def class_chain(
    klass: ast.ClassDef, classes: dict[str, ast.ClassDef], ctx: FileContext
) -> tuple[list[ast.ClassDef], bool]:
    """``klass`` and its base classes defined in the same file, nearest first.

    The flag is ``True`` when some base comes from another module and is not
    part of the standard library: that base may well release what ``klass``
    holds (legacy agents inherit a ``cleanup()`` that does).
    """
    chain: list[ast.ClassDef] = []
    foreign = False
    seen: set[int] = set()
    stack = [klass]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        chain.append(current)
        for written in reversed(current.bases):
            base = written.value if isinstance(written, ast.Subscript) else written  # Base[T]
            if isinstance(base, ast.Name) and base.id in classes:
                stack.append(classes[base.id])
            elif not _is_standard_base(base, ctx):
                foreign = True
    return chain, foreign


def _is_standard_base(base: ast.expr, ctx: FileContext) -> bool:
    dotted = ctx.dotted(base)
    if dotted is None:
        return False
    head = dotted.split(".", 1)[0]
    if head not in ctx.aliases:
        return "." not in dotted and dotted in _BUILTIN_NAMES  # object, Exception ...
    name = ctx.resolve(base) or ""
    return name.split(".", 1)[0] in sys.stdlib_module_names


class MethodWalk(Record):
    """Every node of one method (nested functions included), with its ``self`` name."""

    __slots__ = ("method", "nodes", "parents", "self_name")
    method: Function
    self_name: str
    nodes: list[ast.AST]
    parents: dict[ast.AST, ast.AST]

    def __init__(
        self,
        method: Function,
        self_name: str,
        nodes: list[ast.AST],
        parents: dict[ast.AST, ast.AST],
    ) -> None:
        self.method = method
        self.self_name = self_name
        self.nodes = nodes
        self.parents = parents


def walk_methods(classes: list[ast.ClassDef]) -> list[MethodWalk]:
    """The instance methods defined directly in the bodies of ``classes``."""
    out: list[MethodWalk] = []
    for klass in classes:
        for statement in klass.body:
            if not isinstance(statement, FUNCTIONS):
                continue
            name = self_name(statement)
            if name is None:
                continue
            nodes, parents = walk(statement)
            out.append(MethodWalk(statement, name, nodes, parents))
    return out


class SelfRef(Record):
    """One mention of ``self.<attr>`` (or ``getattr(self, "<attr>")``) in a method."""

    __slots__ = ("attr", "node", "parents")
    attr: str
    node: ast.expr
    parents: dict[ast.AST, ast.AST]

    def __init__(self, attr: str, node: ast.expr, parents: dict[ast.AST, ast.AST]) -> None:
        self.attr = attr
        self.node = node
        self.parents = parents


class ClassRefs(Record):
    """What a class chain does with its instance attributes."""

    __slots__ = ("dynamic", "refs", "self_passed", "wholesale")

    #: Mentions of each attribute by name: ``self.x``, ``getattr(self, "x")``, and
    #: ``getattr(self, name)`` where ``name`` runs over a literal list of names (in
    #: the method, in a class constant, or the literal arguments of the method's
    #: callers). A ``getattr`` result bound to a local name is mentioned by that
    #: name's loads (``sock = getattr(self, n); sock.close()``).
    refs: dict[str, list[SelfRef]]
    #: Mentions through ``getattr(self, name)`` whose names cannot be followed
    #: (``attr`` is empty): the rule judges what each does with the value; one
    #: that only joins or logs it releases nothing, one that closes it makes the
    #: class's release of its other attributes uncertain.
    dynamic: list[SelfRef]
    #: Methods that reach every attribute at once (``vars(self)``, ``self.__dict__``).
    wholesale: list[MethodWalk]
    #: Calls that receive the instance itself (``cleanup_agent(self)``).
    self_passed: list[ast.Call]

    def __init__(
        self,
        refs: dict[str, list[SelfRef]] | None = None,
        dynamic: list[SelfRef] | None = None,
        wholesale: list[MethodWalk] | None = None,
        self_passed: list[ast.Call] | None = None,
    ) -> None:
        self.refs = {} if refs is None else refs
        self.dynamic = [] if dynamic is None else dynamic
        self.wholesale = [] if wholesale is None else wholesale
        self.self_passed = [] if self_passed is None else self_passed


def class_refs(
    methods: list[MethodWalk], ctx: FileContext, chain: list[ast.ClassDef] | None = None
) -> ClassRefs:
    """Collect every ``self.<attr>`` mention of ``methods`` in one pass.

    ``chain`` (the classes whose methods these are) gives the class-level
    constants a loop over names may read (``for n in self.SOCKETS``).
    """
    out = ClassRefs()
    constants = _class_name_lists(chain or [])
    dynamic: list[tuple[ast.Call, MethodWalk]] = []
    for walk_ in methods:
        me = walk_.self_name
        for node in walk_.nodes:
            if isinstance(node, ast.Attribute):
                if isinstance(node.value, ast.Name) and node.value.id == me:
                    if node.attr == "__dict__" and walk_ not in out.wholesale:
                        out.wholesale.append(walk_)
                    out.refs.setdefault(node.attr, []).append(
                        SelfRef(node.attr, node, walk_.parents)
                    )
            elif isinstance(node, ast.Call):
                _self_call(node, walk_, out, ctx, dynamic)
    by_name = {walk_.method.name: walk_ for walk_ in methods}
    for call, walk_ in dynamic:
        names = _getattr_names(call.args[1], walk_, methods, by_name, constants)
        for mention in _value_mentions(call, walk_):
            if names is None:
                out.dynamic.append(SelfRef("", mention, walk_.parents))
            for name in names or ():
                out.refs.setdefault(name, []).append(SelfRef(name, mention, walk_.parents))
    return out


def _self_call(
    call: ast.Call,
    walk_: MethodWalk,
    out: ClassRefs,
    ctx: FileContext,
    dynamic: list[tuple[ast.Call, MethodWalk]],
) -> None:
    me = walk_.self_name
    args = [*call.args, *(kw.value for kw in call.keywords)]
    if not any(isinstance(a, ast.Name) and a.id == me for a in args):
        return
    func = ctx.resolve(call.func)
    if func == "vars":
        if walk_ not in out.wholesale:
            out.wholesale.append(walk_)
        return
    if func == "getattr":
        first = call.args[0] if call.args else None
        if len(call.args) > 1 and isinstance(first, ast.Name) and first.id == me:
            dynamic.append((call, walk_))
        return
    if func in _INSPECTING_BUILTINS or func == "super":
        return
    out.self_passed.append(call)


def _class_name_lists(chain: list[ast.ClassDef]) -> dict[str, tuple[str, ...]]:
    """Class-level constants holding a literal list of names (``SOCKETS = ("pub", "sub")``)."""
    out: dict[str, tuple[str, ...]] = {}
    for klass in reversed(chain):  # the nearest class's constant wins
        for statement in klass.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            names = _literal_names(value)
            if names is None:
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    out[target.id] = names
    return out


def _literal_names(node: ast.expr) -> tuple[str, ...] | None:
    """The strings of a literal list, tuple or set of strings."""
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None
    names: list[str] = []
    for item in node.elts:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return None
        names.append(item.value)
    return tuple(names)


def _getattr_names(
    arg: ast.expr,
    walk_: MethodWalk,
    methods: list[MethodWalk],
    by_name: dict[str, MethodWalk],
    constants: dict[str, tuple[str, ...]],
) -> tuple[str, ...] | None:
    """The attribute names ``getattr(self, arg)`` can reach; ``None``: they cannot be followed."""
    names = _names_in_method(arg, walk_, constants)
    if names is not None or not isinstance(arg, ast.Name):
        return names
    # A helper method taking the name as a parameter: the names its callers pass.
    function = walk_.method
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)][1:]
    keywords = {a.arg for a in (*function.args.args, *function.args.kwonlyargs)}
    if arg.id not in positional and arg.id not in keywords:
        return None
    if by_name.get(function.name) is not walk_:
        return None  # overridden or redefined: its callers cannot be told apart
    found: list[str] = []
    callers = 0
    for caller in methods:
        for node in caller.nodes:
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == function.name
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == caller.self_name
            ):
                continue
            callers += 1
            passed = [kw.value for kw in node.keywords if kw.arg == arg.id]
            if arg.id in positional and positional.index(arg.id) < len(node.args):
                passed.append(node.args[positional.index(arg.id)])
            if len(passed) != 1 or any(isinstance(a, ast.Starred) for a in node.args):
                return None
            names = _names_in_method(passed[0], caller, constants)
            if names is None:
                return None
            found.extend(names)
    # Without a caller in sight, the method may be called from anywhere.
    return tuple(dict.fromkeys(found)) if callers else None


def _names_in_method(
    arg: ast.expr, walk_: MethodWalk, constants: dict[str, tuple[str, ...]]
) -> tuple[str, ...] | None:
    """A literal name, or the variable of an enclosing loop over a literal list of names."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return (arg.value,)
    if not isinstance(arg, ast.Name):
        return None
    node: ast.AST | None = arg
    while node is not None and node is not walk_.method:
        parent = walk_.parents.get(node)
        loops: list[ast.For | ast.AsyncFor | ast.comprehension] = []
        if isinstance(parent, (ast.For, ast.AsyncFor)) and node is not parent.iter:
            loops = [parent]
        elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops = list(parent.generators)
        for loop in loops:
            if isinstance(loop.target, ast.Name) and loop.target.id == arg.id:
                return _iterated_names(loop.iter, constants)
        node = parent
    return None


def _iterated_names(
    source: ast.expr, constants: dict[str, tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The names a loop runs over: a literal list, or a class constant holding one."""
    names = _literal_names(source)
    if names is not None:
        return names
    if isinstance(source, ast.Attribute):
        return constants.get(source.attr)  # self.SOCKETS, type(self).SOCKETS, cls.SOCKETS
    if isinstance(source, ast.Name):
        return constants.get(source.id)
    return None


def _value_mentions(call: ast.Call, walk_: MethodWalk) -> list[ast.expr]:
    """Where the value of ``getattr(self, ...)`` is used.

    The call itself, or, when it is bound to a local name
    (``sock = getattr(self, name, None)``), every load of that name in the method.
    """
    parent = walk_.parents.get(call)
    target: ast.expr | None = None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and parent.value is call:
        target = parent.target
    if not isinstance(target, ast.Name):
        return [call]
    return [
        node
        for node in walk_.nodes
        if isinstance(node, ast.Name) and node.id == target.id and isinstance(node.ctx, ast.Load)
    ]


def closes_something(walk_: MethodWalk, policy: UsePolicy) -> bool:
    """Whether the method calls a closing method on anything (``v.close()``, ``removeHandler``)."""
    closing = policy.close_attrs | policy.closing_methods
    return any(isinstance(node, ast.Attribute) and node.attr in closing for node in walk_.nodes)


def call_name_mentions(call: ast.Call, ctx: FileContext, words: tuple[str, ...]) -> bool:
    """True when the called function's name contains one of ``words`` (case-insensitive)."""
    name = ctx.resolve(call.func) or ""
    last = name.rsplit(".", 1)[-1].lower()
    return any(word in last for word in words)


def decorator_mentions(node: ast.ClassDef | Function, words: tuple[str, ...]) -> bool:
    """True when a decorator's name contains one of ``words`` (case-insensitive)."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        while isinstance(target, ast.Attribute):
            if any(w in target.attr.lower() for w in words):
                return True
            target = target.value
        if isinstance(target, ast.Name) and any(w in target.id.lower() for w in words):
            return True
    return False


class Binding(FrozenRecord):
    """Where a value created by a call ends up when it is assigned."""

    __slots__ = ("attributes", "names")
    names: tuple[str, ...]
    attributes: tuple[ast.Attribute, ...]

    def __init__(self, names: tuple[str, ...], attributes: tuple[ast.Attribute, ...]) -> None:
        _set(self, "names", names)
        _set(self, "attributes", attributes)


def binding(call: ast.AST, parent: ast.AST | None) -> Binding | None:
    """The targets ``call`` is assigned to (``x = call``, ``self.x: T = call``, ``(x := call)``).

    ``None`` when ``call`` is not the whole value of an assignment, or when a
    target unpacks or subscripts (``a, b = ...``, ``d[k] = ...``).
    """
    targets: list[ast.expr]
    if isinstance(parent, ast.Assign) and parent.value is call:
        targets = parent.targets
    elif isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and parent.value is call:
        targets = [parent.target]
    else:
        return None
    names: list[str] = []
    attributes: list[ast.Attribute] = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Attribute):
            attributes.append(target)
        else:
            return None
    return Binding(tuple(names), tuple(attributes))


K = TypeVar("K")
V = TypeVar("V")


class FileMemo(Generic[K, V]):
    """Results memoised for the file being checked, forgotten when the next file starts.

    Rules are instantiated once per run; the engine hands each file its own
    :class:`FileContext`, so a new context means a new file.
    """

    def __init__(self) -> None:
        self._ctx: FileContext | None = None
        self._values: dict[K, V] = {}

    def get(self, ctx: FileContext, key: K, compute: Callable[[], V]) -> V:
        if ctx is not self._ctx:
            self._ctx = ctx
            self._values = {}
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]


def names_in(nodes: list[ast.AST]) -> Iterator[ast.Name]:
    """The ``Name`` loads among ``nodes``."""
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node


# --- project helpers (settled by the project index) -------------------------------------


class HelperCall(FrozenRecord):
    """A call that receives a resource and may be a function of the project.

    Whether it takes the resource over is for the project index to say, from
    the helper's own code (:func:`parameter_uses`).
    """

    __slots__ = ("callee", "keyword", "position")
    #: The called function's name through the imports (``common.log.attach``;
    #: a bare name for a function of the same file).
    callee: str
    #: The argument's position, or -1 when it is passed by keyword.
    position: int
    keyword: str

    def __init__(self, callee: str, position: int, keyword: str = "") -> None:
        _set(self, "callee", callee)
        _set(self, "position", position)
        _set(self, "keyword", keyword)

    def to_json(self) -> list[object]:
        return [self.callee, self.position, self.keyword]

    def parameter(self, function: Function) -> str | None:
        """The parameter of ``function`` this call's argument fills: the keyword's (not a
        positional-only one), or the one at its position; ``None`` when there is none."""
        args = function.args
        if self.keyword:
            names = {a.arg for a in (*args.args, *args.kwonlyargs)}
            return self.keyword if self.keyword in names else None
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        return positional[self.position] if 0 <= self.position < len(positional) else None

    @classmethod
    def from_json(cls, raw: object) -> HelperCall | None:
        if not (isinstance(raw, list) and len(raw) == 3):
            return None
        callee, position, keyword = raw
        if not (isinstance(callee, str) and type(position) is int and isinstance(keyword, str)):
            return None
        return cls(callee, position, keyword)


def helper_call(
    node: ast.expr, parents: dict[ast.AST, ast.AST], ctx: FileContext
) -> HelperCall | None:
    """The call ``node`` is passed to directly, when it may be a project function.

    Plain functions only (``helper(x)``, ``module.helper(x)`` through an
    import): a method of an object (``self.pool.add(x)``), a builtin, or an
    argument list with ``*args`` is not followed.
    """
    parent = parents.get(node)
    keyword = ""
    if isinstance(parent, ast.keyword):
        if parent.arg is None:
            return None
        keyword = parent.arg
        parent = parents.get(parent)
    if not isinstance(parent, ast.Call) or parent.func is node:
        return None
    if any(isinstance(a, ast.Starred) for a in parent.args):
        return None
    position = -1
    if not keyword:
        matches = [i for i, arg in enumerate(parent.args) if arg is node]
        if not matches:
            return None
        position = matches[0]
    dotted = ctx.dotted(parent.func)
    if dotted is None or dotted in _BUILTIN_NAMES:
        return None
    head = dotted.partition(".")[0]
    local = None if head in ctx.aliases else _scope_import(head, node, parents, ctx)
    if local is not None:  # imported further down the function: local to all of it
        callee = local + dotted[len(head) :]
    elif "." in dotted and head not in ctx.aliases:
        return None  # a method of some object
    else:
        callee = ctx.resolve(parent.func) or dotted
    if callee.partition(".")[0] in sys.stdlib_module_names:
        return None
    return HelperCall(callee, position, keyword)


def _scope_import(
    name: str, node: ast.AST, parents: dict[ast.AST, ast.AST], ctx: FileContext
) -> str | None:
    """What an import statement of the function around ``node`` binds ``name`` to. A
    name a function imports anywhere in its body is local to the whole body, so a use
    above the import (which the walk has not recorded yet) reads it too. ``None`` at
    module level, where an import binds from where it runs, and for a name the
    function imports twice, differently."""
    function: ast.AST | None = node
    while function is not None and not isinstance(function, NESTED_SCOPES):
        function = parents.get(function)
    if not isinstance(function, FUNCTIONS):
        return None
    key = f"scope-imports:{id(function)}"
    bound = ctx.memo.get(key)
    if not isinstance(bound, dict):
        bound = ctx.memo[key] = _function_imports(function, ctx)
    found = bound.get(name)
    return found if isinstance(found, str) else None


def _function_imports(function: Function, ctx: FileContext) -> dict[str, str | None]:
    """The names the import statements of ``function``'s own scope bind (``None``: two
    imports bind it differently)."""
    out: dict[str, str | None] = {}
    stack: list[ast.AST] = list(function.body)
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.Import, ast.ImportFrom)):
            for name, target in ctx.import_bindings(current).items():
                out[name] = target if out.get(name, target) == target else None
        elif not isinstance(current, NESTED_SCOPES):
            stack.extend(
                child
                for child in ast.iter_child_nodes(current)
                if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
            )
    return out


def parameter_uses(
    function: Function,
    call: HelperCall,
    ctx: FileContext,
    policy: UsePolicy,
    attach_methods: frozenset[str] = frozenset(),
) -> frozenset[str] | None:
    """What ``function`` does with the parameter ``call`` fills: ``Use`` values and ``"attach"``.

    ``"attach"`` is a pass to one of ``attach_methods`` (``logger.addHandler(h)``).
    ``None`` when the argument does not map to a named parameter.
    """
    param = call.parameter(function)
    if param is None:
        return None
    scope = function_scope(function)
    if param in scope.captured or param in scope.shared:
        return frozenset({Use.ESCAPE.value})
    uses: set[str] = set()
    for name in names_in(scope.nodes):
        if name.id != param:
            continue
        parent = scope.parents.get(name)
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in attach_methods
            and any(arg is name for arg in parent.args)
        ):
            uses.add("attach")
            continue
        uses.add(classify(name, scope.parents, ctx, policy).value)
    return frozenset(uses)


def top_level_function(module: ast.Module, name: str) -> Function | None:
    """The function ``name`` defined at module level (the first definition)."""
    for statement in module.body:
        if isinstance(statement, FUNCTIONS) and statement.name == name:
            return statement
    return None


def same_file_helper_uses(
    call: HelperCall,
    near: ast.AST,
    ctx: FileContext,
    policy: UsePolicy,
    attach_methods: frozenset[str] = frozenset(),
) -> frozenset[str] | None:
    """:func:`parameter_uses` of a module-level function of the file being checked.

    ``near`` is any node of the file; ``None`` when ``call.callee`` is not such
    a function (a class, a nested function, a name bound otherwise).
    """
    module = module_of(near, ctx)
    function = top_level_function(module, call.callee) if module is not None else None
    if function is None:
        return None
    return parameter_uses(function, call, ctx, policy, attach_methods)


# --- the project phase: bases and helpers in other files ----------------------------


class ClassFacts(Record):
    """What a class does with the resources its attributes hold, as DL501 and DL502 record it.

    Each rule's subclass adds the attributes it tracks; these are the facts both share.
    """

    __slots__ = ("damaged", "foreign", "handled", "releases_everything", "uncertain")
    #: A base from another module may release the attributes: never report them.
    foreign: bool
    #: The class releases everything it holds (``vars(self)``, handlers removed
    #: wholesale) or hands itself to a cleanup helper.
    releases_everything: bool
    #: A cleanup releases attributes through ``getattr(self, name)`` with names that
    #: cannot be followed: an attribute not released by name may be released there.
    uncertain: bool
    #: Attributes closed, removed or handed on somewhere in the class.
    handled: set[str]
    #: The file did not parse and recovery lost text in the class or a same-file base:
    #: what was lost may release any attribute (uncertainty is never a finding).
    damaged: bool

    def __init__(self, *, foreign: bool = False, damaged: bool = False) -> None:
        self.foreign = foreign
        self.releases_everything = False
        self.uncertain = False
        self.handled = set()
        self.damaged = damaged


class Verdicts(Record):
    """What one function's analysis decided for the resources it creates (DL501, DL502)."""

    __slots__ = ("deferred", "leaked")
    #: Creation call -> message.
    leaked: dict[ast.Call, str]
    #: Creation call -> the question for the rule's project-phase ``settle``.
    deferred: dict[ast.Call, list[object]]

    def __init__(self) -> None:
        self.leaked = {}
        self.deferred = {}


F = TypeVar("F")


class BaseFacts(Generic[F]):
    """Facts of base classes in other files, memoised while each file's tree lives."""

    def __init__(self, compute: Callable[[ast.ClassDef, FileContext], F]) -> None:
        self._compute = compute
        self._memo: dict[tuple[int, str], tuple[ast.Module, F | None]] = {}

    def get(self, parsed: tuple[ast.Module, FileContext], name: str) -> F | None:
        """The facts of class ``name`` at the top level of ``parsed``; ``None``: no such class."""
        tree, ctx = parsed
        key = (id(tree), name)
        memo = self._memo.get(key)
        if memo is None or memo[0] is not tree:
            if len(self._memo) > 256:  # a long editor session: keep the memo small
                self._memo.clear()
            klass = top_level_classes(tree).get(name)
            facts = self._compute(klass, ctx) if klass is not None else None
            memo = self._memo[key] = (tree, facts)
        return memo[1]


class Release(enum.Enum):
    """Whether a class releases one of its attributes."""

    #: Closed or handed on by name, or a base that cannot be read (it may).
    RELEASED = "released"
    #: Not by name, but a cleanup closes attributes whose names cannot be followed.
    UNCERTAIN = "uncertain"
    NOT_RELEASED = "not-released"


def bases_release(
    project: ProjectView,
    relpath: str,
    class_name: str,
    facts: BaseFacts[F],
    judge: Callable[[F], Release],
) -> Release:
    """Whether the base classes of ``class_name`` in other modules release what is asked.

    ``judge`` judges one base's facts. A base that cannot be followed (an
    installed package, a file that does not parse, a class not found) counts
    as releasing: a finding is kept only when every base was read. One base
    that releases the attribute by name settles it; otherwise one whose
    release cannot be followed makes the answer uncertain.
    """
    bases, complete = project.base_classes(relpath, class_name)
    if not complete:
        return Release.RELEASED
    verdict = Release.NOT_RELEASED
    for base_relpath, base_name in bases:
        if base_relpath == relpath:
            continue  # a base in the same file was read with the class itself
        parsed = project.parsed(base_relpath)
        found = facts.get(parsed, base_name) if parsed is not None else None
        judged = judge(found) if found is not None else Release.RELEASED
        if judged is Release.RELEASED:
            return judged
        if judged is Release.UNCERTAIN:
            verdict = judged
    return verdict


def project_helper_uses(
    relpath: str,
    raw_calls: list[object],
    project: ProjectView,
    policy: UsePolicy,
    attach_methods: frozenset[str] = frozenset(),
    *,
    constructors: bool = False,
) -> list[frozenset[str]] | None:
    """:func:`parameter_uses` of each project function a resource was handed to.

    ``raw_calls`` are :class:`HelperCall` JSON rows from the file ``relpath``;
    ``None`` when one of them is not a function of the project that can be read
    (it may take the resource over). With ``constructors``, a call of a project
    class is read as a call of its own ``__init__`` (:func:`constructed_class`).
    """
    out: list[frozenset[str]] = []
    for raw in raw_calls:
        found = helper_function(relpath, raw, project)
        if found is None and constructors:
            built = constructed_class(relpath, raw, project)
            found = None if built is None else (built[0], built[2], built[3], built[4])
        if found is None:
            return None
        call, function, _, ctx = found
        uses = parameter_uses(function, call, ctx, policy, attach_methods)
        if uses is None:
            return None
        out.append(uses)
    return out


def _called_definition(
    relpath: str,
    raw: object,
    locate: Callable[[str, str], tuple[str, str] | None],
    project: ProjectView,
) -> tuple[HelperCall, tuple[str, str], ast.Module, FileContext] | None:
    """The call (a :class:`HelperCall` JSON row from ``relpath``), where ``locate``
    (``project.function_of`` or ``project.class_of``) finds what it names, and that
    file parsed; ``None`` when the row is malformed or names nothing readable."""
    call = HelperCall.from_json(raw)
    located = locate(relpath, call.callee) if call is not None else None
    parsed = project.parsed(located[0]) if located is not None else None
    if call is None or located is None or parsed is None:
        return None
    return call, located, parsed[0], parsed[1]


def helper_function(
    relpath: str, raw: object, project: ProjectView
) -> tuple[HelperCall, Function, ast.Module, FileContext] | None:
    """The call (a :class:`HelperCall` JSON row from ``relpath``) and the module-level
    project function it names, with that function's file parsed; ``None`` when the row
    is malformed or the function is not one of the project that can be read."""
    found = _called_definition(relpath, raw, project.function_of, project)
    if found is None:
        return None
    call, located, tree, ctx = found
    function = top_level_function(tree, located[1])
    return None if function is None else (call, function, tree, ctx)


def constructed_class(
    relpath: str, raw: object, project: ProjectView
) -> tuple[HelperCall, tuple[str, str], Function, ast.Module, FileContext] | None:
    """The project class a call (a :class:`HelperCall` JSON row from ``relpath``) builds:
    the call with its positions counted past ``self``, the class's ``(relpath, name)``
    and its own ``__init__``, with that file parsed. ``None`` when the row names no
    project class that can be read, or the class defines no ``__init__`` of its own
    (an inherited one, a dataclass's, a base's outside the project is not followed)."""
    found = _called_definition(relpath, raw, project.class_of, project)
    if found is None:
        return None
    call, located, tree, ctx = found
    klass = top_level_classes(tree).get(located[1])
    body = klass.body if klass is not None else []
    inits = [s for s in body if isinstance(s, FUNCTIONS) and s.name == "__init__"]
    if not inits:
        return None
    position = call.position + 1 if call.position >= 0 else -1  # the first parameter is self
    return HelperCall(call.callee, position, call.keyword), located, inits[-1], tree, ctx


def refills(loop: ast.AST, name: str, ctx: FileContext, policy: UsePolicy) -> bool:
    """``for i, x in enumerate(name):`` whose body closes ``x`` and, as one of its own
    statements, puts another value in its place (``name[i] = port``), with no
    ``break`` or ``continue``: each object the list ``name`` held is closed and none
    is left in it when the loop ends."""
    if not (
        isinstance(loop, (ast.For, ast.AsyncFor))
        and not loop.orelse
        and isinstance(loop.target, ast.Tuple)
        and len(loop.target.elts) == 2
        and all(isinstance(elt, ast.Name) for elt in loop.target.elts)
        and isinstance(loop.iter, ast.Call)
        and isinstance(loop.iter.func, ast.Name)
        and loop.iter.func.id == "enumerate"
        and len(loop.iter.args) == 1
        and not loop.iter.keywords
        and isinstance(loop.iter.args[0], ast.Name)
        and loop.iter.args[0].id == name
    ):
        return False
    index, item = (elt.id for elt in loop.target.elts if isinstance(elt, ast.Name))
    nodes, parents = walk(loop)
    if any(isinstance(node, (ast.Break, ast.Continue)) for node in nodes):
        return False
    replaced = any(
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(target := stmt.targets[0], ast.Subscript)
        and isinstance(target.value, ast.Name)
        and target.value.id == name
        and isinstance(target.slice, ast.Name)
        and target.slice.id == index
        and not (isinstance(stmt.value, ast.Name) and stmt.value.id == item)
        for stmt in loop.body
    )
    closed = any(
        isinstance(node, ast.Name)
        and node.id == item
        and isinstance(node.ctx, ast.Load)
        and classify(node, parents, ctx, policy) is Use.CLOSE
        for node in nodes
    )
    return replaced and closed


def refilled_between(
    put: ast.AST,
    read: ast.Name,
    parents: dict[ast.AST, ast.AST],
    ctx: FileContext,
    policy: UsePolicy,
) -> bool:
    """The list ``read`` names was refilled (:func:`refills`) after ``put`` (the statement
    that added an object to it) and before ``read``, with nothing added between the
    refill and ``read`` in their block but other objects (``ports.append(spare)``): the
    list ``read`` sees holds none of the objects put in it before the refill."""
    child: ast.AST = read
    parent = parents.get(read)
    while parent is not None:
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if not isinstance(block, list) or child not in block:
                continue
            before = block[: block.index(child)]
            for position in range(len(before) - 1, -1, -1):
                stmt = before[position]
                if refills(stmt, read.id, ctx, policy):
                    return any(_contains(earlier, put) for earlier in before[:position])
                if _mentions(stmt, read.id) and not _adds(stmt, read.id):
                    return False  # anything else may put the objects back
        if isinstance(parent, NESTED_SCOPES):
            return False
        child, parent = parent, parents.get(parent)
    return False


#: Methods that put one more object in a list or set (``ports.append(spare)``).
ADDING_METHODS = frozenset({"append", "add", "insert"})


def _adds(stmt: ast.AST, name: str) -> bool:
    """``name.append(x)``: it adds ``x`` (judged where ``x`` is) and keeps what was there."""
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr in ADDING_METHODS
        and isinstance(stmt.value.func.value, ast.Name)
        and stmt.value.func.value.id == name
        and not stmt.value.keywords
        and not any(_mentions(arg, name) for arg in stmt.value.args)
    )


def _contains(root: ast.AST, node: ast.AST) -> bool:
    return any(found is node for found in ast.walk(root))


def _mentions(stmt: ast.AST, name: str) -> bool:
    """``stmt`` mentions ``name`` at all (it may add to the list: not followed)."""
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(stmt))
