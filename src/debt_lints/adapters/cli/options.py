"""Command-line options that several sub-commands share, defined once."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.config import Config
    from debt_lints.discovery import Project

#: ``--output-format`` values for ``check``: ruff's ``full`` (a code frame, the
#: default, as in ruff since 0.5) and ``concise`` (one line a finding), then the
#: machine formats. ``text`` is the spelling of ``concise`` before 0.2 and stays.
DEFAULT_OUTPUT_FORMAT = "full"


def validate_features(config: Config) -> None:
    """Validate the feature tables on every run, not only when the feature runs.

    A typo in ``[tool.debt-lints.typing]`` (or a ``mypy-config`` outside the
    root) is an error of the configuration as a whole: it must not wait for
    the first ``--typing`` run to be reported. The values are only read here.
    """
    if not config.table("typing"):
        return  # nothing to validate: the defaults (and no import of the feature)
    from debt_lints.strict.settings import typing_settings

    typing_settings(config)


def add_format_option(p: argparse.ArgumentParser) -> None:
    """``--output-format`` (ruff's name), with ``--format`` as an alias."""
    from debt_lints.formats import FORMATS

    p.add_argument(
        "--output-format",
        "--format",
        dest="format",
        choices=sorted(FORMATS),
        default=DEFAULT_OUTPUT_FORMAT,
        metavar="FORMAT",
        help=f"{', '.join(sorted(FORMATS))} (default: {DEFAULT_OUTPUT_FORMAT}; text is concise)",
    )


def add_config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")


def add_selection_options(p: argparse.ArgumentParser) -> None:
    """Which rules run and which files are checked, over the configuration (as in ruff)."""
    p.add_argument(
        "--select",
        metavar="CODES",
        help="only these codes or prefixes (DL2,DL301); replaces select",
    )
    p.add_argument(
        "--extend-select", metavar="CODES", help="these codes or prefixes too, on top of select"
    )
    p.add_argument("--ignore", metavar="CODES", help="skip these codes or prefixes")
    p.add_argument(
        "--exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns to skip; replaces exclude (and its defaults)",
    )
    p.add_argument(
        "--extend-exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns to skip, on top of exclude",
    )


def _patterns(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


def apply_selection(
    args: argparse.Namespace, config: Config
) -> tuple[Config, tuple[str, ...] | None, tuple[str, ...]]:
    """The configuration with ``--exclude``/``--extend-exclude`` applied, and the
    ``select``/``ignore`` selectors the command line asks for.

    As in ruff, ``--select`` replaces the configured ``select``,
    ``--extend-select`` adds to whichever applies, ``--ignore`` adds to the
    configured ignores, ``--exclude`` replaces ``exclude`` and
    ``--extend-exclude`` adds to ``extend-exclude``.
    """
    from debt_lints.config import parse_codes

    select = parse_codes(args.select, "--select") if getattr(args, "select", None) else None
    ignore = parse_codes(args.ignore, "--ignore") if getattr(args, "ignore", None) else ()
    if getattr(args, "extend_select", None):
        extra = parse_codes(args.extend_select, "--extend-select")
        base = select if select is not None else config.select
        select = (*(base if base is not None else ("DL",)), *extra)
    changes: dict[str, object] = {}
    if getattr(args, "exclude", None) is not None:
        changes["exclude"] = _patterns(args.exclude)
    if getattr(args, "extend_exclude", None):
        changes["extend_exclude"] = (*config.extend_exclude, *_patterns(args.extend_exclude))
    return (config.with_overrides(**changes) if changes else config), select, ignore


def selection_words(args: argparse.Namespace) -> list[str]:
    """The selection options as given, to repeat them in a suggested command."""
    words: list[str] = []
    for flag in ("--extend-select", "--exclude", "--extend-exclude"):
        value = getattr(args, flag[2:].replace("-", "_"), None)
        if value is not None:
            words += [flag, value]
    return words


def add_trust_option(p: argparse.ArgumentParser) -> None:
    """``--allow-local-plugins``: the one way to let mypy run code of the checkout."""
    p.add_argument(
        "--allow-local-plugins",
        action="store_true",
        help="let mypy load plugins and run interpreters found inside the checked tree "
        "(only for a checkout you trust; the repository's configuration cannot set this)",
    )


def add_gate_options(p: argparse.ArgumentParser) -> None:
    """``--no-baseline`` and ``--ci``: how a gate uses the baseline."""
    p.add_argument("--no-baseline", action="store_true", help="ignore the baseline file")
    p.add_argument(
        "--ci",
        action="store_true",
        help="never write the baseline; exit 4 when it is stale (default when CI is set)",
    )


def add_discovery_options(p: argparse.ArgumentParser) -> None:
    """How files are found: ``--no-respect-gitignore``."""
    p.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        default=None,
        help="also check what .gitignore files ignore",
    )


def discover_project(args: argparse.Namespace, paths: Sequence[str]) -> Project:
    """The run's project from the shared options (``--config``, ``--select``, ...).

    The project root comes from ``paths`` (see :mod:`debt_lints.discovery`);
    ``--config`` only supplies settings.
    """
    from pathlib import Path

    from debt_lints.config import parse_codes
    from debt_lints.discovery import Project

    select = getattr(args, "select", None)
    ignore = getattr(args, "ignore", None)
    extend = getattr(args, "extend_select", None)

    def adjust(config: Config) -> Config:
        # --exclude/--extend-exclude as apply_selection applies them, to each
        # configuration of the run (a nested pyproject.toml's too).
        return apply_selection(args, config)[0]

    project = Project.discover(
        paths,
        explicit=Path(args.config) if getattr(args, "config", None) else None,
        select=parse_codes(select, "--select") if select else None,
        ignore=parse_codes(ignore, "--ignore") if ignore else (),
        extend_select=parse_codes(extend, "--extend-select") if extend else (),
        adjust=adjust,
    )
    project.gitignore = getattr(args, "respect_gitignore", None)
    validate_features(project.config)
    return project
