"""The bottom layer: what a rule is, what a finding is, and rule options.

Nothing here imports from the rest of the package. Everything else (engine,
baseline, reports, CLI, host plugins) is built on these types.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.record import FrozenRecord, OrderedFrozenRecord

if TYPE_CHECKING:
    import re
    from pathlib import Path

    from debt_lints.core.settings import Settings

#: How a frozen record's ``__init__`` sets its fields (as ``@dataclass(frozen=True)``).
_set = object.__setattr__

CODE_RE = lazy_pattern(r"^DL\d{3}$")
NAME_RE = lazy_pattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: Codes of the strict-typing findings: ``mypy[<mypy error code>]``.
TYPING_CODE_RE = lazy_pattern(r"^mypy\[[a-z0-9][a-z0-9-]*\]$")


def is_finding_code(code: str) -> bool:
    """A code a finding (and a baseline entry) may carry: a rule's or mypy's."""
    return bool(CODE_RE.match(code) or TYPING_CODE_RE.match(code))


#: The fixed sections of a rule's documentation, in order.
DOC_SECTIONS = (
    "What it does",
    "Why is this debt",
    "Example",
    "Use instead",
    "Options",
    "Known limits",
)


class Severity(str, enum.Enum):
    """How bad a finding is. Ordered from worst to mildest."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Security(FrozenRecord):
    """Extra metadata for rules that are also bandit tests."""

    __slots__ = ("bandit_severity", "confidence", "cwe")
    cwe: int
    confidence: str  # "HIGH" | "MEDIUM" | "LOW", as bandit spells it
    bandit_severity: str  # "HIGH" | "MEDIUM" | "LOW"

    def __init__(self, cwe: int, confidence: str, bandit_severity: str) -> None:
        _set(self, "cwe", cwe)
        _set(self, "confidence", confidence)
        _set(self, "bandit_severity", bandit_severity)


class Option(FrozenRecord):
    """A configuration key that a rule reads from ``[tool.debt-lints]``.

    ``kind`` is one of ``"str-map"`` (table of string to string),
    ``"str-list"`` (array of strings), ``"bool"``. A ``str-list`` option with
    ``extendable=True`` also accepts ``extend-<name>``. ``form`` names what
    the strings must be, checked when the configuration is loaded
    (``"module-names"``, ``"env-var-names"``: see ``debt_lints.config.FORMS``);
    values that fixes write into code always have one. ``auto`` computes the
    default from the configuration's root folder when the key is not set
    (``auto_help`` says how, for the documentation); ``default`` is then the
    value where no root is known.
    """

    __slots__ = ("auto", "auto_help", "default", "extendable", "form", "help", "kind", "name")
    name: str
    kind: str
    default: object
    help: str
    extendable: bool
    form: str
    auto: Callable[[Path], object] | None
    auto_help: str

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        name: str,
        kind: str,
        default: object,
        help: str,  # the field's name, as callers spell it
        extendable: bool = False,
        form: str = "",
        auto: Callable[[Path], object] | None = None,
        auto_help: str = "",
    ) -> None:
        _set(self, "name", name)
        _set(self, "kind", kind)
        _set(self, "default", default)
        _set(self, "help", help)
        _set(self, "extendable", extendable)
        _set(self, "form", form)
        _set(self, "auto", auto)
        _set(self, "auto_help", auto_help)


