"""The bandit plugin: the debt-lints rules with security metadata as bandit tests.

Each rule whose class declares ``security = Security(cwe=..., confidence=...,
bandit_severity=...)`` is a bandit test whose id is the rule's code (``DL302``)
and whose name is the rule's name with underscores (``insecure_bind_all``), so
``# nosec DL302``, ``# nosec insecure_bind_all``, ``bandit -t DL302`` and
``-s DL302`` work as for bandit's own tests. The entry points in
``pyproject.toml`` (group ``bandit.plugins``) name the tests; the functions are
built here from the registry on first access.

How a rule-level engine meets bandit's node-level tests: bandit walks each
file itself and calls a test with a context for every node of the kinds the
test declares, and a test returns at most one issue per call. The engine runs
once per file, on the first call (the result is cached until bandit moves to
the next file), on the tree bandit parsed (found through the parent links
bandit sets); each finding is then handed back when bandit visits the node
it was reported on, recognised by kind and exact position, so bandit's
``# nosec`` handling applies to it exactly as to bandit's own tests (the
node's lines and the issue's line). The tests ask bandit for statements,
calls, f-strings and string literals only (:func:`checks`); a finding on
another node (a name, a number, a class header) comes back at the innermost
of those around it, still with its own line and column, and a finding with
none around it at bandit's end-of-file ("File") call.

As ``debt-lints check`` and the flake8 and pylint plugins do, findings the
project's baseline records (known debt) are not reported;
``DEBT_LINTS_SHOW_KNOWN=1`` in the environment reports them too.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from debt_lints.core.model import Finding, Rule
from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_CODE, bandit_rules, bandit_test_name
from debt_lints.hosts.session import HostSession, internal_error_text

LOG = logging.getLogger(__name__)

#: The node kinds a debt-lints test asks bandit for. Every statement (bandit
#: tests all but class definitions), calls, f-strings and string and bytes
#: literals (which bandit announces as ``Str`` and ``Bytes``, docstrings
#: excepted). A finding on any other expression comes back at the innermost
#: of these around it, at its own line and column. Asking for fewer kinds keeps
#: bandit fast and its "nosec encountered, but no failed test" warnings (one
#: per visited node of a ``# nosec DL302`` line that has no finding) few.
_EXPRESSIONS = ("Call", "JoinedStr")


def _statement_kinds() -> tuple[str, ...]:
    names: set[str] = set()
    stack: list[type] = [ast.stmt]
    while stack:
        cls = stack.pop()
        subclasses: list[type] = cls.__subclasses__()
        stack.extend(subclasses)
        if not subclasses and cls.__module__ == "ast" and cls is not ast.ClassDef:
            names.add(cls.__name__)
    return tuple(sorted(names))


_STATEMENTS = frozenset(_statement_kinds())


def checks() -> list[str]:
    """The ``@checks`` of every debt-lints bandit test, each node kind once."""
    return [*sorted(_STATEMENTS), *_EXPRESSIONS, "Str", "Bytes", "File"]


def _check_name(node: ast.AST, parent: ast.AST | None) -> str | None:
    """How bandit announces ``node`` to a debt-lints test, or ``None`` if it does not."""
    if isinstance(node, ast.Constant):
        if isinstance(parent, ast.Expr):  # bandit skips docstrings and bare strings
            return None
        if isinstance(node.value, str):
            return "Str"
        if isinstance(node.value, bytes):
            return "Bytes"
        return None
    name = type(node).__name__
    return name if name in _STATEMENTS or name in _EXPRESSIONS else None


# (check name, line, column, end line, end column): how a node is recognised
# again when bandit visits it (bandit parses the same bytes, so positions agree).
NodeKey = tuple[str, int, int, int, int]


def _key(node: ast.AST, name: str) -> NodeKey | None:
    end_line = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    if end_line is None or end_col is None:
        return None
    return (name, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), end_line, end_col)


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(node, parent) in bandit's order: depth first, fields in order, the root excluded."""
    stack: list[tuple[ast.AST, ast.AST]] = [(child, tree) for child in ast.iter_child_nodes(tree)]
    stack.reverse()
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))


