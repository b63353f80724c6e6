"""``debt-lints report``: totals, trend and pull-request summary of the baseline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debt_lints.baseline.store import Baseline
    from debt_lints.report.data import Comparison, Report

FORMATS = ("text", "markdown", "json", "html")


def _depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_parser(sub: Any) -> None:
    p = sub.add_parser("report", help="where the recorded debt stands: totals, trend, PR summary")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument(
        "--depth",
        type=_depth,
        default=2,
        metavar="N",
        help="directory levels for the per-directory totals (default: 2)",
    )
    p.add_argument(
        "--base",
        metavar="REF",
        help="compare with the baseline at this git ref: fixed / new / net (a PR's merge base)",
    )
    p.add_argument(
        "--no-history",
        action="store_true",
        help="skip the trend from the baseline's git history",
    )
    p.add_argument(
        "--typing",
        action="store_true",
        help="add strict-clean modules and annotated functions per top-level package",
    )
    p.add_argument("--baseline", metavar="FILE", help="the baseline file (default: configured)")
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")
    p.add_argument("--output-file", metavar="FILE", help="write the report here instead of stdout")
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_OK, UsageError
    from debt_lints.adapters.cli.check import write_output
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.baseline.gate import baseline_file, no_longer_checked
    from debt_lints.baseline.store import load
    from debt_lints.config import display_path
    from debt_lints.engine.registry import all_rules
    from debt_lints.report.data import Report

    project = discover_project(args, ["."])
    config = project.config
    path = Path(args.baseline) if args.baseline else baseline_file(config)
    baseline = load(path)
    if baseline is None:
        raise UsageError(
            f"{display_path(path)}: no baseline file (create one with 'debt-lints baseline create')"
        )
    # Debt of files or rules the configuration no longer checks (excluded,
    # ignored by .gitignore, per-file-ignores, not selected): the next check
    # removes it, and until then it is not counted.
    dropped, unreachable = no_longer_checked(project, config)
    out = [e for e in baseline.entries if dropped(e.path) or unreachable(e.path, e.code)]
    gone = {id(e) for e in out}
    report = Report(
        baseline=display_path(path),
        entries=[e for e in baseline.entries if id(e) not in gone],
        depth=args.depth,
        rule_names={rule.code: rule.name for rule in all_rules()},
        excluded=len(out),
    )
    if not args.no_history:
        from debt_lints.report.history import trend

        report.trend, report.unreadable = trend(path)
    if args.base:
        report.comparison = _compare(baseline, path, args.base, config.root)
    if args.typing:
        from debt_lints.strict import typing_settings
        from debt_lints.strict.gate import targets
        from debt_lints.strict.summary import typing_summary

        settings = typing_settings(config)
        report.typing = typing_summary(
            targets((), settings, config.root), config, baseline.entries, baseline.options
        )
    write_output(_render(report, args.format), args.output_file)
    return EXIT_OK


def _compare(current: Baseline, path: Path, ref: str, root: Path) -> Comparison:
    """The baseline against its version at ``ref`` (the ratchet's classification)."""
    from debt_lints.baseline.ratchet import compare, show_at_ref
    from debt_lints.baseline.store import parse
    from debt_lints.report.data import Comparison

    text = show_at_ref(path, ref)
    if text is None:
        from debt_lints.report.data import is_typing

        return Comparison(
            ref,
            0,
            fixed=(),
            new=tuple(e for e in current.entries if not is_typing(e.code)),
            base_missing=True,
            typing_new=tuple(e for e in current.entries if is_typing(e.code)),
        )
    from debt_lints.report.data import is_typing

    base = parse(text, f"{ref}:{path.name}")
    result = compare(base, current, root)
    # Listed as the files read: by path, then line (the ratchet groups by identity).
    fixed = tuple(sorted(result.removed))
    new = tuple(sorted(result.accepted + result.unexplained))
    # Strict-typing debt is counted apart: adopting typing is not new rule debt.
    return Comparison(
        base=ref,
        base_total=sum(1 for e in base.entries if not is_typing(e.code)),
        fixed=tuple(e for e in fixed if not is_typing(e.code)),
        new=tuple(e for e in new if not is_typing(e.code)),
        moved=tuple(sorted(result.moved)),
        suppressed=tuple(sorted(result.suppressed)),
        base_typing_total=sum(1 for e in base.entries if is_typing(e.code)),
        typing_fixed=tuple(e for e in fixed if is_typing(e.code)),
        typing_new=tuple(e for e in new if is_typing(e.code)),
    )


def _render(report: Report, fmt: str) -> str:
    if fmt == "html":
        from debt_lints.adapters.cli import UsageError
        from debt_lints.report.html import MissingDependency, render_html

        try:
            return render_html(report)
        except MissingDependency as exc:
            raise UsageError(str(exc)) from None
    from debt_lints.report import render

    renderers = {
        "text": render.render_text,
        "markdown": render.render_markdown,
        "json": render.render_json,
    }
    return renderers[fmt](report)
