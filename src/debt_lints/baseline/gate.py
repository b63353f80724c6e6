"""The baseline applied to a run: what ``check``, ``baseline create`` and
``baseline add`` do with it.

Exit status 4 (:data:`EXIT_STALE`) means "the baseline lists debt that is
gone": only ``check --ci`` (or ``CI`` set in the environment) uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from debt_lints.analysis.context import terminal_safe
from debt_lints.baseline.coverage import Coverage
from debt_lints.baseline.identity import identity_of
from debt_lints.baseline.lock import locked
from debt_lints.baseline.matching import Located, MatchResult, match
from debt_lints.baseline.store import (
    OPTION_HASH_LENGTH,
    Baseline,
    BaselineError,
    Entry,
    load,
    path_problem,
    save,
)
from debt_lints.config import Config, ConfigError, display_path, inside_root, relpath_posix
from debt_lints.core.model import Finding
from debt_lints.engine.registry import matches
from debt_lints.running.runner import RunResult

if TYPE_CHECKING:
    from debt_lints.discovery import Project

#: ``check --ci`` found baseline entries that no longer match anything.
EXIT_STALE = 4

#: The header ``options`` key saying the baseline records the strict-typing
#: debt (``baseline create --typing``): a module without a ``mypy[...]`` entry
#: is then strict-clean. Its value is a hash of nothing in particular.
TYPING_OPTION = "mypy[strict]"


def baseline_file(config: Config) -> Path:
    """Where the baseline lives: ``Config.baseline``, relative to the project root.

    The path is resolved: a baseline that is a symbolic link is used only
    when its target is inside the project root (and is then read and written
    there); one that leads outside raises :class:`BaselineError`, whether the
    link is committed under the default name or the key is configured.
    """
    try:
        return inside_root(config.root, config.baseline, "baseline")
    except ConfigError as exc:
        raise BaselineError(f"{config.source or 'configuration'}: {exc}") from None


def preload(config: Config) -> tuple[Path, Baseline | None]:
    """The baseline's path and content, validated (raises :class:`BaselineError`).

    ``check --fix`` calls it before it writes any file: a baseline path that
    is refused, or a baseline that does not load, stops the run before the
    code is rewritten, not after.
    """
    path = baseline_file(config)
    return path, load(path)


def is_ci(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """``--ci``, or the ``CI`` environment variable set to anything but ``""``/``0``/``false``."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return flag or value.strip().lower() not in ("", "0", "false")


def option_hashes(config: Config, codes: Iterable[str] | None = None) -> dict[str, str]:
    """Rule code -> short hash of that rule's option values (rules with options only).

    The baseline's header records them, so a run with other option values
    (another ``--config``, an edited ``deprecated-imports`` map) does not
    call that rule's entries stale: they were recorded under other rules of
    the game.
    """
    from debt_lints.engine.registry import catalogue

    wanted = None if codes is None else frozenset(codes)
    values = config.settings.as_dict()
    out: dict[str, str] = {}
    # The catalogue's option names (no rule imported), in each rule's order.
    for code, (_, _, _, _, names) in sorted(catalogue().items()):
        if not names or (wanted is not None and code not in wanted):
            continue
        text = json.dumps({name: values.get(name) for name in names}, sort_keys=True)
        out[code] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:OPTION_HASH_LENGTH]
    return out


def locate(
    result: RunResult, config: Config, findings: Sequence[Finding] | None = None
) -> list[Located]:
    """Each finding (by default the run's) with its identity (which needs the
    root-relative path)."""
    relpaths = {display_path(source.path): source.relpath for source in result.files}
    return [
        (f, identity_of(f, relpaths.get(f.path) or relpath_posix(f.path, config.root)))
        for f in (result.findings if findings is None else findings)
    ]


