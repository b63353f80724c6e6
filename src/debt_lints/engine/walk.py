"""The rule engine: one walk over each tree, dispatching nodes to rules.

The CLI, the pylint, flake8 and bandit plugins and the language server are
thin adapters over :func:`check_file`, :func:`check_source` and
:func:`analyze_tree`. The engine never imports or executes the code it
checks, and never raises for bad input: a file that cannot be read, decoded
or parsed becomes one DL001 finding.
"""

from __future__ import annotations

import ast
import gc
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import ClassVar

from debt_lints.analysis.context import FileContext, YamlScalar, printable, split_lines
from debt_lints.analysis.nodes import MANY, ONE, count_walked, field_kinds, generating
from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.core.model import Calls, Finding, Rule
from debt_lints.core.record import Record, replace
from debt_lints.core.settings import Settings
from debt_lints.core.source import SourceProblem, decode_python, decode_text, read_bytes
from debt_lints.engine import noqa

PYTHON_SUFFIXES = (".py", ".pyi")
YAML_SUFFIXES = (".yaml", ".yml")
#: Where a file's result keeps the repository facts it was decided with
#: (``FileContext.inputs``): a cached result is checked again when one changes.
INPUTS_KEY = "inputs"
NOTEBOOK_SUFFIXES = (".ipynb",)
SYNTAX_ERROR_CODE = "DL001"


VisitorFn = Callable[[ast.AST, FileContext], None]
_Visitors = Sequence[tuple[type[Rule], VisitorFn]]
YamlVisitorFn = Callable[[YamlScalar, FileContext], None]


class InternalError(Record):
    """A rule (or the engine) raised on a file: a bug in debt-lints, never the user's."""

    __slots__ = ("detail", "path", "rule")
    path: str
    rule: str
    detail: str

    def __init__(self, path: str, rule: str, detail: str) -> None:
        self.path = path
        self.rule = rule
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.path}: internal error in {self.rule}: {self.detail}"


class FileResult(Record):
    """What checking one file produced."""

    __slots__ = (
        "deferred",
        "deferred_hidden",
        "findings",
        "internal_errors",
        "partial",
        "path",
        "summary",
        "suppressed",
    )
    path: str
    findings: list[Finding]
    internal_errors: list[InternalError]
    #: What the collectors extracted (``{collector.key: JSON-ready value}``), for
    #: the project index; cached with the findings.
    summary: dict[str, object]
    #: Findings the project phase decides (``FileContext.defer``), noqa applied.
    deferred: list[tuple[Finding, object]]

    #: Findings a ``noqa`` comment hid: still debt (the baseline keeps their entries).
    suppressed: list[Finding]
    #: Deferred findings a ``noqa`` comment hid: what the project phase confirms
    #: of them is suppressed debt, never a fix.
    deferred_hidden: list[tuple[Finding, object]]
    #: The file did not parse: the rules ran on what :mod:`debt_lints.recovery` recovered.
    partial: bool

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        path: str,
        findings: list[Finding] | None = None,
        internal_errors: list[InternalError] | None = None,
        summary: dict[str, object] | None = None,
        deferred: list[tuple[Finding, object]] | None = None,
        suppressed: list[Finding] | None = None,
        deferred_hidden: list[tuple[Finding, object]] | None = None,
        partial: bool = False,
    ) -> None:
        self.path = path
        self.findings = [] if findings is None else findings
        self.internal_errors = [] if internal_errors is None else internal_errors
        self.summary = {} if summary is None else summary
        self.deferred = [] if deferred is None else deferred
        self.suppressed = [] if suppressed is None else suppressed
        self.deferred_hidden = [] if deferred_hidden is None else deferred_hidden
        self.partial = partial


class Collector(Rule):
    """Something that rides the engine's walk to extract facts, and never reports.

    It visits nodes exactly as a rule does (``visit_<NodeType>`` methods, one
    instance per run, guarded like a rule), is told when a file starts and
    ends, and returns a JSON-ready value that goes to
    :attr:`FileResult.summary` under :attr:`key`. The project index
    (:mod:`debt_lints.index`) uses one to extract each file's facts in the
    same walk as the rules. Collectors are not rules of the registry: they
    have no code a user can select.
    """

    code = "collector"
    name = "collector"
    summary = ""
    message = ""
    #: The key of this collector's value in :attr:`FileResult.summary`.
    key: ClassVar[str] = "collector"

    def start(self, ctx: FileContext) -> None:
        """A new file begins (per-file state is reset here)."""

    def finish(self, tree: ast.AST, ctx: FileContext) -> object:
        """The file's walk is over: its JSON-ready value."""
        return None

    def unparsable(self) -> object:
        """The value for a file that cannot be decoded or parsed (``None``: nothing)."""
        return None


