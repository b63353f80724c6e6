"""Which fixes a run may apply: ``--fix``/``--unsafe-fixes`` and ``fixable``/``unfixable``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from debt_lints.core.model import Applicability, Finding, Fix, NoFix, Requirement
from debt_lints.core.record import FrozenRecord, replace
from debt_lints.engine.registry import matches
from debt_lints.fixes.modules import ModuleLookup


class FixPolicy(FrozenRecord):
    """What may be fixed, as ruff has it.

    ``fixable`` (default: every code) and ``unfixable`` are codes or
    prefixes; a finding of an unfixable code has no fix at all (the output
    says so). ``unsafe`` also applies unsafe fixes.
    """

    __slots__ = ("fixable", "unfixable", "unsafe")
    unsafe: bool
    fixable: tuple[str, ...] | None
    unfixable: tuple[str, ...]

    def __init__(
        self,
        unsafe: bool = False,
        fixable: tuple[str, ...] | None = None,
        unfixable: tuple[str, ...] = (),
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "unsafe", unsafe)
        _set(self, "fixable", fixable)
        _set(self, "unfixable", unfixable)

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
            out.append(replace(finding, fix=None, no_fix=NoFix("unfixable", finding.code)))
        elif fix.requirement is None:
            out.append(finding)
        else:
            out.append(_settle(finding, fix, fix.requirement, modules))
    return out


def _settle(finding: Finding, fix: Fix, req: Requirement, modules: ModuleLookup) -> Finding:
    """Safe only when proven; no fix when it would break the code for sure.

    No fix: the replacement does not exist (in the project or installed; a
    declared dependency that is not installed is said to be so),
    lacks a name the file takes from it, or is the module being fixed. Safe:
    every name the file takes is the very object the old module gave (the
    old module re-exports the replacement's, or both re-export one object),
    and the rewrite adds no import cycle. Anything else is unsafe, and the
    fix's message says why.
    """
    # Imported here: settling a fix is rare, the policy is read on every check.
    from debt_lints.analysis.repograph import dead_module_name, dead_part

    module = req.module
    if dead_module_name(module) and dead_part(finding.path) is None:
        # A migration map pointing at a backup: a live module is never moved onto it.
        return _no_fix(finding, "no-replacement", f"{module} is a dead copy")
    in_project = modules.exists(module) is True
    if not in_project and not modules.installed(module):
        if modules.declared(module):
            # In the project's own environment it resolves; here its names cannot be checked.
            reason = f"{module} is a declared dependency not installed here"
        else:
            reason = f"{module} does not exist in the project or the environment"
        return _no_fix(finding, "no-replacement", reason)
    if req.importer and modules.same_module(req.importer, module):
        return _no_fix(finding, "self-import", f"the fix would make {req.importer} import itself")
    notes: list[str] = []
    cycle = req.importer and req.at_import_time and in_project
    if cycle and modules.imports_at_import_time(module, req.importer):
        notes.append(f"{module} imports {req.importer}: the fix adds an import cycle")
    names = req.names
    if names is None:
        shim = modules.reexports(req.deprecated, module) if req.deprecated else None
        if shim is None or "*" not in shim:
            notes.append(f"the file uses {req.deprecated or 'the module'} as a whole")
        return _with(finding, fix, notes)
    if req.star and req.deprecated:
        # What the star import gave the file: the names the old module exports.
        names = tuple(n for n in names if modules.exports(req.deprecated, n) is not False)
    ask = modules.exports if req.star else modules.provides
    answers = {name: ask(module, name) for name in names}
    missing = [name for name, provided in answers.items() if provided is False]
    if missing:
        return _no_fix(finding, "missing-name", f"{module} does not define {', '.join(missing)}")
    unknown = [name for name, provided in answers.items() if provided is None]
    if unknown and req.deprecated:
        # The old module is a pure re-export of the replacement: each name it
        # binds as the replacement names it is the replacement's (its own
        # import proves the replacement defines it), whatever can be read of
        # an installed replacement.
        given = modules.reexports(req.deprecated, module, as_is=True) or frozenset()
        unknown = [name for name in unknown if name not in given or name == "*"]
    else:
        given = frozenset()
    if unknown:
        notes.append(f"whether {module} defines {', '.join(unknown)} is not known")
    elif names and req.deprecated:
        differ = []
        unproven = []
        for name in names:
            if name in given:
                continue  # bound by the old module's re-export of the replacement
            same = modules.same_object(req.deprecated, module, name)
            if same is False:
                differ.append(name)
            elif same is None:
                unproven.append(name)
        if differ:
            listed = ", ".join(differ)
            notes.append(f"{module}'s {listed} is not a re-export of {req.deprecated}'s")
        if unproven:
            listed = ", ".join(unproven)
            notes.append(f"{module}'s {listed} is not known to be {req.deprecated}'s")
    return _with(finding, fix, notes)


def _no_fix(finding: Finding, kind: str, reason: str) -> Finding:
    message = f"{finding.message} ({reason}: no automatic fix)"
    return replace(finding, fix=None, message=message, no_fix=NoFix(kind, reason))


#: How a fix's message says why the fix is unsafe (:func:`unsafe_reason` reads it back).
_UNSAFE_PREFIX, _UNSAFE_END = " (unsafe: ", ")"


def unsafe_reason(fix: Fix) -> str | None:
    """Why :func:`resolve` judged ``fix`` unsafe, as its message says; ``None`` if it did not."""
    head, found, reason = fix.message.rpartition(_UNSAFE_PREFIX)
    if not (head and found and reason.endswith(_UNSAFE_END)):
        return None
    return reason.removesuffix(_UNSAFE_END)


def _with(finding: Finding, fix: Fix, notes: Sequence[str]) -> Finding:
    """The fix, safe without ``notes``; unsafe with them, its message saying why."""
    if not notes:
        if fix.applicability is Applicability.SAFE:
            return finding
        return replace(finding, fix=replace(fix, applicability=Applicability.SAFE))
    suffix = f"{_UNSAFE_PREFIX}{'; '.join(notes)}{_UNSAFE_END}"
    message = fix.message if fix.message.endswith(suffix) else fix.message + suffix
    return replace(finding, fix=replace(fix, applicability=Applicability.UNSAFE, message=message))


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
