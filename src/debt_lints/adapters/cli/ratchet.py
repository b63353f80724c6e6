"""``debt-lints ratchet --base REF``: the baseline may only grow with a reason."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "ratchet",
        help="fail when the baseline gained entries without a reason since a git ref",
    )
    p.add_argument(
        "--base",
        required=True,
        metavar="REF",
        help="the git ref to compare with (a pull request's merge base)",
    )
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")
    p.set_defaults(func=run_ratchet)


def run_ratchet(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_OK
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.analysis.context import terminal_safe
    from debt_lints.baseline.gate import baseline_file
    from debt_lints.baseline.ratchet import compare_with_ref
    from debt_lints.config import display_path

    config = discover_project(args, ["."]).config
    path = baseline_file(config)
    report = compare_with_ref(path, args.base, config.root)
    name = terminal_safe(display_path(path))
    out = sys.stderr
    from debt_lints.strict.gate import strict_regressions

    regressions = strict_regressions(config, args.base)
    for module in regressions:
        sys.stdout.write(f"no longer strict: {terminal_safe(module)}\n")
    if regressions:
        out.write(
            f"debt-lints: {len(regressions)} module(s) left the strict-clean set since "
            f"{args.base}; strictness only spreads: fix their strict errors instead\n"
        )
    if report.base_missing:
        out.write(
            f"debt-lints: {name} does not exist at {args.base}: this change introduces it "
            f"({len(report.current)} entries)\n"
        )
        return EXIT_FINDINGS if regressions else EXIT_OK
    # Listed as the files read: by path, then line (the ratchet groups by identity).
    for entry in sorted(report.accepted):
        sys.stdout.write(f"accepted: {entry.describe()}: {terminal_safe(entry.reason)}\n")
    for entry in sorted(report.unexplained):
        sys.stdout.write(f"no reason: {entry.describe()}\n")
    for entry in sorted(report.suppressed):
        sys.stdout.write(f"suppressed: {entry.describe()}\n")
    out.write(
        f"debt-lints: {name} since {args.base}: {len(report.removed)} removed, "
        f"{len(report.accepted)} added with a reason, {len(report.unexplained)} added "
        f"without one, {len(report.moved)} moved with a renamed file, "
        f"{len(report.suppressed)} newly hidden by noqa comments (still debt)\n"
    )
    if report.unexplained:
        out.write(
            "debt-lints: new debt must be recorded with "
            "'debt-lints baseline add --reason \"...\"', not by regenerating the baseline\n"
        )
        return EXIT_FINDINGS
    return EXIT_FINDINGS if regressions else EXIT_OK
