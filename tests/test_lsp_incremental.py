"""The language server's partial checks give what a full check gives (issue 26, item 9).

:class:`~debt_lints.hosts.incremental.IncrementalChecker` re-checks only the
statements an edit can reach. Random edit sequences (a seeded generator:
comments, renamed names, lines copied, deleted, swapped, characters typed,
``# noqa`` added) run over real files (the rule fixtures, the demo's modules,
socket-heavy modules of the standard library, the benchmark's 2,000-line
file); after every edit the findings (positions, messages, scopes, snippets)
must equal those of a full check of the same text by another session.
"""

from __future__ import annotations

import random
import shutil
import socketserver
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from debt_lints.core.model import Finding
from debt_lints.hosts.incremental import IncrementalChecker
from debt_lints.hosts.session import HostSession

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"
STDLIB = Path(socketserver.__file__).parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*.py"))
DEMO_FILES = sorted(
    p for p in DEMO.rglob("*.py") if ".debt-lints-cache" not in p.parts and p.stat().st_size > 400
)
STDLIB_FILES = [
    STDLIB / name for name in ("socketserver.py", "smtplib.py", "ftplib.py", "imaplib.py")
]
EDITS = 25


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the demo (its configuration selects every rule, with options)."""
    root = tmp_path_factory.mktemp("incremental") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".debt-lints-cache"))
    yield root


def _key(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted(
        (f.line, f.column, f.end_line, f.end_column, f.code, f.message, f.scope, f.snippet)
        for f in findings
    )


def _words(text: str) -> list[str]:
    import re

    return sorted(set(re.findall(r"[A-Za-z_]\w*", text))) or ["x"]


#: The edits that keep a file parsing more often than not.
GENTLE = (0, 2, 4, 7, 9)


def _edit(rng: random.Random, text: str, *, gentle: bool = False) -> str:
    """One random edit, as someone typing or pasting might make it."""
    lines = text.splitlines(True) or ["\n"]
    at = rng.randrange(len(lines))
    line = lines[at]
    indent = line[: len(line) - len(line.lstrip())]
    choice = rng.choice(GENTLE) if gentle else rng.randrange(11)
    if choice == 0:  # comment out / type a comment
        lines[at] = "#" + line
    elif choice == 1:
        del lines[at]
    elif choice == 2:  # duplicate a line
        lines.insert(at, line)
    elif choice == 3:  # paste a line from elsewhere, indented like this one
        other = rng.choice(lines)
        lines.insert(at, indent + other.lstrip())
    elif choice == 4:  # rename: a name replaced by another name of the file
        words = _words(line)
        old, new = rng.choice(words), rng.choice(_words(text))
        lines[at] = line.replace(old, new, 1)
    elif choice == 5:  # type a character
        column = rng.randrange(len(line) + 1)
        lines[at] = line[:column] + rng.choice("x_.():,= '\"#1") + line[column:]
    elif choice == 6 and line.strip():  # delete a character
        column = rng.randrange(len(line.rstrip("\n")) or 1)
        lines[at] = line[:column] + line[column + 1 :]
    elif choice == 7:
        lines.insert(at, "\n")
    elif choice == 8 and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif choice == 9:  # a noqa comment
        body = line.rstrip("\n")
        lines[at] = body + rng.choice(["  # noqa", "  # noqa: DL301", "  # noqa: DL501"]) + "\n"
    else:  # paste a block of lines from elsewhere
        start = rng.randrange(len(lines))
        lines[at:at] = lines[start : start + rng.randrange(1, 12)]
    return "".join(lines)


def _parses(text: str) -> bool:
    import ast

    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _keystroke(rng: random.Random, text: str, *, gentle: bool = False) -> str:
    """``bench/lsp.py``'s keystroke: ``#`` typed at the start of a blank line."""
    lines = text.splitlines(True)
    blank = [i for i, line in enumerate(lines) if not line.strip()] or [0]
    at = rng.choice(blank)
    lines[at:at] = ["#"]
    return "".join(lines)


def _drive(
    demo: Path,
    source: Path,
    seed: int,
    edits: int = EDITS,
    *,
    gentle: bool = False,
    edit: Callable[..., str] = _edit,
) -> IncrementalChecker:
    """Random edits of ``source``; every partial result equals a full check's."""
    target = demo / "main_pc_code" / "agents" / f"edited_{seed}.py"
    text = source.read_text(encoding="utf-8", errors="surrogateescape")
    target.write_text(text, encoding="utf-8", errors="surrogateescape")
    filename = str(target)
    checker = IncrementalChecker(HostSession(cwd=demo))
    reference = HostSession(cwd=demo)
    assert _key(checker.check(text, filename).findings) == _key(
        reference.check(text, filename).findings
    )
    rng = random.Random(seed)
    good = text
    for step in range(edits):
        text = edit(rng, good if rng.random() < 0.7 else text, gentle=gentle)
        if _parses(text):
            good = text
        got = checker.check(text, filename)
        full = reference.check(text, filename)
        assert not full.problems() or got.problems()
        assert _key(got.findings) == _key(full.findings), (
            f"{source.name}, seed {seed}, edit {step} (partial: {checker.last_partial})"
        )
    return checker


@pytest.mark.parametrize("source", FIXTURES, ids=lambda p: p.stem)
def test_partial_checks_equal_full_checks_on_rule_fixtures(demo: Path, source: Path) -> None:
    _drive(demo, source, seed=FIXTURES.index(source), edits=12)


@pytest.mark.parametrize("source", DEMO_FILES, ids=lambda p: p.stem)
def test_partial_checks_equal_full_checks_on_the_demo(demo: Path, source: Path) -> None:
    _drive(demo, source, seed=1000 + DEMO_FILES.index(source))


@pytest.mark.parametrize("source", STDLIB_FILES, ids=lambda p: p.stem)
def test_partial_checks_equal_full_checks_on_the_standard_library(demo: Path, source: Path) -> None:
    _drive(demo, source, seed=2000 + STDLIB_FILES.index(source))


def test_partial_checks_on_the_benchmark_file(demo: Path, tmp_path: Path) -> None:
    """The 2,000-line file of ``bench/lsp.py``: its keystrokes are checked partially.

    An edit inside a function that reaches most of the file through the
    names it mentions (here: classes defined in several copies) is checked
    in full; the random edits compare both paths.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import lsp as bench  # type: ignore[import-not-found]  # bench/ is not a package
    finally:
        sys.path.remove(str(ROOT / "bench"))
    source = tmp_path / "big.py"
    source.write_text(bench.big_file(2000), encoding="utf-8")
    checker = _drive(demo, source, seed=7, edits=15, gentle=True)
    assert _drive(demo, source, seed=8, edits=15, edit=_keystroke).partial >= 10
    assert checker.partial + checker.full == 16
