"""Why ``--fix`` left findings of rules that offer fixes: grouped, largest first.

A ``--fix`` that fixes nothing must not leave a user to do arithmetic. Each
finding of a rule with fixes (:attr:`~debt_lints.core.model.Rule.fixes`)
that is still there after the fixes falls into one group: its file does not
parse, its fix was settled away (:class:`~debt_lints.core.model.NoFix`: the
replacement lacks a name, does not exist, or the fix would make the module
import itself; ``fixable``/``unfixable``), its fix is unsafe and
``--unsafe-fixes`` was not given, its fix could not be applied (the run's
notes say why), or the rule offers no rewrite for that form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from debt_lints.core.model import Applicability, Finding
from debt_lints.fixes.policy import unsafe_reason

#: Groups in the order of what to repair first when counts tie: a file that
#: does not parse hides every other fix in it.
KINDS = (
    "unparsable",
    "missing-name",
    "no-replacement",
    "self-import",
    "unsafe",
    "unfixable",
    "not-applied",
    "no-rewrite",
)


@dataclass
class Unfixed:
    """One group of findings ``--fix`` left, and the specifics within it."""

    kind: str
    findings: list[Finding] = field(default_factory=list)
    #: What to repair, with how many findings each: a file, a missing name, why a
    #: fix is unsafe ("" when nothing more specific is known).
    details: Counter[str] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def files(self) -> int:
        return len({f.path for f in self.findings})


def unfixed(
    findings: Iterable[Finding], fixing_codes: Collection[str], *, unsafe: bool
) -> list[Unfixed]:
    """The findings of ``fixing_codes`` left after the fixes, grouped by why; largest first.

    ``unsafe``: the run applied unsafe fixes (``--unsafe-fixes``), so an
    unsafe fix still there was not applied rather than not asked for.
    """
    groups: dict[str, Unfixed] = {}
    for finding in findings:
        if finding.code not in fixing_codes:
            continue
        kind, detail = _why(finding, unsafe)
        group = groups.setdefault(kind, Unfixed(kind))
        group.findings.append(finding)
        group.details[detail] += 1
    return sorted(groups.values(), key=lambda g: (-g.count, KINDS.index(g.kind)))


def _why(finding: Finding, unsafe: bool) -> tuple[str, str]:
    if finding.partial:
        return "unparsable", finding.path
    if finding.no_fix is not None:
        return finding.no_fix.kind, finding.no_fix.detail
    fix = finding.fix
    if fix is not None:
        if fix.applicability is Applicability.UNSAFE and not unsafe:
            # Why it is unsafe, when the fix says (a replacement outside the project
            # whose names cannot be checked ...); a rule's own unsafe fix gives none.
            return "unsafe", unsafe_reason(fix) or ""
        return "not-applied", finding.path
    return "no-rewrite", finding.path
