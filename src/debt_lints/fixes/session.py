"""Fixing a whole run: read each fixable file safely, fix it, and write it back or diff it.

Files are read and written below the project root only, through
:mod:`debt_lints.core.safefs` (no link is followed). A file is written
atomically, and only if it still holds the bytes that were fixed: a file
another process changed during the run is left alone and reported.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from debt_lints.config import Config, display_path
from debt_lints.core.model import Finding, Rule
from debt_lints.engine.registry import matches
from debt_lints.engine.walk import NOTEBOOK_SUFFIXES, RuleSet, check_source
from debt_lints.fixes.fixer import FileFix, fix_text
from debt_lints.fixes.modules import ModuleLookup
from debt_lints.fixes.policy import FixPolicy, resolve
from debt_lints.running.runner import RunResult


@dataclass
class FixReport:
    """What fixing a run did."""

    #: Every file that had a fix to apply, fixed or not.
    files: list[FileFix] = field(default_factory=list)
    #: Display paths of the files written.
    written: list[str] = field(default_factory=list)
    #: One line per file or fix that was left alone, and why.
    notes: list[str] = field(default_factory=list)
    #: Fixes that would have broken the code: bugs in debt-lints (exit 3).
    errors: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> list[Finding]:
        return [f for ff in self.files for f in ff.fixed]

    def diff(self) -> str:
        """A unified diff of every changed file (``a/`` and ``b/`` prefixes, as git)."""
        return "".join(
            unified_diff(ff.original, ff.text, ff.path) for ff in self.files if ff.changed
        )


def emptied_modules(
    fixed: Iterable[Finding],
    context: FixContext,
    python_files: Iterable[str],
    written_relpaths: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """``(module, relpath)`` of each old module the fixes left without importers.

    The deprecated modules whose imports were rewritten, that no file of the
    project (``python_files``, root-relative, their facts as the fixes left
    them) imports any more, in any way: the next whole-repository check
    reports them unused (DL602), so the run says it now.
    """
    project = context.project
    old: dict[str, str] = {}
    for finding in fixed:
        fix = finding.fix
        req = fix.requirement if fix is not None else None
        if req is None or not req.deprecated:
            continue
        relpath = project.file_of(req.deprecated)
        if relpath is not None:
            old.setdefault(relpath, req.deprecated)
    if not old:
        return []
    for written in written_relpaths:
        project.forget(written)  # fixed in a worker process: read as written
    imported: set[str] = set()
    for relpath in python_files:
        for _, target in project.import_edges(relpath):
            if target in old and target != relpath:
                imported.add(target)
    return sorted((module, relpath) for relpath, module in old.items() if relpath not in imported)


def unified_diff(old: str, new: str, path: str) -> str:
    import difflib

    from debt_lints.analysis.context import git_quoted, split_lines

    # Headers name the file as git does: quoted when it holds a newline or an escape.
    lines = difflib.unified_diff(
        split_lines(old),
        split_lines(new),
        fromfile=git_quoted(f"a/{path}"),
        tofile=git_quoted(f"b/{path}"),
    )
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


class FixPart:
    """What fixing the files of one configuration needs: its rules and its policy.

    In a monorepo each package's files are fixed with their own
    configuration (its ``fixable``/``unfixable``, its rule options such as
    ``deprecated-imports``, its ``per-file-ignores``), against one project index.
    """

    def __init__(self, config: Config, rules: Sequence[type[Rule]], policy: FixPolicy) -> None:
        from debt_lints.analysis.project_rule import ProjectRule
        from debt_lints.index import FactsCollector
        from debt_lints.index.settle import rules_by_code

        self.config = config
        self.policy = policy
        #: Codes of the whole-repository rules: a file's fixes do not recompute them.
        self.repository_codes = frozenset(r.code for r in rules if issubclass(r, ProjectRule))
        self.ruleset = RuleSet(
            rules, config.settings, collectors=[FactsCollector()], root=config.root
        )
        self.instances = rules_by_code(self.ruleset.instances)


#: ``config -> (rules, policy)`` of the files a configuration applies to.
PartOf = Callable[[Config], tuple[Sequence[type[Rule]], FixPolicy]]


class FixContext:
    """What fixing needs for one run: the project index, the rules, the policy.

    The index answers the fixes' questions about other modules and settles
    the findings that depend on other files (a fixed text is checked exactly
    as a run checks a file, its project phase included). ``config`` is the
    project's configuration (its root: files are read and written below it;
    its ``import-roots``: the index); ``part_of`` gives the rules and the
    policy of another configuration of the run (per-directory configuration),
    each file then being fixed with its own.
    """

    def __init__(
        self,
        config: Config,
        rules: Sequence[type[Rule]],
        policy: FixPolicy,
        summaries: Mapping[str, Mapping[str, object]] | None = None,
        *,
        part_of: PartOf | None = None,
    ) -> None:
        """``summaries``: the run's file summaries (``RunResult.summaries``), so the
        index starts with the facts the run extracted instead of reading the files again."""
        from debt_lints.fixes.modules import IndexModules
        from debt_lints.index import ModuleFacts, facts_from_summary, project_for

        self.config = config
        known: dict[str, ModuleFacts] = {}
        for relpath, summary in (summaries or {}).items():
            facts = facts_from_summary(summary)
            if facts is not None:
                known[relpath] = facts
        self.project = project_for(config, known)
        self.modules: ModuleLookup = IndexModules(self.project)
        self.default = FixPart(config, rules, policy)
        self._part_of = part_of
        self._parts: dict[int, FixPart] = {}
        #: The parts of the files being fixed, numbered (``_Todo.part``).
        self.ordered: list[FixPart] = []

    @property
    def policy(self) -> FixPolicy:
        return self.default.policy

    def part(self, config: Config | None) -> FixPart:
        """The rules and policy of the files ``config`` applies to."""
        if config is None or self._part_of is None:
            return self.default
        found = self._parts.get(id(config))
        if found is None:
            rules, policy = self._part_of(config)
            found = self._parts[id(config)] = FixPart(config, rules, policy)
        return found

    def resolve(self, findings: Iterable[Finding], part: FixPart | None = None) -> list[Finding]:
        return resolve(findings, self.modules, (part or self.default).policy)

    def resolve_run(self, result: RunResult) -> list[Finding]:
        """The run's findings with their fixes settled, each by its file's policy."""
        parts = _parts_by_path(result, self)
        out: list[Finding] = []
        by_part: dict[int, tuple[FixPart, list[Finding]]] = {}
        for finding in result.findings:
            part = parts.get(finding.path, self.default)
            by_part.setdefault(id(part), (part, []))[1].append(finding)
        for part, findings in by_part.values():
            out.extend(self.resolve(findings, part))
        return sorted(out, key=Finding.sort_key)

    def checker(self, path: str, relpath: str, part: FixPart | None = None) -> _FileChecker:
        return _FileChecker(self, path, relpath, part or self.default)


def _parts_by_path(result: RunResult, context: FixContext) -> dict[str, FixPart]:
    return {display_path(s.path): context.part(s.config) for s in result.files}


def _local(relpath: str, context: FixContext, part: FixPart) -> str:
    """A project-relative path relative to its configuration's folder."""
    from debt_lints.config import relpath_posix

    if part.config.root == context.config.root:
        return relpath
    return relpath_posix(context.config.root / relpath, part.config.root)


