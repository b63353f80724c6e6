"""Every rule fixture: each ``# expect:`` is met and nothing else is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints.engine.registry import all_rules
from tests.fixtures import (
    actual,
    expected,
    fixture_files,
    fixture_projects,
    project_actual,
    project_expected,
    project_sources,
    rule_code,
)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture(path: Path) -> None:
    want = expected(path)
    got = actual(path)
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    assert not missing and not extra, f"missing={missing} unexpected={extra}"


@pytest.mark.parametrize("project", fixture_projects(), ids=lambda p: p.name)
def test_fixture_project(project: Path) -> None:
    want = project_expected(project)
    got = project_actual(project)
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    assert not missing and not extra, f"missing={missing} unexpected={extra}"


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    for rule in all_rules():
        if rule.builtin:
            continue
        files = [p for p in fixture_files() if rule_code(p) == rule.code]
        for project in fixture_projects():
            if rule_code(project) == rule.code:
                files.extend(project_sources(project))
        assert files, f"{rule.code} has no fixture"
        assert any(expected(p) for p in files), f"{rule.code}: no expected finding"
        # A clean case is a line of code in the fixture with no expectation.
        clean = 0
        for p in files:
            want = {line for line, _ in expected(p)}
            for number, text in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                stripped = text.strip()
                if stripped and not stripped.startswith("#") and number not in want:
                    clean += 1
        assert clean >= 5, f"{rule.code}: too few clean lines in fixtures"
