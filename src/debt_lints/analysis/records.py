"""Values that name a record rather than a place: a URL given to an item as its identity.

A record that must carry a unique URL (a feed entry, an injected item, a
generated test row) is often given a placeholder built for each item:
``entry["url"] = "http://localhost/mock/{}".format(token)``,
``f"http://localhost?update_id={update_id}"`` for each message a loop walks.
Nothing requests it: it tells records apart. :func:`record_identity` tells that
shape from an address, asking the semantic model where the value goes; a rule
judges what it means (DL301: no peer is assumed).
"""

from __future__ import annotations

import ast
import re

from debt_lints.analysis.literals import is_loopback_host, last_name, template
from debt_lints.analysis.semantic import LISTEN, OWN_LISTENER, PEER, SPAWN, SemanticModel
from debt_lints.core.lazy import lazy_pattern

__all__ = ["record_identity"]

#: Uses that make a value an address, wherever else it goes.
_REACHED = frozenset({PEER, OWN_LISTENER, LISTEN, SPAWN})
#: Modules whose calls give a value unique to the item: a random token, a UUID.
_UNIQUE_MODULES = ("random.", "uuid.", "secrets.", "hashlib.")
_UNIQUE_CALLS = frozenset({"os.urandom", "hash", "id"})
#: ``scheme://host`` and what follows, from a template (holes as ``{}`` or ``%s``).
_URL_RE = lazy_pattern(r"^[a-z][a-z0-9+.-]*://([^/?#]*)(.*)$", re.S | re.I)
_MAX_DEPTH = 6


def record_identity(model: SemanticModel, node: ast.expr) -> bool:
    """``node`` (a string literal or an f-string) builds a URL that identifies a record:

    * a URL whose host is loopback, with **no port** (``http://localhost/mock/{}``: it names
      no service), the rest filled **per item**: a hole holds the variable of a loop
      around it (or a name assigned from it in that loop: ``update_id =
      message["update_id"]``) or a random or unique value (``random``, ``uuid``,
      ``secrets``, ``hashlib``, ``os.urandom``, ``hash()``, ``id()``);
    * **only stored as a field of a record**: under a constant key (``entry["url"] =
      ...``), as an attribute (``item.url = ...``), as a value of a dict display, as a
      keyword of a class's constructor (``Entry(title=t, url=...)``), directly or
      through a local name;
    * and neither the URL nor the record that holds it reaches a request, a connect, a
      client, a listener or a process (``requests.request(**params)`` after
      ``params["url"] = ...`` is a request).
    """
    built = _built(model, node)
    text = template(built)
    match = _URL_RE.match(text) if text is not None else None
    if match is None or not is_loopback_host(match.group(1)):
        return False  # not a URL, a host with a port or a hole, or another host
    fillers = _fillers(built)
    if not any(_per_item(model, filler, built, 0) for filler in fillers):
        return False
    if model.uses(built) & _REACHED:
        return False
    return _only_a_field(model, built, 0)


def _built(model: SemanticModel, node: ast.expr) -> ast.expr:
    """The whole string ``node`` is the literal part of: the f-string, the ``%``
    operation, the ``.format`` call or the sum that fills it."""
    while True:
        parent = model.parents.get(node)
        if isinstance(parent, ast.JoinedStr) or (
            isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Mod, ast.Add))
        ):
            node = parent
        elif isinstance(parent, ast.Attribute) and parent.attr == "format":
            call = model.parents.get(parent)
            if not (isinstance(call, ast.Call) and call.func is parent):
                return node
            node = call
        else:
            return node


def _fillers(built: ast.AST) -> list[ast.expr]:
    """The expressions that fill the holes of ``built``."""
    if isinstance(built, ast.JoinedStr):
        return [v.value for v in built.values if isinstance(v, ast.FormattedValue)]
    if isinstance(built, ast.Call):
        return [*built.args, *(k.value for k in built.keywords)]
    if isinstance(built, ast.BinOp) and isinstance(built.op, ast.Mod):
        if isinstance(built.right, ast.Tuple):
            return list(built.right.elts)
        return [built.right]
    if isinstance(built, ast.BinOp):  # "http://localhost/x/" + token
        out: list[ast.expr] = []
        for side in (built.left, built.right):
            if isinstance(side, ast.BinOp) and isinstance(side.op, ast.Add):
                out.extend(_fillers(side))
            elif not (isinstance(side, ast.Constant) and isinstance(side.value, str)):
                out.append(side)
        return out
    return []


