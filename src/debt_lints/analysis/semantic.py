"""One semantic model per file: where a value comes from and where it goes.

Rules ask the model instead of following values themselves (STYLE.md, "Rules
judge; the model knows"). It is built lazily, once per file, the first time a
rule asks (:func:`model_of`), from the whole tree, and knows:

* **scopes and bindings**: the module, each function, lambda and class, and
  every name each binds, in program order (:class:`Def`);
* **reaching definitions**: for each use of a local name, the bindings that
  may reach it (straight-line code, ``if``/``else`` joined, loops run to a
  fixed point, ``break``/``continue``/``return``/``raise`` followed,
  ``try`` handlers entered from anywhere in the body), :meth:`SemanticModel.reaching`;
  a name of an enclosing function or of the module sees every binding there;
* **the values an expression can take** (:meth:`SemanticModel.texts`): string
  folding through f-strings, ``%``, ``.format``, ``+``, ``.join``,
  ``.replace`` and the case/strip methods; ``os.environ.get``/``os.getenv``,
  project ``*env*`` helpers and ``config.get(key, default)`` give their
  default (with the setting's name) *and* an unknown value; a parameter its
  default joined with the arguments of this file's own call sites; ``self.x``
  every assignment of ``x`` in the class; module constants; the element a
  name or an attribute receives from an unpacking (``host, port = "h", 80``,
  ``self.host, self.port = _address()`` where this file's ``_address``
  returns a tuple display, ``for host, port in [("h", 80)]``), an element of
  a value the model does not know being unknown;
* **the value with every setting at its default** (:meth:`SemanticModel.default_value`),
  for flags such as ``SECURE = os.getenv("SECURE", "0") == "1"``;
* **the use a value reaches** (:meth:`SemanticModel.uses`): a peer (connect
  target, URL requested, a client's host), a listen address, a display
  (print, logging, a message), a resolution (``getaddrinfo``), a comparison,
  data, or unknown, followed through names, ``self`` attributes, parameters
  (of this file's functions, and of its classes' ``__init__`` for the
  arguments of a ``Class(...)`` call), settings' defaults and unpackings
  (an item of a display goes to the element of the target at its place);
* **the command line and the tests on it** (:meth:`SemanticModel.from_command_line`,
  :meth:`SemanticModel.command_line_default`): ``sys.argv``, a parser's result, a
  command's parameters, and a literal that stands in only for an argument the
  command line leaves out; and the branches that run only over an in-process or
  local transport (:meth:`SemanticModel.in_process_only`).

Everything is approximate in one direction: a set of values may hold
:data:`HOLE` (something the model cannot know), and an unknown use is
reported as :data:`UNKNOWN`. Nothing here executes or imports the code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import product
from typing import NamedTuple

from debt_lints.analysis.context import FUNCTIONS, FileContext, ProjectView
from debt_lints.analysis.data_dirs import data_dir_attribute, is_data_dir_call, is_dirs_object
from debt_lints.analysis.declared_options import declared_option
from debt_lints.analysis.literals import (
    BELOW_ROOT,
    DEFAULT_ABSOLUTE_PATH_ROOTS,
    HOLE,
    ROOT,
    WINDOWS,
    PathRoots,
    is_loopback_host,
    last_name,
    name_words,
    template,
)
from debt_lints.analysis.nodes import MANY, ONE, forward_kinds, of_type, walk
from debt_lints.analysis.patterns import call_arg, env_accesses
from debt_lints.analysis.resources import (
    LOGGING_METHODS,
    HelperCall,
    helper_call,
    helper_function,
)
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.record import FrozenRecord

__all__ = [
    "COMPARE",
    "DATA",
    "DEFAULT_ATTRIBUTE",
    "DEFAULT_CONSTANT",
    "DEFAULT_PARAMETER",
    "DEFAULT_SETTING",
    "DISPLAY",
    "FROM_CALLER",
    "FROM_CWD",
    "FROM_DATA_DIR",
    "FROM_INPUT",
    "FROM_LAYOUT",
    "FROM_LITERAL",
    "FROM_LOCATION",
    "FROM_OTHER",
    "FROM_SYS_PATH",
    "HOLE",
    "LISTEN",
    "OPTION",
    "OWN_ADDRESS",
    "OWN_LISTENER",
    "PEER",
    "PLACEHOLDER",
    "RESOLVE",
    "SPAWN",
    "UNKNOWN",
    "UNKNOWN_VALUE",
    "Def",
    "SemanticModel",
    "Text",
    "model_for",
    "model_of",
    "module_model",
    "opens_tunnel",
]

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

#: Where a value is written as a default someone else may change
#: (:meth:`SemanticModel.default_kind`).
DEFAULT_PARAMETER = "parameter"
DEFAULT_SETTING = "setting"
DEFAULT_CONSTANT = "constant"
DEFAULT_ATTRIBUTE = "attribute"

#: What :meth:`SemanticModel.default_value` returns when the default cannot be told.
UNKNOWN_VALUE: object = type("_Unknown", (), {"__repr__": lambda self: "UNKNOWN_VALUE"})()

_MAX_DEPTH = 12
#: Methods of a mapping that leave it as it is.
_READ_ONLY_MAPPING = frozenset({"get", "keys", "values", "items", "copy"})
#: Paths are built in many small steps (``str(Path(p).resolve().parent)``): a longer chain.
_MAX_PATH_DEPTH = 40
_MAX_TEXTS = 24


class Text(FrozenRecord):
    """One value a string expression can take, unknown parts as :data:`HOLE`."""

    __slots__ = ("source", "text")
    text: str
    #: The setting (environment variable, configuration key, ``parameter x``) whose
    #: default this value is, or ``None`` when it is written in the code.
    source: str | None

    def __init__(self, text: str, source: str | None = None) -> None:
        object.__setattr__(self, "text", text)  # frozen: as @dataclass(frozen=True) sets it
        object.__setattr__(self, "source", source)

    @property
    def known(self) -> bool:
        return HOLE not in self.text


_UNKNOWN_TEXT = Text(HOLE)


class _Pick(NamedTuple):
    """One element of an unpacked value: the one at ``at`` (counted from the end when
    negative) for a target of ``names`` names besides a starred one, if any."""

    at: int
    names: int
    starred: bool


#: The way down from an unpacked value to the element a name receives: a
#: :class:`_Pick` per level of the target, ``None`` for each element of an
#: iterable in turn (a ``for`` loop's or a comprehension's target).
_Path = tuple[_Pick | None, ...]
_EACH = None


class Def:
    """One binding of a name: an assignment, a parameter, an import, a definition ..."""

    __slots__ = ("kind", "name", "node", "path", "scope", "value")

    def __init__(
        self,
        name: str,
        kind: str,
        node: ast.AST,
        value: ast.expr | None,
        scope: Scope,
        *,
        path: _Path = (),
    ) -> None:
        self.name = name
        #: ``assign`` (``value`` is what is assigned), ``element`` (the name gets the
        #: element of ``value`` that ``path`` picks: ``host, port = address()``,
        #: ``for host in HOSTS``), ``param`` (``value`` is the default or ``None``),
        #: ``import``, ``function``, ``class``, ``other``.
        self.kind = kind
        self.node = node
        self.value = value
        self.scope = scope
        self.path = path

    def __repr__(self) -> str:
        return f"Def({self.name!r}, {self.kind!r}, line {getattr(self.node, 'lineno', '?')})"


class Scope:
    """A module, function, lambda or class body and the names it binds."""

    __slots__ = ("defs", "globals", "kind", "node", "parent")

    def __init__(self, node: ast.AST, kind: str, parent: Scope | None) -> None:
        self.node = node
        self.kind = kind  # "module", "function", "class"
        self.parent = parent
        #: Name -> its bindings in program order.
        self.defs: dict[str, list[Def]] = {}
        #: Names declared ``global`` or ``nonlocal``: bound in another scope.
        self.globals: set[str] = set()

    def lookup_scope(self, name: str) -> Scope | None:
        """The scope a free name of this scope resolves in (classes are skipped)."""
        scope = self.parent
        if name in self.globals:
            while scope is not None and scope.parent is not None:
                scope = scope.parent
        while scope is not None:
            if scope.kind != "class" and name in scope.defs:
                return scope
            scope = scope.parent
        return None


_Env = dict[str, frozenset[Def]]
_NONE: frozenset[Def] = frozenset()

# --- building: scopes, bindings and reaching definitions ----------------------------------------


def _params(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    out = list(zip(positional, defaults, strict=True))
    out += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    out += [(a, None) for a in (args.vararg, args.kwarg) if a is not None]
    return out


def _join(a: _Env | None, b: _Env | None) -> _Env | None:
    """Both paths may reach: the union of each name's definitions (``None``: unreachable)."""
    if a is None:
        return None if b is None else dict(b)
    if b is None:
        return dict(a)
    out = dict(a)
    for name, defs in b.items():
        here = out.get(name)
        out[name] = defs if here is None else here | defs
    return out


def _unpacked(target: ast.Tuple | ast.List) -> Iterator[tuple[ast.expr, _Pick | None]]:
    """Each element of an unpacking target with the pick that gives its value; a
    starred element's name (``*rest``) with ``None``: it gets a list of what is left."""
    elts = target.elts
    star = next((i for i, e in enumerate(elts) if isinstance(e, ast.Starred)), None)
    count = len(elts) - (star is not None)
    for i, elt in enumerate(elts):
        if isinstance(elt, ast.Starred):
            yield elt.value, None
        elif star is None or i < star:
            yield elt, _Pick(i, count, star is not None)
        else:
            yield elt, _Pick(i - len(elts), count, True)


def _element_of(value: ast.AST, pick: _Pick) -> ast.expr | None:
    """The item of a tuple or list display that ``pick`` takes; ``None`` when the
    display cannot tell (another kind of value, a length the target does not fit, a
    starred item on the way to it)."""
    if not isinstance(value, (ast.Tuple, ast.List)):
        return None
    elts = value.elts
    index = pick.at
    upto = elts[: index + 1] if index >= 0 else elts[index:]
    if len(upto) != (index + 1 if index >= 0 else -index) or any(
        isinstance(e, ast.Starred) for e in upto
    ):
        return None
    if not any(isinstance(e, ast.Starred) for e in elts) and (
        len(elts) < pick.names or (not pick.starred and len(elts) != pick.names)
    ):
        return None  # the unpacking fails: nothing is bound
    return elts[index]


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


def _path_to(target: ast.expr, sub: ast.expr) -> _Path | None:
    """The picks that lead from an assigned value to ``sub``, ``target`` itself or an
    element of it (``self.host`` in ``self.host, self.port = ...``); ``None`` when
    ``sub`` is not there or is under a starred element (it gets a list)."""
    if target is sub:
        return ()
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt, pick in _unpacked(target):
            found = _path_to(elt, sub)
            if found is not None:
                return None if pick is None else (pick, *found)
    return None


def _literal_along(value: ast.expr, path: _Path) -> ast.expr | None:
    """The item of nested displays ``path`` leads to (``None``: not displays all the way)."""
    node: ast.expr | None = value
    for pick in path:
        if node is None or pick is None:
            return None
        node = _element_of(node, pick)
    return node


