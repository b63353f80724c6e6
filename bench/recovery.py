#!/usr/bin/env python3
"""Differential test and benchmark of syntax-error recovery on the standard library.

    python bench/recovery.py [--files N] [--seed S] [--kinds K,K] [--parso] [--show N]
                             [--root DIR ...] [--alone N] [--tree]

Every standard-library file (this interpreter's, found with ``sysconfig``)
that parses and has findings is damaged once per kind of damage, in a
statement chosen at random (seeded by ``--seed``, the file and the kind), the
way bulk rewrites damage real code:

    first-line    a call rewritten on its first line only: ``x = f(a),`` then ``    b)``
                  (the old argument list left dangling)
    extra-paren   one ``)`` too many at the end of a statement
    try-col0      an import inserted at column 0 as the first line of a ``try:`` block
    col0-import   an import inserted at column 0 anywhere in a block (a function's,
                  a method's, a ``try:``, ``if``, ``for`` ... body: before any of
                  its statements or after the last one)
    decorated-import  an import inserted at column 0 between a decorator and its
                  ``def`` or ``class``
    class-header  ``class A(B):`` rewritten into ``class A(B)(Tool):``
    placeholder   a value replaced by ``${SECRET_PLACEHOLDER}``
    unclosed      the last ``)`` of a statement removed
    fstring       a string replaced by a mangled f-string ``f'{mangled'``

The damaged file is checked by the engine (so through recovery) and compared
with the clean file: **kept** is the share of the clean file's findings
outside the damaged statement that the damaged file still reports (same code,
line, column and scope); **invented** counts the damaged file's findings
that the clean file does not have (same code, line and scope); each damaged
file must also give exactly one DL001. **to end** counts the damaged files
recovered to their end: recovery gave a tree, did not give up the rest of the
file, and that tree holds the clean file's last statement outside the damage
(same kind of statement, same line); **stmts kept** is the share of all the
clean file's statements outside the damage that the recovered tree holds
(same kind, line and column). Times, per damaged file, are medians of the
recovery alone (from the parser's error, as the engine calls it: the failing
parse is the engine's, paid whether the file recovers or not), of a whole
check of the damaged file, of ``ast.parse`` of the clean file and of a whole
check of the clean file, measured one after the other for each file (so load
affects all of them alike); the recovery and the parse it is compared with
are each the best of five runs in the thread's CPU time (``time.thread_time``:
what other processes take is not counted), and the worst ratio of the two is
reported with its file. ``--alone N`` times the N worst
files again at the end, one by one (best of 20), away from the run's other work,
and prints the worst of them against issue 25's bound (at most 10x the parse).
``--tree`` then runs ``bench/damaged_tree.py`` (``--jobs 2``): a cold check of
a copy of the standard library with a quarter of its files damaged by these
kinds, against its parse floor (issue 27: at most 1.2x). Run the benchmark
with ``python -P`` (or ``PYTHONSAFEPATH=1``).

The rule options make most files have findings (deprecated imports of common
modules, renamed environment variables): with the defaults only about a
hundred standard-library modules have any. ``--parso`` also parses each
damaged file with parso (when installed) and reports how many of the clean
file's functions and classes outside the damage keep their qualified name
(their scope) in parso's tree and in the recovered ``ast``.
"""

from __future__ import annotations

import argparse
import ast
import gc
import io
import random
import statistics
import sys
import sysconfig
import time
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # noqa: DL201 - a benchmark of this checkout
sys.path.insert(1, str(ROOT))  # noqa: DL201 - and its other benchmarks, as a package

from debt_lints.core.model import Finding  # noqa: E402
from debt_lints.core.settings import Settings  # noqa: E402
from debt_lints.engine.registry import all_rules  # noqa: E402
from debt_lints.engine.walk import RuleSet, check_source  # noqa: E402
from debt_lints.recovery import recover  # noqa: E402

