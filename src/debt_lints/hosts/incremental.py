"""Checking an edited buffer again without checking all of it (the language server).

A keystroke changes one top-level statement; checking the whole 2,000-line
buffer again costs ~100 ms, most of it in analysing statements the edit
cannot have changed. :class:`IncrementalChecker` keeps, per document, the
top-level statements of the text last checked and the findings inside each,
and on the next text re-checks only what the edit can reach:

- the changed lines are widened to the top-level statements they touch (the
  *region*); its new text must parse on its own into functions and classes
  only (an edit to an import, a module-level assignment or any other
  module-level code, or one that does not parse, is checked in full);
- statements are linked through the names bound at module level (a
  function's or class's name, a name assigned at module level or declared
  ``global``): two statements are linked when one mentions a name the other
  binds. Everything the analysis follows from one statement into another
  (a call of a module function, a value read from a module-level name, a
  base class) goes through such a name; the region's *component* (the
  statements linked to it, transitively, before and after the edit) is
  re-checked. A module-level statement (an assignment, an ``if``) joins the
  component when it binds a name the component mentions or mentions one it
  binds, and then so do the statements that mention what it binds;
- the re-check is one check of a *reduced* text at the same positions: the
  component verbatim, the imports (what names resolve to) and docstrings
  verbatim, and every other statement reduced to a one-line stub binding the
  same module-level names (``def name(): ...``, ``class Name: ...``,
  ``a = b = None``; the rest of its lines blank), except the statements
  mentioning a name an import inside the component binds (that import's fix
  reads every use of it); the findings inside the component are taken from it;
- the other statements keep their findings, shifted by the line delta.

The unit is the top-level statement: an edit inside a class re-checks the
whole class, and one that reaches over half the file (a class that big, or
names most of the file mentions) is checked in full.

Import statements are context, always verbatim: their findings are reported
for their own text (and decided with other files); only how a fix rewrites
the module's uses of a name (and so whether there is one, and what the
message says is missing) depends on the rest. When the edited lines mention
a name such a finding may depend on (:func:`_about`), the import's rules
alone run again on the imports and every statement mentioning those names.
Whatever the reduced checks could not decide alone falls back to a full
check: findings that depend on other files (deferred to the project phase),
internal errors, a syntax error, a ``# flake8: noqa`` file exemption, a star
import, an edit to module-level code, a component over half the file.
``tests/test_lsp_incremental.py`` drives random edit sequences over real
files and compares every result with a full check's.

Findings decided with other files (DL101 under ``import-roots``) are kept
from the last full check: a file changed on disk shows on the next open or
save, which check in full.

The findings of a partial check are for diagnostics: their fixes keep the
positions of the check that computed them, so code actions check in full.
"""

from __future__ import annotations

import ast
import keyword
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from debt_lints.analysis.context import split_lines
from debt_lints.core.model import Finding
from debt_lints.core.record import replace
from debt_lints.engine.noqa import FILE_NOQA_RE, UNUSED_NOQA_CODE
from debt_lints.engine.walk import PYTHON_SUFFIXES, parse_python
from debt_lints.hosts.session import HostResult, HostSession

__all__ = ["IncrementalChecker"]

#: Words that may be names (identifiers, also inside strings and comments: a
#: superset of the names a statement mentions).
_WORD_RE = re.compile(r"[^\W\d]\w*")
#: Dotted names in a message (``a.b.c``): the modules a finding speaks of.
_DOTTED_RE = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)+")
_KEYWORDS = frozenset(keyword.kwlist)
#: A component over this share of the file's lines is checked in full.
MAX_SHARE = 0.5
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(eq=False)
class _Unit:
    """Top-level statements sharing lines (usually one), and what the edit needs of them."""

    start: int  #: first line, 0-based (a decorator's)
    end: int  #: past the last line
    #: ``"def"``: functions and classes; ``"import"``; ``"code"``: any other statement.
    kind: str
    words: frozenset[str]
    #: Names it binds at module level (a superset).
    binds: frozenset[str]
    #: For a ``def``: its one-line stub and the line it goes on (0-based).
    stub: tuple[int, str] | None = None
    findings: list[Finding] = field(default_factory=list)
    #: For a ``def``: the names imports inside it bind (their fixes read the
    #: whole module's uses of those names).
    imported: frozenset[str] = frozenset()


