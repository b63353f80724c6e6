"""Running the engine over many files: through the cache, in parallel, in a stable order.

A run walks the tree, answers what it can from the cache (:mod:`debt_lints.running.cache`),
and checks the rest in worker processes, or in this process when there is
little to do, when ``jobs`` is 1, or when processes cannot be had. Results
are put back in walk order and sorted, so the output is the same whatever
``jobs`` is and whichever worker finished first.

Workers
    Each worker receives the configuration and the selected rule codes (plain,
    picklable data) and builds its :class:`RuleSet` once. It gets batches of
    files, largest first, sized so that there are about
    :data:`BATCHES_PER_WORKER` batches per worker: large enough that messaging
    costs little, small enough that no worker idles at the end. It answers
    each batch with one message, a list of plain tuples (one per file): a
    message per file cost this process, whose time is serial, a wake-up, a
    poll and two reads for each file.

    Processes are started with ``fork`` where it is safe: on Linux, from a
    process with a single thread (the CLI). A forked worker inherits the
    imported engine and rules, so it starts in about a millisecond instead of
    re-importing everything (``spawn``, ``forkserver``: 100 ms or more per
    worker, paid again by every short run). Forking a multi-threaded process
    (debt-lints used as a library in a language server) can deadlock in the
    child, and macOS system libraries do not survive ``fork``; there the
    ``forkserver`` method (or ``spawn``) is used. Nothing a worker needs is
    inherited implicitly: it gets everything through its arguments, so every
    start method behaves the same.

Faults
    A worker that dies (killed by the OOM killer or a signal, or crashed by
    the parser) is noticed at once through its process sentinel. The file it
    was checking (published through a shared integer before each file) becomes
    an internal error naming the file; it is not retried, since it may be what
    killed the worker. The rest of its batches (the files of a batch it had not
    answered yet included) are checked in this process
    after the other workers finish. If no worker can be started, the whole run
    happens in this process. Workers ignore SIGINT: on Ctrl-C this process
    stops them (SIGTERM, then SIGKILL), waits for them and lets
    ``KeyboardInterrupt`` reach the CLI (exit 130). A worker whose parent died
    sees its pipe close and exits.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any, NamedTuple

from debt_lints.analysis.context import printable
from debt_lints.config import Config, display_path, relpath_posix, syntax_note
from debt_lints.discovery import Project, enabled_rules

__all__ = ["RunResult", "check_one", "default_jobs", "enabled_rules", "run"]
from debt_lints.core.model import Finding, Fix, Rule, Severity
from debt_lints.core.record import FrozenRecord, Record, fields, replace
from debt_lints.core.settings import Settings
from debt_lints.core.source import SourceProblem, read_bytes
from debt_lints.engine.registry import matches
from debt_lints.engine.walk import (
    INPUTS_KEY,
    SYNTAX_ERROR_CODE,
    FileResult,
    InternalError,
    RuleSet,
    check_file,
    collector_paused,
    imported_when_needed,
)
from debt_lints.running.files import SourcePath, iter_files

if TYPE_CHECKING:
    from pathlib import Path

    from debt_lints.analysis.packaging import FileTree
    from debt_lints.analysis.repograph import Repository
    from debt_lints.running.cache import Cache, Entry, FindingRow, StatKey

#: Below this many files to check, starting processes costs more than it saves.
MIN_FILES_PER_WORKER = 8
BATCHES_PER_WORKER = 12
MAX_BATCH_FILES = 200
#: How long a worker gets to exit after SIGTERM before SIGKILL.
TERMINATE_GRACE_SECONDS = 1.0


class RunResult(Record):
    """Findings of a whole run, sorted, plus what went wrong inside debt-lints."""

    __slots__ = (
        "_codes",
        "_load_rules",
        "_rules",
        "cached",
        "checked",
        "digests",
        "files",
        "findings",
        "internal_errors",
        "partial",
        "project",
        "repository",
        "summaries",
        "suppressed",
        "warnings",
    )
    findings: list[Finding]
    internal_errors: list[InternalError]
    files: list[SourcePath]
    #: :attr:`rules`, once loaded (``None``: not yet, :attr:`_load_rules` gives them).
    _rules: tuple[type[Rule], ...] | None
    _load_rules: Callable[[], tuple[type[Rule], ...]] | None
    #: The codes of :attr:`rules` while they are not loaded.
    _codes: tuple[str, ...]
    #: Where the files' configurations came from (``None``: built by hand).
    project: Project | None
    #: Problems that did not change the results (a corrupt cache): one line each.
    warnings: list[str]
    #: Files analysed in this run, and files answered from the cache.
    checked: int
    cached: int
    #: The whole-repository view, when a project rule (DL6xx) was enabled.
    repository: Repository | None
    #: Each checked file's summary (its project-index facts, JSON), by relpath:
    #: what whole-program checks build a ``debt_lints.index.Project`` from.
    summaries: dict[str, dict[str, object]]
    #: Findings hidden by ``noqa`` comments, sorted: still debt for the baseline.
    suppressed: list[Finding]
    #: Display paths of the files that did not parse, analysed from what was recovered.
    partial: list[str]
    #: The content digest of the bytes each file's findings come from, by display
    #: path (with ``run(digests=True)`` or the cache): ``--fix`` starts from these
    #: findings when the file it reads has the same digest.
    digests: dict[str, str]

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        findings: list[Finding] | None = None,
        internal_errors: list[InternalError] | None = None,
        files: list[SourcePath] | None = None,
        rules: tuple[type[Rule], ...] = (),
        project: Project | None = None,
        warnings: list[str] | None = None,
        checked: int = 0,
        cached: int = 0,
        repository: Repository | None = None,
        summaries: dict[str, dict[str, object]] | None = None,
        suppressed: list[Finding] | None = None,
        partial: list[str] | None = None,
        digests: dict[str, str] | None = None,
    ) -> None:
        self.findings = [] if findings is None else findings
        self.internal_errors = [] if internal_errors is None else internal_errors
        self.files = [] if files is None else files
        self._rules = rules
        self._load_rules = None
        self._codes = ()
        self.project = project
        self.warnings = [] if warnings is None else warnings
        self.checked = checked
        self.cached = cached
        self.repository = repository
        self.summaries = {} if summaries is None else summaries
        self.suppressed = [] if suppressed is None else suppressed
        self.partial = [] if partial is None else partial
        self.digests = {} if digests is None else digests

    @property
    def rules(self) -> tuple[type[Rule], ...]:
        """The rules of the run, in code order.

        A run whose files all came from the cache imports no rule: they are loaded
        here, on first use (the baseline and the reports need their codes only,
        through :attr:`codes`).
        """
        if self._rules is None:
            load, self._load_rules = self._load_rules, None
            self._rules = load() if load is not None else ()
        return self._rules

    @rules.setter
    def rules(self, rules: tuple[type[Rule], ...]) -> None:
        self._rules = rules
        self._load_rules = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of :attr:`rules`, in order, without loading them."""
        if self._rules is None:
            return self._codes
        return tuple(rule.code for rule in self._rules)

    def load_rules_later(
        self, codes: Sequence[str], load: Callable[[], tuple[type[Rule], ...]]
    ) -> None:
        """Let :attr:`rules` (whose codes are ``codes``) come from ``load``, on first use."""
        self._rules = None
        self._load_rules = load
        self._codes = tuple(sorted(set(codes)))


