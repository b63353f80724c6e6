"""The per-file contract: every input yields its findings or exactly one clear
diagnostic, never a traceback or a hang, and the exit status stays in {0,1,2,3}.

Every hostile input is generated here, in a temporary directory: nothing
binary is committed. ``docs/robustness.md`` lists each case and what the user
sees; the tests below are that table, executable.
"""

from __future__ import annotations

import ast
import codecs
import errno
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from debt_lints import discovery
from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, main
from debt_lints.analysis.context import FileContext, split_lines
from debt_lints.config import Config
from debt_lints.core import source
from debt_lints.core.model import Finding, Rule
from debt_lints.core.settings import Settings
from debt_lints.engine import walk as engine
from debt_lints.engine.registry import all_rules
from debt_lints.engine.walk import FileResult, InternalError, RuleSet, analyze_tree, check_file
from debt_lints.running import runner
from tests.sample_project import finding_lines

EXIT_STATUSES = {0, 1, 2, 3}
INJECT = b"import sys\nsys.path.insert(0, 'lib')\n"  # DL201 on line 2


def ruleset(*extra: type[Rule]) -> RuleSet:
    return RuleSet((*all_rules(), *extra), Settings())


def check(data: bytes | str, name: str = "x.py", *extra: type[Rule]) -> FileResult:
    return engine.check_source(data, name, name, ruleset(*extra))


def codes(result: FileResult) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in result.findings]


def one_diagnostic(result: FileResult) -> Finding:
    """The single DL001 a file that cannot be analysed must produce."""
    assert not result.internal_errors, result.internal_errors
    assert [f.code for f in result.findings] == ["DL001"], result.findings
    finding = result.findings[0]
    assert finding.message.strip() and "\n" not in finding.message
    return finding


def assert_positions_sane(findings: list[Finding], text: str) -> None:
    """Every position lies inside the file: lines 1..n+1, columns within the line."""
    lines = split_lines(text)
    for f in findings:
        assert 1 <= f.line <= len(lines) + 1, f
        assert f.line <= f.end_line <= len(lines) + 1, f
        width = len(lines[f.line - 1].rstrip("\r\n")) if f.line <= len(lines) else 0
        assert 1 <= f.column <= width + 2, f
        end_width = len(lines[f.end_line - 1].rstrip("\r\n")) if f.end_line <= len(lines) else 0
        assert 1 <= f.end_column <= end_width + 2, f
        if f.end_line == f.line:
            assert f.end_column >= f.column, f


def ast_parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# --- syntax errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "line", "column"),
    [
        ("x = 1\ndef f(:\n    pass\n", 2, 7),
        ("x = (\n", 1, 5),
        ("s = 'é' + (\n", 1, 11),  # characters, not UTF-8 bytes
        ("if x:\npass\n", 2, 1),
        ("print 'py2'\n", 1, 1),
        ("x = 1\\", 1, 7),  # trailing backslash at end of file
        ("x = 1\\\n", 1, 7),
        ("def f():\n\tif x:\n        pass\n", 3, 1),  # TabError
    ],
)
def test_syntax_error_is_one_finding_at_the_error(code: str, line: int, column: int) -> None:
    finding = one_diagnostic(check(code.encode()))
    assert finding.message.startswith("cannot parse:")
    assert (finding.line, finding.column) == (line, column)
    # The same bytes through the file path give the same result.
    ast_error = None
    try:
        ast.parse(code)
    except SyntaxError as exc:
        ast_error = exc
    assert ast_error is not None and ast_error.lineno == line


def test_parser_warnings_never_become_findings() -> None:
    # Under -W error or PYTHONWARNINGS=error (common in CI) the parser's
    # warnings about the checked code turn into SyntaxError unless silenced.
    data = b'import re, sys\nx = re.compile("\\d+")\nsys.path.insert(0, "\\w")\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check(data)
    assert codes(result) == [(3, 1, "DL201")]


def test_other_rules_run_on_what_an_unparsable_file_lets_recover() -> None:
    # docs/robustness.md: one DL001, then every rule on the recovered tree
    # (tests/test_recovery.py has each kind of damage).
    result = check(INJECT + b"def broken(:\n    pass\n")
    assert not result.internal_errors
    assert codes(result) == [(3, 12, "DL001"), (2, 1, "DL201")]
    assert result.partial and all(f.partial for f in result.findings)


def test_a_file_too_deep_for_the_parser_is_not_recovered() -> None:
    # RecursionError / MemoryError: CPython refuses the file; no second attempt.
    result = check(INJECT + b"x = " + b"-" * 100_000 + b"1\n")
    assert [f.code for f in one_diagnostic_list(result)] == ["DL001"]
    assert not result.partial


def one_diagnostic_list(result: FileResult) -> list[Finding]:
    one_diagnostic(result)
    return result.findings


# --- encodings --------------------------------------------------------------------


