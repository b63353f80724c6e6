"""The DL101 fixes over the standard library, with a synthetic migration map.

Properties of every fixed file: it parses, no comment is lost, no import
statement moves (same statements, same lines, same order), every name the
file uses is still bound, and fixing again changes nothing. A sample runs
in the fast suite; the whole library is ``-m slow``.
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import os
import sysconfig
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from debt_lints.core.model import Finding
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import by_code
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.fixes import FixPolicy, resolve
from debt_lints.fixes.fixer import fix_text
from debt_lints.fixes.modules import IndexModules
from debt_lints.index import Project

STDLIB = Path(sysconfig.get_paths()["stdlib"])
#: Top-level, dotted, submodule (`from os import path`), relative (`from .decoder
#: import ...` in json/) and aliased (`import collections.abc as cabc`) forms.
#: (bench/fixes.py times `--fix` with the same map.)
MAP: dict[str, str] = json.loads(
    (Path(__file__).resolve().parent.parent / "bench" / "stdlib-migration-map.json").read_text(
        encoding="utf-8"
    )
)
POLICY = FixPolicy(unsafe=True)
SKIP = {"site-packages", "__pycache__", "lib2to3", "test", "tests"}


def _files() -> list[Path]:
    out = []
    for directory, dirs, names in os.walk(STDLIB):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        out.extend(Path(directory, n) for n in sorted(names) if n.endswith(".py"))
    return out


def _mentions(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    return any(old in text for old in ("collections", "os.path", "decoder", "email", "resources"))


def _comments(text: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(t.string for t in tokens if t.type == tokenize.COMMENT)


def _imports(tree: ast.Module) -> list[tuple[int, int]]:
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def _free_names(tree: ast.Module) -> set[str]:
    """Names the module loads and binds nowhere (builtins and star imports aside)."""
    bound: set[str] = set()
    loads: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).partition(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loads - bound


def _check_file(path: Path, rules: RuleSet, modules: IndexModules) -> int:
    """Fix one file in memory and assert the properties; returns the fixes applied."""
    relpath = path.relative_to(STDLIB).as_posix()
    try:
        original = path.read_text(encoding="utf-8")
        before = ast.parse(original)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return 0

    def check(text: str) -> list[Finding]:
        found = check_source(text, relpath, relpath, rules).findings
        return resolve(found, modules, POLICY)

    outcome = fix_text(original, relpath, check, POLICY)
    assert not outcome.dropped, (relpath, outcome.dropped)
    if not outcome.changed:
        return 0
    after = ast.parse(outcome.text)
    assert _comments(outcome.text) == _comments(original), relpath
    assert _imports(after) == _imports(before), relpath
    assert _free_names(after) <= _free_names(before), relpath
    again = fix_text(outcome.text, relpath, check, POLICY)
    assert not again.changed, relpath
    assert not [f for f in again.findings if f.fix is not None], relpath
    return len(outcome.fixed)


class _MapTargets(IndexModules):
    """The synthetic map's replacements count as installed: the rewriting is tested here.

    (Without them every fix is refused: the replacement exists nowhere.)
    """

    def installed(self, module: str) -> bool:
        heads = {new.partition(".")[0] for new in MAP.values()}
        return module.partition(".")[0] in heads or super().installed(module)


def _run(files: list[Path]) -> int:
    rules = RuleSet([by_code()["DL101"]], Settings({"deprecated-imports": MAP}))
    modules = _MapTargets(Project(STDLIB, (".",)))
    return sum(_check_file(path, rules, modules) for path in files)


def test_a_sample_of_the_stdlib_fixes_cleanly() -> None:
    wanted = {
        "json/__init__.py",  # from .decoder import JSONDecoder, JSONDecodeError
        "email/message.py",  # from email import utils
        "os.py",
        "shutil.py",
        "functools.py",
        "typing.py",
        "glob.py",
        "zipfile.py",
    }
    files = _files()
    sample = [p for p in files if p.relative_to(STDLIB).as_posix() in wanted]
    sample += list(itertools.islice((p for p in files if _mentions(p)), 20))
    assert len(sample) > 20
    assert _run(sample) > 15


@pytest.mark.slow
def test_the_whole_stdlib_fixes_cleanly() -> None:
    # 116 of the 119 DL101 findings in CPython 3.11's library are fixed; the
    # three left bind or delete the old top-level name (`del os`).
    assert _run(_files()) > 100