def coverage_of(result: RunResult, config: Config, paths: Sequence[str]) -> Coverage:
    """The (file, rule) pairs ``result`` re-checked (see :class:`Coverage`)."""
    walked = []
    named = set()
    for given in paths:
        rel = relpath_posix(given, config.root)
        if os.path.isdir(given):
            if rel == ".":
                walked.append("")
            elif not path_problem(rel):
                walked.append(rel)
        elif not path_problem(rel):
            named.add(rel)

    project = result.project
    by_path: dict[str, tuple[bool, frozenset[str], tuple[str, ...]]] = {}

    def facts(path: str) -> tuple[bool, frozenset[str], tuple[str, ...]]:
        """Whether ``path`` is excluded, the codes that run on it, its ignores."""
        found = by_path.get(path)
        if found is None:
            if project is None:
                codes = frozenset(result.codes)
                found = (config.is_excluded_anywhere(path), codes, config.ignored_codes_for(path))
            else:
                # A package's configuration may select other rules than the project's.
                file_config = project.config_for(project.root / path)
                codes = frozenset(project.codes_for(file_config))
                found = (project.excluded(path), codes, project.ignored_codes_for(path))
            by_path[path] = found
        return found

    def ignored(path: str, code: str) -> bool:
        excluded, codes, ignores = facts(path)
        return excluded or code not in codes or matches(code, ignores)

    dropped, unreachable = no_longer_checked(project, config)
    return Coverage(
        files=frozenset(source.relpath for source in result.files),
        codes=frozenset(result.codes),
        walked=tuple(walked),
        ignored=ignored,
        named=frozenset(named),
        excluded=dropped,
        unreachable=unreachable,
    )


#: What the entries of files and rules the configuration keeps out are called.
NO_LONGER_CHECKED = "of files or rules the configuration no longer checks"


def no_longer_checked(
    project: Project | None, config: Config
) -> tuple[Callable[[str], bool], Callable[[str, str], bool]]:
    """What the configuration keeps out of every run: ``(file, (file, code))`` predicates.

    A file is out when its configuration excludes it or, walking the
    project, ``.gitignore`` does; a rule is out of a file when the file's
    configuration does not select it or ``per-file-ignores`` it there. Only
    the configuration counts (with the command line's ``--exclude``, which
    applies to every configuration): ``--select`` narrows one run, and what
    it skips is still checked by the next. Codes of no rule (typing, retired
    rules) are never out. Paths are root-relative.
    """
    from debt_lints.discovery import enabled_codes
    from debt_lints.engine.registry import catalogue
    from debt_lints.running.files import gitignored

    rules = catalogue()  # codes of rules, no rule imported
    files: dict[str, bool] = {}
    selected: dict[int, frozenset[str]] = {}
    ignores: dict[str, tuple[str, ...]] = {}
    git = gitignored(project) if project is not None else None

    def config_of(path: str) -> Config:
        return project.config_for(project.root / path) if project is not None else config

    def dropped(path: str) -> bool:
        found = files.get(path)
        if found is None:
            if project is None:
                found = config.is_excluded_anywhere(path)
            else:
                found = project.excluded(path) or (git is not None and git(path))
            files[path] = found
        return found

    def unreachable(path: str, code: str) -> bool:
        if code not in rules:
            return False
        file_config = config_of(path)
        codes = selected.get(id(file_config))
        if codes is None:
            codes = frozenset(enabled_codes(file_config))
            selected[id(file_config)] = codes
        if code not in codes:
            return True
        found = ignores.get(path)
        if found is None:
            if project is None:
                found = config.ignored_codes_for(path)
            else:
                found = project.ignored_codes_for(path)
            ignores[path] = found
        return bool(found) and matches(code, found)

    return dropped, unreachable


