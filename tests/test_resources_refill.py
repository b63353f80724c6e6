"""The resource model's refill facts: a list whose every element a loop closes and
replaces (``for i, s in enumerate(ports): s.close(); ports[i] = port``) no longer
holds what was put in it before the loop (DL302's port probes)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.resources import UsePolicy, refilled_between, refills, walk

REFILL = """\
for i, sock in enumerate(ports):
    port = sock.getsockname()[1]
    sock.close()
    ports[i] = port
"""


def _loop(text: str) -> tuple[ast.AST, FileContext]:
    text = textwrap.dedent(text)
    return ast.parse(text).body[0], FileContext("x.py", "x.py", text)


def test_a_loop_that_closes_and_replaces_each_element_refills_the_list() -> None:
    loop, ctx = _loop(REFILL)
    assert refills(loop, "ports", ctx, UsePolicy())
    assert not refills(loop, "other", ctx, UsePolicy())


@pytest.mark.parametrize(
    "text",
    [
        # the replacement runs for some elements only
        "for i, s in enumerate(ports):\n    s.close()\n    if i:\n        ports[i] = 0\n",
        # an element is put back in its own place
        "for i, s in enumerate(ports):\n    s.close()\n    ports[i] = s\n",
        # nothing is closed
        "for i, s in enumerate(ports):\n    ports[i] = s.getsockname()[1]\n",
        # a break leaves the rest in the list
        "for i, s in enumerate(ports):\n    s.close()\n    ports[i] = 0\n    break\n",
        # another index
        "for i, s in enumerate(ports):\n    s.close()\n    ports[0] = 0\n",
        # iterating the list itself gives no index to replace
        "for s in ports:\n    s.close()\n",
    ],
)
def test_a_loop_that_leaves_an_element_does_not_refill(text: str) -> None:
    loop, ctx = _loop(text)
    assert not refills(loop, "ports", ctx, UsePolicy())


def _reads(text: str) -> tuple[ast.Call, ast.Name, dict[ast.AST, ast.AST], FileContext]:
    text = textwrap.dedent(text)
    tree = ast.parse(text)
    _, parents = walk(tree)
    put = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.args[0], ast.Name)
        and n.args[0].id == "sock"
    )
    returned = next(n for n in ast.walk(tree) if isinstance(n, ast.Return))
    assert isinstance(returned.value, ast.Name)
    return put, returned.value, parents, FileContext("x.py", "x.py", text)


def _body(tail: str) -> str:
    return (
        "def f(n):\n    ports = []\n    for _ in range(n):\n        sock = make()\n"
        "        ports.append(sock)\n" + textwrap.indent(REFILL, "    ") + tail
    )


@pytest.mark.parametrize(
    ("tail", "refilled"),
    [
        ("    return ports\n", True),
        ("    ports.append(spare)\n    return ports\n", True),  # spare is judged on its own
        ("    ports.extend(more)\n    return ports\n", False),
        ("    ports = keep(ports)\n    return ports\n", False),
        ("    if x:\n        return ports\n", True),
    ],
)
def test_a_read_after_the_refill_sees_none_of_what_was_put_before(
    tail: str, refilled: bool
) -> None:
    put, read, parents, ctx = _reads(_body(tail))
    assert refilled_between(put, read, parents, ctx, UsePolicy()) is refilled


def test_what_is_put_after_the_refill_stays_in_the_list() -> None:
    text = (
        "def f(ports):\n" + textwrap.indent(REFILL, "    ") + "    sock = make()\n"
        "    ports.append(sock)\n    return ports\n"
    )
    put, read, parents, ctx = _reads(text)
    assert not refilled_between(put, read, parents, ctx, UsePolicy())