class RuleSet:
    """Instantiated rules and the dispatch tables built from what they visit.

    ``collectors`` (instances of :class:`Collector`) ride the same walk.
    """

    def __init__(
        self,
        rules: Sequence[type[Rule]],
        settings: Settings,
        collectors: Sequence[Collector] = (),
        *,
        use_evidence: bool = True,
        narrow: bool = True,
        root: str | os.PathLike[str] | None = None,
        later: Sequence[str] = (),
    ) -> None:
        self.rule_types = tuple(rules)
        #: The folder the checked files' relative paths start from (the configuration's),
        #: when known: rules may read repository facts below it (``FileContext.root``).
        self.root = None if root is None else os.fspath(root)
        #: Every selected code, those of :attr:`later` too: what ``noqa`` comments,
        #: DL002 and :meth:`wants` judge against.
        self.codes = frozenset(r.code for r in rules) | frozenset(later)
        #: Codes of whole-repository rules: a noqa naming one cannot be judged per file.
        self.project_codes = frozenset(r.code for r in rules if issubclass(r, ProjectRule))
        self.collectors = tuple(collectors)
        self.settings = settings
        self.instances: list[Rule] = [r(settings) for r in rules if not r.builtin]
        self.instances.extend(self.collectors)
        self._use_evidence = use_evidence
        self._narrow_calls = narrow
        #: Selected rules not imported yet, with their evidence as lower-case text: each
        #: is imported the first time a file holds some of it (:meth:`load_evidenced`),
        #: and never for a run whose files hold none (see :meth:`lazily`).
        self.later: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if later:
            from debt_lints.engine.registry import catalogue

            entries = catalogue()
            self.later = tuple((code, _words(code, entries[code][3])) for code in later)
            if not use_evidence:
                self._load([code for code, _ in self.later])
        self._build()

    def _build(self) -> None:
        """The dispatch tables, from :attr:`instances` (again after a rule is loaded)."""
        self.dispatch: dict[type[ast.AST], list[tuple[type[Rule], VisitorFn]]] = {}
        self.yaml_visitors: list[tuple[type[Rule], YamlVisitorFn]] = []
        #: The walk's per-node-type plans, built by :func:`analyze_tree` on first use,
        #: one for each set of rules a file's evidence leaves out.
        self.walk_plans: dict[frozenset[type[Rule]], object] = {}
        #: Rules that declare evidence, with it as lower-case text (``Rule.evidence``).
        self.evidence: tuple[tuple[type[Rule], tuple[str, ...]], ...] = ()
        #: The calls and string constants each rule's visitor can act on
        #: (``Rule.wanted_calls``, ``Rule.wanted_strings``); ``narrow=False`` calls every visitor
        #: on every node of its type.
        self.call_filters: dict[type[Rule], Calls] = {}
        self.string_filters: dict[type[Rule], re.Pattern[str]] = {}
        #: The walk plans' tables of call names (:meth:`_WalkPlan.learn_call`), shared by
        #: the plans that keep the same call visitors (most skip only other rules).
        self.call_tables: dict[
            tuple[type[Rule], ...], dict[str | None, tuple[_Visitors, tuple[_Visitors, ...] | None]]
        ] = {}
        #: :meth:`without_collectors`' view, with the dispatch size it was made from.
        self._collector_free: tuple[int, RuleSet] | None = None
        if self._use_evidence:
            self.evidence = tuple(
                (type(rule), words)
                for rule in self.instances
                if (words := _evidence_words(type(rule))) is not None
            )
        for rule in self.instances:
            for attr in dir(type(rule)):
                if attr.startswith("visit_yaml_scalar"):
                    self.yaml_visitors.append((type(rule), getattr(rule, attr)))
                elif attr.startswith("visit_"):
                    node_type = getattr(ast, attr[len("visit_") :], None)
                    if not (isinstance(node_type, type) and issubclass(node_type, ast.AST)):
                        raise TypeError(f"{type(rule).__name__}.{attr}: no such ast node type")
                    self.dispatch.setdefault(node_type, []).append(
                        (type(rule), getattr(rule, attr))
                    )
                    if self._narrow_calls:
                        self._narrow(type(rule), node_type)
        # Subclass dispatch is not needed: ast node types are concrete leaves.

    def load_evidenced(self, lowered: str) -> None:
        """Import the rules of :attr:`later` whose evidence ``lowered`` (a file's text in
        lower case) holds: the others cannot report on it."""
        if self.later:
            self._load([code for code, words in self.later if any(w in lowered for w in words)])

    def load_all(self) -> None:
        """Import every rule of :attr:`later` (a YAML file: the evidence is Python's)."""
        self._load([code for code, _ in self.later])

    def _load(self, codes: Sequence[str]) -> None:
        if not codes:
            return
        from debt_lints.engine.registry import load

        loaded = [load(code) for code in codes]
        self.later = tuple((code, words) for code, words in self.later if code not in codes)
        # In code order, as the registry selects them: the order the visitors run in.
        self.rule_types = tuple(sorted([*self.rule_types, *loaded], key=_code))
        rules = [r(self.settings) for r in loaded if not r.builtin]
        rules.extend(r for r in self.instances if not isinstance(r, Collector))
        rules.sort(key=_code)
        self.instances = [*rules, *self.collectors]
        self._build()

    def _narrow(self, rule: type[Rule], node_type: type[ast.AST]) -> None:
        if node_type is ast.Call:
            calls = getattr(rule, "wanted_calls", None)
            if calls is not None:
                if not isinstance(calls, Calls):
                    raise TypeError(f"{rule.__name__}.wanted_calls: give a Calls, or None")
                self.call_filters[rule] = calls
        elif node_type is ast.Constant:
            strings = getattr(rule, "wanted_strings", None)
            if strings is not None:
                if not isinstance(strings, re.Pattern) or not isinstance(strings.pattern, str):
                    raise TypeError(f"{rule.__name__}.wanted_strings: give a str pattern, or None")
                self.string_filters[rule] = strings

    def wants(self, code: str) -> bool:
        return code in self.codes

    def without_evidence(self, text: str, lowered: str | None = None) -> frozenset[type[Rule]]:
        """The rules whose evidence ``text`` (a file's source) lacks: none can report on it.

        ``lowered``: ``text.lower()``, when the caller has it already.
        """
        if not self.evidence:
            return _NOTHING_SKIPPED
        if lowered is None:
            lowered = text.lower()
        seen: dict[str, bool] = {}
        skipped = []
        for rule, words in self.evidence:
            for word in words:
                found = seen.get(word)
                if found is None:
                    found = seen[word] = word in lowered
                if found:
                    break
            else:
                skipped.append(rule)
        return frozenset(skipped) if skipped else _NOTHING_SKIPPED

    def without_collectors(self) -> RuleSet:
        """This set with no collector: the same rule instances, dispatch and settings.

        What a recovered tree is walked with. A file that does not parse keeps the
        facts of an unparsable file (:meth:`Collector.unparsable`), so whatever the
        collectors would extract from the tree :mod:`debt_lints.recovery` gives is
        thrown away; with the repository's collectors on (``DL6``) that costs more
        than the rules' walk. The rules are the same instances, so what they report
        (and defer to the project phase) is unchanged. Made once, and again if the
        dispatch table changed; ``self`` when there is no collector.
        """
        if not self.collectors:
            return self
        known = self._collector_free
        if known is not None and known[0] == len(self.dispatch):
            return known[1]
        import copy  # only a run that meets a damaged file needs it

        kinds = tuple(type(collector) for collector in self.collectors)
        view = copy.copy(self)
        view.collectors = ()
        view.later = ()  # loaded into ``self``, which then makes a new view
        view.instances = [rule for rule in self.instances if not isinstance(rule, kinds)]
        view.dispatch = {}
        for node_type, visitors in self.dispatch.items():
            kept = [(rule, visit) for rule, visit in visitors if not issubclass(rule, kinds)]
            if kept:
                view.dispatch[node_type] = kept
        view.yaml_visitors = [(r, v) for r, v in self.yaml_visitors if not issubclass(r, kinds)]
        view.evidence = tuple((r, w) for r, w in self.evidence if not issubclass(r, kinds))
        # Call tables are keyed by the rules that visit calls: sharing them is safe.
        view.walk_plans = {}
        view._collector_free = None
        self._collector_free = (len(self.dispatch), view)
        return view