def test_latin1_with_coding_cookie_is_analysed() -> None:
    data = "# -*- coding: latin-1 -*-\nimport sys\ns = 'é'; sys.path.insert(0, 'x')\n"
    result = check(data.encode("latin-1"))
    assert not result.internal_errors
    assert [(f.line, f.column, f.end_column, f.code) for f in result.findings] == [
        (3, 10, 33, "DL201")
    ]


def test_cp1252_cookie_on_line_two_is_analysed() -> None:
    data = "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nimport sys\n"
    data += "sys.path.append('€')\n"
    assert codes(check(data.encode("cp1252"))) == [(4, 1, "DL201")]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"import sys\n\ns = '\xe9'\n", 3, 6),
        (b"s = '\xe9'\n", 1, 6),  # first line: the cookie search itself fails
        (b"# comment\ns = '\xff\xfe'\n", 2, 6),
        ("s = 'ü'\nt = 'ü".encode() + b"\xe9'\n", 2, 7),  # column in characters
    ],
)
def test_invalid_utf8_without_cookie_is_a_decoding_finding(
    data: bytes, line: int, column: int
) -> None:
    finding = one_diagnostic(check(data))
    assert finding.message.startswith("cannot decode")
    assert (finding.line, finding.column) == (line, column)


def test_null_byte_is_one_finding_at_its_line() -> None:
    finding = one_diagnostic(check(b"x = 1\ny = 2\0\nz = 3\n"))
    assert (finding.line, finding.column) == (2, 6)
    assert "null" in finding.message


def test_null_byte_after_lone_cr_line_endings() -> None:
    finding = one_diagnostic(check(b"x = 1\ry = 2\r\0\r"))
    assert (finding.line, finding.column) == (3, 1)


def test_bom_keeps_columns_on_line_one() -> None:
    result = check(codecs.BOM_UTF8 + b"import sys; sys.path.insert(0, 'x')\n")
    assert [(f.line, f.column, f.end_column) for f in result.findings] == [(1, 13, 36)]


def test_bom_with_matching_cookie_is_analysed() -> None:
    data = codecs.BOM_UTF8 + b"# coding: utf-8\n" + INJECT
    assert codes(check(data)) == [(3, 1, "DL201")]