@dataclass
class CheckOutcome:
    """The baseline's verdict on one run."""

    path: Path
    baseline: Baseline
    result: MatchResult
    #: Entries the run re-checked and nothing matched: fixed (or deleted) debt.
    stale: list[Entry] = field(default_factory=list)
    #: Codes whose unmatched entries are kept because the rule's options differ
    #: from those recorded in the baseline.
    options_changed: list[str] = field(default_factory=list)
    #: Entries matched by a finding that a ``noqa`` comment hides: still debt,
    #: never stale (a suppression is not a fix).
    suppressed: list[tuple[Finding, Entry]] = field(default_factory=list)
    #: The project root the baseline belongs to (nothing is written outside it).
    root: Path | None = None
    #: The stale entries of files the configuration now excludes (not fixed:
    #: no longer checked, so nothing can ever match them).
    excluded: list[Entry] = field(default_factory=list)

    @property
    def flag_changes(self) -> list[tuple[Entry, bool]]:
        """Entries whose recorded ``suppressed`` flag no longer says what the code does."""
        now_hidden = [(e, True) for _, e in self.suppressed if not e.suppressed]
        now_shown = [(e, False) for _, e in self.result.known if e.suppressed]
        return sorted(now_hidden + now_shown)

    @property
    def new(self) -> list[Finding]:
        return self.result.new

    @property
    def known(self) -> list[Finding]:
        return [finding for finding, _ in self.result.known]


def _exists(root: Path) -> Callable[[str], bool]:
    cache: dict[str, bool] = {}

    def exists(path: str) -> bool:
        if path not in cache:
            cache[path] = (root / path).exists()
        return cache[path]

    return exists


def compare(
    baseline: Baseline,
    located: Sequence[Located],
    config: Config,
    coverage: Coverage,
    path: Path,
    *,
    hidden: Sequence[Located] = (),
) -> CheckOutcome:
    """Match a run's findings against ``baseline`` and find its stale entries.

    ``hidden`` are the findings ``noqa`` comments suppressed: they match
    the entries the reported findings left, and the entries they match are
    neither stale nor pruned. A suppressed finding no entry covers is not new
    debt for the baseline (the comment is in the code, for review to see).
    """
    exists = _exists(config.root)
    result = match(baseline.entries, located, exists)
    suppressed: list[tuple[Finding, Entry]] = []
    if hidden and result.unmatched:
        second = match(result.unmatched, hidden, exists)
        suppressed = second.known
        result.unmatched = second.unmatched
        result.moved = sorted([*result.moved, *second.moved])
    current = option_hashes(config)
    changed = {code for code, value in baseline.options if current.get(code, value) != value}
    covered = [e for e in result.unmatched if coverage.covers(e.path, e.code, exists(e.path))]
    stale = [e for e in covered if e.code not in changed]
    kept = sorted({e.code for e in covered if e.code in changed})
    # An excluded file's entries go whatever the options: no rule runs there.
    stale += [e for e in covered if e.code in changed and coverage.drops(e.path, e.code)]
    excluded = [e for e in stale if coverage.drops(e.path, e.code)]
    return CheckOutcome(
        path, baseline, result, stale, kept, suppressed, root=config.root, excluded=excluded
    )


def check(
    result: RunResult,
    config: Config,
    paths: Sequence[str],
    coverage: Coverage | None = None,
    loaded: tuple[Path, Baseline | None] | None = None,
) -> CheckOutcome | None:
    """The baseline's verdict on ``result``, or ``None`` when there is no baseline file.

    ``coverage`` narrows what may be called stale (``--changed-since`` passes
    :meth:`Coverage.restrict` or :meth:`Coverage.nothing`); by default it is
    everything the run analysed. ``loaded``: what :func:`preload` gave, when
    the caller validated the baseline before the run wrote anything. Raises
    :class:`BaselineError` for a broken file.
    """
    path, baseline = loaded if loaded is not None else preload(config)
    if baseline is None:
        return None
    if coverage is None:
        coverage = coverage_of(result, config, paths)
    return compare(
        baseline,
        locate(result, config),
        config,
        coverage,
        path,
        hidden=locate(result, config, result.suppressed),
    )


