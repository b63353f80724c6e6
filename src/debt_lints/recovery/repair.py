"""Re-parse a file that does not parse, neutralising one damaged statement at a time.

Each attempt parses the patched text with ``ast`` (after the first, only the
statements of the block around the patch while they fail: :func:`_region`;
then the whole text, for its tree or the next error); the ``SyntaxError`` says
where the parser gave up, :mod:`~debt_lints.recovery.scan` gives the extent of
the logical line there, and that line is patched so that every other line is
left exactly as written (same line numbers, same columns):

* a compound-statement header (``class W(B)(Tool):``, a ``def`` with a mangled
  signature, an ``if`` with a placeholder) is replaced by a header that keeps
  its body where it was: ``class W:``, ``def f(self, *args, **kwargs):``,
  ``if True:``, ``except Exception:`` ... so a method stays a method of its
  class;
* a statement at the wrong indentation just after a header (an import inserted
  at column 0 inside a ``try:``), or anywhere in a block it interrupts (less
  indented than the statements before and after it, or than the statement
  before an ``except``), is moved to the block's indentation, and its nodes'
  columns are moved back afterwards: the rest of the block, class or function
  stays where it was;
* a statement inserted between a decorator and its ``def`` or ``class`` is
  moved above the decorators, at their indentation, and its nodes' lines are
  moved back afterwards (so are the decorators');
* a closing bracket too many (``sys.path.insert(0, p))``) is blanked;
* a bracket never closed is closed at the end of its logical line (before the
  next statement), when the statement then parses;
* any other damaged statement becomes what it did (:mod:`.salvage`: its calls,
  with their whole arguments, and its assignment target, inside a call of
  ``__debt_lints_damaged__``), each piece on its own line, or ``pass``, at an
  indentation that keeps the block structure around it.

A bracket never closed swallows the rest of the file into one logical line;
the statement is then taken to end before the first line that starts at its
own indentation or less (the next statement, as its author indented it).
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings
from bisect import bisect_left
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from debt_lints.analysis.context import split_lines
from debt_lints.recovery.salvage import DAMAGED, loses_calls, salvage, salvage_condition
from debt_lints.recovery.scan import Layout, closers_for, closers_of, rescan, scan

#: Parse attempts per file before recovery stops (each is one ``ast.parse``).
MAX_ATTEMPTS = 100
#: Characters parsed per file, over all attempts, before recovery stops: a huge
#: file full of errors costs at most as much as parsing this much source.
MAX_PARSED_CHARS = 40_000_000
#: A patch is checked on its region first when the region is at most this share
#: of the file (:func:`_check`).
REGION_SHARE = 0.1
#: A file of fewer characters is parsed whole after each patch: the rescan and the
#: cut of a region would cost more than the parse they could save.
REGION_MIN_CHARS = 4_000

_COMPOUND_RE = re.compile(
    r"(?P<indent>[ \t\f]*)(?P<async>async[ \t]+)?"
    r"(?P<kw>class|def|if|elif|else|for|while|try|except|finally|with|match|case)\b"
    r"(?:[ \t]*\*?[ \t]*(?P<name>[A-Za-z_][A-Za-z0-9_]*))?"
)
_INDENT_RE = re.compile(r"[ \t\f]*")


@dataclass
class Recovery:
    """A tree for the recoverable part of a file, with the original file's positions."""

    tree: ast.Module
    #: Parse attempts made (the first one is the failing parse).
    attempts: int
    #: Physical lines (1-based, inclusive) replaced or moved to get ``tree``.
    damaged: list[tuple[int, int]] = field(default_factory=list)
    #: The part of ``damaged`` whose text the tree does not hold whole, so that what
    #: was there may have released anything: a statement whose damage hid what a
    #: call did (:func:`.loses_calls`: ``${X}.ctx.destroy(0)``) or that spanned
    #: several lines (they may have been a block's statements), a header whose
    #: clause hid a call, lines blanked or given up. A moved line, a closed or
    #: dropped bracket, a salvaged ``port = ${PORT}`` lose nothing of the kind.
    lost: list[tuple[int, int]] = field(default_factory=list)
    #: ``True`` when the bounds were reached and the rest of the file was given up.
    truncated: bool = False


def recover(text: str, error: SyntaxError | None = None) -> Recovery | None:
    """Parse ``text`` after neutralising its damaged statements; ``None`` if nothing parses.

    ``error``: the ``SyntaxError`` that ``ast.parse(text)`` raised, when the
    caller has it (the engine's own parse of the file failed): recovery starts
    from it instead of parsing the file again, and drops its traceback.

    Never raises: whatever goes wrong inside recovery (the parser's own
    ``RecursionError`` or ``MemoryError`` on a pathological attempt, or a bug
    here) is the same as there being nothing to recover, and the file keeps
    its DL001. The tests call :func:`_recover`, which lets a bug show.
    """
    if error is not None:
        # Its traceback holds the caller's frame, whose locals hold the error: a
        # cycle that would keep the caller's frame (and the tree it goes on to
        # hold) alive until the cyclic collector finds it. Nothing reads it.
        error.__traceback__ = None
    try:
        return _recover(text, error)
    except Exception:  # recovery is a bonus: it must never cost the file its DL001
        return None