def check_one(source: SourcePath, config: Config, rules: RuleSet) -> FileResult:
    """Check one file and apply ``per-file-ignores``."""
    result = check_file(
        display_path(source.path),
        source.local,
        rules,
        max_size=config.max_file_size,
        root=config.root,
    )
    return _apply_ignores(result, source.local, config)


def _apply_ignores(result: FileResult, relpath: str, config: Config) -> FileResult:
    """``per-file-ignores``, and the Python version note on syntax errors."""
    ignored = config.ignored_codes_for(relpath) if config.per_file_ignores else ()
    if ignored:
        result.findings = [f for f in result.findings if not matches(f.code, ignored)]
        result.deferred = [(f, q) for f, q in result.deferred if not matches(f.code, ignored)]
        result.deferred_hidden = [
            (f, q) for f, q in result.deferred_hidden if not matches(f.code, ignored)
        ]
    result.findings = explain_syntax_errors(result.findings, config)
    return result


def explain_syntax_errors(findings: list[Finding], config: Config) -> list[Finding]:
    """Say which Python parsed a file that does not parse (see :func:`syntax_note`).

    Only the message changes: a syntax error's baseline identity ignores it.
    """
    if not any(f.code == SYNTAX_ERROR_CODE for f in findings):
        return findings
    return [
        replace(f, message=f.message + syntax_note(config))
        if f.code == SYNTAX_ERROR_CODE
        and f.message.startswith(_PARSE_PREFIX)
        and "Error)" not in f.message
        else f
        for f in findings
    ]


#: How the engine's parse failures start (not decoding or reading problems).
_PARSE_PREFIX = "cannot parse: "


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def run(
    paths: Sequence[str],
    target: Config | Project,
    rules: Sequence[type[Rule]] | None = None,
    *,
    jobs: int = 1,
    cache: bool = False,
    index: bool = True,
    digests: bool = False,
    repository: bool = False,
) -> RunResult:
    """Check every file under ``paths``.

    ``target`` is the run's :class:`~debt_lints.discovery.Project` (each file
    with its own configuration), or one ``Config`` for every file (then
    ``rules`` are the rules to run). ``jobs`` is the number of worker
    processes (1: this process only); ``cache`` reads and updates
    ``.debt-lints-cache/`` under the project root; ``index`` extracts each
    file's facts in the walk and settles the findings that depend on other
    files (:mod:`debt_lints.index`); without it they are not reported
    (benchmarks compare both); ``digests`` records what each file's findings
    were computed from (``RunResult.digests``); ``repository`` builds
    ``RunResult.repository`` even when the cache holds the whole-repository
    findings of the same files (``debt-lints map`` needs the repository itself).
    """
    with _collector_off():
        return _run(
            paths,
            target,
            rules,
            jobs=jobs,
            cache=cache,
            index=index,
            digests=digests,
            repository=repository,
        )


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """No cyclic garbage collection in this process while a run lasts.

    What a run keeps grows with every file (findings, each file's facts, then
    the whole-repository view), and a collection walks all of it: a full
    collection of a stdlib run's results took about 0.1 s, a tenth of what
    the parent does with two workers, and found nothing to free. A run makes
    no cyclic garbage worth collecting: each file's tree and its analyses are
    freed by reference counting when the file is done
    (:meth:`~debt_lints.analysis.context.FileContext.close` cuts the cycles a
    memoised analysis makes). The collector is turned back on afterwards (a
    collector that was already off stays off), with what the run made frozen
    (:func:`gc.freeze`): turned on with all of it young, its first collection
    would walk it all at once. Frozen objects are still freed when no longer
    referenced; :func:`gc.unfreeze` hands them back to the collector (the
    language server does, after a full check).
    """
    with collector_paused(freeze=True):
        yield


def _run(
    paths: Sequence[str],
    target: Config | Project,
    rules: Sequence[type[Rule]] | None,
    *,
    jobs: int,
    cache: bool,
    index: bool,
    digests: bool,
    repository: bool,
) -> RunResult:
    if isinstance(target, Project):
        project = target
        if rules is not None:
            project.rules = rules
    else:
        project = Project.single(target, rules)
    out = RunResult(project=project)
    out.files = list(iter_files(paths, project))
    configs: dict[int, int] = {}
    #: Each configuration and the codes of its rules: no rule is imported before a
    #: file needs checking (a run answered from the cache imports none).
    plans: list[tuple[Config, tuple[str, ...]]] = []
    for source in out.files:
        config = source.config or project.config
        if id(config) not in configs:
            configs[id(config)] = len(plans)
            plans.append((config, project.codes_for(config)))
    if rules is not None:
        out.rules = tuple(rules)
    elif plans:
        out.load_rules_later(
            [code for _, codes in plans for code in codes],
            lambda: _union(r for c, _ in plans for r in project.rules_for(c)),
        )
    else:
        out.load_rules_later(
            project.codes_for(project.config), lambda: project.rules_for(project.config)
        )
    stores: list[Cache] | None = None
    if cache:
        stores, problem = _open_caches(project, plans, few=len(out.files))
        if problem is not None:
            out.warnings.append(problem)
    results: list[FileResult | None] = [None] * len(out.files)
    #: The content digest of each file of the run, by root-relative path.
    contents: dict[str, str] = {}
    todo: list[_Item] = []
    numbers: list[int] = []
    inputs = _Inputs()
    for seq, source in enumerate(out.files):
        config = source.config or project.config
        number = configs[id(config)]
        numbers.append(number)
        shown = display_path(source.path)
        if stores is not None:
            entry = stores[number].lookup(source.relpath, source.path, config.max_file_size)
            if entry is not None and not inputs.hold(entry, config.root, source.local):
                entry = None  # decided with a repository fact that has changed since
            if entry is not None:
                label = printable(shown)
                results[seq] = _cached_result(label, entry)
                out.digests[shown] = entry.digest
                contents[source.relpath] = entry.digest
                out.cached += 1
                continue
        todo.append(_Item(seq, source.path, shown, source.local, number))
    out.checked = len(todo)
    spec = _Spec.of(
        plans, want_digest=stores is not None or digests, index=index, root=project.root
    )
    by_index = {item.seq: item for item in todo}
    for outcome in _check_all(todo, spec, plans, jobs, project):
        item = by_index[outcome.seq]
        results[outcome.seq] = outcome.result(item.shown)
        if outcome.digest is not None:
            out.digests[item.shown] = outcome.digest
            contents[out.files[item.seq].relpath] = outcome.digest
        if stores is not None:
            _remember(stores[item.config], out.files[item.seq].relpath, outcome)
    if index:
        _project_phase(out.files, results, project, plans, numbers)
        memo = None
        if stores is not None and id(project.config) in configs:
            memo = stores[configs[id(project.config)]]
        out.repository = _repository_phase(
            out.files,
            results,
            project,
            _maybe_project_rules(project, plans),
            stores,
            memo=_Memo(memo, contents, repository) if memo is not None else None,
            whole=all(os.path.realpath(p) == os.path.realpath(project.root) for p in paths),
        )
        out.findings.extend(_map_phase(plans, paths))
    for source, done in zip(out.files, results, strict=True):
        if done is not None and done.summary:
            out.summaries[source.relpath] = done.summary
    for done in results:
        if done is not None:
            out.findings.extend(done.findings)
            out.internal_errors.extend(done.internal_errors)
            out.suppressed.extend(done.suppressed)
            if done.partial:
                out.partial.append(done.path)
    out.findings.sort(key=Finding.sort_key)
    out.suppressed.sort(key=Finding.sort_key)
    for store in stores or ():
        store.save()
        if store.warning:
            out.warnings.append(store.warning)
    return out


