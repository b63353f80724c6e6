"""The flake8 plugin: every debt-lints rule as a ``DLxxx`` flake8 code.

Registered as ``DL = "debt_lints.adapters.flake8:DebtLintsChecker"`` in the
``flake8.extension`` entry-point group. A thin adapter: flake8 gives the tree it
parsed and the lines it read (from disk or standard input), the engine checks
them with the ``[tool.debt-lints]`` configuration found above the file (or
``--debt-lints-config``), and the findings go back as flake8 tuples.

Selection happens twice, in order: ``select``/``ignore``/``per-file-ignores``
of ``[tool.debt-lints]`` decide which rules run (as for ``debt-lints check``);
flake8's own ``--select``/``--extend-select``/``--ignore``/``--per-file-ignores``
and ``# noqa`` then filter what is shown. DL001 is never reported: flake8
reports a file it cannot parse as E999 and runs no plugin on it, and E999
cannot be baselined; in a legacy repository ``debt-lints check`` (the
pre-commit hook) gates unparsable files with DL001 and the baseline, and
flake8 runs ``--select DL`` (docs/plugins.md).

As ``debt-lints check`` does, findings the project's baseline records (known
debt) are not reported; ``--debt-lints-show-known`` reports them too.

If debt-lints cannot check a file (a bug in a rule or in this adapter, or an
unusable configuration), flake8's run goes on: the file gets one ``DL000``
finding on line 1 that says why.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from debt_lints import __version__

Result = tuple[int, int, str, type[Any]]


class DebtLintsChecker:
    """A flake8 AST plugin running every enabled debt-lints rule once per file."""

    name = "debt-lints"
    version = __version__

    #: Set once per flake8 run by :meth:`parse_options`.
    config_file: ClassVar[str | None] = None
    disable_noqa: ClassVar[bool] = False
    show_known: ClassVar[bool] = False
    _session: ClassVar[Any] = None

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        """Register ``--debt-lints-config`` (also ``debt-lints-config =`` in flake8's config)."""
        option_manager.add_option(
            "--debt-lints-config",
            metavar="FILE",
            default=None,
            parse_from_config=True,
            help="TOML file with the [tool.debt-lints] table "
            "(default: the nearest pyproject.toml above each file that has one)",
        )
        option_manager.add_option(
            "--debt-lints-show-known",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="also report the findings the project's debt-lints baseline records "
            "(known debt, hidden by default as in debt-lints check)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Start a new run: forget configurations cached by a previous one.

        An unusable ``--debt-lints-config`` stops flake8 at once with a clear
        message, as a bad flake8 option does.
        """
        cls.config_file = getattr(options, "debt_lints_config", None) or None
        cls.disable_noqa = bool(getattr(options, "disable_noqa", False))
        cls.show_known = bool(getattr(options, "debt_lints_show_known", False))
        cls._session = None
        if cls.config_file:
            error = cls.session().explicit_error
            if error:
                # flake8 ships no type information.
                from flake8.exceptions import ExecutionError  # type: ignore[import-untyped]

                raise ExecutionError(f"debt-lints: {error}")

    @classmethod
    def session(cls) -> Any:
        """The per-run (per-process, with ``--jobs``) cache of configurations and rule sets."""
        if cls._session is None:
            from debt_lints.engine.walk import SYNTAX_ERROR_CODE
            from debt_lints.hosts.session import HostSession

            cls._session = HostSession(
                cls.config_file, skip={SYNTAX_ERROR_CODE}, use_baseline=not cls.show_known
            )
        return cls._session

    def run(self) -> Iterator[Result]:
        """Yield ``(line, column0, "DLxxx message", type)`` for every finding."""
        try:
            results = list(self._results())
        except Exception as exc:  # flake8 aborts the whole run on a plugin exception
            from debt_lints.hosts.session import internal_error_text

            results = [self._plugin_error(f"internal error: {internal_error_text(exc)}")]
        yield from results

    def _results(self) -> Iterator[Result]:
        from debt_lints.hosts.session import HostSession

        session: HostSession = self.session()
        result = session.check(
            "".join(self.lines), self.filename, tree=self.tree, noqa=not self.disable_noqa
        )
        for finding in result.findings:
            yield (
                finding.line,
                finding.column - 1,
                f"{finding.code} {finding.message}",
                type(self),
            )
        for problem in result.problems():
            yield self._plugin_error(problem)

    def _plugin_error(self, why: str) -> Result:
        from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_CODE

        return (
            1,
            0,
            f"{PLUGIN_ERROR_CODE} debt-lints could not check this file: {why}",
            type(self),
        )