def _parse(text: str) -> ast.Module | SyntaxError:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as exc:
        # Without its traceback: it holds this frame and the caller's, whose
        # locals hold the error (a cycle only the cyclic collector frees).
        return exc.with_traceback(None)


class _Patch:
    """The patched lines and what was done to them."""

    def __init__(self, text: str) -> None:
        # NUL bytes cannot be parsed anywhere; a space keeps every column.
        self.lines = split_lines(text.replace("\0", " ")) or [""]
        #: Line (0-based) -> columns its content was moved right (negative: left).
        self.shifts: dict[int, int] = {}
        #: Patched line (0-based) -> the file's line, once a line was moved.
        self.origin: list[int] | None = None
        #: Lines of the file (1-based, inclusive) changed, and those whose text was lost.
        self.damaged: list[tuple[int, int]] = []
        self.lost: list[tuple[int, int]] = []
        #: Patched lines (0-based, inclusive) changed since :meth:`untouch`, or ``None``.
        self.touched: tuple[int, int] | None = None

    def text(self) -> str:
        return "".join(self.lines)

    def touch(self, first: int, last: int) -> None:
        """Note that patched lines ``first``..``last`` (0-based) changed."""
        if self.touched is not None:
            first, last = min(first, self.touched[0]), max(last, self.touched[1])
        self.touched = (first, last)

    def mark(self, first: int, last: int, lost: bool = False) -> None:
        """Record patched lines ``first``..``last`` (0-based) as damaged, in the file's lines."""
        self.touch(first, last)
        if self.origin is not None:
            lines = self.origin[first : last + 1] or [first]
            first, last = min(lines), max(lines)
        self.damaged.append((first + 1, last + 1))
        if lost:
            self.lost.append((first + 1, last + 1))

    def move(self, first: int, last: int, to: int, indent: str) -> bool:
        """Move lines ``first``..``last`` up to line ``to``, the first one at ``indent``.

        The lines from ``to`` move down; :func:`_restore_lines` gives every node
        its line in the file back after the parse.
        """
        if not 0 <= to < first <= last < len(self.lines):
            return False
        window = [*range(first, last + 1), *range(to, first)]
        lines = [self.lines[i] for i in window]
        stripped = lines[0].lstrip(" \t\f")
        moved = len(indent) - (len(lines[0]) - len(stripped))
        lines[0] = indent + stripped
        origin = self.origin if self.origin is not None else list(range(len(self.lines)))
        shifts = {to + k: self.shifts[i] for k, i in enumerate(window) if i in self.shifts}
        for i in range(to, last + 1):
            self.shifts.pop(i, None)
        self.shifts.update(shifts)
        if moved:
            self.shifts[to] = self.shifts.get(to, 0) + moved
        self.lines[to : last + 1] = lines
        self.origin = [*origin[:to], *(origin[i] for i in window), *origin[last + 1 :]]
        self.touch(to, last)
        self.mark(to, to + last - first)
        return True

    def replace(self, first: int, last: int, head: str, lost: bool = True) -> bool:
        """Lines ``first``..``last`` become the lines of ``head``, the ones it lacks blank.

        ``False`` when that changes nothing (the damage is elsewhere). ``lost``:
        ``head`` may not say everything the lines did (see :attr:`Recovery.lost`).
        """
        heads = head.split("\n")
        heads += [""] * (last - first + 1 - len(heads))
        new = [heads[0] + _ending(self.lines[first])]
        new.extend(
            heads[i - first] + (_ending(self.lines[i]) or "\n") for i in range(first + 1, last + 1)
        )
        if new == self.lines[first : last + 1]:
            return False
        self.lines[first : last + 1] = new
        for i in range(first, last + 1):
            self.shifts.pop(i, None)
        self.mark(first, last, lost=lost)
        return True

    def reindent(self, line: int, indent: str) -> bool:
        old = self.lines[line]
        stripped = old.lstrip(" \t\f")
        if old == indent + stripped:
            return False
        self.lines[line] = indent + stripped
        self.shifts[line] = self.shifts.get(line, 0) + len(indent) - (len(old) - len(stripped))
        self.mark(line, line)
        return True


def _ending(line: str) -> str:
    for end in ("\r\n", "\n", "\r"):
        if line.endswith(end):
            return end
    return ""