def _union(rules: Iterable[type[Rule]]) -> tuple[type[Rule], ...]:
    seen: dict[str, type[Rule]] = {}
    for rule in rules:
        seen.setdefault(rule.code, rule)
    return tuple(seen[code] for code in sorted(seen))


def run_stdin(data: bytes | SourceProblem, filename: str, project: Project) -> RunResult:
    """Check ``data`` (read from standard input) as the file ``filename`` would be.

    ``filename`` (``--stdin-filename``, ``-`` without it) decides the
    configuration, the rules and how findings are named; the file itself is
    never read. A name that a configured exclude matches is not checked.
    """
    from debt_lints.running.files import SourcePath

    config = project.config_for(filename)
    relpath = project.relpath(filename)
    local = relpath if config.root == project.root else relpath_posix(filename, config.root)
    source = SourcePath(filename, relpath, local, config)
    out = RunResult(project=project, files=[source])
    out.load_rules_later(project.codes_for(config), lambda: project.rules_for(config))
    if local != "." and config.is_excluded_anywhere(local):
        out.files = []
        return out
    shown = display_path(filename) if filename != "-" else "-"
    result = check_file(
        shown, local, _ruleset_for(project, config, True), config.max_file_size, data=data
    )
    result = _apply_ignores(result, local, config)
    # Cross-file findings are settled against the other files on disk (as a host does).
    results: list[FileResult | None] = [result]
    _project_phase(out.files, results, project, [(config, project.codes_for(config))], [0])
    out.findings = sorted(result.findings, key=Finding.sort_key)
    out.internal_errors = list(result.internal_errors)
    out.suppressed = sorted(result.suppressed, key=Finding.sort_key)
    out.partial = [result.path] if result.partial else []
    out.checked = 1
    return out


# --- the project phase --------------------------------------------------------------
#
# With per-directory configuration, the phases that look at the whole run use
# the project root's configuration (``Project.config``: its ``import-roots``,
# its rule settings for the whole-repository rules) and the union of the rules
# any file's configuration enables; what they report on a file is then kept
# only if that file's own configuration enables the code and its own
# ``per-file-ignores`` do not skip it. Files are keyed by their path from the
# project root, so the answer is the same whatever the order of the paths.


def _project_phase(
    files: Sequence[SourcePath],
    results: Sequence[FileResult | None],
    project: Project,
    plans: Sequence[tuple[Config, Sequence[str]]],
    numbers: Sequence[int],
) -> None:
    """Settle every file's deferred findings against the facts of the whole run.

    Those a ``noqa`` comment hid are settled too: what is confirmed of them is
    suppressed debt (the baseline keeps its entries), never a fix.
    """
    if not any(done is not None and (done.deferred or done.deferred_hidden) for done in results):
        return
    from debt_lints.index import FACTS_KEY, project_for
    from debt_lints.index.settle import rules_by_code, settle, withdrawn

    index = project_for(project.config)
    for source, done in zip(files, results, strict=True):
        if done is not None and FACTS_KEY in done.summary:
            index.add_raw(source.relpath, done.summary[FACTS_KEY])
    # Each file's deferred findings are settled by its own configuration's rules: those
    # that deferred some, imported alone (a one-file check imports no other rule here).
    deferring: dict[int, set[str]] = {}
    for number, done in zip(numbers, results, strict=True):
        if done is not None:
            codes = deferring.setdefault(number, set())
            codes.update(f.code for f, _ in (*done.deferred, *done.deferred_hidden))
    instances: dict[int, Mapping[str, Rule]] = {}
    for number, done in zip(numbers, results, strict=True):
        if done is not None and (done.deferred or done.deferred_hidden):
            if number not in instances:
                config = plans[number][0]
                rules = _rules_among(project, config, deferring[number])
                instances[number] = rules_by_code(RuleSet(rules, config.settings).instances)
            findings, errors = settle(done.deferred, instances[number], index)
            done.findings.extend(findings)
            done.internal_errors.extend(errors)
            hidden, errors = settle(done.deferred_hidden, instances[number], index)
            done.suppressed.extend(hidden)
            done.internal_errors.extend(errors)
            # Findings reported in the walk that the whole repository withdraws.
            gone, errors = withdrawn(done.deferred, instances[number], index)
            done.findings = _without(done.findings, gone)
            done.internal_errors.extend(errors)
            gone, errors = withdrawn(done.deferred_hidden, instances[number], index)
            done.suppressed = _without(done.suppressed, gone)
            done.internal_errors.extend(errors)
            done.deferred = []
            done.deferred_hidden = []


def _without(findings: list[Finding], gone: list[Finding]) -> list[Finding]:
    """``findings`` less one equal finding for each of ``gone``."""
    if not gone:
        return findings
    out = list(findings)
    for finding in gone:
        if finding in out:
            out.remove(finding)
    return out


def _rules_among(project: Project, config: Config, codes: Set[str]) -> list[type[Rule]]:
    """The rules ``config`` enables whose code is one of ``codes``, no other imported."""
    if project.rules is not None:  # given as classes (library callers, tests)
        return [rule for rule in project.rules_for(config) if rule.code in codes]
    from debt_lints.engine.registry import load

    return [load(code) for code in project.codes_for(config) if code in codes]