def test_bom_with_conflicting_cookie_is_one_finding() -> None:
    finding = one_diagnostic(check(codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n"))
    assert "byte-order mark conflicts" in finding.message and "latin-1" in finding.message
    assert (finding.line, finding.column) == (1, 11)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_files_are_named(encoding: str) -> None:
    finding = one_diagnostic(check("x = 1\n".encode(encoding)))
    assert encoding.upper() in finding.message


@pytest.mark.parametrize(
    ("cookie", "expect"),
    [
        ("klingon", "unknown encoding 'klingon'"),
        ("undefined", "cannot decode as undefined"),  # the codec raises UnicodeError
        ("base64", "cannot decode"),  # not a text encoding
        ("idna", "cannot decode"),
    ],
)
def test_unusable_coding_cookie_is_one_finding(cookie: str, expect: str) -> None:
    data = f"# coding: {cookie}\nx = 'é'\n".encode("latin-1")
    finding = one_diagnostic(check(data))
    assert expect in finding.message


# --- pathological depth -------------------------------------------------------------

DEEP_INPUTS = {
    "1000 nested parentheses": "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "100000 unary minus": "x = " + "-" * 100_000 + "1\n",
    "100000-term + chain": "x = " + " + ".join(["1"] * 100_000) + "\n",
    "10000-term + chain": "x = " + " + ".join(["a"] * 10_000) + "\n",
    "120 indentation levels": "".join(" " * i + "if x:\n" for i in range(120))
    + " " * 120
    + "pass\n",
    "10000 chained calls": "x = f" + "()" * 10_000 + "\n",
    "10000-deep attribute chain": "x = a" + ".b" * 10_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_INPUTS))
def test_pathological_depth_is_analysed_or_one_finding(name: str) -> None:
    text = DEEP_INPUTS[name]
    result = check(text.encode())
    if ast_parses(text):  # a future CPython may accept some of these
        assert not result.internal_errors
        assert "DL001" not in {f.code for f in result.findings}
    else:
        one_diagnostic(result)
    assert_positions_sane(result.findings, text)


HEAD = "sys.path.insert(0, 'p')"
SUFFIXES = {"+ chain": " + a", "call chain": "()", "method chain": ".m()"}
SUFFIXES.update({"subscript chain": "[0]", "attribute chain": ".a"})


def deep_tree(shape: str, depth: int) -> tuple[str, ast.Module]:
    """``x = HEAD<suffix * depth>`` and its tree, built without the parser.

    CPython 3.11 refuses these for its recursion limit, 3.12 for its C
    recursion limit; a future parser may accept them. Building the tree node
    by node, with exact positions, gives the rules the tree that parser would.
    """
    suffix = SUFFIXES[shape]
    text = f"import sys\nx = {HEAD}{suffix * depth}\n"
    module = ast.parse(f"import sys\nx = {HEAD}\n")
    assign = module.body[1]
    assert isinstance(assign, ast.Assign)
    node: ast.expr = assign.value
    end = 4 + len(HEAD)

    def at(start: int, stop: int) -> dict[str, int]:
        return {"lineno": 2, "end_lineno": 2, "col_offset": start, "end_col_offset": stop}

    for _ in range(depth):
        end += len(suffix)
        if shape == "+ chain":
            node = ast.BinOp(node, ast.Add(), ast.Name("a", ast.Load(), **at(end - 1, end)))
        elif shape == "call chain":
            node = ast.Call(node, [], [])
        elif shape == "method chain":
            method = ast.Attribute(node, "m", ast.Load(), **at(4, end - 2))
            node = ast.Call(method, [], [])
        elif shape == "subscript chain":
            node = ast.Subscript(node, ast.Constant(0, **at(end - 2, end - 1)), ast.Load())
        else:
            node = ast.Attribute(node, "a", ast.Load())
        for key, value in at(4, end).items():
            setattr(node, key, value)
    assign.value = node
    assign.end_col_offset = end
    return text, module


@pytest.mark.parametrize("shape", sorted(SUFFIXES))
def test_rules_and_context_survive_trees_deeper_than_the_recursion_limit(shape: str) -> None:
    # The walk is iterative; this proves every registered rule and every
    # FileContext helper it calls are too (no ast.unparse, literal_eval, dump
    # or hand-written recursion over expressions).
    text, tree = deep_tree(shape, 10_000)
    ctx = FileContext("deep.py", "deep.py", text)
    errors: list[InternalError] = []
    analyze_tree(tree, ctx, ruleset(), errors)
    assert not errors, errors
    assert (2, 5) in {(f.line, f.column) for f in ctx.findings if f.code == "DL201"}
    assert_positions_sane(ctx.findings, text)


def test_deep_tree_matches_the_parser() -> None:
    # The hand-built tree is the parser's, where the parser can build it.
    for shape in SUFFIXES:
        text, tree = deep_tree(shape, 3)
        assert ast.dump(tree, include_attributes=True) == ast.dump(
            ast.parse(text), include_attributes=True
        ), shape


def test_scope_of_a_finding_inside_99_nested_functions() -> None:
    text = "import sys\n" + "".join(" " * i + f"def f{i}():\n" for i in range(99))
    text += " " * 99 + "sys.path.insert(0, 'p')\n"
    result = check(text.encode())
    assert [f.code for f in result.findings] == ["DL201"]
    assert result.findings[0].scope == ".".join(f"f{i}" for i in range(99))


def test_huge_integer_literals_do_not_break_rules() -> None:
    # repr() of a 5,000-digit int raises ValueError on Python >= 3.11; no rule
    # may stumble on it. (A 5,000-digit decimal literal is a SyntaxError.)
    text = "import sys\nx = 0x" + "f" * 5_000 + "\nsys.path.insert(0, x)\n"
    result = check(text.encode())
    assert not result.internal_errors
    assert codes(result) == [(3, 1, "DL201")]
    decimal = "x = 1" + "0" * 5_000 + "\n"
    if not ast_parses(decimal):  # Python >= 3.10.7 limits int string conversion
        one_diagnostic(check(decimal.encode()))


# --- size ------------------------------------------------------------------------------


def test_file_over_max_file_size_is_one_finding_and_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = Config(root=tmp_path).max_file_size
    big = tmp_path / "big.py"
    with big.open("wb") as fh:  # sparse: costs no disk and is never read
        fh.truncate(limit + 1)
    monkeypatch.setattr(os, "read", _forbidden_read)
    finding = one_diagnostic(check_file(str(big), "big.py", ruleset(), limit))
    assert f"{limit + 1} bytes, over max-file-size ({limit} bytes)" in finding.message


def _forbidden_read(fd: int, n: int) -> bytes:
    raise AssertionError("the file was read")


def test_max_file_size_boundary(tmp_path: Path) -> None:
    """Exactly ``max-file-size`` bytes is analysed; one byte more is reported."""
    body = INJECT + b"#" * 10 + b"\n"
    exact = tmp_path / "exact.py"
    exact.write_bytes(body)
    assert codes(check_file(str(exact), "exact.py", ruleset(), len(body))) == [(2, 1, "DL201")]
    over = tmp_path / "over.py"
    over.write_bytes(body + b"\n")
    one_diagnostic(check_file(str(over), "over.py", ruleset(), len(body)))


def test_file_growing_while_read_stays_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fstat says small, the content is large (a file being appended to).
    path = tmp_path / "growing.py"
    path.write_bytes(b"x = 1\n" * 10_000)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 10  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", small_fstat)
    data = source.read_bytes(str(path), max_size=100)
    assert isinstance(data, source.SourceProblem)
    assert "101 bytes, over max-file-size (100 bytes)" in data.message


@pytest.mark.slow
def test_ten_megabyte_file_is_analysed(tmp_path: Path) -> None:
    """A 10 MB (10,000,000 bytes) file is under the default 10 MiB limit: analysed."""
    path = tmp_path / "generated.py"
    line = b"value_%07d = compute(alpha, beta, 'a literal string')  # comment\n"
    with path.open("wb") as fh:
        size = index = 0
        while size < 10_000_000 - 100:
            chunk = line % index
            fh.write(chunk)
            size += len(chunk)
            index += 1
        fh.write(b"import sys\nsys.path.insert(0, 'x')\n")
    limit = Config(root=tmp_path).max_file_size
    assert path.stat().st_size <= limit
    result = check_file(str(path), "generated.py", ruleset(), limit)
    assert not result.internal_errors
    assert codes(result) == [(index + 2, 1, "DL201")]


# --- line endings and odd characters --------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", codecs.BOM_UTF8, b"\n", b"# just a comment", b"\r\n\r\n", b"\x0c"]
)
def test_empty_and_trivial_files_are_clean(data: bytes) -> None:
    result = check(data)
    assert result.findings == [] and result.internal_errors == []


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"])
def test_line_endings(newline: bytes) -> None:
    data = newline.join(
        [b"import sys", b"sys.path.insert(0, 'a')", b"sys.path.insert(0, 'b')  # noqa: DL201"]
    )
    result = check(data + newline)
    assert codes(result) == [(2, 1, "DL201")]
    assert (result.findings[0].end_line, result.findings[0].end_column) == (2, 24)