class Applicability(str, enum.Enum):
    """How far a fix can be trusted (ruff's applicability).

    ``safe`` fixes keep the program's meaning and are applied by ``--fix``;
    ``unsafe`` ones may change it and need ``--unsafe-fixes``.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


class Edit(OrderedFrozenRecord):
    """Replace the text from (``line``, ``column``) to (``end_line``, ``end_column``).

    Positions are counted as in :class:`Finding`: 1-based lines, 1-based
    columns in characters, the end exclusive. An empty range inserts.
    """

    __slots__ = ("column", "content", "end_column", "end_line", "line")
    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def __init__(
        self, line: int, column: int, end_line: int, end_column: int, content: str
    ) -> None:
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "content", content)

    def to_list(self) -> list[object]:
        return [self.line, self.column, self.end_line, self.end_column, self.content]


class Requirement(FrozenRecord):
    """What another module must provide for a fix to be safe (decided above the engine).

    ``module`` is the module the fixed code imports; ``names`` the names it
    takes from it (``None``: not known, the code uses the module as a whole);
    ``deprecated`` the module it imported before: a fix is safe when that is
    a pure re-export of ``module``, or when ``module`` defines every name.
    """

    __slots__ = ("at_import_time", "deprecated", "importer", "module", "names", "star")
    module: str
    names: tuple[str, ...] | None
    deprecated: str
    #: The module being fixed (``""``: not known): a fix must not make it import
    #: itself, nor a module that imports it when imported (a new import cycle).
    importer: str
    #: The rewritten import runs when the importer is imported (not in a function).
    at_import_time: bool
    #: ``names`` are those a star import gives the file: the replacement must export them.
    star: bool

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        module: str,
        names: tuple[str, ...] | None = (),
        deprecated: str = "",
        importer: str = "",
        at_import_time: bool = True,
        star: bool = False,
    ) -> None:
        _set(self, "module", module)
        _set(self, "names", names)
        _set(self, "deprecated", deprecated)
        _set(self, "importer", importer)
        _set(self, "at_import_time", at_import_time)
        _set(self, "star", star)


class Fix(FrozenRecord):
    """Text edits that resolve one finding, applied together or not at all."""

    __slots__ = ("applicability", "edits", "message", "requirement")
    edits: tuple[Edit, ...]
    applicability: Applicability
    #: What the fix does, for ``--show-fixes`` and editors (``Import x.y``).
    message: str
    requirement: Requirement | None

    def __init__(
        self,
        edits: tuple[Edit, ...],
        applicability: Applicability = Applicability.UNSAFE,
        message: str = "",
        requirement: Requirement | None = None,
    ) -> None:
        _set(self, "edits", edits)
        _set(self, "applicability", applicability)
        _set(self, "message", message)
        _set(self, "requirement", requirement)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (part of a finding's ``--format json`` object)."""
        out: dict[str, object] = {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [
                {
                    "line": e.line,
                    "column": e.column,
                    "end_line": e.end_line,
                    "end_column": e.end_column,
                    "content": e.content,
                }
                for e in self.edits
            ],
        }
        if self.requirement is not None:
            req = self.requirement
            out["requires"] = {
                "module": req.module,
                "names": list(req.names) if req.names is not None else None,
                "deprecated": req.deprecated,
                "importer": req.importer,
                "at_import_time": req.at_import_time,
                "star": req.star,
            }
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Fix:
        """Inverse of :meth:`to_dict`; ``ValueError`` on a wrong shape."""
        raw_edits = data.get("edits")
        if not isinstance(raw_edits, list):
            raise ValueError("fix edits is not a list")
        edits = []
        for raw in raw_edits:
            if not isinstance(raw, Mapping):
                raise ValueError("fix edit is not an object")
            numbers = [raw.get(k) for k in ("line", "column", "end_line", "end_column")]
            content = raw.get("content")
            if not all(type(n) is int for n in numbers) or not isinstance(content, str):
                raise ValueError("fix edit has a wrong shape")
            line, column, end_line, end_column = (n for n in numbers if isinstance(n, int))
            edits.append(Edit(line, column, end_line, end_column, content))
        message = data.get("message", "")
        if not isinstance(message, str):
            raise ValueError("fix message is not a string")
        requirement = None
        raw_req = data.get("requires")
        if isinstance(raw_req, Mapping):
            module, names, deprecated = (
                raw_req.get("module"),
                raw_req.get("names"),
                raw_req.get("deprecated", ""),
            )
            if not isinstance(module, str) or not isinstance(deprecated, str):
                raise ValueError("fix requirement has a wrong shape")
            if names is not None and not (
                isinstance(names, list) and all(isinstance(n, str) for n in names)
            ):
                raise ValueError("fix requirement names has a wrong shape")
            importer = raw_req.get("importer", "")
            at_import_time = raw_req.get("at_import_time", True)
            star = raw_req.get("star", False)
            if not (
                isinstance(importer, str)
                and isinstance(at_import_time, bool)
                and isinstance(star, bool)
            ):
                raise ValueError("fix requirement has a wrong shape")
            requirement = Requirement(
                module,
                tuple(names) if names is not None else None,
                deprecated,
                importer,
                at_import_time,
                star,
            )
        return cls(
            tuple(edits),
            Applicability(str(data.get("applicability", "unsafe"))),
            message,
            requirement,
        )