class _Builder:
    """Walks one scope's statements carrying the reaching definitions of each local."""

    def __init__(self, model: SemanticModel, scope: Scope) -> None:
        self.model = model
        self.scope = scope
        self.breaks: list[list[_Env]] = []
        self.continues: list[list[_Env]] = []

    # bindings
    def bind(
        self,
        env: _Env | None,
        name: str,
        kind: str,
        node: ast.AST,
        value: ast.expr | None,
        *,
        path: _Path = (),
    ) -> None:
        scope = self.scope
        if name in scope.globals:
            target = scope.lookup_scope(name) or self.model.module
            target.defs.setdefault(name, []).append(Def(name, kind, node, value, target, path=path))
            return
        key = (id(node), name)
        d = self.model._defs.get(key)
        if d is None:  # a loop body is walked more than once: one binding, one definition
            d = self.model._defs[key] = Def(name, kind, node, value, scope, path=path)
            scope.defs.setdefault(name, []).append(d)
        if env is not None:
            env[name] = frozenset((d,))

    def bind_target(
        self,
        env: _Env | None,
        target: ast.expr,
        value: ast.expr | None,
        node: ast.AST,
        *,
        path: _Path = (),
    ) -> None:
        """Bind the names of ``target`` to what they receive from ``value``, the element
        ``path`` picks of it (``value`` ``None``: nothing the model can follow)."""
        if isinstance(target, ast.Name):
            if value is None:
                self.bind(env, target.id, "other", node, None)
            elif path:
                self.bind(env, target.id, "element", node, value, path=path)
            else:
                self.bind(env, target.id, "assign", node, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt, pick in _unpacked(target):
                if pick is None or value is None:  # *rest is a list of what is left
                    self.bind_target(env, elt, None, node)
                    continue
                element = None if path else _element_of(value, pick)
                if element is not None:  # host, port = "localhost", 80: the literal itself
                    self.bind_target(env, elt, element, node)
                else:
                    self.bind_target(env, elt, value, node, path=(*path, pick))
        elif isinstance(target, ast.Starred):
            self.bind_target(env, target.value, None, node)
        else:  # an attribute or a subscript: its parts are read
            self.expr(env, target)

    # expressions: record the definitions reaching each name read
    def expr(self, env: _Env | None, node: ast.AST | None) -> None:
        if node is None:
            return
        stack = [node]
        model = self.model
        while stack:
            current = stack.pop()
            if isinstance(current, ast.Name):
                if isinstance(current.ctx, ast.Load):
                    # Whether the name is a local is known once the scope is built.
                    defs = env.get(current.id, _NONE) if env is not None else _NONE
                    before = model._reach.get(current)
                    if before is not None:
                        defs = defs | before[1]  # another round of a loop: more may reach
                    model._reach[current] = (self.scope, defs)
                continue
            if isinstance(current, ast.NamedExpr):
                self.expr(env, current.value)
                self.bind(env, current.target.id, "assign", current, current.value)
                continue
            if isinstance(current, ast.Lambda):
                stack.extend(d for d in [*current.args.defaults, *current.args.kw_defaults] if d)
                model._pending[current] = self.scope
                continue
            if isinstance(current, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                for gen in current.generators:
                    self.expr(env, gen.iter)
                    self.bind_target(env, gen.target, gen.iter, gen, path=(_EACH,))
                    for cond in gen.ifs:
                        self.expr(env, cond)
                if isinstance(current, ast.DictComp):
                    stack.extend((current.key, current.value))
                else:
                    stack.append(current.elt)
                continue
            stack.extend(ast.iter_child_nodes(current))

    # statements
    def block(self, env: _Env | None, body: list[ast.stmt]) -> _Env | None:
        for statement in body:
            env = self.stmt(env, statement)
        return env

    def stmt(self, env: _Env | None, node: ast.stmt) -> _Env | None:
        if env is None:
            env = {}  # dead code after return: still record its names, with nothing reaching
        if isinstance(node, ast.Assign):
            self.expr(env, node.value)
            for target in node.targets:
                self.bind_target(env, target, node.value, node)
        elif isinstance(node, ast.AnnAssign):
            self.expr(env, node.value)
            if node.value is not None:
                self.bind_target(env, node.target, node.value, node)
            elif not isinstance(node.target, ast.Name):
                self.expr(env, node.target)
        elif isinstance(node, ast.AugAssign):
            self.expr(env, node.value)
            if isinstance(node.target, ast.Name):
                self.bind(env, node.target.id, "other", node, None)
            else:
                self.expr(env, node.target)
        elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            for decorator in node.decorator_list:
                self.expr(env, decorator)
            if isinstance(node, ast.ClassDef):
                for base in [*node.bases, *node.keywords]:
                    self.expr(env, base)
            else:
                for default in [*node.args.defaults, *node.args.kw_defaults]:
                    self.expr(env, default)
            self.model._pending[node] = self.scope
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            self.bind(env, node.name, kind, node, None)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    self.bind(
                        env, alias.asname or alias.name.split(".", 1)[0], "import", node, None
                    )
        elif isinstance(node, ast.If):
            self.expr(env, node.test)
            return _join(self.block(dict(env), node.body), self.block(dict(env), node.orelse))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            return self.loop(env, node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(env, item.context_expr)
                if item.optional_vars is not None:
                    self.bind_target(env, item.optional_vars, None, node)
            return self.block(env, node.body)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            return self.try_(env, node)
        elif isinstance(node, ast.Match):
            self.expr(env, node.subject)
            out: _Env | None = None
            for case in node.cases:
                branch = dict(env)
                for sub in walk(case.pattern):
                    if isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
                        self.bind(branch, sub.name, "other", case, None)
                    elif isinstance(sub, ast.MatchMapping) and sub.rest:
                        self.bind(branch, sub.rest, "other", case, None)
                    elif isinstance(sub, ast.MatchValue):
                        self.expr(branch, sub.value)
                self.expr(branch, case.guard)
                out = _join(out, self.block(branch, case.body))
            return _join(out, env)
        elif isinstance(node, (ast.Return, ast.Raise)):
            for child in ast.iter_child_nodes(node):
                self.expr(env, child)
            return None
        elif isinstance(node, ast.Break):
            if self.breaks:
                self.breaks[-1].append(dict(env))
            return None
        elif isinstance(node, ast.Continue):
            if self.continues:
                self.continues[-1].append(dict(env))
            return None
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    env.pop(target.id, None)
                else:
                    self.expr(env, target)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.scope.globals.update(node.names)
        elif isinstance(node, ast.Pass):
            pass
        else:  # Expr, Assert, TypeAlias ...
            for child in ast.iter_child_nodes(node):
                self.expr(env, child)
        return env

    def loop(self, env: _Env, node: ast.For | ast.AsyncFor | ast.While) -> _Env | None:
        head: _Env | None = env
        end: _Env | None = None
        breaks: list[_Env] = []
        for _ in range(3):  # gen/kill is distributive: the second round is the fixed point
            assert head is not None
            self.breaks.append([])
            self.continues.append([])
            state = dict(head)
            if isinstance(node, ast.While):
                self.expr(state, node.test)
            else:
                self.expr(state, node.iter)
                self.bind_target(state, node.target, node.iter, node, path=(_EACH,))
            end = self.block(state, node.body)
            breaks = self.breaks.pop()
            for cont in self.continues.pop():
                end = _join(end, cont)
            grown = _join(head, end)
            if grown == head:
                break
            head = grown
        exit_state = self.block(dict(head or {}), node.orelse) if node.orelse else head
        for state in breaks:
            exit_state = _join(exit_state, state)
        return exit_state

    def try_(self, env: _Env, node: ast.Try | ast.TryStar) -> _Env | None:
        # A handler may start anywhere in the body: give it every definition the body makes.
        seen: _Env | None = dict(env)
        state: _Env | None = dict(env)
        for statement in node.body:
            state = self.stmt(state, statement)
            seen = _join(seen, state)
        out = self.block(state, node.orelse) if node.orelse else state
        for handler in node.handlers:
            branch = dict(seen or {})
            self.expr(branch, handler.type)
            if handler.name:
                self.bind(branch, handler.name, "other", handler, None)
            out = _join(out, self.block(branch, handler.body))
        if node.finalbody:
            final = self.block(_join(out, seen) or {}, node.finalbody)
            return None if out is None else final
        return out


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
#: Methods that read a file opened for reading.
_FILE_READS = frozenset({"read", "readline", "readlines"})
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
_CONTAINER = (ast.Tuple, ast.List, ast.Set)
#: The uses that end a whole endpoint's way (:meth:`SemanticModel.connects_to_itself`).
_ENDPOINT_ENDS = frozenset({LISTEN, PEER, OWN_LISTENER, DISPLAY, RESOLVE, COMPARE})
#: Classes that listen on the address they are given, by their qualified name.
_LISTENER_CLASSES = frozenset({"multiprocessing.connection.Listener"})
#: Reads of one endpoint followed at most.
_MAX_ENDPOINT_READS = 64
#: A port written in an endpoint's text: ``:5555``, or a template's hole after the colon.
_PORT_RE = lazy_pattern(r":(?:\d+|\{[^}]*\}|%[sd])(?:/|$)")


# --- where a path comes from (path_sources) ----------------------------------------------------
#: The caller chooses: a parameter.
FROM_CALLER = "caller"
#: The working directory: ``os.getcwd()``, ``""``, ``"."``.
FROM_CWD = "cwd"
#: The command line or a setting: ``sys.argv[1:]``, ``parse_args()``, ``os.environ``.
FROM_INPUT = "input"
#: The code's own location: ``__file__``, ``sys.argv[0]``.
FROM_LAYOUT = "layout"
#: A path written in the code: relative (``"../.."``, ``"lib"``, ``os.pardir``) or
#: into one machine's folders (``"/home/me/app"``, ``"/srv/app"``, ``"C:\\Users\\me"``).
FROM_LITERAL = "literal"
#: A tool's configuration or data location written in the code, one any machine
#: of its OS may have and that never holds a checkout of the code: a system
#: data or configuration folder (``"/usr/share/app"``, ``"/etc/app"``, a package
#: manager's prefix such as MacPorts' ``/opt/local``), a dot-folder or the
#: configuration folders of any user's home (``"~/.app"``, ``Path.home() / ".app"``,
#: ``"~/Library/Application Support/App"``), a place an environment variable
#: names (``"%AppData%\\app"``, ``"$XDG_DATA_HOME/app"``). A folder written into
#: the home folder (``"~/monorepo/lib"``) or another absolute folder
#: (``"/opt/app/lib"``, ``"C:\\Tools\\lib"``) is :data:`FROM_LITERAL`.
FROM_LOCATION = "location"
#: A folder the program asks the platform for its own data (appdirs' and platformdirs'
#: ``user_data_dir("app")``, ``site_data_dir``, ``PlatformDirs("app").user_config_dir``):
#: filled at run time, never a checkout of the code (:mod:`.data_dirs`).
FROM_DATA_DIR = "data dir"
#: ``sys.path`` itself: an entry taken from it, a copy of it.
FROM_SYS_PATH = "sys.path"
#: Another module's value or a call the model cannot follow.
FROM_OTHER = "other"
_NAMED_SOURCES = {
    "os.getcwd": FROM_CWD,
    "os.getcwdb": FROM_CWD,
    "pathlib.Path.cwd": FROM_CWD,
    "pathlib.Path.home": FROM_LOCATION,
    "os.curdir": FROM_CWD,
    "os.pardir": FROM_LITERAL,
    "sys.path": FROM_SYS_PATH,
    "sys.argv": FROM_INPUT,
}
#: The start of a written path that names a place of any user or machine: ``~``,
#: ``$VAR``, ``${VAR}``, ``%VAR%``.
_ANY_USER_RE = lazy_pattern(r"~|\$\{?[A-Za-z_]|%[A-Za-z_]\w*%")
#: The folders DL202 calls machine-specific by default (``/home``, ``/srv``, ``/mnt`` ...).
_MACHINE_ROOTS = PathRoots(DEFAULT_ABSOLUTE_PATH_ROOTS)


def _fixed_place(text: str) -> bool:
    """Whether a written path names a place any machine of its OS may have (see
    :data:`FROM_LOCATION`): not relative, and not below one machine's folders
    (``/home/me``, ``/srv/app``, ``C:\\Users\\me``); a vendor's folder below ``/opt``
    is a fixed place, as DL202 treats it when the code looks for it."""
    if _ANY_USER_RE.match(text):
        return True
    if not (text[:1] in ("/", "\\") or text[1:2] == ":"):
        return False
    kind = _MACHINE_ROOTS.classify(text)
    if kind in (ROOT, BELOW_ROOT):
        return text.startswith("/opt/")
    if kind == WINDOWS:
        return "/users/" not in text.lower().replace("\\", "/")
    return True


#: Environment variables that name a user's home: the folder below them decides.
_HOME_VARS = frozenset({"HOME", "USERPROFILE", "HOMEPATH"})
_ENV_PLACE_RE = lazy_pattern(r"\$\{?([A-Za-z_]\w*)\}?|%([A-Za-z_]\w*)%")
#: Configuration and data folders of a home: a dot-folder (``~/.tool``, ``~/.config``,
#: ``~/.local/share``), macOS' ``~/Library/Application Support`` and Windows' ``AppData``.
_HOME_CONFIG_RE = lazy_pattern(
    r"\.[^./]|Library/(Application Support|Preferences)/[^/]|AppData/[^/]"
)
#: A package manager's own prefix, which only packaged software fills: MacPorts,
#: Fink, Homebrew, Solaris' companion software, pkgsrc, Nix.
_PACKAGE_PREFIXES = ("/opt/local", "/sw", "/opt/homebrew", "/opt/sfw", "/usr/pkg", "/nix")
#: System configuration and data folders of a tool: ``share`` and ``etc`` below
#: ``/``, ``/usr``, ``/usr/local`` or a vendor's ``/opt/<vendor>``, macOS'
#: ``/Library/Application Support``, Windows' ``ProgramData``, and anything in a
#: package manager's own prefix.
_SYSTEM_CONFIG_RE = lazy_pattern(
    r"(/usr|/usr/local|/opt/[^/]+)?/(share|etc)/[^/]"
    r"|/Library/(Application Support|Preferences)/[^/]"
    rf"|({'|'.join(map(re.escape, _PACKAGE_PREFIXES))})/[^/]"
    r"|[A-Za-z]:/ProgramData/[^/]",
    re.IGNORECASE,
)


def _tool_place(text: str) -> bool:
    """Whether a written path (``/`` or ``\\`` separated, unknown parts
    :data:`HOLE`) is a tool's configuration or data location (see
    :data:`FROM_LOCATION`): what the home folder or a system prefix holds is
    judged by the folder below it, which must be known."""
    text = text.replace("\\", "/")
    env = _ENV_PLACE_RE.match(text)
    if env is not None:
        name = (env.group(1) or env.group(2)).upper()
        if name not in _HOME_VARS:
            return True  # %AppData%, $XDG_CONFIG_HOME, a variable the user sets
        rest = text[env.end() :]
    elif text.startswith("~"):
        rest = text[1:]
        if not rest.startswith("/"):
            rest = rest.partition("/")[2]  # ~user/...
    else:
        return _SYSTEM_CONFIG_RE.match(text) is not None
    return _HOME_CONFIG_RE.match(rest.lstrip("/")) is not None


#: Calls that give the path of their only argument (or its receiver), unchanged as a place.
_SAME_PLACE = frozenset(
    {
        "str",
        "os.fspath",
        "os.fsdecode",
        *(
            f"{m}.{n}"
            for m in ("os.path", "posixpath", "ntpath")
            for n in ("expanduser", "expandvars", "abspath", "normpath", "realpath")
        ),
    }
)
_SAME_PLACE_METHODS = frozenset({"expanduser", "resolve", "absolute", "as_posix"})
_PATH_CLASSES = frozenset(
    {f"pathlib.{c}" for c in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath")}
)


def _join_place(base: str, part: str) -> str:
    if part[:1] in ("/", "\\", "~") or part[1:2] == ":":
        return part  # os.path.join("a", "/b") is "/b"
    if not base:
        return part
    return base.rstrip("/\\") + "/" + part


#: Builtins and library calls that build a path (or a list of paths) from their arguments.
_PATH_BUILDERS = frozenset(
    {
        "str",
        "list",
        "tuple",
        "sorted",
        "reversed",
        "filter",
        "os.fspath",
        "os.fsdecode",
        "copy.copy",
        "copy.deepcopy",
    }
)
#: Calls that test whether a path exists or glob for it.
_PROBES = frozenset(
    {
        *(f"os.path.{n}" for n in ("exists", "lexists", "isdir", "isfile", "islink", "ismount")),
        "os.access",
        "glob.glob",
        "glob.iglob",
        "shutil.which",
    }
)
_GLOBS = frozenset({"glob.glob", "glob.iglob"})
#: Calls that read a path's syntax only: the path is a sample, not a location.
_SYNTAX_PROBES = frozenset({"os.path.splitdrive", "os.path.isabs", "os.path.splitroot"})
_PATH_PROBE_METHODS = frozenset({"exists", "is_dir", "is_file", "glob", "rglob", "iterdir"})
#: Calls that list a folder: looking for what is there, when absence is handled.
_LISTS = frozenset({"os.listdir", "os.scandir", "os.walk", "open", "io.open", "builtins.open"})
#: Calls that create a path: the code assumes where it goes.
_CREATES = frozenset({"os.makedirs", "os.mkdir"})
_PROBED = "probed"
#: Calls that pass a probe's answer on (``bool(...)``, ``any(...)``).
_KEEP_ANSWERS = frozenset({"bool", "sorted", "list", "any", "all"})
#: Comprehensions whose element is the value they hold.
_ELEMENT_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp)
_CREATED = "created"
_OSERRORS = frozenset(
    {
        "OSError",
        "IOError",
        "EnvironmentError",
        "FileNotFoundError",
        "NotADirectoryError",
        "PermissionError",
    }
)


def _imported(node: ast.AST, ctx: FileContext) -> bool:
    """Whether a chain of attributes starts at an imported name (a module's value)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in ctx.aliases


def _searches_folders(node: ast.AST) -> bool:
    """A glob pattern with a wildcard in a folder (``C:\\mingw-w64\\*\\bin``,
    ``/opt/intel_cc_*/bin``): it looks for where something is installed,
    where a wildcard in the last part only lists one known folder."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        node = node.left
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    folders = node.value.replace("\\", "/").rpartition("/")[0]
    return any(c in folders for c in "*?[")


def _climbs(node: ast.AST) -> bool:
    """A joined part that leaves the base: ``".."``, ``"../lib"``, ``os.pardir``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ".." in node.value.replace("\\", "/").split("/")
    return isinstance(node, ast.Attribute) and node.attr == "pardir"


def _handles_oserror(node: ast.AST, model: SemanticModel) -> bool:
    """Whether ``node`` is in the body of a ``try`` that handles ``OSError`` (or a subclass)."""
    child: ast.AST = node
    for ancestor in model._ancestors(node):
        if isinstance(ancestor, (ast.Try, ast.TryStar)) and child in ancestor.body:
            for handler in ancestor.handlers:
                kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(last_name(k) in _OSERRORS for k in kinds if k is not None):
                    return True
        if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            return False
        child = ancestor
    return False


_LISTEN_KEYWORDS = frozenset({"host", "address", "bind", "bind_address", "listen", "interface"})
_STR_METHODS = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip"})
_CONVERTERS: dict[str, Callable[[object], object]] = {
    "int": int,  # type: ignore[dict-item]  # applied to folded constants; errors are caught
    "bool": bool,
    "str": str,
    "float": float,  # type: ignore[dict-item]  # applied to folded constants; errors are caught
}
_PERCENT_RE = lazy_pattern(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[sdirfxXg]|%%")
_BRACE_RE = lazy_pattern(r"\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


class SemanticModel:
    """Scopes, bindings, reaching definitions, values and uses of one module."""

    def __init__(self, tree: ast.Module, ctx: FileContext) -> None:
        self.ctx = ctx
        self.tree = tree
        #: Name read -> (its scope, the definitions of that scope that may reach it).
        self._reach: dict[ast.Name, tuple[Scope, frozenset[Def]]] = {}
        #: Functions, lambdas and classes not analysed yet: a scope is built when asked.
        self._pending: dict[ast.AST, Scope] = {}
        self._defs: dict[tuple[int, str], Def] = {}
        self.scopes: dict[ast.AST, Scope] = {}
        #: The walk's parent map (``ctx.parents``), completed here for the part of the
        #: tree the walk has not reached yet: the same parents, one map per file.
        self.parents: dict[ast.AST, ast.AST] = ctx.parents
        calls: dict[str, list[ast.Call]] = {}
        parents = self.parents
        stack: list[ast.AST] = [tree]
        push = stack.append
        # The fields that hold nodes are read in their order and pushed, so calls are
        # indexed in the order ``ast.iter_child_nodes`` gave them (call_sites' order).
        while stack:
            parent = stack.pop()
            for name, kind in forward_kinds(type(parent)):
                value = getattr(parent, name, None)
                if kind == ONE:
                    if value is not None:
                        parents[value] = parent
                        push(value)
                elif kind == MANY:
                    for item in value or ():
                        if item is not None:
                            parents[item] = parent
                            push(item)
                elif type(value) is list:
                    for item in value:
                        if isinstance(item, ast.AST):
                            parents[item] = parent
                            push(item)
                elif isinstance(value, ast.AST):
                    parents[value] = parent
                    push(value)
            if type(parent) is ast.Call:
                callee = parent.func
                if isinstance(callee, ast.Attribute):
                    calls.setdefault(callee.attr, []).append(parent)
                elif isinstance(callee, ast.Name):
                    calls.setdefault(callee.id, []).append(parent)
        self._calls = calls
        self.module = self._scope(tree, "module", None)
        _Builder(self, self.module).block({}, tree.body)
        self._def_uses: dict[Def, list[ast.Name]] = {}
        self._attrs: dict[tuple[ast.ClassDef, str], list[ast.AST]] = {}
        self._memo: dict[tuple[int, str], object] = {}
        #: While :meth:`uses_through_helpers` runs: the calls of other modules' functions
        #: the value was handed to, instead of :data:`UNKNOWN`.
        self._helpers: list[HelperCall] | None = None
        self._helper_calls: list[ast.Call] = []
        #: The functions a value entered through a parameter, innermost last, with the call
        #: it came in by (``None``: a caller in another file, :meth:`parameter_uses`).
        self._entered: list[tuple[ast.AST, ast.Call | None]] = []
        #: The calls of this file's functions whose result :meth:`texts` is reading,
        #: innermost last: their parameters take these calls' arguments.
        self._text_calls: list[tuple[ast.FunctionDef, ast.Call]] = []

    def close(self) -> None:
        """Forget the scopes and bindings (the file is done, :meth:`FileContext.close`).

        A binding knows its scope and a scope its bindings: a cycle that holds
        the tree, which the cyclic collector alone would free. Cut, the model
        and the tree are freed by reference counting as soon as the file ends.
        """
        for scope in self.scopes.values():
            scope.defs.clear()
        self.scopes.clear()
        self._pending.clear()
        self._defs.clear()
        self._reach.clear()
        self._def_uses.clear()
        self._attrs.clear()
        self._memo.clear()

    def _scope(self, node: ast.AST, kind: str, parent: Scope | None) -> Scope:
        scope = Scope(node, kind, parent)
        self.scopes[node] = scope
        return scope

    def _build(self, node: ast.AST, outer: Scope) -> None:
        if isinstance(node, ast.ClassDef):
            scope = self._scope(node, "class", outer)
            _Builder(self, scope).block({}, node.body)
            return
        assert isinstance(node, (*FUNCTIONS, ast.Lambda))
        params = _params(node.args)
        scope = self._scope(node, "function", outer)
        builder = _Builder(self, scope)
        env: _Env = {}
        for param, default in params:
            builder.bind(env, param.arg, "param", param, default)
        if isinstance(node, ast.Lambda):
            builder.expr(env, node.body)
        else:
            builder.block(env, node.body)

    # --- names ---------------------------------------------------------------------------------

    def scope_of(self, node: ast.AST) -> Scope:
        """The innermost scope around ``node`` (a scope's own node is inside its parent)."""
        chain: list[ast.AST] = []
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, (*FUNCTIONS, ast.ClassDef, ast.Lambda)) and not (
                not isinstance(current, ast.Lambda) and node in current.decorator_list
            ):
                chain.append(current)
            current = self.parents.get(current)
        scope = self.module
        for owner in reversed(chain):
            scope = self.scope_for(owner) or scope
        return scope

    def scope_for(self, node: ast.AST) -> Scope | None:
        """The scope of a function, lambda or class (analysed now if it was not yet)."""
        found = self.scopes.get(node)
        if found is None:
            outer = self._pending.pop(node, None)
            if outer is None:
                outer_node = self.scope_of(node).node
                outer = self.scopes.get(outer_node)
                found = self.scopes.get(node)
                if found is not None or outer is None:
                    return found
                outer = self._pending.pop(node, None)
                if outer is None:
                    return None
            self._build(node, outer)
            found = self.scopes.get(node)
        return found

    def reaching(self, name: ast.Name) -> tuple[Def, ...]:
        """The bindings that may give ``name`` (a read) its value, in program order.

        A local sees those its flow allows; a free name every binding of the
        function or module it resolves in; a builtin or unknown name none.
        """
        found = self._reach.get(name)
        if found is None:
            self.scope_of(name)  # analyse the scope the name is read in
            found = self._reach.get(name)
            if found is None:
                return ()
        scope, defs = found
        if name.id in scope.defs and name.id not in scope.globals:
            return tuple(sorted(defs, key=_position))
        owner = scope.lookup_scope(name.id)
        if owner is None:
            return ()
        return tuple(owner.defs.get(name.id, ()))

    def def_uses(self, d: Def) -> list[ast.Name]:
        """The reads ``d`` may reach (in its scope and the scopes nested in it)."""
        found = self._def_uses.get(d)
        if found is None:
            found = [
                node
                for node in walk(d.scope.node)
                if isinstance(node, ast.Name)
                and node.id == d.name
                and isinstance(node.ctx, ast.Load)
                and d in self.reaching(node)
            ]
            self._def_uses[d] = found
        return found

    # --- imports and the deprecation tests that use them (DL101) -----------------------------

    def import_uses(self, statement: ast.Import | ast.ImportFrom) -> list[ast.Name]:
        """The reads the names an import statement binds may reach (``[]`` for a star)."""
        self.scope_of(statement)  # analyse the scope the statement binds in
        out: list[ast.Name] = []
        for alias in statement.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name.split(".", 1)[0]
            d = self._defs.get((id(statement), name))
            if d is not None:
                out.extend(self.def_uses(d))
        return out

    def expects_deprecation(self, node: ast.AST) -> bool:
        """Whether ``node`` runs where a test expects a deprecation warning: in the body of
        ``with pytest.deprecated_call()``, ``with pytest.warns(DeprecationWarning)`` or
        ``with self.assertWarns(DeprecationWarning)``, or in a function that checks the
        warnings it raised by a call (``self.flushWarnings(...)``, trial's way,
        ``self.assertWarns(DeprecationWarning, f)``, ``pytest.deprecated_call(f)``).
        Silencing warnings (``warnings.catch_warnings()``) is not a check."""
        child: ast.AST = node
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, (ast.With, ast.AsyncWith))
                and child in ancestor.body
                and any(self._checks_deprecation(item.context_expr) for item in ancestor.items)
            ):
                return True
            if isinstance(ancestor, FUNCTIONS):
                return self._function_checks_deprecation(ancestor)
            if isinstance(ancestor, (ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def _function_checks_deprecation(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> bool:
        key = (id(function), "checks-deprecation")
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = any(
                isinstance(sub, ast.Call)
                and self._checks_deprecation(sub)
                and not self._is_with_item(sub)
                and self.scope_of(sub).node is function
                for sub in walk(function)
            )
        return found is True

    def _is_with_item(self, call: ast.Call) -> bool:
        return isinstance(self.parents.get(call), ast.withitem)

    def _checks_deprecation(self, node: ast.expr) -> bool:
        """A call that checks a deprecation warning was raised (see :meth:`expects_deprecation`)."""
        if not isinstance(node, ast.Call):
            return False
        last = last_name(node.func)
        if last in _WARNING_FLUSHES:
            return True
        if last in _WARNING_ASSERTS:
            category = node.args[0] if node.args else call_arg(node, 0, "expected_warning")
            return category is not None and _names_deprecation(category)
        return False

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

    def _class_of(self, node: ast.AST) -> ast.ClassDef | None:
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, ast.ClassDef):
                return current
            current = self.parents.get(current)
        return None

    def call_sites(self, name: str) -> list[ast.Call]:
        """Calls in this file whose callee's last name is ``name``."""
        return self._calls.get(name, [])

    def attribute_values(self, cls: ast.ClassDef, attr: str) -> list[ast.AST]:
        """Every value the class assigns to ``attr``: ``self.attr = v`` in a method,
        ``attr = v`` in its body, the item of a display ``self.attr, self.b = v, w``
        gives it (an expression; a statement when not followable)."""
        key = (cls, attr)
        cached = self._attrs.get(key)
        if cached is not None:
            return cached
        out: list[ast.AST] = []
        for statement in cls.body:
            if (
                isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == attr for t in statement.targets)
            ) or (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == attr
                and statement.value is not None
            ):
                out.append(statement.value or statement)
        for method in cls.body:
            if not isinstance(method, FUNCTIONS) or not method.args.args:
                continue
            me = method.args.args[0].arg
            for node in walk(method):
                targets: list[ast.expr] = []
                value: ast.expr | None = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    targets, value = [node.target], node.value
                elif isinstance(node, (ast.AugAssign, ast.For, ast.With, ast.AsyncFor)):
                    targets = [node.target] if not isinstance(node, ast.With) else []
                for target in targets:
                    for sub in walk(target):
                        if (
                            isinstance(sub, ast.Attribute)
                            and sub.attr == attr
                            and isinstance(sub.value, ast.Name)
                            and sub.value.id == me
                            and isinstance(sub.ctx, ast.Store)
                        ):
                            if sub is target and value is not None:
                                out.append(value)
                                continue
                            # self.host, self.port = "0.0.0.0", 80: the literal it receives
                            path = _path_to(target, sub) if value is not None else None
                            element = (
                                _literal_along(value, path)
                                if value is not None and path is not None
                                else None
                            )
                            out.append(element if element is not None else node)
        self._attrs[key] = out
        return out

    def self_attributes_of(self, name: ast.Name) -> frozenset[str]:
        """The attributes of the method's ``self`` that hold the very object the local
        ``name`` (a read) holds: every binding that reaches the read also stores its
        value in ``self.<attr>``, in the same statement (``self.ctx = ctx = Context()``)
        or by assigning the name itself (``ctx = Context(); self.ctx = ctx``), or takes
        it from there (``ctx = self.ctx``). A later rebinding of the attribute is not
        seen."""
        defs = self.reaching(name)
        if not defs:
            return frozenset()
        common: set[str] | None = None
        for d in defs:
            if d.kind != "assign" or not isinstance(d.node, ast.Assign):
                return frozenset()
            found = {
                target.attr
                for target in [*d.node.targets, d.node.value]
                if isinstance(target, ast.Attribute) and self._self_class(target) is not None
            }
            for use in self.def_uses(d):
                parent = self.parents.get(use)
                if isinstance(parent, ast.Assign) and parent.value is use:
                    found.update(
                        target.attr
                        for target in parent.targets
                        if isinstance(target, ast.Attribute)
                        and self._self_class(target) is not None
                    )
            common = found if common is None else common & found
        return frozenset(common or ())

    def _self_class(self, node: ast.Attribute) -> ast.ClassDef | None:
        """The class of ``self`` in ``self.x``: the first parameter of a method."""
        if not isinstance(node.value, ast.Name):
            return None
        scope = self.scope_of(node)
        function = scope.node
        if not isinstance(function, FUNCTIONS) or not function.args.args:
            return None
        if function.args.args[0].arg != node.value.id or scope.parent is None:
            return None
        owner = scope.parent.node
        return owner if isinstance(owner, ast.ClassDef) else None

    # --- values ---------------------------------------------------------------------------------

    def texts(self, node: ast.expr) -> tuple[Text, ...]:
        """Every text the string expression ``node`` can take (unknown parts :data:`HOLE`)."""
        return tuple(self._texts(node, 0, frozenset()))

    def _texts(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[Text]:
        if depth > _MAX_DEPTH or id(node) in seen:
            return [_UNKNOWN_TEXT]
        if self._text_calls:  # inside a call: the parameters have this call's values
            return _dedupe(self._texts_of(node, depth + 1, seen | {id(node)}))
        key = (id(node), "texts")
        cached = self._memo.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]  # only lists of Text are stored
        out = _dedupe(self._texts_of(node, depth + 1, seen | {id(node)}))
        self._memo[key] = out
        return out

    def _texts_of(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[Text]:
        if isinstance(node, ast.Constant):
            constant = node.value
            if isinstance(constant, str):
                return [Text(constant)]
            if isinstance(constant, (int, float)) and not isinstance(constant, bool):
                return [Text(str(constant))]
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.JoinedStr):
            pieces: list[list[Text]] = []
            for piece in node.values:
                if isinstance(piece, ast.Constant):
                    pieces.append([Text(str(piece.value))])
                elif isinstance(piece, ast.FormattedValue) and piece.format_spec is None:
                    pieces.append(self._texts(piece.value, depth, seen))
                else:
                    pieces.append([_UNKNOWN_TEXT])
            return _concat(pieces)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                return _concat(
                    [self._texts(node.left, depth, seen), self._texts(node.right, depth, seen)]
                )
            if isinstance(node.op, ast.Mod):
                return self._percent(node, depth, seen)
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.IfExp):
            return self._texts(node.body, depth, seen) + self._texts(node.orelse, depth, seen)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return self._or(node, depth, seen)
        if isinstance(node, ast.Name):
            return self._name_texts(node, depth, seen)
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                return self._attr_texts(cls, node.attr, depth, seen)
            option = self._declared_option(node)
            if option is not None:  # tornado's options.address: the user's, or the default
                name, default = option
                defaults = self._texts(default, depth, seen) if default is not None else []
                return [_UNKNOWN_TEXT, *(Text(t.text, name) for t in defaults)]
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.Call):
            return self._call_texts(node, depth, seen)
        return [_UNKNOWN_TEXT]

    def _declared_option(self, node: ast.Attribute) -> tuple[str, ast.expr | None] | None:
        """A setting declared in an option registry and read by attribute, when the
        namespace's name is the imported one (:mod:`.declared_options`)."""
        owner = node.value
        if not isinstance(owner, ast.Name) or owner.id not in self.ctx.aliases:
            return None
        defs = self.reaching(owner)
        if any(d.kind != "import" for d in defs):
            return None  # a parameter or a local named like the namespace
        return declared_option(node, self.ctx)

    def _name_texts(self, node: ast.Name, depth: int, seen: frozenset[int]) -> list[Text]:
        defs = self.reaching(node)
        if not defs:
            return [_UNKNOWN_TEXT]
        out: list[Text] = []
        for d in defs:
            out.extend(self._def_texts(d, depth, seen))
        return out

    def _def_texts(self, d: Def, depth: int, seen: frozenset[int]) -> list[Text]:
        if d.kind == "assign" and d.value is not None:
            return self._texts(d.value, depth, seen)
        if d.kind == "param":
            return self._param_texts(d, depth, seen)
        if d.kind == "element" and d.value is not None:
            elements, known = self._elements(d.value, d.path)
            return self._elements_texts(elements, known, depth, seen)
        return [_UNKNOWN_TEXT]

    def _elements_texts(
        self, elements: list[ast.expr], known: bool, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        out = [] if known else [_UNKNOWN_TEXT]
        for element in elements:
            out += self._texts(element, depth, seen)
        return out or [_UNKNOWN_TEXT]

    def _param_texts(self, d: Def, depth: int, seen: frozenset[int]) -> list[Text]:
        """A parameter: its default (what callers rely on), the arguments of this
        file's own calls, and whatever other callers pass; inside a call whose result is
        read (:meth:`_result_texts`), that call's argument."""
        if self._text_calls and self._text_calls[-1][0] is d.scope.node:
            function, call = self._text_calls[-1]
            argument = _argument_for(call, function, d.name, self._bound(function, call))
            if argument is None:
                return [_UNKNOWN_TEXT]  # *args, **kwargs: not known
            if argument is _OMITTED:
                return self._texts(d.value, depth, seen) if d.value is not None else []
            return self._texts(argument, depth, seen)
        out = [_UNKNOWN_TEXT]
        if d.value is not None:
            out += [
                Text(t.text, t.source or f"parameter {d.name}")
                for t in self._texts(d.value, depth, seen)
            ]
        for argument in self._arguments(d):
            out += self._texts(argument, depth, seen)
        return out

    def _result_texts(self, call: ast.Call, depth: int, seen: frozenset[int]) -> list[Text] | None:
        """What a function of this file returns for ``call`` (``endpoint("*", 5555)``
        where ``endpoint`` returns ``"tcp://%s:%d" % (host, port)``): its returned
        values, its parameters taking this call's arguments. ``None`` for another
        callable, a generator, a coroutine, or a function already being read (recursion)."""
        function = self.function_of(call)
        if (
            not isinstance(function, ast.FunctionDef)
            or len(self._text_calls) >= _MAX_CALL_CONTEXTS
            or any(entered is function for entered, _ in self._text_calls)
        ):
            return None
        returned = self._returned(function)
        if not returned or _generates(function):
            return None
        self._text_calls.append((function, call))
        try:
            return [t for value in returned for t in self._texts(value, depth, seen)]
        finally:
            self._text_calls.pop()

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
        params = [*function.args.posonlyargs, *function.args.args]
        owner = d.scope.parent.node if d.scope.parent is not None else None
        method = isinstance(owner, ast.ClassDef)
        if params and self._takes_receiver(function):
            params = params[1:]
        callees = [function.name]
        if method and function.name == "__init__" and isinstance(owner, ast.ClassDef):
            callees = [owner.name]
        position = next((i for i, p in enumerate(params) if p.arg == d.name), None)
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
                argument = call_arg(call, position if position is not None else 10_000, d.name)
                if argument is not None:
                    out.append(argument)
        return out

    def _attr_texts(
        self, cls: ast.ClassDef, attr: str, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        values = self.attribute_values(cls, attr)
        if not values:
            return [_UNKNOWN_TEXT]
        out: list[Text] = []
        for value in values:
            if isinstance(value, ast.expr):
                out.extend(self._texts(value, depth, seen))
            else:  # self.host, self.port = address(): the element the attribute receives
                elements: list[ast.expr] = []
                known = self._attribute_elements(value, cls, attr, elements, depth=0, seen=set())
                out.extend(self._elements_texts(elements, known, depth, seen))
        return out

    # --- unpacking: the element a name or an attribute receives --------------------------------

    def _elements(self, value: ast.expr, path: _Path) -> tuple[list[ast.expr], bool]:
        """The expressions the element of ``value`` that ``path`` picks may be, and
        whether that is all it may be: through tuple and list displays, names, ``self``
        attributes, parameters (their default and this file's arguments, not all
        known), a conditional expression, and this file's functions that return a
        display (``return "0.0.0.0", 80``). Anything else is unknown: an element of a
        value the model does not know is never guessed."""
        out: list[ast.expr] = []
        known = self._pick(value, path, out, 0, set())
        return out, known

    def _pick(
        self,
        value: ast.AST,
        path: _Path,
        out: list[ast.expr],
        depth: int,
        seen: set[tuple[int, _Path]],
    ) -> bool:
        if not path:
            if isinstance(value, ast.expr):
                out.append(value)
                return True
            return False
        if depth > _MAX_DEPTH:
            return False
        if (id(value), path) in seen:
            return True  # followed already, or a cycle that adds nothing
        seen.add((id(value), path))
        deeper = depth + 1
        pick, rest = path[0], path[1:]
        if isinstance(value, _CONTAINER) and pick is _EACH:  # each item in turn
            known = True
            for item in value.elts:
                if isinstance(item, ast.Starred):  # the items of *others are the items of others
                    known = self._pick(item.value, path, out, deeper, seen) and known
                else:
                    known = self._pick(item, rest, out, deeper, seen) and known
            return known
        if isinstance(value, (ast.Tuple, ast.List)) and pick is not None:
            element = _element_of(value, pick)
            return element is not None and self._pick(element, rest, out, deeper, seen)
        if isinstance(value, ast.IfExp):
            body = self._pick(value.body, path, out, deeper, seen)
            return self._pick(value.orelse, path, out, deeper, seen) and body
        if isinstance(value, ast.Name):
            defs = self.reaching(value)
            known = bool(defs)
            for d in defs:
                if d.kind == "assign" and d.value is not None:
                    known = self._pick(d.value, path, out, deeper, seen) and known
                elif d.kind == "element" and d.value is not None:
                    known = self._pick(d.value, d.path + path, out, deeper, seen) and known
                else:
                    known = False  # other callers' arguments, an import, an exception ...
                    if d.kind == "param":
                        for passed in [d.value, *self._arguments(d)]:
                            if passed is not None:
                                self._pick(passed, path, out, deeper, seen)
            return known
        if isinstance(value, ast.Attribute):
            cls = self._self_class(value)
            values = self.attribute_values(cls, value.attr) if cls is not None else []
            known = bool(values)
            for assigned in values:
                if isinstance(assigned, ast.expr):
                    known = self._pick(assigned, path, out, deeper, seen) and known
                elif cls is not None:
                    elements: list[ast.expr] = []
                    known = (
                        self._attribute_elements(
                            assigned, cls, value.attr, elements, depth=deeper, seen=seen
                        )
                        and known
                    )
                    for element in elements:
                        known = self._pick(element, path, out, deeper, seen) and known
            return known
        if isinstance(value, ast.Call):
            function = self.function_of(value)
            if function is None or not self._returns_plainly(function):
                return False
            returned = self._returned(function)
            known = bool(returned)
            for result in returned:
                known = self._pick(result, path, out, deeper, seen) and known
            return known
        return False

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

    def _attribute_elements(
        self,
        statement: ast.AST,
        cls: ast.ClassDef,
        attr: str,
        out: list[ast.expr],
        *,
        depth: int,
        seen: set[tuple[int, _Path]],
    ) -> bool:
        """``self.host, self.port = address()``: the element of the assigned value that
        ``self.<attr>`` receives (:meth:`_pick`); ``False`` when it is not known."""
        if not isinstance(statement, ast.Assign):
            return False  # a loop's or a with's target, an augmented assignment
        known = False
        for target in statement.targets:
            for sub in walk(target):
                if (
                    isinstance(sub, ast.Attribute)
                    and sub.attr == attr
                    and isinstance(sub.ctx, ast.Store)
                    and self._self_class(sub) is cls
                ):
                    path = _path_to(target, sub)
                    if path is None:
                        return False  # *self.rest: a list of what is left
                    known = self._pick(statement.value, path, out, depth, seen)
                    if not known:
                        return False
        return known

    def _percent(self, node: ast.BinOp, depth: int, seen: frozenset[int]) -> list[Text]:
        patterns = self._texts(node.left, depth, seen)
        right = node.right
        args: list[ast.expr] = list(right.elts) if isinstance(right, ast.Tuple) else [right]
        if isinstance(right, ast.Dict) or any(isinstance(a, ast.Starred) for a in args):
            return [
                Text(
                    _PERCENT_RE.sub(lambda m: "%" if m.group() == "%%" else HOLE, p.text), p.source
                )
                for p in patterns
            ]
        filled = [self._texts(a, depth, seen) for a in args]
        out: list[Text] = []
        for pattern in patterns:
            for combo in _bounded_product(filled):
                parts = iter(combo)

                def fill(match: re.Match[str], parts: Iterator[Text] = parts) -> str:
                    if match.group() == "%%":
                        return "%"
                    item = next(parts, None)
                    return item.text if item is not None else HOLE

                out.append(Text(_PERCENT_RE.sub(fill, pattern.text), _source([pattern, *combo])))
        return out

    def _format(
        self, call: ast.Call, receiver: ast.expr, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        patterns = self._texts(receiver, depth, seen)
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return [
                Text(
                    _BRACE_RE.sub(
                        lambda m: (
                            m.group()[0]
                            if m.group(1) is None and m.group() in ("{{", "}}")
                            else HOLE
                        ),
                        p.text,
                    ),
                    p.source,
                )
                for p in patterns
            ]
        positional = [self._texts(a, depth, seen) for a in call.args]
        named = {k.arg: self._texts(k.value, depth, seen) for k in call.keywords if k.arg}
        out: list[Text] = []
        keys = list(named)
        for pattern in patterns:
            for combo in _bounded_product([*positional, *(named[k] for k in keys)]):
                pos = list(combo[: len(positional)])
                kw = dict(zip(keys, combo[len(positional) :], strict=True))
                counter = iter(range(len(pos) + 100))

                def fill(
                    match: re.Match[str],
                    pos: list[Text] = pos,
                    kw: dict[str, Text] = kw,
                    counter: Iterator[int] = counter,
                ) -> str:
                    whole = match.group()
                    if whole in ("{{", "}}"):
                        return whole[0]
                    field = (match.group(1) or "").split(".", 1)[0].split("[", 1)[0]
                    if not field:
                        index = next(counter)
                        return pos[index].text if index < len(pos) else HOLE
                    if field.isdigit():
                        return pos[int(field)].text if int(field) < len(pos) else HOLE
                    return kw[field].text if field in kw else HOLE

                out.append(Text(_BRACE_RE.sub(fill, pattern.text), _source([pattern, *combo])))
        return out

    def _or(self, node: ast.BoolOp, depth: int, seen: frozenset[int]) -> list[Text]:
        out: list[Text] = []
        setting = None
        for value in node.values:
            found = self.setting(value)
            if found is not None:
                setting = found[0]
            for t in self._texts(value, depth, seen):
                if t.text == "":
                    continue  # falsy: the next operand is used
                out.append(
                    Text(t.text, t.source or (setting if value is not node.values[0] else None))
                )
        return out or [_UNKNOWN_TEXT]

    def _call_texts(self, node: ast.Call, depth: int, seen: frozenset[int]) -> list[Text]:
        found = self.setting(node)
        if found is not None:
            name, default = found
            out = [_UNKNOWN_TEXT]
            if default is not None:
                out += [Text(t.text, name) for t in self._texts(default, depth, seen)]
            return out
        result = self._result_texts(node, depth, seen)
        if result is not None:
            return result
        func = node.func
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return self._texts(node.args[0], depth, seen)
        if not isinstance(func, ast.Attribute):
            return [_UNKNOWN_TEXT]
        method = func.attr
        if method == "format":
            return self._format(node, func.value, depth, seen)
        if method in _STR_METHODS and not node.args:
            return [
                Text(getattr(t.text, method)(), t.source) if t.known else t
                for t in self._texts(func.value, depth, seen)
            ]
        if method == "replace" and len(node.args) >= 2:
            olds = self._texts(node.args[0], depth, seen)
            news = self._texts(node.args[1], depth, seen)
            out = []
            for t in self._texts(func.value, depth, seen):
                for old, new in _bounded_product([olds, news]):
                    if old.known and old.text and old.text != HOLE:
                        out.append(Text(t.text.replace(old.text, new.text), t.source))
                    else:
                        out.append(_UNKNOWN_TEXT)
            return out
        if (
            method == "join"
            and len(node.args) == 1
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            seps = self._texts(func.value, depth, seen)
            items = [self._texts(e, depth, seen) for e in node.args[0].elts]
            out = []
            for sep in seps:
                for combo in _bounded_product(items):
                    out.append(Text(sep.text.join(c.text for c in combo), _source(combo)))
            return out
        return [_UNKNOWN_TEXT]

    def origins(self, node: ast.expr) -> list[ast.expr]:
        """The expressions whose value ``node`` may have: itself, or, through names,
        ``self`` attributes and parameters (their default and this file's arguments),
        every assigned expression that may reach it, and the element an unpacking
        gives (:meth:`_elements`). Unknown sources are left out."""
        out: list[ast.expr] = []
        self._origins(node, out, 0, set())
        return out

    def _origins(self, node: ast.AST, out: list[ast.expr], depth: int, seen: set[int]) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "assign" and d.value is not None:
                    self._origins(d.value, out, depth + 1, seen)
                elif d.kind == "element" and d.value is not None:
                    for element in self._elements(d.value, d.path)[0]:
                        self._origins(element, out, depth + 1, seen)
                elif d.kind == "param":
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            self._origins(value, out, depth + 1, seen)
            return
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    elements: list[ast.expr] = []
                    if isinstance(assigned, ast.expr):
                        elements.append(assigned)
                    else:  # self.host, self.port = address()
                        self._attribute_elements(
                            assigned, cls, node.attr, elements, depth=0, seen=set()
                        )
                    for element in elements:
                        self._origins(element, out, depth + 1, seen)
                return
        if isinstance(node, ast.IfExp):  # "" if address is None else address: either branch
            self._origins(node.body, out, depth + 1, seen)
            self._origins(node.orelse, out, depth + 1, seen)
            return
        if isinstance(node, ast.expr):
            out.append(node)

    def imported_values(self, node: ast.expr) -> tuple[str, ...]:
        """The names of other modules whose value ``node`` may have, through the imports,
        qualified (``config.net.BIND_ADDR`` for ``from config.net import BIND_ADDR`` or
        ``net.BIND_ADDR`` with ``import config.net as net``), followed as :meth:`origins`
        follows names: for the project index to read (:func:`imported_texts`)."""
        out: list[str] = []
        self._imported_names(node, out, 0, set())
        return tuple(dict.fromkeys(out))

    def _imported_names(self, node: ast.AST, out: list[str], depth: int, seen: set[int]) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "import" and isinstance(d.node, ast.ImportFrom):
                    qualified = self._qualified(node)
                    if qualified is not None:
                        out.append(qualified)
                elif d.kind == "assign" and d.value is not None:
                    self._imported_names(d.value, out, depth + 1, seen)
                elif d.kind == "param":
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            self._imported_names(value, out, depth + 1, seen)
        elif isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    if isinstance(assigned, ast.expr):
                        self._imported_names(assigned, out, depth + 1, seen)
            elif _imported(node, self.ctx):
                qualified = self._qualified(node)
                if qualified is not None:
                    out.append(qualified)  # settings.BIND_ADDR: a module's attribute
        elif isinstance(node, ast.IfExp):
            self._imported_names(node.body, out, depth + 1, seen)
            self._imported_names(node.orelse, out, depth + 1, seen)

    def _qualified(self, node: ast.expr) -> str | None:
        """``module.NAME`` that a read of another module's name refers to, through the
        imports (``None`` for a bare module or a name no import qualifies)."""
        resolved = self.ctx.resolve(node)
        return resolved if resolved is not None and "." in resolved else None

    def top_level_bindings(self, name: str) -> list[ast.stmt]:
        """The statements of the module's own top level that bind ``name``: plain,
        annotated and augmented assignments to it (not inside a block)."""
        out: list[ast.stmt] = []
        for statement in self.tree.body:
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                targets = [statement.target]
            else:
                continue
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                out.append(statement)
        return out

    def mapping_entries(self, node: ast.expr) -> dict[str, list[ast.expr]] | None:
        """The keys a mapping may hold, each with the values it may have, when they can
        all be known: every value ``node`` may have is a dict display or ``dict(k=v)``
        with literal keys (``d = {"address": a, "port": p}``, ``{**base, "port": 0}``
        when ``base`` is known too) and no read of a name on the way may change it
        (``d[k] = v``, ``d.update(...)``, ``configure(d)``). ``None`` when they cannot
        (a parameter, a loop variable, a call's result, ``merge(d, {...})``)."""
        return self._mapping_entries(node, 0, set())

    def _mapping_entries(
        self, node: ast.expr, depth: int, seen: set[Def]
    ) -> dict[str, list[ast.expr]] | None:
        if depth > _MAX_DEPTH:
            return None
        pairs: list[tuple[str | None, ast.expr]] = []
        if isinstance(node, ast.Dict):
            for written, value in zip(node.keys, node.values, strict=True):
                if written is None:
                    pairs.append((None, value))  # {**other, ...}
                elif isinstance(written, ast.Constant) and isinstance(written.value, str):
                    pairs.append((written.value, value))
                else:
                    return None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
            and not node.args
            and not self.reaching(node.func)  # the builtin
        ):
            pairs = [(kw.arg, kw.value) for kw in node.keywords]
        elif isinstance(node, ast.Name):
            defs = self.reaching(node)
            if not defs:
                return None
            merged: dict[str, list[ast.expr]] = {}
            for d in defs:
                if d in seen:
                    return None  # d = {**d, ...} in a loop: it grows as it goes
                if d.kind != "assign" or d.value is None or self._mapping_changed(d):
                    return None
                inner = self._mapping_entries(d.value, depth + 1, seen | {d})
                if inner is None:
                    return None
                for found, values in inner.items():
                    merged.setdefault(found, []).extend(values)
            return merged
        else:
            return None
        entries: dict[str, list[ast.expr]] = {}
        for key, value in pairs:
            if key is not None:
                entries.setdefault(key, []).append(value)
                continue
            inner = self._mapping_entries(value, depth + 1, seen)
            if inner is None:
                return None
            for inner_key, values in inner.items():
                entries.setdefault(inner_key, []).extend(values)
        return entries

    def _mapping_changed(self, d: Def) -> bool:
        """Whether a read of ``d`` may change the mapping or hand it where it may be
        changed: only spreads (``f(**d)``), item reads and read-only methods leave it."""
        for read in self.def_uses(d):
            parent = self.parents.get(read)
            if isinstance(parent, ast.keyword) and parent.arg is None:
                continue
            if isinstance(parent, ast.Dict) and any(
                key is None and value is read
                for key, value in zip(parent.keys, parent.values, strict=True)
            ):
                continue  # {**d, "port": 0}: copied
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _READ_ONLY_MAPPING:
                continue
            return True
        return False

    def setting_behind(self, node: ast.expr) -> str | None:
        """The setting a flag is read from: ``SECURE_ZMQ`` for ``os.getenv("SECURE_ZMQ",
        "0").strip().lower()``, ``int(os.getenv(...))`` or a name assigned such a read."""
        for _ in range(10):
            if isinstance(node, ast.Name):
                defs = self.reaching(node)
                if len(defs) != 1 or defs[0].kind != "assign" or defs[0].value is None:
                    return None
                node = defs[0].value
            elif (
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
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
                node = node.values[0]
            else:
                break
        found = self.setting(node)
        return found[0] if found is not None else None

    def setting(self, node: ast.expr) -> tuple[str, ast.expr | None] | None:
        """``("BIND_ADDRESS", <default>)`` for a read of a setting: ``os.environ.get``,
        ``os.getenv`` (default ``None`` when there is none), a project helper whose name
        contains ``env`` (``get_env("X", "d")``), a configuration ``.get("key", "d")``,
        and a mapping's ``.setdefault("key", "d")`` or ``.pop("key", "d")``: the value the
        configuration (or the caller's keywords) holds, else the default it fills in."""
        read = self._key_read(node) if isinstance(node, ast.Call) else None
        if read is None:
            return None
        if read.reader is None:
            return read.keys[0], read.default
        lowered = read.reader.lower()
        if "env" in lowered or (lowered.startswith("get") and read.default is not None):
            return read.keys[0], read.default
        if read.method and lowered in _DEFAULTING_METHODS and read.default is not None:
            return read.keys[0], read.default
        return None

    def _key_read(self, node: ast.expr) -> _KeyRead | None:
        """A read by key: of the environment (``os.environ["X"]``, ``os.getenv("X",
        "d")``; ``reader`` is ``None``) or a call whose arguments start with literal
        keys (``config.get("key", "d")``, ``CONF.get("main", "port")``,
        ``get_env("X")``). :meth:`setting` and :meth:`port_sources` judge which
        readers count."""
        env = _environment_read(node, self.ctx)
        if isinstance(env, tuple):
            return _KeyRead(None, (env[0],), env[1], False)
        if env or not isinstance(node, ast.Call):
            return None  # an environment write, or a read of a name not written here
        reader = last_name(node.func)
        keys = tuple(_leading_strings(node.args))
        if reader is None or not keys:
            return None
        default = call_arg(node, 1, "default")
        if default is None:
            default = call_arg(node, 1, "fallback")
        return _KeyRead(reader, keys, default, isinstance(node.func, ast.Attribute))

    # --- defaults -------------------------------------------------------------------------------

    def default_value(self, node: ast.expr) -> object:
        """The value ``node`` has with every setting at its default, or :data:`UNKNOWN_VALUE`.

        Constants, tuples of them, ``not``, ``and``/``or``, one comparison, the
        case/strip methods and ``int``/``bool``/``str``/``float`` of such values;
        a setting's default (``None`` for ``os.getenv("X")``); a name whose
        reaching assignments all agree; a call of this file's function without
        arguments, by what it returns on its default path.
        """
        return self._default(node, 0)

    def _default(self, node: ast.AST, depth: int) -> object:
        if depth > _MAX_DEPTH:
            return UNKNOWN_VALUE
        key = (id(node), "default")
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = UNKNOWN_VALUE  # in progress: a cycle reads unknown
        value: object = UNKNOWN_VALUE
        if isinstance(node, ast.Constant):
            value = node.value
        elif isinstance(node, ast.Name):
            defs = self.reaching(node)
            values = [
                self._default(d.value, depth + 1)
                if d.kind == "assign" and d.value is not None
                else UNKNOWN_VALUE
                for d in defs
            ]
            if values and all(v is not UNKNOWN_VALUE and v == values[0] for v in values):
                value = values[0]
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [self._default(e, depth + 1) for e in node.elts]
            if not any(i is UNKNOWN_VALUE for i in items):
                value = tuple(items)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self._default(node.operand, depth + 1)
            value = UNKNOWN_VALUE if operand is UNKNOWN_VALUE else not operand
        elif isinstance(node, ast.BoolOp):
            items = [self._default(v, depth + 1) for v in node.values]
            if not any(i is UNKNOWN_VALUE for i in items):
                value = items[0]
                for item in items[1:]:
                    value = (value and item) if isinstance(node.op, ast.And) else (value or item)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            value = _compare(
                node.ops[0],
                self._default(node.left, depth + 1),
                self._default(node.comparators[0], depth + 1),
            )
        elif isinstance(node, ast.Call):
            value = self._call_default(node, depth)
        self._memo[key] = value
        return value

    def _call_default(self, node: ast.Call, depth: int) -> object:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS and not node.args:
            inner = self._default(func.value, depth + 1)
            return getattr(inner, func.attr)() if isinstance(inner, str) else UNKNOWN_VALUE
        if isinstance(func, ast.Name) and func.id in _CONVERTERS and len(node.args) == 1:
            inner = self._default(node.args[0], depth + 1)
            if inner is UNKNOWN_VALUE:
                return UNKNOWN_VALUE
            try:
                return _CONVERTERS[func.id](inner)
            except (TypeError, ValueError):
                return UNKNOWN_VALUE
        found = self.setting(node)
        if found is not None:
            default = found[1]
            return None if default is None else self._default(default, depth + 1)
        function = self.function_of(node) if not node.args and not node.keywords else None
        if function is None:
            return UNKNOWN_VALUE
        path = self.default_path(function.body, depth + 1)
        if not path or not isinstance(path[-1], ast.Return) or path[-1].value is None:
            return UNKNOWN_VALUE
        if any(isinstance(n, ast.Return) for s in path[:-1] for n in walk(s)):
            return UNKNOWN_VALUE  # an ``if`` that cannot be judged may return first
        return self._default(path[-1].value, depth + 1)

    def default_truth(self, test: ast.expr) -> bool | None:
        """Whether ``test`` holds with every setting at its default; ``None``: cannot tell."""
        value = self.default_value(test)
        return None if value is UNKNOWN_VALUE else bool(value)

    def default_path(self, body: list[ast.stmt], depth: int = 0) -> list[ast.stmt]:
        """The statements of ``body`` that run with every setting at its default, up to
        the first ``return``/``raise``; an ``if`` whose test is unknown is kept whole."""
        out: list[ast.stmt] = []
        for statement in body:
            if isinstance(statement, ast.If) and depth < _MAX_DEPTH:
                value = self._default(statement.test, depth + 1)
                if value is not UNKNOWN_VALUE:
                    taken = statement.body if value else statement.orelse
                    out.extend(self.default_path(taken, depth + 1))
                    if out and isinstance(out[-1], (ast.Return, ast.Raise)):
                        return out
                    continue
            out.append(statement)
            if isinstance(statement, (ast.Return, ast.Raise)):
                return out
        return out

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
        """``argument`` becomes the call's result: the default of a setting, ``str(x)``."""
        found = self.setting(call)
        if found is not None and found[1] is argument:
            return True
        return isinstance(call.func, ast.Name) and call.func.id == "str"

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
        if (
            name in PEER_CALLS
            or name.startswith("connect")
            or name.endswith(("Client", "Connection"))
        ):
            return OWN_LISTENER if _reads_own_address(call) else PEER
        if name.endswith(("Error", "Exception", "Warning")):
            return DISPLAY
        return UNKNOWN

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
            return use not in self.uses(node) or self.reads_only_as_default(node)
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

    def reads_only_as_default(self, node: ast.expr) -> bool:
        """A module constant (``DEFAULT_HOST = "localhost"``) read only where it is itself
        a default: ``host or DEFAULT_HOST``, ``def f(host=DEFAULT_HOST)``."""
        assign = self.parents.get(node)
        if not isinstance(assign, (ast.Assign, ast.AnnAssign)) or assign.value is not node:
            return False
        reads = [
            read
            for d in self.module.defs.get(_target_name(assign) or "", ())
            if d.node is assign
            for read in self.def_uses(d)
        ]
        return bool(reads) and all(self.default_kind(read) is not None for read in reads)

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
        params = [*function.args.posonlyargs, *function.args.args]
        if isinstance(owner, ast.ClassDef) and params:
            params = params[1:]
        position = next((i for i, p in enumerate(params) if p.arg == d.name), 10_000)
        for call in self.call_sites(callee):
            if callee == function.name and self.function_of(call) is not function:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords
            ):
                continue  # *args / **kwargs: the caller may pass it
            if call_arg(call, position, d.name) is None:
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
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                for d in self.reaching(sub):
                    if d.kind == "assign" and d.value is not None:
                        out += self._read_paths(d.value, depth + 1, seen)
                    elif d.kind in ("element", "other") and isinstance(d.node, ast.Assign):
                        # pid, port = (int(x) for x in f.readline().split(";"))
                        out += self._read_paths(d.node.value, depth + 1, seen)
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
        return f"config:{keys[0]}"

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

    # --- the command lines of the scripts the project starts (issue 22) -------------------

    def _argv_source(self, node: ast.expr) -> str | None:
        """``argv:SCRIPT:N`` for ``sys.argv[N]`` read in the script ``SCRIPT`` (this
        file's base name): the value the command line that starts it gives."""
        index = self._argv_index(node)
        return None if index is None else f"argv:{self._script}:{index}"

    @property
    def _script(self) -> str:
        return self.ctx.relpath.rsplit("/", 1)[-1]

    def _argv_index(self, node: ast.AST) -> int | None:
        """``N`` for ``sys.argv[N]`` (a literal index from 1 on)."""
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and type(node.slice.value) is int
            and node.slice.value >= 1
            and self.ctx.resolve(node.value) == "sys.argv"
        ):
            return None
        return node.slice.value

    def _argv_rest(self, node: ast.AST) -> int | None:
        """``N`` for ``sys.argv[N:]`` (also starred): this script's arguments from
        ``N`` on, passed through to the script it starts."""
        if isinstance(node, ast.Starred):
            node = node.value
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Slice)
            and node.slice.upper is None
            and node.slice.step is None
            and self.ctx.resolve(node.value) == "sys.argv"
        ):
            return None
        lower = node.slice.lower
        if lower is None:
            return 0
        return lower.value if isinstance(lower, ast.Constant) and type(lower.value) is int else None

    def launch_links(self) -> frozenset[tuple[str, str]]:
        """:func:`launch_links` of this file (its model is this one)."""
        return launch_links(self.ctx, self.tree, self)

    def _process_links(self, call: ast.Call, out: set[tuple[str, str]]) -> None:
        command = call_arg(call, 0, "args")
        elements = self._command_elements(command, 0) if command is not None else None
        if not elements:
            return
        script: str | None = None
        start = 0
        for position, element in enumerate(elements):
            if script is None:
                script = _script_named(element)
                start = position
                continue
            index = position - start
            rest = self._argv_rest(element)
            if rest is not None:
                own = f"argv:{self._script}"
                for shift in range(_MAX_ARGV):
                    out.add((f"argv:{script}:{index + shift}", f"{own}:{rest + shift}"))
                return  # what follows has no known position
            if isinstance(element, ast.Starred):
                return
            value = self._argument_value(element)
            if value is not None:
                out.add((f"argv:{script}:{index}", value))

    def _command_elements(self, node: ast.expr, depth: int) -> list[ast.expr] | None:
        """The elements of a command list: ``[a, b] + sys.argv[1:]``, a name assigned
        one such list; ``None`` when it is built otherwise."""
        if depth > 4:
            return None
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            if len(defs) != 1 or defs[0].kind != "assign" or defs[0].value is None:
                return None
            return self._command_elements(defs[0].value, depth + 1)
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._command_elements(node.left, depth + 1)
            if left is None:
                return None
            if self._argv_rest(node.right) is not None:
                return [*left, node.right]
            right = self._command_elements(node.right, depth + 1)
            return None if right is None else left + right
        return None

    def _argument_value(self, element: ast.expr) -> str | None:
        """The value a command-line argument gives, as :meth:`launch_links` names it."""
        element = _unconverted(element)
        index = self._argv_index(element)
        if index is not None:
            return f"argv:{self._script}:{index}"
        here = f"arg:{self.ctx.relpath}"
        if isinstance(element, ast.Constant):
            text = str(element.value)
            return f"{here}:{text}" if _LITERAL_PORT_RE.fullmatch(text) else None
        if isinstance(element, ast.Name):
            defs = self.reaching(element)
            if not defs:
                return None
            where = ",".join(sorted("{}:{}".format(*_position(d)) for d in defs))
            return f"{here}:{element.id}@{where}"
        dotted = self.ctx.dotted(element) if isinstance(element, ast.Attribute) else None
        if dotted is None:
            return None
        if dotted.startswith("self.") and (cls := self._class_of(element)) is not None:
            dotted = f"{cls.name}.{dotted[5:]}"
        return f"{here}:{dotted}"

    def in_main_block(self, node: ast.AST) -> bool:
        """``node`` runs under ``if __name__ == "__main__":`` at the module's top level,
        or in a module-level test or demo function called only from there (``def
        test(): ...`` then ``if __name__ == "__main__": test()``; not ``main()``)."""
        if self._under_main(node):
            return True
        function = self.scope_of(node).node
        if (
            not isinstance(function, FUNCTIONS)
            or self.parents.get(function) is not self.tree
            or not _SELF_TEST_RE.match(function.name)
        ):
            return False
        calls = [c for c in self.call_sites(function.name) if isinstance(c.func, ast.Name)]
        return bool(calls) and all(self._under_main(c) for c in calls)

    def _under_main(self, node: ast.AST) -> bool:
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, ast.If)
                and self.parents.get(ancestor) is self.tree
                and isinstance(ancestor.test, ast.Compare)
                and isinstance(ancestor.test.left, ast.Name)
                and ancestor.test.left.id == "__name__"
                and any(
                    isinstance(c, ast.Constant) and c.value == "__main__"
                    for c in ancestor.test.comparators
                )
            ):
                return True
        return False

    def runs_at_import(self, function: ast.AST, depth: int = 0) -> bool:
        """Every call of ``function`` in this file runs when the module is imported,
        once per process: a module-level statement calls it, directly or through
        functions that themselves run only then (a method through ``self.``, an
        ``__init__`` through its class: ``log = GraphiteLogger()``). A call under
        ``if __name__ == "__main__":`` does not count: it starts the program, and
        a helper it calls is one other programs import too. ``False`` when this
        file never calls it (other modules' calls are not seen)."""
        if depth > 4 or not isinstance(function, FUNCTIONS):
            return False
        owner = self.parents.get(function)
        if isinstance(owner, ast.ClassDef) and function.name == "__init__":
            if self.parents.get(owner) is not self.tree:
                return False
            calls = [c for c in self.call_sites(owner.name) if isinstance(c.func, ast.Name)]
        else:
            calls = [c for c in self.call_sites(function.name) if self.function_of(c) is function]
        if not calls:
            return False
        for call in calls:
            caller = self.scope_of(call).node
            if caller is self.tree and not self._under_main(call):
                continue  # a ``__main__`` block is the program's start, not its import
            if isinstance(caller, FUNCTIONS) and self.runs_at_import(caller, depth + 1):
                continue
            return False
        return True

    def _statement(self, node: ast.AST) -> ast.AST | None:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parents.get(current)
        return current

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

    # --- where a path comes from ------------------------------------------------------------------

    def path_sources(self, node: ast.expr) -> frozenset[str]:
        """Where the folder (or folders) ``node`` names comes from, followed in this file.

        :data:`FROM_CALLER` a parameter (the caller chooses; its default and this
        file's arguments are followed too), :data:`FROM_CWD` the working directory
        (``os.getcwd()``, ``""``, ``"."``, ``os.curdir``), :data:`FROM_INPUT` the
        command line (``sys.argv[1:]``, ``parse_args()``) or a setting,
        :data:`FROM_LAYOUT` the code's own location (``__file__``, ``sys.argv[0]``),
        :data:`FROM_LITERAL` a relative path written in the code (``"../.."``,
        ``os.pardir``), :data:`FROM_LOCATION` a fixed place written in the code (an
        absolute path, ``~``, ``Path.home()``, ``%AppData%``, ``$HOME``),
        :data:`FROM_SYS_PATH` an entry or copy of ``sys.path`` itself, and
        :data:`FROM_OTHER` what the model cannot follow (another module's name,
        an unknown call). A path built by joining is judged by its base: the
        first part of ``os.path.join``, ``+``, ``/`` or an f-string; a later
        part adds :data:`FROM_LITERAL` only when it climbs (``".."``).
        """
        out: set[str] = set()
        self._path_sources(node, out, 0, set())
        if FROM_LOCATION in out and not self.tool_place(node):
            # A fixed place at its base, but not a tool's configuration or data
            # location as a whole (``~/monorepo/lib``, ``/opt/app/lib``).
            out = (out - {FROM_LOCATION}) | {FROM_LITERAL}
        return frozenset(out or {FROM_OTHER})

    def imported_value(self, node: ast.expr) -> tuple[str, str] | None:
        """``(module, NAME)`` when ``node`` reads a name another module binds: a name
        only an import binds here (``from pkg.globals import sys_path``) or an attribute
        of an imported module (``pkg_globals.sys_path``); ``None`` otherwise."""
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            if not defs or any(d.kind != "import" for d in defs):
                return None
        elif not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, (ast.Name, ast.Attribute))
            and _imported(node, self.ctx)
        ):
            return None
        qualified = self._qualified(node)
        if qualified is None:
            return None
        module, _, name = qualified.rpartition(".")
        return module, name

    def module_path_sources(self, name: str) -> frozenset[str] | None:
        """What :meth:`path_sources` says of the value this module binds to ``name`` at
        its top level, where it is bound once (``sys_path = sys.path[:]``: what was on
        the path already); ``None`` when it is not bound there exactly once."""
        bindings = self.top_level_bindings(name)
        if len(bindings) != 1 or not isinstance(bindings[0], ast.Assign):
            return None
        return self.path_sources(bindings[0].value)

    def tool_place(self, node: ast.expr) -> bool:
        """Whether every fixed place the folder ``node`` may name, written whole
        (joined parts, ``~`` and ``Path.home()`` included, through names,
        parameters and loops) is a tool's configuration or data location (see
        :data:`FROM_LOCATION`); ``False`` when no such place can be written out."""
        places = [t for t in self.path_texts(node) if _fixed_place(t.replace(HOLE, "x"))]
        return bool(places) and all(_tool_place(t) for t in places)

    def path_texts(self, node: ast.expr) -> tuple[str, ...]:
        """The paths the folder (or folders) ``node`` names, written out: joined
        with ``/`` (``os.path.join``, ``/``, ``+``, f-strings), ``Path.home()`` as
        ``~``, unknown parts :data:`HOLE`; a parameter by its default and this
        file's arguments, a loop variable by the items it loops over, a
        setting by its default."""
        return tuple(dict.fromkeys(self._path_texts(node, 0, frozenset())))

    def _path_texts(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[str]:
        if depth > _MAX_PATH_DEPTH or id(node) in seen:
            return [HOLE]
        key = (id(node), "path_texts")
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._path_texts_of(node, depth + 1, seen | {id(node)})
        return cached  # type: ignore[return-value]  # only lists of str are stored

    def _path_texts_of(self, node: ast.AST, deeper: int, seen: frozenset[int]) -> list[str]:
        texts = self._path_texts
        ctx = self.ctx
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else [HOLE]
        if isinstance(node, ast.Name):
            out: list[str] = []
            for d in self.reaching(node):
                if d.kind == "assign" and d.value is not None:
                    out += texts(d.value, deeper, seen)
                elif d.kind == "param":
                    passed = [d.value] if d.value is not None else []
                    for value in [*passed, *self._arguments(d)]:
                        out += texts(value, deeper, seen)
                elif isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    out += texts(d.node.iter, deeper, seen)
            return _bounded(out or [HOLE])
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is None:
                return [HOLE]
            out = []
            for assigned in self.attribute_values(cls, node.attr):
                out += texts(assigned, deeper, seen) if isinstance(assigned, ast.expr) else [HOLE]
            return _bounded(out or [HOLE])
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out = []
            for elt in node.elts:
                out += texts(elt, deeper, seen)
            return _bounded(out)
        if isinstance(node, ast.Starred):
            return texts(node.value, deeper, seen)
        if isinstance(node, ast.IfExp):
            return _bounded(texts(node.body, deeper, seen) + texts(node.orelse, deeper, seen))
        if isinstance(node, ast.BoolOp):
            out = []
            for value in node.values:
                out += texts(value, deeper, seen)
            return _bounded(out)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return texts(node.elt, deeper, seen)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            left, right = texts(node.left, deeper, seen), texts(node.right, deeper, seen)
            if isinstance(node.op, ast.Add) and (
                self._a_list(node.left) or self._a_list(node.right)
            ):
                return _bounded(left + right)  # sysdirs + [topdir]: the items of both
            if isinstance(node.op, ast.Add):
                return _bounded([a + b for a, b in product(left, right)])
            return _bounded([_join_place(a, b) for a, b in product(left, right)])
        if isinstance(node, ast.JoinedStr):
            pieces = [
                texts(v.value, deeper, seen)
                if isinstance(v, ast.FormattedValue)
                else [str(getattr(v, "value", HOLE))]
                for v in node.values
            ]
            return _bounded(["".join(c) for c in product(*pieces)])
        if not isinstance(node, ast.Call):
            return [HOLE]
        found = self.setting(node)
        if found is not None:
            default = found[1]
            return [HOLE, *(texts(default, deeper, seen) if default is not None else [])]
        name = ctx.resolve(node.func) or ""
        func = node.func
        if name == "pathlib.Path.home":
            return ["~"]
        args = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
        if name in _SAME_PLACE and len(args) == 1:
            return texts(args[0], deeper, seen)
        joins = name in _PATH_CLASSES or name in {
            f"{m}.join" for m in ("os.path", "posixpath", "ntpath")
        }
        parts: list[ast.expr] = []
        if joins:
            parts = args
        elif isinstance(func, ast.Attribute) and not _imported(func, ctx):
            if func.attr in _SAME_PLACE_METHODS and not args:
                return texts(func.value, deeper, seen)
            if func.attr == "joinpath":
                parts = [func.value, *args]
        if parts:
            out = [""]
            for part in parts:
                out = _bounded(
                    [_join_place(a, b) for a, b in product(out, texts(part, deeper, seen))]
                )
            return out
        functions: list[ast.AST] = []
        if isinstance(func, ast.Name):
            # A function of this scope or an enclosing one (SCons's nested ``homedir(d)``).
            functions = [d.node for d in self.reaching(func) if d.kind == "function"]
        if not functions:
            functions = [f for f in [self.function_of(node)] if f is not None]
        out = []
        for function in functions:
            for r in walk(function):
                if (
                    isinstance(r, ast.Return)
                    and r.value is not None
                    and self.scope_of(r).node is function
                ):
                    out += texts(r.value, deeper, seen)
        return _bounded(out or [HOLE])

    def _a_list(self, node: ast.expr) -> bool:
        """``[topdir]``, or a name only lists are assigned to (``sysdirs``)."""
        if isinstance(node, (ast.List, ast.Tuple, ast.ListComp)):
            return True
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            return bool(defs) and all(
                d.kind == "assign" and isinstance(d.value, (ast.List, ast.Tuple, ast.ListComp))
                for d in defs
            )
        return False

    def _path_sources(self, node: ast.AST, out: set[str], depth: int, seen: set[int]) -> None:
        if id(node) in seen:
            return  # a loop: its other ways in are followed already
        if depth > _MAX_PATH_DEPTH:
            out.add(FROM_OTHER)
            return
        seen.add(id(node))
        follow = self._path_sources
        deeper = depth + 1
        ctx = self.ctx
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and node.value in {"", ".", "./"}:
                out.add(FROM_CWD)
            elif isinstance(node.value, str) and _fixed_place(node.value):
                out.add(FROM_LOCATION)
            elif isinstance(node.value, (str, bytes)):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                out.add(FROM_LAYOUT)
                return
            defs = self.reaching(node)
            if not defs:
                out.add(FROM_OTHER)
            for d in defs:
                if d.kind == "assign" and d.value is not None:
                    follow(d.value, out, deeper, seen)
                elif d.kind == "param":
                    # The caller's choice, unless this file's callers (or the
                    # default) visibly pass a path of the code's own: what the
                    # model cannot follow there stays the caller's choice.
                    out.add(FROM_CALLER)
                    passed: set[str] = set()
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            follow(value, passed, deeper, seen)
                    out.update(passed - {FROM_OTHER})
                elif isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    follow(d.node.iter, out, deeper, seen)
                elif isinstance(d.node, ast.Assign):
                    follow(d.node.value, out, deeper, seen)  # a, b = os.path.split(path)
                else:
                    out.add(FROM_OTHER)
            return
        if isinstance(node, ast.Attribute):
            if node.attr in {"__file__", "__path__", "__spec__"}:
                out.add(FROM_LAYOUT)
                return
            name = ctx.resolve(node)
            if name in _NAMED_SOURCES:
                out.add(_NAMED_SOURCES[name])
                return
            if data_dir_attribute(node) and any(
                isinstance(o, ast.Call) and is_dirs_object(o, ctx) for o in self.origins(node.value)
            ):
                out.add(FROM_DATA_DIR)  # PlatformDirs("app").user_data_dir
                return
            cls = self._self_class(node)
            if cls is not None:
                values = self.attribute_values(cls, node.attr)
                if not values:
                    out.add(FROM_OTHER)
                for assigned in values:
                    if isinstance(assigned, (ast.For, ast.AsyncFor)):
                        follow(assigned.iter, out, deeper, seen)
                    elif isinstance(assigned, ast.expr):
                        follow(assigned, out, deeper, seen)
                    else:
                        out.add(FROM_OTHER)
                return
            if _imported(node, ctx):
                out.add(FROM_OTHER)  # another module's value
                return
            follow(node.value, out, deeper, seen)  # options.include_dir, path.parent
            return
        if isinstance(node, ast.Subscript):
            if ctx.resolve(node.value) == "sys.argv":
                first = isinstance(node.slice, ast.Constant) and node.slice.value == 0
                out.add(FROM_LAYOUT if first else FROM_INPUT)
                return
            if any(a.kind == "read" for a in env_accesses(node, ctx)):
                out.add(FROM_INPUT)
                return
            follow(node.value, out, deeper, seen)
            return
        if isinstance(node, ast.Call):
            self._call_sources(node, out, deeper, seen)
            return
        if isinstance(node, ast.BinOp):
            follow(node.left, out, deeper, seen)
            if _climbs(node.right):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, ast.JoinedStr):
            if node.values:
                head = node.values[0]
                follow(
                    head.value if isinstance(head, ast.FormattedValue) else head,
                    out,
                    deeper,
                    seen,
                )
            if any(_climbs(v) for v in node.values[1:]):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for elt in node.elts:
                follow(elt, out, deeper, seen)
            return
        if isinstance(node, ast.Starred):
            follow(node.value, out, deeper, seen)
            return
        if isinstance(node, ast.IfExp):
            follow(node.body, out, deeper, seen)
            follow(node.orelse, out, deeper, seen)
            return
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                follow(value, out, deeper, seen)
            return
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            follow(node.elt, out, deeper, seen)
            return
        out.add(FROM_OTHER)

    def _call_sources(self, call: ast.Call, out: set[str], depth: int, seen: set[int]) -> None:
        follow = self._path_sources
        ctx = self.ctx
        found = self.setting(call)
        if found is not None:
            out.add(FROM_INPUT)
            default = found[1]
            if default is not None:
                # A setting the code gives a default: a default into the code's own
                # layout or a written folder (``os.environ.get("MAIN_PC_CODE",
                # "/opt/ai_system/main_pc_code")``) is where it is found unless set.
                passed: set[str] = set()
                follow(default, passed, depth, seen)
                if FROM_LOCATION in passed and not self.tool_place(default):
                    passed.add(FROM_LITERAL)
                out.update(passed & {FROM_LAYOUT, FROM_LITERAL})
            return
        if is_data_dir_call(call, ctx):
            out.add(FROM_DATA_DIR)
            return
        name = ctx.resolve(call.func) or ""
        if name in _NAMED_SOURCES:
            out.add(_NAMED_SOURCES[name])
            return
        if name.startswith("sys.path."):
            out.add(FROM_SYS_PATH)  # sys.path.copy(), sys.path.pop(0): what is already there
            return
        if name.startswith("os.environ."):
            out.add(FROM_INPUT)  # os.environ.copy(): the environment the user started it in
            return
        if _namespace_dict(call):
            follow(call.args[0], out, depth, seen)  # vars(args): what the namespace holds
            return
        func = call.func
        last = last_name(func) or ""
        if last in {"parse_args", "parse_known_args"}:
            out.add(FROM_INPUT)
            return
        if (
            name in _PATH_BUILDERS
            or name.startswith(("os.path.", "posixpath.", "ntpath.", "pathlib."))
            or (isinstance(func, ast.Attribute) and not _imported(func, ctx))
        ):
            # A path built from its arguments (a method: from its receiver): the
            # base decides, a joined part only when it climbs.
            parts: list[ast.expr] = []
            if isinstance(func, ast.Attribute) and not _imported(func, ctx):
                parts.append(func.value)  # a method: its receiver is the path, not its options
            else:
                parts.extend(a.value if isinstance(a, ast.Starred) else a for a in call.args)
            if last == "join" and name.startswith(("os.path.", "posixpath.", "ntpath.")):
                base, rest = parts[:1], parts[1:]
                if any(_climbs(p) for p in rest):
                    out.add(FROM_LITERAL)
                parts = base
            for part in parts:
                follow(part, out, depth, seen)
            return
        function = self.function_of(call)
        if function is not None:
            returns = [
                r.value
                for r in walk(function)
                if isinstance(r, ast.Return)
                and r.value is not None
                and self.scope_of(r).node is function
            ]
            if not returns:
                out.add(FROM_OTHER)
            for value in returns:
                follow(value, out, depth, seen)
            return
        out.add(FROM_OTHER)

    # --- whether the code looks for a path before relying on it --------------------------------

    def looked_for(self, node: ast.expr, *, absence_handled: bool = True) -> bool:
        """Whether the code *looks for* the path ``node`` before relying on it: a
        test of its existence (``os.path.exists``/``isdir``/``isfile``, ``Path.exists``)
        or a glob whose answer the code branches on or loops over, the same path
        tested in an enclosing ``if``, a reading of its syntax only
        (``os.path.splitdrive``), and, with ``absence_handled``, a listing or
        opening in a ``try`` that handles ``OSError``; followed through names,
        loops over candidate lists and path building. A path the code also
        creates (``os.makedirs``/``mkdir``) is not looked for: it assumes where
        it goes."""
        found: set[str] = set()
        self._looked_for(node, found, 0, set(), absence_handled)
        return _PROBED in found and _CREATED not in found

    def folder_looked_for(self, node: ast.expr) -> bool:
        """Whether the code looks for the folder ``node`` names before it relies on it:
        a name ``node`` is built from, followed through this file's assignments and
        parameters, is tested for existence and the code branches on the answer
        (``if not os.path.isdir(site_dir): return``), as :meth:`looked_for` judges
        each of its uses; a folder the code also creates is not looked for."""
        found: set[str] = set()
        self._folder_looked_for(node, found, 0, set())
        return _PROBED in found and _CREATED not in found

    def _folder_looked_for(
        self, node: ast.AST, found: set[str], depth: int, seen: set[Def]
    ) -> None:
        if depth > _MAX_DEPTH:
            return
        for name in walk(node):
            if not isinstance(name, ast.Name) or not isinstance(name.ctx, ast.Load):
                continue
            for d in self.reaching(name):
                if d in seen:
                    continue
                seen.add(d)
                for read in self.def_uses(d):
                    self._looked_for(read, found, 0, set(), True)
                if d.kind == "assign" and d.value is not None:
                    self._folder_looked_for(d.value, found, depth + 1, seen)

    def _looked_for(
        self, node: ast.AST, found: set[str], depth: int, seen: set[int], handled: bool
    ) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Constant) and self._tested_above(node):
            found.add(_PROBED)
        ctx = self.ctx
        child: ast.AST = node
        parent = self.parents.get(child)
        while True:
            larger = self._larger_value(parent, (ast.Starred,), (ast.Add, ast.Mod, ast.Div))
            if larger is None and isinstance(parent, _ELEMENT_COMPREHENSIONS):
                # [os.path.join(folder, b) for b in names]: the paths it holds
                larger = parent if child is parent.elt else None
            if larger is not None:
                child, parent = larger, self.parents.get(larger)
                continue
            if isinstance(parent, ast.Call) and parent.func is not child:
                name = ctx.resolve(parent.func) or ""
                if name in _PATH_BUILDERS or (
                    name.startswith(("os.path.", "posixpath.", "ntpath.", "pathlib."))
                    and name not in _PROBES
                    and name not in _SYNTAX_PROBES
                ):
                    child, parent = parent, self.parents.get(parent)
                    continue
            break
        if isinstance(parent, ast.Call) and parent.func is not child:
            name = ctx.resolve(parent.func) or ""
            if (
                name in _SYNTAX_PROBES
                or (name in _PROBES and self._decides(parent))
                or (name in _GLOBS and _searches_folders(child))
            ):
                found.add(_PROBED)
            elif name in _CREATES:
                found.add(_CREATED)
            elif handled and name in _LISTS and _handles_oserror(parent, self):
                found.add(_PROBED)
            return
        if isinstance(parent, ast.Attribute) and parent.attr in _PATH_PROBE_METHODS:
            call = self.parents.get(parent)
            if isinstance(call, ast.Call) and self._decides(call):
                found.add(_PROBED)
            return
        reads: list[ast.Name] = []
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and child is parent.value:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            scope = self.scope_of(parent)
            for target in targets:
                if isinstance(target, ast.Name):
                    owner = scope if target.id not in scope.globals else self.module
                    for d in owner.defs.get(target.id, ()):
                        if d.node is parent:
                            reads.extend(self.def_uses(d))
        elif (
            isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and child is parent.iter
        ):
            scope = self.scope_of(parent)
            for sub in walk(parent.target):
                if isinstance(sub, ast.Name):
                    for d in scope.defs.get(sub.id, ()):
                        if d.node is parent:
                            reads.extend(self.def_uses(d))
        for read in reads:
            self._looked_for(read, found, depth + 1, seen, handled)

    def _decides(self, probe: ast.Call, follow: bool = True) -> bool:
        """Whether the code acts on the probe's answer: it branches on it (an ``if``,
        ``while``, conditional expression or comprehension test) or loops over it,
        directly or through a name it is assigned to."""
        child: ast.AST = probe
        parent = self.parents.get(child)
        while (
            isinstance(parent, (ast.BoolOp, ast.UnaryOp, ast.Compare))
            or (
                isinstance(parent, ast.Call)
                and (self.ctx.resolve(parent.func) or "") in _KEEP_ANSWERS
            )
            or (
                # all(os.path.isfile(p) for p in paths): the answers one test sums up
                isinstance(parent, _ELEMENT_COMPREHENSIONS)
                and child is parent.elt
                and self._summed_up(parent)
            )
        ):
            child, parent = parent, self.parents.get(parent)
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and child is parent.test:
            return True
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child is parent.iter:
            return True
        if isinstance(parent, ast.comprehension) and (child is parent.iter or child in parent.ifs):
            return True
        if follow and isinstance(parent, ast.Assign) and child is parent.value:
            scope = self.scope_of(parent)
            for target in parent.targets:
                if isinstance(target, ast.Name):
                    for d in scope.defs.get(target.id, ()):
                        if d.node is parent and any(
                            self._decides_read(read) for read in self.def_uses(d)
                        ):
                            return True
        return False

    def _summed_up(self, comprehension: ast.expr) -> bool:
        """Whether ``comprehension`` is the one argument of ``all`` or ``any``: its
        elements' answers become one answer (a list of answers alone is truthy
        whenever it is not empty, whatever they are)."""
        call = self.parents.get(comprehension)
        return (
            isinstance(call, ast.Call)
            and call.args == [comprehension]
            and not call.keywords
            and (self.ctx.resolve(call.func) or "") in {"all", "any"}
        )

    def _decides_read(self, read: ast.Name) -> bool:
        parent = self.parents.get(read)
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and read is parent.iter:
            return True
        if isinstance(parent, ast.Attribute) and parent.attr in {"sort", "reverse"}:
            return True  # dirs.sort(): ordered to be looped over
        return isinstance(read, ast.expr) and self._decides_expr(read)

    def _decides_expr(self, node: ast.expr) -> bool:
        child: ast.AST = node
        parent = self.parents.get(child)
        while isinstance(parent, (ast.BoolOp, ast.UnaryOp, ast.Compare)):
            child, parent = parent, self.parents.get(parent)
        return (
            isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and child is parent.test
        )

    def loopback_configured(self, node: ast.AST) -> bool:
        """``node`` runs only where a configured host is already loopback: in the body of
        an ``if`` whose test holds only then (``if host in ("localhost", "::1") or
        host.startswith("127."):``), in the function ``node`` is written in. A loopback
        spelling written there (``hosts = [host, "127.0.1.1"]``) assumes nothing the
        configuration did not say."""
        child = node
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, ast.If)
                and child in ancestor.body
                and _holds_only_for_loopback(ancestor.test)
            ):
                return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def in_process_only(self, node: ast.AST) -> bool:
        """``node`` runs only where a tested transport or address is in-process or local
        to this machine: in the branch of an ``if`` (or a conditional expression) whose
        test holds only then (``if protocol == "inproc":``, ``address.startswith(("ipc://",
        "unix://"))``, ``sock.family == socket.AF_UNIX``; the ``else`` of ``!=``, ``not
        in`` or ``not ...startswith``), in the function ``node`` is written in. A loopback
        host chosen there names the machine the transport already confines the peer to.
        Only a test of a transport's name, scheme or socket family counts: a flag
        (``if local:``) says nothing of where the peer is."""
        child = node
        for ancestor in self._ancestors(node):
            if isinstance(ancestor, (ast.If, ast.IfExp)) and child is not ancestor.test:
                inside = (
                    child in ancestor.body
                    if isinstance(ancestor, ast.If)
                    else (child is ancestor.body)
                )
                if self._only_in_process(ancestor.test, negated=not inside):
                    return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def _only_in_process(self, test: ast.expr, *, negated: bool) -> bool:
        """``test`` (its negation when ``negated``) holds only when a transport is
        in-process or local: every part of an ``or``, one part of an ``and``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._only_in_process(test.operand, negated=not negated)
        if isinstance(test, ast.BoolOp):
            parts = [self._only_in_process(v, negated=negated) for v in test.values]
            # not (a or b) is (not a and not b): De Morgan swaps which parts must hold.
            return all(parts) if isinstance(test.op, ast.Or) != negated else any(parts)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(test.left, ast.Constant):
                return False
            if isinstance(op, ast.NotEq if negated else ast.Eq):
                return self._in_process_values([right])
            if isinstance(op, ast.NotIn if negated else ast.In) and isinstance(right, _CONTAINER):
                return self._in_process_values(right.elts)
            return False
        if (
            not negated
            and isinstance(test, ast.Call)
            and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith"
            and len(test.args) == 1
            and not test.keywords
        ):
            prefixes = test.args[0].elts if isinstance(test.args[0], ast.Tuple) else [test.args[0]]
            return self._in_process_values(prefixes)
        return False

    def _in_process_values(self, items: list[ast.expr]) -> bool:
        """Every item names an in-process or local transport: ``"inproc"``, ``"ipc://"``,
        ``"unix"``, ``socket.AF_UNIX``."""
        return bool(items) and all(
            (
                isinstance(i, ast.Constant)
                and isinstance(i.value, str)
                and i.value.lower().removesuffix("://").removesuffix(":") in _IN_PROCESS
            )
            or self.ctx.resolve(i) == "socket.AF_UNIX"
            for i in items
        )

    # --- what the command line gives (DL301's command-line defaults) ----------------------------

    def from_command_line(self, node: ast.expr) -> bool:
        """Whether the value of ``node`` is read from the command line: ``sys.argv`` (an
        entry, a slice), what ``parse_args()``, ``parse_known_args()``, ``getopt()`` or
        ``docopt()`` return and their attributes and items, a parameter of a click or typer command,
        a parameter named as the parsed command line is (``args``, ``argv``, ``opts``,
        ``cli_args``, ``parsed_args``: a command's ``main(args)`` gets it from another
        module) or that every call of this file passes such a value, and what a method of
        such a value returns (``target.split(":", 1)``, ``host.strip()``). Followed
        through this file's names; another function's result (``load(args.config)``)
        is not the command line."""
        return self._from_command_line(node, 0, set())

    def _from_command_line(self, node: ast.AST, depth: int, seen: set[int]) -> bool:
        if depth > _MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        deeper = depth + 1
        if isinstance(node, (ast.Name, ast.Attribute)) and self.ctx.resolve(node) == "sys.argv":
            return True
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            return bool(defs) and all(self._def_from_command_line(d, deeper, seen) for d in defs)
        if isinstance(node, ast.Attribute):
            if _imported(node, self.ctx) or self._self_class(node) is not None:
                return False
            return self._from_command_line(node.value, deeper, seen)
        if isinstance(node, (ast.Subscript, ast.Starred)):
            return self._from_command_line(node.value, deeper, seen)
        if isinstance(node, ast.Call):
            func = node.func
            if last_name(func) in _COMMAND_LINE_PARSES:
                return True
            if _namespace_dict(node):  # vars(parser.parse_args())["host"]
                return self._from_command_line(node.args[0], deeper, seen)
            if isinstance(func, ast.Attribute) and not _imported(func, self.ctx):
                return self._from_command_line(func.value, deeper, seen)  # target.split(":")
            if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
                return self._from_command_line(node.args[0], deeper, seen)
            return False
        if isinstance(node, ast.BoolOp):
            return all(self._from_command_line(v, deeper, seen) for v in node.values)
        if isinstance(node, ast.IfExp):
            return self._from_command_line(node.body, deeper, seen) and self._from_command_line(
                node.orelse, deeper, seen
            )
        return False

    def _def_from_command_line(self, d: Def, depth: int, seen: set[int]) -> bool:
        if d.kind == "assign" and d.value is not None:
            return self._from_command_line(d.value, depth, seen)
        if isinstance(d.node, (ast.Assign, ast.AnnAssign)) and d.node.value is not None:
            return self._from_command_line(d.node.value, depth, seen)  # host, port = x.split()
        if isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
            return self._from_command_line(d.node.iter, depth, seen)
        if d.kind != "param":
            return False
        function = d.scope.node
        if not isinstance(function, FUNCTIONS) or d.node in (
            function.args.vararg,
            function.args.kwarg,
        ):
            return False  # *args: a caller's positional arguments, not the command line
        if any(
            (
                self.ctx.resolve(decorator.func if isinstance(decorator, ast.Call) else decorator)
                or ""
            ).split(".", 1)[0]
            in _COMMAND_LINE_LIBRARIES
            for decorator in function.decorator_list
        ):
            return True  # @click.command() @click.argument("target") def main(target)
        if d.name in _COMMAND_LINE_NAMES or d.name.endswith(("_args", "_argv")):
            return True
        arguments = self._arguments(d)
        return bool(arguments) and all(self._from_command_line(a, depth, seen) for a in arguments)

    def command_line_default(self, node: ast.expr) -> bool:
        """``node`` stands in only for a value the command line leaves out, as an
        option's ``default=`` does: the fallback of a value read from it (``args.host or
        "localhost"``, ``sys.argv[1] if len(sys.argv) > 1 else "localhost"``, ``if not
        opts.host: opts.host = "localhost"``), the part of a ``[host:]port`` argument
        the code fills in when only a port is given (``if ":" in target: host, port =
        target.split(":", 1) else: host, port = "localhost", target``), a value the
        next ``if`` on the command line replaces with its argument (``host =
        "localhost"`` then ``if len(sys.argv) > 1: host = sys.argv[1]``) or one assigned
        when reading the argument fails (``except IndexError:``). The test of the ``if``
        must look at the value the other branch reads (:meth:`from_command_line`)."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or):
            return parent.values[-1] is node and all(
                self.from_command_line(v) for v in parent.values[:-1]
            )
        if isinstance(parent, ast.IfExp) and node is not parent.test:
            other = parent.orelse if node is parent.body else parent.body
            return self._chosen_by(parent.test, other)
        assigned = self._assigned_target(node, parent)
        if assigned is None:
            return False
        statement, target = assigned
        holder = self.parents.get(statement)
        if (
            isinstance(holder, ast.If)
            and statement in holder.body
            and (_tests_missing(holder.test, target))
        ):
            return any(  # if not opts.broker: opts.broker = "amqp://localhost"
                _same_target(read, target) and self.from_command_line(read)
                for read in walk(holder.test)
                if isinstance(read, (ast.Name, ast.Attribute))
            )
        if isinstance(holder, ast.If):
            other_branch = holder.orelse if statement in holder.body else holder.body
            return any(
                self._chosen_by(holder.test, value)
                for value in _values_assigned(other_branch, target)
            )
        if isinstance(holder, ast.ExceptHandler):
            attempt = self.parents.get(holder)
            return isinstance(attempt, ast.Try) and any(
                self.from_command_line(value) for value in _values_assigned(attempt.body, target)
            )
        block = next(
            (
                body
                for field in ("body", "orelse", "finalbody")
                if isinstance(body := getattr(holder, field, None), list) and statement in body
            ),
            None,
        )
        if block is None:
            return False
        later = block[block.index(statement) + 1 :]
        return any(
            isinstance(guard, ast.If)
            and any(self._chosen_by(guard.test, v) for v in _values_assigned(guard.body, target))
            for guard in later
        )

    def _assigned_target(
        self, value: ast.AST, parent: ast.AST | None
    ) -> tuple[ast.stmt, ast.expr] | None:
        """``(statement, target)`` when ``value`` is what one target receives: ``host =
        value``, ``opts.host = value``, or an element of ``host, port = value, target``."""
        node = value
        index: int | None = None
        if isinstance(parent, ast.Tuple):
            index = next((i for i, e in enumerate(parent.elts) if e is value), None)
            if index is None:
                return None
            node, parent = parent, self.parents.get(parent)
        if not (
            isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.value is node
        ):
            return None
        target = parent.targets[0]
        if index is not None:
            if not (
                isinstance(node, ast.Tuple)
                and isinstance(target, (ast.Tuple, ast.List))
                and len(target.elts) == len(node.elts)
                and not any(isinstance(e, ast.Starred) for e in target.elts)
            ):
                return None
            target = target.elts[index]
        if not isinstance(target, (ast.Name, ast.Attribute)):
            return None
        return parent, target

    def _chosen_by(self, test: ast.expr, value: ast.expr) -> bool:
        """``value`` is read from the command line and ``test`` looks at what it reads:
        ``len(sys.argv) > 1`` and ``sys.argv[1]``, ``":" in target`` and
        ``target.split(":")``; not ``args.local`` and ``args.host``."""
        if not self.from_command_line(value):
            return False
        inside = {ast.dump(n) for n in walk(value) if isinstance(n, _CHAINS)}
        return any(
            ast.dump(n) in inside and self.from_command_line(n)
            for n in walk(test)
            if isinstance(n, _CHAINS) and not isinstance(self.parents.get(n), _CHAINS)
        )

    def _ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def _tested_above(self, node: ast.Constant) -> bool:
        """``if os.path.isfile("/etc/x"): open("/etc/x")``: the same path tested first."""
        child: ast.AST = node
        for ancestor in self._ancestors(node):
            if isinstance(ancestor, (ast.If, ast.While, ast.IfExp)) and child is not ancestor.test:
                for sub in walk(ancestor.test):
                    if (
                        isinstance(sub, ast.Call)
                        and (self.ctx.resolve(sub.func) or "") in _PROBES
                        and any(
                            isinstance(a, ast.Constant) and a.value == node.value for a in sub.args
                        )
                    ):
                        return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False