@dataclass
class _State:
    """A document's last text and its statements with their findings."""

    text: str
    lines: list[str]
    units: list[_Unit]
    #: Findings on lines outside every statement (comments between them), by 0-based line.
    loose: dict[int, list[Finding]]
    index: _Index


class _Index:
    """Which statements mention a word, which bind a name (imports aside)."""

    def __init__(self, units: Iterable[_Unit] = ()) -> None:
        self.mentioning: dict[str, set[_Unit]] = {}
        self.binding: dict[str, set[_Unit]] = {}
        for unit in units:
            self.add(unit)

    def add(self, unit: _Unit) -> None:
        if unit.kind == "import":
            return
        for word in unit.words:
            self.mentioning.setdefault(word, set()).add(unit)
        for name in unit.binds:
            self.binding.setdefault(name, set()).add(unit)

    def remove(self, unit: _Unit) -> None:
        if unit.kind == "import":
            return
        for word in unit.words:
            self.mentioning[word].discard(unit)
        for name in unit.binds:
            self.binding[name].discard(unit)

    def component(self, bound: set[str], mentioned: set[str]) -> set[_Unit]:
        """The statements linked, transitively, to what binds ``bound`` and mentions ``mentioned``.

        A statement is linked to another when it mentions a name the other
        binds, or binds a name the other mentions.
        """
        joined: set[_Unit] = set()
        names, words = list(bound), list(mentioned)
        while names or words:
            if names:
                found = self.mentioning.get(names.pop(), ())
            else:
                found = self.binding.get(words.pop(), ())
            for unit in found:
                if unit in joined:
                    continue
                joined.add(unit)
                names.extend(unit.binds - bound)
                bound.update(unit.binds)
                words.extend(unit.words - mentioned)
                mentioned.update(unit.words)
        return joined


class IncrementalChecker:
    """Checks documents as :meth:`HostSession.check` does, re-checking only what an edit reaches.

    ``partial`` and ``full`` count the checks of each kind (for the trace and
    the tests).
    """

    def __init__(self, session: HostSession) -> None:
        self.session = session
        self._states: dict[str, _State] = {}
        self.partial = 0
        self.full = 0
        #: Whether the last check was partial (its findings' fixes are not positioned).
        self.last_partial = False

    def forget(self, filename: str | None = None) -> None:
        """Drop the state of one document (closed), or of all (configuration changed)."""
        if filename is None:
            self._states.clear()
        else:
            self._states.pop(filename, None)

    def check(self, source: str, filename: str, *, incremental: bool = True) -> HostResult:
        """The result of checking ``source`` as ``filename``, with ``incremental`` when it can."""
        state = self._states.pop(filename, None)
        if incremental and state is not None:
            found = _partial(self.session, state, source, filename)
            if found is not None:
                result, self._states[filename] = found
                self.partial += 1
                self.last_partial = True
                return result
        self.full += 1
        self.last_partial = False
        return self._full(source, filename)

    def _full(self, source: str, filename: str) -> HostResult:
        tree = None
        if filename.endswith(PYTHON_SUFFIXES) and _eligible(source):
            parsed = parse_python(source, filename)
            tree = parsed if isinstance(parsed, ast.Module) else None
        result = self.session.check(source, filename, tree=tree)
        if tree is not None and not result.problems() and not result.config_error:
            lines = split_lines(source)
            units = _units(tree.body, lines, 0)
            if units is not None:
                inside, loose = _assign(units, result.findings)
                for unit, findings in zip(units, inside, strict=True):
                    unit.findings = findings
                self._states[filename] = _State(source, lines, units, loose, _Index(units))
        return result


