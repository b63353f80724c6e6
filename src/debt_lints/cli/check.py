"""``debt-lints check``: run the rules over files and report findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    from debt_lints.formats import FORMATS

    p = sub.add_parser("check", help="check files and directories (default: .)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format")
    p.add_argument("--select", metavar="CODES", help="only these codes or prefixes (DL2,DL301)")
    p.add_argument("--ignore", metavar="CODES", help="skip these codes or prefixes")
    p.add_argument("--statistics", action="store_true", help="count findings per code")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")
    p.add_argument("--output-file", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--no-baseline", action="store_true", help="ignore the baseline file")
    p.add_argument(
        "--ci",
        action="store_true",
        help="never write the baseline; exit 4 when it is stale (default when CI is set)",
    )
    p.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    from debt_lints.baseline import gate as baseline
    from debt_lints.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK
    from debt_lints.config import load_config, parse_codes
    from debt_lints.formats import RenderContext, get_renderer
    from debt_lints.runner import enabled_rules, run

    paths = args.paths or ["."]
    config = load_config(start=Path(paths[0]), explicit=Path(args.config) if args.config else None)
    select = parse_codes(args.select, "--select") if args.select else None
    ignore = parse_codes(args.ignore, "--ignore") if args.ignore else ()
    rules = enabled_rules(config, select, ignore)
    result = run(paths, config, rules)
    from debt_lints.config import display_path

    files = [display_path(source.path) for source in result.files]
    outcome = None if args.no_baseline else baseline.check(result, config, paths)
    findings = result.findings if outcome is None else outcome.new
    known = [] if outcome is None else outcome.known
    text = get_renderer(args.format)(
        findings, RenderContext(show_statistics=args.statistics, known=known, files=files)
    )
    write_output(text, args.output_file)
    for error in result.internal_errors:
        print(f"debt-lints: {error}", file=sys.stderr)
    status = EXIT_OK
    if outcome is not None:
        status = baseline.finish(
            outcome,
            ci=baseline.is_ci(args.ci),
            clean=not findings and not result.internal_errors,
            fix_command=baseline.fix_command(
                args.paths, select=args.select, ignore=args.ignore, config=args.config
            ),
        )
    if result.internal_errors:
        return EXIT_INTERNAL
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return status


def write_output(text: str, output_file: str | None) -> None:
    if output_file is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from debt_lints.atomic import atomic_write_text

    atomic_write_text(Path(output_file), text)