#: Mapping methods that read a key and fall back to (and, for ``setdefault``, store)
#: their second argument: ``config.setdefault("host", "localhost")``,
#: ``kwargs.pop("host", "localhost")``.
_DEFAULTING_METHODS = frozenset({"setdefault", "pop"})


def _constant_in(node: ast.AST | None, names: frozenset[str]) -> bool:
    """``node`` is a string literal among ``names``."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names


class _KeyRead(NamedTuple):
    """A read of a setting by key (:meth:`SemanticModel._key_read`)."""

    #: The reading call's name (``get``, ``getint``, ``get_env``); ``None`` for the
    #: environment.
    reader: str | None
    #: The literal keys the read starts with: ``("NAME",)``, ``("main", "port")``.
    keys: tuple[str, ...]
    default: ast.expr | None
    #: Called as a method (``config.get``), not as a function (``get_env``).
    method: bool


def _environment_read(node: ast.expr, ctx: FileContext) -> tuple[str, ast.expr | None] | bool:
    """``("NAME", <default>)`` when ``node`` reads the environment variable ``NAME``
    (``os.environ.get``, ``os.getenv``, ``os.environ["NAME"]``); ``True`` when it
    touches the environment otherwise (a write, a name that is no literal), ``False``
    when it does not touch it. The first access ``env_accesses`` finds decides."""
    for access in env_accesses(node, ctx):
        if access.kind == "read" and access.name is not None:
            return access.name, access.default
        return True
    return False


def _script_named(node: ast.expr) -> str | None:
    """``daemon.py`` for a command element naming a Python script: ``"daemon.py"``,
    ``"tools/daemon.py"``, ``str(Path(__file__).parent / "daemon.py")``,
    ``os.path.join(here, "daemon.py")``."""
    node = _unconverted(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        node = node.right
    elif isinstance(node, ast.Call) and last_name(node.func) == "join" and node.args:
        node = node.args[-1]
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    text = node.value.replace("\\", "/")
    return text.rsplit("/", 1)[-1] if text.endswith(".py") else None


#: How many passed-through arguments :meth:`SemanticModel.launch_links` links.
_MAX_ARGV = 10
#: A command template's placeholder, or a literal port, as one argument.
_PLACEHOLDER_RE = lazy_pattern(r"\$\{?\w+\}?|\{\w+\}|%\(\w+\)[sd]|\d{2,5}")
_LITERAL_PORT_RE = lazy_pattern(r"\d{2,5}")
_COMMAND_SEPARATORS = frozenset({"&&", "||", ";", "|", ">", ">>", "<", "2>&1", "&"})


#: A parameter the call leaves to its default (:func:`_argument_for`).
_OMITTED = ast.Constant(value=None)
#: Calls of this file's functions whose result :meth:`SemanticModel.texts` reads, nested.
_MAX_CALL_CONTEXTS = 4


def _argument_for(
    call: ast.Call, function: ast.FunctionDef, name: str, bound: bool
) -> ast.expr | None:
    """The argument ``call`` gives ``function``'s parameter ``name``: by keyword or by
    position, :data:`_OMITTED` when it is left to its default, ``None`` when ``*args``
    or ``**kwargs`` may hold it."""
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


def _unconverted(node: ast.expr) -> ast.expr:
    """``node`` without the ``int(...)``/``str(...)`` conversions around it: a port
    read as ``int(sys.argv[1])`` is the value of ``sys.argv[1]``."""
    found = node
    while (
        isinstance(found, ast.Call)
        and len(found.args) == 1
        and last_name(found.func) in {"int", "str"}
    ):
        found = found.args[0]
    return found


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


def _holds_only_for_loopback(test: ast.expr) -> bool:
    """A test that holds only when a value is loopback: ``x == "localhost"``, ``x in
    ("localhost", "::1")``, ``x.startswith("127.")``; every part of an ``or``, one
    part of an ``and``."""
    if isinstance(test, ast.BoolOp):
        parts = [_holds_only_for_loopback(v) for v in test.values]
        return all(parts) if isinstance(test.op, ast.Or) else any(parts)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.left, ast.Constant):
            return False
        right = test.comparators[0]
        if isinstance(test.ops[0], ast.Eq):
            return _loopback_literals([right])
        if isinstance(test.ops[0], ast.In) and isinstance(right, _CONTAINER):
            return _loopback_literals(right.elts)
        return False
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and len(test.args) == 1
        and not test.keywords
    ):
        prefixes = test.args[0].elts if isinstance(test.args[0], ast.Tuple) else [test.args[0]]
        return bool(prefixes) and all(
            isinstance(p, ast.Constant)
            and isinstance(p.value, str)
            and p.value in _LOOPBACK_PREFIXES
            for p in prefixes
        )
    return False


#: Calls that return the parsed command line (argparse, optparse, getopt, docopt).
_COMMAND_LINE_PARSES = frozenset(
    {"parse_args", "parse_known_args", "getopt", "gnu_getopt", "docopt"}
)


def _namespace_dict(call: ast.Call) -> bool:
    """``vars(x)``: the dictionary of ``x``'s attributes, which holds what ``x`` holds."""
    func = call.func
    return (
        isinstance(func, ast.Name)
        and func.id == "vars"
        and len(call.args) == 1
        and not isinstance(call.args[0], ast.Starred)
        and not call.keywords
    )