def _map_phase(
    plans: Sequence[tuple[Config, Sequence[str]]], paths: Sequence[str]
) -> list[Finding]:
    """DL003: the migration map of each configuration of the run, checked once per entry.

    Reported when the run covers the configuration file (``check .``, or the
    file named), as whole-repository findings are reported on the files of
    the run: a run over a few files (pre-commit) does not repeat it.
    """
    from pathlib import Path

    asked = [Path(os.path.realpath(p)) for p in paths]
    covered = []
    for config, codes in plans:
        if config.source is None:
            continue
        source = Path(os.path.realpath(config.source))
        if any(a == source or a in source.parents for a in asked):
            covered.append((config, codes))
    out: list[Finding] = []
    if not covered:
        return out  # a run over a few files: the project index is not even imported
    from debt_lints.index import project_for
    from debt_lints.index.mapcheck import CODE, map_findings

    seen: set[str] = set()
    for config, codes in covered:
        if CODE not in codes:
            continue
        for finding in map_findings(config, project_for(config)):
            if finding.snippet not in seen:  # an entry inherited through `extend`
                seen.add(finding.snippet)
                out.append(finding)
    return out


def _maybe_project_rules(
    project: Project, plans: Sequence[tuple[Config, Sequence[str]]]
) -> tuple[type[Rule], ...]:
    """The run's rules that can be whole-repository rules, the only ones imported here.

    Every :class:`~debt_lints.analysis.project_rule.ProjectRule` is ``opt_in`` (a
    registry test checks it), which the catalogue says without importing a rule.
    """
    if project.rules is not None:
        return tuple(project.rules)
    from debt_lints.engine.registry import catalogue, load

    codes = sorted({code for _, codes in plans for code in codes})
    return tuple(load(code) for code in codes if catalogue()[code][2])


class _Memo(NamedTuple):
    """Where the whole-repository phase keeps its findings, and what decides a reuse."""

    store: Cache
    #: Content digests of the run's files, by root-relative path.
    contents: Mapping[str, str]
    #: The caller needs the repository itself (never answered from the memo).
    repository: bool


#: Bumped when what the memo holds changes (a memo of another version is recomputed).
REPOSITORY_MEMO = "repository-2"
#: The files beside the Python ones the repository reads in each folder: entry points
#: (``pyproject.toml``) and what the packaging ships and shares (``setup.cfg``, a
#: source distribution's ``PKG-INFO``; ``setup.py`` is one of the Python files).
_MEMO_METADATA = ("pyproject.toml", "setup.cfg", "PKG-INFO")


def _repository_phase(
    files: Sequence[SourcePath],
    results: Sequence[FileResult | None],
    project: Project,
    rules: Sequence[type[Rule]],
    stores: Sequence[Cache] | None,
    *,
    memo: _Memo | None = None,
    whole: bool = False,
) -> Repository | None:
    """The whole-repository rules (DL6xx), reported on the files of this run.

    With ``memo`` (the cache of the project's configuration), the findings are
    stored with a digest of everything they were computed from: each file's
    content digest, the ``pyproject.toml`` files, the configuration, the
    rules, and the directory listings the import resolution read. A later run
    whose inputs have the same digest, and whose listings are the same,
    reuses them without building the repository (a warm run costs the
    lookups of the files, not the whole-repository analysis). ``whole``: the
    run's files are the walk of the project root (it is not walked again).
    """
    from debt_lints.analysis.project_rule import ProjectRule

    wanted = [r for r in rules if issubclass(r, ProjectRule)]
    if not wanted or not files:
        return None
    from debt_lints.index import project_for
    from debt_lints.repo import project_findings, repository_for, wants_shapes

    config = project.config
    summaries = {
        source.relpath: done.summary
        for source, done in zip(files, results, strict=True)
        if done is not None
    }
    walked = files if whole else iter_files([str(project.root)], project)
    every = [source.relpath for source in walked]

    def cached(relpath: str) -> Mapping[str, object] | None:
        for store in stores or ():
            entry = store.lookup(relpath, str(project.root / relpath), config.max_file_size)
            if entry is not None:
                return entry.summary
        return None

    inputs = _repository_inputs(config, every, wanted, memo, stores) if memo else None
    if memo is not None and inputs is not None and not memo.repository:
        reused = _reuse(memo.store, inputs, config)
        if reused is not None:
            _report_project_findings(files, results, project, *reused)
            return None
    index = project_for(config)
    repository = repository_for(
        config, every, summaries, shapes=wants_shapes(wanted), cached=cached, project=index
    )
    instances = RuleSet(wanted, config.settings).instances
    findings, errors, hidden = project_findings(config, instances, repository)
    _report_project_findings(files, results, project, findings, hidden)
    if errors and results:
        first = next((done for done in results if done is not None), None)
        if first is not None:
            first.internal_errors.extend(errors)
    if memo is not None and inputs is not None and not errors:
        _store(memo.store, inputs, findings, hidden, index.finder.listed())
    return repository


def _repository_inputs(
    config: Config,
    every: Sequence[str],
    wanted: Sequence[type[Rule]],
    memo: _Memo,
    stores: Sequence[Cache] | None,
) -> str | None:
    """The digest of what the whole-repository findings depend on, besides the tree's
    listings; ``None`` when a file's content digest is not known (not read in this run
    and not in the cache): then nothing is stored or reused."""
    from debt_lints.core.digest import blake2b

    material = blake2b(digest_size=16)
    material.update(f"{REPOSITORY_MEMO}\0{config.fingerprint()}\0".encode())
    material.update(repr(config.resolved_import_roots()).encode("utf-8", "surrogatepass"))
    material.update(",".join(sorted(r.code for r in wanted)).encode() + b"\0")
    directories = {""}
    for relpath in sorted(every):
        digest = memo.contents.get(relpath)
        if digest is None:
            for store in stores or ():
                entry = store.lookup(relpath, str(config.root / relpath), config.max_file_size)
                if entry is not None:
                    digest = entry.digest
                    break
        if digest is None:
            return None
        material.update(f"{relpath}\0{digest}\0".encode("utf-8", "surrogatepass"))
        directories.add(relpath.rpartition("/")[0])
    # The metadata files the repository reads entry points and packaging from.
    from debt_lints.running.cache import content_digest

    for directory, base in ((d, b) for d in sorted(directories) for b in _MEMO_METADATA):
        name = f"{directory}/{base}" if directory else base
        path = config.root / name
        data = b""
        if path.is_file() and not path.is_symlink():
            found = read_bytes(str(path), config.max_file_size, root=config.root)
            data = found if isinstance(found, bytes) else b"\0unreadable"
            material.update(f"{name}\0{content_digest(data)}\0".encode("utf-8", "surrogatepass"))
    return material.hexdigest()