KINDS = (
    "first-line",
    "extra-paren",
    "try-col0",
    "col0-import",
    "decorated-import",
    "class-header",
    "placeholder",
    "unclosed",
    "fstring",
)
MAX_FILE_BYTES = 150_000
#: Issue 25's bound: the worst damaged file recovers in at most this many times its parse.
MAX_RATIO = 10.0
SETTINGS = Settings(
    {
        "deprecated-imports": {
            m: f"compat.{m}"
            for m in (
                "os",
                "sys",
                "re",
                "io",
                "time",
                "types",
                "warnings",
                "functools",
                "itertools",
                "collections",
                "subprocess",
                "threading",
                "socket",
                "typing",
                "string",
                "struct",
                "errno",
                "stat",
                "codecs",
                "contextlib",
            )
        },
        "renamed-env-vars": {"HOME": "HOME_DIR", "PATH": "SEARCH_PATH", "TMPDIR": "TMP_DIR"},
    }
)


@dataclass
class Damage:
    """A damaged copy of a file and where the damage is, in the clean file's lines."""

    text: str
    #: Clean-file lines (1-based, inclusive) of the damaged statement.
    first: int
    last: int
    #: A line was inserted after this clean line (0: none).
    inserted_after: int = 0

    def clean_line(self, line: int) -> int:
        """The clean file's line for a line of the damaged file."""
        if self.inserted_after and line > self.inserted_after:
            return line - 1
        return line


@dataclass
class Source:
    """A clean file and what damage needs to know about it."""

    path: str
    text: str
    lines: list[str]
    tree: ast.Module
    tokens: list[tokenize.TokenInfo]

    @classmethod
    def of(cls, path: str, text: str) -> Source:
        tree = ast.parse(text)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        return cls(path, text, text.splitlines(keepends=True), tree, tokens)

    def statements(self) -> Iterator[ast.stmt]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.stmt):
                yield node

    def simple(self, single_line: bool = False) -> list[ast.stmt]:
        out = []
        for node in self.statements():
            if isinstance(node, _COMPOUND):
                continue
            if single_line and node.end_lineno != node.lineno:
                continue
            out.append(node)
        return out

    def with_line(self, number: int, text: str) -> str:
        lines = list(self.lines)
        lines[number - 1] = text
        return "".join(lines)


_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
    *((ast.Match,) if hasattr(ast, "Match") else ()),
)


def _code(line: str) -> str | None:
    """A line without its line break, or ``None`` if it has a comment (kept simple)."""
    if "#" in line:
        return None
    return line.rstrip("\r\n").rstrip()


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"


def first_line(src: Source, rng: random.Random) -> Damage | None:
    options = []
    for node in src.simple():
        if node.end_lineno is None or node.end_lineno == node.lineno:
            continue
        code = _code(src.lines[node.lineno - 1])
        if code and code.endswith((",", "(")):
            options.append((node, code))
    if not options:
        return None
    node, code = rng.choice(options)
    new = (code[:-1] + ")," if code.endswith(",") else code + "),") + _ending(
        src.lines[node.lineno - 1]
    )
    return Damage(src.with_line(node.lineno, new), node.lineno, node.end_lineno or node.lineno)


def extra_paren(src: Source, rng: random.Random) -> Damage | None:
    options = [
        n
        for n in src.simple(single_line=True)
        if (_code(src.lines[n.lineno - 1]) or "").endswith(")")
    ]
    if not options:
        return None
    node = rng.choice(options)
    line = src.lines[node.lineno - 1]
    return Damage(
        src.with_line(node.lineno, line.rstrip("\r\n") + ")" + _ending(line)),
        node.lineno,
        node.lineno,
    )


def try_col0(src: Source, rng: random.Random) -> Damage | None:
    tries = [n for n in src.statements() if isinstance(n, ast.Try) and n.body[0].lineno > n.lineno]
    if not tries:
        return None
    node = rng.choice(tries)
    first = node.body[0]
    # Inserted before the block's first statement (before its decorators, if any).
    at = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
    lines = list(src.lines)
    lines.insert(at - 1, "from common.utils import path_manager\n")
    return Damage("".join(lines), node.lineno, node.lineno, inserted_after=at - 1)


_BLOCKS = ("body", "orelse", "finalbody")
INSERTED_IMPORT = "from common.utils.path_manager import PathManager\n"