#: Libraries whose decorated functions' parameters are the command line's values.
_COMMAND_LINE_LIBRARIES = frozenset({"click", "typer"})
#: Parameter names that hold the parsed command line by convention.
_COMMAND_LINE_NAMES = frozenset({"args", "argv", "opts"})
#: A value read from an object, by attribute or item: a chain the model follows.
_CHAINS = (ast.Name, ast.Attribute, ast.Subscript)


def _values_assigned(body: list[ast.stmt], target: ast.expr) -> list[ast.expr]:
    """The values the statements of ``body`` (not functions nested in them) give
    ``target``: ``host = v``, and ``v`` of ``host, port = v`` (its element when ``v`` is
    a tuple of as many)."""
    out: list[ast.expr] = []
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Assign):
            for assigned in node.targets:
                if _same_target(assigned, target):
                    out.append(node.value)
                elif isinstance(assigned, (ast.Tuple, ast.List)):
                    for i, elt in enumerate(assigned.elts):
                        if not _same_target(elt, target):
                            continue
                        value = node.value
                        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(
                            assigned.elts
                        ):
                            out.append(value.elts[i])
                        else:
                            out.append(value)
    return out


#: Transports whose peer is in this process or on this machine, by name or scheme.
_IN_PROCESS = frozenset({"inproc", "ipc", "unix"})

