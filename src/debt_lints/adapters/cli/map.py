"""``debt-lints map``: copied modules, import cycles, unused modules and dead copies."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debt_lints.config import Config

FORMATS = ("text", "markdown", "json")


def add_parser(sub: Any) -> None:
    from debt_lints.adapters.cli.options import add_config_option

    p = sub.add_parser(
        "map",
        help="map the repository: copied module families, import cycles, unused modules",
    )
    p.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="a path in the project (default: .)"
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument(
        "--write-config",
        action="store_true",
        help="add the suggested deprecated-imports to [tool.debt-lints] (existing entries kept)",
    )
    add_config_option(p)
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.set_defaults(func=run_map)


def run_map(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_OK, UsageError
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.analysis.repograph import Repository
    from debt_lints.checkers.structure.duplicate_module import DuplicateModule
    from debt_lints.checkers.structure.import_cycle import ImportCycle
    from debt_lints.checkers.structure.unused_module import UnusedModule
    from debt_lints.config import display_path
    from debt_lints.repo import report
    from debt_lints.running.runner import default_jobs, run

    start = Path(args.path)
    if not start.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    explicit = Path(args.config) if args.config else None
    # The project's configuration, rooted where check roots it: the map is of
    # the whole project, as the whole-repository rules see it (not of the
    # folder of a package's own table, nor of the folder of --config).
    config = discover_project(args, [args.path]).config
    rules = (ImportCycle, UnusedModule, DuplicateModule)
    result = run(
        [str(config.root)],
        config,
        rules,
        jobs=args.jobs or default_jobs(),
        cache=not args.no_cache,
        repository=True,
    )
    repository = result.repository or Repository({})
    repo_map = report.compute(repository, config.settings)
    if args.format == "json":
        sys.stdout.write(report.to_json(repo_map))
    else:
        sys.stdout.write(report.to_text(repo_map, markdown=args.format == "markdown"))
    if args.write_config:
        target = explicit or _write_target(config)
        from debt_lints.index import project_for
        from debt_lints.index.environment import installed

        # Never an entry that points nowhere (DL003): its fixes would all be refused.
        index = project_for(config)
        entries = {}
        for old, new in repo_map.deprecated_imports().items():
            if index.find_module(new) is not None or installed(new):
                entries[old] = new
            else:
                print(
                    f"debt-lints: {old} -> {new} not written: {new} is not importable"
                    " from the project root",
                    file=sys.stderr,
                )
        added = report.write_config(target, entries)
        print(
            f"debt-lints: {len(added)} deprecated-imports entr{'y' if len(added) == 1 else 'ies'} "
            f"added to {display_path(target)}",
            file=sys.stderr,
        )
    for line in result.warnings:
        print(f"debt-lints: warning: {line}", file=sys.stderr)
    return EXIT_OK


def _write_target(config: Config) -> Path:
    """The project's own ``pyproject.toml``, which must lie inside the project root.

    A configuration found above the root (a parent folder's table the
    repository inherits) belongs to other projects too: the map of this one
    is never written there, nor through a link that leaves the root.
    """
    from debt_lints.config import ConfigError, inside_root

    root = config.root
    source = config.source
    if source is not None:
        absolute = Path(os.path.abspath(source))
        if absolute.parent != root and root not in absolute.parents:
            raise ConfigError(
                f"map --write-config: the project's configuration {source} is outside the "
                f"project root {root}; add a [tool.debt-lints] table to {root / 'pyproject.toml'}"
                " or name the file to update with --config"
            )
    target = source if source is not None else root / "pyproject.toml"
    inside_root(root, target, "map --write-config")
    return target