def _reuse(store: Cache, inputs: str, config: Config) -> tuple[list[Finding], list[Finding]] | None:
    """The stored findings and hidden findings, when computed from the same inputs."""
    entry = store.memo(REPOSITORY_MEMO)
    if entry is None or entry.digest != inputs or entry.summary is None:
        return None
    summary = entry.summary
    paths, hidden_paths = summary.get("paths"), summary.get("hidden_paths")
    listings = summary.get("listings")
    if not (
        isinstance(paths, list)
        and isinstance(hidden_paths, list)
        and len(paths) == len(entry.findings)
        and len(hidden_paths) == len(entry.suppressed)
        and all(isinstance(p, str) for p in [*paths, *hidden_paths])
        and isinstance(listings, dict)
    ):
        return None
    from debt_lints.index.roots import ModuleFinder

    finder = ModuleFinder(config.root, config.resolved_import_roots())
    for directory, listed in sorted(listings.items()):
        if _without_cache(directory, finder.listing(directory)) != listed:
            return None  # a module appeared or went away where an import looked
    return (
        [_finding(p, row) for p, row in zip(paths, entry.findings, strict=True)],
        [_finding(p, row) for p, row in zip(hidden_paths, entry.suppressed, strict=True)],
    )


def _store(
    store: Cache,
    inputs: str,
    findings: Sequence[Finding],
    hidden: Sequence[Finding],
    listings: Mapping[str, Mapping[str, bool] | None],
) -> None:
    from debt_lints.running.cache import Entry

    summary: dict[str, object] = {
        "paths": [f.path for f in findings],
        "hidden_paths": [f.path for f in hidden],
        "listings": {d: _without_cache(d, e) for d, e in listings.items()},
    }
    entry = Entry(
        None, inputs, tuple(_row(f) for f in findings), summary, tuple(_row(f) for f in hidden)
    )
    old = store.memo(REPOSITORY_MEMO)
    if old is None or old.digest != inputs or old.summary != summary:
        store.remember(REPOSITORY_MEMO, entry)


def _without_cache(directory: str, listing: Mapping[str, bool] | None) -> dict[str, bool] | None:
    """A listing as the memo keeps it: the cache directory (made by the first run,
    never a module) left out of the root's."""
    from debt_lints.running.cache import CACHE_DIR

    if listing is None:
        return None
    return {k: v for k, v in listing.items() if not (directory == "." and k == CACHE_DIR)}


def _report_project_findings(
    files: Sequence[SourcePath],
    results: Sequence[FileResult | None],
    project: Project,
    findings: Sequence[Finding],
    hidden: Sequence[Finding],
) -> None:
    """Give each file of the run the whole-repository findings (paths root-relative)
    that its own configuration selects and does not ignore."""
    config = project.config
    where = {source.relpath: seq for seq, source in enumerate(files)}
    hidden_ids = {id(finding) for finding in hidden}
    for finding in [*findings, *hidden]:
        seq = where.get(finding.path)
        done = results[seq] if seq is not None else None
        if seq is None or done is None:
            continue  # a file of the project that this run was not asked about
        source = files[seq]
        own = source.config or config
        if finding.code not in project.codes_for(own):
            continue  # the file's own configuration does not select the rule
        if matches(finding.code, own.ignored_codes_for(source.local)):
            continue
        # What a noqa hides is still debt: suppressed, never a fix.
        found = done.suppressed if id(finding) in hidden_ids else done.findings
        found.append(replace(finding, path=done.path))


class _Inputs:
    """Whether the repository facts a cached result was decided with still hold.

    A rule may decide a file's findings with a fact read from other files of the
    repository (DL202: the folders the container definitions above it create);
    the file's result records each answer's digest (``INPUTS_KEY``). A cached
    result is used only while every answer is the same; the folder listings are
    shared by the files of the run.
    """

    def __init__(self) -> None:
        self._trees: dict[Path, FileTree] = {}

    def hold(self, entry: Entry, root: Path, relpath: str) -> bool:
        recorded = entry.summary.get(INPUTS_KEY) if entry.summary is not None else None
        if recorded is None:
            return True
        if not isinstance(recorded, dict):
            return False
        from debt_lints.analysis import containers
        from debt_lints.analysis.packaging import FileTree

        for name, digest in recorded.items():
            if name != containers.INPUT_KEY:
                return False  # a fact this version does not know: decide again
            tree = self._trees.get(root)
            if tree is None:
                tree = self._trees[root] = FileTree(root)
            if containers.container_paths(root, relpath, tree).digest != digest:
                return False
        return True


def _cached_result(label: str, entry: Entry) -> FileResult:
    result = FileResult(
        label,
        [_finding(label, r, entry.partial) for r in entry.findings],
        suppressed=[_finding(label, r, entry.partial) for r in entry.suppressed],
        partial=entry.partial,
    )
    if entry.summary is not None:
        result.summary = dict(entry.summary)
        result.deferred = _deferred_from_rows(label, entry.summary.get(_DEFERRED_KEY))
        result.deferred_hidden = _deferred_from_rows(label, entry.summary.get(_DEFERRED_HIDDEN_KEY))
    return result


#: Where a file's deferred findings are kept in its summary (and cache entry).
_DEFERRED_KEY = "deferred"
#: And those a ``noqa`` comment hid.
_DEFERRED_HIDDEN_KEY = "deferred-hidden"


def _deferred_from_rows(label: str, raw: object) -> list[tuple[Finding, object]]:
    from debt_lints.running.cache import decode_row

    out: list[tuple[Finding, object]] = []
    if not isinstance(raw, list):
        return out
    for item in raw:
        if isinstance(item, list) and len(item) == 2:
            row = decode_row(item[0])
            if row is not None:
                out.append((_finding(label, row), item[1]))
    return out


# --- cache glue ---------------------------------------------------------------------


def _open_caches(
    project: Project, plans: Sequence[tuple[Config, Sequence[str]]], few: int
) -> tuple[list[Cache] | None, str | None]:
    """One cache per configuration of the run, all under the project root.

    ``None`` and why (one line) when the cache cannot be trusted this run.
    A run over ``few`` files (up to :data:`~debt_lints.running.cache.FEW_FILES`)
    reads only their entries, not the whole packed file.
    """
    from debt_lints.running import cache

    keys = [cache.cache_key(config.fingerprint(), codes) for config, codes in plans]
    stores, problem = cache.open_caches(project.root, keys, few=few <= cache.FEW_FILES)
    return (None if problem is not None else stores), problem