def _recover(text: str, error: SyntaxError | None = None) -> Recovery | None:
    patch = _Patch(text)
    layouts = _Layouts()
    current = patch.text()
    budget = MAX_PARSED_CHARS - len(current) - 1
    attempts = 1
    # The caller's error is the first attempt's when the text parsed is the file's
    # (a NUL byte is parsed as a space here: the error is then this text's own).
    result = error if error is not None and current == text else _parse(current)
    while not isinstance(result, ast.Module):
        if attempts >= MAX_ATTEMPTS or budget <= 0 or not _mend(patch, result, layouts):
            return _give_up(patch, result, attempts, layouts)
        attempts += 1
        result, budget = _check(patch, result, layouts, budget)
    return _recovered(result, patch, attempts)


class _Layouts:
    """The layout of the patched lines, scanned again only where a patch changed them."""

    def __init__(self) -> None:
        self.layout: Layout | None = None
        #: A rescan put off (:meth:`defer`): the patched lines then, and those changed.
        self.deferred: tuple[list[str], int, int] | None = None

    def defer(self, patch: _Patch) -> None:
        """Take note of the lines ``patch`` changed, rescanning them only when the layout is
        next needed (it may never be: the next parse may be the file's tree)."""
        touched, patch.touched = patch.touched, None
        if touched is not None:
            self.current()
            self.deferred = (list(patch.lines), *touched)

    def current(self) -> Layout | None:
        """The layout, with the rescan put off done."""
        if self.deferred is not None and self.layout is not None:
            self.layout = rescan(self.layout, *self.deferred)
        self.deferred = None
        return self.layout

    def of(self, patch: _Patch) -> Layout:
        touched, patch.touched = patch.touched, None
        self.layout = self.current()
        if self.layout is None:
            self.layout = scan(patch.text(), lazy=True)
        elif touched is not None:
            self.layout = rescan(self.layout, list(patch.lines), *touched)
        return self.layout


def _check(
    patch: _Patch, error: SyntaxError, layouts: _Layouts, budget: int
) -> tuple[ast.Module | SyntaxError, int]:
    """Parse the patched text again after a patch for ``error``, as little of it as will do.

    The region the patch changed (with the line of ``error``) is parsed alone
    first (:func:`_region`): while it still fails inside, that error is the
    one a parse of the whole file would give, at a fraction of the cost. Once
    it parses (or fails where the rest of the file could matter), the whole
    text is parsed: its tree, or the next error further on.
    """
    touched = patch.touched
    size = sum(map(len, patch.lines))
    # Without a layout yet (a ``)`` too many dropped needs none), the scan would
    # cost more than the region saves. A region holds at least the lines the patch
    # changed: when they alone are too big a share of the file (a small file), no
    # region will do, and the rescan waits until the layout is needed.
    region = None
    stale = layouts.current()
    if touched and stale is not None:
        stale.upto(touched[0])
    if stale is not None and not (touched and stale.starts[touched[0]] in stale.unclosed):
        # (A bracket closed that swallowed the rest of the file: the layout is
        # to be scanned again to the end; the whole parse costs less.)
        if size < REGION_MIN_CHARS or (
            touched
            and sum(map(len, patch.lines[touched[0] : touched[1] + 1])) > REGION_SHARE * size
        ):
            layouts.defer(patch)
            return _parse_all(patch, budget)
        layout = layouts.of(patch)
        line = min(max((error.lineno or 1) - 1, 0), len(layout.lines) - 1)
        lo, hi = (min(line, touched[0]), max(line, touched[1])) if touched else (line, line)
        region = _region(layout, lo, hi)
    # A region that parses is parsed again with the whole file (a parse that
    # builds the tree costs about three that fail): only a small one is worth it.
    if region is not None and len(region[0]) - region[1] > REGION_SHARE * size:
        region = None
    if region is not None:
        text, start, end, last_start = region
        budget -= len(text) + 1
        result = _parse(text)
        if isinstance(result, SyntaxError) and result.lineno is not None:
            at = result.lineno - 1
            if start <= at and (end == len(layout.lines) or at < last_start):
                return result, budget
    return _parse_all(patch, budget)


def _parse_all(patch: _Patch, budget: int) -> tuple[ast.Module | SyntaxError, int]:
    current = patch.text()
    return _parse(current), budget - len(current) - 1


def _width_of(line: str) -> int | None:
    """The indentation width of a line with code, ``None`` for a blank or comment line."""
    body = line.lstrip(" \t\f")
    if body[:1] in ("", "#", "\r", "\n"):
        return None
    return _width(line[: len(line) - len(body)])


def _previous_code(layout: Layout, line: int) -> int | None:
    """The first line of the last logical line with code before line ``line``."""
    starts, lines = layout.starts, layout.lines
    i = line - 1
    while i >= 0:
        i = starts[i]
        if _width_of(lines[i]) is not None:
            return i
        i -= 1
    return None


def _boundary(layout: Layout, line: int, level: int) -> bool:
    """Whether a statement at ``level`` begins a new statement on line ``line`` (a clause
    ``else:``, ``except ...:`` or a ``def`` after its decorators continues one)."""
    if _CLAUSE_RE.match(layout.lines[line]):
        return False
    before = _previous_code(layout, line)
    return not (
        before is not None
        and _width_of(layout.lines[before]) == level
        and layout.lines[before].lstrip(" \t\f").startswith("@")
    )