def test_mixed_line_endings() -> None:
    result = check(b"import sys\r\nx = 1\ry = 2\nsys.path.insert(0, 'a')\r\n")
    assert codes(result) == [(4, 1, "DL201")]


@pytest.mark.parametrize("char", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_characters_that_are_not_python_line_breaks(char: str) -> None:
    # str.splitlines() breaks lines at these; Python does not. Line numbers,
    # columns and noqa comments must follow Python.
    text = (
        f"import sys\nx = '{char}'  # {char}\n"
        "s = 'é'; sys.path.insert(0, 'a')\n"
        "sys.path.insert(0, 'b')  # noqa: DL201\n"
    )
    if char == "\x0c":
        text = "\x0c" + text  # a form feed also starts lines in old code
    assert codes(check(text.encode())) == [(3, 10, "DL201")]


def test_form_feed_between_statements() -> None:
    assert codes(check(b"\x0cimport sys\n\x0c\nsys.path.insert(0, 'x')\n")) == [(3, 1, "DL201")]


def test_backslash_continuation_is_analysed() -> None:
    assert codes(check(b"import sys\nsys.path.insert(0, \\\n  'x')\n")) == [(2, 1, "DL201")]


def test_lone_surrogate_in_a_message_is_printable() -> None:
    class EchoRule(Rule):
        code = "DL998"
        name = "echo-rule"
        summary = message = "echo"

        def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
            if isinstance(node.value, str):
                ctx.report(node, f"value {node.value}")

    result = check(b"x = '\\udcff \\ud800'\n", "x.py", EchoRule)
    assert [f.message for f in result.findings] == ["value \\udcff \\ud800"]
    result.findings[0].message.encode("utf-8")  # strict: must not raise


# --- YAML ---------------------------------------------------------------------------


class EchoYaml(Rule):
    """Reports every YAML scalar where it is (a test probe, never registered)."""

    code = "DL997"
    name = "echo-yaml"
    summary = message = "scalar"

    def visit_yaml_scalar(self, scalar: object, ctx: FileContext) -> None:
        ctx.report_yaml(scalar)  # type: ignore[arg-type]


def yaml_rows(data: bytes) -> list[tuple[int, int, str]]:
    result = engine.check_source(data, "c.yaml", "c.yaml", RuleSet([EchoYaml], Settings()))
    assert not result.internal_errors
    return [(f.line, f.column, f.snippet) for f in result.findings]


@pytest.mark.parametrize(
    "data",
    [
        b"a: 1\nhost: x  # noqa: DL997\nb: '2'\n",
        b"a: 1\r\nhost: x  # noqa: DL997\r\nb: '2'\r\n",
        b"a: 1\rhost: x  # noqa: DL997\rb: '2'\r",
        codecs.BOM_UTF8 + b"a: 1\nhost: x  # noqa: DL997\nb: '2'\n",
        "a: 1\nhost: x  # noqa: DL997\nb: '2'\n".encode("utf-16"),
        "a: 1\nhost: x  # noqa: DL997\nb: '2'\n".encode("utf-32"),
    ],
    ids=["lf", "crlf", "cr", "bom", "utf-16", "utf-32"],
)
def test_yaml_positions_and_noqa_whatever_the_encoding_and_line_ends(data: bytes) -> None:
    assert yaml_rows(data) == [(1, 4, "1"), (3, 4, "2")]


def test_yaml_line_breaks_follow_yaml() -> None:
    # YAML 1.1 (libyaml, PyYAML) also ends lines at \x85, \u2028 and \u2029.
    text = "a: x\u2028b: 2\x85c: 3  # noqa: DL997\nd: 4\n"
    assert yaml_rows(text.encode()) == [(1, 4, "x"), (2, 4, "2"), (4, 4, "4")]


@pytest.mark.parametrize(
    ("data", "line", "column", "expect"),
    [
        (b"a: 1\nb: \0\n", 2, 4, "unacceptable character #x0000"),
        ("é: 1\nb: é\x07\n".encode(), 2, 5, "unacceptable character #x0007"),
        (b"a: 1\nb: '\xe9'\n", 2, 5, "cannot decode as utf-8: invalid byte b'\\xe9'"),
        (b"a: [1,\n", 2, 1, "cannot parse YAML"),
        (b"a:\n\tb: 1\n", 2, 1, "cannot parse YAML"),
        (b"[" * 5_000 + b"]" * 5_000, 1, 1001, "exceeded maximum nesting depth"),
    ],
)
def test_yaml_that_cannot_be_read_is_one_finding(
    data: bytes, line: int, column: int, expect: str
) -> None:
    finding = one_diagnostic(check(data, "c.yaml"))
    assert expect in finding.message
    assert (finding.line, finding.column) == (line, column)


def test_yaml_aliases_are_not_expanded() -> None:
    # "Billion laughs": 10 levels of 10 aliases would be 10**10 scalars.
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
    )
    text += "self: &s [*s]\n"  # an alias inside its own anchor
    assert yaml_rows(text.encode()) == [(1, column, "x") for column in range(10, 38, 3)]


