"""The fix options of ``debt-lints check``: ``--fix``, ``--unsafe-fixes``, ``--diff`` ...

Thin glue between the command line and :mod:`debt_lints.fixes`: it reads
the options, settles every finding's fix, applies or diffs the fixes, and
prints what happened. ``check`` itself keeps one call to :func:`fix_stage`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from debt_lints.core.record import Record

if TYPE_CHECKING:
    from debt_lints.config import Config
    from debt_lints.core.model import Finding, Rule
    from debt_lints.discovery import Project
    from debt_lints.fixes import FixPolicy
    from debt_lints.fixes.session import FixContext, FixReport
    from debt_lints.running.runner import RunResult


def add_fix_options(p: argparse.ArgumentParser) -> None:
    """``--fix``, ``--unsafe-fixes``, ``--diff``, ``--fix-only`` and ``--show-fixes``."""
    p.add_argument("--fix", action="store_true", default=None, help="apply the safe fixes")
    p.add_argument("--no-fix", dest="fix", action="store_false", help=argparse.SUPPRESS)
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        default=None,
        help="also apply (and count) the unsafe fixes",
    )
    p.add_argument(
        "--no-unsafe-fixes",
        dest="unsafe_fixes",
        action="store_false",
        help="neither apply nor count the unsafe fixes (overrides unsafe-fixes = true)",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would change; write nothing (exit 1 if any)",
    )
    p.add_argument(
        "--fix-only",
        action="store_true",
        help="apply fixes, and neither report nor fail on what is left (implies --fix)",
    )
    p.add_argument("--show-fixes", action="store_true", help="list the findings that were fixed")


class FixStage(Record):
    """What the fix options did in one ``check`` run."""

    __slots__ = ("exit_status", "fix_only", "notes", "policy", "report")
    policy: FixPolicy
    #: ``None`` unless the run fixed (or diffed) files.
    report: FixReport | None
    #: Exit status to return at once (``--diff``), else ``None``.
    exit_status: int | None
    fix_only: bool
    #: Why the fixes left findings of rules with fixes (:func:`unfixed_lines`),
    #: said after the report.
    notes: list[str]

    def __init__(
        self,
        policy: FixPolicy,
        report: FixReport | None = None,
        exit_status: int | None = None,
        fix_only: bool = False,
        notes: list[str] | None = None,
    ) -> None:
        self.policy = policy
        self.report = report
        self.exit_status = exit_status
        self.fix_only = fix_only
        self.notes = [] if notes is None else notes

    @property
    def fixed(self) -> int:
        return len(self.report.fixed) if self.report is not None else 0

    @property
    def errors(self) -> list[str]:
        return list(self.report.errors) if self.report is not None else []


def policy_of(args: argparse.Namespace, config: Config) -> FixPolicy:
    from debt_lints.fixes import FixPolicy

    unsafe = getattr(args, "unsafe_fixes", None)
    if unsafe is None:
        unsafe = bool(config.unsafe_fixes)
    return FixPolicy(unsafe=unsafe, fixable=config.fixable, unfixable=config.unfixable)


def fix_stage(args: argparse.Namespace, result: RunResult, config: Config) -> FixStage:
    """Settle the fixes of ``result``; apply them for ``--fix``, diff them for ``--diff``.

    ``result.findings`` then holds what is left (what would be left, for ``--diff``).
    """
    policy = policy_of(args, config)
    if not (args.fix or args.fix_only or args.diff) and all(f.fix is None for f in result.findings):
        # Nothing to settle nor to apply: the fix machinery (and a rule the run
        # answered from the cache) is not even imported.
        return FixStage(policy)
    rules = result.rules
    from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, UsageError
    from debt_lints.baseline.gate import is_ci
    from debt_lints.fixes.session import FixContext, fix_run

    project = result.project

    def part_of(other: Config) -> tuple[Sequence[type[Rule]], FixPolicy]:
        # Each file is fixed with its own configuration: its rules and options
        # (deprecated-imports...), its fixable/unfixable/unsafe-fixes.
        assert project is not None
        return project.rules_for(other), policy_of(args, other)

    context = FixContext(
        config, rules, policy, result.summaries, part_of=part_of if project else None
    )
    result.findings = context.resolve_run(result)
    stage = FixStage(policy, fix_only=bool(args.fix_only))
    applying = bool(args.fix) or stage.fix_only
    if not (applying or args.diff):
        return stage
    if applying and not args.diff and is_ci(args.ci):
        raise UsageError(
            "--fix is not allowed under --ci (or with CI set): CI never rewrites code;"
            " use --diff to show the fixes"
        )
    from debt_lints.running.runner import default_jobs

    jobs = getattr(args, "jobs", None) or default_jobs()
    report = fix_run(result, context, write=not args.diff, jobs=jobs)
    stage.report = report
    for note in report.notes:
        print(f"debt-lints: {note}", file=sys.stderr)
    for error in report.errors:
        print(f"debt-lints: internal error: {error}", file=sys.stderr)
    if args.diff:
        diff = report.diff()
        sys.stdout.write(diff)
        sys.stdout.flush()
        count = len(report.fixed)
        print(f"Would fix {_findings(count)}.", file=sys.stderr)
        if args.show_fixes:
            print(show_fixes(report.fixed, "Would fix"), file=sys.stderr, end="")
        for line in unfixed_lines(result.findings, rules, policy, "would leave"):
            say_note(line)
        stage.exit_status = EXIT_INTERNAL if report.errors else (EXIT_FINDINGS if diff else EXIT_OK)
        return stage
    if args.show_fixes and report.fixed:
        print(show_fixes(report.fixed, "Fixed"), file=sys.stderr, end="")
    stage.notes = unfixed_lines(result.findings, rules, policy, "left")
    if report.written:
        for line in _emptied(report, context, project, config):
            print(f"debt-lints: {line}", file=sys.stderr)
    return stage


def _emptied(
    report: FixReport, context: FixContext, project: Project | None, config: Config
) -> list[str]:
    """What to do with the old modules the fixes left without importers (one line each)."""
    from debt_lints.fixes.session import emptied_modules
    from debt_lints.running.files import iter_files

    target = project if project is not None else config
    files = [
        source.relpath
        for source in iter_files([str(config.root)], target)
        if source.relpath.endswith((".py", ".pyi"))
    ]
    from pathlib import Path

    from debt_lints.config import relpath_posix

    written = [relpath_posix(Path(shown).absolute(), config.root) for shown in report.written]
    return [
        f"{relpath} ({module}) has no importers left: leave a shim in its place"
        " (debt-lints shims --write) or delete it"
        for module, relpath in emptied_modules(report.fixed, context, files, written)
    ]


#: Per group of :mod:`debt_lints.fixes.unfixed`: what the findings are, and what to do.
_UNFIXED_TEXT = {
    "unparsable": (
        "in {files} that {do} not parse",
        "repair their syntax errors (DL001), then run --fix again",
    ),
    "missing-name": (
        "whose replacement lacks a name the file takes from the old module",
        "define or re-export it there, or map the old module elsewhere",
    ),
    "no-replacement": (
        "whose replacement does not exist here",
        "create it, install the project's declared dependencies, or correct "
        "deprecated-imports (DL003 names an entry no declared dependency provides)",
    ),
    "self-import": (
        "whose fix would make the module import itself",
        "correct the deprecated-imports entry",
    ),
    "unsafe": (
        "with unsafe fixes",
        "review them with --diff --unsafe-fixes, apply them with --fix --unsafe-fixes",
    ),
    "unfixable": (
        "of codes that fixable/unfixable exclude",
        "change fixable or unfixable in the configuration to fix them",
    ),
    "not-applied": ("whose fix could not be applied", "the notes above say why"),
    "no-rewrite": (
        "in a form --fix does not rewrite",
        "edit them by hand (docs/fixes.md lists the forms)",
    ),
}

#: How many specifics (files, missing names, entries) a group line names.
_SHOWN_DETAILS = 3


def unfixed_lines(
    findings: Sequence[Finding], rules: Sequence[type[Rule]], policy: FixPolicy, verb: str
) -> list[str]:
    """Why the fixes left the findings of rules with fixes, grouped, largest group first.

    ``verb``: "left" (``--fix``) or "would leave" (``--diff``). Empty when
    every such finding was fixed.
    """
    from debt_lints.fixes.unfixed import unfixed

    codes = sorted({r.code for r in rules if r.fixes})
    groups = unfixed(findings, codes, unsafe=policy.unsafe)
    if not groups:
        return []
    total = sum(g.count for g in groups)
    shown_codes = sorted({f.code for g in groups for f in g.findings})
    lines = [f"--fix {verb} {_findings(total)} of {', '.join(shown_codes)} unfixed:"]
    width = len(str(groups[0].count))
    for group in groups:
        what, action = _UNFIXED_TEXT[group.kind]
        details = Counter({d: n for d, n in group.details.items() if d})
        top = ", ".join(
            f"{detail}: {count}" for detail, count in details.most_common(_SHOWN_DETAILS)
        )
        more = len(details) - _SHOWN_DETAILS
        if more > 0:
            top += f", {more} more"
        specifics = f" ({top})" if top else ""
        line = f"  {group.count:>{width}} {_fill(what, group.files)}: {action}{specifics}"
        lines.append(line)
    first = groups[0]
    what, action = _UNFIXED_TEXT[first.kind]
    lines.append(f"Start with the {_findings(first.count)} {_fill(what, first.files)}: {action}.")
    return lines


def _fill(what: str, files: int) -> str:
    if files == 1:
        return what.format(files="1 file", do="does")
    return what.format(files=f"{files} files", do="do")


def say_note(line: str) -> None:
    from debt_lints.adapters.cli import say

    say(f"debt-lints: {line}")


def _findings(count: int) -> str:
    return f"{count} finding" if count == 1 else f"{count} findings"


def show_fixes(fixed: Sequence[Finding], verb: str) -> str:
    """``Fixed 3 findings:`` then, per file, ``1 × DL101 (deprecated-import)``, as ruff."""  # noqa: RUF002
    if not fixed:
        return ""
    lines = [f"{verb} {_findings(len(fixed))}:"]
    by_path: dict[str, Counter[tuple[str, str]]] = {}
    for finding in fixed:
        by_path.setdefault(finding.path, Counter())[(finding.code, finding.name)] += 1
    for path in sorted(by_path):
        lines.append(f"- {path}:")
        for (code, name), count in sorted(by_path[path].items()):
            lines.append(f"    {count} × {code} ({name})")  # noqa: RUF001  # ruff's wording
    return "".join(line + "\n" for line in lines)


def summary_line(findings: Sequence[Finding], policy: FixPolicy, fixed: int) -> str:
    """The closing line about fixes (``""`` when there is nothing to say), as ruff words it."""
    from debt_lints.fixes import counts

    safe, unsafe = counts(findings, policy)
    parts = []
    if fixed:
        parts.append(f"Fixed {_findings(fixed)}.")
    applicable = safe + (unsafe if policy.unsafe else 0)
    hidden = 0 if policy.unsafe else unsafe
    if applicable:
        option = "--fix --unsafe-fixes" if policy.unsafe and unsafe else "--fix"
        text = f"[*] {applicable} fixable with `debt-lints check {option}`"
        if hidden:
            text += f" ({hidden} more with `--unsafe-fixes`)"
        parts.append(text + ".")
    elif hidden:
        parts.append(f"No fixes available ({hidden} with `--unsafe-fixes`).")
    return " ".join(parts)