_MATCH_RE = re.compile(r"[ \t\f]*match\b")


def _region(
    layout: Layout, lo: int, hi: int, level: int | None = None
) -> tuple[str, int, int, int] | None:
    """The smallest run of whole statements of one block holding lines ``lo``..``hi``.

    With one more statement after them, so that what the parser looks ahead
    at is what it sees in the file; parsed alone, inside ``if 1:`` headers at
    the indentations of the block's enclosing headers (so the tokenizer counts
    the same indentation levels) and after blank lines (so every line keeps
    its number). ``(text, start, end, last)``: the text to parse, the lines
    ``start``..``end - 1`` it holds, and where its last statement begins (an
    error there or later may be the end of the region's doing, unless the
    region ends where the file does). ``None`` when no block region fits.
    """
    lines, starts = layout.lines, layout.starts
    count = len(lines)
    layout.upto(hi)
    lo = starts[lo]
    for i in range(lo, hi + 1):
        if starts[i] == i:
            width = _width_of(lines[i])
            if width is not None and (level is None or width < level):
                level = width
    if level is None:
        return None
    # Back to the statement at ``level`` holding line ``lo``.
    start = None
    i = lo
    while i >= 0:
        i = starts[i]
        width = _width_of(lines[i])
        if width is not None:
            if width < level:
                if start is None:  # indented under no statement at ``level``: take the one above
                    return _region(layout, i, hi, width)
                break
            if width == level:
                start = i
                if _boundary(layout, i, level):
                    break
        i -= 1
    if start is None:
        return None
    before = _previous_code(layout, start)
    if before is not None and layout.code(layout.extent(before)[1]).endswith(":"):
        # After a header, where its body should be (``def f():`` then an import at
        # its indentation): the parser's error is the header's; take it in.
        width = _width_of(lines[before])
        return _region(layout, before, hi, level if width is None else min(level, width))
    # The headers of the enclosing blocks, innermost last.
    headers: list[str] = []
    inner = level
    i = start - 1
    while inner > 0 and i >= 0:
        i = starts[i]
        width = _width_of(lines[i])
        if width is not None and width < inner:
            if not layout.code(layout.extent(i)[1]).endswith(":"):
                # Not a block as Python reads it: the region holds that line too.
                return _region(layout, i, hi, width)
            if not headers and _MATCH_RE.match(lines[i]):
                return None  # the cases of a ``match``: no ``if 1:`` can hold them
            headers.append(lines[i][: len(lines[i]) - len(lines[i].lstrip(" \t\f"))])
            inner = width
        i -= 1
    if inner > 0 or len(headers) > start:
        return None
    # Forward to the statement after the last one holding ``hi``.
    end = count
    last = start
    margin = False
    for i in range(hi + 1, count):
        if i >= layout.done:
            layout.upto(i)
        if starts[i] != i:
            continue
        width = _width_of(lines[i])
        if width is None or width > level:
            continue
        if width < level:
            end = i
            break
        if _boundary(layout, i, level):
            if margin:
                end = i
                break
            margin = True
            last = i
    if not margin and end < count:
        # The block ends with these statements: what the parser looks ahead at
        # is the first line of the statement after the block, at the indentation
        # of one of the headers (an error there says nothing of the region's).
        last = end
        end = layout.extent(end)[1] + 1
    head = "\n" * (start - len(headers)) + "".join(h + "if 1:\n" for h in reversed(headers))
    return head + "".join(lines[start:end]), start, end, last


def _give_up(
    patch: _Patch, error: SyntaxError, attempts: int, layouts: _Layouts
) -> Recovery | None:
    """Keep the top-level statements before the error; drop the rest of the file."""
    layout = layouts.of(patch)
    line = min(max((error.lineno or 1) - 1, 0), len(layout.lines) - 1)
    first, _ = layout.extent(line)
    # Back to the top-level statement holding the error: cutting inside a
    # block could leave a header with no body.
    while first > 0 and (layout.starts[first] != first or _indent(layout.lines[first])):
        first -= 1
    if first == 0:
        return None
    for i in range(first, len(patch.lines)):
        patch.lines[i] = _ending(patch.lines[i]) or "\n"
    patch.mark(first, len(patch.lines) - 1, lost=True)
    result = _parse(patch.text())
    if not isinstance(result, ast.Module):
        return None
    return _recovered(result, patch, attempts + 1, truncated=True)


def _recovered(tree: ast.Module, patch: _Patch, attempts: int, truncated: bool = False) -> Recovery:
    """The tree with the file's columns and lines, and what was done to get it."""
    _shift_columns(tree, patch.shifts)
    if patch.origin is not None:
        _restore_lines(tree, patch.origin)
    return Recovery(tree, attempts, patch.damaged, patch.lost, truncated)


