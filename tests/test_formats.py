"""The CI output formats: ``github``, ``sarif`` and ``junit``."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.model import Finding, Severity
from debt_lints.engine.registry import all_rules
from debt_lints.formats import FORMATS, RenderContext, get_renderer
from debt_lints.formats.github import annotation, escape_data, escape_property
from tests.sample_project import BAD

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def check(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out


def finding(**changes: Any) -> Finding:
    base: dict[str, Any] = {
        "path": "pkg/bad.py",
        "line": 2,
        "column": 1,
        "code": "DL201",
        "end_line": 2,
        "end_column": 31,
        "name": "sys-path-injection",
        "message": "sys.path is modified at runtime",
        "severity": Severity.WARNING,
        "scope": "",
        "snippet": "sys.path.insert(0, 'vendor/x')",
    }
    base.update(changes)
    return Finding(**base)


def test_every_format_is_registered_and_renders_nothing_cleanly() -> None:
    assert {"text", "json", "github", "sarif", "junit"} <= set(FORMATS)
    for name in FORMATS:
        get_renderer(name)([], RenderContext())  # must not raise on an empty run


# --- github -----------------------------------------------------------------

#: The workflow-command grammar: ``::cmd k=v,k=v::message``, where a property
#: value holds no raw ``,`` ``:`` CR or LF, the message no raw CR or LF, and
#: every ``%`` starts one of the escapes the runner decodes.
COMMAND_RE = re.compile(
    r"^::(?P<cmd>error|warning|notice) (?P<props>[A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*)"
    r"::(?P<msg>[^\r\n]*)$"
)
PROPERTY_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(value: str, escapes: dict[str, str]) -> str:
    assert re.fullmatch(r"(?:[^%]|%(?:25|0D|0A|3A|2C))*", value), value
    return re.sub(r"%(?:25|0D|0A|3A|2C)", lambda m: escapes[m.group(0)], value)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command as the Actions runner does, checking the escapes."""
    match = COMMAND_RE.match(line)
    assert match, line
    props = {}
    for item in match.group("props").split(","):
        key, _, value = item.partition("=")
        props[key] = unescape(value, PROPERTY_ESCAPES)
    data_escapes = {k: v for k, v in PROPERTY_ESCAPES.items() if k in ("%25", "%0D", "%0A")}
    message = match.group("msg")
    assert not re.search(r"%(?!25|0D|0A)", message), message
    return match.group("cmd"), props, unescape(message, data_escapes)


def test_github_escaping_of_data_and_properties() -> None:
    assert escape_data("100%\r\nok: a,b") == "100%25%0D%0Aok: a,b"
    assert escape_property("100%\r\nok: a,b") == "100%25%0D%0Aok%3A a%2Cb"
    # ``%`` first, so an existing escape-looking text survives the round trip.
    assert escape_property("%3A") == "%253A"


