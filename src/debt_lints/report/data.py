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
#: The code prefix of strict-typing entries (``mypy[no-untyped-def]``), as
#: ``debt_lints.strict.mypy_run.MYPY_CODE_PREFIX`` writes them. Typing debt is
#: its own series and total in every report: adopting typing adds thousands of
#: entries at once, which must never read as a regression of the rules.
TYPING_PREFIX = "mypy["


def is_typing(code: str) -> bool:
    return code.startswith(TYPING_PREFIX)


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
    #: Every code recorded at this commit, strict-typing codes included.
    by_rule: dict[str, int]

    @property
    def total(self) -> int:
        """The rules' findings (strict-typing debt apart: :attr:`typing_total`)."""
        return sum(count for code, count in self.by_rule.items() if not is_typing(code))

    @property
    def typing_total(self) -> int:
        """The strict-typing (``mypy[...]``) entries at this commit."""
        return sum(count for code, count in self.by_rule.items() if is_typing(code))


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
    #: The strict-typing entries at ``base``, and those fixed and new since (apart
    #: from the rules' ``base_total``, ``fixed`` and ``new``).
    base_typing_total: int = 0
    typing_fixed: tuple[Entry, ...] = ()
    typing_new: tuple[Entry, ...] = ()

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
    #: Entries of files or rules the configuration no longer checks (excluded,
    #: ignored by ``.gitignore``, ``per-file-ignores``, not selected): not counted
    #: (the next ``check`` removes them from the baseline).
    excluded: int = 0

    def excluded_line(self) -> str | None:
        """One sentence about the entries left out, or ``None`` if there are none."""
        if not self.excluded:
            return None
        entries = "1 entry" if self.excluded == 1 else f"{self.excluded} entries"
        return (
            f"{entries} of files or rules the configuration no longer checks not counted"
            " ('debt-lints check' removes them from the baseline)"
        )

    @property
    def rule_entries(self) -> list[Entry]:
        """The rules' entries (strict-typing debt apart)."""
        return [e for e in self.entries if not is_typing(e.code)]

    @property
    def typing_entries(self) -> list[Entry]:
        """The strict-typing (``mypy[...]``) entries."""
        return [e for e in self.entries if is_typing(e.code)]

    @property
    def total(self) -> int:
        """The rules' known findings; strict-typing debt is :attr:`typing_total`."""
        return len(self.rule_entries)

    @property
    def typing_total(self) -> int:
        return len(self.typing_entries)

    def typing_by_code(self) -> dict[str, int]:
        return by_rule(self.typing_entries)

    @property
    def typing_adopted(self) -> TrendPoint | None:
        """The commit that first recorded strict-typing debt (adopted typing), if any."""
        return next((point for point in self.trend if point.typing_total), None)

    @property
    def suppressed(self) -> int:
        """Known findings that ``noqa`` comments hide (counted in :attr:`total`)."""
        return sum(1 for e in self.rule_entries if e.suppressed)

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
        return by_rule(self.rule_entries)

    def by_directory(self) -> dict[str, int]:
        return by_directory(self.rule_entries, self.depth)

    def directory_hint(self) -> str | None:
        """What to pass when every finding is in one directory at ``depth``, else ``None``.

        A src layout puts the whole project under ``src/<package>``: at the
        default depth the directory table is one row. The hint names the
        smallest ``--depth`` that splits it.
        """
        directories = self.by_directory()
        if len(directories) != 1:
            return None
        [(only, count)] = directories.items()
        deepest = max(e.path.count("/") for e in self.rule_entries)
        for depth in range(self.depth + 1, deepest + 1):
            split = len(by_directory(self.rule_entries, depth))
            if split > 1:
                return (
                    f"every finding is under {only}: --depth {depth} splits "
                    f"{'it' if count == 1 else 'them'} into {split} directories"
                )
        return None

    def typing_line(self) -> str | None:
        """``Strict typing: 1,823 mypy errors recorded (apart from the rules' total)...``."""
        if not self.typing_total and self.typing_adopted is None:
            return None
        line = (
            f"Strict typing: {self.typing_total:,} mypy error"
            f"{'' if self.typing_total == 1 else 's'} recorded, counted apart from the rules"
        )
        adopted = self.typing_adopted
        if adopted is not None:
            line += f" (typing adopted at {adopted.commit[:10]} on {adopted.date[:10]})"
        return line

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
        return sorted(code for code in codes if not is_typing(code))