def _mend(patch: _Patch, error: SyntaxError, layouts: _Layouts) -> bool:
    """Patch the statement ``error`` points at; ``False`` if nothing could be changed."""
    message = error.msg or ""
    line = min(max((error.lineno or 1) - 1, 0), len(patch.lines) - 1)
    # Needs no layout: done before the scan, which costs a few parses on some files.
    if message.startswith("unmatched ") and _drop_closer(patch, line, error.offset):
        return True
    layout = layouts.of(patch)
    count = len(layout.lines)
    first, last = layout.extent(line)
    if _move_above_decorators(patch, layout, first, last):
        return True
    for candidate in (first, _statement_before(layout, first)):
        if candidate is not None and _reindent_interrupting(patch, layout, candidate):
            return True
    if first in layout.unclosed or "never closed" in (error.msg or ""):
        whole = last
        last = _cut_unclosed(layout, first, last)
        if (last < whole or last == count - 1) and _close_brackets(patch, layout, first, last):
            return True
    if message == "unexpected indent":
        last = _indented_run(layout, first, last)
    header = _previous_statement(layout, first)
    indent = _indentation_for(layout, first, last, header)
    if (
        message.startswith("expected an indented block")
        and first == last
        and first == line
        and header is not None
        and not _COMPOUND_RE.match(layout.lines[first])
        and patch.reindent(first, indent)
    ):
        return True
    replacement = _header_for(layout, first, last, indent)
    if replacement is None:
        replacement = _neutral(layout, first, last, indent)
    if patch.replace(first, last, *replacement):
        return True
    # The line the parser names is already neutral: the damage is before it
    # (a header whose body went missing); neutralise the statement before.
    if header is not None:
        before_first, before_last = layout.extent(header)
        indent = _indentation_for(layout, before_first, before_last, None)
        return patch.replace(before_first, before_last, indent + "pass")
    return False


#: Clauses that continue the statement before them at its indentation.
_CLAUSE_RE = re.compile(r"[ \t\f]*(?:else|elif|except|finally)\b")
#: How the code of a line ends when it continues on the next one.
_CONTINUED = (",", "(", "[", "{", "\\", "+", "-", "*", "/", "%", "|", "&", "^", "=", ".", "@")


def _statement_before(layout: Layout, first: int) -> int | None:
    """The first line of the logical line before line ``first`` (blank lines skipped)."""
    i = layout.code_before(first)
    return layout.starts[i] if i >= 0 else None


def _width(indent: str) -> int:
    return len(indent.expandtabs(8))


def _reindent_interrupting(patch: _Patch, layout: Layout, line: int) -> bool:
    """Move a statement that interrupts a block, less indented, to the block's indentation.

    A bulk edit that inserts ``from common.utils import x`` at column 0 in the
    middle of a block (a ``try:`` body, a method) ends the block for Python:
    the statement before it is indented deeper, and so is the statement after
    it (or that one is an ``except``/``else`` clause at column 0, which no
    column-0 simple statement can precede). Python cannot read that otherwise,
    so the statement is moved into the block it interrupts, where it was
    inserted; the next statement must look like one (no closing bracket that
    nothing opened, the column-0 line not continued), or it is the next
    statement that is damaged (a call's old arguments left behind).
    """
    if layout.starts[line] != line or layout.is_blank(line):
        return False
    first, last = layout.extent(line)
    if first in layout.unopened or first in layout.unclosed:
        return False
    before = _statement_before(layout, first)
    following = _next_code_line(layout, last)
    if before is None or following is None or layout.starts[following] != following:
        return False
    if layout.code(before).endswith(":"):
        return False  # a header before it: an empty block, handled as such
    own = _width(_indent(layout.lines[line]))
    block = _indent(layout.lines[before])
    after = _indent(layout.lines[following])
    if _width(block) <= own:
        return False
    target: str | None
    if _CLAUSE_RE.match(layout.lines[following]) and _width(after) >= own:
        # Before an ``elif``/``else``/``except``: into the body of the clause before
        # it; if that body is on its header's line (``elif x: y``), no statement
        # can stand there: the inserted line is left out, the clauses are kept.
        target = block if _width(block) > _width(after) else None
    elif _width(after) > own:
        if following in layout.unopened or layout.code(following).lstrip()[:1] in ")]}.":
            return False
        target = after if _width(after) <= _width(block) else block
    else:
        return False
    code = _statement_code(layout, first, last)
    if code.endswith(":") or code.endswith(_CONTINUED):
        return False
    if target is None:
        return patch.replace(first, last, "")
    return patch.reindent(line, target)


_DECORATOR_RE = re.compile(r"[ \t\f]*@")
_DECORATED_RE = re.compile(r"[ \t\f]*(?:@|(?:async[ \t]+)?def\b|class\b)")