class _FileChecker:
    """Check a text of one file as a run does: ignores, project phase, fixes settled."""

    def __init__(self, context: FixContext, path: str, relpath: str, part: FixPart) -> None:
        self.context, self.path, self.relpath, self.part = context, path, relpath, part
        self.local = _local(relpath, context, part)
        self.ignored = part.config.ignored_codes_for(self.local)
        #: The facts of each text checked, to leave the index with the final one's.
        self.facts: dict[str, object] = {}

    def __call__(self, text: str) -> list[Finding]:
        from debt_lints.index import facts_from_summary
        from debt_lints.index.settle import settle

        context, part = self.context, self.part
        result = check_source(text, self.path, self.local, part.ruleset)
        facts = facts_from_summary(result.summary)
        if facts is not None:
            self.facts[text] = facts
            context.project.add(self.relpath, facts)
        found = list(result.findings)
        if result.deferred:
            settled, _ = settle(result.deferred, part.instances, context.project)
            found.extend(settled)
        if self.ignored:
            found = [f for f in found if not matches(f.code, self.ignored)]
        return context.resolve(sorted(found, key=Finding.sort_key), part)

    def finish(self, text: str) -> None:
        """Leave the index with the facts of ``text`` (the text kept)."""
        from debt_lints.index import ModuleFacts

        facts = self.facts.get(text)
        if isinstance(facts, ModuleFacts):
            self.context.project.add(self.relpath, facts)
        self.facts.clear()