def col0_import(src: Source, rng: random.Random) -> Damage | None:
    """An import at column 0 before any statement of a block, or after its last one."""
    options: list[int] = []  # clean lines the import goes after (0-based insertion index)
    for node in src.statements():
        blocks = [getattr(node, name, None) for name in _BLOCKS]
        blocks += [h.body for h in getattr(node, "handlers", ())]
        blocks += [c.body for c in getattr(node, "cases", ())]
        for body in blocks:
            if not isinstance(body, list) or not body or body[0].lineno <= node.lineno:
                continue  # no block, or a one-line ``if x: y``
            previous_end = None
            for statement in body:
                start = min(
                    [
                        statement.lineno,
                        *(d.lineno for d in getattr(statement, "decorator_list", ())),
                    ]
                )
                if previous_end is not None and start <= previous_end:
                    break  # ``a; b`` on one line
                options.append(start - 1)
                previous_end = statement.end_lineno or statement.lineno
            else:
                if previous_end is not None:
                    options.append(previous_end)
    if not options:
        return None
    at = rng.choice(options)
    lines = list(src.lines)
    lines.insert(at, INSERTED_IMPORT)
    # No clean line is damaged: every clean finding must be kept.
    return Damage("".join(lines), 0, -1, inserted_after=at)


def decorated_import(src: Source, rng: random.Random) -> Damage | None:
    """An import at column 0 just before the ``def`` (or ``class``) line of a decorated one."""
    options = [
        node.lineno - 1
        for node in src.statements()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.decorator_list
        and max(d.end_lineno or d.lineno for d in node.decorator_list) < node.lineno
    ]
    if not options:
        return None
    at = rng.choice(options)
    lines = list(src.lines)
    lines.insert(at, INSERTED_IMPORT)
    # No clean line is damaged: every clean finding must be kept.
    return Damage("".join(lines), 0, -1, inserted_after=at)


def class_header(src: Source, rng: random.Random) -> Damage | None:
    options = []
    for node in src.statements():
        if isinstance(node, ast.ClassDef):
            code = _code(src.lines[node.lineno - 1])
            if code and code.endswith(":") and code.lstrip().startswith("class "):
                options.append((node, code))
    if not options:
        return None
    node, code = rng.choice(options)
    head = code[:-1]
    new = (head + "(Tool):" if head.endswith(")") else head + "(Base)(Tool):") + _ending(
        src.lines[node.lineno - 1]
    )
    return Damage(src.with_line(node.lineno, new), node.lineno, node.lineno)


def _replace_span(src: Source, line: int, start: int, end: int, text: str) -> str:
    """Replace UTF-8 byte columns ``start:end`` of ``line`` with ``text``."""
    raw = src.lines[line - 1].encode("utf-8")
    return src.with_line(line, (raw[:start] + text.encode("utf-8") + raw[end:]).decode("utf-8"))


def placeholder(src: Source, rng: random.Random) -> Damage | None:
    options = []
    for node in src.simple(single_line=True):
        for child in ast.walk(node):
            if isinstance(child, (ast.Constant, ast.Name)) and child.lineno == node.lineno:
                options.append((node, child))
    if not options:
        return None
    node, child = rng.choice(options)
    text = _replace_span(
        src, node.lineno, child.col_offset, child.end_col_offset or 0, "${SECRET_PLACEHOLDER}"
    )
    return Damage(text, node.lineno, node.lineno)


def _tokens_in(src: Source, node: ast.stmt) -> list[tokenize.TokenInfo]:
    end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
    return [t for t in src.tokens if (node.lineno, node.col_offset) <= t.start and t.end <= end]


def _drop_token(src: Source, token: tokenize.TokenInfo, text: str = "") -> str:
    (row, col), (end_row, end_col) = token.start, token.end
    lines = list(src.lines)
    lines[row - 1] = lines[row - 1][:col] + text + lines[end_row - 1][end_col:]
    for i in range(row, end_row):
        lines[i] = ""
    if end_row > row:  # keep the line count: a string spanning lines becomes one line
        lines[row - 1] = lines[row - 1] + "\n" * (end_row - row)
    return "".join(lines)