def _move_above_decorators(patch: _Patch, layout: Layout, first: int, last: int) -> bool:
    """Move a statement inserted between a decorator and its ``def`` above the decorators.

    A bulk edit that inserts ``from common.utils import x`` where the old
    import stood can land it between ``@property`` and its ``def`` (at column 0:
    "unexpected unindent"; indented: "invalid syntax"). Nothing but a decorator
    can stand there, so the statement goes above the first decorator, at its
    indentation: the function keeps its decorators and its scope.
    """
    if layout.starts[first] != first or _DECORATED_RE.match(layout.lines[first]):
        return False
    before = _statement_before(layout, first)
    following = _next_code_line(layout, last)
    if before is None or following is None or not _DECORATOR_RE.match(layout.lines[before]):
        return False
    indent = _indent(layout.lines[before])
    if _indent(layout.lines[following]) != indent or not _DECORATED_RE.match(
        layout.lines[following]
    ):
        return False
    code = _statement_code(layout, first, last)
    if _COMPOUND_RE.match(code) or code.endswith(":") or code.endswith(_CONTINUED):
        return False  # a header or a statement cut short: not one inserted whole
    top = before
    while True:  # up to the first decorator of the run, at the same indentation
        previous = _statement_before(layout, top)
        if (
            previous is None
            or not _DECORATOR_RE.match(layout.lines[previous])
            or _indent(layout.lines[previous]) != indent
        ):
            break
        top = previous
    return patch.move(first, last, top, indent)


def _close_brackets(patch: _Patch, layout: Layout, first: int, last: int) -> bool:
    """Close the brackets a statement left open at the end of its logical line.

    ``sys.path.append(str(Path(__file__).parent.parent)`` followed by the next
    statement: one ``)`` was lost. The closers go after the code of line
    ``last`` (before its comment), so no column moves; only when the statement
    then parses on its own (otherwise it is neutralised as any damage is).
    """
    while last > first and not layout.code(last).strip():
        last -= 1  # blank lines and comments before the next statement: not its end
    code = [layout.code(i) for i in range(first, last + 1)]
    if not code[-1].strip() or layout.lines[last].rstrip("\r\n").endswith("\\"):
        return False
    code[0] = code[0].lstrip(" \t\f")
    # The brackets still open at the end of the file are this statement's when
    # the rest of the file is balanced (the usual case: no second scan needed).
    closers = closers_of(layout.open_at_end) if first in layout.unclosed else ""
    if not closers or not isinstance(_parse("\n".join(code) + closers), ast.Module):
        closers = closers_for("\n".join(code))
        if not closers or not isinstance(_parse("\n".join(code) + closers), ast.Module):
            return False
    text = patch.lines[last]
    end = len(layout.code(last))
    patch.lines[last] = text[:end] + closers + text[end:]
    patch.mark(last, last)
    return True


def _drop_closer(patch: _Patch, line: int, offset: int | None) -> bool:
    """Blank the one closing bracket too many the parser points at (``f(x))``)."""
    text = patch.lines[line]
    column = (offset or 0) - 1
    if not 0 <= column < len(text) or text[column] not in ")]}":
        # Python 3.10 counts the offset in UTF-8 bytes.
        raw = text.encode("utf-8")
        if not 0 <= column < len(raw) or raw[column : column + 1] not in (b")", b"]", b"}"):
            return False
        column = len(raw[:column].decode("utf-8", errors="replace"))
        if column >= len(text) or text[column] not in ")]}":
            return False
    patch.lines[line] = text[:column] + " " + text[column + 1 :]
    patch.mark(line, line)
    return True


def _indented_run(layout: Layout, first: int, last: int) -> int:
    """The end of the lines indented under nothing that start at ``first``.

    The old argument lines a first-line-only rewrite leaves behind
    (``    level=logging.INFO)``) go together, in one attempt, up to the next
    statement at the previous statement's indentation or less.
    """
    enclosing = _enclosing_indents(layout, first)
    outer = len(enclosing[0].expandtabs(8))
    lines, starts = layout.lines, layout.starts
    end = last
    # One pass over what may be hundreds of lines (a data table's old items).
    for i in range(last + 1, len(lines)):
        if i >= layout.done:
            layout.upto(i)
        if starts[i] != i:
            continue
        text = lines[i]
        body = text.lstrip(" \t\f")
        if body[:1] == "#" or not body.rstrip(" \t\f\r\n\\"):
            continue  # blank, or a comment alone
        if len(text[: len(text) - len(body)].expandtabs(8)) <= outer:
            break
        end = i
    return layout.extent(end)[1] if end > last else last