class NoFix(FrozenRecord):
    """Why a finding of a rule that offers fixes has none (``--fix`` says it, grouped).

    ``kind`` is one of :data:`NO_FIX_KINDS`; ``detail`` the specific reason
    (``common.utils.x does not define load``), as the finding's message says it.
    """

    __slots__ = ("detail", "kind")
    kind: str
    detail: str

    def __init__(self, kind: str, detail: str = "") -> None:
        _set(self, "kind", kind)
        _set(self, "detail", detail)


#: The kinds of :class:`NoFix`: the replacement lacks a name the file takes from
#: the old module; it does not exist (or is a dead copy); the fix would make the
#: module import itself; ``fixable``/``unfixable`` exclude the code.
NO_FIX_KINDS = ("missing-name", "no-replacement", "self-import", "unfixable")


class Finding(OrderedFrozenRecord):
    """One violation of one rule at one place.

    Positions are 1-based lines and 1-based columns counted in characters
    (what an editor shows). ``end_line``/``end_column`` are exclusive of the
    last character, like ``ast``'s end offsets but 1-based.

    ``scope`` (qualified name of the enclosing function or class, or a YAML
    key path) and ``snippet`` (the offending code with whitespace folded) do
    not depend on line numbers: the baseline uses them for identity.

    ``partial`` is ``True`` for the findings of a file that did not parse: its
    DL001, and what the other rules found in the part of it that could be
    recovered (:mod:`debt_lints.recovery`).
    """

    __slots__ = (
        "cell",
        "code",
        "column",
        "end_column",
        "end_line",
        "fix",
        "line",
        "message",
        "name",
        "no_fix",
        "partial",
        "path",
        "scope",
        "severity",
        "snippet",
    )
    _uncompared = ("scope", "snippet", "fix", "partial", "no_fix")
    path: str
    line: int
    column: int
    code: str
    end_line: int
    end_column: int
    name: str
    message: str
    severity: Severity
    scope: str
    snippet: str
    #: In a Jupyter notebook, the cell (1-based, among all cells); ``line`` is
    #: then the line within that cell, as ruff reports notebooks.
    cell: int | None
    #: How to resolve it automatically, when the rule knows (``None``: no fix).
    fix: Fix | None
    partial: bool
    #: Why its rule's fix is not offered here, once the run settled it (``None``:
    #: it has a fix, or its rule offers none). Not part of any output format.
    no_fix: NoFix | None

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        path: str,
        line: int,
        column: int,
        code: str,
        end_line: int = 0,
        end_column: int = 0,
        name: str = "",
        message: str = "",
        severity: Severity = Severity.WARNING,
        scope: str = "",
        snippet: str = "",
        cell: int | None = None,
        fix: Fix | None = None,
        partial: bool = False,
        no_fix: NoFix | None = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "code", code)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "name", name)
        _set(self, "message", message)
        _set(self, "severity", severity)
        _set(self, "scope", scope)
        _set(self, "snippet", snippet)
        _set(self, "cell", cell)
        _set(self, "fix", fix)
        _set(self, "partial", partial)
        _set(self, "no_fix", no_fix)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """The order findings are printed in: path, (cell,) line, column, code."""
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def location(self) -> str:
        """``path:line:column``, or ``path:cell 3:line:column`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (the ``--format json`` schema)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity.value,
            "scope": self.scope,
            **({"cell": self.cell} if self.cell is not None else {}),
            "fix": self.fix.to_dict() if self.fix is not None else None,
            "partial": self.partial,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Finding:
        """Inverse of :meth:`to_dict` (used by caches and worker processes)."""

        def _int(key: str) -> int:
            value = data.get(key, 0)
            if not isinstance(value, int):
                raise ValueError(f"{key} is not an integer")
            return value

        def _str(key: str) -> str:
            value = data.get(key, "")
            if not isinstance(value, str):
                raise ValueError(f"{key} is not a string")
            return value

        raw_fix = data.get("fix")
        return cls(
            path=_str("path"),
            line=_int("line"),
            column=_int("column"),
            code=_str("code"),
            end_line=_int("end_line"),
            end_column=_int("end_column"),
            name=_str("name"),
            message=_str("message"),
            severity=Severity(_str("severity") or "warning"),
            scope=_str("scope"),
            snippet=_str("snippet"),
            cell=_int("cell") or None,
            fix=Fix.from_dict(raw_fix) if isinstance(raw_fix, Mapping) else None,
            partial=data.get("partial") is True,
        )


class Calls:
    """The calls a rule's ``visit_Call`` can act on, by the name called.

    The name of a call is the function's (``bind(...)``) or the method's
    attribute (``sock.bind(...)``), the last part of what
    :meth:`~debt_lints.analysis.context.FileContext.resolve` gives, unless the
    function is a name the file imports (``from os import getenv as read``),
    which ``imported`` covers. The engine decides once per name and rule set,
    and calls the visitor only on a call whose name is in ``names``, ends
    with one of ``suffixes``, or satisfies ``match``; with ``imported``, also
    on a call through a name the file has imported so far; with ``keywords``,
    also on a call that passes a keyword argument. A call of anything else
    (``f()()``, ``handlers[k]()``) has no name and reaches the visitor only
    with ``keywords``. The declaration must cover every call the visitor can
    report on (a meta-test checks it on the rule's fixtures); the visitor
    keeps its own checks, so a host that calls it on every call sees the same.
    (A plain class: a dataclass would cost every start-up its generated methods.)
    """

    __slots__ = ("imported", "keywords", "match", "names", "suffixes")

    def __init__(
        self,
        *,
        names: frozenset[str] = frozenset(),
        suffixes: tuple[str, ...] = (),
        match: Callable[[str], bool] | None = None,
        imported: bool = False,
        keywords: bool = False,
    ) -> None:
        self.names = names
        self.suffixes = suffixes
        #: A test of the name, run once per distinct name (``"env" in name``).
        self.match = match
        self.imported = imported
        self.keywords = keywords

    def wants(self, name: str) -> bool:
        """Whether a call of ``name`` may concern the rule (``imported``, ``keywords`` aside)."""
        return (
            name in self.names
            or (bool(self.suffixes) and name.endswith(self.suffixes))
            or (self.match is not None and self.match(name))
        )


class Rule:
    """Base class of every rule.

    A rule is one class in one module under ``debt_lints.checkers``. Its
    docstring is its documentation (sections in :data:`DOC_SECTIONS`). It
    declares what it visits by defining methods named ``visit_<NodeType>``
    (``visit_Call(self, node: ast.Call, ctx: FileContext) -> None``) and,
    for YAML files, ``visit_yaml_scalar(self, scalar, ctx)``. The engine walks
    each tree once and calls only the methods a rule defines.

    Rules are instantiated once per run with the resolved :class:`Settings`;
    per-file state belongs in the :class:`~debt_lints.analysis.context.FileContext`.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    #: One line for ``debt-lints rules``.
    summary: ClassVar[str]
    #: The default message; a rule may pass a more specific one to ``report``.
    message: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    options: ClassVar[Sequence[Option]] = ()
    security: ClassVar[Security | None] = None
    #: ``True`` for rules the engine itself reports (DL001): no visitors.
    builtin: ClassVar[bool] = False
    #: ``True`` for rules that run only when selected by a prefix of three
    #: characters or more (``DL6``, ``DL602``), never by ``DL`` or ``ALL``.
    opt_in: ClassVar[bool] = False
    #: ``True`` for rules that offer fixes (``--fix``): their findings without
    #: one are counted, with the reason, when ``--fix`` leaves them.
    fixes: ClassVar[bool] = False
    #: Cheap evidence the rule needs: ASCII byte strings, compared without case
    #: with a file's source, at least one of which occurs in every file the rule
    #: can report on (``(b"socket", b"create_connection")``). A file with none
    #: never runs the rule's visitors. ``None``: every file may concern the rule.
    #: Every rule of the registry declares it; a meta-test checks that it is
    #: sound on the rule's fixtures.
    evidence: ClassVar[tuple[bytes, ...] | None]
    #: The calls ``visit_Call`` can act on (:class:`Calls`); the engine skips the
    #: visitor on every other call. ``None``: every call.
    wanted_calls: ClassVar[Calls | None] = None
    #: The string constants ``visit_Constant`` can act on: a pattern searched in
    #: each (``re.compile("localhost|::1")``); the visitor never sees another
    #: constant (nor a number, bytes or ``None``). ``None``: every constant.
    wanted_strings: ClassVar[re.Pattern[str] | None] = None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation (its docstring, dedented)."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def family(cls) -> str:
        """The checker family the rule lives in (its parent package name)."""
        return cls.__module__.rsplit(".", 2)[-2]


#: Signature of a visitor method once bound: (node, ctx) -> None.
Visitor = Callable[..., None]
