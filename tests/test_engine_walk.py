"""The engine's fast walk visits exactly what a full walk visits, in the same order."""

from __future__ import annotations

import ast
import re
import sysconfig
from pathlib import Path

import pytest

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.nodes import ANY as _ANY
from debt_lints.analysis.nodes import MANY as _MANY
from debt_lints.analysis.nodes import ONE as _ONE
from debt_lints.analysis.nodes import child_fields as _child_fields
from debt_lints.analysis.nodes import field_kinds as _field_kinds
from debt_lints.core.model import Calls, Rule
from debt_lints.core.settings import Settings
from debt_lints.engine.walk import (
    InternalError,
    RuleSet,
    analyze_tree,
    check_source,
)

#: Every walk here runs with generated steps and with the general loop.
pytestmark = pytest.mark.usefixtures("walk_steps")

SAMPLE = '''
import os, sys as system
from . import sibling
from .pkg.mod import name as alias
from os.path import *
x: int = -1 + 2 * 3 ** 4 // 5 % 6 @ m << 1 >> 2 | 3 & 4 ^ ~5
del x[1:2:3], y.z
global_value = [a for a in b if a if not a] + [*c] + list({d: e for d, e in f}) + [{g, *h}]
lam = lambda p, /, q=1, *r, s, t=2, **u: (p, q, r, s, t, u)
@decorator(arg, key=value)
class C(Base, metaclass=Meta):
    """Doc."""
    attr: "str" = f"{x!r:>{width}} {y=}"
    async def method(self, a: int, *, b: str = "b") -> None:
        async with lock as held, other:
            async for item in source:
                await item
    def generator(self):
        try:
            yield from gen()
        except* ValueError as error:
            raise RuntimeError() from error
        else:
            pass
        finally:
            nonlocal_value = (yield)
    def matcher(self, command):
        global counter
        match command:
            case [1, 2, *rest] if rest:
                pass
            case {"key": value, **others}:
                pass
            case Point(x=0, y=yy) | Point(0, yy) as point:
                pass
            case None | True | -1 | 1 + 2j | "s" | b"b":
                pass
            case _:
                pass
while (n := next(it)) is not None and n < 10 or n in s:
    assert n, "message"
    if n: continue
    elif n > 2: break
    else: ...
with open(p) as (fh, gh): print(*args, **kwargs, sep="")
for i, (j, k) in enumerate(z): i += 1; j @= k
'''


class Recorder:
    """Stands in for a rule: records the order in which nodes reach visitors."""


def reference_walk(
    tree: ast.AST, with_contexts: bool
) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
    """The plain walk the engine used to do: every field, every node, source order."""
    order: list[ast.AST] = []
    parents: dict[ast.AST, ast.AST] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        order.append(node)
        children = []
        for name in node._fields:
            value = getattr(node, name, None)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, ast.AST):
                    if isinstance(item, ast.expr_context) and not with_contexts:
                        continue
                    children.append(item)
                    parents[item] = node
        stack.extend(reversed(children))
    return order, parents


def engine_walk(
    tree: ast.AST, text: str, with_contexts: bool
) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
    order: list[ast.AST] = []
    ruleset = RuleSet([], Settings())
    # Every node type a visitor could ask for, so the walk reports each node.
    wanted = {type(n) for n in ast.walk(tree)} | {ast.Load}
    if not with_contexts:
        wanted = {t for t in wanted if not issubclass(t, ast.expr_context)}
    for node_type in wanted:
        ruleset.dispatch[node_type] = [(Recorder, lambda node, ctx: order.append(node))]  # type: ignore[list-item]
    ctx = FileContext("x.py", "x.py", text)
    analyze_tree(tree, ctx, ruleset, [])
    return order, ctx.parents


