"""The bandit adapter: findings handed back at bandit's own nodes, nosec, ids, entry points."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from debt_lints.adapters import bandit as adapter
from debt_lints.analysis.context import FileContext
from debt_lints.core.model import Rule, Security, Severity
from debt_lints.hosts.plugin_ids import bandit_rules, bandit_test_name
from tests.fixtures import expected as fixture_expectations
from tests.test_parity import PY_FIXTURES, build_fixture_project, cli_rows

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


class FakeBind(Rule):
    """A security rule reporting on a call, a number and a class header."""

    code: ClassVar[str] = "DL309"
    name: ClassVar[str] = "fake-bind"
    summary: ClassVar[str] = "a fake security rule"
    message: ClassVar[str] = "fake bind"
    severity: ClassVar[Severity] = Severity.ERROR
    security: ClassVar[Security | None] = Security(
        cwe=1327, confidence="MEDIUM", bandit_severity="HIGH"
    )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "bind":
            ctx.report(node)

    def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
        if node.value == 5555:
            ctx.report(node, "fake port")

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if node.name == "Server":
            ctx.report(node, "fake class")


SOURCE = """\
import zmq
sock = zmq.Context().socket(zmq.REP)
sock.bind("tcp://*:5555")
sock.bind("tcp://*:1")  # nosec DL309
sock.bind("tcp://*:2")  # nosec
sock.bind(  # noqa: DL309
    "tcp://*:3",
)
port = 5555
x = "é"; sock.bind(port)


class Server:
    pass
"""


@pytest.fixture()
def fake_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Rule]]:
    from bandit.core import extension_loader

    monkeypatch.setattr("debt_lints.adapters.bandit.bandit_rules", lambda: (FakeBind,))
    monkeypatch.setattr("debt_lints.discovery.enabled_rules", lambda config: (FakeBind,))
    monkeypatch.setitem(extension_loader.MANAGER.plugins_by_id, FakeBind.code, object())
    monkeypatch.setattr(adapter, "_FILES", adapter._Files())
    yield FakeBind


def run_bandit(source: str, tests: list[Any]) -> list[Any]:
    """bandit's own node visitor and tester over ``source``, with ``tests`` as the test set."""
    from bandit.core import manager, meta_ast, metrics, node_visitor

    class TestSet:
        def get_tests(self, checktype: str) -> list[Any]:
            return [t for t in tests if checktype in t._checks]

    data = source.encode("utf-8")
    nosec_lines = {}
    for tok in tokenize.tokenize(io.BytesIO(data).readline):
        if tok.type == tokenize.COMMENT:
            nosec_lines[tok.start[0]] = manager._parse_nosec_comment(tok.string)
    counts = metrics.Metrics()
    counts.begin("mod.py")
    visitor = node_visitor.BanditNodeVisitor(
        "mod.py", io.BytesIO(data), meta_ast.BanditMetaAst(), TestSet(), False, nosec_lines, counts
    )
    visitor.process(data)
    return list(visitor.tester.results)


def test_findings_come_back_at_their_nodes_with_bandit_metadata(fake_rule: type[Rule]) -> None:
    test = adapter._make_test(fake_rule)
    issues = run_bandit(SOURCE, [test])
    rows = sorted((i.lineno, i.col_offset, i.text) for i in issues)
    assert rows == [
        (3, 0, "fake bind"),  # the call, matched exactly
        (9, 7, "fake port"),  # a number: bandit tests none, so at the enclosing assignment
        (10, 10, "fake bind"),  # byte columns as bandit reports them (after "é")
        (13, 0, "fake class"),  # a class header: bandit's end-of-file call
    ]
    issue = issues[0]
    assert (issue.test_id, issue.severity, issue.confidence, issue.cwe.id) == (
        "DL309",
        "HIGH",
        "MEDIUM",
        1327,
    )
    assert issue.test == "fake_bind"


