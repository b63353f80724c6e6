"""Meta-tests over the registry: the catalogue is consistent and documented."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from debt_lints.config import Config, load_config
from debt_lints.core.model import DOC_SECTIONS, Rule
from debt_lints.docs import code_blocks, sections
from debt_lints.engine.registry import RETIRED, all_options, all_rules, lookup, selected
from debt_lints.engine.walk import RuleSet, check_source

RULES = all_rules()
V1_CATALOGUE = {
    "DL001": "syntax-error",
    "DL101": "deprecated-import",
    "DL103": "renamed-env-var",
    "DL201": "sys-path-injection",
    "DL202": "hardcoded-absolute-path",
    "DL301": "hardcoded-loopback",
    "DL302": "insecure-bind-all",
    "DL401": "default-curve-key",
    "DL501": "unclosed-socket",
    "DL502": "unclosed-log-handler",
}
ROOT = Path(__file__).resolve().parent.parent


def test_codes_and_names_are_unique_and_well_formed() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.code not in RETIRED
        assert lookup(rule.code) is rule and lookup(rule.name) is rule


def test_registered_rules_keep_their_v1_codes_and_names() -> None:
    for rule in RULES:
        if rule.code in V1_CATALOGUE:
            assert V1_CATALOGUE[rule.code] == rule.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_doc_has_every_section_in_order(rule: type[Rule]) -> None:
    body = sections(rule)
    assert list(body) == list(DOC_SECTIONS), f"{rule.code}: sections {list(body)}"
    for title in DOC_SECTIONS:
        assert body[title].strip(), f"{rule.code}: empty section {title!r}"
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.message and rule.code not in rule.message
    for option in rule.options:
        assert f"`{option.name}`" in body["Options"], (
            f"{rule.code}: option {option.name} undocumented"
        )


@pytest.mark.parametrize("rule", [r for r in RULES if not r.builtin], ids=lambda r: r.code)
def test_example_triggers_and_use_instead_does_not(rule: type[Rule]) -> None:
    body = sections(rule)
    config = _doc_config(rule)
    ruleset = RuleSet([rule], config.settings)
    bad = code_blocks(body["Example"])
    good = code_blocks(body["Use instead"])
    assert bad and good, f"{rule.code}: Example and Use instead need code blocks"
    for block in bad:
        found = _run(block, ruleset)
        assert found, f"{rule.code}: Example does not trigger the rule:\n{block}"
    for block in good:
        assert not _run(block, ruleset), f"{rule.code}: Use instead triggers the rule:\n{block}"


def _run(block: str, ruleset: RuleSet) -> list[str]:
    if block.startswith("# file: "):
        return _run_project(block, ruleset)
    name = "config.yaml" if _looks_like_yaml(block) else "main_pc_code/agents/example.py"
    result = check_source(block, name, name, ruleset)
    assert not result.internal_errors
    return [f.code for f in result.findings]


def _run_project(block: str, ruleset: RuleSet) -> list[str]:
    """A whole-repository rule's example: ``# file: path`` lines start each file."""
    import re
    import tempfile

    from debt_lints.running.runner import run

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
        for chunk in re.split(r"^# file: ", block, flags=re.M)[1:]:
            name, _, text = chunk.partition("\n")
            path = root / name.strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = load_config(start=root, cwd=root)
        result = run([str(root)], config, ruleset.rule_types)
        assert not result.internal_errors
        return [f.code for f in result.findings]


def _looks_like_yaml(block: str) -> bool:
    try:
        ast.parse(block)
    except SyntaxError:
        return True
    return False


def _doc_config(rule: type[Rule]) -> Config:
    """The configuration a rule's examples assume: the ```toml block of its Options, if any."""
    blocks = [b for b in code_blocks(sections(rule)["Options"]) if "[tool.debt-lints]" in b]
    if not blocks:
        return load_config(cwd=ROOT / "docs")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pyproject.toml"
        path.write_text(blocks[0], encoding="utf-8")
        return load_config(explicit=path)


def test_every_rule_declares_its_evidence() -> None:
    """Each rule says which files can concern it (``None``: every file), deliberately."""
    for rule in RULES:
        declared = [k for k in rule.__mro__ if k is not Rule and "evidence" in vars(k)]
        assert declared, f"{rule.code}: declare evidence (byte strings, or None for every file)"
        evidence = rule.evidence
        if evidence is not None:
            assert isinstance(evidence, tuple) and evidence, rule.code
            for word in evidence:
                assert isinstance(word, bytes) and word and word.isascii(), (rule.code, word)