def finish(
    outcome: CheckOutcome,
    *,
    ci: bool,
    clean: bool,
    fix_command: str,
    stream: TextIO | None = None,
    quiet: bool = False,
) -> int:
    """Report on the baseline after a check, and prune it when allowed.

    Prints the known-findings summary, then: in CI mode, fails with
    :data:`EXIT_STALE` when entries are stale; locally, when the run is
    ``clean`` (no new finding, no internal error), removes the stale entries
    and records renamed files' new paths. Returns the exit status the
    baseline asks for (0 or :data:`EXIT_STALE`). ``quiet`` (``-q``) keeps only
    what explains a failure.
    """
    out = stream or sys.stderr
    note = _Null() if quiet else out
    name = terminal_safe(display_path(outcome.path))
    known = len(outcome.result.known)
    hidden_known = len(outcome.suppressed)
    also = f", and {hidden_known} more hidden by noqa comments" if hidden_known else ""
    note.write(
        f"debt-lints: {_plural(known, 'known finding')} matched the baseline ({name}){also}\n"
    )
    moved = sorted({(e.path, new) for e, new in outcome.result.moved})
    for old, new in moved:
        note.write(
            terminal_safe(f"debt-lints: {old} was renamed to {new}; its baseline entries follow it")
            + "\n"
        )
    if outcome.options_changed:
        note.write(
            f"debt-lints: the options of {', '.join(outcome.options_changed)} differ from "
            f"those {name} was recorded with; their unmatched entries are kept (after a "
            "deliberate change, 'debt-lints baseline create --force' records the new ones)\n"
        )
    stale = outcome.stale
    flags = outcome.flag_changes
    hidden = sum(1 for _, now in flags if now)
    if hidden:
        note.write(
            f"debt-lints: {_plural(hidden, 'known finding is', 'known findings are')} now "
            "hidden by noqa comments: still debt, so the baseline keeps "
            f"{'it' if hidden == 1 else 'them'} (marked suppressed)\n"
        )
    if not stale and not flags and (ci or not clean or not moved):
        return 0
    fixed = _fixed_among(stale, outcome.excluded)
    dropped = len(stale) - len(fixed)
    verb = "matches" if len(fixed) == 1 else "match"
    if ci:
        if fixed:
            out.write(
                f"debt-lints: the baseline is stale: {_plural(len(fixed), 'entry', 'entries')} "
                f"no longer {verb} (fixed debt):\n"
            )
            out.writelines(f"  {entry.describe()}\n" for entry in fixed)
        if dropped:
            out.write(
                f"debt-lints: the baseline is stale: {_plural(dropped, 'entry is', 'entries are')} "
                f"{NO_LONGER_CHECKED} (excluded, ignored by .gitignore, per-file-ignores, "
                "not selected):\n"
            )
            per_file = Counter(entry.path for entry in outcome.excluded)
            out.writelines(
                terminal_safe(f"  {path}: {_plural(count, 'entry', 'entries')}") + "\n"
                for path, count in sorted(per_file.items())
            )
        if flags:
            out.write(
                f"debt-lints: the baseline is stale: {_plural(len(flags), 'entry', 'entries')} "
                "changed whether a noqa comment hides them:\n"
            )
            out.writelines(
                terminal_safe(
                    f"  {entry.describe()}: {'now suppressed' if now else 'no longer suppressed'}"
                )
                + "\n"
                for entry, now in flags
            )
        out.write(f"debt-lints: to fix, run '{fix_command}' and commit {name}\n")
        return EXIT_STALE
    if not clean:
        if fixed:
            note.write(
                f"debt-lints: {_plural(len(fixed), 'baseline entry', 'baseline entries')} "
                f"no longer {verb} (fixed debt); removed once the check passes\n"
            )
        if dropped:
            note.write(
                f"debt-lints: {_plural(dropped, 'baseline entry is', 'baseline entries are')} "
                f"{NO_LONGER_CHECKED}; removed once the check passes\n"
            )
        return 0
    try:
        removed = prune(outcome.path, stale, outcome.result.moved, flags, root=outcome.root)
    except BaselineError as exc:
        # A read-only checkout: the check itself passed, and the entries are
        # removed by the next run that can write; that is no reason to fail.
        out.write(terminal_safe(f"debt-lints: warning: not pruned: {exc}") + "\n")
        return 0
    removed_fixed = _fixed_among(removed, outcome.excluded)
    removed_excluded = len(removed) - len(removed_fixed)
    if removed_fixed:
        note.write(
            f"debt-lints: removed {_plural(len(removed_fixed), 'fixed finding')} from {name}:\n"
        )
        note.writelines(f"  {entry.describe()}\n" for entry in removed_fixed)
    if removed_excluded:
        note.write(
            f"debt-lints: removed {_plural(removed_excluded, 'entry', 'entries')} "
            f"{NO_LONGER_CHECKED} from {name} ({_files(outcome.excluded)})\n"
        )
    return 0


