"""The ``debt-lints`` command: a thin layer over the engine and its features.

Each sub-command lives in its own module with ``add_parser(subparsers)``;
heavy imports happen inside the command's function, never at start-up.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from debt_lints import __version__

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = (
    "debt_lints.cli.check",
    "debt_lints.cli.rules",
    "debt_lints.cli.strict_typing",
    "debt_lints.cli.baseline",
    "debt_lints.cli.ratchet",
    "debt_lints.cli.lsp",
    "debt_lints.cli.report",
    "debt_lints.cli.clean",
    "debt_lints.cli.shims",
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A problem with how debt-lints was called or configured: exit 2, one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debt-lints",
        description="Enforce a technical-debt clean-up, with a ratcheting baseline.",
    )
    parser.add_argument("--version", action="version", version=f"debt-lints {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script. Returns the exit status.

    Never ends in a traceback: configuration and usage problems are one line
    and exit 2, an I/O error on the user's files is one line and exit 2, and a
    bug in debt-lints itself is one line naming where it happened and exit 3
    (``DEBT_LINTS_TRACEBACK=1`` prints the whole traceback).
    """
    if list(argv if argv is not None else sys.argv[1:]) == ["--version"]:
        # Answer at once, without building every sub-command's parser.
        sys.stdout.write(f"debt-lints {__version__}\n")
        return EXIT_OK
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from debt_lints.config import ConfigError

    try:
        status: int = args.func(args)
    except (ConfigError, UsageError) as exc:
        print(f"debt-lints: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("debt-lints: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as grep does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except OSError as exc:
        print(f"debt-lints: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug in debt-lints: one line, not a traceback
        if os.environ.get("DEBT_LINTS_TRACEBACK"):
            raise
        import traceback

        frames = traceback.extract_tb(exc.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        print(
            f"debt-lints: internal error: {type(exc).__name__}: {exc}{where} "
            "(set DEBT_LINTS_TRACEBACK=1 for the traceback; please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return status
