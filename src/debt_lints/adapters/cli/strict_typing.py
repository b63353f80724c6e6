"""``debt-lints typing``: the ``mypy --strict`` ratchet."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from debt_lints.adapters.cli import say

if TYPE_CHECKING:
    from debt_lints.strict import TypingRun


def add_parser(sub: Any) -> None:
    from debt_lints.adapters.cli.options import (
        add_config_option,
        add_format_option,
        add_gate_options,
        add_trust_option,
    )

    p = sub.add_parser("typing", help="run mypy --strict and ratchet its errors")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    add_format_option(p)
    add_config_option(p)
    p.add_argument(
        "--write-mypy-config",
        action="store_true",
        help="write strict = true overrides for every strict-clean module",
    )
    p.add_argument("--modules", action="store_true", help="list each module's strictness")
    add_gate_options(p)
    add_trust_option(p)
    p.set_defaults(func=run_typing_command)


def run_typing_command(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.baseline import gate as baseline
    from debt_lints.formats import RenderContext, get_renderer
    from debt_lints.strict import typing_settings, write_mypy_config
    from debt_lints.strict.gate import typing_gate

    # The project's configuration, rooted where ``check`` roots it: the same
    # baseline, the same mypy cache.
    config = discover_project(args, args.paths or ["."]).config
    from dataclasses import replace

    settings = replace(typing_settings(config), allow_local_plugins=args.allow_local_plugins)
    gated = typing_gate(args.paths, config, settings, use_baseline=not args.no_baseline)
    run = gated.run
    # As check's summary: "All checks passed! (523 known in the baseline)".
    context = RenderContext(known=gated.known, baseline_in_use=gated.outcome is not None)
    sys.stdout.write(get_renderer(args.format)(gated.new, context))
    print_summary(run, verbose=args.modules)
    if args.write_mypy_config:
        target = settings.mypy_config or (config.root / "pyproject.toml")
        changed = write_mypy_config(target, run.strict_clean_modules(), root=config.root)
        print(
            f"debt-lints: {'updated' if changed else 'unchanged'}: {target} "
            f"({len(run.strict_clean_modules())} strict-clean modules)",
            file=sys.stderr,
        )
    for problem in run.problems:
        say(f"debt-lints: {problem}")
    from debt_lints.strict.gate import never_recorded

    why = never_recorded(gated.forced, settings)
    if why:
        say(f"debt-lints: {why}")
    status = EXIT_OK
    if gated.outcome is not None:
        status = baseline.finish(
            gated.outcome,
            ci=baseline.is_ci(args.ci),
            clean=not gated.new and not run.problems,
            fix_command=shlex.join(["debt-lints", "typing", *args.paths]),
        )
    if run.problems:
        return EXIT_INTERNAL
    if gated.new:
        return EXIT_FINDINGS
    return status


def print_summary(run: TypingRun, *, verbose: bool) -> None:
    """Strictness per module (``--modules``) and the totals, on stderr."""
    modules = [m for m in run.modules.values() if m.module]
    if verbose:
        for info in sorted(modules, key=lambda m: m.module):
            if run.problems:
                state = "not measured"
            elif info.strict_clean:
                state = "strict-clean"
            elif not info.parsed:
                state = "does not parse"
            elif info.clash:
                state = f"not checked: {info.clash} has its module name"
            else:
                state = f"{info.errors} strict errors"
            print(f"{info.module:<50} {state}", file=sys.stderr)
    clean = sum(1 for m in modules if m.strict_clean)
    functions = sum(m.functions for m in modules)
    annotated = sum(m.annotated for m in modules)
    # When mypy did not finish, nothing says which modules are clean.
    measured = "not measured (mypy failed)" if run.problems else f"{clean}/{len(modules)}"
    print(
        f"debt-lints: strict-clean modules: {measured}; "
        f"annotated functions: {annotated}/{functions}",
        file=sys.stderr,
    )