def _per_item(model: SemanticModel, filler: ast.expr, built: ast.AST, depth: int) -> bool:
    """``filler`` holds a value of the item: a random or unique value, or a name bound
    by a loop around ``built`` (its target, or an assignment in its body from one)."""
    if depth > _MAX_DEPTH:
        return False
    loops = _loops_around(model, built)
    for sub in ast.walk(filler):
        if isinstance(sub, ast.Call):
            name = model.ctx.resolve(sub.func) or model.ctx.dotted(sub.func) or ""
            if name.startswith(_UNIQUE_MODULES) or name in _UNIQUE_CALLS:
                return True
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            for d in model.reaching(sub):
                if d.kind == "element" and id(d.node) in loops:
                    return True
                if (
                    d.kind == "assign"
                    and d.value is not None
                    and _inside(model, d.node, loops)
                    and _per_item(model, d.value, built, depth + 1)
                ):
                    return True
    return False


def _loops_around(model: SemanticModel, node: ast.AST) -> set[int]:
    """The ``for`` statements and comprehensions ``node`` is in, by id."""
    out: set[int] = set()
    child: ast.AST = node
    parent = model.parents.get(child)
    while parent is not None:
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child is not parent.iter:
            out.add(id(parent))
        elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            out.update(id(g) for g in parent.generators)
        child, parent = parent, model.parents.get(parent)
    return out


def _inside(model: SemanticModel, node: ast.AST, loops: set[int]) -> bool:
    parent = model.parents.get(node)
    while parent is not None:
        if id(parent) in loops:
            return True
        parent = model.parents.get(parent)
    return False


def _only_a_field(model: SemanticModel, value: ast.expr, depth: int) -> bool:
    """``value`` is stored only as a field of records that reach no peer: under a
    constant key, in a dict display, as a keyword of a class's constructor, or in a
    local name whose every read is stored so."""
    if depth > _MAX_DEPTH:
        return False
    parent = model.parents.get(value)
    if isinstance(parent, ast.Assign):
        if parent.value is not value:
            return False
        return all(_field_store(model, target, depth) for target in parent.targets)
    if isinstance(parent, ast.Dict):
        key = next((k for k, v in zip(parent.keys, parent.values, strict=True) if v is value), None)
        return _constant_key(key) and not model.uses(parent) & _REACHED
    if isinstance(parent, ast.keyword) and parent.arg is not None:
        call = model.parents.get(parent)
        name = last_name(call.func) if isinstance(call, ast.Call) else None
        return (
            isinstance(call, ast.Call)
            and name is not None
            and name[:1].isupper()
            and not model.uses(call) & _REACHED
        )
    return False


def _field_store(model: SemanticModel, target: ast.expr, depth: int) -> bool:
    """``record["url"] = ...`` or ``record.url = ...`` (the record reaching no peer) or
    ``url = ...`` (each read of ``url`` stored so)."""
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        if isinstance(target, ast.Subscript) and not _constant_key(target.slice):
            return False  # urls[i] = ...: a collection of URLs, not a record's field
        holder = target.value
        if not isinstance(holder, ast.Name):
            return isinstance(holder, ast.Attribute)  # self.fields["url"] = ...
        return not any(
            model.uses(read) & _REACHED
            for d in model.reaching(holder)
            for read in model.def_uses(d)
        )
    if isinstance(target, ast.Name):
        statement = model.parents.get(target)
        scope = model.scope_of(target)
        reads = [
            read
            for d in scope.defs.get(target.id, ())
            if d.node is statement
            for read in model.def_uses(d)
        ]
        return bool(reads) and all(_only_a_field(model, read, depth + 1) for read in reads)
    return False


def _constant_key(key: ast.AST | None) -> bool:
    return isinstance(key, ast.Constant) and isinstance(key.value, str)
