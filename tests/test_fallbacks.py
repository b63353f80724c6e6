"""analysis.fallbacks: code that runs only where a renamed variable's new name is missing."""

from __future__ import annotations

import ast
import textwrap

import pytest

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.fallbacks import env_fallback
from debt_lints.analysis.semantic import model_of


def _old_reads(source: str) -> list[bool]:
    """Whether each access of ``OLD`` (in source order) is a fallback of ``NEW``."""
    source = "import os\n" + textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = FileContext("m.py", "m.py", source)
    ctx.tree = tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            ctx.add_import(node)
    assert model_of(ctx) is not None  # the model fills in every parent
    accesses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Call, ast.Subscript, ast.Compare))
        and any(
            isinstance(c, ast.Constant) and c.value == "OLD" for c in ast.iter_child_nodes(node)
        )
    ]
    accesses.sort(key=lambda n: (n.lineno, n.col_offset))
    return [env_fallback(node, "NEW", ctx) for node in accesses]


@pytest.mark.parametrize(
    "source",
    [
        'X = os.environ.get("NEW", os.environ.get("OLD"))',
        'X = os.environ.get("NEW") or os.getenv("OLD")',
        'X = os.environ.get("A") or os.environ.get("NEW") or os.environ["OLD"]',
        'v = os.environ.get("NEW")\nv = v or os.environ.get("OLD")',
        'v = os.environ.get("NEW")\nif v is None:\n    v = os.environ.get("OLD")',
        'v = os.environ.get("NEW")\nif not v and "OLD" in os.environ:\n    pass',
        'X = os.environ["OLD"] if "NEW" not in os.environ else os.environ["NEW"]',
        'X = os.environ["NEW"] if "NEW" in os.environ else os.environ["OLD"]',
        'if (v := os.getenv("NEW")) is None:\n    v = os.getenv("OLD")',
        'def f():\n    v = os.getenv("NEW")\n    if v:\n        return v\n'
        '    return os.getenv("OLD")',
        # the old value joins the new one only where the new one is missing
        'v = os.getenv("NEW")\nif v is None:\n    v = os.getenv("A")\n'
        'if not v and "OLD" in os.environ:\n    pass',
    ],
)
def test_a_read_only_where_the_new_name_is_missing_is_a_fallback(source: str) -> None:
    assert _old_reads(source) == [True]


@pytest.mark.parametrize(
    "source",
    [
        'X = os.environ.get("OLD")',
        'X = os.environ.get("OLD") or os.environ.get("NEW")',
        'X = os.environ.get("OLD", os.environ.get("NEW"))',
        'X = os.environ.get("A") or os.environ.get("OLD")',
        'v = os.environ.get("OLD")\nv = v or os.environ.get("NEW")',
        'v = None\nif flag:\n    v = os.getenv("NEW")\nv = v or os.getenv("OLD")',
        'v = os.getenv("NEW")\nif other is None and "OLD" in os.environ:\n    pass',
        'v = os.getenv("NEW")\nif v is not None:\n    x = os.getenv("OLD")',
        'v = os.getenv("NEW")\nif v or flag:\n    pass\nelse:\n    pass\nx = os.getenv("OLD")',
        'v = os.getenv("NEW", "").strip() or os.getenv("OLD")',
        'def old():\n    return os.getenv("OLD")\nv = os.getenv("NEW") or old()',
    ],
)
def test_a_read_the_new_name_does_not_guard_is_no_fallback(source: str) -> None:
    assert _old_reads(source) == [False]