@dataclass
class FilePlan:
    """Where each finding of one file is handed back to bandit."""

    #: (node key, rule code) -> the finding bandit gets when it visits that node.
    at_node: dict[tuple[NodeKey, str], Finding] = field(default_factory=dict)
    #: Rule code -> findings left for the end-of-file call (bandit takes one).
    at_end: dict[str, list[Finding]] = field(default_factory=dict)
    #: (rule code, or ``None`` for every rule) -> why it could not check the file.
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    #: The file's lines, for bandit's byte columns.
    lines: list[str] = field(default_factory=list)

    def byte_column(self, finding: Finding) -> int:
        """The finding's 0-based column in UTF-8 bytes, as bandit reports columns."""
        if 1 <= finding.line <= len(self.lines):
            return len(self.lines[finding.line - 1][: finding.column - 1].encode("utf-8"))
        return finding.column - 1


Span = tuple[int, int, int, int]


def plan(
    tree: ast.AST, findings: list[Finding], char_column: Callable[[int, int], int]
) -> FilePlan:
    """Assign every finding to the node where bandit will report it.

    ``char_column(line, byte_col)`` converts ``ast``'s byte offsets into the
    0-based character columns findings use.
    """
    out = FilePlan()
    pending: dict[Span, dict[str, list[Finding]]] = {}
    for finding in findings:
        span = (finding.line, finding.column - 1, finding.end_line, finding.end_column - 1)
        pending.setdefault(span, {}).setdefault(finding.code, []).append(finding)
    testable: list[tuple[NodeKey, Span]] = []
    for node, parent in _walk(tree):
        name = _check_name(node, parent)
        key = _key(node, name) if name else None
        if key is None:
            continue
        _, line, col, end_line, end_col = key
        span = (line, char_column(line, col), end_line, char_column(end_line, end_col))
        testable.append((key, span))
        for code, waiting in pending.get(span, {}).items():
            if waiting and (key, code) not in out.at_node:
                out.at_node[(key, code)] = waiting.pop(0)
    for by_code in pending.values():
        for code, waiting in by_code.items():
            for finding in waiting:
                home = _innermost_free(testable, finding, out)
                if home is not None:
                    out.at_node[(home, code)] = finding
                else:
                    out.at_end.setdefault(code, []).append(finding)
    return out


def _innermost_free(
    testable: list[tuple[NodeKey, Span]], finding: Finding, out: FilePlan
) -> NodeKey | None:
    """The innermost node bandit tests around the finding (last in pre-order), if free."""
    position = (finding.line, finding.column - 1)
    home = None
    for key, (line, col, end_line, end_col) in testable:
        if (line, col) <= position < (end_line, end_col) and (key, finding.code) not in out.at_node:
            home = key
    return home


class _Files:
    """The plan of the file bandit is visiting now (bandit checks one file at a time)."""

    def __init__(self) -> None:
        self.session: HostSession | None = None
        self.file_data: Any = None
        self.filename: str | None = None
        self.plan = FilePlan()

    def plan_for(self, context: Any) -> FilePlan:
        file_data = context.file_data
        filename = context.filename
        if file_data is not self.file_data or filename != self.filename:
            # Hold the file object: its identity tells this file from the next one.
            self.file_data, self.filename = file_data, filename
            self.plan = self._make_plan(file_data, filename, context.node)
        return self.plan

    def _make_plan(self, file_data: Any, filename: str, node: ast.AST | None) -> FilePlan:
        try:
            return self._checked(file_data, filename, node)
        except Exception as exc:  # a bug in debt-lints must not cost bandit's other tests
            return FilePlan(problems=[(None, f"internal error: {internal_error_text(exc)}")])

    def _checked(self, file_data: Any, filename: str, node: ast.AST | None) -> FilePlan:
        from debt_lints.analysis.context import FileContext
        from debt_lints.core.source import SourceProblem, decode_python
        from debt_lints.engine.walk import parse_python

        if self.session is None:
            # Known debt (the project's baseline) is hidden, as in debt-lints
            # check and the flake8 and pylint plugins; bandit has no option a
            # plugin can add, so DEBT_LINTS_SHOW_KNOWN=1 reports it too.
            self.session = HostSession(use_baseline=not show_known())
        position = file_data.tell()
        try:
            file_data.seek(0)
            data = file_data.read()
        finally:
            file_data.seek(position)
        text = decode_python(data) if isinstance(data, bytes) else data
        if isinstance(text, SourceProblem):
            return FilePlan()  # bandit reports and skips files it cannot parse
        text = text.removeprefix("\ufeff")
        # bandit's own tree, parsed from the same bytes, found through the parent
        # links bandit sets while it walks; parsed again only for an empty file.
        tree: ast.AST | SourceProblem | None = _bandit_root(node)
        if tree is None:
            tree = parse_python(text, filename)
        if isinstance(tree, SourceProblem):
            return FilePlan()
        only = frozenset(r.code for r in bandit_rules())
        result = self.session.check(text, filename, tree=tree, only=only)
        context = FileContext(filename, filename, text)
        out = plan(tree, result.findings, context.char_column)
        out.lines = context.lines
        if result.config_error:
            out.problems.append((None, f"configuration error: {result.config_error}"))
        for error in result.internal_errors:
            out.problems.append((error.rule[:5], f"internal error in {error.rule}: {error.detail}"))
        return out


