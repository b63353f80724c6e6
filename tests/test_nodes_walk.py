"""analysis.nodes.walk: ast.walk's nodes in ast.walk's order, without its generators."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import textwrap
from pathlib import Path

import pytest

from debt_lints.analysis import nodes
from tests.test_semantic import build

#: Every walk here runs with generated steps and with the general loop.
pytestmark = pytest.mark.usefixtures("walk_steps")

SOURCE = textwrap.dedent(
    """
    import os, subprocess, sys
    from . import sibling as s
    x: int = 1
    y = {1: 2, **other}
    def f(a, /, b=2, *c, d, **e):
        global g
        async def inner():
            async with m() as (p, q):
                yield [i async for i in r if i]
            return await z
        match a:
            case {"k": [1, *rest]} | Point(x=0) as w if w:
                pass
            case _:
                del a[1:2:3], b.c
        return lambda k=1: (k if k else -k, f"{k!r:>{b}}")
    class C(Base, metaclass=M):
        @dec
        def m(self):
            self.a = self.b = 1
            try:
                raise E from None
            except* (A, B) as exc:
                assert exc, "msg"
            finally:
                print(*args, sep="")
    PORT = 8000
    subprocess.Popen([sys.executable, "daemon.py", str(PORT)])
    """
)


def _same(tree: ast.AST) -> None:
    got = nodes.walk(tree)
    want = list(ast.walk(tree))
    assert len(got) == len(want)
    assert all(a is b for a, b in zip(got, want, strict=True))


def test_walk_gives_ast_walks_nodes_in_its_order() -> None:
    _same(ast.parse(SOURCE))


def test_walk_gives_ast_walks_order_on_real_modules() -> None:
    for path in sorted(Path(ast.__file__).parent.glob("[a-d]*.py"))[:40]:
        _same(ast.parse(path.read_bytes()))


def test_walk_reads_a_node_built_by_hand_that_lacks_a_field() -> None:
    call = ast.Call(func=ast.Name(id="f"), args=[ast.Constant(1), None])  # no keywords
    assert [type(n) for n in nodes.walk(call)] == [type(n) for n in ast.walk(call)]
    odd = ast.BinOp(left=ast.Name(id="a"), op=ast.Add(), right="not a node")
    assert [type(n) for n in nodes.walk(odd)] == [type(n) for n in ast.walk(odd)]


def test_the_models_whole_module_questions_do_not_use_ast_walk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, _ = build(SOURCE)

    calls: list[ast.AST] = []
    real = ast.walk

    def counted(node: ast.AST) -> object:
        calls.append(node)
        return real(node)

    monkeypatch.setattr(ast, "walk", counted)
    links = model.launch_links()
    model.loopback_listen_sources()
    monkeypatch.undo()
    assert calls == []
    assert links == {("argv:daemon.py:1", "arg:m.py:PORT@28:0")}


def test_the_models_whole_module_questions_pick_their_nodes_from_the_parent_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The model completed the walk's parent map: the calls and constants of a module
    are picked from its keys, not found by walking the module again."""
    from debt_lints.analysis import semantic

    model, tree = build(SOURCE + 'print("127.0.0.1", file=log)\n')
    walked: list[ast.AST] = []
    real = nodes.walk

    def counted(node: ast.AST) -> list[ast.AST]:
        walked.append(node)
        return real(node)

    # Every family of the model's questions has its own module: count the walks of each.
    families = [
        importlib.import_module(f"{semantic.__name__}.{module.name}")
        for module in pkgutil.iter_modules(semantic.__path__)
    ]
    for family in families:
        if getattr(family, "walk", None) is real:
            monkeypatch.setattr(family, "walk", counted)
    links = model.launch_links()
    sources = model.loopback_listen_sources()
    monkeypatch.undo()
    assert tree not in walked
    assert links == {("argv:daemon.py:1", "arg:m.py:PORT@28:0")}
    assert sources == frozenset()  # a loopback literal, not a listener's


def test_of_type_picks_the_nodes_of_one_exact_type_in_order() -> None:
    tree = ast.parse(SOURCE)
    every = nodes.walk(tree)
    assert nodes.of_type(every, ast.Call) == [n for n in every if type(n) is ast.Call]
    assert nodes.of_type(every, ast.expr) == []  # exactly the type, no subclass
