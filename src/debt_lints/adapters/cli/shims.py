"""``debt-lints shims``: the compatibility modules left in place of the old copies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    from debt_lints.adapters.cli.options import add_config_option

    p = sub.add_parser(
        "shims", help="generate compatibility shims for the deprecated modules of the map"
    )
    p.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    add_config_option(p)
    p.add_argument(
        "--write",
        action="store_true",
        help="replace each old copy whose public names the replacement all provides",
    )
    p.add_argument(
        "--tests",
        metavar="FILE",
        help="also write a pytest module proving each shim re-exports its replacement",
    )
    p.set_defaults(func=run_shims)


def run_shims(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import EXIT_FINDINGS, EXIT_OK, say
    from debt_lints.adapters.cli.options import discover_project
    from debt_lints.core import safefs
    from debt_lints.core.atomic import atomic_write_text
    from debt_lints.fixes.shims import plan, shim_test_module

    # The configuration that applies at the path (a package's own, in a
    # monorepo), found as check finds it: never read from outside the project.
    config = discover_project(args, [args.path]).config_for(Path(args.path))
    shims = plan(config).shims
    if not shims:
        print("debt-lints: no deprecated-imports with a replacement", file=sys.stderr)
        return EXIT_OK
    if args.tests:
        _check_tests_target(Path(args.tests), args.write)
    if args.write:
        # Every write is checked before the first one: all or nothing is written.
        _check_shim_targets(config.root, [s for s in shims if s.generated and s.writable])
    blocked = False
    written = []
    for shim in shims:
        where = shim.relpath or shim.old
        if not shim.generated:
            print(f"{where}: no shim: {shim.problem}", file=sys.stderr)
            continue
        if shim.dropped:
            left_out = ", ".join(repr(name) for name in shim.dropped)
            say(
                f"{where}: left out of the shim: {left_out} ({shim.new}'s __all__ lists "
                "them, but they are not names it provides)"
            )
        if not args.write:
            sys.stdout.write(f"# --- {where}: {shim.old} -> {shim.new}\n{shim.text}")
        if shim.missing:
            blocked = True
            lacks = ", ".join(shim.missing)
            print(
                f"{where}: the old copy stays: {shim.new} does not provide {lacks}", file=sys.stderr
            )
            continue
        if shim.problem or not args.write:
            if shim.problem:
                print(f"{where}: not written: {shim.problem}", file=sys.stderr)
            continue
        assert shim.relpath is not None
        parts = shim.relpath.split("/")
        with safefs.open_chain(config.root, parts[:-1], create=False, heal=False) as directory:
            directory.replace(parts[-1], shim.text.encode("utf-8"), fsync=True)
        written.append(shim)
        print(f"{where}: replaced by a shim of {shim.new}", file=sys.stderr)
    if args.tests:
        # Only the shims written now: a test of an old copy left in place fails.
        if written:
            atomic_write_text(Path(args.tests), shim_test_module(written))
            print(f"debt-lints: wrote {args.tests} ({len(written)} shims)", file=sys.stderr)
        else:
            print(f"debt-lints: {args.tests} not written: no shim was written", file=sys.stderr)
    # Printing is a preview; a --write that had to leave old copies says so.
    return EXIT_FINDINGS if blocked and args.write else EXIT_OK


def _check_tests_target(target: Path, write: bool) -> None:
    """``--tests FILE`` can be written: said before any shim is written."""
    import os

    from debt_lints.adapters.cli import UsageError

    if not write:
        raise UsageError("--tests needs --write: it tests the shims written in the same run")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"--tests {target}: the folder {folder} does not exist; nothing written")
    if target.is_dir():
        raise UsageError(f"--tests {target}: is a directory; nothing written")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UsageError(f"--tests {target}: not writable; nothing written")


def _check_shim_targets(root: Path, shims: list[Any]) -> None:
    """Each old copy to replace can be replaced: said before any is."""
    import os
    import stat

    from debt_lints.adapters.cli import UsageError
    from debt_lints.core import safefs

    for shim in shims:
        assert shim.relpath is not None
        parts = shim.relpath.split("/")
        try:
            with safefs.open_chain(root, parts[:-1], create=False, heal=False) as directory:
                info = directory.lstat(parts[-1])
        except OSError as exc:
            raise UsageError(f"{shim.relpath}: {exc.strerror or exc}; nothing written") from None
        path = root / shim.relpath
        if info is not None and (
            not stat.S_IMODE(info.st_mode) & 0o222 or not os.access(path, os.W_OK)
        ):
            raise UsageError(f"{shim.relpath}: read-only (not writable by you); nothing written")