def _remember(store: Cache, relpath: str, outcome: _Outcome) -> None:
    from debt_lints.running.cache import Entry

    if outcome.errors or outcome.digest is None or outcome.rows is None:
        # Internal errors, unreadable files and dead workers are never cached:
        # the next run tries again and reports the same thing.
        store.forget(relpath)
        return
    summary: dict[str, object] | None = dict(outcome.summary) if outcome.summary else None
    for key, deferred in (
        (_DEFERRED_KEY, outcome.deferred),
        (_DEFERRED_HIDDEN_KEY, outcome.deferred_hidden),
    ):
        if deferred:
            summary = summary or {}
            summary[key] = [[list(row), question] for row, question in deferred]
    store.put(
        relpath,
        Entry(
            outcome.stat,
            outcome.digest,
            outcome.rows,
            summary,
            suppressed=outcome.suppressed_rows,
            partial=outcome.partial,
        ),
    )


# --- plain data between processes ---------------------------------------------------


class _Item(NamedTuple):
    """One file to check: its position in the walk (``seq``), where to open it, how to show it."""

    seq: int
    path: str
    shown: str
    #: Relative to its configuration's folder (``per-file-ignores``, module names).
    relpath: str
    #: Which of the run's configurations applies (an index into ``_Spec.configs``).
    config: int = 0


class _Outcome(NamedTuple):
    """A checked file as plain data (what a worker sends back)."""

    seq: int
    #: ``None`` when the findings must not be cached (their paths differ).
    rows: tuple[FindingRow, ...] | None
    findings: tuple[Finding, ...] | None
    errors: tuple[tuple[str, str, str], ...]
    digest: str | None
    stat: StatKey | None
    #: What the collectors extracted (the file's facts), JSON-ready.
    summary: dict[str, object] | None = None
    #: Findings for the project phase, with their questions.
    deferred: tuple[tuple[FindingRow, object], ...] = ()
    #: The findings ``noqa`` comments hid, as rows (always this file's path).
    suppressed_rows: tuple[FindingRow, ...] = ()
    #: The file did not parse (:attr:`FileResult.partial`).
    partial: bool = False
    #: Deferred findings a ``noqa`` comment hid, with their questions.
    deferred_hidden: tuple[tuple[FindingRow, object], ...] = ()

    def result(self, shown: str) -> FileResult:
        shown = printable(shown)
        if self.findings is not None:
            findings = list(self.findings)
        else:
            findings = [_finding(shown, row, self.partial) for row in self.rows or ()]
        errors = [InternalError(*e) for e in self.errors]
        hidden = [_finding(shown, row, self.partial) for row in self.suppressed_rows]
        result = FileResult(
            shown,
            findings,
            errors,
            summary=dict(self.summary or {}),
            suppressed=hidden,
            partial=self.partial,
        )
        result.deferred = [(_finding(shown, row, self.partial), q) for row, q in self.deferred]
        result.deferred_hidden = [
            (_finding(shown, row, self.partial), q) for row, q in self.deferred_hidden
        ]
        return result


def _row(finding: Finding) -> FindingRow:
    return (
        finding.line,
        finding.column,
        finding.code,
        finding.end_line,
        finding.end_column,
        finding.name,
        finding.message,
        finding.severity.value,
        finding.scope,
        finding.snippet,
        _fix_text(finding.fix),
    )


def _fix_text(fix: Fix | None) -> str:
    if fix is None:
        return ""
    import json

    return json.dumps(fix.to_dict(), separators=(",", ":"))


def _fix_of(text: str) -> Fix | None:
    if not text:
        return None
    import json

    try:
        return Fix.from_dict(json.loads(text))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None  # a damaged cache row: the finding stays, its fix is lost


def _finding(path: str, row: FindingRow, partial: bool = False) -> Finding:
    line, column, code, end_line, end_column, name, message, severity, scope, snippet, fix = row
    return Finding(
        path=path,
        line=line,
        column=column,
        code=code,
        end_line=end_line,
        end_column=end_column,
        name=name,
        message=message,
        severity=Severity(severity),
        scope=scope,
        snippet=snippet,
        fix=_fix_of(fix),
        partial=partial,
    )


class _Plan(FrozenRecord):
    """One configuration and its rules, picklable (``Settings`` itself is not)."""

    __slots__ = ("codes", "config", "index", "settings")
    #: The configuration's fields, except ``settings``.
    config: dict[str, Any]
    settings: dict[str, object]
    codes: tuple[str, ...]
    #: Extract the project index's facts in the walk.
    index: bool

    def __init__(
        self,
        config: dict[str, Any],
        settings: dict[str, object],
        codes: tuple[str, ...],
        index: bool = True,
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "config", config)
        _set(self, "settings", settings)
        _set(self, "codes", codes)
        _set(self, "index", index)

    def rebuild(self) -> tuple[Config, RuleSet]:
        from debt_lints.engine.registry import load

        values = {k: tuple(v) if isinstance(v, list) else v for k, v in self.settings.items()}
        config = Config(**self.config, settings=Settings(values))
        return config, _ruleset([load(c) for c in self.codes], config, self.index)


def _ruleset(
    rules: Sequence[type[Rule]], config: Config, index: bool, later: Sequence[str] = ()
) -> RuleSet:
    """The rules, with the project index's fact collector riding the walk when ``index``.

    ``later``: codes of more rules, imported when a file holds their evidence
    (:func:`~debt_lints.engine.walk.imported_when_needed`).
    """
    if not index:
        return RuleSet(rules, config.settings, root=config.root, later=later)
    from debt_lints.analysis.project_rule import ProjectRule
    from debt_lints.engine.walk import Collector
    from debt_lints.index import FactsCollector

    collectors: list[Collector] = [FactsCollector()]
    if any(issubclass(r, ProjectRule) for r in rules):
        # The whole-repository rules' machinery loads only when one is selected.
        from debt_lints.repo import wants_shapes
        from debt_lints.repo.shapes import ReferencesCollector

        collectors.append(ReferencesCollector())
        if wants_shapes(rules):
            from debt_lints.repo.shapes import ShapesCollector

            collectors.append(ShapesCollector())
    return RuleSet(rules, config.settings, collectors=collectors, root=config.root, later=later)


def _ruleset_for(project: Project, config: Config, index: bool) -> RuleSet:
    """The rule set of ``config`` in this process: a rule is imported when a file needs it."""
    if project.rules is not None:  # given as classes (library callers, tests)
        return _ruleset(project.rules_for(config), config, index)
    now, later = imported_when_needed(project.codes_for(config))
    return _ruleset(now, config, index, later)