#: Set to anything but ``""``, ``0`` or ``false``: report known debt too.
SHOW_KNOWN_VARIABLE = "DEBT_LINTS_SHOW_KNOWN"


def show_known() -> bool:
    """Whether ``DEBT_LINTS_SHOW_KNOWN`` asks for the findings the baseline records."""
    import os

    value = os.environ.get(SHOW_KNOWN_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "false")


def _bandit_root(node: ast.AST | None) -> ast.Module | None:
    """The module bandit is walking, from any node it has visited."""
    while node is not None and not isinstance(node, ast.Module):
        node = getattr(node, "_bandit_parent", None)
    return node


_FILES = _Files()


def _make_test(rule: type[Rule]) -> Callable[[Any], Any]:
    # bandit ships no type information.
    from bandit.core import issue as bandit_issue  # type: ignore[import-untyped]
    from bandit.core import test_properties

    security = rule.security
    assert security is not None

    def make_issue(finding: Finding, col_offset: int) -> Any:
        return bandit_issue.Issue(
            severity=security.bandit_severity,
            confidence=security.confidence,
            cwe=security.cwe,
            text=finding.message,
            test_id=rule.code,
            lineno=finding.line,
            col_offset=col_offset,
        )

    def test(context: Any) -> Any:
        current = _FILES.plan_for(context)
        node = context.node
        if node is None:  # the end-of-file call
            problems = [why for code, why in current.problems if code in {None, rule.code}]
            if problems:
                return bandit_issue.Issue(
                    severity="LOW",
                    confidence="HIGH",
                    text=f"{PLUGIN_ERROR_CODE} debt-lints could not check this file: "
                    + "; ".join(problems),
                    test_id=rule.code,
                    lineno=1,
                )
            left = current.at_end.get(rule.code)
            if not left:
                return None
            if len(left) > 1:
                LOG.warning(
                    "%s: %d more %s findings bandit has no node to report at: lines %s",
                    context.filename,
                    len(left) - 1,
                    rule.code,
                    ", ".join(str(f.line) for f in left[1:]),
                )
            return make_issue(left[0], current.byte_column(left[0]))
        parent = getattr(node, "_bandit_parent", None)
        name = _check_name(node, parent)
        key = _key(node, name) if name else None
        if key is None:
            return None
        finding = current.at_node.get((key, rule.code))
        if finding is None:
            return None
        return make_issue(finding, current.byte_column(finding))

    test.__name__ = bandit_test_name(rule)
    test.__doc__ = f"{rule.code} {rule.name}: {rule.summary}."
    test = test_properties.test_id(rule.code)(test)
    checked: Callable[[Any], Any] = test_properties.checks(*checks())(test)
    return checked


def __getattr__(name: str) -> Callable[[Any], Any]:
    """The bandit test named in an entry point (``insecure_bind_all``), built on first use."""
    for rule in bandit_rules():
        if bandit_test_name(rule) == name:
            built = _make_test(rule)
            globals()[name] = built
            return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