def test_each_finding_is_reported_once_even_when_nodes_share_a_span(
    fake_rule: type[Rule],
) -> None:
    # ``sock.bind(...)`` as a statement: the Expr and the Call have the same span.
    issues = run_bandit("sock.bind('x')\nsock.bind('y')\n", [adapter._make_test(fake_rule)])
    assert sorted(i.lineno for i in issues) == [1, 2]


def test_a_rule_that_raises_is_one_issue_at_the_end_of_the_file(
    fake_rule: type[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: object, node: ast.Call, ctx: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(FakeBind, "visit_Call", boom)
    issues = run_bandit("sock.bind('x')\n", [adapter._make_test(fake_rule)])
    assert len(issues) == 1
    assert issues[0].lineno == 1
    assert "could not check this file" in issues[0].text and "rule bug" in issues[0].text


def test_the_check_list_names_each_node_kind_once() -> None:
    checks = adapter.checks()
    assert len(checks) == len(set(checks))
    assert {"Call", "Str", "Bytes", "File", "FunctionDef"} <= set(checks)
    assert not {"ClassDef", "Constant", "Num", "Module", "Name"} & set(checks)


def test_entry_points_match_the_security_rules() -> None:
    """Each bandit test needs its own entry point: a rule with ``security`` has a line."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = data["project"].get("entry-points", {}).get("bandit.plugins", {})
    wanted = {
        bandit_test_name(r): f"debt_lints.adapters.bandit:{bandit_test_name(r)}"
        for r in bandit_rules()
    }
    assert declared == wanted, (
        "stale bandit entry points: run python -m debt_lints.devtools.generate"
    )


def test_unknown_test_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        adapter.__getattr__("no_such_rule")


# --- bandit itself, through its entry points, against the CLI ---------------------------

SECURITY_FIXTURES = [
    fixture for fixture in PY_FIXTURES if fixture.name[:5] in {rule.code for rule in bandit_rules()}
]


def bandit_json(args: list[str], cwd: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "bandit", "-f", "json", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stdout + out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    results: list[dict[str, Any]] = json.loads(out.stdout)["results"]
    return results


@pytest.mark.parametrize("fixture", SECURITY_FIXTURES, ids=lambda p: p.stem)
def test_bandit_reports_what_the_cli_reports(fixture: Path, tmp_path: Path) -> None:
    code = fixture.name[:5]
    project = build_fixture_project(fixture, tmp_path)
    expected = {(row[0], row[1]) for row in cli_rows(project) if row[3] == code}
    # A fixture of clean cases only (fake keys in a test file) must stay clean in bandit too.
    assert bool(expected) == bool(fixture_expectations(fixture))
    issues = bandit_json(["-r", "-t", code, str(project)], tmp_path)
    assert {(str(Path(i["filename"]).resolve()), i["line_number"]) for i in issues} == expected
    rule = next(r for r in bandit_rules() if r.code == code)
    assert rule.security is not None
    for issue in issues:
        assert issue["test_id"] == code
        assert issue["test_name"] == bandit_test_name(rule)
        assert issue["issue_severity"] == rule.security.bandit_severity
        assert issue["issue_confidence"] == rule.security.confidence
        assert issue["issue_cwe"]["id"] == rule.security.cwe


@pytest.mark.parametrize("fixture", SECURITY_FIXTURES[:1], ids=lambda p: p.stem)
def test_nosec_with_the_rule_code_or_name(fixture: Path, tmp_path: Path) -> None:
    code = fixture.name[:5]
    project = build_fixture_project(fixture, tmp_path)
    rows = sorted(row for row in cli_rows(project) if row[3] == code)
    path, line = Path(rows[0][0]), rows[0][1]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + f"  # nosec {code}\n"
    path.write_text("".join(lines), encoding="utf-8")
    issues = bandit_json(["-t", code, str(path)], tmp_path)
    assert line not in {i["line_number"] for i in issues}
    assert len(issues) == len(rows) - sum(1 for r in rows if r[1] == line)