#: Below this many files to fix, worker processes cost more than they save.
MIN_FILES_FOR_WORKERS = 8


def fix_run(result: RunResult, context: FixContext, *, write: bool, jobs: int = 1) -> FixReport:
    """Fix every file of ``result`` that has a fix ``policy`` applies.

    ``result.findings`` is updated in place with the findings of the fixed
    texts (also without ``write``: they are what ``--fix`` would leave).
    With ``jobs`` above 1 the files are fixed in that many forked processes
    (each file is read, fixed, verified and written by one of them).
    """
    report = FixReport()
    parts = _parts_by_path(result, context)
    numbers: dict[int, int] = {}
    ordered: list[FixPart] = []
    for part in parts.values():
        if id(part) not in numbers:
            numbers[id(part)] = len(ordered)
            ordered.append(part)
    context.ordered = ordered
    wanted = {
        f.path
        for f in result.findings
        if parts.get(f.path, context.default).policy.applies(f)
        # A notebook is never fixed (its cells are not the file's lines).
        and not f.path.endswith(NOTEBOOK_SUFFIXES)
    }
    if not wanted:
        return report
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.path in wanted:
            by_path.setdefault(finding.path, []).append(finding)
    todo = []
    for source in result.files:
        shown = display_path(source.path)
        if shown in wanted:
            number = numbers[id(parts[shown])]
            todo.append(
                _Todo(shown, source.relpath, result.digests.get(shown), by_path[shown], number)
            )
    replaced: dict[str, list[Finding]] = {}
    for outcome, done in _fix_all(todo, context, write, jobs):
        report.files.extend(done.files)
        report.written.extend(done.written)
        report.notes.extend(done.notes)
        report.errors.extend(done.errors)
        if outcome is not None:
            # The whole-repository findings (DL6xx) of the file are the run's:
            # they are computed from every file and come back with the next run.
            codes = parts.get(outcome.path, context.default).repository_codes
            kept = [f for f in by_path[outcome.path] if f.code in codes]
            replaced[outcome.path] = sorted([*outcome.findings, *kept], key=Finding.sort_key)
    if replaced:
        kept = [f for f in result.findings if f.path not in replaced]
        result.findings = sorted(
            [*kept, *(f for found in replaced.values() for f in found)], key=Finding.sort_key
        )
    return report


#: The run's context, inherited by forked workers (it holds the index and the rules).
_WORKER_CONTEXT: dict[str, tuple[FixContext, bool]] = {}


@dataclass(frozen=True)
class _Todo:
    """A file to fix, with what the run found in it."""

    shown: str
    relpath: str
    #: The digest of the bytes the run checked (``None``: not known).
    digest: str | None
    findings: list[Finding]
    #: Which configuration's :class:`FixPart` applies (``FixContext.ordered``).
    part: int = 0


def _one(item: _Todo) -> tuple[FileFix | None, FixReport]:
    context, write = _WORKER_CONTEXT["run"]
    part = FixReport()
    outcome = _fix_file(item, context=context, write=write, report=part)
    return outcome, part


