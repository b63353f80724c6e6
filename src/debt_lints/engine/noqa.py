"""``# noqa`` comments: what each one suppresses, and which suppress nothing (DL002).

The engine hands every finding of a file to :func:`suppress`, which keeps
the findings no comment covers and records, for each comment, the findings
it hid. That bookkeeping serves three purposes:

- the suppressed findings go on to the baseline, so that debt hidden by a new
  ``# noqa`` is not counted as fixed (``docs/baseline.md``);
- DL002 ``unused-noqa`` reports a DL code in a comment that suppressed
  nothing, and a DL code no rule has (``# noqa: DL999``), as ruff's RUF100
  and flake8-noqa do;
- the first match wins, as in flake8: a finding is attributed to the file-level
  exemption first, then to the comment on its own line, then to the comment
  on the first line of its statement.

Only codes of debt-lints' own rules are judged: a bare ``# noqa``, or one
naming another tool's codes (``E501``), may be there for flake8 or ruff.
A code is judged unused only when its rule ran (``--select DL2`` says nothing
about DL301).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.model import Finding
from debt_lints.core.record import FrozenRecord, Record

#: The code DL002 reports under (its rule module is ``checkers/general/unused_noqa.py``).
UNUSED_NOQA_CODE = "DL002"
_CODE = r"[A-Z]+[0-9]+"
NOQA_RE = lazy_pattern(
    rf"#\s*noqa(?::[\s]?(?P<codes>{_CODE}(?:[,\s]+{_CODE})*))?",
    re.IGNORECASE,
)
#: A file-level exemption: a comment on a line of its own reading
#: ``flake8: noqa`` (the whole file, as flake8 has it), ``ruff: noqa`` or
#: ``debt-lints: noqa``, the last two optionally with codes
#: (``debt-lints: noqa: DL201``), as ruff has it.
FILE_NOQA_RE = lazy_pattern(
    r"^\s*#\s*(?:(?P<flake8>flake8)|ruff|debt-lints)\s*:\s*noqa"
    rf"(?::\s*(?P<codes>{_CODE}(?:[,\s]+{_CODE})*))?\s*$",
    re.IGNORECASE,
)
_SPLIT_RE = lazy_pattern(r"[,\s]+")


class Directive(Record):
    """One ``# noqa`` comment: where it is, what it names, what it suppressed."""

    __slots__ = ("codes", "column", "file_level", "line", "used")
    line: int
    column: int
    #: The codes as written (upper-cased, in order); empty: every code.
    codes: tuple[str, ...]
    file_level: bool
    #: The codes (as written) that suppressed at least one finding.
    used: set[str]

    def __init__(
        self,
        line: int,
        column: int,
        codes: tuple[str, ...],
        file_level: bool = False,
        used: set[str] | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.codes = codes
        self.file_level = file_level
        self.used = set() if used is None else used

    def covers(self, code: str) -> str | None:
        """The code of this comment that suppresses ``code`` (``""`` for a bare one)."""
        if not self.codes:
            return ""
        for written in self.codes:
            if code.startswith(written):
                return written
        return None


def _codes(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(c.upper() for c in _SPLIT_RE.split(text) if c))


def noqa_codes(line_text: str) -> frozenset[str] | None:
    """Codes a ``# noqa`` comment on this line suppresses; empty set means all; None: no comment."""
    directive = line_directive(line_text, 0)
    return None if directive is None else frozenset(directive.codes)


def line_directive(line_text: str, line: int, offset: int = 0) -> Directive | None:
    """The ``# noqa`` comment on one line, if it has one (``offset``: the
    0-based column ``line_text`` starts at, when it is only the line's comment)."""
    if "noqa" not in line_text.lower():
        return None
    match = NOQA_RE.search(line_text)
    if match is None:
        return None
    return Directive(line, offset + match.start() + 1, _codes(match.group("codes")))


#: Line -> (0-based column, text) of each comment of a Python file.
Comments = Mapping[int, tuple[int, str]]


def python_comments(lines: Sequence[str], tree: ast.Module | None = None) -> Comments | None:
    """The comments of Python source (its lines, as the engine split them), by
    line, from the tokenizer (as flake8 reads them), so that ``"# noqa"`` inside
    a string is not a comment. ``None`` when the tokenizer gives up (the caller
    then reads lines as they are).

    With ``tree`` (the module parsed from these lines), only the lines that
    mention ``noqa`` are read, each from the first line of the statement
    around it (never inside a string): Python 3.11's tokenizer is pure Python,
    and reading a 2,000-line file costs as much as checking it.
    """
    if tree is not None:
        return _noqa_line_comments(lines, tree)
    return _comments(lines, 1, len(lines), strict=True)


def _comments(
    lines: Sequence[str], first: int, last: int, *, strict: bool
) -> dict[int, tuple[int, str]] | None:
    """The comments of lines ``first`` to ``last`` (1-based), tokenized from ``first``.

    ``strict``: ``None`` when the tokenizer gives up; otherwise (a statement
    cut after ``last``) the comments read until then.
    """
    import tokenize

    # Lines end as Python splits them (\r, \r\n, \n); the tokenizer wants \n.
    feed = iter([line.rstrip("\r\n") + "\n" for line in lines[first - 1 : last]])
    out: dict[int, tuple[int, str]] = {}
    try:
        for token in tokenize.generate_tokens(lambda: next(feed, "")):
            if token.type == tokenize.COMMENT:
                out[first - 1 + token.start[0]] = (token.start[1], token.string)
    except (tokenize.TokenError, SyntaxError, ValueError):
        if strict:
            return None
    return out


def _noqa_line_comments(lines: Sequence[str], tree: ast.Module) -> Comments | None:
    starts: dict[int, int] = {}  # statement start -> the last noqa line it holds
    for number, text in enumerate(lines, start=1):
        if "noqa" in text.lower():
            start = _statement_start(tree, number)
            starts[start] = max(starts.get(start, number), number)
    out: dict[int, tuple[int, str]] = {}
    for start, last in starts.items():
        found = _comments(lines, start, last, strict=False)
        if found is not None:
            out.update(found)
    return out


def _statement_start(tree: ast.Module, line: int) -> int:
    """The first line of the innermost statement around ``line`` (decorators
    included); ``line`` itself when no statement holds it (a comment between
    statements). Tokenizing from there starts outside any string or bracket."""
    start = line
    body: list[ast.AST] = list(tree.body)
    while body:
        for node in body:
            if not isinstance(node, ast.stmt):
                continue
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            if first <= line <= (node.end_lineno or node.lineno):
                start = first
                body = _inner_statements(node)
                break
        else:
            break
    return start


def _inner_statements(node: ast.stmt) -> list[ast.AST]:
    out: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            out.append(child)
        elif isinstance(child, (ast.excepthandler, ast.match_case)):
            out.extend(c for c in ast.iter_child_nodes(child) if isinstance(c, ast.stmt))
    return out


def _comment_lines(
    lines: Sequence[str], comments: Comments | None
) -> Iterable[tuple[int, int, str]]:
    """``(line, offset, text)`` of what may hold a noqa comment."""
    if comments is None:
        for number, text in enumerate(lines, start=1):
            if "noqa" in text.lower():
                yield number, 0, text
        return
    for number, (offset, text) in sorted(comments.items()):
        if "noqa" in text.lower():
            yield number, offset, text


def file_directives(lines: Sequence[str], comments: Comments | None = None) -> list[Directive]:
    """The file-level exemptions of a file (see :data:`FILE_NOQA_RE`).

    ``# flake8: noqa: CODES`` is not one: flake8 ignores a file-level noqa
    that names codes, and so does debt-lints.
    """
    out = []
    for number, offset, text in _comment_lines(lines, comments):
        if offset and lines[number - 1][:offset].strip():
            continue  # a comment after code, not on a line of its own
        match = FILE_NOQA_RE.match(text)
        if match is None:
            continue
        codes = _codes(match.group("codes"))
        if codes and match.group("flake8"):
            continue
        out.append(Directive(number, offset + text.index("#") + 1, codes, file_level=True))
    return out


def file_noqa_codes(lines: Sequence[str]) -> frozenset[str] | None:
    """Codes exempted for the whole file; an empty set means every code; ``None``: none."""
    directives = file_directives(lines)
    if not directives:
        return None
    if any(not d.codes for d in directives):
        return frozenset()
    return frozenset(c for d in directives for c in d.codes)


class Suppression(Record):
    """What the ``# noqa`` comments of one file did with its findings."""

    __slots__ = ("directives", "kept", "suppressed")
    kept: list[Finding]
    suppressed: list[Finding]
    directives: list[Directive]

    def __init__(
        self,
        kept: list[Finding] | None = None,
        suppressed: list[Finding] | None = None,
        directives: list[Directive] | None = None,
    ) -> None:
        self.kept = [] if kept is None else kept
        self.suppressed = [] if suppressed is None else suppressed
        self.directives = [] if directives is None else directives


def suppress(
    findings: Iterable[Finding],
    lines: Sequence[str],
    first_line: Callable[[int], int],
    *,
    every_comment: bool = False,
    comments: Comments | None = None,
) -> Suppression:
    """Split ``findings`` into kept and suppressed, recording what each comment hid.

    A finding is suppressed by a file-level exemption, or by ``# noqa`` on its
    own line or on the first line of its statement (multi-line calls).
    ``every_comment`` lists every comment of the file in ``directives`` (for
    DL002), not only those on lines with findings. ``comments`` (Python:
    :func:`python_comments`) limits the search to real comments.
    """
    out = Suppression()
    exempt = file_directives(lines, comments)
    by_line: dict[int, Directive | None] = {}
    if every_comment:
        skip = {d.line for d in exempt}
        for number, offset, text in _comment_lines(lines, comments):
            if number not in skip:
                by_line[number] = line_directive(text, number, offset)

    def at(line: int) -> Directive | None:
        if line not in by_line:
            if comments is not None:
                offset, text = comments.get(line, (0, ""))
            else:
                offset, text = 0, lines[line - 1] if 1 <= line <= len(lines) else ""
            by_line[line] = line_directive(text, line, offset)
        return by_line[line]

    for finding in findings:
        candidates = [*exempt, at(finding.line)]
        first = first_line(finding.line)
        if first != finding.line:
            candidates.append(at(first))
        for directive in candidates:
            if directive is None:
                continue
            written = directive.covers(finding.code)
            if written is not None:
                directive.used.add(written)
                out.suppressed.append(finding)
                break
        else:
            out.kept.append(finding)
    out.directives = [*exempt, *(d for d in by_line.values() if d is not None)]
    return out


def unused(
    directives: Iterable[Directive],
    ran: Collection[str],
    known: Collection[str],
) -> list[tuple[Directive, str, str]]:
    """``(directive, code, why)`` for each DL code of a comment that DL002 reports.

    ``ran`` are the codes of the rules that ran on the file, ``known`` every
    registered (or reserved) code. ``why`` is ``"unknown"`` or ``"unused"``.
    """
    out = []
    for directive in sorted(directives, key=lambda d: d.line):
        for code in directive.codes:
            if not code.startswith("DL"):
                continue  # another tool's code (E501, S101)
            if not any(k.startswith(code) for k in known):
                out.append((directive, code, "unknown"))
            elif code not in directive.used and any(r.startswith(code) for r in ran):
                out.append((directive, code, "unused"))
    return out


class NoqaEdit(FrozenRecord):
    """The text that makes a line's ``# noqa`` suppress a code: ``text`` replaces
    columns ``column`` to ``end`` of ``line`` (1-based line, 0-based columns in
    code points)."""

    __slots__ = ("column", "end", "line", "text")
    line: int
    column: int
    end: int
    text: str

    def __init__(self, line: int, column: int, end: int, text: str) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end", end)
        _set(self, "text", text)


class NoqaPlaces:
    """Where a Python text can take a ``# noqa`` comment (the editor's "suppress" action).

    The text is tokenized once; :meth:`edit` then answers per finding.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        import tokenize

        self.lines = lines
        #: Lines whose end can hold a comment.
        self.ends: set[int] = set()
        self.comments: dict[int, tuple[int, str]] = {}
        #: Physical line -> first line of its logical line (its statement).
        self.starts: dict[int, int] = {}
        #: ``False`` when the tokenizer gave up (the text does not parse).
        self.ok = True
        feed = iter([text.rstrip("\r\n") + "\n" for text in lines])
        start: int | None = None
        skipped = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
        try:
            for token in tokenize.generate_tokens(lambda: next(feed, "")):
                kind, (first, column), (last, _) = token.type, token.start, token.end
                if kind == tokenize.COMMENT:
                    self.comments[first] = (column, token.string)
                    self.ends.add(first)
                elif kind in (tokenize.NEWLINE, tokenize.NL):
                    self.ends.add(first)
                if kind == tokenize.NEWLINE:
                    if start is not None:
                        for number in range(start, last + 1):
                            self.starts.setdefault(number, start)
                    start = None
                elif kind not in skipped and start is None:
                    start = first
        except (tokenize.TokenError, SyntaxError, ValueError):
            self.ok = False

    def edit(self, line: int, code: str) -> NoqaEdit | None:
        """How to suppress ``code`` reported at ``line`` with ``# noqa``.

        On the finding's own line, or, when that line cannot end with a
        comment (it ends inside a string, or continues with a backslash), on
        the first line of its statement: the two lines :func:`suppress` reads.
        An existing ``# noqa: CODES`` gains the code; another comment is kept,
        the ``# noqa`` after it. ``None`` when the comment there already covers
        the code, or no line can hold one (the text does not tokenize).
        """
        if not self.ok:
            return None
        for target in dict.fromkeys((line, self.starts.get(line, line))):
            if target in self.ends and 1 <= target <= len(self.lines):
                return _insert_noqa(self.lines[target - 1], target, self.comments.get(target), code)
        return None


def noqa_edit(lines: Sequence[str], line: int, code: str) -> NoqaEdit | None:
    """:meth:`NoqaPlaces.edit` for one finding."""
    return NoqaPlaces(lines).edit(line, code)


def _insert_noqa(
    text: str, line: int, comment: tuple[int, str] | None, code: str
) -> NoqaEdit | None:
    if comment is not None:
        offset, written = comment
        directive = line_directive(written, line, offset)
        if directive is not None:
            if directive.covers(code) is not None:
                return None  # already suppressed (a bare noqa covers every code)
            match = NOQA_RE.search(written)
            assert match is not None
            at = offset + match.end()
            return NoqaEdit(line, at, at, f", {code}")
        at = offset + len(written)
        return NoqaEdit(line, at, at, f"  # noqa: {code}")
    body = text.rstrip("\r\n")
    return NoqaEdit(line, len(body.rstrip()), len(body), f"  # noqa: {code}")