#: Prefixes that only loopback addresses start with.
_LOOPBACK_PREFIXES = frozenset({"127."})


def _loopback_literals(items: list[ast.expr]) -> bool:
    return bool(items) and all(
        isinstance(i, ast.Constant) and isinstance(i.value, str) and is_loopback_host(i.value)
        for i in items
    )


def _same_target(a: ast.AST, b: ast.AST) -> bool:
    """``host`` read and ``host`` assigned: the same name or attribute chain."""
    if isinstance(a, ast.Name) and isinstance(b, ast.Name):
        return a.id == b.id
    if isinstance(a, ast.Attribute) and isinstance(b, ast.Attribute):
        return a.attr == b.attr and _same_target(a.value, b.value)
    return False


def _tests_missing(test: ast.expr, target: ast.AST) -> bool:
    """``not x``, ``x is None``, ``x == ""`` or ``x == "mongodb://"``: ``x`` is missing
    or a stub a default completes; also as one part of a conjunction (``x is None and
    not interface``), which holds only when ``x`` is missing."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _same_target(test.operand, target)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        # ``x is None and not interface``: the value still replaces only a missing ``x``
        return any(_tests_missing(value, target) for value in test.values)
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and _same_target(test.left, target)
    )


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


#: A module's own test or demo function: ``test``, ``_test``, ``selftest``, ``demo_server``.
_SELF_TEST_RE = lazy_pattern(r"^_*(?:self_?)?(?:test|demo|example)(?:_|$)", re.I)


def _target_name(assign: ast.Assign | ast.AnnAssign) -> str | None:
    targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None


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


#: Calls that hand a test the warnings its code raised, to check (trial's ``flushWarnings``,
#: pytest's ``deprecated_call``, which needs no category).
_WARNING_FLUSHES = frozenset({"flushWarnings", "deprecated_call", "callDeprecated"})
#: Calls that check a warning of the category given first: ``pytest.warns(C)``,
#: ``self.assertWarns(C)``, ``self.assertWarnsRegex(C, ...)``.
_WARNING_ASSERTS = frozenset({"warns", "assertWarns", "assertWarnsRegex"})


def _names_deprecation(node: ast.expr) -> bool:
    """A warning category (or a tuple of them) that says deprecation: ``DeprecationWarning``,
    ``PendingDeprecationWarning``, a project's ``ScrapyDeprecationWarning`` or
    ``RemovedInDjango60Warning``."""
    if isinstance(node, ast.Tuple):
        return any(_names_deprecation(e) for e in node.elts)
    name = last_name(node) or ""
    return "Deprecat" in name or (name.startswith("Removed") and name.endswith("Warning"))


def _position(d: Def) -> tuple[int, int]:
    return getattr(d.node, "lineno", 0), getattr(d.node, "col_offset", 0)


def _compare(op: ast.cmpop, left: object, right: object) -> object:
    if left is UNKNOWN_VALUE or right is UNKNOWN_VALUE:
        return UNKNOWN_VALUE
    try:
        if isinstance(op, ast.Eq):
            return left == right
        if isinstance(op, ast.NotEq):
            return left != right
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (tuple, str)):
            inside = left in right
            return inside if isinstance(op, ast.In) else not inside
    except TypeError:
        return UNKNOWN_VALUE
    return UNKNOWN_VALUE


def _bounded(texts: list[str]) -> list[str]:
    out = list(dict.fromkeys(texts))
    return out if len(out) <= _MAX_TEXTS else [*out[: _MAX_TEXTS - 1], HOLE]


def _dedupe(texts: list[Text]) -> list[Text]:
    out = list(dict.fromkeys(texts))
    if len(out) > _MAX_TEXTS:
        out = [*out[: _MAX_TEXTS - 1], _UNKNOWN_TEXT]
    return out


def _bounded_product(lists: list[list[Text]]) -> Iterator[tuple[Text, ...]]:
    for count, combo in enumerate(product(*lists)):
        if count >= _MAX_TEXTS:
            return
        yield combo


def _concat(pieces: list[list[Text]]) -> list[Text]:
    return [
        Text("".join(t.text for t in combo), _source(combo)) for combo in _bounded_product(pieces)
    ]


def _source(texts: Iterable[Text]) -> str | None:
    return next((t.source for t in texts if t.source is not None), None)


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


def _leading_strings(args: list[ast.expr]) -> list[str]:
    """The literal strings an argument list starts with."""
    out: list[str] = []
    for arg in args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            break
        out.append(arg.value)
    return out


def launch_links(
    ctx: FileContext, tree: ast.AST, model: SemanticModel | None = None
) -> frozenset[tuple[str, str]]:
    """What a file says about the command lines of the scripts it starts: pairs
    of one value, ``argv:SCRIPT:N`` (the ``N``-th argument of the script
    ``SCRIPT``, by base name) and the value given there. In a process start
    (``Popen([sys.executable, "daemon.py", str(PORT)])``, ``[..., "x.py"] +
    sys.argv[1:]``, followed through one assignment of the list) the value is
    this file's own argument (``argv:``, passed through), a binding (the same
    reaching definitions of a name), an attribute or a literal port; in a command
    template (``"$PYTHON $DIR/daemon_build.py $PORT $OUT"``, a build rule's or
    a shell line's text) a placeholder (``$PORT``, ``${PORT}``, ``{port}``,
    ``%(port)s``) or a literal port. Values other than ``argv:`` are this
    file's: ``arg:RELPATH:...``. Two scripts given one value share it.

    The calls and strings are picked from the walk's parent map (:func:`of_type`),
    not by a walk; ``model`` (the file's semantic model, :func:`model_of` when
    ``None``) is built only when a call starts a process: a template needs none.
    """
    nodes: Collection[ast.AST] = ctx.parents or walk(tree)
    out: set[tuple[str, str]] = set()
    aliases = ctx.aliases
    # The names a call's chain can start from to resolve to a process start
    # (``subprocess.run``, ``os.execv``, ``sp.Popen``, ``spawnv`` from os): any
    # other call starts one only by its own name (``Popen``).
    heads = {head for head, target in aliases.items() if _may_start_processes(target)}
    heads.update(head for head in ("os", "subprocess") if head not in aliases)
    attribute, name_type = ast.Attribute, ast.Name
    for node in of_type(nodes, ast.Call):
        func = node.func
        name = last_name(func)
        if name is None:
            continue
        if name not in _PROCESS_STARTERS:
            head = func
            while isinstance(head, attribute):
                head = head.value
            if not isinstance(head, name_type) or head.id not in heads:
                continue
        if _starts_process(name, ctx.resolve(func) or name):
            if model is None:
                model = model_of(ctx)
                if model is None:
                    break  # no tree to build it from
            model._process_links(node, out)
    for constant in of_type(nodes, ast.Constant):
        value = constant.value
        if isinstance(value, str) and ".py " in value:
            _template_links(value, ctx.relpath, out)
    return frozenset(out)


def _template_links(text: str, relpath: str, out: set[tuple[str, str]]) -> None:
    tokens = text.split()
    for position, token in enumerate(tokens):
        if not token.endswith(".py"):
            continue
        script = token.replace("\\", "/").rsplit("/", 1)[-1]
        for index, argument in enumerate(tokens[position + 1 :], 1):
            if argument in _COMMAND_SEPARATORS:
                break
            if _PLACEHOLDER_RE.fullmatch(argument):
                out.add((f"argv:{script}:{index}", f"arg:{relpath}:{argument}"))


_KEY = "semantic"


def helper_parameter_uses(
    relpath: str, raw_calls: list[object], project: ProjectView
) -> list[frozenset[str]] | None:
    """Where the value goes in each project function it was handed to
    (:meth:`SemanticModel.uses_through_helpers`, as rows ``[HelperCall JSON, the uses of
    the call's result in relpath]``), asked of that function's own file; what it
    returns goes where the caller uses the result. ``None`` when one of them is not a
    module-level function of the project that can be read."""
    out: list[frozenset[str]] = []
    for raw in raw_calls:
        if not (isinstance(raw, list) and len(raw) == 2 and isinstance(raw[1], list)):
            return None
        found = helper_function(relpath, raw[0], project)
        if found is None:
            return None
        helper, function, tree, ctx = found
        result = frozenset(str(use) for use in raw[1])
        uses = model_for(tree, ctx).parameter_uses(function, helper)
        if uses is None:
            return None
        out.append(uses - {RETURNED} | result if RETURNED in uses else uses)
    return out


def imported_texts(relpath: str, qualified: str, project: ProjectView) -> list[Text] | None:
    """The texts the module-level name ``qualified`` (:meth:`SemanticModel.imported_values`
    of ``relpath``) may have, read from its module's own file: every top-level
    assignment of the name there. ``None`` when the module is not the project's, cannot
    be read, or does not assign the name at its top level (a re-export, a function)."""
    module, _, name = qualified.rpartition(".")
    model = module_model(module, project)
    values = [
        statement.value
        for statement in (model.top_level_bindings(name) if model is not None else ())
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None
    ]
    if model is None or not values:
        return None
    return [t for value in values for t in model.texts(value)]


def module_model(module: str, project: ProjectView) -> SemanticModel | None:
    """The model of the project's module ``module`` (its file read through the project
    index); ``None`` when it is not a module of the project or cannot be read."""
    relpath = project.file_of(module) if module else None
    parsed = project.parsed(relpath) if relpath is not None else None
    return model_for(*parsed) if parsed is not None else None


def model_for(tree: ast.Module, ctx: FileContext) -> SemanticModel:
    """The model of another file the project index parsed (``ProjectView.parsed``: its
    context holds no tree), built once and kept with that context."""
    found = ctx.memo.get(_KEY)
    if found is None:
        found = ctx.memo[_KEY] = SemanticModel(tree, ctx)
    assert isinstance(found, SemanticModel)
    return found


def model_of(ctx: FileContext) -> SemanticModel | None:
    """The file's semantic model, built on first use and shared by every rule."""
    found = ctx.memo.get(_KEY)
    if found is None:
        if ctx.tree is None:
            return None
        found = ctx.memo[_KEY] = SemanticModel(ctx.tree, ctx)
    assert isinstance(found, SemanticModel)
    return found