def unclosed(src: Source, rng: random.Random) -> Damage | None:
    options = []
    for node in src.simple():
        closers = [t for t in _tokens_in(src, node) if t.type == tokenize.OP and t.string == ")"]
        if closers:
            options.append((node, closers[-1]))
    if not options:
        return None
    node, token = rng.choice(options)
    return Damage(_drop_token(src, token), node.lineno, node.end_lineno or node.lineno)


def fstring(src: Source, rng: random.Random) -> Damage | None:
    options = []
    for node in src.simple(single_line=True):
        strings = [t for t in _tokens_in(src, node) if t.type == tokenize.STRING]
        options.extend((node, t) for t in strings if t.start[0] == t.end[0])
    if not options:
        return None
    node, token = rng.choice(options)
    return Damage(_drop_token(src, token, "f'{mangled'"), node.lineno, node.lineno)


DAMAGES: dict[str, Callable[[Source, random.Random], Damage | None]] = {
    "first-line": first_line,
    "extra-paren": extra_paren,
    "try-col0": try_col0,
    "col0-import": col0_import,
    "decorated-import": decorated_import,
    "class-header": class_header,
    "placeholder": placeholder,
    "unclosed": unclosed,
    "fstring": fstring,
}


# --- comparing ------------------------------------------------------------------------


@dataclass
class Tally:
    """Results for one kind of damage."""

    files: int = 0
    skipped: int = 0  # no statement of the right shape in the file
    outside: int = 0
    kept: int = 0
    invented: int = 0
    bad_dl001: int = 0
    internal_errors: int = 0
    #: Damaged files recovered to their end, and statements outside the damage kept.
    to_end: int = 0
    statements: int = 0
    statements_kept: int = 0
    not_to_end: list[str] = field(default_factory=list)
    #: The worst recovery / parse ratio and its file.
    worst: tuple[float, str] = (0.0, "")
    #: (ratio, file) of every timed file.
    timed: list[tuple[float, str]] = field(default_factory=list)
    recover_s: list[float] = field(default_factory=list)
    check_s: list[float] = field(default_factory=list)
    parse_s: list[float] = field(default_factory=list)
    clean_check_s: list[float] = field(default_factory=list)
    parso_s: list[float] = field(default_factory=list)
    #: Recovery time / ``ast.parse`` time of the clean file, per detailed file.
    ratios: list[float] = field(default_factory=list)
    scopes: int = 0
    scopes_ast: int = 0
    scopes_parso: int = 0
    examples: list[str] = field(default_factory=list)


def compare(clean: list[Finding], damaged: list[Finding], damage: Damage, tally: Tally) -> None:
    """Count kept and invented findings of one damaged file (DL001 left out)."""
    mapped = [(f, damage.clean_line(f.line)) for f in damaged if f.code != "DL001"]
    have = Counter((f.code, line, f.column, f.scope) for f, line in mapped)
    for f in clean:
        if damage.first <= f.line <= damage.last:
            continue
        tally.outside += 1
        key = (f.code, f.line, f.column, f.scope)
        if have[key] > 0:
            have[key] -= 1
            tally.kept += 1
    known = Counter((f.code, f.line, f.scope) for f in clean)
    for f, line in mapped:
        key = (f.code, line, f.scope)
        if known[key] > 0:
            known[key] -= 1
            continue
        tally.invented += 1
        if len(tally.examples) < 20:
            tally.examples.append(f"{f.path}:{f.line}: {f.code} {f.message} [{f.scope}]")