# --- the file system ------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "ok.py").write_bytes(INJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status in EXIT_STATUSES
    assert "Traceback" not in err
    if argv[:1] == ["check"] and not any(a.startswith(("--format", "--output")) for a in argv):
        out = "".join(line + "\n" for line in finding_lines(out))
    return status, out, err


def test_dangling_symlink(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "dangling.py").symlink_to(project / "missing.py")
    status, out, _ = run_cli(["check"], capsys)
    assert (status, out.count("DL201"), "dangling" in out) == (EXIT_FINDINGS, 1, False)
    status, out, _ = run_cli(["check", "dangling.py", "ok.py"], capsys)
    assert "dangling.py:1:1: DL001 broken symbolic link" in out
    assert "ok.py:2:1: DL201" in out


def test_directory_named_like_a_python_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "x.py").mkdir()
    (project / "x.py" / "inner.py").write_bytes(INJECT)
    for argv in (["check"], ["check", "x.py"]):
        status, out, _ = run_cli(argv, capsys)
        assert status == EXIT_FINDINGS and "x.py/inner.py:2:1: DL201" in out
        assert "DL001" not in out


def test_fifo_is_skipped_by_the_walk_and_reported_when_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(project / "pipe.py")
    status, out, _ = run_cli(["check"], capsys)  # would block forever if opened naively
    assert (status, "pipe.py" in out) == (EXIT_FINDINGS, False)
    status, out, _ = run_cli(["check", "pipe.py", "ok.py"], capsys)
    assert "pipe.py:1:1: DL001 not a regular file (a FIFO); not read" in out
    assert "ok.py:2:1: DL201" in out


def test_fifo_without_a_writer_does_not_block(project: Path) -> None:
    # A plain open() for reading would wait for a writer forever.
    os.mkfifo(project / "pipe.py")
    result = check_file(str(project / "pipe.py"), "pipe.py", ruleset())
    assert "FIFO" in one_diagnostic(result).message


def test_symlink_loops_end_and_real_files_are_checked_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "a.py").symlink_to(project / "b.py")
    (project / "b.py").symlink_to(project / "a.py")
    (project / "pkg").mkdir()
    (project / "pkg" / "mod.py").write_bytes(INJECT)
    (project / "pkg" / "loop").symlink_to(project)  # a directory loop
    (project / "pkg" / "alias.py").symlink_to(project / "pkg" / "mod.py")
    status, out, _ = run_cli(["check"], capsys)
    assert status == EXIT_FINDINGS
    assert sorted(out.splitlines()) == [
        "ok.py:2:1: DL201 " + _DL201,
        "pkg/mod.py:2:1: DL201 " + _DL201,  # alias.py links to it: once, real name
    ]
    status, out, _ = run_cli(["check", "a.py"], capsys)
    assert out.startswith("a.py:1:1: DL001 cannot read file: Too many levels of symbolic links")


_DL201 = "sys.path is modified at runtime; install the package (pip install -e .) instead"


def test_file_vanishing_between_walk_and_read(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "gone.py").write_bytes(INJECT)
    (project / "z.py").write_bytes(INJECT)
    real_open = os.open

    def deleting_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith("gone.py"):
            os.unlink(path)  # deleted after the walk found it, before the read
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deleting_open)
    status, out, _ = run_cli(["check"], capsys)
    assert status == EXIT_FINDINGS
    assert out.splitlines() == [
        "gone.py:1:1: DL001 no such file or directory (it may have vanished during the run)",
        "ok.py:2:1: DL201 " + _DL201,
        "z.py:2:1: DL201 " + _DL201,
    ]