def sources() -> list[tuple[str, str]]:
    out = [("sample", SAMPLE)]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ("ast.py", "argparse.py", "asyncio/base_events.py", "typing.py"):
        path = stdlib / name
        if path.is_file():
            out.append((name, path.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize(("name", "text"), sources(), ids=[n for n, _ in sources()])
@pytest.mark.parametrize("with_contexts", [False, True], ids=["no-contexts", "contexts"])
def test_fast_walk_matches_the_full_walk(name: str, text: str, with_contexts: bool) -> None:
    tree = ast.parse(text)
    expected_order, expected_parents = reference_walk(tree, with_contexts)
    order, parents = engine_walk(tree, text, with_contexts)
    assert [id(n) for n in order] == [id(n) for n in expected_order]
    if not with_contexts:
        assert parents == expected_parents


def test_every_node_type_has_readable_fields() -> None:
    """Each node class's ASDL signature was understood (else the walk is merely slower)."""
    for node_type in ast.AST.__subclasses__():
        for leaf in [node_type, *node_type.__subclasses__()]:
            if leaf._fields:
                fields = _child_fields(leaf, False)
                assert set(fields) <= set(leaf._fields), leaf
    assert _child_fields(ast.Name, False) == ()
    assert _child_fields(ast.Attribute, False) == ("value",)
    assert _child_fields(ast.Attribute, True) == ("ctx", "value")


@pytest.mark.parametrize(("name", "text"), sources(), ids=[n for n, _ in sources()])
def test_nodes_nobody_visits_still_get_parents(name: str, text: str) -> None:
    """With one visited type, leaves are not walked, but every parent is recorded."""
    tree = ast.parse(text)
    expected_order, expected_parents = reference_walk(tree, with_contexts=False)
    calls: list[ast.AST] = []
    ruleset = RuleSet([], Settings())
    ruleset.dispatch[ast.Call] = [(Recorder, lambda node, ctx: calls.append(node))]  # type: ignore[list-item]
    ctx = FileContext("x.py", "x.py", text)
    analyze_tree(tree, ctx, ruleset, [])
    assert calls == [n for n in expected_order if isinstance(n, ast.Call)]
    assert ctx.parents == expected_parents


# --- rules that skip files without their evidence ------------------------------------

CALLED: list[tuple[str, str]] = []


class _SocketRule(Rule):
    code = "DL998"
    name = "wants-sockets"
    summary = message = ""
    evidence = (b"socket", b"create_")

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        CALLED.append((self.code, ctx.path))


class _EveryFileRule(Rule):
    code = "DL999"
    name = "every-file"
    summary = message = ""
    evidence = None

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        CALLED.append((self.code, ctx.path))


def _called(rules: RuleSet, **sources: str) -> list[tuple[str, str]]:
    CALLED.clear()
    for name, text in sources.items():
        result = check_source(text, f"{name}.py", f"{name}.py", rules)
        assert not result.internal_errors
    return sorted(set(CALLED))


def test_a_rule_is_not_called_on_a_file_without_its_evidence() -> None:
    rules = RuleSet([_SocketRule, _EveryFileRule], Settings())
    called = _called(
        rules,
        plain="import os\nos.getcwd()\n",
        comment="# a SOCKET, in upper case\nprint(1)\n",
        server="import asyncio\nasyncio.get_event_loop().create_server(f)\n",
    )
    assert called == [
        ("DL998", "comment.py"),
        ("DL998", "server.py"),
        ("DL999", "comment.py"),
        ("DL999", "plain.py"),
        ("DL999", "server.py"),
    ]


def test_without_evidence_checks_every_rule_is_called_everywhere() -> None:
    rules = RuleSet([_SocketRule], Settings(), use_evidence=False)
    assert _called(rules, plain="print(1)\n") == [("DL998", "plain.py")]


def test_the_index_facts_still_come_from_a_file_without_evidence() -> None:
    from debt_lints.index.extract import FactsCollector

    collector = FactsCollector()
    rules = RuleSet([_SocketRule], Settings(), collectors=[collector])
    CALLED.clear()
    result = check_source("import json\njson.dumps(1)\n", "a.py", "a.py", rules)
    assert result.summary[collector.key]
    assert "json" in str(result.summary[collector.key])
    assert CALLED == []


class _CountingText(str):
    """Source text that counts the lower-case copies made of it."""

    lowered = 0

    def lower(self) -> str:
        type(self).lowered += 1
        return super().lower()


def test_the_evidence_and_the_noqa_scans_share_one_lower_case_copy() -> None:
    from debt_lints.engine.walk import check_python_tree

    source = "import socket\ns = socket.socket()  # NOQA: DL998\nprint(1)\n"
    rules = RuleSet([_SocketRule, _EveryFileRule], Settings())
    _CountingText.lowered = 0
    CALLED.clear()
    text = _CountingText(source)
    result = check_python_tree(ast.parse(source), text, "s.py", "s.py", rules)
    assert not result.internal_errors
    assert _CountingText.lowered == 1
    assert ("DL998", "s.py") in CALLED  # the evidence was found in the copy


def test_the_walk_records_every_parent_when_rules_are_skipped() -> None:
    text = "import os\nos.path.join(a, (b, [c]))\n"
    tree = ast.parse(text)
    rules = RuleSet([_SocketRule, _EveryFileRule], Settings())
    ctx = FileContext("x.py", "x.py", text)
    skipped = rules.without_evidence(text)
    assert skipped == frozenset({_SocketRule})
    CALLED.clear()
    analyze_tree(tree, ctx, rules, [], skipped)
    expected = {
        child: parent
        for parent in ast.walk(tree)
        for child in ast.iter_child_nodes(parent)
        if not isinstance(child, ast.expr_context)
    }
    assert ctx.parents == expected
    assert CALLED == [("DL999", "x.py")]


def test_each_field_is_read_by_its_declared_kind() -> None:
    """The walk knows, per node type, which fields hold one node and which a list:
    no type test per field (and ``None`` among a list's items, as in ``Dict.keys``)."""
    for node_type in ast.AST.__subclasses__():
        for leaf in [node_type, *node_type.__subclasses__()]:
            kinds = _field_kinds(leaf, False)
            assert tuple(name for name, _ in kinds) == _child_fields(leaf, False)
            assert all(kind != _ANY for _, kind in kinds), leaf
    assert _field_kinds(ast.Attribute, False) == (("value", _ONE),)
    assert _field_kinds(ast.Dict, False) == (("values", _MANY), ("keys", _MANY))
    assert _field_kinds(ast.Return, False) == (("value", _ONE),)


class _Breaks(Rule):
    code = "DL998"
    name = "breaks"
    summary = message = "breaks"
    evidence = None
    seen = 0

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        type(self).seen += 1
        raise ValueError("a bug")


class _Counts(Rule):
    code = "DL997"
    name = "counts"
    summary = message = "counts"
    evidence = None
    seen = 0

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        type(self).seen += 1


def test_a_rule_that_raises_is_dropped_and_the_others_go_on() -> None:
    text = "f(g(1), {**a, 'k': h()})\nclass C:\n    x = i(j())\n"
    tree = ast.parse(text)
    rules = RuleSet([_Breaks, _Counts], Settings())
    ctx = FileContext("m.py", "m.py", text)
    errors: list[InternalError] = []
    _Breaks.seen = _Counts.seen = 0
    analyze_tree(tree, ctx, rules, errors)
    assert (_Breaks.seen, _Counts.seen) == (1, 5)
    assert [e.rule for e in errors] == ["DL998 (breaks)"]
    # ``Dict.keys`` holds ``None`` for ``**a``: skipped, every node still has its parent.
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            if not isinstance(child, ast.expr_context):
                assert ctx.parents[child] is parent


def test_a_node_missing_a_field_is_walked() -> None:
    """A tree built by hand may lack a list field: the walk does not fail on it."""
    call = ast.Call(func=ast.Name(id="f", ctx=ast.Load()))
    tree = ast.Module(body=[ast.Expr(value=call)], type_ignores=[])
    rules = RuleSet([_Counts], Settings())
    errors: list[InternalError] = []
    _Counts.seen = 0
    analyze_tree(tree, FileContext("m.py", "m.py", "f()\n"), rules, errors)
    assert (_Counts.seen, errors) == (1, [])


# --- visitors that declare the calls and strings they want ---------------------------

SEEN: list[str] = []


class _WantsSockets(Rule):
    code = "DL996"
    name = "wants-socket-calls"
    summary = message = ""
    evidence = None
    wanted_calls = Calls(names=frozenset({"socket"}), suffixes=("Server",), imported=True)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        SEEN.append(f"{self.code} {ast.unparse(node)}")


class _WantsKeywords(Rule):
    code = "DL995"
    name = "wants-envish-calls"
    summary = message = ""
    evidence = None
    wanted_calls = Calls(match=lambda name: "env" in name, keywords=True)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        SEEN.append(f"{self.code} {ast.unparse(node)}")


class _WantsPaths(Rule):
    code = "DL994"
    name = "wants-path-strings"
    summary = message = ""
    evidence = None
    wanted_strings = re.compile(r"\A/")

    def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
        SEEN.append(f"{self.code} {node.value!r}")


class _WantsEveryConstant(Rule):
    code = "DL993"
    name = "wants-every-constant"
    summary = message = ""
    evidence = None

    def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
        SEEN.append(f"{self.code} {node.value!r}")


NARROWED = """\
make()
from socket import socket as make
import os
make()
socket.socket(family)
os.getenv("HOME")
print(end="")
print(1)
handlers[0](end=1)
f()()
ThreadingServer(("", 1))
x = ("/etc", "etc", 1, None, b"/bin", "/tmp/" + "/x")
"""


def test_a_visitor_sees_only_the_calls_and_strings_its_rule_declares() -> None:
    rules = RuleSet([_WantsSockets, _WantsKeywords, _WantsPaths, _WantsEveryConstant], Settings())
    SEEN.clear()
    errors: list[InternalError] = []
    analyze_tree(ast.parse(NARROWED), FileContext("m.py", "m.py", NARROWED), rules, errors)
    assert not errors
    assert [s for s in SEEN if s.startswith("DL996")] == [
        "DL996 make()",  # after the import only: the name is imported
        "DL996 socket.socket(family)",
        "DL996 ThreadingServer(('', 1))",
    ]
    assert [s for s in SEEN if s.startswith("DL995")] == [
        "DL995 os.getenv('HOME')",
        "DL995 print(end='')",
        "DL995 handlers[0](end=1)",
    ]
    assert [s for s in SEEN if s.startswith("DL994")] == [
        "DL994 '/etc'",
        "DL994 '/tmp/'",
        "DL994 '/x'",
    ]
    # A rule that declares nothing still sees every constant, in source order.
    order, _ = reference_walk(ast.parse(NARROWED), with_contexts=False)
    assert [s for s in SEEN if s.startswith("DL993")] == [
        f"DL993 {n.value!r}" for n in order if isinstance(n, ast.Constant)
    ]


def test_without_narrowing_every_visitor_sees_every_node_of_its_type() -> None:
    rules = RuleSet([_WantsSockets, _WantsPaths], Settings(), narrow=False)
    SEEN.clear()
    tree = ast.parse(NARROWED)
    analyze_tree(tree, FileContext("m.py", "m.py", NARROWED), rules, [])
    calls = sum(isinstance(n, ast.Call) for n in ast.walk(tree))
    constants = sum(isinstance(n, ast.Constant) for n in ast.walk(tree))
    assert sum(s.startswith("DL996") for s in SEEN) == calls
    assert sum(s.startswith("DL994") for s in SEEN) == constants


def test_a_declaration_of_the_wrong_kind_is_refused() -> None:
    class _Bad(_WantsSockets):
        wanted_calls = frozenset({"socket"})  # type: ignore[assignment]

    with pytest.raises(TypeError, match="wanted_calls"):
        RuleSet([_Bad], Settings())


# --- the resource analysis' walks read children as ast.iter_child_nodes does ----------


def _iter_child_walk(root: ast.AST) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
    nodes: list[ast.AST] = []
    parents: dict[ast.AST, ast.AST] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        children = list(ast.iter_child_nodes(node))
        for child in children:
            parents[child] = node
        stack.extend(reversed(children))
    return nodes, parents


@pytest.mark.parametrize(("name", "text"), sources(), ids=[n for n, _ in sources()])
def test_the_resource_walks_see_what_iter_child_nodes_gives(name: str, text: str) -> None:
    from debt_lints.analysis.resources import function_scope, walk

    tree = ast.parse(text)
    nodes, parents = walk(tree)
    expected_nodes, expected_parents = _iter_child_walk(tree)
    assert [id(n) for n in nodes] == [id(n) for n in expected_nodes]
    assert parents == expected_parents
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)][:50]:
        scope = function_scope(function)
        # What it read with ast.iter_child_nodes: every child, nested scopes not entered.
        expected: list[ast.AST] = []
        stack: list[ast.AST] = list(reversed(function.body))
        while stack:
            node = stack.pop()
            expected.append(node)
            if not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
            ):
                stack.extend(reversed(list(ast.iter_child_nodes(node))))
        assert [id(n) for n in scope.nodes] == [id(n) for n in expected]
        assert all(
            scope.parents[n] is expected_parents[n]
            for n in expected
            # Contexts and operators are shared singletons: their parent is the last one met.
            if not isinstance(
                n, (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
            )
        )


def test_a_call_built_by_hand_reaches_a_rule_that_declares_calls() -> None:
    call = ast.Call(func=ast.Attribute(value=ast.Name(id="s"), attr="socket"))
    tree = ast.Module(body=[ast.Expr(value=call)], type_ignores=[])

    class _Names(_WantsSockets):
        def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
            SEEN.append(ast.unparse(node.func))  # the call itself lacks args and keywords

    rules = RuleSet([_Names, _WantsKeywords], Settings())
    SEEN.clear()
    errors: list[InternalError] = []
    analyze_tree(tree, FileContext("m.py", "m.py", "s.socket()\n"), rules, errors)
    assert (SEEN, errors) == (["s.socket"], [])


def test_steps_are_generated_once_the_process_has_walked_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A few files are walked the general way (compiling a step costs more than it
    saves on them); past ``GENERATE_AFTER`` nodes the plans are made again, generated."""
    from debt_lints.analysis import nodes
    from debt_lints.engine.walk import _WalkPlan

    monkeypatch.setattr(nodes, "_walked", [0])
    text = SAMPLE * 3
    tree = ast.parse(text)
    rules = RuleSet([_Counts], Settings())

    def plan_of_a_walk() -> _WalkPlan:
        analyze_tree(tree, FileContext("m.py", "m.py", text), rules, [])
        (plan,) = rules.walk_plans.values()
        assert isinstance(plan, _WalkPlan)
        return plan

    monkeypatch.setattr(nodes, "GENERATE_AFTER", 1 << 62)
    assert plan_of_a_walk().generated is False
    size = nodes._walked[0]  # the nodes given a parent (operators are shared singletons)
    assert size > 800
    monkeypatch.setattr(nodes, "GENERATE_AFTER", 2 * size)
    for generated in (False, True):
        plan = plan_of_a_walk()
        assert plan.generated is generated
        pushers = [step[4] for step in plan.steps.values()]
        assert any(pushers) is generated
    assert nodes._walked == [3 * size]