def statement_keys(tree: ast.AST) -> set[tuple[str, int, int]]:
    """(kind, line, column) of every statement of ``tree``."""
    return {
        (type(node).__name__, node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
    }


def reached(
    clean: set[tuple[str, int, int]], recovered: ast.Module | None, damage: Damage, tally: Tally
) -> bool:
    """Count the statements kept; ``True`` when the recovered tree reaches the file's end."""
    outside = {k for k in clean if not damage.first <= k[1] <= damage.last}
    got: set[tuple[str, int, int]] = set()
    if recovered is not None:
        got = {
            (kind, damage.clean_line(line), column)
            for kind, line, column in statement_keys(recovered)
        }
    tally.statements += len(outside)
    tally.statements_kept += len(outside & got)
    if not outside:
        return recovered is not None
    last_line = max(line for _, line, _ in outside)
    last = {(kind, line) for kind, line, _ in outside if line == last_line}
    return last <= {(kind, line) for kind, line, _ in got}


def parse_error(text: str) -> SyntaxError | None:
    """The error ``ast.parse`` gives on ``text`` (``None``: it parses), which the engine
    hands to recovery."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc
    return None


def _best_of(runs: int, call: Callable[[str], object], text: str) -> float:
    """The best time of ``runs`` calls, the garbage collector off (as ``timeit`` has it).

    Timed in this thread's CPU time: on a shared machine the time other
    processes hold the CPU is no part of a recovery's or a parse's cost (with
    the wall clock, a loaded machine made any file the worst one).
    """
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.thread_time()
            call(text)
            best = min(best, time.thread_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def scope_names(tree: ast.AST) -> set[tuple[str, int]]:
    """(qualified name, line) of every function and class."""
    out: set[tuple[str, int]] = set()
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                line = child.lineno
                out.add((name, line))
                stack.append((child, name + "."))
            else:
                stack.append((child, prefix))
    return out


def parso_scope_names(module: object) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    stack: list[tuple[object, str]] = [(module, "")]
    while stack:
        node, prefix = stack.pop()
        for child in getattr(node, "children", ()):
            kind = getattr(child, "type", "")
            if kind in ("funcdef", "classdef"):
                name = f"{prefix}{child.name.value}"
                out.add((name, child.start_pos[0]))
                stack.append((child, name + "."))
            else:
                stack.append((child, prefix))
    return out


def corpus(roots: tuple[Path, ...] = (), seed: int = 0) -> Iterator[tuple[str, str]]:
    """Files that parse: the standard library's in a fixed order, or those under
    ``roots`` (the primer's unpacked projects, say) in an order shuffled by
    ``seed``, so that a sample covers every project. Files are only read."""
    if roots:
        paths = sorted((root, p) for root in roots for p in root.rglob("*.py") if p.is_file())
        random.Random(seed).shuffle(paths)
    else:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        paths = [(stdlib, p) for p in sorted(stdlib.rglob("*.py"))]
    for root, path in paths:
        try:
            if "site-packages" in path.parts or path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_text(encoding="utf-8")
            ast.parse(text)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
            continue  # gone since the listing, unreadable, or not Python this one parses
        yield str(path.relative_to(root)), text


def run(
    files: int | None,
    seed: int,
    kinds: tuple[str, ...],
    use_parso: bool,
    detail_files: int,
    *,
    roots: tuple[Path, ...] = (),
) -> dict[str, Tally]:
    """Damage and compare; recovery alone, scopes and parso on the first ``detail_files``."""
    rules = RuleSet(all_rules(), SETTINGS)
    parso = None
    if use_parso:
        try:
            import parso  # type: ignore[import-not-found, no-redef]
        except ImportError:
            print("parso is not installed: no parso columns", file=sys.stderr)
    tallies = {kind: Tally() for kind in kinds}
    used = 0
    for relpath, text in corpus(roots, seed):
        if files is not None and used >= files:
            break
        start = time.perf_counter()
        clean_result = check_source(text, relpath, relpath, rules)
        clean_check = time.perf_counter() - start
        clean = clean_result.findings
        if not clean:
            continue
        used += 1
        src = Source.of(relpath, text)
        clean_scopes = scope_names(src.tree)
        clean_statements = statement_keys(src.tree)
        for kind in kinds:
            tally = tallies[kind]
            rng = random.Random(f"{seed}:{relpath}:{kind}")
            damage = DAMAGES[kind](src, rng)
            if damage is None:
                tally.skipped += 1
                continue
            error = parse_error(damage.text)
            if error is None:
                tally.skipped += 1  # this damage happens to be valid Python here
                continue
            tally.files += 1
            detailed = used <= detail_files
            recovered = recover(damage.text, error)
            if recovered is not None and not recovered.truncated:
                if reached(clean_statements, recovered.tree, damage, tally):
                    tally.to_end += 1
                elif len(tally.not_to_end) < 20:
                    tally.not_to_end.append(f"{relpath} (damage at line {damage.first})")
            else:
                reached(
                    clean_statements, None if recovered is None else recovered.tree, damage, tally
                )
                if len(tally.not_to_end) < 20:
                    tally.not_to_end.append(f"{relpath} (damage at line {damage.first}, given up)")
            if detailed:
                tally.recover_s.append(_best_of(5, partial(recover, error=error), damage.text))
            start = time.perf_counter()
            result = check_source(damage.text, relpath, relpath, rules)
            tally.check_s.append(time.perf_counter() - start)
            tally.parse_s.append(_best_of(5 if detailed else 1, ast.parse, text))
            if detailed and tally.parse_s[-1]:
                ratio = tally.recover_s[-1] / tally.parse_s[-1]
                tally.ratios.append(ratio)
                tally.timed.append((ratio, relpath))
                if ratio > tally.worst[0]:
                    tally.worst = (ratio, relpath)
            tally.clean_check_s.append(clean_check)
            if [f.code for f in result.findings].count("DL001") != 1 or not all(
                f.partial for f in result.findings
            ):
                tally.bad_dl001 += 1
            tally.internal_errors += len(result.internal_errors)
            compare(clean, result.findings, damage, tally)
            outside = {
                (n, line) for n, line in clean_scopes if not damage.first <= line <= damage.last
            }
            if not detailed:
                continue
            tally.scopes += len(outside)
            if recovered is not None:
                got = {(n, damage.clean_line(line)) for n, line in scope_names(recovered.tree)}
                tally.scopes_ast += len(outside & got)
            if parso is not None:
                start = time.perf_counter()
                module = parso.parse(damage.text)
                tally.parso_s.append(time.perf_counter() - start)
                got = {(n, damage.clean_line(line)) for n, line in parso_scope_names(module)}
                tally.scopes_parso += len(outside & got)
    return tallies


def alone(
    pairs: list[tuple[str, str]], seed: int, roots: tuple[Path, ...] = (), runs: int = 20
) -> list[tuple[float, str]]:
    """Recovery / parse ratios of the damaged files ``(relpath, kind)``, timed one by one.

    The worst ratios of a run are measured among the run's other work; this
    times each again on its own, the recovery and the parse of the clean file
    each the best of ``runs``, after the whole list of files is found.
    """
    wanted = dict.fromkeys(pairs)
    texts: dict[str, str] = {}
    for relpath, text in corpus(roots, seed):
        if any(relpath == p for p, _ in wanted):
            texts[relpath] = text
            if len(texts) == len({p for p, _ in wanted}):
                break
    out = []
    for relpath, kind in wanted:
        if relpath not in texts:
            continue
        src = Source.of(relpath, texts[relpath])
        damage = DAMAGES[kind](src, random.Random(f"{seed}:{relpath}:{kind}"))
        error = None if damage is None else parse_error(damage.text)
        if damage is None or error is None:
            continue
        recovering = _best_of(runs, partial(recover, error=error), damage.text)
        parsing = _best_of(runs, ast.parse, src.text)
        out.append((recovering / parsing, f"{relpath} [{kind}]"))
    return sorted(out, reverse=True)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.2f}" if values else "-"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "-"


def report(tallies: dict[str, Tally], show: int, use_parso: bool) -> str:
    out = [
        "| damage | files | skipped | to end | stmts kept | outside findings | kept | invented |"
        " bad DL001 | recover ms | worst recover/parse | check damaged ms |"
        " ast.parse clean ms | check clean ms |"
        + (" parso ms | scopes kept ast | scopes kept parso |" if use_parso else ""),
        "|" + " --- |" * (14 + (3 if use_parso else 0)),
    ]
    total = Tally()
    for kind, t in tallies.items():
        out.append(_row(kind, t, use_parso))
        for name in (
            "files",
            "skipped",
            "outside",
            "kept",
            "invented",
            "bad_dl001",
            "to_end",
            "statements",
            "statements_kept",
        ):
            setattr(total, name, getattr(total, name) + getattr(t, name))
        total.not_to_end.extend(t.not_to_end)
        total.timed.extend((ratio, f"{name} [{kind}]") for ratio, name in t.timed)
        total.worst = max(total.worst, t.worst)
        for name in ("recover_s", "check_s", "parse_s", "clean_check_s", "parso_s", "ratios"):
            getattr(total, name).extend(getattr(t, name))
        total.scopes += t.scopes
        total.scopes_ast += t.scopes_ast
        total.scopes_parso += t.scopes_parso
        total.internal_errors += t.internal_errors
        total.examples.extend(t.examples)
    out.append(_row("all", total, use_parso))
    if total.ratios:
        ratio = statistics.median(total.ratios)
        out.append(f"\nrecovery / plain parse of the clean file, median per file: {ratio:.1f}x")
        worst = sorted(total.timed, reverse=True)[:10]
        out.append("worst files: " + ", ".join(f"{r:.1f}x {name}" for r, name in worst))
    out.append(f"internal errors: {total.internal_errors}")
    if total.examples and show:
        out.append("\ninvented findings (first ones):")
        out.extend(f"  {e}" for e in total.examples[:show])
    if total.not_to_end and show:
        out.append("\nnot recovered to the end (first ones):")
        out.extend(f"  {e}" for e in total.not_to_end[:show])
    return "\n".join(out) + "\n"


def _row(kind: str, t: Tally, use_parso: bool) -> str:
    cells = [
        kind,
        str(t.files),
        str(t.skipped),
        f"{t.to_end} ({_pct(t.to_end, t.files)})",
        _pct(t.statements_kept, t.statements),
        str(t.outside),
        f"{t.kept} ({_pct(t.kept, t.outside)})",
        str(t.invented),
        str(t.bad_dl001),
        _ms(t.recover_s),
        f"{t.worst[0]:.1f}x" if t.worst[1] else "-",
        _ms(t.check_s),
        _ms(t.parse_s),
        _ms(t.clean_check_s),
    ]
    if use_parso:
        cells += [
            _ms(t.parso_s),
            _pct(t.scopes_ast, t.scopes),
            _pct(t.scopes_parso, t.scopes),
        ]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=None, help="files with findings to use")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--parso", action="store_true", help="compare with parso's tree")
    parser.add_argument("--show", type=int, default=10, help="invented findings to print")
    parser.add_argument(
        "--alone",
        type=int,
        default=0,
        help="time the recovery of the N worst files again, each on its own (best of 20)",
    )
    parser.add_argument(
        "--detail-files",
        type=int,
        default=200,
        help="files on which recovery alone is timed and scopes (and parso) compared",
    )
    parser.add_argument(
        "--root",
        action="append",
        type=Path,
        default=[],
        help="take the files under this folder instead of the standard library (repeatable;"
        " e.g. the primer's unpacked projects, ~/.cache/debt-lints-primer/src)",
    )
    parser.add_argument(
        "--tree",
        action="store_true",
        help="then time a cold check of a copy of the corpus with a quarter of its files"
        " damaged against its parse floor (bench/damaged_tree.py, --jobs 2)",
    )
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown damage kinds: {', '.join(sorted(unknown))}")
    # As the runner does when it checks many files: parsing allocates millions
    # of nodes that reference counting frees.
    gc.set_threshold(20_000, 20, 20)
    tallies = run(
        args.files, args.seed, kinds, args.parso, args.detail_files, roots=tuple(args.root)
    )
    sys.stdout.write(report(tallies, args.show, args.parso))
    if args.alone:
        timed = [(r, (name, kind)) for kind, t in tallies.items() for r, name in t.timed]
        worst = [pair for _, pair in sorted(timed, reverse=True)[: args.alone]]
        again = alone(worst, args.seed, tuple(args.root))
        sys.stdout.write(
            f"\nthe {len(again)} worst files, each timed alone (recovery / parse, best of 20): "
            + ", ".join(f"{r:.1f}x {name}" for r, name in again)
            + "\n"
        )
        if again:
            worst, name = again[0]
            verdict = "met" if worst <= MAX_RATIO else "NOT met"
            sys.stdout.write(
                f"worst file alone: recovery / parse {worst:.1f}x ({name};"
                f" target <= {MAX_RATIO:g}x: {verdict})\n"
            )
    if args.tree:
        from bench import damaged_tree

        sys.stdout.write("\n")
        sys.stdout.flush()
        damaged_tree.main(["--jobs", "2"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