_NOTHING_SKIPPED: frozenset[type[Rule]] = frozenset()


def _code(rule: type[Rule] | Rule) -> str:
    return rule.code


def imported_when_needed(codes: Sequence[str]) -> tuple[list[type[Rule]], list[str]]:
    """The rules ``codes`` (of the registry): those to import now, and the codes of
    those to import once a file needs them (``RuleSet(now, ..., later=later)``).

    A rule that declares evidence (``Rule.evidence``, read from the generated
    catalogue) is imported the first time a file's text holds some of it: on a file
    that holds none it would not run anyway. Rules without evidence and the opt-in
    ones (the whole-repository rules) are imported at once. So a one-file check
    imports the rules that can report on that file, and no other.
    """
    from debt_lints.engine.registry import catalogue, load

    entries = catalogue()
    now: list[type[Rule]] = []
    later: list[str] = []
    for code in codes:
        _, _, opt_in, evidence, _ = entries[code]
        if evidence is None or opt_in:
            now.append(load(code))
        else:
            later.append(code)
    return now, later


def _evidence_words(rule: type[Rule]) -> tuple[str, ...] | None:
    """A rule's evidence as lower-case text; ``None`` (every file) when it declares none."""
    evidence = getattr(rule, "evidence", None)
    return None if evidence is None else _words(rule.__name__, evidence)


def _words(name: str, evidence: Sequence[bytes] | None) -> tuple[str, ...]:
    words = tuple(word.decode("ascii").lower() for word in evidence or ())
    if not words or not all(words):
        raise TypeError(f"{name}.evidence: give non-empty byte strings, or None")
    return words


def syntax_finding(path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    from debt_lints.engine.registry import load

    rule = load(SYNTAX_ERROR_CODE)
    # One line in every report format, whatever the parser or codec said.
    message = printable(" ".join(message.split())) or rule.message
    return Finding(
        path=printable(path),
        line=max(line, 1),
        column=max(column, 1),
        code=rule.code,
        end_line=max(line, 1),
        end_column=max(column, 1),
        name=rule.name,
        message=message,
        severity=rule.severity,
        scope="",
        snippet=message,
    )


class SyntaxProblem(SourceProblem):
    """A syntax error (or a NUL byte): the rest of the file can be recovered."""

    __slots__ = ("error",)
    _uncompared = ("error",)
    _unshown = ("error",)
    #: The parser's error, which recovery starts from (``None``: a NUL byte's).
    error: SyntaxError | None

    def __init__(
        self, message: str, line: int = 1, column: int = 1, error: SyntaxError | None = None
    ) -> None:
        super().__init__(message, line, column)
        object.__setattr__(self, "error", error)  # frozen: as @dataclass(frozen=True) sets it


def parse_python(text: str, path: str) -> ast.Module | SourceProblem:
    """``ast.parse`` that turns every way parsing can fail into a problem.

    A :class:`SyntaxProblem` is one that :mod:`debt_lints.recovery` can work
    around; a file too deep or too large for the parser is not retried.
    """
    try:
        with warnings.catch_warnings():
            # The parser warns about the checked code ("invalid escape
            # sequence"): not ours to print, and under -W error or
            # PYTHONWARNINGS=error the warning would become a SyntaxError.
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=path)
    except SyntaxError as exc:  # includes IndentationError, TabError
        if exc.lineno is None and "\0" in text:
            # Python 3.11 reports null bytes without a position.
            return _null_byte(text, exc.msg)
        line = exc.lineno or 1
        column = exc.offset or 1
        return SyntaxProblem(f"cannot parse: {exc.msg}", line, column, exc)
    except ValueError as exc:  # null bytes on Python < 3.11.4
        return _null_byte(text, str(exc))
    except RecursionError:
        # CPython itself refuses to compile such a file (its compiler raises
        # the same error), so this is the file's problem, not ours.
        return SourceProblem(
            "cannot parse: too deeply nested for the Python parser (RecursionError)"
        )
    except MemoryError as exc:
        # The parser raises MemoryError when its own stack overflows
        # ("too complex to parse"), not only when memory runs out.
        detail = str(exc) or "too deeply nested or too large for the Python parser"
        return SourceProblem(f"cannot parse: {detail} (MemoryError)")


def _null_byte(text: str, message: str) -> SourceProblem:
    before = split_lines(text[: max(text.find("\0"), 0)])
    if before and not before[-1].endswith(("\n", "\r")):
        line, column = len(before), len(before[-1]) + 1
    else:
        line, column = len(before) + 1, 1
    return SyntaxProblem(f"cannot parse: {message}", line, column)


#: Records the parents of a node's children and pushes those that are no leaves:
#: ``(node, parents, push, leaves)``.
_Pusher = Callable[
    [ast.AST, dict[ast.AST, ast.AST], Callable[[ast.AST], None], set[type[ast.AST]]], None
]
_PUSHERS: dict[tuple[tuple[str, int], ...], _Pusher | None] = {}