def _files(entries: Sequence[Entry]) -> str:
    """``3 files: a.py, b.py, c.py`` (the first few), for a message."""
    paths = sorted({entry.path for entry in entries})
    shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
    return terminal_safe(f"{_plural(len(paths), 'file')}: {shown}")


class _Null:
    """A stream that drops what is written (``-q``)."""

    def write(self, text: str) -> int:
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for _ in lines:
            pass


def prune(
    path: Path,
    stale: Iterable[Entry],
    moved: Iterable[tuple[Entry, str]] = (),
    flags: Iterable[tuple[Entry, bool]] = (),
    *,
    root: Path | None = None,
) -> list[Entry]:
    """Remove ``stale`` entries, move renamed files' entries and record which
    entries ``noqa`` comments hide (``flags``), under the lock.

    The file is re-read under the lock and only entries still present are
    touched, so a concurrent writer's change survives. Never adds an entry.
    Returns the entries actually removed.
    """
    with locked(path, root=root):
        current = load(path)
        if current is None:
            return []
        remaining = Counter(current.entries)
        removed = []
        for entry in stale:
            if remaining[entry] > 0:
                remaining[entry] -= 1
                removed.append(entry)
        moved_to: dict[Entry, Entry] = {}
        for entry, new_path in moved:
            if remaining[entry] > 0:
                remaining[entry] -= 1
                moved_to[entry] = entry.with_path(new_path)
                remaining[moved_to[entry]] += 1
        for entry, now in flags:
            target = moved_to.get(entry, entry)
            if remaining[target] > 0:
                remaining[target] -= 1
                remaining[target.with_suppressed(now)] += 1
        entries = list(remaining.elements())
        if sorted(entries) != list(current.entries):
            save(path, entries, current.option_map(), root=root)
    return sorted(removed)


@dataclass
class Written:
    """What ``create`` or ``add`` wrote."""

    path: Path
    added: list[tuple[Finding, Entry]] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    kept: int = 0
    skipped: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.kept + len(self.added)


def _recordable(located: Sequence[Located]) -> tuple[list[Located], list[Finding]]:
    """Findings that can be recorded, and those outside the project root."""
    ok: list[Located] = []
    outside: list[Finding] = []
    for finding, identity in located:
        if path_problem(identity.path):
            outside.append(finding)
        else:
            ok.append((finding, identity))
    return ok, outside


def _entry_for(finding: Finding, located: Mapping[int, Located], reason: str) -> Entry:
    identity = located[id(finding)][1]
    return Entry(
        path=identity.path,
        line=finding.line,
        code=identity.code,
        scope=identity.scope,
        hash=identity.hash,
        reason=reason,
    )


