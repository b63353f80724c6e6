"""``debt-lints check``: run the rules over files and report findings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debt_lints.config import Config


def add_parser(sub: Any) -> None:
    from debt_lints.adapters.cli.options import (
        add_config_option,
        add_discovery_options,
        add_format_option,
        add_gate_options,
        add_selection_options,
        add_trust_option,
    )

    p = sub.add_parser("check", help="check files and directories (default: .)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    add_format_option(p)
    add_selection_options(p)
    p.add_argument(
        "--statistics", action="store_true", help="print only the count of findings per code"
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print the findings only: no summary line, no notes about the baseline",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    add_config_option(p)
    add_discovery_options(p)
    p.add_argument("--output-file", metavar="FILE", help="write the report here instead of stdout")
    add_gate_options(p)
    add_trust_option(p)
    p.add_argument(
        "--typing",
        action="store_true",
        help="also run the mypy --strict ratchet: one gate, one exit status",
    )
    p.add_argument(
        "--changed-since",
        metavar="REF",
        help="only report findings on lines changed since this git ref (and untracked files)",
    )
    p.add_argument(
        "--jobs", "-j", type=_jobs, metavar="N", help="worker processes (default: CPUs available)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="with PATH '-': the name of the file read from standard input "
        "(its configuration, rules and baseline entries)",
    )
    from debt_lints.adapters.cli.fixing import add_fix_options

    add_fix_options(p)
    p.add_argument(
        "--show-settings",
        action="store_true",
        help="check nothing: print the configuration file(s), project root, baseline and "
        "settings that apply to each PATH",
    )
    p.add_argument(
        "--show-files",
        action="store_true",
        help="check nothing: list the files that would be checked, each with its configuration",
    )
    p.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, say
    from debt_lints.adapters.cli.options import discover_project, selection_words
    from debt_lints.formats import RenderContext, get_renderer
    from debt_lints.formats.style import use_color
    from debt_lints.running.runner import default_jobs, run

    paths = args.paths or ["."]
    project = discover_project(args, paths)
    if args.show_settings or args.show_files:
        from debt_lints.adapters.cli.show import show_files, show_settings

        show = show_settings if args.show_settings else show_files
        write_output(show(project, paths, args.format), args.output_file)
        return EXIT_OK
    config = project.config
    changes = None
    if args.changed_since:
        from debt_lints.adapters.cli import UsageError
        from debt_lints.running.gitdiff import GitError, changed_files_under

        try:
            # Only the changed files are analysed, so only their entries can be pruned.
            changes, paths = changed_files_under(args.changed_since, paths)
        except GitError as exc:
            raise UsageError(str(exc)) from None
    jobs = args.jobs or default_jobs()
    fixing = bool(args.fix or args.fix_only or args.diff)
    stdin = "-" in paths
    stdin_sources: dict[str, bytes] = {}
    if stdin:
        from debt_lints.adapters.cli import UsageError
        from debt_lints.running.runner import run_stdin

        if len(paths) > 1 or args.changed_since:
            raise UsageError("'-' (standard input) is checked alone, without --changed-since")
        if fixing:
            raise UsageError("--fix, --fix-only and --diff edit files; standard input is none")
        name = args.stdin_filename or "-"
        project = discover_project(args, [name])
        config = project.config
        from debt_lints.core.source import read_stream

        stream = getattr(sys.stdin, "buffer", None)  # None: closed (``<&-``)
        if stream is None:
            raise UsageError("'-': standard input is closed; there is nothing to check")
        # Bounded as a file is: standard input may be /dev/zero.
        data = read_stream(stream, project.config_for(name).max_file_size)
        _collect_from_here()
        result = run_stdin(data, name, project)
        if isinstance(data, bytes):
            from debt_lints.config import display_path

            # The code frames come from what was checked, not from the file on disk.
            stdin_sources = {(display_path(name) if name != "-" else "-"): data}
    else:
        if args.stdin_filename:
            from debt_lints.adapters.cli import UsageError

            raise UsageError("--stdin-filename needs '-' as the path to check")
        _collect_from_here()
        result = run(paths, project, jobs=jobs, cache=not args.no_cache, digests=fixing)
    for warning in result.warnings:
        say(f"debt-lints: warning: {warning}")
    from debt_lints.adapters.cli.fixing import fix_stage, summary_line

    # Everything that can stop the run is validated before --fix writes a
    # file: the baseline (its path and its content) and the typing settings.
    loaded = None
    if (args.fix or args.fix_only) and not args.diff and not args.no_baseline:
        from debt_lints.baseline import gate as baseline

        loaded = baseline.preload(config)
    typing_config = None
    if args.typing:
        from dataclasses import replace

        from debt_lints.strict import typing_settings

        typing_config = replace(
            typing_settings(config), allow_local_plugins=args.allow_local_plugins
        )
    # Fixes are settled (and applied, for --fix) before the baseline sees the
    # findings, so that it prunes what was fixed in the same, single write.
    stage = fix_stage(args, result, config)
    if stage.exit_status is not None:
        return stage.exit_status  # --diff writes nothing, the baseline included
    from debt_lints.config import display_path

    files = [display_path(source.path) for source in result.files]
    coverage = None
    if stdin:
        from debt_lints.baseline.coverage import Coverage

        # Standard input is not the file on disk: it may match entries, never prune them.
        coverage = Coverage.nothing()
    outcome = None
    if not args.no_baseline and (loaded is not None or _may_have_baseline(config)):
        from debt_lints.baseline import gate as baseline

        outcome = baseline.check(result, config, paths, coverage, loaded)
    findings = result.findings if outcome is None else outcome.new
    known = [] if outcome is None else outcome.known
    typing = None
    if typing_config is not None:
        from debt_lints.core.model import Finding
        from debt_lints.strict.gate import typing_gate

        typing = typing_gate(args.paths, config, typing_config, use_baseline=not args.no_baseline)
        findings = sorted([*findings, *typing.new], key=Finding.sort_key)
        known = [*known, *typing.known]
    if changes is not None:
        # After the baseline saw every finding of the analysed files: filtering
        # first would make their known debt on unchanged lines look fixed.
        findings = changes.filter(findings)
    gates = [outcome, typing.outcome if typing is not None else None]
    ci = False
    if any(g is not None for g in gates):
        from debt_lints.baseline import gate as baseline

        ci = baseline.is_ci(args.ci)
    # In CI a stale baseline fails the run (exit 4): never "All checks passed!" above it.
    stale = sum(len(g.stale) + len(g.flag_changes) for g in gates if g is not None) if ci else 0
    text = get_renderer(args.format)(
        findings,
        RenderContext(
            show_statistics=args.statistics,
            known=known,
            files=files,
            baseline_in_use=outcome is not None,
            root=config.root,
            unsafe_fixes=stage.policy.unsafe,
            fix_summary=summary_line(findings, stage.policy, stage.fixed),
            partial_files=result.partial,
            color=use_color(sys.stdout if args.output_file is None else None),
            quiet=args.quiet,
            sources=stdin_sources,
            stale=stale,
        ),
    )
    if not stage.fix_only:
        write_output(text, args.output_file)
    from debt_lints.adapters.cli.fixing import say_note

    for note in stage.notes:
        say_note(note)
    for error in result.internal_errors:
        say(f"debt-lints: {error}")
    problems = list(typing.run.problems) if typing is not None else []
    for problem in problems:
        say(f"debt-lints: {problem}")
    clean = not findings and not result.internal_errors and not problems
    status = EXIT_OK
    for gate in gates:
        if gate is not None:
            from debt_lints.baseline import gate as baseline

            fix = baseline.fix_command(
                args.paths,
                select=args.select,
                ignore=args.ignore,
                config=args.config,
                extra=[*selection_words(args), *(["--typing"] if typing is not None else [])],
            )
            gate_status = baseline.finish(
                gate, ci=ci, clean=clean, fix_command=fix, quiet=args.quiet
            )
            status = status or gate_status
    if result.internal_errors or problems or stage.errors:
        return EXIT_INTERNAL
    if stage.fix_only:
        return EXIT_OK
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return status


def _collect_from_here() -> None:
    """What start-up loaded lives until the process ends: the cyclic collector, off
    while it loaded (:func:`debt_lints.adapters.cli.main`), never walks it again,
    and collects what the run creates."""
    import gc

    if not gc.isenabled():  # called through the command line's ``main``
        gc.freeze()
        gc.enable()


def _may_have_baseline(config: Config) -> bool:
    """False only when the baseline file surely does not exist, so that a check
    without one never imports the baseline machinery (start-up of a one-file run).

    A configured path the gate would refuse (outside the root) is left to the
    gate, which says so.
    """
    from debt_lints.config import ConfigError, inside_root

    try:
        path = inside_root(config.root, config.baseline, "baseline")
    except ConfigError:
        return True
    return os.path.lexists(path)


def write_output(text: str, output_file: str | None) -> None:
    if output_file is None:
        from debt_lints.adapters.cli import write_stdout

        write_stdout(text)
        return
    from debt_lints.core.atomic import atomic_write_text, is_special_file

    target = Path(output_file)
    if is_special_file(target):
        # /dev/null, /dev/stdout, a FIFO: stream into it; replacing it would
        # put a regular file where the device or pipe was.
        with target.open("w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
        return
    atomic_write_text(target, text)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of processes, got {text!r}")
    return value
