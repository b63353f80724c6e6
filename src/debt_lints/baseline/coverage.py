"""What a run re-checked: the only entries it may call stale or prune.

A baseline entry is *covered* by a run when the run analysed that entry's
file with that entry's rule. A run over one directory, a ``--select``
subset, ``per-file-ignores`` or an ``--changed-since`` run covers only part
of the baseline; entries outside it are neither matched against nor pruned
(Psalm once wiped a whole baseline from a partial run: psalm#1566).

A file that no longer exists is covered when it lies under a directory the
run walked (and is not excluded): its entries are stale, since nothing can
match them any more. Renamed files are handled before that (see
:mod:`debt_lints.baseline.matching`).

A file the configuration now excludes (an ``extend-exclude`` added after the
baseline was created) is covered in the same way, when the run walked a
directory above it or was given it: the run decided not to analyse it, so
nothing will ever match its entries, and they are stale, not known debt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

#: ``(path, code) -> True`` when ``code`` was not run on ``path`` (per-file-ignores).
IgnoredFn = Callable[[str, str], bool]


def _never(path: str, code: str) -> bool:
    return False


def _kept(path: str) -> bool:
    return False


@dataclass(frozen=True)
class Coverage:
    """The (path, rule) pairs a run analysed, as a predicate."""

    #: Root-relative paths of the files the run analysed.
    files: frozenset[str]
    #: Codes of the rules that ran.
    codes: frozenset[str]
    #: Root-relative directories the run walked (``""`` for the whole root).
    walked: tuple[str, ...] = ()
    #: Per-path ignores and excludes: ``True`` when the pair was not analysed.
    ignored: IgnoredFn = _never
    #: ``False`` makes the run read-only for the baseline (nothing is stale).
    enabled: bool = True
    #: Other parts of the same run (``--typing``): a pair any of them covers is covered.
    also: tuple[Coverage, ...] = ()
    #: Root-relative paths of the files the run was given by name.
    named: frozenset[str] = frozenset()
    #: ``path -> True`` when the configuration excludes the file.
    excluded: Callable[[str], bool] = _kept

    @classmethod
    def nothing(cls) -> Coverage:
        """A run that may match but never call anything stale (e.g. a dry run)."""
        return cls(frozenset(), frozenset(), enabled=False)

    def covers(self, path: str, code: str, exists: bool = True) -> bool:
        """Whether the run analysed ``path`` with rule ``code``.

        ``exists=False`` says the file is gone from the disk: then it is
        covered when it lies under a directory the run walked.
        """
        if any(part.covers(path, code, exists) for part in self.also):
            return True
        if not self.enabled or code not in self.codes:
            return False
        # The cheap tests first: with a large baseline and a small run most
        # entries are of files the run did not look at.
        if path in self.files:
            return not self.ignored(path, code)
        reached = path in self.named or any(
            not top or path.startswith(top + "/") for top in self.walked
        )
        if not reached:
            return False
        if self.excluded(path):
            return True
        return not exists and not self.ignored(path, code)

    def drops(self, path: str) -> bool:
        """Whether the run reached ``path`` but its configuration excludes it."""
        if any(part.drops(path) for part in self.also):
            return True
        if not self.enabled or path in self.files:
            return False
        reached = path in self.named or any(
            not top or path.startswith(top + "/") for top in self.walked
        )
        return reached and self.excluded(path)

    def with_part(self, other: Coverage) -> Coverage:
        """This coverage together with another part of the same run."""
        return replace(self, also=(*self.also, other))

    def restrict(self, paths: Iterable[str]) -> Coverage:
        """Only the given files (the ``--changed-since`` hook: files whose every
        finding was considered)."""
        keep = frozenset(paths)
        parts = tuple(part.restrict(keep) for part in self.also)
        return Coverage(self.files & keep, self.codes, (), self.ignored, self.enabled, parts)
