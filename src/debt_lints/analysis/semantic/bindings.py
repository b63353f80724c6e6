"""Scopes, bindings and reaching definitions: the base of the semantic model.

Answers *which binding gives this name its value*: the module, each function,
lambda and class and the names each binds, in program order (:class:`Def`,
:class:`Scope`, built by :class:`_Builder` when a scope is first asked);
:meth:`ScopeModel.reaching` (the bindings that may reach a read),
:meth:`ScopeModel.def_uses` (the reads a binding may reach); the values a class
assigns to one of its attributes (:meth:`ScopeModel.attribute_values`,
``self.x``); and the walk up the tree (the enclosing statement, class,
ancestors). Every other family of questions is asked of this.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

from debt_lints.analysis.context import FUNCTIONS, FileContext
from debt_lints.analysis.nodes import MANY, ONE, forward_kinds, walk
from debt_lints.analysis.resources import HelperCall

_MAX_DEPTH = 12


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

    def __init__(self, model: ScopeModel, scope: Scope) -> None:
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


_CONTAINER = (ast.Tuple, ast.List, ast.Set)


def _imported(node: ast.AST, ctx: FileContext) -> bool:
    """Whether a chain of attributes starts at an imported name (a module's value)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in ctx.aliases


class ScopeModel:
    """The scopes, bindings and reaching definitions of one module."""

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

    def _class_of(self, node: ast.AST) -> ast.ClassDef | None:
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, ast.ClassDef):
                return current
            current = self.parents.get(current)
        return None

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

    def _statement(self, node: ast.AST) -> ast.AST | None:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parents.get(current)
        return current

    def _ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)


def _position(d: Def) -> tuple[int, int]:
    return getattr(d.node, "lineno", 0), getattr(d.node, "col_offset", 0)
