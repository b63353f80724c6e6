"""``debt-lints baseline create|add|merge``: write and merge the baseline file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debt_lints.adapters.cli import say

if TYPE_CHECKING:
    from debt_lints.baseline.coverage import Coverage
    from debt_lints.baseline.gate import Written
    from debt_lints.config import Config
    from debt_lints.running.runner import RunResult


def add_parser(sub: Any) -> None:
    p = sub.add_parser("baseline", help="record, extend and merge the baseline of known debt")
    commands = p.add_subparsers(dest="baseline_command", metavar="ACTION", required=True)

    create = commands.add_parser("create", help="record every current finding as known debt")
    _run_options(create)
    create.add_argument(
        "--force",
        action="store_true",
        help="replace the entries this run re-checks in an existing baseline",
    )
    create.set_defaults(func=run_create)

    add = commands.add_parser("add", help="record new findings as known debt, with a reason")
    _run_options(add)
    add.add_argument("--reason", required=True, help="why this debt is accepted (recorded)")
    add.set_defaults(func=run_add)

    merge = commands.add_parser(
        "merge", help="three-way merge of baseline files (a git merge driver: %%O %%A %%B)"
    )
    merge.add_argument("base", metavar="BASE", help="the common ancestor's version")
    merge.add_argument("ours", metavar="OURS", help="our version; the result is written here")
    merge.add_argument("theirs", metavar="THEIRS", help="their version")
    merge.set_defaults(func=run_merge)


def _run_options(p: argparse.ArgumentParser) -> None:
    from debt_lints.adapters.cli.options import (
        add_config_option,
        add_discovery_options,
        add_selection_options,
    )

    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    add_selection_options(p)
    add_config_option(p)
    add_discovery_options(p)
    p.add_argument(
        "--typing", action="store_true", help="also record the mypy --strict errors (see typing)"
    )
    from debt_lints.adapters.cli.options import add_trust_option

    add_trust_option(p)


def _run(args: argparse.Namespace) -> tuple[Config, RunResult, list[str], Coverage | None]:
    from debt_lints.adapters.cli import UsageError
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.running.runner import default_jobs, run

    paths = args.paths or ["."]
    import os

    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        # ``check`` reports a missing path as a file it cannot read; recorded,
        # that finding would be debt nobody can ever fix.
        raise UsageError(f"{missing[0]}: no such file or directory; nothing was recorded")
    project = discover_project(args, paths)
    config = project.config
    # The cache and the workers of ``check``: recording the baseline of a
    # large tree costs what checking it costs.
    result = run(paths, project, jobs=default_jobs(), cache=True)

    for error in result.internal_errors:
        say(f"debt-lints: {error}")
    if result.internal_errors:
        # A rule that crashed on a file found nothing there: recording that
        # would turn its entries stale. Refuse rather than write a wrong file.
        raise UsageError("internal errors above; the baseline was not written")
    if not args.typing:
        return config, result, paths, None
    from debt_lints.strict.gate import with_typing

    merged, coverage, problems, skipped = with_typing(
        result, config, args.paths, allow_local_plugins=args.allow_local_plugins
    )
    for problem in problems:
        say(f"debt-lints: {problem}")
    if problems:
        raise UsageError("mypy failed (above); the baseline was not written")
    if skipped:
        say(f"debt-lints: not recorded: {skipped}")
    return config, merged, paths, coverage


def _report_skipped(written: Written) -> int:
    """Name each finding that could not be recorded; the exit status that asks for."""
    from debt_lints.adapters.cli import EXIT_OK, EXIT_USAGE

    for finding in written.skipped:
        say(f"debt-lints: {finding.path}: outside the project root, not recorded")
    # Asked to record them and did not: that is no success.
    return EXIT_USAGE if written.skipped else EXIT_OK


def run_create(args: argparse.Namespace) -> int:
    from debt_lints.baseline import gate
    from debt_lints.config import display_path

    config, result, paths, coverage = _run(args)
    written = gate.create(
        result, config, paths, force=args.force, coverage=coverage, typing=args.typing
    )
    status = _report_skipped(written)
    parts = [f"{len(written.added)} new"]
    if written.removed:
        parts.append(f"{len(written.removed)} removed")
    noun = "entry" if written.total == 1 else "entries"
    print(
        f"debt-lints: wrote {display_path(written.path)}: {written.total} {noun} "
        f"({', '.join(parts)})",
        file=sys.stderr,
    )
    return status


def run_add(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import UsageError
    from debt_lints.baseline import gate
    from debt_lints.config import display_path

    reason = " ".join(args.reason.split())
    if not reason:
        raise UsageError("--reason must say why the debt is accepted")
    from debt_lints.analysis.context import terminal_safe

    config, result, _, _ = _run(args)
    written = gate.add(result, config, reason=reason, typing=args.typing)
    status = _report_skipped(written)
    for finding, _entry in written.added:
        sys.stdout.write(
            terminal_safe(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} ")
        )
        sys.stdout.write(f"{terminal_safe(finding.message)}\n")
    name = display_path(written.path)
    if written.added:
        print(
            f"debt-lints: added {len(written.added)} to {name} with reason {reason!r}",
            file=sys.stderr,
        )
    else:
        print(f"debt-lints: nothing to add: {name} already covers every finding", file=sys.stderr)
    return status


def run_merge(args: argparse.Namespace) -> int:
    from debt_lints.baseline.merge import merge_files

    merge_files(Path(args.base), Path(args.ours), Path(args.theirs))
    return 0