def _eligible(source: str) -> bool:
    """Whether a text can be checked piecewise at all."""
    if source.startswith("\ufeff") or "\x00" in source:
        return False
    return not any(FILE_NOQA_RE.match(line) for line in source.splitlines() if "noqa" in line)


def _units(body: list[ast.stmt], lines: list[str], offset: int) -> list[_Unit] | None:
    """The statements of ``body`` (line numbers from ``offset``) grouped by shared lines."""
    groups: list[list[ast.stmt]] = []
    spans: list[tuple[int, int]] = []
    for node in body:
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return None  # a star import binds any name
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        start, end = offset + first - 1, offset + (node.end_lineno or node.lineno)
        if spans and start < spans[-1][1]:
            groups[-1].append(node)
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            groups.append([node])
            spans.append((start, end))
    return [_unit(group, span, lines) for group, span in zip(groups, spans, strict=True)]


def _unit(nodes: list[ast.stmt], span: tuple[int, int], lines: list[str]) -> _Unit:
    text = "".join(lines[span[0] : span[1]])
    words = frozenset(_WORD_RE.findall(text))
    if len(nodes) == 1 and isinstance(nodes[0], _DEFS):
        node = nodes[0]
        binds = {node.name}
        imported: set[str] = set()
        if "global" in words or ":=" in text or "import" in words:
            for inner in ast.walk(node):  # what the body may bind at module level
                if isinstance(inner, ast.Global):
                    binds.update(inner.names)
                elif isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                    binds.add(inner.target.id)
                elif isinstance(inner, (ast.Import, ast.ImportFrom)):
                    imported.update((a.asname or a.name).partition(".")[0] for a in inner.names)
        if isinstance(node, ast.ClassDef):
            stub = f"class {node.name}: ...\n"
        else:
            head = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
            stub = f"{head} {node.name}(): ...\n"
        # on the ``def``/``class`` line, counted from the first decorator's
        at = node.lineno - min([node.lineno, *(d.lineno for d in node.decorator_list)])
        unit = _Unit(*span, "def", words, frozenset(binds), (at, stub))
        unit.imported = frozenset(imported)
        return unit
    binds = set[str]()
    imports = False
    for statement in nodes:
        imports = _module_bindings(statement, binds) or imports
    if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes):
        # the names of its code: a trailing comment (a noqa one too) is not
        # what its findings depend on
        code = "".join(line.partition("#")[0] for line in lines[span[0] : span[1]])
        return _Unit(*span, "import", frozenset(_WORD_RE.findall(code)), frozenset(binds))
    docstring = isinstance(nodes[0], ast.Expr) and isinstance(nodes[0].value, ast.Constant)
    if imports or docstring:
        return _Unit(*span, "code", words, frozenset(binds))
    # its stub: the names it binds at module level, bound to None
    bind = " = ".join([*sorted(binds), "None\n"]) if binds else "\n"
    return _Unit(*span, "code", words, frozenset(binds), (0, bind))


