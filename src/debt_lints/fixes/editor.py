"""Fixes for an editor buffer: one quick fix per finding, and "fix all" (the safe ones).

The language server hands over a checker of the buffer's text (its host
session, so findings are exactly those ``check`` reports) and the project's
module lookup; nothing here knows about LSP.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from debt_lints.core.model import Applicability, Edit, Finding
from debt_lints.fixes.fixer import fix_text
from debt_lints.fixes.modules import ModuleLookup
from debt_lints.fixes.policy import FixPolicy, resolve


@dataclass(frozen=True)
class QuickFix:
    """One finding's fix, as an editor offers it."""

    finding: Finding
    title: str
    edits: tuple[Edit, ...]
    safe: bool


@dataclass(frozen=True)
class BufferFixes:
    """The fixes of one buffer: per finding, and the text after every safe one."""

    quick: tuple[QuickFix, ...]
    #: The buffer after all its safe fixes (``None``: nothing to fix safely).
    fixed_text: str | None


def buffer_fixes(
    text: str,
    path: str,
    findings_of: Callable[[str], list[Finding]],
    modules: ModuleLookup,
    *,
    fixable: tuple[str, ...] | None = None,
    unfixable: tuple[str, ...] = (),
    fix_all: bool = True,
) -> BufferFixes:
    """Quick fixes of ``text`` (unsafe ones included, labelled) and its "fix all" text."""
    every = FixPolicy(unsafe=True, fixable=fixable, unfixable=unfixable)
    safe_only = FixPolicy(unsafe=False, fixable=fixable, unfixable=unfixable)

    def check(current: str) -> list[Finding]:
        return resolve(findings_of(current), modules, every)

    findings = check(text)
    quick = tuple(_quick(f) for f in findings if f.fix is not None and every.applies(f))
    fixed_text = None
    if fix_all and any(q.safe for q in quick):
        outcome = fix_text(text, path, check, safe_only, findings=findings)
        fixed_text = outcome.text if outcome.changed else None
    return BufferFixes(quick, fixed_text)


def _quick(finding: Finding) -> QuickFix:
    fix = finding.fix
    assert fix is not None
    safe = fix.applicability is Applicability.SAFE
    title = f"{fix.message or 'Fix'} ({finding.code})"
    if not safe:
        title += " (unsafe)"
    return QuickFix(finding, title[:1].upper() + title[1:], fix.edits, safe)


def overlapping(quick: Sequence[QuickFix], start: int, end: int) -> list[QuickFix]:
    """The quick fixes of findings on lines ``start`` to ``end`` (1-based, inclusive)."""
    return [
        q
        for q in quick
        if q.finding.line <= end and max(q.finding.end_line, q.finding.line) >= start
    ]
