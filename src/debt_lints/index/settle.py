"""The project phase of a run: deferred findings decided against the whole repository."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from debt_lints.analysis.context import WITHDRAW, ProjectView
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
    deferred findings of this file, never the run. Questions that may withdraw a
    finding already reported (:meth:`~debt_lints.analysis.context.FileContext.report_unless`)
    are left to :func:`withdrawn`.
    """
    findings: list[Finding] = []
    errors: list[InternalError] = []
    broken: set[str] = set()
    for finding, question in deferred:
        if _withdrawal(question) is not None:
            continue
        decided = _decide(
            finding, question, rules=rules, project=project, broken=broken, errors=errors
        )
        if isinstance(decided, Finding):
            findings.append(decided)
    return findings, errors


def withdrawn(
    deferred: Iterable[tuple[Finding, object]],
    rules: Mapping[str, Rule],
    project: ProjectView,
) -> tuple[list[Finding], list[InternalError]]:
    """The findings already reported that their rules withdraw against the whole
    repository (``settle`` returned ``None`` for the question of
    :meth:`~debt_lints.analysis.context.FileContext.report_unless`), and the rules
    that raised. A rule that is not enabled, or that raises, withdraws nothing."""
    out: list[Finding] = []
    errors: list[InternalError] = []
    broken: set[str] = set()
    for finding, question in deferred:
        inner = _withdrawal(question)
        if inner is None:
            continue
        rule = rules.get(finding.code)
        if rule is None or getattr(rule, "settle", None) is None:
            continue
        before = len(errors)
        decided = _decide(
            finding, inner[0], rules=rules, project=project, broken=broken, errors=errors
        )
        if decided is None and len(errors) == before and finding.code not in broken:
            out.append(finding)
    return out, errors


def _withdrawal(question: object) -> list[object] | None:
    """``[the rule's question]`` when ``question`` may withdraw a reported finding."""
    if isinstance(question, list) and len(question) == 2 and question[0] == WITHDRAW:
        return [question[1]]
    return None


def _decide(
    finding: Finding,
    question: object,
    *,
    rules: Mapping[str, Rule],
    project: ProjectView,
    broken: set[str],
    errors: list[InternalError],
) -> object:
    rule = rules.get(finding.code)
    decide = getattr(rule, "settle", None)
    if rule is None or decide is None or finding.code in broken:
        return None
    try:
        return decide(question, finding, project)
    except Exception as exc:  # a bug in a rule must not stop the run
        broken.add(finding.code)
        errors.append(InternalError(finding.path, f"{rule.code} ({rule.name})", _describe(exc)))
        return None


def rules_by_code(instances: Sequence[Rule]) -> dict[str, Rule]:
    """Rule instances by code (the ones a run built), for :func:`settle`."""
    return {rule.code: rule for rule in instances}