def _pusher(fields: tuple[tuple[str, int], ...]) -> _Pusher | None:
    """The walk's step over a node type's child fields, as straight-line code.

    Generated once per field layout (as ``dataclasses`` and ``attrs`` generate
    their methods): attribute loads the interpreter specialises, instead of a
    loop that calls ``getattr`` and tests each field's kind, which was most of
    the walk's own cost. Every field is read before anything is pushed, so a
    node missing one (a tree built by hand) raises before it changes anything,
    and the walk takes the general loop. ``None``: no child field, or a field
    whose kind the signature does not tell. Compiling one costs a few thousand
    nodes' walk: the plans ask for them once the process has walked
    :data:`~debt_lints.analysis.nodes.GENERATE_AFTER` nodes (a one-file check
    compiles none).
    """
    if fields in _PUSHERS:
        return _PUSHERS[fields]
    pusher: _Pusher | None = None
    if fields and all(kind in (ONE, MANY) and name.isidentifier() for name, kind in fields):
        reads = [f"    f{i} = node.{name}" for i, (name, _) in enumerate(fields)]
        pushes = []
        for i, (_, kind) in enumerate(fields):
            if kind == ONE:
                pushes.append(
                    f"    if f{i} is not None:\n"
                    f"        parents[f{i}] = node\n"
                    f"        if type(f{i}) not in leaves:\n"
                    f"            push(f{i})"
                )
            else:
                pushes.append(
                    f"    if f{i}:\n"
                    f"        for item in reversed(f{i}):\n"
                    "            if item is not None:\n"
                    "                parents[item] = node\n"
                    "                if type(item) not in leaves:\n"
                    "                    push(item)"
                )
        source = "\n".join(["def push_children(node, parents, push, leaves):", *reads, *pushes])
        namespace: dict[str, object] = {}
        # Generated from the ast module's own field names (identifiers), nothing read
        # from the checked code.
        exec(compile(source, "<debt-lints walk>", "exec"), namespace)
        pusher = namespace["push_children"]  # type: ignore[assignment]
    _PUSHERS[fields] = pusher
    return pusher


#: How a step picks its visitors: all of them, by the call's name, by the constant's value.
_ALL, _BY_CALL, _BY_STRING = 0, 1, 2
#: Bound on a plan's table of call names (a long editor session meets many).
_MAX_CALL_NAMES = 1 << 16


class _WalkPlan:
    """What the walk does with each node type, for one rule set (built as types are met).

    ``steps[type]`` is ``(visitors, child fields and their kinds, is an import,
    how visitors are picked)``; ``leaves`` are the types with no visitor, no
    import to record and no child that can hold a node (names, constants,
    operators, unless a rule visits them): the walk records their parent and
    never pushes them, which saves a third of its work.

    Calls go by name: ``calls[name]`` is ``(visitors, variants)``, the visitors
    whose rules want a call of that name (``Rule.wanted_calls``), and when some want it
    only through an import or with keywords, the four lists for (imported,
    has keywords), so that a call costs one look-up instead of a Python call
    per rule. String constants go through the rules' patterns (``Rule.wanted_strings``),
    one ``search`` each; other constants reach only the rules that want them all.
    """

    def __init__(self, rules: RuleSet, skipped: frozenset[type[Rule]]) -> None:
        self.source = rules.dispatch
        self.size = len(rules.dispatch)
        self.dispatch = rules.dispatch
        if skipped:
            self.dispatch = {}
            for node_type, visitors in rules.dispatch.items():
                kept = [(rule, visit) for rule, visit in visitors if rule not in skipped]
                if kept:
                    self.dispatch[node_type] = kept
        self.with_contexts = any(issubclass(t, ast.expr_context) for t in self.dispatch)
        self.steps: dict[
            type[ast.AST],
            tuple[_Visitors, tuple[tuple[str, int], ...], bool, int, _Pusher | None],
        ] = {}
        self.leaves: set[type[ast.AST]] = set()
        self.call_filters = rules.call_filters
        call_rules = tuple(rule for rule, _ in self.dispatch.get(ast.Call, ()))
        self.calls = rules.call_tables.setdefault(call_rules, {})
        constants = self.dispatch.get(ast.Constant, ())
        #: Constant visitors of rules that want every constant; the patterns of the others.
        self.every_constant: _Visitors = tuple(
            (rule, visit) for rule, visit in constants if rule not in rules.string_filters
        )
        self.string_searches = tuple(
            rules.string_filters[rule].search
            for rule, _ in constants
            if rule in rules.string_filters
        )
        self.string_rules = [
            (rule, visit, rules.string_filters.get(rule)) for rule, visit in constants
        ]
        #: The steps are generated code (:func:`_pusher`), else the general loop
        #: (:func:`debt_lints.analysis.nodes.generating`): made again once that changes.
        self.generated = generating()

    def learn(self, node_type: type[ast.AST]) -> None:
        visitors = self.dispatch.get(node_type, ())
        fields = field_kinds(node_type, self.with_contexts)
        is_import = node_type in (ast.Import, ast.ImportFrom)
        how = _ALL
        if visitors and node_type is ast.Call:
            if any(rule in self.call_filters for rule, _ in visitors):
                how = _BY_CALL
        elif visitors and node_type is ast.Constant and self.string_searches:
            how = _BY_STRING
        pusher = _pusher(fields) if self.generated else None
        self.steps[node_type] = (visitors, fields, is_import, how, pusher)
        if not visitors and not fields and not is_import:
            self.leaves.add(node_type)

    def learn_call(self, name: str | None) -> tuple[_Visitors, tuple[_Visitors, ...] | None]:
        """The call visitors for calls of ``name``, and the variants by (imported, keywords)."""
        variants: tuple[list[tuple[type[Rule], VisitorFn]], ...] = ([], [], [], [])
        for rule, visit in self.dispatch.get(ast.Call, ()):
            calls = self.call_filters.get(rule)
            if calls is None:
                wanted = (True, True, True, True)
            else:
                named = name is not None and calls.wants(name)
                imported = named or (calls.imported and name is not None)
                wanted = (named, named or calls.keywords, imported, imported or calls.keywords)
            for index, want in enumerate(wanted):
                if want:
                    variants[index].append((rule, visit))
        plain = tuple(variants[0])
        if len(self.calls) >= _MAX_CALL_NAMES:
            self.calls.clear()
        if all(len(v) == len(plain) for v in variants):
            entry: tuple[_Visitors, tuple[_Visitors, ...] | None] = (plain, None)
        else:
            entry = (plain, tuple(tuple(v) for v in variants))
        self.calls[name] = entry
        return entry

    def string_visitors(self, value: str) -> _Visitors:
        """The constant visitors for a string one of the patterns found something in."""
        return tuple(
            (rule, visit)
            for rule, visit, pattern in self.string_rules
            if pattern is None or pattern.search(value) is not None
        )


