"""IPython's input syntax in a notebook cell, turned into Python line for line.

IPython runs a cell through its input transformations before Python sees it
(``IPython.core.inputtransformer2``): a cell magic (``%%bash`` on the first
line) hands the whole cell to the magic; at the start of a logical line the
escapes ``%`` (line magic), ``!``/``!!`` (shell), ``?``/``??`` (help) and the
auto-call escapes ``/f a``, ``,f a``, ``;f a`` make the line a call; a
logical line ending in ``?``/``??`` after a name (``obj.attr?``, ``%magic??``)
asks for help; ``x = %magic ...`` and ``x = !cmd`` assign what the magic or
the command returns. The first ``=`` of a logical line outside brackets is
the assignment, and a magic or a command goes on over lines ending with a
backslash. None of these is valid Python, so a cell that Python reads as is
never changes.

:func:`python_lines` does the same without IPython: each transformed line
keeps its indentation and its line number (a statement becomes ``pass``, the
right-hand side of an assignment ``None``, a continuation line is emptied),
so that every other finding keeps its place. Not translated: the prompt
strippers (``>>>``, ``In [1]:``) and the removal of a whole cell's leading
indentation, which shift columns; such a cell stays unparsable.
"""

from __future__ import annotations

import re

_ESCAPES = ("%", "!", "?", ",", ";", "/")
# What may stand before a trailing ``?``/``??`` (IPython's ``_help_end_re``).
_HELP_END = re.compile(r"(%{0,2}[a-zA-Z_*][\w*]*(\.[a-zA-Z_*][\w*]*|\[-?[0-9]+\])*)(\?\??)$")
# After the assignment's ``=``: a line magic (``%`` and a name) or a command.
_MAGIC_VALUE = re.compile(r"[ \t]*(%(?=[^\W\d])|!)")
_STRING_START = re.compile(r"(?i)(rb|br|fr|rf|r|b|f|u)?('''|\"\"\"|'|\")")
_NAME_CHAR = re.compile(r"\w")


def python_lines(lines: list[str]) -> list[str]:
    """A cell's lines (without line ends) as Python, one line for each line.

    A cell magic blanks the cell; the other transformations replace their
    lines in place (see the module's docstring).
    """
    written = [line for line in lines if line.strip()]
    if written and written[0].lstrip().startswith("%%"):
        return ["" for _ in lines]
    out = list(lines)
    index = 0
    while index < len(lines):
        index = _logical_line(lines, index, out)
    return out


def _continued(lines: list[str], index: int) -> int:
    """The last line of the line that starts at ``index``, over backslash ends."""
    while index < len(lines) - 1 and lines[index].endswith("\\"):
        index += 1
    return index


def _blank(out: list[str], first: int, last: int) -> None:
    for number in range(first, last + 1):
        out[number] = ""


def _logical_line(lines: list[str], start: int, out: list[str]) -> int:
    """Translate the logical line that starts at line ``start``; the next one's start."""
    first = lines[start]
    stripped = first.lstrip()
    indent = first[: len(first) - len(stripped)]
    if stripped.startswith(_ESCAPES):
        end = _continued(lines, start)
        out[start] = indent + "pass"
        _blank(out, start + 1, end)
        return end + 1
    depth = 0
    quote: str | None = None  # the open string's delimiter
    raw = False
    assigned = False  # the first top-level ``=`` was seen
    code: list[str] = []  # the logical line outside comments, strings kept
    number = start
    while number < len(lines):
        text = lines[number]
        column = 0
        continued = False
        while column < len(text):
            char = text[column]
            if quote is not None:
                if char == "\\" and not raw:
                    if column == len(text) - 1:
                        continued = True
                    column += 2
                    continue
                if text.startswith(quote, column):
                    column += len(quote)
                    quote = None
                    code.append("s")
                    continue
                column += 1
                continue
            if char == "#":
                break
            if char == "\\" and column == len(text) - 1:
                continued = True
                break
            opening = _STRING_START.match(text, column)
            if opening and not (opening.group(1) and column and _NAME_CHAR.match(text[column - 1])):
                quote = opening.group(2)
                raw = "r" in (opening.group(1) or "").lower()
                column = opening.end()
                continue
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth = max(depth - 1, 0)
            elif char == "=" and depth == 0 and not assigned and _lone_equals(text, column):
                assigned = True
                value = _MAGIC_VALUE.match(text, column + 1)
                if value and "".join(code).strip():
                    end = _continued(lines, number)
                    out[number] = text[: value.start(1)] + "None"
                    _blank(out, number + 1, end)
                    return end + 1
            code.append(char)
            column += 1
        if quote is not None and len(quote) == 1 and not continued:
            quote = None  # an unclosed one-line string: Python's error, not ours
        if depth == 0 and quote is None and not continued:
            break
        code.append(" ")
        number += 1
    end = min(number, len(lines) - 1)
    content = "".join(code).strip()
    if content.endswith("?") and _HELP_END.search(_joined(lines, start, end)):
        out[start] = indent + "pass"
        _blank(out, start + 1, end)
    return end + 1


def _joined(lines: list[str], start: int, end: int) -> str:
    return "".join(lines[start : end + 1]).strip()


def _lone_equals(text: str, column: int) -> bool:
    """``=`` at ``column`` is the assignment token (not ``==``, ``<=``, ``+=``...)."""
    before = text[column - 1] if column else ""
    after = text[column + 1] if column + 1 < len(text) else ""
    return after != "=" and before not in "=!<>:+-*/%&|^@"
