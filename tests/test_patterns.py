"""Code shapes several rules recognise (``analysis/patterns.py``)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.patterns import runs_as_program

_SOURCE = textwrap.dedent(
    """
    import sys
    top = 1
    if __name__ == "__main__":
        main = 2
    if "__main__" == __name__:
        reversed_main = 3
    if __name__ == "__main__" and sys.argv:
        combined = 4
    def f():
        inner = 5
    """
)


def _context(relpath: str) -> tuple[FileContext, dict[str, ast.AST]]:
    ctx = FileContext(relpath, relpath, _SOURCE)
    tree = ast.parse(_SOURCE)
    ctx.tree = tree
    targets: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            ctx.parents[child] = node
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            targets[node.targets[0].id] = node
    return ctx, targets


@pytest.mark.parametrize(
    ("name", "expected"),
    [("top", False), ("main", True), ("reversed_main", True), ("combined", False)],
)
def test_runs_as_program_under_a_main_block(name: str, expected: bool) -> None:
    ctx, targets = _context("pkg/tool.py")
    assert runs_as_program(targets[name], ctx) is expected


def test_runs_as_program_anywhere_in_a_script_that_cannot_be_imported() -> None:
    ctx, targets = _context("bin/carbon-cache.py")
    assert runs_as_program(targets["top"], ctx)
    ctx, targets = _context("bin/carbon_cache.py")
    assert not runs_as_program(targets["top"], ctx)