class _Spec(FrozenRecord):
    """Everything a worker needs, as plain data."""

    __slots__ = ("cwd", "plans", "root", "want_digest")
    plans: tuple[_Plan, ...]
    want_digest: bool
    cwd: str
    #: The project root: no file whose real location is outside it is read.
    root: str | None

    def __init__(
        self, plans: tuple[_Plan, ...], want_digest: bool, cwd: str, root: str | None = None
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "plans", plans)
        _set(self, "want_digest", want_digest)
        _set(self, "cwd", cwd)
        _set(self, "root", root)

    @classmethod
    def of(
        cls,
        plans: Sequence[tuple[Config, Sequence[str]]],
        want_digest: bool,
        index: bool = True,
        root: os.PathLike[str] | None = None,
    ) -> _Spec:
        return cls(
            tuple(
                _Plan(
                    {name: getattr(c, name) for name in fields(c) if name != "settings"},
                    c.settings.as_dict(),
                    tuple(codes),
                    index,
                )
                for c, codes in plans
            ),
            want_digest,
            os.getcwd(),
            None if root is None else os.fspath(root),
        )


class _Checkers:
    """The configurations and rule sets of a run, each rule set built on first use."""

    def __init__(self, build: Callable[[int], tuple[Config, RuleSet]]) -> None:
        self._build = build
        self._built: dict[int, tuple[Config, RuleSet]] = {}

    def __getitem__(self, number: int) -> tuple[Config, RuleSet]:
        found = self._built.get(number)
        if found is None:
            found = self._built[number] = self._build(number)
        return found


def _check_item(
    item: _Item, config: Config, rules: RuleSet, want_digest: bool, root: str | None = None
) -> _Outcome:
    """Check one file; with ``want_digest``, also the facts the cache keys on.

    Nothing is read from a file whose real location leaves ``root`` (the
    project root): a committed link to a file outside is one DL001.
    """
    if not want_digest:
        result = _apply_ignores(
            check_file(item.shown, item.relpath, rules, max_size=config.max_file_size, root=root),
            item.relpath,
            config,
        )
        return _outcome(item.seq, result, None, None)
    from debt_lints.running.cache import content_digest, stat_key

    # Stat before reading: if the file changes in between, the stored stat
    # key is older than the content, and the next run re-hashes it.
    stat = stat_key(item.path)
    data = read_bytes(item.path, config.max_file_size, root=root)
    if isinstance(data, SourceProblem):
        result = check_file(
            item.shown, item.relpath, rules, max_size=config.max_file_size, root=root
        )
        return _outcome(item.seq, _apply_ignores(result, item.relpath, config), None, None)
    result = check_file(item.shown, item.relpath, rules, config.max_file_size, data=data)
    if result.internal_errors:
        return _outcome(item.seq, _apply_ignores(result, item.relpath, config), None, None)
    return _outcome(
        item.seq, _apply_ignores(result, item.relpath, config), content_digest(data), stat
    )


def _outcome(index: int, result: FileResult, digest: str | None, stat: StatKey | None) -> _Outcome:
    errors = tuple((e.path, e.rule, e.detail) for e in result.internal_errors)
    # Notebook findings carry a cell, which cache rows do not: sent whole, not
    # cached. A notebook is never an import target: it gives the project index
    # no facts, and its cross-file findings are not settled (no cell to show).
    notebook = result.path.endswith(".ipynb") or any(f.cell is not None for f in result.findings)
    summary = None if notebook else result.summary or None
    deferred = () if notebook else tuple((_row(f), q) for f, q in result.deferred)
    deferred_hidden = () if notebook else tuple((_row(f), q) for f, q in result.deferred_hidden)
    hidden = tuple(_row(f) for f in result.suppressed if f.cell is None)
    if not notebook and all(f.path == result.path for f in result.findings):
        rows = tuple(_row(f) for f in result.findings)
        return _Outcome(
            index,
            rows,
            None,
            errors,
            digest,
            stat,
            summary,
            deferred,
            hidden,
            result.partial,
            deferred_hidden,
        )
    return _Outcome(
        index,
        None,
        tuple(result.findings),
        errors,
        None,
        None,
        summary,
        deferred,
        hidden,
        result.partial,
        deferred_hidden,
    )


# --- scheduling ---------------------------------------------------------------------


