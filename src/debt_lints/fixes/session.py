"""Fixing a whole run: read each fixable file safely, fix it, and write it back or diff it.

Files are read and written below the project root only, through
:mod:`debt_lints.safefs` (no link is followed). A file is written
atomically, and only if it still holds the bytes that were fixed: a file
another process changed during the run is left alone and reported.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.config import Config, display_path
from debt_lints.engine import RuleSet, check_source
from debt_lints.fixes.fixer import FileFix, fix_text
from debt_lints.fixes.modules import ModuleLookup
from debt_lints.fixes.policy import FixPolicy, resolve
from debt_lints.model import Finding, Rule
from debt_lints.registry import matches
from debt_lints.runner import RunResult


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


def unified_diff(old: str, new: str, path: str) -> str:
    import difflib

    from debt_lints.context import split_lines

    lines = difflib.unified_diff(
        split_lines(old), split_lines(new), fromfile=f"a/{path}", tofile=f"b/{path}"
    )
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def file_checker(
    path: str,
    relpath: str,
    *,
    config: Config,
    ruleset: RuleSet,
    modules: ModuleLookup,
    policy: FixPolicy,
) -> Callable[[str], list[Finding]]:
    """Check a text of one file as a run does: ``per-file-ignores``, fixes resolved."""
    ignored = config.ignored_codes_for(relpath)

    def check(text: str) -> list[Finding]:
        result = check_source(text, path, relpath, ruleset)
        found = result.findings
        if ignored:
            found = [f for f in found if not matches(f.code, ignored)]
        return resolve(found, modules, policy)

    return check


def fix_run(
    result: RunResult,
    config: Config,
    rules: Sequence[type[Rule]],
    policy: FixPolicy,
    modules: ModuleLookup,
    *,
    write: bool,
) -> FixReport:
    """Fix every file of ``result`` that has a fix ``policy`` applies.

    ``result.findings`` is updated in place with the findings of the fixed
    texts (also without ``write``: they are what ``--fix`` would leave).
    """
    report = FixReport()
    wanted = {f.path for f in result.findings if policy.applies(f)}
    if not wanted:
        return report
    ruleset = RuleSet(rules, config.settings)
    replaced: dict[str, list[Finding]] = {}
    for source in result.files:
        shown = display_path(source.path)
        if shown not in wanted:
            continue
        outcome = _fix_file(
            shown,
            source.relpath,
            config=config,
            ruleset=ruleset,
            modules=modules,
            policy=policy,
            write=write,
            report=report,
        )
        if outcome is not None:
            replaced[shown] = outcome.findings
    if replaced:
        kept = [f for f in result.findings if f.path not in replaced]
        result.findings = sorted(
            [*kept, *(f for found in replaced.values() for f in found)], key=Finding.sort_key
        )
    return report


def _fix_file(
    shown: str,
    relpath: str,
    *,
    config: Config,
    ruleset: RuleSet,
    modules: ModuleLookup,
    policy: FixPolicy,
    write: bool,
    report: FixReport,
) -> FileFix | None:
    from debt_lints import safefs

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
    try:
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        report.notes.append(f"{shown}: not UTF-8; not fixed")
        return None
    check = file_checker(
        shown, relpath, config=config, ruleset=ruleset, modules=modules, policy=policy
    )
    outcome = fix_text(text, shown, check, policy)
    report.files.append(outcome)
    for dropped in outcome.dropped:
        f = dropped.finding
        line = f"{shown}:{f.line}:{f.column}: fix of {f.code} not applied: {dropped.reason}"
        (report.errors if dropped.broke else report.notes).append(line)
    if not outcome.changed or not write:
        return outcome
    new = outcome.text.encode("utf-8")
    if bom:
        new = codecs.BOM_UTF8 + new
    try:
        with safefs.open_chain(config.root, parts[:-1], create=False, heal=False) as where:
            if where.read_regular(parts[-1], config.max_file_size) != data:
                report.notes.append(
                    f"{shown}: changed by another process during the run; not overwritten"
                )
                outcome.text = outcome.original
                return None
            where.replace(parts[-1], new, fsync=True, mode=stat.S_IMODE(info.st_mode))
    except OSError as exc:
        report.notes.append(f"{shown}: {exc}; not fixed")
        outcome.text = outcome.original
        return None
    report.written.append(shown)
    return outcome


def default_modules(config: Config) -> ModuleLookup:
    """The module lookup fixes use for ``config``'s project."""
    from debt_lints.fixes.modules import StaticModules

    return StaticModules(Path(os.path.abspath(config.root)))