def _plan(rules: RuleSet, skipped: frozenset[type[Rule]]) -> _WalkPlan:
    plan = rules.walk_plans.get(skipped)
    if (
        not isinstance(plan, _WalkPlan)
        or plan.source is not rules.dispatch
        or (plan.size != len(rules.dispatch))
        or plan.generated is not generating()
    ):
        if len(rules.walk_plans) >= 1024:
            rules.walk_plans.clear()  # bounded: a plan per combination of skipped rules
        plan = rules.walk_plans[skipped] = _WalkPlan(rules, skipped)
    return plan


def analyze_tree(
    tree: ast.AST,
    ctx: FileContext,
    rules: RuleSet,
    errors: list[InternalError],
    skipped: frozenset[type[Rule]] = _NOTHING_SKIPPED,
) -> None:
    """Walk ``tree`` once, depth first in source order, calling the rules' visitors.

    The walk is iterative, so deeply nested code cannot exhaust the stack.
    A visitor that raises is disabled for the rest of the file and recorded
    as an internal error; the other rules go on (a rule has one visitor per
    node type, so the node's other visitors run, then the plan without it). The rules in ``skipped``
    (whose evidence the file lacks, :meth:`RuleSet.without_evidence`) are not
    called; parents, imports and the collectors still see every node.

    Each node costs one look-up of its type's step (built once per rule set
    and type, :class:`_WalkPlan`): no per-visitor bookkeeping, no type test
    per field. A rule that raises is dropped by switching to the plan that
    skips it too.
    """
    plan = _plan(rules, skipped)
    steps = plan.steps
    leaves = plan.leaves
    calls = plan.calls
    parents = ctx.parents
    aliases = ctx.aliases
    broken: set[type[Rule]] = set()
    ast_type = ast.AST
    attribute_type = ast.Attribute
    name_type = ast.Name
    stack: list[ast.AST] = [tree]
    pop = stack.pop
    push = stack.append
    known = len(parents)
    while stack:
        node = pop()
        node_type = type(node)
        step = steps.get(node_type)
        if step is None:
            plan.learn(node_type)
            step = steps[node_type]
        visitors, fields, is_import, how, pusher = step
        if is_import:
            ctx.add_import(node)  # type: ignore[arg-type]  # an Import or ImportFrom
        if how == _BY_CALL:
            # getattr: a call built by hand may lack a field (the walk never fails on it).
            func = getattr(node, "func", None)
            func_type = type(func)
            if func_type is attribute_type:
                called = func.attr  # type: ignore[union-attr]  # an Attribute
            elif func_type is name_type:
                called = func.id  # type: ignore[union-attr]  # a Name
            else:
                called = None
            entry = calls.get(called)
            if entry is None:
                entry = plan.learn_call(called)
            visitors, variants = entry
            if variants is not None:
                visitors = variants[
                    (2 if called in aliases else 0) | (1 if getattr(node, "keywords", None) else 0)
                ]
        elif how == _BY_STRING:
            value = getattr(node, "value", None)
            chosen = plan.every_constant
            if type(value) is str:
                for search in plan.string_searches:
                    if search(value) is not None:
                        chosen = plan.string_visitors(value)
                        break
            visitors = chosen
        if visitors:
            ctx.current_node = node
            for rule, visit in visitors:
                ctx.current_rule = rule
                try:
                    visit(node, ctx)
                except Exception as exc:  # a bug in a rule must not stop the run
                    broken.add(rule)
                    errors.append(
                        InternalError(ctx.path, f"{rule.code} ({rule.name})", _describe(exc))
                    )
                    plan = _plan(rules, skipped | frozenset(broken))
                    steps, leaves, calls = plan.steps, plan.leaves, plan.calls
            ctx.current_rule = None
        # Fields and list items are pushed last first, so they pop in source order.
        if pusher is not None:
            try:
                pusher(node, parents, push, leaves)
                continue
            except AttributeError:
                pass  # a field is missing: the general loop reads it as None
        for name, kind in fields:
            value = getattr(node, name, None)
            if kind == ONE:
                if value is not None:
                    parents[value] = node
                    if type(value) not in leaves:
                        push(value)
            elif kind == MANY:
                for item in reversed(value or ()):
                    if item is not None:
                        parents[item] = node
                        if type(item) not in leaves:
                            push(item)
            elif type(value) is list:
                for item in reversed(value):
                    if isinstance(item, ast_type):
                        parents[item] = node
                        if type(item) not in leaves:
                            push(item)
            elif isinstance(value, ast_type):
                parents[value] = node
                if type(value) not in leaves:
                    push(value)
    count_walked(len(parents) - known)


