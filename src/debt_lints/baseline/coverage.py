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
So is a file only ``.gitignore`` keeps out of the walk, and an entry whose
rule the configuration no longer runs on its file (a ``per-file-ignores``
added later, a rule taken out of ``select``): a configuration decides what
every later run checks. A narrower run (``--select`` on the command line, a
subset of the paths) is not such a decision, and prunes nothing it skipped.
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
    #: ``path -> True`` when the configuration excludes the file (or ``.gitignore``
    #: keeps it out of the walk).
    excluded: Callable[[str], bool] = _kept
    #: ``(path, code) -> True`` when the configuration no longer runs the rule on
    #: the file (``per-file-ignores``, not selected), whatever the run narrowed.
    unreachable: IgnoredFn = _never

    @classmethod
    def nothing(cls) -> Coverage:
        """A run that may match but never call anything stale (e.g. a dry run)."""
        return cls(frozenset(), frozenset(), enabled=False)

    def covers(self, path: str, code: str, exists: bool = True) -> bool:
        """Whether the run analysed ``path`` with rule ``code``.

        ``exists=False`` says the file is gone from the disk: then it is
        covered when it lies under a directory the run walked. A pair the
        configuration no longer checks (:meth:`drops`) is covered too.
        """
        if any(part.covers(path, code, exists) for part in self.also):
            return True
        if not self.enabled:
            return False
        if code not in self.codes:  # the configuration no longer runs it there, or --select
            return (path in self.files or self._reached(path)) and self.unreachable(path, code)
        # The cheap tests first: with a large baseline and a small run most
        # entries are of files the run did not look at.
        if path in self.files:
            return not self.ignored(path, code) or self.unreachable(path, code)
        if not self._reached(path):
            return False
        if self.excluded(path) or self.unreachable(path, code):
            return True
        return not exists and not self.ignored(path, code)

    def _reached(self, path: str) -> bool:
        return path in self.named or any(
            not top or path.startswith(top + "/") for top in self.walked
        )

    def drops(self, path: str, code: str | None = None) -> bool:
        """Whether the run reached ``path`` but its configuration no longer checks it
        (excluded, ignored by ``.gitignore``) or no longer runs ``code`` on it."""
        if any(part.drops(path, code) for part in self.also):
            return True
        if not self.enabled:
            return False
        if path in self.files:
            return code is not None and self.unreachable(path, code)
        if not self._reached(path):
            return False
        return self.excluded(path) or (code is not None and self.unreachable(path, code))

    def with_part(self, other: Coverage) -> Coverage:
        """This coverage together with another part of the same run."""
        return replace(self, also=(*self.also, other))

    def restrict(self, paths: Iterable[str]) -> Coverage:
        """Only the given files (the ``--changed-since`` hook: files whose every
        finding was considered)."""
        keep = frozenset(paths)
        parts = tuple(part.restrict(keep) for part in self.also)
        return Coverage(self.files & keep, self.codes, (), self.ignored, self.enabled, parts)
