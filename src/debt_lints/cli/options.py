"""Command-line options that several sub-commands share, defined once."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.discovery import Project


def add_format_option(p: argparse.ArgumentParser) -> None:
    from debt_lints.formats import FORMATS

    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format")


def add_config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")


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
    project = Project.discover(
        paths,
        explicit=Path(args.config) if getattr(args, "config", None) else None,
        select=parse_codes(select, "--select") if select else None,
        ignore=parse_codes(ignore, "--ignore") if ignore else (),
    )
    project.gitignore = getattr(args, "respect_gitignore", None)
    return project
