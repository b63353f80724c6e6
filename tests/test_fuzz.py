"""Generated programs and mutated real files: the engine never crashes.

Two sources of input, both deterministic so that a failure reproduces:

* hypothesmith programs (``from_grammar()``: any string the grammar allows
  that compiles; ``from_node()``: libcst trees printed back), run
  derandomised;
* a mutation corpus: standard-library modules truncated, with a token
  dropped, a NUL inserted, re-encoded, deep nesting spliced in, a byte
  flipped, many tokens dropped or replaced (many syntax errors, for
  recovery's repeated attempts), seeded by the mutant's number.

Properties: no exception and no internal error; every position inside the
file; the same result for the same input (twice, and as ``str`` or UTF-8
``bytes``); a file that CPython cannot compile gives exactly one DL001 (and
the other rules' findings on what recovery kept, all marked ``partial``), one
that it can gives none. The normal suite runs some dozens of each (its two-minute budget); the
``slow`` tests (run by ``.ci/run``) run thousands.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import importlib.util
import io
import random
import sysconfig
import tokenize
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from functools import cache
from pathlib import Path
from typing import Any

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debt_lints.core.model import Finding
from debt_lints.core.settings import Settings
from debt_lints.core.source import decode_python
from debt_lints.engine.registry import all_rules
from debt_lints.engine.walk import FileResult, RuleSet, check_source
from tests.test_robustness import assert_positions_sane

#: Programs per strategy in the normal suite, and in the slow run.
GRAMMAR_EXAMPLES, GRAMMAR_EXAMPLES_SLOW = 60, 1_200
NODE_EXAMPLES, NODE_EXAMPLES_SLOW = 12, 300
MUTANTS, MUTANTS_SLOW = 150, 3_000


@cache
def rules() -> RuleSet:
    return RuleSet(all_rules(), Settings())


def snapshot(result: FileResult) -> list[tuple[object, ...]]:
    """Everything a finding carries, scope and snippet included."""
    return [(*sorted(f.to_dict().items()), f.snippet) for f in result.findings]


def cpython_compiles(data: bytes | str) -> bool:
    """The oracle: does CPython turn this file into a tree?

    Decoding is importlib's (PEP 263 cookie or BOM, else UTF-8, the whole
    file strict), as the interpreter does for ``python file.py``.
    ``compile(bytes)`` alone is more lenient: it accepts invalid UTF-8 inside
    comments, which the interpreter refuses.
    """
    try:
        text = importlib.util.decode_source(data) if isinstance(data, bytes) else data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<mutant>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, UnicodeError, LookupError):
        return False
    return True


@cache
def flake8_plugin() -> type[Any]:
    from debt_lints.adapters.flake8 import DebtLintsChecker

    DebtLintsChecker.parse_options(argparse.Namespace(debt_lints_config=None, disable_noqa=False))
    return DebtLintsChecker


def flake8_results(text: str) -> list[tuple[int, int, str]] | None:
    """What the flake8 plugin reports for ``text``; ``None`` when flake8 would not run it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # flake8 reports E999 and runs no plugin
    lines = text.splitlines(keepends=True)
    checker = flake8_plugin()(tree, lines, "gen.py")
    return [(line, col, message.split(" ", 1)[0]) for line, col, message, _ in checker.run()]


def check_program(text: str) -> FileResult:
    """Check generated source and assert every property that holds for valid code."""
    first = check_source(text, "gen.py", "gen.py", rules())
    assert not first.internal_errors, first.internal_errors
    assert_positions_sane(first.findings, text)
    if cpython_compiles(text):
        assert "DL001" not in {f.code for f in first.findings}, first.findings
    again = check_source(text, "gen.py", "gen.py", rules())
    assert snapshot(again) == snapshot(first)
    as_bytes = check_source(text.encode("utf-8", "surrogatepass"), "gen.py", "gen.py", rules())
    if "\ufeff" not in text[:1] and not _has_surrogates(text):
        assert snapshot(as_bytes) == snapshot(first)
    from_flake8 = flake8_results(text)
    if from_flake8 is not None:
        # The plugin never fails, and reports what the engine reports.
        assert "DL000" not in {code for _, _, code in from_flake8}, from_flake8
        expected = [(f.line, f.column - 1, f.code) for f in first.findings if f.code != "DL001"]
        assert sorted(from_flake8) == sorted(expected)
    return first


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


# hypothesmith compiles what it generates; CPython warns about some of it.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")


def program_test(strategy: st.SearchStrategy[str], examples: int) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(text: str) -> None:
        check_program(text)

    return run


def test_grammar_programs() -> None:
    program_test(hypothesmith.from_grammar(), GRAMMAR_EXAMPLES)()


def test_node_programs() -> None:
    program_test(hypothesmith.from_node(), NODE_EXAMPLES)()


@pytest.mark.slow
def test_grammar_programs_many() -> None:
    program_test(hypothesmith.from_grammar(), GRAMMAR_EXAMPLES_SLOW)()


