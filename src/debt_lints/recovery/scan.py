"""Logical lines of source that may not parse: where each statement starts and ends.

Python's own tokenizer stops (3.12+) or goes astray (3.10, 3.11: a ``)`` too
many makes every later newline a continuation) at the first error, and the
damage is what recovery needs to see past. This scanner never fails: it knows
strings (prefixes, triple quotes, escapes, a quote left open at the end of a
line), comments, brackets (a closer with no opener is ignored) and backslash
continuations, which is all it takes to tell where a logical line ends. One
regular-expression search per token of interest, so a scan costs about what
``ast.parse`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from debt_lints.analysis.context import split_lines

#: What the scan stops at: a comment (with its line break), a string that ends
#: on its line whole (the common case, one search; the span ``string`` then
#: ``_STRING_END`` would give), a string opening (a prefix, or a quote, after no
#: word character), a backslash continuation, a pair of brackets with nothing in
#: them that the scan stops at (``(x, y)``: one search, the span ``open`` then
#: ``close`` would give, both kinds alike), a bracket, a line break. Every
#: branch begins with a character (the lookbehinds come after it), so that the
#: search skips the characters none can begin with at C speed.
_TOKEN_RE = re.compile(
    r"""(?P<comment>\#[^\r\n]*(?:\r\n|\r|\n)?)
      | [rRbBuUfF](?<![\w][rRbBuUfF])[rRbBuUfF]?
        (?:(?P<short>'(?!'')(?:[^\\'\r\n]|\\[^\r\n])*'|"(?!"")(?:[^\\"\r\n]|\\[^\r\n])*")
          | (?P<string>'''|\"\"\"|'|"))
      | (?P<bare_short>'(?<![\w]')(?!'')(?:[^\\'\r\n]|\\[^\r\n])*'
          | "(?<![\w]")(?!"")(?:[^\\"\r\n]|\\[^\r\n])*")
      | (?P<bare_string>'(?<![\w]')(?:'')?|"(?<![\w]")(?:"")?)
      | (?P<cont>\\(?:\r\n|\r|\n))
      | (?P<group>\([^'"\#\\()\[\]{}\r\n]*\)|\[[^'"\#\\()\[\]{}\r\n]*\]|\{[^'"\#\\()\[\]{}\r\n]*\})
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<newline>\r\n|\r|\n)""",
    re.VERBOSE,
)
#: The rest of a string after its opening quote, per quote (escapes skip a character,
#: raw or not, as the tokenizer has it). A one-quote string ends at its line's end.
_STRING_END = {
    "'": re.compile(r"(?:[^\\'\r\n]|\\(?:\r\n|[\s\S]))*(?:'|(?=[\r\n])|\Z)"),
    '"': re.compile(r'(?:[^\\"\r\n]|\\(?:\r\n|[\s\S]))*(?:"|(?=[\r\n])|\Z)'),
    "'''": re.compile(r"(?:[^\\']|\\[\s\S]|'(?!''))*(?:'''|\Z)"),
    '"""': re.compile(r'(?:[^\\"]|\\[\s\S]|"(?!""))*(?:"""|\Z)'),
}
#: Lines whose only tokens are pairs of brackets with nothing in them (``group``),
#: strings without a prefix that end on the line (``bare_short``) and the ``\n``
#: that ends them: at the start of a logical line with no bracket open, each is a
#: logical line of its own, which one match finds for a run of them. (Every unit
#: begins with a character the others cannot begin with, and a quote only after
#: no word character: no backtracking beyond a unit, and a quote that the scan
#: would not read as a string, or a prefix, leaves the line to the scan.)
_PLAIN = r"[^'\"\#\\()\[\]{}\r\n]"
_STRING = (
    r"(?<![\w])'(?!'')(?:[^\\'\r\n]|\\[^\r\n])*'"
    r'|(?<![\w])"(?!"")(?:[^\\"\r\n]|\\[^\r\n])*"'
)


def _units(inner: str) -> str:
    """``_PLAIN`` characters, and units each beginning with a character they cannot."""
    return rf"{_PLAIN}*(?:(?:{inner}){_PLAIN}*)*"


def _groups(inner: str) -> str:
    """A pair of brackets of one kind around ``inner``."""
    return rf"\({inner}\)|\[{inner}\]|\{{{inner}\}}"


#: Nothing but plain characters and strings, in up to two levels of brackets.
_LINE = _units(_STRING + "|" + _groups(_units(_STRING + "|" + _groups(_units(_STRING)))))
_PLAIN_LINES_RE = re.compile(rf"(?:{_LINE}\n)+")


@dataclass
class Layout:
    """Where the logical lines of a text are (0-based physical line numbers)."""

    lines: list[str]
    #: ``starts[i]``: the physical line on which the logical line holding line ``i`` begins.
    starts: list[int]
    #: ``comment[i]``: the column where a comment starts on line ``i``, or -1.
    comment: list[int]
    #: ``in_string[i]``: line ``i`` begins inside a (multi-line) string.
    in_string: list[bool]
    #: Logical lines whose bracket is never closed: first line -> bracket depth at the end.
    unclosed: dict[int, int]
    #: Logical lines (first line) with a closing bracket that nothing opened.
    unopened: set[int]
    #: The opening brackets still open at the end of the text, in order (``"(["``).
    open_at_end: str = ""
    #: Line -> the last line before it that is not blank (:meth:`code_before`).
    _before: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    #: Line -> the first line after it that is not blank (:meth:`code_after`).
    _after: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    #: The lines joined, for a scan to go on from :attr:`done` (a lazy layout's).
    text: str = field(default="", repr=False, compare=False)
    #: Lines ``0 .. done - 1`` are scanned (``starts``, ``comment``, ``in_string``, and
    #: ``unclosed``/``unopened`` for the logical lines they begin); line ``done``
    #: begins a logical line, at ``done_at`` in :attr:`text`. All lines are once
    #: ``done`` is their count; only then are ``unclosed`` and ``open_at_end`` whole.
    done: int = 0
    done_at: int = 0

    def upto(self, line: int) -> None:
        """Scan on, if needed, past the logical line holding line ``line``."""
        if line >= self.done:
            self._more(line)

    def _more(self, line: int) -> None:
        count = len(self.lines)
        if self.done >= count:
            return
        # A little further than asked: the repairs look a few statements on.
        target = max(line, self.done + _AHEAD)
        stopped = _scan_from(self, self.text, self.done, None, -1, at=self.done_at, until=target)
        if stopped is None:
            self.done = self.done_at = count
        else:
            self.done_at += sum(map(len, self.lines[self.done : stopped[0]]))
            self.done = stopped[0]

    def extent(self, line: int) -> tuple[int, int]:
        """First and last physical line of the logical line holding ``line``."""
        line = min(max(line, 0), len(self.lines) - 1)
        if line >= self.done:
            self._more(line)
        first = self.starts[line]
        last = line
        while last + 1 < len(self.lines) and self.starts[last + 1] == first:
            last += 1
        return first, last

    def code(self, line: int) -> str:
        """Line ``line`` without its comment and line break, right-stripped."""
        if line >= self.done:
            self._more(line)
        text = self.lines[line]
        cut = self.comment[line]
        if cut >= 0:
            text = text[:cut]
        return text.rstrip(" \t\f\r\n\\")

    def is_blank(self, line: int) -> bool:
        """A line with nothing but whitespace or a comment, outside any statement."""
        if line >= self.done:
            self._more(line)
        if self.starts[line] != line:
            return False
        text = self.lines[line]
        cut = self.comment[line]
        if cut >= 0:
            text = text[:cut]
        return not text.rstrip(" \t\f\r\n\\").strip()

    def code_before(self, line: int) -> int:
        """The last line before line ``line`` that is not blank, -1 if none.

        Remembered: the repairs ask it several times of the same line, and the
        way back may cross a long comment (a licence header).
        """
        found = self._before.get(line)
        if found is None:
            found = line - 1
            while found >= 0 and self.is_blank(found):
                found -= 1
            self._before[line] = found
        return found

    def code_after(self, line: int) -> int:
        """The first line after line ``line`` that is not blank, -1 if none; remembered."""
        found = self._after.get(line)
        if found is None:
            found, count = line + 1, len(self.lines)
            while found < count and self.is_blank(found):
                found += 1
            if found == count:
                found = -1
            self._after[line] = found
        return found


#: Lines a lazy layout scans on at least, each time a read goes past where it
#: stopped: a repair reads a few lines past the damaged statement, one at a time
#: (more than that would scan lines nothing reads; the scan to the damage costs
#: what it must).
_AHEAD = 64


def scan(text: str, lazy: bool = False) -> Layout:
    """The logical-line layout of ``text``; never raises, whatever ``text`` is.

    ``lazy``: scanned only as far as it is read (:meth:`Layout.upto`; the
    methods do it, a caller reading the lists asks first).
    """
    lines = split_lines(text) or [""]
    count = len(lines)
    layout = Layout(lines, [0] * count, [-1] * count, [False] * count, {}, set(), text=text)
    if not lazy:
        layout.upto(count)
    return layout


def rescan(layout: Layout, lines: list[str], first: int, last: int) -> Layout:
    """The layout of ``lines``, which differ from ``layout``'s only in lines ``first``..``last``.

    Only the logical lines from the one holding ``first`` to the first logical
    line after ``last`` that begins where it began before are scanned again:
    from there on the text and the scanner's state (no bracket open, no string)
    are those of the old scan, so its results hold. The same number of lines:
    a patch moves, replaces or re-indents lines, it never adds or removes any.
    """
    lazy = layout.done < len(layout.lines)
    text = "".join(lines)
    if len(lines) != len(layout.lines) or not 0 <= first <= last < len(lines):
        return scan(text, lazy)
    changed = lines[first : last + 1]
    # Each piece a line of its own (one search, the usual case), or, line by line,
    # no line break inside a line: otherwise the lines are to be counted again.
    if split_lines("".join(changed)) != changed and any(map(_breaks_inside, changed)):
        return scan(text, lazy)
    # Where the old scan stopped, if before the changed lines: the new one stops there.
    start = layout.starts[first] if first < layout.done else layout.done
    new = Layout(
        lines,
        list(layout.starts),
        list(layout.comment),
        list(layout.in_string),
        {k: v for k, v in layout.unclosed.items() if k < start},
        {k for k in layout.unopened if k < start},
        text=text,
        done=start,
        done_at=sum(map(len, lines[:start])),
    )
    if start == layout.done:
        return new
    stopped = _scan_from(new, text, start, layout, last, at=new.done_at)
    if stopped is None:
        new.done = new.done_at = len(lines)
    elif stopped[0] < layout.done:  # the old scan holds from line ``stopped`` on
        new.unclosed.update((k, v) for k, v in layout.unclosed.items() if k >= stopped[0])
        new.unopened.update(k for k in layout.unopened if k >= stopped[0])
        new.open_at_end = layout.open_at_end
        # (Every changed line is before it: the lines after moved by the change in size.)
        new.done, new.done_at = layout.done, layout.done_at + len(text) - len(layout.text)
    else:  # past where the old scan stopped: the rest waits until it is read
        new.done, new.done_at = stopped
    return new


def _breaks_inside(line: str) -> bool:
    """Whether ``line`` holds a line break before the one that ends it."""
    end = 2 if line.endswith("\r\n") else 1 if line.endswith(("\r", "\n")) else 0
    body = line[: len(line) - end]
    return "\n" in body or "\r" in body


def _scan_from(
    layout: Layout,
    text: str,
    row: int,
    old: Layout | None,
    last: int,
    *,
    at: int,
    until: int | None = None,
) -> tuple[int, int] | None:
    """Scan ``text``, the lines of ``layout`` joined, from line ``row`` (where a logical
    line begins, at ``at`` in ``text``), filling ``layout`` in, to the end (``None``).

    With ``old``, stop at the first logical line after line ``last`` that begins
    where ``old`` has one begin, or where ``old`` was not scanned; with ``until``,
    at the first logical line after line ``until``: return that line and where it
    begins in ``text``."""
    lines = layout.lines
    starts, comment, in_string = layout.starts, layout.comment, layout.in_string
    unopened = layout.unopened
    opened: list[str] = []  # the brackets open, innermost last
    first = row  # where the current logical line began
    continued = False  # the current line continues the logical line
    starts[row] = row
    comment[row] = -1
    in_string[row] = False
    pos = at
    size = len(text)
    search = _TOKEN_RE.search
    plain = _PLAIN_LINES_RE.match if old is None else None
    count = len(lines)
    while pos < size:
        if plain is not None and pos == at and (opened or not continued):
            # At the start of a line, with no bracket open (a run of plain lines is that
            # many logical lines of one line each) or in brackets (the logical line
            # goes on): what the scan would find on each line, one match for all.
            # (A comment ends the run: a line with one, a table's, is not tried.)
            eol = text.find("\n", pos)
            run = plain(text, pos) if eol >= 0 and text.find("#", pos, eol) < 0 else None
            if run is not None:
                after = row + text.count("\n", pos, run.end())  # the line after the run
                if opened:
                    stop = min(after, count)
                    starts[row + 1 : stop] = [first] * (stop - row - 1)
                else:
                    stop = min(after, count, count if until is None else until + 1)
                    starts[row + 1 : stop] = range(row + 1, stop)
                comment[row + 1 : stop] = [-1] * (stop - row - 1)
                in_string[row + 1 : stop] = [False] * (stop - row - 1)
                if stop == count:
                    break
                if not opened and until is not None and stop > until:
                    return stop, at + sum(map(len, lines[row:stop]))
                row = stop
                if not opened:
                    first = row
                at = pos = run.end()
                starts[row] = first
                comment[row] = -1
                in_string[row] = False
                # (The line after the run is not plain: on to its first token.)
        match = search(text, pos)
        if match is None:
            break
        kind = match.lastgroup
        start, pos = match.span()
        if kind == "comment":
            comment[row] = start - at
            if text[pos - 1] not in "\r\n":
                continue
            kind = "newline"  # and the line break after it
        if kind in ("newline", "cont"):
            at += len(lines[row])
            row += 1
            if row >= count:
                break
            continued = kind == "cont" or bool(opened)
            if not continued:
                first = row
                if until is not None and row > until:
                    return row, at
                if (
                    old is not None
                    and row > last
                    and (row >= old.done or (old.starts[row] == row and not old.in_string[row]))
                ):
                    return row, at
            starts[row] = first
            comment[row] = -1  # (a rescan's lists hold the old values)
            in_string[row] = False
        elif kind in {"short", "bare_short", "group"}:
            pass  # a string that ends on its line, brackets closed on it: nothing counts
        elif kind == "open":
            opened.append(match.group())
        elif kind == "close":
            if opened:
                opened.pop()
            else:
                unopened.add(first)
        else:  # a string: skip its body, counting the lines it spans
            opening = match.group().lstrip("rRbBuUfF")
            end = _STRING_END[opening].match(text, pos)
            stop = end.end() if end is not None else size
            # Lines that begin inside the string belong to the logical line.
            while row + 1 < count and at + len(lines[row]) < stop:
                at += len(lines[row])
                row += 1
                starts[row] = first
                comment[row] = -1
                in_string[row] = True
            pos = stop
    if opened:
        layout.unclosed[first] = len(opened)
    layout.open_at_end = "".join(opened)
    return None


_CLOSER = {"(": ")", "[": "]", "{": "}"}


def closers_of(opened: str) -> str:
    """The closing brackets for the opening ones ``opened``, innermost first."""
    return "".join(_CLOSER[c] for c in reversed(opened))


def closers_for(text: str) -> str:
    """The closing brackets ``text`` needs, innermost first (``"f(g(x"`` -> ``"))"``).

    Strings and comments are skipped as :func:`scan` skips them; a closer that
    nothing opened is ignored. A string left open at the end makes it ``""``:
    no bracket can close code whose string does not end.
    """
    stack: list[str] = []
    pos = 0
    size = len(text)
    search = _TOKEN_RE.search
    while pos < size:
        match = search(text, pos)
        if match is None:
            break
        kind = match.lastgroup
        pos = match.end()
        if kind == "open":
            stack.append(_CLOSER[match.group()])
        elif kind == "close":
            if stack and stack[-1] == match.group():
                stack.pop()
            elif stack:
                return ""  # a mismatched closer: not a bracket left open
        elif kind in {"string", "bare_string"}:
            quote = match.group().lstrip("rRbBuUfF")
            end = _STRING_END[quote].match(text, pos)
            if end is None or not end.group().endswith(quote):
                return ""
            pos = end.end()
    return "".join(reversed(stack))
