"""How the semantic model is built: on the engine's own parent map, in the old order."""

from __future__ import annotations

import ast
import gc
import textwrap
import weakref
from typing import ClassVar

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.semantic import SemanticModel, model_of
from debt_lints.core.model import Rule
from debt_lints.core.settings import Settings
from debt_lints.engine.walk import RuleSet, analyze_tree, check_source

SOURCE = textwrap.dedent(
    """
    import socket

    @decorate(make(1))
    def serve(host=pick("a")):
        sock = socket.socket()
        sock.bind((host if check(host) else other(host), port()))
        table = {key(1): value(2), **extra(3)}
        return [wrap(x) for x in items(y) if keep(x)], lambda: later()

    serve(pick("b"))
    """
)


def _old_parents_and_calls(tree: ast.Module) -> tuple[dict[ast.AST, ast.AST], list[ast.Call]]:
    """What the model built on its own before it shared the walk's map: the parents
    of every node but the ``Load``/``Store`` singletons, and the calls in its order."""
    parents: dict[ast.AST, ast.AST] = {}
    calls: list[ast.Call] = []
    stack: list[ast.AST] = [tree]
    while stack:
        parent = stack.pop()
        for child in ast.iter_child_nodes(parent):
            if not isinstance(child, ast.expr_context):
                parents[child] = parent
            stack.append(child)
        if isinstance(parent, ast.Call):
            calls.append(parent)
    return parents, calls


class _AsksAtFirstCall(Rule):
    """Asks for the model at the first call the walk meets: most of the tree is not walked yet."""

    code = "DL999"
    name = "asks-the-model"
    summary = message = "test"
    models: ClassVar[list[SemanticModel | None]] = []

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self.models:
            self.models.append(model_of(ctx))


def test_the_model_completes_and_shares_the_walks_parent_map_in_the_middle_of_the_walk() -> None:
    tree = ast.parse(SOURCE)
    ctx = FileContext("m.py", "m.py", SOURCE)
    ctx.tree = tree
    _AsksAtFirstCall.models = []
    analyze_tree(tree, ctx, RuleSet([_AsksAtFirstCall], Settings()), [])
    [model] = _AsksAtFirstCall.models
    assert model is not None
    # One map per file: the model did not build a second one.
    assert model.parents is ctx.parents
    expected, _ = _old_parents_and_calls(tree)
    assert {k: v for k, v in ctx.parents.items() if not isinstance(k, ast.expr_context)} == expected


def test_a_model_built_alone_knows_every_parent() -> None:
    tree = ast.parse(SOURCE)
    ctx = FileContext("m.py", "m.py", SOURCE)
    ctx.tree = tree
    model = model_of(ctx)
    assert model is not None
    expected, _ = _old_parents_and_calls(tree)
    assert {k: v for k, v in model.parents.items() if not isinstance(k, ast.expr_context)} == (
        expected
    )


def test_call_sites_keep_the_order_of_the_models_own_traversal() -> None:
    tree = ast.parse(SOURCE)
    ctx = FileContext("m.py", "m.py", SOURCE)
    ctx.tree = tree
    model = model_of(ctx)
    assert model is not None
    _, calls = _old_parents_and_calls(tree)
    for name in ("pick", "check", "other", "key", "value", "extra", "wrap", "items", "keep"):
        expected = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == name]
        assert model.call_sites(name) == expected, name


class _KeepsWeakRefs(Rule):
    """Asks for the model, and remembers it, the tree and whether the collector ran."""

    code = "DL999"
    name = "keeps-weak-refs"
    summary = message = "test"
    refs: ClassVar[list[weakref.ref[object]]] = []
    collector_on: ClassVar[list[bool]] = []

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self.collector_on.append(gc.isenabled())
        if not self.refs:
            model = model_of(ctx)
            assert model is not None and ctx.tree is not None
            self.refs.extend([weakref.ref(model), weakref.ref(ctx.tree)])


def _check_with_refs() -> list[weakref.ref[object]]:
    _KeepsWeakRefs.refs = []
    _KeepsWeakRefs.collector_on = []
    result = check_source(SOURCE, "m.py", "m.py", RuleSet([_KeepsWeakRefs], Settings()))
    assert not result.internal_errors
    return _KeepsWeakRefs.refs


def test_the_model_and_the_tree_are_freed_when_the_file_ends_without_the_collector() -> None:
    was_on = gc.isenabled()
    gc.disable()
    try:
        refs = _check_with_refs()
        assert len(refs) == 2
        # Nothing but reference counting ran: no cycle kept the model or the tree.
        assert [ref() for ref in refs] == [None, None]
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        if was_on:
            gc.enable()


def test_the_collector_is_paused_while_a_file_is_checked_and_back_after() -> None:
    assert gc.isenabled()
    _check_with_refs()
    assert _KeepsWeakRefs.collector_on and not any(_KeepsWeakRefs.collector_on)
    assert gc.isenabled()
