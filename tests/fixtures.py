"""Expectation-annotated fixtures: ``code()  # expect: DL201`` beside the code.

A fixture runs the rule its file name starts with (``DL201_*.py`` runs DL201;
DL002 fixtures run every rule, since DL002 judges the others' suppressions, and
count only DL002).
Optional sibling ``<stem>.toml`` holds a ``[tool.debt-lints]`` table for it,
and a ``# fixture-path: a/b/c.py`` line sets the root-relative path the file
is checked as (for relative imports and per-path behaviour).

A fixture *directory* (``DL601_import_cycle/``) is a small project for a rule
that needs the whole repository: every file below it may carry expectations,
its ``pyproject.toml`` configures it, and the whole directory is one run.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from debt_lints.config import Config, load_config
from debt_lints.engine.noqa import UNUSED_NOQA_CODE
from debt_lints.engine.registry import lookup
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.running.runner import enabled_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>DL\d{3}(?:\s*,\s*DL\d{3})*)")
PATH_RE = re.compile(r"^#\s*fixture-path:\s*(\S+)\s*$", re.M)


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in {".py", ".pyi", ".yaml", ".yml"})


def fixture_projects() -> list[Path]:
    """Fixture directories: one project each, for the whole-repository rules."""
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name[:2] == "DL")


def project_sources(project: Path) -> list[Path]:
    """The files of a fixture project that may carry expectations."""
    return sorted(
        p
        for p in project.rglob("*")
        if p.suffix in {".py", ".yaml", ".yml", ".toml"} and p.is_file()
    )


def project_expected(project: Path) -> Counter[tuple[str, int, str]]:
    out: Counter[tuple[str, int, str]] = Counter()
    for path in project_sources(project):
        rel = path.relative_to(project).as_posix()
        for (line, code), count in expected(path).items():
            out[(rel, line, code)] += count
    return out


def project_actual(
    project: Path, jobs: int = 1, cache: bool = False
) -> Counter[tuple[str, int, str]]:
    """Findings of the project's rule over the whole fixture project."""
    from debt_lints.running.runner import run

    rule = lookup(rule_code(project))
    assert rule is not None, f"{project.name}: no rule {rule_code(project)}"
    config = load_config(start=project, cwd=project)
    result = run([str(project)], config, [rule], jobs=jobs, cache=cache)
    assert not result.internal_errors, result.internal_errors
    return Counter(
        (Path(f.path).resolve().relative_to(project.resolve()).as_posix(), f.line, f.code)
        for f in result.findings
    )


def expected(path: Path) -> Counter[tuple[int, str]]:
    out: Counter[tuple[int, str]] = Counter()
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match:
            for code in match.group("codes").split(","):
                out[(number, code.strip())] += 1
    return out


def config_for(path: Path) -> Config:
    toml = path.with_suffix(".toml")
    if toml.exists():
        return load_config(explicit=toml)
    return load_config(start=path.parent, cwd=path.parent)


def rule_code(path: Path) -> str:
    return path.name[:5]


def actual(path: Path) -> Counter[tuple[int, str]]:
    rule = lookup(rule_code(path))
    assert rule is not None, f"{path.name}: no rule {rule_code(path)}"
    config = config_for(path)
    data = path.read_bytes()
    match = PATH_RE.search(data.decode("utf-8", errors="replace"))
    relpath = match.group(1) if match else path.name
    rules = [rule]
    if rule.code == UNUSED_NOQA_CODE:
        # Whether a noqa code is unused depends on the other rules' findings.
        rules = list(enabled_rules(config))
    result = check_source(data, str(path), relpath, RuleSet(rules, config.settings))
    assert not result.internal_errors, result.internal_errors
    return Counter((f.line, f.code) for f in result.findings if f.code == rule.code)
