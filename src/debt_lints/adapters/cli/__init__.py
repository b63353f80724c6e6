"""The ``debt-lints`` command: a thin layer over the engine and its features.

Each sub-command lives in its own module with ``add_parser(subparsers)``;
heavy imports happen inside the command's function, never at start-up.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from debt_lints import __version__

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = (
    "debt_lints.adapters.cli.check",
    "debt_lints.adapters.cli.rules",
    "debt_lints.adapters.cli.strict_typing",
    "debt_lints.adapters.cli.baseline",
    "debt_lints.adapters.cli.ratchet",
    "debt_lints.adapters.cli.lsp",
    "debt_lints.adapters.cli.report",
    "debt_lints.adapters.cli.map",
    "debt_lints.adapters.cli.clean",
    "debt_lints.adapters.cli.shims",
)
#: The module that defines each sub-command (a test keeps it equal to what the
#: modules register): a run builds the parser of its own sub-command only.
COMMAND_MODULES = {
    "check": "debt_lints.adapters.cli.check",
    "rules": "debt_lints.adapters.cli.rules",
    "rule": "debt_lints.adapters.cli.rules",
    "typing": "debt_lints.adapters.cli.strict_typing",
    "baseline": "debt_lints.adapters.cli.baseline",
    "ratchet": "debt_lints.adapters.cli.ratchet",
    "lsp": "debt_lints.adapters.cli.lsp",
    "report": "debt_lints.adapters.cli.report",
    "map": "debt_lints.adapters.cli.map",
    "clean": "debt_lints.adapters.cli.clean",
    "shims": "debt_lints.adapters.cli.shims",
}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def say(text: str) -> None:
    """Print one message line on stderr, escaped (it may quote repository names).

    A path, scope or reason from the checked repository or its baseline can
    hold newlines and terminal escapes; :func:`~debt_lints.analysis.context.terminal_safe`
    keeps each message on its one line and shows them instead of obeying them.
    """
    from debt_lints.analysis.context import terminal_safe

    try:
        print(terminal_safe(text), file=sys.stderr)
    except (BrokenPipeError, ValueError):  # stderr went away (or was closed): say nothing
        silence("stderr")


def silence(name: str) -> None:
    """Point ``sys.stdout`` or ``sys.stderr`` at the null device for the rest of the run.

    Used when the stream is closed or its reader went away (``| head``), so
    the run finishes and exits with its own status, quietly, and Python's
    final flush raises nothing.
    """
    stream = getattr(sys, name)
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    devnull = os.open(os.devnull, os.O_WRONLY)
    if fd is not None:
        try:
            os.dup2(devnull, fd)
            os.close(devnull)
            return
        except OSError:
            pass
    setattr(sys, name, os.fdopen(devnull, "w", encoding="utf-8"))


def _open_missing_streams() -> None:
    """A closed stdout or stderr (``>&-``) is ``None``: ``print(file=None)`` would write
    an error into standard output, which may be JSON for a machine. Use the null device."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def write_stdout(text: str) -> None:
    """Write the command's output; a reader that went away is no failure of the run."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence("stdout")


class UsageError(Exception):
    """A problem with how debt-lints was called or configured: exit 2, one line."""


def _columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` gives it (``COLUMNS``,
    else the terminal on standard output, else 80), without importing :mod:`shutil`:
    argparse imports it (and its compression modules) for every formatter it makes,
    and a ``check`` makes one per option while printing no help at all."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]  # None: caught
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, its width found without :mod:`shutil` (:func:`_columns`)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        # argparse's own default: the terminal's width less 2.
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help formatter is :class:`_Formatter` by default; the
    sub-commands' parsers are made of the parser's own class, so they use it too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command`` (a sub-command's name), only that
    sub-command is defined, so that a run imports and builds no other one's options.

    The sub-command's own parser, its usage, help and errors are the same
    either way (argparse names a sub-parser after the options before it).
    """
    parser = _Parser(
        prog="debt-lints",
        description="Enforce a technical-debt clean-up, with a ratcheting baseline.",
    )
    parser.add_argument("--version", action="version", version=f"debt-lints {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    module = COMMAND_MODULES.get(command or "")
    for name in COMMANDS if module is None else (module,):
        importlib.import_module(name).add_parser(sub)
    return parser


def _command_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the (sub-)sub-command ``args`` ran, or ``parser`` itself."""
    current = parser
    for dest in ("command", "baseline_command"):
        name = getattr(args, dest, None)
        actions = [
            a
            for a in current._actions  # argparse has no public accessor for sub-parsers
            if isinstance(a, argparse._SubParsersAction)
        ]
        if not name or not actions or name not in actions[0].choices:
            break
        current = actions[0].choices[name]
    return current


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script. Returns the exit status.

    Never ends in a traceback: configuration and usage problems are one line
    and exit 2, an I/O error on the user's files is one line and exit 2, and a
    bug in debt-lints itself is one line naming where it happened and exit 3
    (``DEBT_LINTS_TRACEBACK=1`` prints the whole traceback).
    """
    _open_missing_streams()
    words = list(argv if argv is not None else sys.argv[1:])
    if words == ["--version"]:
        # Answer at once, without building every sub-command's parser.
        write_stdout(f"debt-lints {__version__}\n")
        return EXIT_OK
    if words in (["lsp"], ["lsp", "--stdio"]):
        # An editor waits for the server's first answer: no parser to build.
        lsp = importlib.import_module("debt_lints.adapters.cli.lsp")
        status = _run(lambda: int(lsp.run_lsp(argparse.Namespace(command="lsp", stdio=True))))
    elif words[:1] == ["check"]:
        # Start-up creates tens of thousands of objects that live as long as the
        # process (modules, classes, the rules' tables): a one-file check spent
        # about 4% of its time having the cyclic collector walk them. It is off
        # until ``check`` has loaded what it needs; ``check`` then freezes those
        # objects (never walked again, and shared untouched with forked workers,
        # as the gc documentation advises) and turns it back on for the run.
        enabled = gc.isenabled()
        gc.disable()
        try:
            status = _main(argv)
        finally:
            gc.unfreeze()
            if enabled:
                gc.enable()
            else:
                gc.disable()
    else:
        status = _main(argv)
    for name in ("stdout", "stderr"):
        try:
            getattr(sys, name).flush()
        except (BrokenPipeError, ValueError):
            silence(name)
    return status


def console() -> NoReturn:
    """The ``debt-lints`` console script and ``python -m debt_lints``: :func:`main`, then
    the process ends without the interpreter's teardown.

    Tearing the interpreter down frees every module, class and object of the run
    one by one, which a one-file check spent about a tenth of its instructions on,
    for a process that ends anyway (mypy ends the same way). What a normal exit
    does that matters still happens: the standard streams are flushed and the
    ``atexit`` handlers run (multiprocessing's, logging's, a coverage tool's).
    With a thread other than daemons still running, the exit is a normal one.
    """
    status = main()
    _flush_streams()
    threading = sys.modules.get("threading")
    if threading is not None and any(
        not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    ):
        raise SystemExit(status)  # joined, as at a normal exit
    import atexit

    atexit._run_exitfuncs()  # what sys.exit would run first; no public name for it
    _flush_streams()  # what a handler wrote
    os._exit(status)


def _flush_streams() -> None:
    import contextlib

    for name in ("stdout", "stderr"):
        # Closed or gone: :func:`main` already made the run quiet about it.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            getattr(sys, name).flush()


def _main(argv: Sequence[str] | None) -> int:
    words = list(argv if argv is not None else sys.argv[1:])
    # The first word names the sub-command unless it is an option (``--help``):
    # then, or for a word that is no command, the whole parser answers.
    parser = build_parser(words[0] if words else None)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # argparse would blame the top-level parser and print its usage; the
        # option belongs to the sub-command, so its usage is the one that helps.
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return _run(lambda: int(args.func(args)))


def _run(command: Callable[[], int]) -> int:
    """Run a command, turning what it raises into a message and an exit status."""
    try:
        status = command()
    except UsageError as exc:
        say(f"debt-lints: error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("debt-lints: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # A reader went away (``| head``) in the middle of a command's output:
        # stop quietly, as grep does (output is cut short: not a clean run).
        silence("stdout")
        silence("stderr")
        return EXIT_FINDINGS
    except OSError as exc:
        say(f"debt-lints: error: {exc}")
        return EXIT_USAGE
    except Exception as exc:  # a bug in debt-lints: one line, not a traceback
        # Imported here: the language server's start does not wait for it.
        from debt_lints.config import ConfigError

        if isinstance(exc, ConfigError):
            say(f"debt-lints: error: {exc}")
            return EXIT_USAGE
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