def _describe(exc: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic garbage collection while one file is parsed and checked.

    A tree is hundreds of thousands of container objects that all live until
    the file is done: the collector would traverse each of them twice or more
    (young, then middle generation) and free none, which costs about a tenth
    of a cold check. Everything a file leaves is freed by reference counting
    when it ends (:meth:`FileContext.close` cuts the cycles a memoised analysis
    makes); the collector runs again after the file. A collector that was
    already off stays off.
    ``freeze``: what was made meanwhile is frozen (:func:`gc.freeze`) before the
    collector runs again, so that its first collection does not walk it all
    (a whole run's results, see :func:`debt_lints.running.runner`).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()


def check_python_text(
    text: str, path: str, relpath: str, rules: RuleSet, module: str | None = None
) -> FileResult:
    """Check decoded Python source.

    A file with a syntax error gets its one DL001, and every other rule runs on
    the part of it that can be recovered; all its findings are ``partial`` and
    carry no fix (as in ruff: a file the parser cannot read whole is not
    rewritten; the fix is offered again once the syntax error is repaired).
    """
    with collector_paused():
        return _check_python_text(text, path, relpath, rules, module)


def _check_python_text(
    text: str, path: str, relpath: str, rules: RuleSet, module: str | None
) -> FileResult:
    result = FileResult(path)
    tree = parse_python(text, path)
    if isinstance(tree, SourceProblem):
        if rules.wants(SYNTAX_ERROR_CODE):
            result.findings.append(syntax_finding(path, tree.message, tree.line, tree.column))
        _unparsable_summary(result, rules)
        if not isinstance(tree, SyntaxProblem) or not (rules.instances or rules.later):
            return result
        from debt_lints.recovery import recover

        recovered = recover(text, tree.error)
        if recovered is not None:
            lowered = text.lower()
            rules.load_evidenced(lowered)  # before the view, which shares the instances
            walked = rules.without_collectors()  # its facts stay the unparsable ones
            rest = check_python_tree(
                recovered.tree,
                text,
                path,
                relpath,
                walked,
                module=module,
                lost=recovered.lost,
                lowered=lowered,
            )
            result.findings.extend(rest.findings)
            result.internal_errors = rest.internal_errors
            result.suppressed = [replace(f, partial=True, fix=None) for f in rest.suppressed]
            # The facts stay the unparsable ones (what the file imports is not
            # known); findings that need the project phase are kept.
            result.deferred = [(replace(f, partial=True, fix=None), q) for f, q in rest.deferred]
            result.deferred_hidden = [
                (replace(f, partial=True, fix=None), q) for f, q in rest.deferred_hidden
            ]
            if INPUTS_KEY in rest.summary:
                result.summary[INPUTS_KEY] = rest.summary[INPUTS_KEY]
        result.partial = True
        result.findings = [replace(f, partial=True, fix=None) for f in result.findings]
        _within_the_text(result, text)
        return result
    return check_python_tree(tree, text, path, relpath, rules, module=module)


def _within_the_text(result: FileResult, text: str) -> None:
    """Keep a recovered file's positions inside its own lines.

    Recovery rewrites a damaged statement (it keeps the calls in a neutral
    wrapper), so a finding inside it was placed in the rewritten text, whose
    line can be longer than the file's. The line stays; the columns are cut
    to the file's line, so every position a user or an editor gets exists.
    The lines are measured only when a finding other than the DL001 is there
    (most damaged files have none).
    """
    placed = [*result.findings, *result.suppressed]
    placed.extend(f for f, _ in (*result.deferred, *result.deferred_hidden))
    if all(f.code == SYNTAX_ERROR_CODE for f in placed):
        return
    widths = [len(line.rstrip("\r\n")) for line in split_lines(text)] or [0]
    last = len(widths)

    def inside(f: Finding) -> Finding:
        if f.code == SYNTAX_ERROR_CODE:
            return f  # placed by the parser in the file itself (at its end, for an EOF)
        line = min(max(f.line, 1), last)
        end_line = min(max(f.end_line, line), last)
        column = min(max(f.column, 1), widths[line - 1] + 1)
        end_column = min(max(f.end_column, 1), widths[end_line - 1] + 1)
        if end_line == line:
            end_column = max(end_column, column)
        if (line, column, end_line, end_column) == (f.line, f.column, f.end_line, f.end_column):
            return f
        return replace(f, line=line, column=column, end_line=end_line, end_column=end_column)

    result.findings = [inside(f) for f in result.findings]
    result.suppressed = [inside(f) for f in result.suppressed]
    result.deferred = [(inside(f), q) for f, q in result.deferred]
    result.deferred_hidden = [(inside(f), q) for f, q in result.deferred_hidden]


def check_python_tree(
    tree: ast.AST,
    text: str,
    path: str,
    relpath: str,
    rules: RuleSet,
    *,
    module: str | None = None,
    noqa: bool = True,
    lost: Sequence[tuple[int, int]] = (),
    lowered: str | None = None,
) -> FileResult:
    """Check a module that is already parsed from ``text``.

    Host plugins (flake8, bandit) hand over the tree their host built, so the
    file is not parsed twice. ``noqa=False`` keeps findings that ``# noqa``
    comments would suppress (flake8's ``--disable-noqa``). ``lost``: the lines
    of ``text`` that ``tree`` does not hold whole (a recovered tree's). ``lowered``:
    ``text.lower()``, when the caller has it.
    """
    with collector_paused():
        return _check_python_tree(
            tree, text, path, relpath, rules, module=module, noqa=noqa, lost=lost, lowered=lowered
        )


def _check_python_tree(
    tree: ast.AST,
    text: str,
    path: str,
    relpath: str,
    rules: RuleSet,
    *,
    module: str | None,
    noqa: bool,
    lost: Sequence[tuple[int, int]],
    lowered: str | None = None,
) -> FileResult:
    result = FileResult(path)
    ctx = FileContext(path, relpath, text, module)
    ctx.root = rules.root
    ctx.lost_lines = tuple(lost)
    if isinstance(tree, ast.Module):
        ctx.tree = tree
    for collector in rules.collectors:
        collector.start(ctx)
    # One lower-case copy of the text for the scans that ignore case: the rules'
    # evidence (which rules to import, which to run) and the noqa comments.
    if lowered is None:
        lowered = text.lower()
    rules.load_evidenced(lowered)
    analyze_tree(tree, ctx, rules, result.internal_errors, rules.without_evidence(text, lowered))
    if rules.collectors:
        _collect(tree, ctx, rules, result)
    # Deferred findings (decided by the project phase) go through the same

    deferred = {id(f): q for f, q in ctx.deferred}
    _apply_noqa(
        result,
        [*ctx.findings, *(f for f, _ in ctx.deferred)],
        ctx.lines,
        ctx.statement_first_line,
        rules,
        apply=noqa,
        python_text=text,
        tree=tree if isinstance(tree, ast.Module) else None,
        lowered=lowered,
    )
    if deferred:
        result.deferred = [(f, deferred[id(f)]) for f in result.findings if id(f) in deferred]
        result.deferred_hidden = [
            (f, deferred[id(f)]) for f in result.suppressed if id(f) in deferred
        ]
        result.findings = [f for f in result.findings if id(f) not in deferred]
        result.suppressed = [f for f in result.suppressed if id(f) not in deferred]
    if ctx.inputs:
        result.summary[INPUTS_KEY] = dict(ctx.inputs)
    ctx.close()
    return result


def _collect(tree: ast.AST, ctx: FileContext, rules: RuleSet, result: FileResult) -> None:
    """Gather the collectors' values; one that raises is an internal error, like a rule."""
    for collector in rules.collectors:
        try:
            result.summary[collector.key] = collector.finish(tree, ctx)
        except Exception as exc:  # a bug in a collector must not stop the run
            result.internal_errors.append(
                InternalError(ctx.path, f"{collector.code} ({collector.name})", _describe(exc))
            )


def _unparsable_summary(result: FileResult, rules: RuleSet) -> None:
    for collector in rules.collectors:
        value = collector.unparsable()
        if value is not None:
            result.summary[collector.key] = value


def check_yaml_text(text: str, path: str, relpath: str, rules: RuleSet) -> FileResult:
    """Check a YAML file: every scalar value goes to the rules' YAML visitors."""
    result = FileResult(path)
    rules.load_all()  # which rules have YAML visitors is known once they are imported
    if not rules.yaml_visitors and not rules.wants(SYNTAX_ERROR_CODE):
        return result
    from debt_lints.analysis import yamlwalk

    ctx = FileContext(path, relpath, text, module="")
    ctx.root = rules.root
    ctx.lines = split_lines(text, yaml=True)
    scalars = yamlwalk.scalars(text)
    if isinstance(scalars, SourceProblem):
        if rules.wants(SYNTAX_ERROR_CODE):
            result.findings.append(
                syntax_finding(path, scalars.message, scalars.line, scalars.column)
            )
        return result
    broken: set[type[Rule]] = set()
    for scalar in scalars:
        for rule, visit in rules.yaml_visitors:
            if rule in broken:
                continue
            ctx.current_rule = rule
            try:
                visit(scalar, ctx)
            except Exception as exc:  # a bug in a rule must not stop the run
                broken.add(rule)
                result.internal_errors.append(
                    InternalError(path, f"{rule.code} ({rule.name})", _describe(exc))
                )
            finally:
                ctx.current_rule = None
    _apply_noqa(result, ctx.findings, ctx.lines, _same_line, rules)
    if ctx.inputs:
        result.summary[INPUTS_KEY] = dict(ctx.inputs)
    return result


def check_source(
    data: bytes | str, path: str, relpath: str, rules: RuleSet, module: str | None = None
) -> FileResult:
    """Check one file's content (bytes as read from disk, or already-decoded text)."""
    if relpath.endswith(NOTEBOOK_SUFFIXES):
        return check_notebook(data, path, relpath, rules)
    is_yaml = relpath.endswith(YAML_SUFFIXES)
    if isinstance(data, bytes):
        text = decode_text(data) if is_yaml else decode_python(data)
        if isinstance(text, SourceProblem):
            result = FileResult(path)
            if rules.wants(SYNTAX_ERROR_CODE):
                result.findings.append(syntax_finding(path, text.message, text.line, text.column))
            if not is_yaml:
                _unparsable_summary(result, rules)
            return result
    else:
        text = data[1:] if data.startswith("\ufeff") else data
    if is_yaml:
        return check_yaml_text(text, path, relpath, rules)
    return check_python_text(text, path, relpath, rules, module)


def notebook_source(data: bytes | str) -> tuple[str, list[tuple[int, int]]] | SourceProblem | None:
    """A Jupyter notebook's code cells as one module, and each line's ``(cell, line)``.

    Cells are numbered from 1 among all cells, lines from 1 within each cell
    (how ruff reports notebooks). IPython's own syntax (magics, shell escapes,
    help requests, ``x = %time ...``) becomes Python line for line
    (:func:`debt_lints.core.ipython.python_lines`), so that line numbers stay
    put. ``None``: a notebook of another language.
    """
    import json

    from debt_lints.core.ipython import python_lines

    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return SourceProblem(f"cannot read notebook: not valid JSON ({exc})")
    except RecursionError:
        return SourceProblem("cannot read notebook: JSON nested too deeply")
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return SourceProblem("cannot read notebook: no 'cells' list (nbformat 4 or later)")
    metadata = document.get("metadata")
    if isinstance(metadata, dict):
        for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
            info = metadata.get(key)
            language = info.get(field_name) if isinstance(info, dict) else None
            if isinstance(language, str) and language.lower() != "python":
                return None
    lines: list[str] = []
    where: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        if isinstance(raw, list):
            if not all(isinstance(piece, str) for piece in raw):
                return SourceProblem(
                    f"cannot read notebook: the source of cell {number} is not a list of strings"
                )
            raw = "".join(raw)
        if not isinstance(raw, str):
            continue
        # Where Python ends lines (not str.splitlines(), which also splits at
        # \x0c, \x1c-\x1e, \x85 and \u2028 and would shift every later line).
        cell_lines = [piece.rstrip("\r\n") for piece in split_lines(raw)]
        for index, line in enumerate(python_lines(cell_lines), start=1):
            lines.append(line + "\n")
            where.append((number, index))
    return "".join(lines), where


def notebook_cells(data: bytes | str) -> dict[int, list[str]]:
    """Each code cell's lines as written (magics too), by the cell numbers findings carry.

    For a code frame under a notebook finding; a notebook that does not load
    gives no cells (and no frame).
    """
    import json

    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}
    cells = document.get("cells") if isinstance(document, dict) else None
    out: dict[int, list[str]] = {}
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        if isinstance(raw, list) and all(isinstance(piece, str) for piece in raw):
            raw = "".join(raw)
        if isinstance(raw, str):
            out[number] = [piece.rstrip("\r\n") for piece in split_lines(raw)]
    return out


def check_notebook(data: bytes | str, path: str, relpath: str, rules: RuleSet) -> FileResult:
    """Check the code cells of a notebook; findings carry their cell and line in it."""
    source = notebook_source(data)
    if source is None:
        return FileResult(path)
    if isinstance(source, SourceProblem):
        result = FileResult(path)
        if rules.wants(SYNTAX_ERROR_CODE):
            result.findings.append(syntax_finding(path, source.message, 1, 1))
        return result
    text, where = source
    result = check_python_text(text, path, relpath, rules, module="")

    def place(line: int) -> tuple[int, int]:
        return where[min(max(line, 1), len(where)) - 1] if where else (1, 1)

    mapped = []
    for finding in result.findings:
        cell, line = place(finding.line)
        end_cell, end_line = place(finding.end_line or finding.line)
        end_column = finding.end_column
        if end_cell != cell:  # clipped to its own cell
            end_line, end_column = line, finding.column
        mapped.append(
            replace(finding, cell=cell, line=line, end_line=end_line, end_column=end_column)
        )
    result.findings = mapped
    return result


def check_file(
    path: str,
    relpath: str,
    rules: RuleSet,
    max_size: int | None = None,
    *,
    data: bytes | SourceProblem | None = None,
    root: str | os.PathLike[str] | None = None,
) -> FileResult:
    """Read and check one file. Never raises for anything the file contains.

    A failure of debt-lints itself on this file (outside the rules, which
    are guarded one by one) becomes one internal error for this file only,
    so that every other file of the run is still checked and reported.
    ``data``, when given, is the file's content as the caller already read
    it with :func:`~debt_lints.core.source.read_bytes` (the cache hashes it),
    or the problem that reading it met (standard input over the size limit).
    With ``root`` (the project root), a file whose real location is outside it
    (a committed link to ``/proc/self/environ``) is never opened: one DL001.
    """
    shown = printable(path)
    try:
        content = read_bytes(path, max_size, root=root) if data is None else data
        if isinstance(content, SourceProblem):
            result = FileResult(shown)
            if rules.wants(SYNTAX_ERROR_CODE):
                result.findings.append(
                    syntax_finding(shown, content.message, content.line, content.column)
                )
            return result
        return check_source(content, shown, relpath, rules)
    except Exception as exc:  # a bug in debt-lints must cost one file, not the run
        return FileResult(shown, internal_errors=[InternalError(shown, "engine", _describe(exc))])


def _same_line(line: int) -> int:
    return line


def _apply_noqa(
    result: FileResult,
    findings: Sequence[Finding],
    lines: Sequence[str],
    first_line: Callable[[int], int],
    rules: RuleSet,
    *,
    apply: bool = True,
    python_text: str | None = None,
    tree: ast.Module | None = None,
    lowered: str | None = None,
) -> None:
    """Split ``findings`` into ``result.findings`` and ``result.suppressed`` by the
    file's ``noqa`` comments, and add DL002 for the comments that suppress nothing.

    ``apply=False`` (flake8's ``--disable-noqa``) keeps every finding.
    ``python_text``: the source, whose tokenizer tells comments from strings
    (``tree``: its module, to tokenize only the statements that mention noqa;
    ``lowered``: its lower-case copy, when the caller has one).
    """
    result.findings = list(findings)
    want_unused = rules.wants(noqa.UNUSED_NOQA_CODE)
    comments = None
    if python_text is not None:
        if "noqa" not in (python_text.lower() if lowered is None else lowered):
            return  # no comment can name a code: nothing is suppressed, nothing unused
        comments = noqa.python_comments(lines, tree)
    if not findings and not want_unused:
        return
    done = noqa.suppress(findings, lines, first_line, every_comment=want_unused, comments=comments)
    kept, hidden = done.kept, done.suppressed
    if want_unused:
        extra = [
            _unused_noqa_finding(result.path, lines, directive, code, why)
            for directive, code, why in noqa.unused(
                done.directives, rules.codes - rules.project_codes, _known_codes()
            )
        ]
        if extra:
            # A file-level exemption, or DL002 named on the comment's own line,
            # covers these findings too.
            again = noqa.suppress(extra, lines, _same_line, comments=comments)
            kept = sorted([*kept, *again.kept], key=Finding.sort_key)
            hidden = sorted([*hidden, *again.suppressed], key=Finding.sort_key)
    if apply:
        result.findings, result.suppressed = kept, hidden
    else:
        result.findings = sorted([*kept, *hidden], key=Finding.sort_key)


def _known_codes() -> frozenset[str]:
    from debt_lints.engine.registry import RESERVED, catalogue

    return frozenset(catalogue()) | frozenset(RESERVED)


def _unused_noqa_finding(
    path: str, lines: Sequence[str], directive: noqa.Directive, code: str, why: str
) -> Finding:
    from debt_lints.engine.registry import load

    rule = load(noqa.UNUSED_NOQA_CODE)
    if why == "unknown":
        message = f"unknown rule code {code} in a noqa comment: no debt-lints rule has it"
    elif directive.file_level:
        message = f"{code} is exempted for the whole file but nothing here reports it; remove it"
    else:
        message = f"unused noqa code {code}: nothing on this line reports it; remove it"
    text = lines[directive.line - 1] if 1 <= directive.line <= len(lines) else ""
    comment = " ".join(text[directive.column - 1 :].split())
    return Finding(
        path=printable(path),
        line=directive.line,
        column=directive.column,
        code=rule.code,
        end_line=directive.line,
        end_column=len(text.rstrip("\r\n")) + 1,
        name=rule.name,
        message=printable(message),
        severity=rule.severity,
        scope="",
        snippet=printable(f"{code} {why}: {comment}"),
    )