def _evidence_cases(rule: type[Rule]) -> list[tuple[str, str, str, Config]]:
    """(name, relpath, source, configuration) of the rule's Python fixtures and doc examples."""
    from tests.fixtures import PATH_RE, config_for, fixture_files, fixture_projects, rule_code

    cases = []
    for path in fixture_files():
        if rule_code(path) == rule.code and path.suffix in (".py", ".pyi"):
            text = path.read_text(encoding="utf-8")
            match = PATH_RE.search(text)
            relpath = match.group(1) if match else path.name
            cases.append((path.name, relpath, text, config_for(path)))
    for project in fixture_projects():
        if rule_code(project) == rule.code:
            config = load_config(start=project, cwd=project)
            for path in sorted(project.rglob("*.py")):
                rel = path.relative_to(project).as_posix()
                cases.append((rel, rel, path.read_text(encoding="utf-8"), config))
    for number, block in enumerate(code_blocks(sections(rule)["Example"])):
        if not _looks_like_yaml(block) and not block.startswith("# file: "):
            cases.append((f"Example {number}", "pkg/example.py", block, _doc_config(rule)))
    return cases


@pytest.mark.parametrize(
    "rule", [r for r in RULES if getattr(r, "evidence", None)], ids=lambda r: r.code
)
def test_evidence_is_sound_on_the_rules_fixtures(rule: type[Rule]) -> None:
    """Every file in which the rule reports (all rules run, evidence ignored) has its evidence.

    A rule is never called on a file without its evidence, so evidence that a
    reported file lacks would lose that finding.
    """
    words = [word.decode("ascii").lower() for word in rule.evidence or ()]
    reporting = 0
    for name, relpath, text, config in _evidence_cases(rule):
        ruleset = RuleSet([rule], config.settings, use_evidence=False)
        result = check_source(text, name, relpath, ruleset)
        lines = sorted({f.line for f in result.findings if f.code == rule.code})
        if lines:
            reporting += 1
            assert any(word in text.lower() for word in words), (
                f"{rule.code} reports lines {lines} of {name}, which has none of its evidence"
            )
    assert reporting, f"{rule.code}: no fixture where it reports"


@pytest.mark.parametrize(
    "rule",
    [r for r in RULES if getattr(r, "wanted_calls", None) or getattr(r, "wanted_strings", None)],
    ids=lambda r: r.code,
)
def test_declared_calls_and_strings_are_sound_on_the_rules_fixtures(rule: type[Rule]) -> None:
    """The rule reports the same with its visitors narrowed to the calls and strings it
    declares (``Rule.wanted_calls``, ``Rule.wanted_strings``) as with every call and constant."""
    reporting = 0
    for name, relpath, text, config in _evidence_cases(rule):
        narrowed = check_source(text, name, relpath, RuleSet([rule], config.settings))
        every = check_source(text, name, relpath, RuleSet([rule], config.settings, narrow=False))
        assert narrowed.findings == every.findings, f"{rule.code} on {name}"
        assert narrowed.deferred == every.deferred, f"{rule.code} on {name}"
        reporting += bool(every.findings or every.deferred)
    assert reporting, f"{rule.code}: no fixture where it reports"


def test_options_are_unique_and_typed() -> None:
    for name, option in all_options().items():
        assert option.kind in {"str-map", "str-list", "bool"}, name


def test_selection_prefixes_and_specificity() -> None:
    codes = {r.code for r in selected(["DL2"], [])}
    assert codes and all(c.startswith("DL2") for c in codes)
    assert "DL201" not in {r.code for r in selected(["DL"], ["DL201"])}
    assert {r.code for r in selected(["DL201"], ["DL2"])} == {"DL201"}
    assert not selected(["DL"], ["DL"])


def test_importing_the_package_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, debt_lints, debt_lints.adapters.cli;"
        "heavy = {'yaml', 'mypy', 'pylint', 'flake8', 'bandit', 'pygls', 'debt_lints.engine.walk'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_checker_module_is_one_rule() -> None:
    for rule in RULES:
        module = importlib.import_module(rule.__module__)
        rules = [
            v
            for v in vars(module).values()
            if isinstance(v, type)
            and issubclass(v, Rule)
            and v is not Rule
            and v.__module__ == module.__name__
        ]
        assert rules == [rule]
        assert rule.__module__.rsplit(".", 1)[-1] == rule.name.replace("-", "_")
