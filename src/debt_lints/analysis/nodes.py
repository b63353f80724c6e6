"""What each kind of syntax node holds: the fields a walk over the tree must read.

Shared by the engine's walk (:mod:`debt_lints.engine.walk`) and the semantic
model (:mod:`debt_lints.analysis.semantic`), which completes the walk's parent
map with the same knowledge instead of ``ast.iter_child_nodes`` (a generator
and an ``isinstance`` per field of every node); and :func:`walk`, ``ast.walk``'s
nodes in its order, for the model's questions about a whole module or class.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from itertools import compress, repeat
from operator import is_
from typing import TypeVar

_T = TypeVar("_T", bound=ast.AST)

#: ASDL field types that never hold a node (``Name(identifier id, ...)``).
SCALAR_FIELD_TYPES = frozenset({"identifier", "string", "constant", "int", "object", "bytes"})
_CHILD_FIELDS: dict[tuple[type[ast.AST], bool], tuple[str, ...]] = {}
_FIELD_KINDS: dict[tuple[type[ast.AST], bool], tuple[tuple[str, int], ...]] = {}
#: How the walk reads a field (:func:`field_kinds`): one node or ``None``, a list of
#: nodes (``None`` among them: ``Dict.keys``), or anything (checked item by item).
ONE, MANY, ANY = 0, 1, 2

#: Generating a walk's step for a node type (compiling its straight-line code)
#: costs about as much as walking a few thousand nodes the general way, and a
#: file of 750 lines has some 4,000 nodes of 25 types: the steps are generated
#: once this process has walked this many nodes (:func:`count_walked`). A
#: one-file check (an editor, a commit hook) generates none; a run over a tree,
#: after its first files.
GENERATE_AFTER = 50_000
_walked = [0]


def count_walked(nodes: int) -> None:
    """``nodes`` more were walked (the engine's walk, :func:`walk`)."""
    _walked[0] += nodes


def generating() -> bool:
    """Whether the walks generate their steps by now (:data:`GENERATE_AFTER`)."""
    return _walked[0] >= GENERATE_AFTER


def signature(node_type: type[ast.AST]) -> list[list[str]] | None:
    """The ``[kind, name]`` pairs of the node class's ASDL signature, or ``None``.

    Read from its docstring (``Attribute(expr value, identifier attr, expr_context
    ctx)``); ``None`` when the docstring does not name exactly the class's fields.
    """
    doc = (node_type.__doc__ or "").strip().split("\n", 1)[0]
    prefix = f"{node_type.__name__}("
    if not (doc.startswith(prefix) and doc.endswith(")")):
        return None
    declared = [f.split() for f in doc[len(prefix) : -1].split(",") if f.strip()]
    if [d[-1] for d in declared if len(d) == 2] != list(node_type._fields):
        return None
    return declared


def child_fields(node_type: type[ast.AST], with_contexts: bool) -> tuple[str, ...]:
    """The fields of ``node_type`` that may hold nodes, last first (for the walk's stack).

    Read from the node class's ASDL signature (:func:`signature`), so the walk
    never looks at names, constants or, unless a rule visits them, the
    ``Load``/``Store`` singletons, which are a third of all nodes. A
    signature that cannot be read keeps every field.
    """
    key = (node_type, with_contexts)
    fields = _CHILD_FIELDS.get(key)
    if fields is None:
        kept = list(node_type._fields)
        declared = signature(node_type)
        if declared is not None:
            skip = set(SCALAR_FIELD_TYPES)
            if not with_contexts:
                skip.add("expr_context")
            kept = [name for kind, name in declared if kind.rstrip("?*") not in skip]
        fields = _CHILD_FIELDS[key] = tuple(reversed(kept))
    return fields


def field_kinds(node_type: type[ast.AST], with_contexts: bool) -> tuple[tuple[str, int], ...]:
    """:func:`child_fields` with how each is read: ``ONE`` (``expr``, ``expr?``: a
    node or ``None``), ``MANY`` (``expr*``: a list of nodes or ``None``), or ``ANY``
    when the signature cannot be read, so that the walk needs no type test per field.
    """
    key = (node_type, with_contexts)
    kinds = _FIELD_KINDS.get(key)
    if kinds is None:
        declared = signature(node_type)
        marks = {d[1]: d[0] for d in declared or () if len(d) == 2}
        out = []
        for name in child_fields(node_type, with_contexts):
            mark = marks.get(name)
            if mark is None:
                out.append((name, ANY))
            else:
                out.append((name, MANY if mark.endswith("*") else ONE))
        kinds = _FIELD_KINDS[key] = tuple(out)
    return kinds


_FORWARD: dict[type[ast.AST], tuple[tuple[str, int], ...]] = {}


def forward_kinds(node_type: type[ast.AST]) -> tuple[tuple[str, int], ...]:
    """:func:`field_kinds` (no ``Load``/``Store``) in the order of the node's fields,
    as ``ast.iter_child_nodes`` reads them."""
    kinds = _FORWARD.get(node_type)
    if kinds is None:
        kinds = _FORWARD[node_type] = tuple(reversed(field_kinds(node_type, False)))
    return kinds


#: Appends a node's children to a list, in ``ast.iter_child_nodes``' order:
#: ``(node, append)``.
_Appender = Callable[[ast.AST, Callable[[ast.AST], None]], None]
_APPENDERS: dict[type[ast.AST], _Appender | None] = {}


def _appender(node_type: type[ast.AST]) -> _Appender | None:
    """The step of :func:`walk` over a node type's children, as straight-line code.

    Generated once per node type from its ASDL signature (as the engine's walk
    generates its steps): attribute loads instead of ``ast.iter_fields``'
    generator, a ``getattr`` and two ``isinstance`` tests per field. Every
    field is read before anything is appended, so a node missing one (a tree
    built by hand) raises before it changes anything and :func:`walk` takes
    ``ast.iter_child_nodes`` for it. ``None``: a field whose kind the signature
    does not tell (the general way too).
    """
    if node_type in _APPENDERS:
        return _APPENDERS[node_type]
    fields = tuple(reversed(field_kinds(node_type, True)))
    appender: _Appender | None = None
    if all(kind in (ONE, MANY) and name.isidentifier() for name, kind in fields):
        lines = ["def append_children(node, append):"]
        lines += [f"    f{i} = node.{name}" for i, (name, _) in enumerate(fields)]
        for i, (_, kind) in enumerate(fields):
            if kind == ONE:
                lines.append(f"    if f{i} is not None:\n        append(f{i})")
            else:
                lines.append(
                    f"    for item in f{i}:\n        if item is not None:\n            append(item)"
                )
        if not fields:
            lines.append("    return")
        namespace: dict[str, object] = {}
        # Generated from the ast module's own field names (identifiers), nothing read
        # from the checked code.
        exec(compile("\n".join(lines), "<debt-lints nodes>", "exec"), namespace)
        appender = namespace["append_children"]  # type: ignore[assignment]
    _APPENDERS[node_type] = appender
    return appender


def walk(node: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(node))``: the same nodes in the same order (breadth first, each
    node's children in the order of its fields), at a fraction of the cost.

    The semantic model looks through whole modules and classes this way; what it
    finds first (an attribute's values, in order) must not depend on how.
    """
    out = [node]
    append = out.append
    generate = generating()
    for current in out:  # the list grows as it is read: breadth first
        step = _APPENDERS.get(type(current), _UNKNOWN)
        if step is _UNKNOWN:
            if not isinstance(current, ast.AST):
                # A tree built by hand holds something else where a node goes:
                # ast.walk passes over it, so it is not counted as a node.
                return list(ast.walk(node))  # type: ignore[unreachable]  # typed as nodes, may not be
            step = _appender(type(current)) if generate else None
        if step is not None:
            size = len(out)
            try:
                step(current, append)  # type: ignore[operator]  # an _Appender
                continue
            except (AttributeError, TypeError):
                del out[size:]  # a field is missing or no list: read the general way
        out.extend(ast.iter_child_nodes(current))
    count_walked(len(out))
    return out


_UNKNOWN = object()


def of_type(nodes: Collection[ast.AST], node_type: type[_T]) -> list[_T]:
    """The nodes of exactly ``node_type`` (no subclass) among ``nodes``, in their order.

    ``nodes`` is usually the walk's parent map (its keys are every node of the
    tree but the root, ``Load``/``Store`` aside): the nodes are picked in C
    (``compress``/``map`` over the keys), with no Python step per node, where
    a walk would take one per node of every kind.
    """
    return list(compress(nodes, map(is_, map(type, nodes), repeat(node_type))))  # type: ignore[arg-type]  # picked by type
