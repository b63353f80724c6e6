"""``debt-lints clean``: remove the result cache of a project."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("clean", help="remove the cache (.debt-lints-cache/) of the project")
    p.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="a path in the project (default: .)"
    )
    p.add_argument("--config", metavar="FILE", help="TOML file with the [tool.debt-lints] table")
    p.set_defaults(func=run_clean)


def run_clean(args: argparse.Namespace) -> int:
    import sys

    from debt_lints.adapters.cli import EXIT_OK
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.config import display_path
    from debt_lints.running.cache import cache_dir, remove

    # The cache is at the project root of the path, wherever --config points.
    config = discover_project(args, [args.path]).config
    try:
        removed = remove(config.root)
    except OSError as exc:
        from debt_lints.adapters.cli import UsageError

        raise UsageError(
            f"cannot remove {display_path(cache_dir(config.root))}: {exc.strerror or exc}"
        ) from None
    if removed:
        print(f"removed {display_path(cache_dir(config.root))}", file=sys.stderr)
    return EXIT_OK