@pytest.mark.parametrize(
    "case",
    [
        ("open", errno.EACCES, "cannot read file: Permission denied"),
        ("read", errno.EIO, "cannot read file: Input/output error"),
        ("fstat", errno.EIO, "cannot read file: Input/output error"),
    ],
)
def test_file_becoming_unreadable_during_the_run(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, int, str],
) -> None:
    # CI runs as root, which chmod 000 does not stop: fail the system call.
    failing, err, expect = case
    (project / "locked.py").write_bytes(INJECT)
    real_open, real_call = os.open, getattr(os, failing)
    locked: set[int] = set()

    def fake_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if str(path).endswith("locked.py"):
            if failing == "open":
                os.close(fd)
                raise PermissionError(err, os.strerror(err), path)
            locked.add(fd)
        return fd

    def fake_call(fd: int, *args: int) -> object:
        if fd in locked:
            locked.discard(fd)  # descriptor numbers are reused once closed
            raise OSError(err, os.strerror(err))
        return real_call(fd, *args)

    monkeypatch.setattr(os, "open", fake_open)
    if failing != "open":
        monkeypatch.setattr(os, failing, fake_call)
    status, out, _ = run_cli(["check"], capsys)
    assert status == EXIT_FINDINGS
    assert out.splitlines() == [f"locked.py:1:1: DL001 {expect}", "ok.py:2:1: DL201 " + _DL201]


def test_undecodable_file_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    (project / name).write_bytes(INJECT)
    status, out, _ = run_cli(["check"], capsys)
    assert status == EXIT_FINDINGS and "caf\\xe9.py:2:1: DL201" in out
    status, out, _ = run_cli(["check", "--format", "json"], capsys)
    assert "caf\\xe9.py" in {item["path"] for item in json.loads(out)}
    status, _, _ = run_cli(["check", "--output-file", "report.txt"], capsys)
    assert "caf\\xe9.py:2:1: DL201" in (project / "report.txt").read_text(encoding="utf-8")


# --- faults in the machinery: a rule that raises ---------------------------------------


class BrokenRule(Rule):
    """Raises on every call in ``boom.py``; never registered in production."""

    code = "DL999"
    name = "broken-rule"
    summary = message = "always broken"
    calls: ClassVar[int] = 0

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if ctx.relpath.endswith("boom.py"):
            BrokenRule.calls += 1
            raise RuntimeError("rule bug")


class BrokenYamlRule(Rule):
    code = "DL998"
    name = "broken-yaml-rule"
    summary = message = "always broken"

    def visit_yaml_scalar(self, scalar: object, ctx: FileContext) -> None:
        raise KeyError("yaml rule bug")


@pytest.fixture()
def broken_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    real = discovery.enabled_rules

    def with_broken(*args: object, **kwargs: object) -> tuple[type[Rule], ...]:
        return (*real(*args, **kwargs), BrokenRule, BrokenYamlRule)  # type: ignore[arg-type]

    monkeypatch.setattr(discovery, "enabled_rules", with_broken)
    # The run's own rule set imports the registry's rules by code, as files need them.
    split = runner.imported_when_needed

    def also_broken(codes: Sequence[str]) -> tuple[list[type[Rule]], list[str]]:
        now, later = split(codes)
        return [*now, BrokenRule, BrokenYamlRule], later

    monkeypatch.setattr(runner, "imported_when_needed", also_broken)
    BrokenRule.calls = 0


