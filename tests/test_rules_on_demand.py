"""Rules imported when a file needs them report exactly what rules imported at once do.

A one-file check imports only the rules whose evidence (``Rule.evidence``, read
from the generated catalogue) the file holds (issue 27). The rules left out
still count as selected: a ``noqa`` comment naming one is judged as before
(DL002), and the next file that holds their evidence imports and runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints.config import default_config
from debt_lints.engine.registry import catalogue, load, selected_codes
from debt_lints.engine.walk import FileResult, RuleSet, check_source, imported_when_needed
from debt_lints.index import FactsCollector

FIXTURES = Path(__file__).parent / "fixtures"
#: Every rule fixture (Python, stubs, notebooks, YAML) and every damaged file of the
#: recovery fixtures, in name order: the early ones hold little evidence.
FILES = sorted(
    path
    for folder in (FIXTURES / "rules", FIXTURES / "recovery")
    for path in folder.rglob("*")
    if path.suffix in (".py", ".pyi", ".ipynb", ".yaml", ".yml")
)


def check_every_file(rules: RuleSet) -> list[FileResult]:
    """One rule set for every file in turn, as a ``--jobs 1`` run uses it."""
    return [
        check_source(path.read_bytes(), str(path), path.relative_to(FIXTURES).as_posix(), rules)
        for path in FILES
    ]


@pytest.mark.parametrize("select", [None, ["DL", "DL6"], ["DL3", "DL002"]], ids=str)
def test_rules_imported_on_demand_report_what_rules_imported_at_once_do(
    tmp_path: Path, select: list[str] | None
) -> None:
    assert len(FILES) > 100
    settings = default_config(tmp_path).settings
    codes = selected_codes(select, ())
    eager = RuleSet([load(code) for code in codes], settings, collectors=[FactsCollector()])
    now, later = imported_when_needed(codes)
    assert later, "every rule with evidence waits for a file that holds it"
    lazy = RuleSet(now, settings, collectors=[FactsCollector()], later=later)
    assert lazy.codes == eager.codes
    assert check_every_file(lazy) == check_every_file(eager)
    assert lazy.later == ()  # the fixtures hold the evidence of every rule
    assert [type(r) for r in lazy.instances] == [type(r) for r in eager.instances]


def test_a_rule_is_imported_by_the_first_file_that_holds_its_evidence(tmp_path: Path) -> None:
    settings = default_config(tmp_path).settings
    now, later = imported_when_needed(["DL002", "DL301", "DL501"])
    assert [rule.code for rule in now] == ["DL002"]  # no evidence: every file
    assert later == ["DL301", "DL501"]
    rules = RuleSet(now, settings, later=later)
    # DL301 is selected: a noqa that names it on a file without its evidence is unused.
    plain = check_source(b"x = 1  # noqa: DL301\n", "a.py", "a.py", rules)
    assert [(f.code, f.message) for f in plain.findings] == [
        ("DL002", "unused noqa code DL301: nothing on this line reports it; remove it")
    ]
    assert [code for code, _ in rules.later] == ["DL301", "DL501"]
    assert rules.wants("DL301")
    assert rules.instances == []
    # Evidence is compared without case, as for a rule imported at once.
    loud = check_source(b'HOST = "LOCALHOST"\nconnect(HOST)\n', "b.py", "b.py", rules)
    assert [code for code, _ in rules.later] == ["DL501"]
    assert [type(rule).code for rule in rules.instances] == ["DL301"]
    eager = RuleSet([load("DL002"), load("DL301"), load("DL501")], settings)
    again = check_source(b'HOST = "LOCALHOST"\nconnect(HOST)\n', "b.py", "b.py", eager)
    assert loud == again


def test_rules_without_evidence_and_opt_in_rules_are_imported_at_once() -> None:
    now, later = imported_when_needed(sorted(catalogue()))
    entries = catalogue()
    assert {rule.code for rule in now} == {
        code for code, entry in entries.items() if entry[2] or entry[3] is None
    }
    assert all(entries[code][3] is not None and not entries[code][2] for code in later)


def test_a_yaml_file_imports_every_rule(tmp_path: Path) -> None:
    settings = default_config(tmp_path).settings
    now, later = imported_when_needed(["DL301"])
    rules = RuleSet(now, settings, later=later)
    result = check_source(b"host: localhost\n", "c.yaml", "c.yaml", rules)
    assert [f.code for f in result.findings] == ["DL301"]
    assert rules.later == ()