@pytest.mark.slow
def test_node_programs_many() -> None:
    program_test(hypothesmith.from_node(), NODE_EXAMPLES_SLOW)()


# --- the mutation corpus ----------------------------------------------------------------

MAX_SOURCE_BYTES = 40_000


@cache
def corpus() -> tuple[tuple[str, bytes], ...]:
    """Top-level standard-library modules of modest size, in a fixed order."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(stdlib.glob("*.py")):
        data = path.read_bytes()
        if len(data) <= MAX_SOURCE_BYTES and cpython_compiles(data):
            out.append((path.name, data))
    return tuple(out)


@cache
def token_spans(data: bytes) -> tuple[tuple[int, int], ...]:
    """Byte ranges of the tokens of a source file."""
    text = data.decode("utf-8")
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line.encode("utf-8")))
    lines = text.splitlines(keepends=True)

    def offset(row: int, col: int) -> int:
        return starts[row - 1] + len(lines[row - 1][:col].encode("utf-8"))

    spans = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.string and tok.start[0] <= len(lines) and tok.end[0] <= len(lines):
            spans.append((offset(*tok.start), offset(*tok.end)))
    return tuple(spans)


def _deep(rng: random.Random) -> bytes:
    depth = rng.choice([50, 150, 199, 201, 500, 1_000, 3_000, 20_000])
    shape = rng.choice(["paren", "bracket", "unary", "plus", "call", "attr", "indent"])
    if shape == "paren":
        return b"x = " + b"(" * depth + b"1" + b")" * depth
    if shape == "bracket":
        return b"x = " + b"[" * depth + b"]" * depth
    if shape == "unary":
        return b"x = " + b"-" * depth + b"1"
    if shape == "plus":
        return b"x = " + b" + ".join([b"a"] * depth)
    if shape == "call":
        return b"x = f" + b"()" * depth
    if shape == "attr":
        return b"x = a" + b".b" * depth
    levels = min(depth, 130)
    return b"".join(b" " * i + b"if x:\n" for i in range(levels)) + b" " * levels + b"pass"


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One deterministic mutant of ``data``: (kind, bytes)."""
    kind = rng.choice(
        ["truncate", "drop-token", "nul", "latin-1", "utf-16", "deep", "flip", "cookie", "many"]
    )
    if kind == "truncate":
        return kind, data[: rng.randrange(len(data) + 1)]
    if kind == "drop-token":
        start, end = rng.choice(token_spans(data))
        return kind, data[:start] + data[end:]
    if kind == "many":  # many errors: recovery's repeated attempts and its bounds
        spans = sorted(
            rng.sample(token_spans(data), min(rng.randint(2, 150), len(token_spans(data))))
        )
        out, at = [], 0
        for start, end in spans:
            if start >= at:
                out.append(data[at:start])
                out.append(rng.choice([b"", b")", b"$", b"(", b":", b"\n "]))
                at = end
        return kind, b"".join(out) + data[at:]
    if kind == "nul":
        at = rng.randrange(len(data) + 1)
        return kind, data[:at] + b"\0" + data[at:]
    if kind == "latin-1":
        text = data.decode("utf-8")
        cookie = b"# -*- coding: latin-1 -*-\n" if rng.random() < 0.5 else b""
        return kind, cookie + text.encode("latin-1", errors="replace")
    if kind == "utf-16":
        return kind, data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
    if kind == "deep":
        lines = data.splitlines(keepends=True)
        at = rng.randrange(len(lines) + 1)
        return kind, b"".join([*lines[:at], _deep(rng) + b"\n", *lines[at:]])
    if kind == "flip":
        at = rng.randrange(max(len(data), 1))
        return kind, data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    prefix = rng.choice(
        [codecs.BOM_UTF8, codecs.BOM_UTF8 + b"# coding: latin-1\n", b"# coding: klingon\n"]
    )
    return kind, prefix + data


def check_mutant(number: int) -> str:
    """Check mutant ``number``; returns its kind. Asserts the corpus properties."""
    rng = random.Random(number)
    name, original = rng.choice(corpus())
    kind, data = mutate(original, rng)
    where = f"mutant {number} ({kind} of {name})"
    result = check_source(data, name, name, rules())
    assert not result.internal_errors, (where, result.internal_errors)
    findings: list[Finding] = result.findings
    if cpython_compiles(data):
        assert "DL001" not in {f.code for f in findings}, (where, findings)
        assert not result.partial, where
    else:
        # One DL001; the other rules ran on what recovery kept (never raising).
        syntax = [f for f in findings if f.code == "DL001"]
        assert len(syntax) == 1 and syntax[0].message.strip(), (where, findings)
        assert all(f.partial == result.partial for f in findings), (where, findings)
    # Positions are checked against the text as decoded; bytes that do not
    # decode are measured one character per byte.
    text = decode_python(data)
    assert_positions_sane(findings, text if isinstance(text, str) else data.decode("latin-1"))
    return kind