@pytest.mark.usefixtures("broken_rules")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rule_raising_is_one_internal_error_and_exit_3(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    (project / "boom.py").write_bytes(INJECT + b"print(1)\nprint(2)\n")
    (project / "z.py").write_bytes(INJECT)
    status, out, err = run_cli(["check", "--format", fmt], capsys)
    assert status == EXIT_INTERNAL
    # Every file's findings are still reported, the broken file's included.
    for expected in ("boom.py", "ok.py", "z.py"):
        assert out.count(expected) == 1, out
    errors = [line for line in err.splitlines() if "internal error" in line]
    assert len(errors) == 1
    assert errors[0].startswith(
        "debt-lints: boom.py: internal error in DL999 (broken-rule): RuntimeError: rule bug at "
    )
    assert BrokenRule.calls == 1  # disabled for the rest of the file after the first failure


@pytest.mark.usefixtures("broken_rules")
def test_yaml_rule_raising(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "conf.yaml").write_text("a: 1\nb: [2, 3]\n", encoding="utf-8")
    status, _, err = run_cli(["check"], capsys)
    assert status == EXIT_INTERNAL
    assert err.count("conf.yaml: internal error in DL998 (broken-yaml-rule): KeyError") == 1


def test_engine_failure_outside_rules_costs_one_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "z.py").write_bytes(INJECT)
    real = engine.check_source

    def failing(data: bytes | str, path: str, *args: object, **kwargs: object) -> FileResult:
        if path.endswith("ok.py"):
            raise RecursionError("engine bug")
        return real(data, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_source", failing)
    status, out, err = run_cli(["check"], capsys)
    assert status == EXIT_INTERNAL
    assert out == f"z.py:2:1: DL201 {_DL201}\n"
    assert "ok.py: internal error in engine: RecursionError: engine bug" in err


# --- the same fault inside flake8 and pylint -------------------------------------------

# DL201's visit_Call raises in boom.py only; patched before flake8 starts (and
# inherited by its forked --jobs workers).
_FLAKE8_WITH_BROKEN_RULE = """
import sys
from debt_lints.checkers.portability.sys_path_injection import SysPathInjection
real = SysPathInjection.visit_Call
def visit_Call(self, node, ctx):
    if ctx.relpath.endswith("boom.py"):
        raise RuntimeError("rule bug")
    real(self, node, ctx)
SysPathInjection.visit_Call = visit_Call
from flake8.main.cli import main
sys.exit(main(sys.argv[1:]))
"""


def host_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    for name in ("a.py", "boom.py", "z.py"):
        (root / name).write_bytes(INJECT + b"sys.path.append('more')\n")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_flake8_rule_raising_on_one_file(tmp_path: Path, jobs: str) -> None:
    pytest.importorskip("flake8")
    root = host_project(tmp_path)
    flake8 = [sys.executable, "-c", _FLAKE8_WITH_BROKEN_RULE, "--isolated", "--select", "DL"]
    done = subprocess.run(
        [*flake8, "--jobs", jobs, "a.py", "boom.py", "z.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    lines = done.stdout.splitlines()
    assert [" ".join(line.split(" ")[:2]) for line in lines] == [
        "a.py:2:1: DL201",
        "a.py:3:1: DL201",
        "boom.py:1:1: DL000",  # one diagnostic naming the rule and the file
        "z.py:2:1: DL201",
        "z.py:3:1: DL201",
    ]
    assert "internal error in DL201 (sys-path-injection): RuntimeError: rule bug" in lines[2]


def test_pylint_rule_raising_on_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pylint")
    from debt_lints.checkers.portability.sys_path_injection import SysPathInjection
    from tests.test_plugins import pylint_messages

    real = SysPathInjection.visit_Call

    def visit_call(self: SysPathInjection, node: ast.Call, ctx: FileContext) -> None:
        if ctx.relpath.endswith("boom.py"):
            raise RuntimeError("rule bug")
        real(self, node, ctx)

    monkeypatch.setattr(SysPathInjection, "visit_Call", visit_call)
    root = host_project(tmp_path)
    messages = pylint_messages(["a.py", "boom.py", "z.py"], root, monkeypatch)
    rows = sorted((m.path, m.line, m.symbol) for m in messages)  # type: ignore[attr-defined]
    assert rows == [
        ("a.py", 2, "sys-path-injection"),
        ("a.py", 3, "sys-path-injection"),
        ("boom.py", 1, "debt-lints-plugin-error"),
        ("z.py", 2, "sys-path-injection"),
        ("z.py", 3, "sys-path-injection"),
    ]
    error = next(m for m in messages if m.path == "boom.py")  # type: ignore[attr-defined]
    assert "internal error in DL201 (sys-path-injection): RuntimeError: rule bug" in error.msg  # type: ignore[attr-defined]


# --- the whole hostile tree, through the real console script -------------------------


def build_hostile_tree(root: Path) -> dict[str, str]:
    """Every case above in one tree; returns path -> what must be reported for it."""
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    files: dict[str, bytes] = {
        "ok.py": INJECT,
        "syntax.py": b"def f(:\n",
        "latin1.py": b"# coding: latin-1\n" + INJECT + b"s = '\xe9'\n",
        "badutf8.py": b"s = '\xe9'\n",
        "nul.py": b"x = 1\0\n",
        "bom.py": codecs.BOM_UTF8 + INJECT,
        "bomcookie.py": codecs.BOM_UTF8 + b"# coding: latin-1\n",
        "parens.py": DEEP_INPUTS["1000 nested parentheses"].encode(),
        "unary.py": DEEP_INPUTS["100000 unary minus"].encode(),
        "chain.py": DEEP_INPUTS["100000-term + chain"].encode(),
        "chain10k.py": DEEP_INPUTS["10000-term + chain"].encode(),
        "indent.py": DEEP_INPUTS["120 indentation levels"].encode(),
        "empty.py": b"",
        "crlf.py": INJECT.replace(b"\n", b"\r\n"),
        "cr.py": INJECT.replace(b"\n", b"\r"),
        "formfeed.py": b"\x0c" + INJECT,
        "backslash.py": b"x = 1\\",
        "bad.yaml": b"a: [1,\n",
        "payload.yaml": b'x: !!python/object/apply:os.system ["echo pwned"]\n',
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "dangling.py").symlink_to(root / "nowhere.py")
    (root / "dir.py").mkdir()
    os.mkfifo(root / "fifo.py")
    (root / "loop1.py").symlink_to(root / "loop2.py")
    (root / "loop2.py").symlink_to(root / "loop1.py")
    (root / "dir.py" / "up").symlink_to(root)
    deep = {"parens.py", "unary.py", "chain.py", "chain10k.py", "indent.py"}
    return {
        "ok.py": "DL201",
        "latin1.py": "DL201",
        "bom.py": "DL201",
        "crlf.py": "DL201",
        "cr.py": "DL201",
        "formfeed.py": "DL201",
        **{
            name: "DL001"
            for name in (
                "syntax.py",
                "badutf8.py",
                "nul.py",
                "bomcookie.py",
                "parens.py",
                "unary.py",
                "chain.py",
                "chain10k.py",
                "indent.py",
                "backslash.py",
                "bad.yaml",
            )
            # Python 3.10 parses the + chains; then there is nothing to report.
            if not (name in deep and ast_parses(files[name].decode()))
        },
    }


def test_hostile_tree_through_the_console_script(tmp_path: Path) -> None:
    expected = build_hostile_tree(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,  # a hang fails the test instead of the suite
        check=False,
    )
    assert proc.returncode == EXIT_FINDINGS, proc.stderr
    assert proc.stderr == ""
    reported: dict[str, list[str]] = {}
    for item in json.loads(proc.stdout):
        reported.setdefault(item["path"], []).append(item["code"])
    assert reported == {path: [code] for path, code in expected.items()}
    # Named explicitly, the special files get one diagnostic each.
    named = ["dangling.py", "fifo.py", "loop1.py", "ok.py"]
    proc = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", *named],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (EXIT_FINDINGS, "")
    assert [line.split(":")[0] for line in finding_lines(proc.stdout)] == named


def test_exit_statuses_are_documented() -> None:
    assert {EXIT_OK, EXIT_FINDINGS, 2, EXIT_INTERNAL} == EXIT_STATUSES


# --- baseline writes killed at random moments ----------------------------------------


def baseline_versions(size: int = 3_000) -> list[list[object]]:
    """Two entry lists of a few hundred kilobytes, so that a write takes a while."""
    from debt_lints.baseline.store import Entry

    return [
        [
            Entry(
                path=f"pkg/module_{i % 97}.py",
                line=i + version,
                code="DL201",
                scope=f"function_{i}",
                hash=f"{(i * 7919 + version) % 16**16:016x}",
            )
            for i in range(size)
        ]
        for version in range(2)
    ]


def kill_writers_at_random(root: Path, kills: int, seed: int) -> dict[str, int]:
    """Fork a writer of the other version, SIGKILL it at a random moment; ``kills`` times.

    The writer is the real code path (lock, then ``store.save``) in a loop;
    after every kill the file must be exactly one version, and at most the
    killed writer's own temporary file may be left (the next writer removes it).
    """
    import random
    import signal
    import time

    from debt_lints.baseline.lock import locked
    from debt_lints.baseline.store import dumps, save

    rng = random.Random(seed)
    versions = baseline_versions()
    texts = [dumps(v) for v in versions]  # type: ignore[arg-type]
    target = root / "debt-lints-baseline.json"
    target.write_text(texts[0], encoding="utf-8")
    seen = {"old": 0, "new": 0, "temporary-files-left": 0}
    for _ in range(kills):
        before = texts.index(target.read_text(encoding="utf-8"))
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                while True:
                    for entries in (versions[1 - before], versions[before]):
                        with locked(target):
                            save(target, entries)  # type: ignore[arg-type]
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        after = target.read_text(encoding="utf-8")
        assert after in texts  # exactly one version, never a mix or a truncation
        seen["old" if texts.index(after) == before else "new"] += 1
        temporary = [p.name for p in root.iterdir() if p.name.endswith(".tmp")]
        assert len(temporary) <= 1, temporary
        seen["temporary-files-left"] += len(temporary)
    return seen


def test_baseline_writes_killed_at_random_moments(tmp_path: Path) -> None:
    seen = kill_writers_at_random(tmp_path, kills=30, seed=1)
    assert seen["old"] + seen["new"] == 30


@pytest.mark.slow
def test_baseline_writes_killed_hundreds_of_times(tmp_path: Path) -> None:
    seen = kill_writers_at_random(tmp_path, kills=400, seed=2)
    # Both outcomes happen: the kills land before and after the rename.
    assert seen["old"] > 0 and seen["new"] > 0


def test_lines_end_where_python_ends_them_only() -> None:
    """Form feeds, \\x0b, \\x1c-\\x1e, \\x85 and \\u2028/\\u2029 end no Python line, wherever
    they are (alone, before or after a line end, at the very end of the text); \\r,
    \\n and \\r\\n do. The lines found are the ones Python's tokenizer counts."""
    import itertools
    import re

    python_lines = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
    pieces = ["a", "\n", "\r", "\r\n", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85"]
    pieces += ["\u2028", "\u2029"]
    for size in range(4):
        for combination in itertools.product(pieces, repeat=size):
            text = "".join(combination)
            assert split_lines(text) == python_lines.findall(text), repr(text)
    text = "x = 1\x0c\n\x0cy = 2\r\nz = '\u2028'\rend\x0c"
    assert split_lines(text) == ["x = 1\x0c\n", "\x0cy = 2\r\n", "z = '\u2028'\r", "end\x0c"]
    assert ast.parse(text.replace("\x0c", "")).body[-1].lineno == 4
