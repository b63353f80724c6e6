"""What a report says: totals, the comparison with a ref, the trend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from debt_lints.baseline.store import Entry

if TYPE_CHECKING:
    from debt_lints.strict.summary import TypingSummary

#: The code of the syntax-error finding (a file analysed partly).
SYNTAX_ERROR_CODE = "DL001"
#: Directory name for files at the project root.
ROOT_DIRECTORY = "."


def directory_of(path: str, depth: int) -> str:
    """The first ``depth`` directories of a root-relative ``/`` path (``.`` at the root)."""
    parts = path.split("/")[:-1][: max(depth, 0)]
    return "/".join(parts) or ROOT_DIRECTORY


def by_rule(entries: Iterable[Entry]) -> dict[str, int]:
    """Entries per rule code, sorted by code."""
    return dict(sorted(Counter(e.code for e in entries).items()))


def by_directory(entries: Iterable[Entry], depth: int) -> dict[str, int]:
    """Entries per directory cut at ``depth``, sorted by directory."""
    return dict(sorted(Counter(directory_of(e.path, depth) for e in entries).items()))


@dataclass(frozen=True)
class TrendPoint:
    """The baseline as one commit left it."""

    commit: str
    #: Committer date, ISO 8601 with offset (as ``git log --format=%cI`` prints it).
    date: str
    subject: str
    by_rule: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


@dataclass(frozen=True)
class Comparison:
    """The baseline now against its version at ``base`` (a pull request's merge base)."""

    base: str
    base_total: int
    fixed: tuple[Entry, ...]
    new: tuple[Entry, ...]
    #: Entries that followed a renamed file: neither fixed nor new.
    moved: tuple[Entry, ...] = ()
    #: The baseline did not exist at ``base``.
    base_missing: bool = False
    #: Known debt newly hidden by ``noqa`` comments: still debt, not fixed.
    suppressed: tuple[Entry, ...] = ()

    def net(self, total: int) -> int:
        return total - self.base_total

    def fixed_by_rule(self) -> dict[str, int]:
        return by_rule(self.fixed)

    def new_by_rule(self) -> dict[str, int]:
        return by_rule(self.new)


@dataclass
class Report:
    """Everything the renderers show."""

    #: The baseline file, as shown to the user.
    baseline: str
    entries: Sequence[Entry]
    depth: int
    #: Oldest first; empty when the file has no git history (or history was not asked for).
    trend: list[TrendPoint] = field(default_factory=list)
    comparison: Comparison | None = None
    #: Rule code -> name, for the rules the registry knows.
    rule_names: dict[str, str] = field(default_factory=dict)
    #: Commits whose version of the baseline could not be read (skipped in the trend).
    unreadable: list[str] = field(default_factory=list)
    #: Strict typing per top-level package (``report --typing``).
    typing: TypingSummary | None = None
    #: Entries of files the configuration now excludes: not counted (the next
    #: ``check`` removes them from the baseline).
    excluded: int = 0

    def excluded_line(self) -> str | None:
        """One sentence about the entries left out, or ``None`` if there are none."""
        if not self.excluded:
            return None
        entries = "1 entry" if self.excluded == 1 else f"{self.excluded} entries"
        return (
            f"{entries} of files the configuration excludes not counted"
            " ('debt-lints check' removes them from the baseline)"
        )

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def suppressed(self) -> int:
        """Known findings that ``noqa`` comments hide (counted in :attr:`total`)."""
        return sum(1 for e in self.entries if e.suppressed)

    @property
    def partial_files(self) -> list[str]:
        """Files recorded with a DL001: they did not parse, so their debt is what the
        rules found in the part that could be recovered (analysed partly)."""
        return sorted({e.path for e in self.entries if e.code == SYNTAX_ERROR_CODE})

    def partial_line(self) -> str | None:
        """One sentence about the files analysed partly, or ``None`` if there are none."""
        count = len(self.partial_files)
        if not count:
            return None
        files = "1 file does" if count == 1 else f"{count} files do"
        return (
            f"{files} not parse (DL001): analysed partly, from what could be recovered;"
            " fixing the syntax may show more debt"
        )

    def by_rule(self) -> dict[str, int]:
        return by_rule(self.entries)

    def by_directory(self) -> dict[str, int]:
        return by_directory(self.entries, self.depth)

    def rule_label(self, code: str) -> str:
        name = self.rule_names.get(code)
        return f"{code} {name}" if name else code

    def codes(self) -> list[str]:
        """Every rule that appears now, at the base, or anywhere in the trend."""
        codes = set(self.by_rule())
        for point in self.trend:
            codes.update(point.by_rule)
        if self.comparison is not None:
            codes.update(e.code for e in self.comparison.fixed)
        return sorted(codes)