def run_mutants(count: int) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for number in range(count):
        kind = check_mutant(number)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_mutation_corpus() -> None:
    kinds = run_mutants(MUTANTS)
    assert len(kinds) == 9  # every kind of mutation was exercised


@pytest.mark.slow
def test_mutation_corpus_many() -> None:
    run_mutants(MUTANTS_SLOW)


# --- the hosts on generated programs ----------------------------------------------------


def _pycodestyle_reads(text: str) -> bool:
    """Whether pycodestyle, which flake8 always runs, checks ``text`` without crashing.

    pycodestyle 2.15.0 raises ``IndexError`` on a module whose first statement is a
    bare ``b``, ``u`` or ``r`` (``_is_string_literal`` reads ``line[1]``), and flake8
    then fails as a whole: such a program tests pycodestyle, not the hosts' agreement.
    The grammar strategy draws such programs now and then (its order depends on the
    hash seed), so they are left out rather than left to fail a run at random.
    """
    try:
        import pycodestyle
    except ImportError:  # no flake8: the agreement test is skipped anyway
        return True
    try:
        with redirect_stdout(io.StringIO()):
            pycodestyle.Checker(lines=text.splitlines(keepends=True), quiet=True).check_all()
    except Exception:  # any crash of the third-party checker
        return False
    return True


def generated_programs(count: int) -> list[str]:
    """The first ``count`` programs of the derandomised grammar strategy."""
    programs: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hypothesmith.from_grammar())
    def collect(text: str) -> None:
        # A known finding at the end, so that agreeing is not agreeing on nothing.
        marked = text + "\nimport sys as _s\n_s.path.insert(0, 'x')\n"
        if (
            cpython_compiles(marked)
            and not _has_surrogates(marked)
            and _pycodestyle_reads(marked)
            and marked not in programs
        ):
            programs.append(marked)

    collect()
    return programs


def check_hosts_agree(tmp_path: Path, count: int) -> int:
    """The CLI, flake8 and pylint give the same rows on generated programs; no plugin error."""
    pytest.importorskip("flake8")
    pytest.importorskip("pylint")
    from tests.test_parity import cli_rows, flake8_rows, pylint_rows

    project = tmp_path / "generated"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    programs = generated_programs(count)
    for number, text in enumerate(programs):
        (project / f"gen_{number:04d}.py").write_text(
            text, encoding="utf-8", errors="surrogatepass"
        )
    cli_variants_agree(project)
    cli = cli_rows(project)
    flake8 = flake8_rows(["."], project, tmp_path)
    pylint = pylint_rows(["."], project, tmp_path)
    assert not [row for row in flake8 | pylint if row[3] == "DL000"]
    assert len({row[0] for row in cli if row[3] == "DL201"}) == len(programs)
    assert flake8 == cli
    assert pylint == cli
    return len(programs)


def test_hosts_agree_on_generated_programs(tmp_path: Path) -> None:
    assert check_hosts_agree(tmp_path, 30) > 0


@pytest.mark.slow
def test_hosts_agree_on_many_generated_programs(tmp_path: Path) -> None:
    assert check_hosts_agree(tmp_path, 300) > 0


# --- workers and cache ------------------------------------------------------------------


def cli_variants_agree(project: Path) -> None:
    """One process or two, without cache, cold and warm: the same report and exit status."""
    from debt_lints.adapters.cli import main

    variants = {
        "--jobs 1 --no-cache": ["--jobs", "1", "--no-cache"],
        "--jobs 2, cold cache": ["--jobs", "2"],
        "--jobs 2, warm cache": ["--jobs", "2"],
        "--jobs 1, warm cache": ["--jobs", "1"],
    }
    outputs = {}
    for name, args in variants.items():
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            status = main(["check", "--format", "json", "--no-baseline", *args, str(project)])
        outputs[name] = (status, buffer.getvalue())
    first = outputs["--jobs 1 --no-cache"]
    assert first[0] in {0, 1}
    for name, output in outputs.items():
        assert output == first, name
    assert (project / ".debt-lints-cache").is_dir()  # the warm runs did use a cache


def write_mutants(project: Path, count: int) -> int:
    """Mutants as files of one project; returns how many CPython cannot compile."""
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    unparsable = 0
    for number in range(count):
        rng = random.Random(number)
        name, original = rng.choice(corpus())
        _, data = mutate(original, rng)
        (project / f"m{number:05d}_{name}").write_bytes(data)
        unparsable += not cpython_compiles(data)
    return unparsable


def test_jobs_and_cache_agree_on_mutants(tmp_path: Path) -> None:
    assert write_mutants(tmp_path / "mutants", 120) > 0
    cli_variants_agree(tmp_path / "mutants")


@pytest.mark.slow
def test_jobs_and_cache_agree_on_many_mutants(tmp_path: Path) -> None:
    assert write_mutants(tmp_path / "mutants", 1_000) > 0
    cli_variants_agree(tmp_path / "mutants")