def _fix_all(
    todo: Sequence[_Todo], context: FixContext, write: bool, jobs: int
) -> list[tuple[FileFix | None, FixReport]]:
    _WORKER_CONTEXT["run"] = (context, write)
    try:
        pool = _pool(min(jobs, len(todo) // (MIN_FILES_FOR_WORKERS // 2)), len(todo))
        if pool is None:
            return [_one(item) for item in todo]
        with pool:
            return list(pool.imap(_one, todo, chunksize=4))
    finally:
        _WORKER_CONTEXT.clear()


def _pool(workers: int, files: int) -> Any:
    """A pool of forked workers, or ``None`` (one process is better, or forking is unsafe)."""
    import sys
    import threading

    if workers < 2 or files < MIN_FILES_FOR_WORKERS or not sys.platform.startswith("linux"):
        return None
    if threading.active_count() != 1:
        return None  # forking a threaded process (a language server) can deadlock
    try:
        import multiprocessing

        return multiprocessing.get_context("fork").Pool(workers)
    except (ImportError, OSError, ValueError):
        return None


def _fix_file(
    item: _Todo,
    *,
    context: FixContext,
    write: bool,
    report: FixReport,
) -> FileFix | None:
    from debt_lints.core import safefs
    from debt_lints.running.cache import content_digest

    shown, relpath = item.shown, item.relpath
    config = context.config
    part = context.ordered[item.part] if context.ordered else context.default
    parts = relpath.split("/")
    if relpath.startswith(("/", "../")) or ".." in parts or not parts[-1]:
        report.notes.append(f"{shown}: outside the project root; not fixed")
        return None
    try:
        with safefs.open_chain(config.root, parts[:-1], create=False, heal=False) as where:
            data = where.read_regular(parts[-1], config.max_file_size)
            info = where.lstat(parts[-1])
    except OSError as exc:
        report.notes.append(f"{shown}: {exc}; not fixed")
        return None
    if data is None or info is None:
        report.notes.append(f"{shown}: vanished during the run; not fixed")
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    encoding = _encoding(data)
    try:
        if encoding is None:
            raise UnicodeError
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode(encoding)
    except (UnicodeError, LookupError):
        report.notes.append(f"{shown}: cannot be decoded as its coding cookie says; not fixed")
        return None
    check = context.checker(shown, relpath, part)
    # The run's findings are those of this text when the bytes are the ones it
    # read (less its whole-repository findings, which a file's check never has).
    findings = None
    if item.digest is not None and content_digest(data) == item.digest:
        findings = [f for f in item.findings if f.code not in part.repository_codes]
    outcome = fix_text(text, shown, check, part.policy, findings=findings, encoding=encoding)
    check.finish(outcome.text)
    report.files.append(outcome)
    for dropped in outcome.dropped:
        f = dropped.finding
        line = f"{shown}:{f.line}:{f.column}: fix of {f.code} not applied: {dropped.reason}"
        (report.errors if dropped.broke else report.notes).append(line)
    if not outcome.changed or not write:
        return outcome
    # The fixed text was compiled in this encoding: it can be written so.
    new = outcome.text.encode(encoding)
    if bom:
        new = codecs.BOM_UTF8 + new
    try:
        with safefs.open_chain(config.root, parts[:-1], create=False, heal=False) as where:
            if where.read_regular(parts[-1], config.max_file_size) != data:
                report.notes.append(
                    f"{shown}: changed by another process during the run; not overwritten"
                )
                outcome.text, outcome.fixed = outcome.original, []
                return None
            where.replace(parts[-1], new, fsync=True)  # keeps the permission bits
    except OSError as exc:
        report.notes.append(f"{shown}: {exc.strerror or exc}; not fixed")
        outcome.text, outcome.fixed = outcome.original, []
        return None
    report.written.append(shown)
    return outcome


def _encoding(data: bytes) -> str | None:
    """The encoding the file declares (PEP 263; UTF-8 by default), or ``None`` when unusable.

    A file is written back in its own encoding, so that its coding cookie
    stays true (a latin-1 file stays latin-1).
    """
    import io
    import tokenize

    try:
        found, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        name = codecs.lookup(found).name
    except (SyntaxError, LookupError, UnicodeError):
        return None
    return "utf-8" if name == "utf-8-sig" else name