def test_github_cli_output_matches_the_workflow_command_syntax(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(["--format", "github"], capsys)
    assert code == 1
    rule = next(r for r in all_rules() if r.code == "DL201")
    expected_cmd = {"error": "error", "warning": "warning", "info": "notice"}[rule.severity.value]
    assert out == (
        f"::{expected_cmd} file=pkg/bad.py,line=2,col=1,endLine=2,endColumn=31,"
        f"title=DL201 sys-path-injection::{rule.message}\n"
    )
    cmd, props, message = parse_command(out.rstrip("\n"))
    assert (cmd, props["file"], props["line"], message) == (
        expected_cmd,
        "pkg/bad.py",
        "2",
        rule.message,
    )


def test_github_hostile_path_and_message_round_trip() -> None:
    hostile = finding(path="dir,with:odd%/a\nb.py", message="50% done:\r\nnext, then")
    line = annotation(hostile)
    assert "\n" not in line and "\r" not in line
    cmd, props, message = parse_command(line)
    assert cmd == "warning"
    assert props["file"] == "dir,with:odd%/a\nb.py"
    assert props["title"] == "DL201 sys-path-injection"
    assert message == "50% done:\r\nnext, then"


def test_github_multi_line_finding_has_lines_but_no_columns() -> None:
    # GitHub's annotation API takes columns only for a single-line range.
    _, props, _ = parse_command(annotation(finding(end_line=4, end_column=3)))
    assert (props["line"], props["endLine"]) == ("2", "4")
    assert "col" not in props and "endColumn" not in props


def test_github_severity_maps_to_command() -> None:
    assert annotation(finding(severity=Severity.ERROR)).startswith("::error ")
    assert annotation(finding(severity=Severity.INFO)).startswith("::notice ")


# --- sarif ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    # ``uri`` formats are only checked with the ``format-nongpl`` extra installed.
    assert "uri" in jsonschema.Draft4Validator.FORMAT_CHECKER.checkers
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def validate(log: dict[str, Any], validator: Any) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_validates_against_the_2_1_0_schema(
    project: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    code, out = check(["--format", "sarif"], capsys)
    assert code == 1
    log = json.loads(out)
    validate(log, sarif_validator)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.code for r in all_rules())
    (res,) = run["results"]
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "DL201"
    assert "baselineState" not in res  # no baseline took part
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pkg/bad.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 31}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_rule_descriptors_come_from_the_rule_docs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.docs import sections

    _, out = check(["--format", "sarif"], capsys)
    rules = {r["id"]: r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    for rule in all_rules():
        descriptor = rules[rule.code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        first_words = " ".join(sections(rule)["What it does"].replace("`", "").split()[:4])
        assert descriptor["fullDescription"]["text"].startswith(first_words)
        assert "## Why is this debt" in descriptor["help"]["markdown"]
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"]["level"] == level


def test_sarif_fingerprints_survive_inserted_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def first_result() -> dict[str, Any]:
        _, out = check(["--format", "sarif"], capsys)
        result: dict[str, Any] = json.loads(out)["runs"][0]["results"][0]
        return result

    before = first_result()
    (project / "pkg" / "bad.py").write_text("\n" * 40 + BAD, encoding="utf-8")
    after = first_result()
    region = after["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 42
    assert after["partialFingerprints"] == before["partialFingerprints"]
    assert set(after["partialFingerprints"]) == {"debtLints/v1", "primaryLocationLineHash"}


def test_sarif_identical_findings_get_distinct_fingerprints(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "bad.py").write_text(BAD + BAD, encoding="utf-8")
    _, out = check(["--format", "sarif"], capsys)
    prints = [
        r["partialFingerprints"]["debtLints/v1"] for r in json.loads(out)["runs"][0]["results"]
    ]
    assert len(prints) == 2 and prints[0] != prints[1]
    assert prints[0].rsplit(":", 1)[0] == prints[1].rsplit(":", 1)[0]


def test_sarif_baseline_state(sarif_validator: Any) -> None:
    from debt_lints.formats.sarif import sarif_log

    new = finding(line=5, end_line=5)
    known = finding()
    log = sarif_log([new], RenderContext(known=[known], baseline_in_use=True))
    validate(log, sarif_validator)
    results = log["runs"][0]["results"]
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        2,
        5,
    ]
    assert [r["baselineState"] for r in results] == ["unchanged", "new"]
    assert results[0]["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in results[1]
    # A baseline that matched nothing still marks every finding as new.
    only_new = sarif_log([new], RenderContext(baseline_in_use=True))["runs"][0]["results"]
    assert [r["baselineState"] for r in only_new] == ["new"]


def test_sarif_uri_is_a_percent_encoded_relative_reference(sarif_validator: Any) -> None:
    from debt_lints.formats.sarif import sarif_log

    log = sarif_log([finding(path="my dir/a#b%.py", scope="Agent.run")], RenderContext())
    validate(log, sarif_validator)
    location = log["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%23b%25.py"
    assert location["logicalLocations"] == [{"fullyQualifiedName": "Agent.run"}]


# --- junit ------------------------------------------------------------------


def test_junit_one_failed_testcase_per_finding_and_a_passing_one_per_clean_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "bad.py").write_text(BAD + BAD, encoding="utf-8")
    code, out = check(["--format", "junit"], capsys)
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "2", "0")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"pkg/bad.py", "pkg/good.py"}
    cases = suites["pkg/bad.py"].findall("testcase")
    assert [c.get("name") for c in cases] == [
        "DL201 sys-path-injection (2:1)",
        "DL201 sys-path-injection (4:1)",
    ]
    assert {(c.get("classname"), c.get("file")) for c in cases} == {("pkg.bad", "pkg/bad.py")}
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "DL201"
    assert (failure.text or "").startswith("pkg/bad.py:4:1: DL201 ")
    (clean,) = suites["pkg/good.py"].findall("testcase")
    assert list(clean) == []  # passed


def test_junit_known_findings_are_skipped_and_text_is_valid_xml() -> None:
    from debt_lints.formats.junit import render

    bad_text = finding(message="bell\x07 and nul\x00 <&>", line=7, end_line=7)
    out = render([bad_text], RenderContext(known=[finding()]))
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "1", "1")
    cases = root.findall("./testsuite/testcase")
    assert cases[0].find("skipped") is not None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "bell\ufffd and nul\ufffd <&>"


def test_junit_empty_run_is_one_passing_test() -> None:
    from debt_lints.formats.junit import render

    root = ET.fromstring(render([], RenderContext()))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_sarif_with_a_baseline_marks_known_and_new(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sarif_validator: Any,
) -> None:
    from debt_lints.baseline.store import load

    monkeypatch.delenv("CI", raising=False)
    assert main(["baseline", "create"]) == 0
    capsys.readouterr()
    (project / "pkg" / "good.py").write_text("import sys\n" + BAD, encoding="utf-8")
    code, out = check(["--format", "sarif"], capsys)
    assert code == 1
    log = json.loads(out)
    validate(log, sarif_validator)
    results = log["runs"][0]["results"]
    states = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["baselineState"])
        for r in results
    }
    assert states == {("pkg/bad.py", "unchanged"), ("pkg/good.py", "new")}
    known = next(r for r in results if r["baselineState"] == "unchanged")
    assert known["suppressions"][0]["status"] == "accepted"
    # The fingerprint is the baseline entry's identity (plus the occurrence number).
    baseline = load(project / "debt-lints-baseline.json")
    assert baseline is not None
    (entry,) = baseline.entries
    assert known["partialFingerprints"]["debtLints/v1"] == entry.identity.fingerprint() + ":1"


def test_sarif_describes_strict_typing_codes(project: Path, sarif_validator: Any) -> None:
    from debt_lints.formats.sarif import sarif_log

    typed = finding(code="mypy[no-untyped-def]", name="no-untyped-def", severity=Severity.ERROR)
    log = sarif_log([finding(), typed], RenderContext(root=project))
    validate(log, sarif_validator)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: i for i, r in enumerate(rules)}
    assert list(by_id)[-1] == "mypy[no-untyped-def]"
    assert rules[-1]["name"] == "no-untyped-def"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
