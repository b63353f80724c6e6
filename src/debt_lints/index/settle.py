"""The project phase of a run: deferred findings decided against the whole repository."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from debt_lints.analysis.context import ProjectView
from debt_lints.core.model import Finding, Rule
from debt_lints.engine.walk import InternalError, _describe


def settle(
    deferred: Iterable[tuple[Finding, object]],
    rules: Mapping[str, Rule],
    project: ProjectView,
) -> tuple[list[Finding], list[InternalError]]:
    """The deferred findings their rules confirm, and the rules that raised.

    Each rule's ``settle(question, finding, project)`` decides; a rule without
    one, or not enabled, reports nothing. A rule that raises costs its own
    deferred findings of this file, never the run.
    """
    findings: list[Finding] = []
    errors: list[InternalError] = []
    broken: set[str] = set()
    for finding, question in deferred:
        rule = rules.get(finding.code)
        decide = getattr(rule, "settle", None)
        if rule is None or decide is None or finding.code in broken:
            continue
        try:
            decided = decide(question, finding, project)
        except Exception as exc:  # a bug in a rule must not stop the run
            broken.add(finding.code)
            errors.append(InternalError(finding.path, f"{rule.code} ({rule.name})", _describe(exc)))
            continue
        if isinstance(decided, Finding):
            findings.append(decided)
    return findings, errors


def rules_by_code(instances: Sequence[Rule]) -> dict[str, Rule]:
    """Rule instances by code (the ones a run built), for :func:`settle`."""
    return {rule.code: rule for rule in instances}
