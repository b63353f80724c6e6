"""The closing line of the terminal formats, built in one place from counts.

``Found 43 findings (2,631 known in the baseline)``; a count that a later
feature adds (``12 fixable with --fix``) is one more entry in
:func:`summary_line`'s ``details``.
"""

from __future__ import annotations

from debt_lints.core.record import FrozenRecord


class Counts(FrozenRecord):
    """What the closing line reports."""

    __slots__ = ("baseline_in_use", "findings", "known", "stale")
    findings: int
    #: Findings the baseline matched (not shown).
    known: int
    #: A baseline took part in the run (so "0 known" is worth saying).
    baseline_in_use: bool
    #: Stale baseline entries that fail the run (CI): then not "All checks passed!".
    stale: int

    def __init__(
        self, findings: int, known: int = 0, baseline_in_use: bool = False, stale: int = 0
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "findings", findings)
        _set(self, "known", known)
        _set(self, "baseline_in_use", baseline_in_use)
        _set(self, "stale", stale)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_line(counts: Counts) -> str:
    """``Found 3 findings (12 known in the baseline)``, or ``All checks passed!`` (only
    when nothing fails the run: a stale baseline in CI says so instead)."""
    if counts.findings:
        head = f"Found {_plural(counts.findings, 'finding')}"
    elif counts.stale:
        head = "The baseline is stale"
    else:
        head = "All checks passed!"
    details: list[str] = []
    if counts.baseline_in_use:
        details.append(f"{counts.known:,} known in the baseline")
    if counts.stale:
        entries = "entry" if counts.stale == 1 else "entries"
        details.append(f"{counts.stale:,} stale {entries} below")
    return head + (f" ({'; '.join(details)})" if details else "")