def _cut_unclosed(layout: Layout, first: int, last: int) -> int:
    """Where a statement whose bracket never closes was meant to end.

    Before the first later line that starts at the statement's own indentation
    or less with code (not a closing bracket): the next statement as indented.
    """
    own = len(_indent(layout.lines[first]).expandtabs(8))
    lines, in_string = layout.lines, layout.in_string
    # One pass of string operations: the statement may have swallowed the file.
    for i in range(first + 1, last + 1):
        if in_string[i]:
            continue
        text = lines[i]
        body = text.lstrip(" \t\f")
        if body[:1] in ("", "#", "\\", "\r", "\n", ")", "]", "}"):
            continue  # blank, a comment, a continuation or a closing bracket
        if len(text[: len(text) - len(body)].expandtabs(8)) <= own:
            return i - 1
    return last


def _indent(line: str) -> str:
    match = _INDENT_RE.match(line)
    return match.group() if match else ""


def _previous_statement(layout: Layout, first: int) -> int | None:
    """The first line of the previous logical line if it is a block header, else ``None``."""
    i = layout.code_before(first)
    if i < 0:
        return None
    start = layout.starts[i]
    if _COMPOUND_RE.match(layout.lines[start]) and layout.code(i).endswith(":"):
        return start
    return None


def _enclosing_indents(layout: Layout, first: int) -> list[str]:
    """Indentations of the blocks around line ``first``: the previous statement's, then
    each enclosing block's, innermost first."""
    found: list[str] = []
    width = None
    i = first
    while (i := layout.code_before(i)) >= 0:
        if layout.starts[i] != i:
            continue
        indent = _indent(layout.lines[i])
        size = len(indent.expandtabs(8))
        if width is None or size < width:
            found.append(indent)
            width = size
            if not size:
                break
    if not found or found[-1]:
        found.append("")
    return found


def _indentation_for(layout: Layout, first: int, last: int, header: int | None) -> str:
    """The indentation a replacement for lines ``first``..``last`` must have to parse."""
    own = _indent(layout.lines[first])
    if header is not None:
        outer = len(_indent(layout.lines[header]).expandtabs(8))
        if len(own.expandtabs(8)) > outer:
            return own
        following = _next_code_line(layout, last)
        if following is not None:
            indent = _indent(layout.lines[following])
            if len(indent.expandtabs(8)) > outer:
                return indent
        base = _indent(layout.lines[header])
        return base + ("\t" if "\t" in base else "    ")
    enclosing = _enclosing_indents(layout, first)
    if own in enclosing:
        return own
    return enclosing[0]


def _next_code_line(layout: Layout, last: int) -> int | None:
    following = layout.code_after(last)
    return following if following >= 0 else None


def _header_for(layout: Layout, first: int, last: int, indent: str) -> tuple[str, bool] | None:
    """A header that keeps the body of a damaged compound statement, if it is one.

    With whether it loses what a call in the header did (see :func:`.loses_calls`).
    """
    match = _COMPOUND_RE.match(layout.lines[first])
    if match is None:
        return None
    following = _next_code_line(layout, last)
    if following is None:
        return None
    body = len(_indent(layout.lines[following]).expandtabs(8))
    if body <= len(indent.expandtabs(8)):
        return None  # no body below it: a one-line statement
    keyword = match.group("kw")
    name = match.group("name")
    # What the header mentioned after its keyword and name, to keep in the new one.
    rest = _statement_code(layout, first, last)[match.end() - len(match.group("indent")) :]
    mentioned = _mentions(rest, assigned=keyword != "def")
    if keyword == "class" and name:
        return f"{indent}class {name}({', '.join(mentioned)}):", False
    if keyword == "def" and name:
        params = [m for m in mentioned if "." not in m]
        prefix = "async " if match.group("async") else ""
        return f"{indent}{prefix}def {name}({', '.join([*params, '*_args', '**_kwargs'])}):", False
    if keyword in _KEPT_HEADERS:
        return indent + _KEPT_HEADERS[keyword], False
    # The clause, with the name after the keyword (``with sock as ...``, ``for x in``).
    clause = _statement_code(layout, first, last)[match.end("kw") - len(match.group("indent")) :]
    condition = salvage_condition(clause)
    return f"{indent}{'elif' if keyword == 'elif' else 'if'} {condition}:", loses_calls(clause)


#: Headers that take nothing, or whose clause matters less than keeping the statement.
_KEPT_HEADERS = {
    "else": "else:",
    "try": "try:",
    "finally": "finally:",
    "except": "except Exception:",
    "case": "case _:",
}
_NAME_CHAIN_RE = re.compile(
    # Not followed by "=": a keyword argument's name or an assignment target is no use.
    r"(?<![\w.])[^\W\d]\w*(?:[ \t]*\.[ \t]*[^\W\d]\w*)*(?![\w.])(?![ \t]*=[^=])"
)
_PARAMETER_RE = re.compile(r"(?<![\w.])[^\W\d]\w*(?:[ \t]*\.[ \t]*[^\W\d]\w*)*(?![\w.])")
_STRING_RE = re.compile(
    r"[rRbBuUfF]{0,2}"
    r"(?:'{3}[\s\S]*?'{3}"
    r'|"{3}[\s\S]*?"{3}'
    r"|'(?:\\.|[^'\\\n])*'"
    r'|"(?:\\.|[^"\\\n])*")'
)
#: At most this many names are kept from one damaged statement.
MAX_MENTIONS = 64


