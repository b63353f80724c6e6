"""The pylint plugin: every debt-lints rule as a pylint message.

Load it with ``--load-plugins debt_lints.pylint`` or ``load-plugins =
["debt_lints.pylint"]`` in ``[tool.pylint.main]``. Each rule is a message whose
symbol is the rule's name (``sys-path-injection``), so ``# pylint:
disable=sys-path-injection`` works, with a stable id in pylint's range for
external checkers (:func:`debt_lints.plugin_ids.pylint_message_id`, table in ``docs/plugins.md``).

A thin adapter: the module's source is read through astroid
(``node.root().stream()``), which is what pylint checked, including a file
given with ``--from-stdin`` by an editor; the engine checks it with the
``[tool.debt-lints]`` configuration found above the file (or
``--debt-lints-config``); the findings become messages with line, column, end
line and end column. Only the rules whose messages are enabled run.

As ``debt-lints check`` does, findings the project's baseline records (known
debt) are not reported; ``--debt-lints-show-known=y`` reports them too.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pylint.checkers import BaseChecker
from pylint.constants import WarningScope
from pylint.interfaces import HIGH

from debt_lints.hosts.plugin_ids import (
    PLUGIN_ERROR_CODE,
    PLUGIN_ERROR_SYMBOL,
    pylint_rules,
)
from debt_lints.hosts.plugin_ids import pylint_message_id as message_id
from debt_lints.hosts.session import HostSession, internal_error_text

if TYPE_CHECKING:
    from astroid import nodes  # type: ignore[import-untyped]  # astroid ships no py.typed
    from pylint.lint import PyLinter
    from pylint.typing import ExtraMessageOptions, MessageDefinitionTuple


def _messages() -> dict[str, MessageDefinitionTuple]:
    # Line-scoped: messages carry a line, not an astroid node (the engine walks ``ast``).
    line_scope: ExtraMessageOptions = {"scope": WarningScope.LINE}
    msgs: dict[str, MessageDefinitionTuple] = {
        message_id(PLUGIN_ERROR_CODE): (
            "debt-lints could not check this file: %s",
            PLUGIN_ERROR_SYMBOL,
            "A bug in debt-lints or an unusable [tool.debt-lints] configuration; "
            "the other files are still checked.",
            line_scope,
        )
    }
    for rule in pylint_rules():
        msgs[message_id(rule.code, rule.severity)] = (
            "%s",
            rule.name,
            f"{rule.summary} ({rule.code}). `debt-lints rule {rule.code}` explains it.",
            line_scope,
        )
    return msgs


class DebtLintsChecker(BaseChecker):
    """Runs the enabled debt-lints rules once per module."""

    name = "debt-lints"
    msgs = _messages()
    options = (
        (
            "debt-lints-config",
            {
                "default": "",
                "type": "string",
                "metavar": "<file>",
                "help": "TOML file with the [tool.debt-lints] table (default: the "
                "nearest pyproject.toml above each module that has one).",
            },
        ),
        (
            "debt-lints-show-known",
            {
                "default": False,
                "type": "yn",
                "metavar": "<y or n>",
                "help": "Also report the findings the project's debt-lints baseline "
                "records (known debt, hidden by default as in debt-lints check).",
            },
        ),
    )

    def __init__(self, linter: PyLinter) -> None:
        super().__init__(linter)
        self._session: HostSession | None = None
        self._only: frozenset[str] = frozenset()

    def open(self) -> None:
        """Start of a run: read the option, note which rules have enabled messages."""
        self._session = HostSession(
            self.linter.config.debt_lints_config or None,
            use_baseline=not self.linter.config.debt_lints_show_known,
        )
        self._only = frozenset(
            rule.code
            for rule in pylint_rules()
            if self.linter.is_message_enabled(message_id(rule.code, rule.severity))
        )

    def visit_module(self, node: nodes.Module) -> None:
        """Check the module's source as pylint read it."""
        try:
            self._check(node)
        except Exception as exc:  # a bug in debt-lints must not stop pylint's run
            self._plugin_error(f"internal error: {internal_error_text(exc)}")

    def _check(self, node: nodes.Module) -> None:
        if self._session is None:
            self.open()
        assert self._session is not None
        stream = node.root().stream()
        if stream is None:  # a module built without source: nothing to check
            return
        with stream:
            data = stream.read()
        filename = node.root().file or f"{node.root().name}.py"
        result = self._session.check(data, filename, only=self._only)
        for finding in result.findings:
            self.add_message(
                finding.name,
                line=finding.line,
                col_offset=finding.column - 1,
                end_lineno=finding.end_line,
                end_col_offset=finding.end_column - 1,
                args=(finding.message,),
                confidence=HIGH,
            )
        for problem in result.problems():
            self._plugin_error(problem)

    def _plugin_error(self, why: str) -> None:
        if self.linter.is_message_enabled(PLUGIN_ERROR_SYMBOL):
            self.add_message(PLUGIN_ERROR_SYMBOL, line=1, args=(why,))
        else:  # never silent: the user disabled the message, not the problem
            print(f"debt-lints: {self.linter.current_file}: {why}", file=sys.stderr)


def register(linter: PyLinter) -> None:
    """Entry point of ``--load-plugins debt_lints.pylint``."""
    linter.register_checker(DebtLintsChecker(linter))