def create(
    result: RunResult,
    config: Config,
    paths: Sequence[str],
    *,
    force: bool,
    coverage: Coverage | None = None,
    typing: bool = False,
) -> Written:
    """Write a baseline with every finding of ``result`` (``baseline create``).

    Without ``force`` an existing file is an error. With ``force`` the entries
    this run re-checked are replaced by its findings (matched findings keep
    their recorded reason) and every other entry is kept: a partial run never
    drops what it did not analyse.
    """
    path = baseline_file(config)
    located, outside = _recordable(locate(result, config))
    by_id = {id(pair[0]): pair for pair in located}
    if coverage is None:
        coverage = coverage_of(result, config, paths)
    written = Written(path, skipped=outside)
    with locked(path, root=config.root):
        current = load(path)
        if current is not None and not force:
            raise BaselineError(
                f"{display_path(path)} already exists; use --force to replace what this run "
                "re-checks, or 'debt-lints baseline add --reason ...' to record new findings"
            )
        entries: list[Entry] = []
        new = [finding for finding, _ in located]
        if current is not None:
            hidden, _ = _recordable(locate(result, config, result.suppressed))
            outcome = compare(current, located, config, coverage, path, hidden=hidden)
            entries.extend(
                _entry_for(finding, by_id, entry.reason) for finding, entry in outcome.result.known
            )
            # Debt a noqa comment hides stays recorded, as it was (with its flag).
            entries.extend(entry.with_suppressed(True) for _, entry in outcome.suppressed)
            stale = Counter(outcome.stale)
            for entry in outcome.result.unmatched:
                if stale[entry] > 0:
                    stale[entry] -= 1
                    written.removed.append(entry)
                else:
                    entries.append(entry)
            new = outcome.result.new
        written.added = [(finding, _entry_for(finding, by_id, "")) for finding in new]
        written.kept = len(entries)
        options = current.option_map() if current is not None else {}
        options.update(option_hashes(config, result.codes))
        if typing:
            options[TYPING_OPTION] = hashlib.sha256(b"strict").hexdigest()[:OPTION_HASH_LENGTH]
        save(path, [*entries, *(entry for _, entry in written.added)], options, root=config.root)
    return written


def add(result: RunResult, config: Config, *, reason: str, typing: bool = False) -> Written:
    """Record the findings the baseline does not cover yet, each with ``reason``.

    Existing entries are kept as they are (pruning is ``check``'s job). The
    baseline is created when it does not exist. ``typing`` (``add --typing``)
    also marks the baseline as holding the strict-typing debt, as ``create
    --typing`` does: the way to adopt typing on a baseline that ``ratchet``
    guards (every added entry carries the reason).
    """
    path = baseline_file(config)
    located, outside = _recordable(locate(result, config))
    by_id = {id(pair[0]): pair for pair in located}
    written = Written(path, skipped=outside)
    with locked(path, root=config.root):
        current = load(path) or Baseline()
        outcome = compare(current, located, config, Coverage.nothing(), path)
        written.added = [(f, _entry_for(f, by_id, reason)) for f in outcome.result.new]
        written.kept = len(current)
        marked = dict(current.options).get(TYPING_OPTION) is not None
        if written.added or (typing and not marked):
            # Options already recorded stay: adding findings is no statement
            # about the entries recorded under them.
            options = option_hashes(config, result.codes)
            options.update(current.option_map())
            if typing:
                options[TYPING_OPTION] = hashlib.sha256(b"strict").hexdigest()[:OPTION_HASH_LENGTH]
            save(
                path,
                [*current.entries, *(entry for _, entry in written.added)],
                options,
                root=config.root,
            )
    return written


def _fixed_among(entries: Iterable[Entry], excluded: Iterable[Entry]) -> list[Entry]:
    """The ``entries`` that were fixed: the others, as many as ``excluded`` has
    of each, are those of files or rules no longer checked."""
    left = Counter(excluded)
    fixed = []
    for entry in entries:
        if left[entry] > 0:
            left[entry] -= 1
        else:
            fixed.append(entry)
    return fixed


#: Above this many paths, the fix command checks the whole project instead.
MAX_LISTED_PATHS = 8


def fix_command(
    paths: Sequence[str],
    *,
    select: str | None = None,
    ignore: str | None = None,
    config: str | None = None,
    extra: Sequence[str] = (),
) -> str:
    """The local command that re-runs this check and prunes the stale entries
    (``extra``: more words of the original command, ``--exclude x``).

    A run given many paths (pre-commit's ``--all-files`` passes every file)
    is repeated on the whole project: a check of the project prunes what a
    check of those files would, and the command stays a line one can read.
    """
    words = ["debt-lints", "check", *(paths if len(paths) <= MAX_LISTED_PATHS else ())]
    for flag, value in (("--select", select), ("--ignore", ignore), ("--config", config)):
        if value:
            words += [flag, value]
    return shlex.join([*words, *extra])


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
