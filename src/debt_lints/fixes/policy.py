"""Which fixes a run may apply: ``--fix``/``--unsafe-fixes`` and ``fixable``/``unfixable``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from debt_lints.analysis.repograph import dead_module_name, dead_part
from debt_lints.core.model import Applicability, Finding, Fix, Requirement
from debt_lints.engine.registry import matches
from debt_lints.fixes.modules import ModuleLookup


@dataclass(frozen=True)
class FixPolicy:
    """What may be fixed, as ruff has it.

    ``fixable`` (default: every code) and ``unfixable`` are codes or
    prefixes; a finding of an unfixable code has no fix at all (the output
    says so). ``unsafe`` also applies unsafe fixes.
    """

    unsafe: bool = False
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()

    def fixable_code(self, code: str) -> bool:
        if self.unfixable and matches(code, self.unfixable):
            return False
        return self.fixable is None or matches(code, self.fixable)

    def applies(self, finding: Finding) -> bool:
        """``True`` when this run applies the finding's fix."""
        fix = finding.fix
        if fix is None or not self.fixable_code(finding.code):
            return False
        return self.unsafe or fix.applicability is Applicability.SAFE


def resolve(findings: Iterable[Finding], modules: ModuleLookup, policy: FixPolicy) -> list[Finding]:
    """Settle each fix's applicability from what it requires of other modules.

    A fix whose replacement lacks a name the import needs is removed, and the
    finding's message says which names are missing; a fix of an unfixable
    code is removed.
    """
    out: list[Finding] = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            out.append(finding)
        elif not policy.fixable_code(finding.code):
            out.append(replace(finding, fix=None))
        elif fix.requirement is None:
            out.append(finding)
        else:
            out.append(_settle(finding, fix, fix.requirement, modules))
    return out


def _settle(finding: Finding, fix: Fix, req: Requirement, modules: ModuleLookup) -> Finding:
    if dead_module_name(req.module) and dead_part(finding.path) is None:
        # A migration map pointing at a backup: a live module is never moved onto it.
        message = f"{finding.message} ({req.module} is a dead copy: no automatic fix)"
        return replace(finding, fix=None, message=message)
    names = req.names
    if req.deprecated:
        shim = modules.reexports(req.deprecated, req.module)
        if shim is not None and (
            "*" in shim or (names is not None and bool(names) and set(names) <= shim)
        ):
            return _with(finding, fix, Applicability.SAFE)
    if names is None:
        return _with(finding, fix, Applicability.UNSAFE)
    if not names:
        known = modules.exists(req.module)
        return _with(finding, fix, Applicability.SAFE if known else Applicability.UNSAFE)
    answers = {name: modules.provides(req.module, name) for name in names}
    missing = [name for name, provided in answers.items() if provided is False]
    if missing:
        listed = ", ".join(missing)
        message = f"{finding.message} ({req.module} does not define {listed}: no automatic fix)"
        return replace(finding, fix=None, message=message)
    if all(answers.values()):
        return _with(finding, fix, Applicability.SAFE)
    return _with(finding, fix, Applicability.UNSAFE)


def _with(finding: Finding, fix: Fix, applicability: Applicability) -> Finding:
    if fix.applicability is applicability:
        return finding
    return replace(finding, fix=replace(fix, applicability=applicability))


def counts(findings: Sequence[Finding], policy: FixPolicy) -> tuple[int, int]:
    """How many findings ``--fix`` would fix, and how many more ``--unsafe-fixes`` adds."""
    safe = sum(
        1
        for f in findings
        if f.fix is not None
        and policy.fixable_code(f.code)
        and f.fix.applicability is Applicability.SAFE
    )
    unsafe = sum(
        1
        for f in findings
        if f.fix is not None
        and policy.fixable_code(f.code)
        and f.fix.applicability is Applicability.UNSAFE
    )
    return safe, unsafe
