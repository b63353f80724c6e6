"""Command-line options that several sub-commands share, defined once."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.config import Config


def validate_features(config: Config) -> None:
    """Validate the feature tables on every run, not only when the feature runs.

    A typo in ``[tool.debt-lints.typing]`` (or a ``mypy-config`` outside the
    root) is an error of the configuration as a whole: it must not wait for
    the first ``--typing`` run to be reported. The values are only read here.
    """
    from debt_lints.strict.settings import typing_settings

    typing_settings(config)


def add_format_option(p: argparse.ArgumentParser) -> None:
    from debt_lints.formats import FORMATS

    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format")


def add_config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")


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