def _check_all(
    todo: Sequence[_Item],
    spec: _Spec,
    plans: Sequence[tuple[Config, Sequence[str]]],
    jobs: int,
    project: Project,
) -> list[_Outcome]:
    workers = min(jobs, len(todo) // MIN_FILES_PER_WORKER)
    outcomes: list[_Outcome] = []
    leftover: Sequence[_Item] = todo
    if workers > 1:
        leftover = _parallel(todo, spec, workers, outcomes)
    if leftover:
        # The cyclic collector is off for the whole run (:func:`_collector_off`).
        checkers = _Checkers(
            lambda n: (plans[n][0], _ruleset_for(project, plans[n][0], spec.plans[n].index))
        )
        for item in leftover:
            config, ruleset = checkers[item.config]
            outcomes.append(_check_item(item, config, ruleset, spec.want_digest, spec.root))
    return outcomes


def _batches(todo: Sequence[_Item], workers: int) -> list[list[_Item]]:
    """Batches of roughly equal bytes, largest files first (they finish last otherwise)."""
    sizes: dict[int, int] = {}
    for item in todo:
        try:
            sizes[item.seq] = os.stat(item.path).st_size
        except OSError:
            sizes[item.seq] = 0
    ordered = sorted(todo, key=lambda i: (-sizes[i.seq], i.seq))
    target = max(sum(sizes.values()) // (workers * BATCHES_PER_WORKER), 1)
    batches: list[list[_Item]] = []
    current: list[_Item] = []
    weight = 0
    for item in ordered:
        current.append(item)
        weight += sizes[item.seq]
        if weight >= target or len(current) >= MAX_BATCH_FILES:
            batches.append(current)
            current, weight = [], 0
    if current:
        batches.append(current)
    return batches


def _mp_context() -> Any:
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class _Worker:
    """A worker process, its pipe, and the files sent to it and not yet answered."""

    def __init__(self, process: Any, conn: Any, current: Any) -> None:
        self.process = process
        self.conn = conn
        #: Index of the file being checked, or -1 (shared memory, set by the worker).
        self.current = current
        self.pending: dict[int, _Item] = {}
        #: The size of each batch in flight, oldest first (answered in order, each
        #: in one message).
        self.batches: deque[int] = deque()
        self.dead = False


def _parallel(
    todo: Sequence[_Item], spec: _Spec, jobs: int, outcomes: list[_Outcome]
) -> list[_Item]:
    """Check ``todo`` in ``jobs`` processes; returns the files left to check here."""
    try:
        from multiprocessing.connection import wait

        context = _mp_context()
    except (ImportError, OSError, ValueError):
        return list(todo)  # no multiprocessing on this platform
    workers = _start_workers(context, spec, jobs)
    if not workers:
        return list(todo)
    queue = _batches(todo, len(workers))
    queue.reverse()  # pop() from the end takes the largest first
    leftover: list[_Item] = []
    try:
        for worker in workers:
            _feed(worker, queue, leftover)
        alive = [w for w in workers if w.pending]
        while alive:
            by_conn = {id(w.conn): w for w in alive}
            by_sentinel = {w.process.sentinel: w for w in alive}
            for ready in wait([w.conn for w in alive] + list(by_sentinel)):
                if isinstance(ready, int):  # a sentinel: the process has exited
                    _bury(by_sentinel[ready], outcomes, leftover)
                    continue
                worker = by_conn[id(ready)]
                if worker.dead:
                    continue
                if _receive(worker, outcomes):
                    _feed(worker, queue, leftover)
                else:
                    _bury(worker, outcomes, leftover)
            alive = [w for w in workers if w.pending and not w.dead]
        # Batches that no living worker could take (all died) are checked here.
        for batch in reversed(queue):
            leftover.extend(batch)
        return leftover
    finally:
        _stop_workers(workers)


def _start_workers(context: Any, spec: _Spec, jobs: int) -> list[_Worker]:
    import signal

    workers: list[_Worker] = []
    # A forked child inherits this process's end of every pipe made so far,
    # its own included: it closes them, or it would never see EOF when this
    # process dies. (Other start methods inherit no descriptors.)
    forked = context.get_start_method() == "fork"
    parent_fds: list[int] = []
    # A forked worker starts with what this process has: the rule sets built here
    # once (their rule modules, the index's and the repository's collectors with
    # the analyses they import) are every worker's, instead of each importing and
    # building its own. Other start methods rebuild them in each worker.
    built = _prepared(spec) if forked else ()
    # SIGINT is blocked while forking so that a Ctrl-C cannot reach a child
    # before it has set SIGINT to be ignored (a traceback from every worker).
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for _ in range(jobs):
            try:
                parent_conn, child_conn = context.Pipe()
                if forked:
                    parent_fds.append(parent_conn.fileno())
                current = context.RawValue("q", -1)
                process = context.Process(
                    target=_worker_main,
                    args=(child_conn, spec, current, tuple(parent_fds), built),
                    name="debt-lints-worker",
                    daemon=True,
                )
                process.start()
            except (OSError, ValueError, ImportError, RuntimeError):
                break  # no (more) processes: work with what started, or alone
            child_conn.close()
            workers.append(_Worker(process, parent_conn, current))
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return workers


def _feed(worker: _Worker, queue: list[list[_Item]], leftover: list[_Item]) -> None:
    """Keep two batches in flight per worker, so it never waits for this process."""
    while queue and len(worker.batches) < 2 and not worker.dead:
        batch = queue.pop()
        try:
            worker.conn.send(batch)
        except OSError:  # the worker is gone; its sentinel reports it next
            leftover.extend(batch)
            return
        worker.batches.append(len(batch))
        for item in batch:
            worker.pending[item.seq] = item


def _receive(worker: _Worker, outcomes: list[_Outcome]) -> bool:
    """Read one message (the answers to the oldest batch in flight); ``False`` when
    the worker's pipe is closed."""
    try:
        message = worker.conn.recv()
    except (EOFError, OSError):
        return False
    pending = worker.pending
    for answer in message:
        outcome = _Outcome(*answer)
        pending.pop(outcome.seq, None)
        outcomes.append(outcome)
    worker.batches.popleft()
    return True


def _bury(worker: _Worker, outcomes: list[_Outcome], leftover: list[_Item]) -> None:
    """Account for a worker that died: blame its current file, retry the rest here."""
    if worker.dead:
        return
    worker.dead = True
    while True:  # results it sent before dying still count
        try:
            if not worker.conn.poll():
                break
        except (EOFError, OSError):
            break
        if not _receive(worker, outcomes):
            break
    worker.process.join(TERMINATE_GRACE_SECONDS)
    current = worker.current.value
    culprit = worker.pending.pop(current, None) if current >= 0 else None
    if culprit is not None:
        outcomes.append(
            _Outcome(
                culprit.seq,
                (),
                None,
                (
                    (
                        printable(culprit.shown),
                        "worker",
                        f"the worker process died ({_exit_reason(worker.process.exitcode)})"
                        " while checking this file; it was not checked",
                    ),
                ),
                None,
                None,
            )
        )
    leftover.extend(sorted(worker.pending.values()))
    worker.pending.clear()
    worker.batches.clear()


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is None:
        return "unknown cause"
    if exitcode < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _stop_workers(workers: Sequence[_Worker]) -> None:
    """Stop every worker and wait for it: nothing outlives the run."""
    for worker in workers:
        if worker.process.is_alive() and not worker.pending:
            with contextlib.suppress(OSError):
                worker.conn.send(None)  # finished: let it exit on its own
    for worker in workers:
        worker.process.join(0.2 if not worker.pending else 0)
        if worker.process.is_alive():
            worker.process.terminate()
    for worker in workers:
        worker.process.join(TERMINATE_GRACE_SECONDS)
        if worker.process.is_alive():  # pragma: no cover - ignores SIGTERM
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _prepared(spec: _Spec) -> tuple[tuple[Config, RuleSet], ...]:
    """Each plan's configuration and rule set, built before the workers are forked;
    none when one cannot be built here (each worker then builds its own, and
    fails there as it would have)."""
    try:
        return tuple(plan.rebuild() for plan in spec.plans)
    except Exception:  # a worker rebuilding it reports the problem as before
        return ()


def _worker_main(
    conn: Any,
    spec: _Spec,
    current: Any,
    inherited: tuple[int, ...] = (),
    built: tuple[tuple[Config, RuleSet], ...] = (),
) -> None:
    """A worker: rebuild the rule set once (or take ``built``, the rule sets its
    parent built before forking it), then check batches until told to stop.

    It stops as soon as its parent is gone: its pipe reaches EOF (the
    parent's ends of the pipes inherited through ``fork`` are closed first),
    and, whatever the start method, it notices being re-parented.
    """
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    parent = os.getppid()
    # Objects inherited from the parent are never garbage; freezing them keeps
    # the collector off them (and their pages shared). A worker makes no cyclic
    # garbage worth collecting either (each file's tree and analyses are freed
    # by reference counting, see :func:`_collector_off`): the collector stays
    # off, whatever the start method left it as.
    gc.freeze()
    gc.disable()
    os.chdir(spec.cwd)
    checkers = _Checkers(lambda n: built[n] if built else spec.plans[n].rebuild())
    check = _check_item
    while True:
        try:
            while not conn.poll(0.5):
                if os.getppid() != parent:
                    return  # the parent went away
            batch = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the parent went away
        if batch is None:
            return
        answers = []
        for item in batch:
            if os.getppid() != parent:
                return
            current.value = item.seq
            config, rules = checkers[item.config]
            answers.append(tuple(check(item, config, rules, spec.want_digest, spec.root)))
            current.value = -1
        try:
            conn.send(answers)
        except (OSError, EOFError):
            return  # the parent went away