def _statement_code(layout: Layout, first: int, last: int) -> str:
    """The statement's code without comments, its lines joined by spaces."""
    return " ".join(layout.code(i).lstrip() for i in range(first, last + 1))


def _mentions(code: str, assigned: bool = True) -> list[str]:
    """Names and dotted chains (``self.sock``) in ``code``, strings left out, once each.

    ``assigned=False`` keeps names followed by ``=`` too (a parameter's default).
    """
    out: list[str] = []
    seen: set[str] = set()
    pattern = _NAME_CHAIN_RE if assigned else _PARAMETER_RE
    for match in pattern.finditer(_STRING_RE.sub(" ", code)):
        chain = ".".join(part.strip() for part in match.group().split("."))
        head = chain.split(".", 1)[0]
        if keyword.iskeyword(head) or any(keyword.iskeyword(p) for p in chain.split(".")):
            continue
        if chain not in seen:
            seen.add(chain)
            out.append(chain)
            if len(out) >= MAX_MENTIONS:
                break
    return out


def _damaged_call(mentioned: list[str]) -> str:
    """A call that hands on everything the damaged code mentioned.

    Rules that look for what is never closed treat an object passed to an
    unknown function as handed on: a close or a hand-off inside the damaged
    statement can then not turn into a finding the repaired file would not have.
    """
    return f"{DAMAGED}({', '.join(m for m in mentioned if m)})"


def _neutral(layout: Layout, first: int, last: int, indent: str) -> tuple[str, bool]:
    """What a damaged simple statement becomes: what it did (:mod:`.salvage`), or ``pass``.

    The salvaged form keeps each piece on its line; when it does not parse
    (damage :mod:`.salvage` reads differently from Python), a one-line call
    naming what the statement mentioned. With whether that loses what a call
    of the statement did (:func:`.loses_calls`; always, for the one-line call)
    or where it did it: the lines of a statement that spans several may have
    been statements of a block (a bracket never closed swallows the rest of a
    class), which the salvaged calls are no longer in.
    """
    code = "\n".join(layout.code(i).lstrip() for i in range(first, last + 1))
    kept = salvage(code)
    if kept is not None and kept.count("\n") > last - first:  # never more lines than it had
        kept = salvage(code, lines=False)
    if kept is None:
        return indent + "pass", False  # no call and no name in it: nothing to hand on
    if isinstance(_parse(kept), ast.Module):
        return indent + kept, last > first or loses_calls(code)
    mentioned = _mentions(_statement_code(layout, first, last))
    return indent + (_damaged_call(mentioned) if mentioned else "pass"), True


def _restore_lines(tree: ast.AST, origin: list[int]) -> None:
    """Give the nodes on moved lines their line in the file back."""
    moved = {i + 1: line + 1 for i, line in enumerate(origin) if i != line}
    for node in _nodes_on(tree, moved):
        line = getattr(node, "lineno", None)
        if line in moved:
            node.lineno = moved[line]  # type: ignore[attr-defined]  # checked just above
        end_line = getattr(node, "end_lineno", None)
        if end_line in moved:
            node.end_lineno = moved[end_line]  # type: ignore[attr-defined]  # checked just above


def _shift_columns(tree: ast.AST, shifts: dict[int, int]) -> None:
    """Move the columns of nodes on re-indented lines back to where the file has them."""
    if not shifts:
        return
    by_line = {line + 1: shift for line, shift in shifts.items() if shift}
    for node in _nodes_on(tree, by_line):
        line = getattr(node, "lineno", None)
        if line in by_line and isinstance(getattr(node, "col_offset", None), int):
            node.col_offset = max(node.col_offset - by_line[line], 0)  # type: ignore[attr-defined]  # checked just above
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line in by_line and isinstance(end_col, int):
            node.end_col_offset = max(end_col - by_line[end_line], 0)  # type: ignore[attr-defined]  # checked just above


def _nodes_on(tree: ast.AST, lines: Collection[int]) -> Iterator[ast.AST]:
    """The nodes of ``tree`` that may begin or end on one of ``lines`` (1-based).

    Every node of a statement lies between its first line (its first
    decorator's) and its last: a statement that holds none of ``lines`` is
    skipped whole, so a patch of a few lines costs a walk of the statements
    around them, not of the file.
    """
    if not lines:
        return
    ordered = sorted(lines)
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                first = child.lineno
                for decorator in getattr(child, "decorator_list", ()):
                    first = min(first, decorator.lineno)
                last = child.end_lineno if child.end_lineno is not None else first
                at = bisect_left(ordered, first)
                if at == len(ordered) or ordered[at] > last:
                    continue  # none of the lines in this statement
            stack.append(child)
