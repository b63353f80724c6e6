"""Re-parse a file that does not parse, neutralising one damaged statement at a time.

Each attempt parses the patched text with ``ast``; the ``SyntaxError`` says
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
from dataclasses import dataclass, field

from debt_lints.analysis.context import split_lines
from debt_lints.recovery.salvage import DAMAGED, salvage, salvage_condition
from debt_lints.recovery.scan import Layout, closers_for, closers_of, scan

#: Parse attempts per file before recovery stops (each is one ``ast.parse``).
MAX_ATTEMPTS = 100
#: Characters parsed per file, over all attempts, before recovery stops: a huge
#: file full of errors costs at most as much as parsing this much source.
MAX_PARSED_CHARS = 40_000_000

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
    #: ``True`` when the bounds were reached and the rest of the file was given up.
    truncated: bool = False


def recover(text: str) -> Recovery | None:
    """Parse ``text`` after neutralising its damaged statements; ``None`` if nothing parses.

    Never raises: whatever goes wrong inside recovery (the parser's own
    ``RecursionError`` or ``MemoryError`` on a pathological attempt, or a bug
    here) is the same as there being nothing to recover, and the file keeps
    its DL001. The tests call :func:`_recover`, which lets a bug show.
    """
    try:
        return _recover(text)
    except Exception:  # recovery is a bonus: it must never cost the file its DL001
        return None


def _parse(text: str) -> ast.Module | SyntaxError:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as exc:
        return exc


class _Patch:
    """The patched lines and what was done to them."""

    def __init__(self, text: str) -> None:
        # NUL bytes cannot be parsed anywhere; a space keeps every column.
        self.lines = split_lines(text.replace("\0", " ")) or [""]
        #: Line (0-based) -> columns its content was moved right (negative: left).
        self.shifts: dict[int, int] = {}
        self.damaged: list[tuple[int, int]] = []

    def text(self) -> str:
        return "".join(self.lines)

    def replace(self, first: int, last: int, head: str) -> bool:
        """Lines ``first``..``last`` become the lines of ``head``, the ones it lacks blank.

        ``False`` when that changes nothing (the damage is elsewhere).
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
        self.damaged.append((first + 1, last + 1))
        return True

    def reindent(self, line: int, indent: str) -> bool:
        old = self.lines[line]
        stripped = old.lstrip(" \t\f")
        if old == indent + stripped:
            return False
        self.lines[line] = indent + stripped
        self.shifts[line] = self.shifts.get(line, 0) + len(indent) - (len(old) - len(stripped))
        self.damaged.append((line + 1, line + 1))
        return True


def _ending(line: str) -> str:
    for end in ("\r\n", "\n", "\r"):
        if line.endswith(end):
            return end
    return ""


def _recover(text: str) -> Recovery | None:
    patch = _Patch(text)
    budget = MAX_PARSED_CHARS
    attempts = 0
    while True:
        current = patch.text()
        attempts += 1
        budget -= len(current) + 1
        result = _parse(current)
        if isinstance(result, ast.Module):
            _shift_columns(result, patch.shifts)
            return Recovery(result, attempts, patch.damaged)
        if attempts >= MAX_ATTEMPTS or budget <= 0 or not _mend(patch, result):
            return _give_up(patch, result, attempts)


def _give_up(patch: _Patch, error: SyntaxError, attempts: int) -> Recovery | None:
    """Keep the top-level statements before the error; drop the rest of the file."""
    layout = scan(patch.text())
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
    patch.damaged.append((first + 1, len(patch.lines)))
    result = _parse(patch.text())
    if not isinstance(result, ast.Module):
        return None
    _shift_columns(result, patch.shifts)
    return Recovery(result, attempts + 1, patch.damaged, truncated=True)


def _mend(patch: _Patch, error: SyntaxError) -> bool:
    """Patch the statement ``error`` points at; ``False`` if nothing could be changed."""
    message = error.msg or ""
    line = min(max((error.lineno or 1) - 1, 0), len(patch.lines) - 1)
    # Needs no layout: done before the scan, which costs a few parses on some files.
    if message.startswith("unmatched ") and _drop_closer(patch, line, error.offset):
        return True
    layout = scan(patch.text())
    count = len(layout.lines)
    first, last = layout.extent(line)
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
    if patch.replace(first, last, replacement):
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
    i = first - 1
    while i >= 0 and layout.is_blank(i):
        i -= 1
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
    patch.damaged.append((last + 1, last + 1))
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
    patch.damaged.append((line + 1, line + 1))
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
    i = first - 1
    while i >= 0 and layout.is_blank(i):
        i -= 1
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
    for i in range(first - 1, -1, -1):
        if layout.starts[i] != i or layout.is_blank(i):
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
    for i in range(last + 1, len(layout.lines)):
        if not layout.is_blank(i):
            return i
    return None


def _header_for(layout: Layout, first: int, last: int, indent: str) -> str | None:
    """A header that keeps the body of a damaged compound statement, if it is one."""
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
        return f"{indent}class {name}({', '.join(mentioned)}):"
    if keyword == "def" and name:
        params = [m for m in mentioned if "." not in m]
        prefix = "async " if match.group("async") else ""
        return f"{indent}{prefix}def {name}({', '.join([*params, '*_args', '**_kwargs'])}):"
    if keyword in _KEPT_HEADERS:
        return indent + _KEPT_HEADERS[keyword]
    # The clause, with the name after the keyword (``with sock as ...``, ``for x in``).
    clause = _statement_code(layout, first, last)[match.end("kw") - len(match.group("indent")) :]
    condition = salvage_condition(clause)
    return f"{indent}{'elif' if keyword == 'elif' else 'if'} {condition}:"


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


def _neutral(layout: Layout, first: int, last: int, indent: str) -> str:
    """What a damaged simple statement becomes: what it did (:mod:`.salvage`), or ``pass``.

    The salvaged form keeps each piece on its line; when it does not parse
    (damage :mod:`.salvage` reads differently from Python), a one-line call
    naming what the statement mentioned.
    """
    code = "\n".join(layout.code(i).lstrip() for i in range(first, last + 1))
    kept = salvage(code)
    if kept is not None and kept.count("\n") > last - first:  # never more lines than it had
        kept = salvage(code, lines=False)
    if kept is None:
        return indent + "pass"  # no call and no name in it: nothing to hand on
    if isinstance(_parse(kept), ast.Module):
        return indent + kept
    mentioned = _mentions(_statement_code(layout, first, last))
    return indent + (_damaged_call(mentioned) if mentioned else "pass")


def _shift_columns(tree: ast.AST, shifts: dict[int, int]) -> None:
    """Move the columns of nodes on re-indented lines back to where the file has them."""
    if not shifts:
        return
    by_line = {line + 1: shift for line, shift in shifts.items() if shift}
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if line in by_line and isinstance(getattr(node, "col_offset", None), int):
            node.col_offset = max(node.col_offset - by_line[line], 0)  # type: ignore[attr-defined]  # checked just above
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line in by_line and isinstance(end_col, int):
            node.end_col_offset = max(end_col - by_line[end_line], 0)  # type: ignore[attr-defined]  # checked just above