def _module_bindings(node: ast.AST, out: set[str]) -> bool:
    """Add the names ``node`` binds in the module's scope to ``out``; whether it imports."""
    imports = False
    todo = [node]
    while todo:
        inner = todo.pop()
        if isinstance(inner, (*_DEFS,)):
            out.add(inner.name)
            todo.extend(inner.decorator_list)  # evaluated in the module's scope
            if isinstance(inner, ast.ClassDef):
                todo.extend(inner.bases)
                todo.extend(k.value for k in inner.keywords)
            else:
                todo.extend(d for d in (*inner.args.defaults, *inner.args.kw_defaults) if d)
            continue
        if isinstance(inner, ast.comprehension):  # its targets are the comprehension's own
            todo.extend([inner.iter, *inner.ifs])
            continue
        if isinstance(inner, ast.Lambda):
            todo.extend(d for d in (*inner.args.defaults, *inner.args.kw_defaults) if d)
            continue
        if isinstance(inner, (ast.Import, ast.ImportFrom)):
            imports = True
            out.update((a.asname or a.name).partition(".")[0] for a in inner.names)
        elif isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
            out.add(inner.id)
        elif isinstance(inner, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and inner.name:
            out.add(inner.name)
        elif isinstance(inner, ast.MatchMapping) and inner.rest:
            out.add(inner.rest)
        elif isinstance(inner, ast.Global):
            out.update(inner.names)
        todo.extend(ast.iter_child_nodes(inner))
    return imports


def _assign(
    units: list[_Unit], findings: Iterable[Finding]
) -> tuple[list[list[Finding]], dict[int, list[Finding]]]:
    """The findings in each unit (by its first line), and the others by line (0-based)."""
    starts = [u.start for u in units]
    inside: list[list[Finding]] = [[] for _ in units]
    loose: dict[int, list[Finding]] = {}
    for finding in findings:
        line = finding.line - 1
        index = bisect_right(starts, line) - 1
        if index >= 0 and line < units[index].end and finding.cell is None:
            inside[index].append(finding)
        else:
            loose.setdefault(line, []).append(finding)
    return inside, loose


def _shifted(findings: list[Finding], delta: int) -> list[Finding]:
    if not delta:
        return findings
    return [
        replace(f, line=f.line + delta, end_line=f.end_line + delta if f.end_line else 0)
        for f in findings
    ]


def _recheckable(unit: _Unit) -> bool:
    """Whether an import has findings its uses may change.

    An unused ``# noqa`` (DL002) on it depends on the findings of its own
    line only, and they are reported for the import's text.
    """
    return any(f.code != UNUSED_NOQA_CODE for f in unit.findings)


def _about(unit: _Unit) -> set[str]:
    """The names an import's findings may depend on besides other files.

    An import is reported for its own text; how its fix rewrites the module
    (and so whether it has one, and what its message says is missing)
    depends on the module's uses of the names it binds and of the modules'
    names, which the finding's message and fix name. The statements that
    did not change use them as before: only the edited lines can change them.
    """
    out = set(unit.words) - _KEYWORDS
    for finding in unit.findings:
        texts = [finding.message, finding.no_fix.detail if finding.no_fix else ""]
        texts += [edit.content for edit in finding.fix.edits] if finding.fix else []
        for dotted in _DOTTED_RE.findall(" ".join(texts)):
            out.update(dotted.split("."))
    return out


def _recheck_imports(
    session: HostSession, filename: str, lines: list[str], units: list[_Unit], targets: list[_Unit]
) -> bool:
    """Find again the findings of the imports ``targets`` (among ``units``); whether it could.

    Their rules run on the imports and every statement that mentions a name
    their findings may depend on (:func:`_about`), verbatim, the rest blank.
    """
    about = set().union(*(_about(u) for u in targets))
    codes = frozenset(f.code for u in targets for f in u.findings) - {UNUSED_NOQA_CODE}
    reduced = ["\n"] * len(lines)
    for unit in units:
        if unit.kind == "import" or unit.stub is None or not unit.words.isdisjoint(about):
            reduced[unit.start : unit.end] = lines[unit.start : unit.end]
    result = session.check("".join(reduced), filename, only=codes, settle=False)
    if result.problems() or result.config_error:
        return False
    spans = [(u.start, u.end) for u in targets]
    if any(a <= f.line - 1 < b for f in result.deferred for a, b in spans):
        return False  # decided with other files
    for unit in targets:
        kept = [f for f in unit.findings if f.code not in codes]
        found = [f for f in result.findings if unit.start <= f.line - 1 < unit.end]
        unit.findings = sorted([*kept, *found], key=Finding.sort_key)
    return True


def _partial(
    session: HostSession, state: _State, source: str, filename: str
) -> tuple[HostResult, _State] | None:
    """The result of ``source`` from ``state``'s, or ``None`` when only a full check will do."""
    if source.startswith("\ufeff"):
        return None
    lines = split_lines(source)
    old = state.lines
    limit = min(len(old), len(lines))
    first = 0
    while first < limit and old[first] == lines[first]:
        first += 1
    if first == len(old) == len(lines):
        findings = [f for u in state.units for f in u.findings]
        findings += [f for group in state.loose.values() for f in group]
        findings.sort(key=Finding.sort_key)
        unchanged = _State(source, lines, state.units, state.loose, state.index)
        return HostResult(findings=findings), unchanged
    same = 0
    while same < limit - first and old[-1 - same] == lines[-1 - same]:
        same += 1
    low, high = first, len(old) - same  # the changed lines of the old text: [low, high)
    units = state.units
    touched = [
        i
        for i, u in enumerate(units)
        if (u.start < high and u.end > low) or (low == high and u.start < low < u.end)
    ]
    if touched:
        low = min(low, units[touched[0]].start)
        high = max(high, units[touched[-1]].end)
        if any(units[i].kind != "def" for i in touched):
            return None  # module-level code changed: what every statement resolves against
    before = [u for u in units if u.end <= low]
    after = [u for u in units if u.start >= high]
    delta = len(lines) - len(old)
    new_high = high + delta
    region = "".join(lines[low:new_high])
    if "noqa" in region and any(FILE_NOQA_RE.match(line) for line in lines[low:new_high]):
        return None
    parsed = parse_python(region, filename)
    if not isinstance(parsed, ast.Module):
        return None
    fresh = _units(parsed.body, lines, low)
    if fresh is None or any(u.kind != "def" for u in fresh):
        return None
    gone = [units[i] for i in touched]
    mentioned = set(_WORD_RE.findall("".join(old[low:high]))) | set(_WORD_RE.findall(region))
    changed = frozenset(mentioned)
    bound = {name for u in (*gone, *fresh) for name in u.binds}
    index = state.index
    for unit in gone:
        index.remove(unit)
    joined = index.component(bound, mentioned)
    others = [*before, *after]
    imports = [u for u in others if u.kind == "import" and _recheckable(u) and _about(u) & changed]
    size = new_high - low + sum(u.end - u.start for u in joined)
    if size > MAX_SHARE * len(lines):
        return None
    # An import inside a re-checked function: its fix reads every use of the
    # name it binds, so the statements using that name stay verbatim too.
    imported = frozenset().union(*(u.imported for u in (*joined, *fresh)))
    reduced = list(lines)
    for u in others:
        if u.stub is None or u in joined or not u.words.isdisjoint(imported):
            continue
        start = u.start if u.end <= low else u.start + delta
        reduced[start : start + u.end - u.start] = ["\n"] * (u.end - u.start)
        reduced[start + u.stub[0]] = u.stub[1]
    result = session.check("".join(reduced), filename, settle=False)
    if result.problems() or result.config_error:
        return None
    for u in after:  # the old state is given up: its statements move in place
        u.start += delta
        u.end += delta
        if u not in joined:
            u.findings = _shifted(u.findings, delta)
    for unit in fresh:
        index.add(unit)
    new_units = [*before, *fresh, *after]
    buckets, loose_new = _assign(new_units, result.findings)
    redo = joined.union(fresh)
    for finding in result.deferred:
        line = finding.line - 1
        if low <= line < new_high or any(u.start <= line < u.end for u in redo):
            return None  # decided with other files: only a full check settles it
    for unit, bucket in zip(new_units, buckets, strict=True):
        if unit in redo:
            unit.findings = bucket
    if imports and not _recheck_imports(session, filename, lines, new_units, imports):
        return None
    loose: dict[int, list[Finding]] = {}
    for line, group in state.loose.items():
        if line < low:
            loose[line] = group
        elif line >= high:
            loose[line + delta] = _shifted(group, delta)
    for line, group in loose_new.items():
        if low <= line < new_high:
            loose[line] = group
    findings = [f for u in new_units for f in u.findings]
    findings += [f for group in loose.values() for f in group]
    findings.sort(key=Finding.sort_key)
    return HostResult(findings=findings), _State(source, lines, new_units, loose, index)
