"""What a damaged statement did, kept as code the rules can read.

A statement recovery cannot repair is replaced by a call of
:data:`DAMAGED` that hands on what the statement did: every call it made
keeps its callee and the arguments that are whole (a name, a dotted name, a
number, a one-line string), each other argument becomes a ``DAMAGED(...)``
call of its own, and a simple assignment keeps its target::

    self.sock.close(linger=${LINGER_MS})   ->  DAMAGED(self.sock.close(linger=DAMAGED(LINGER_MS)))
    sock.curve_server = ${ENABLED}          ->  sock.curve_server = DAMAGED(ENABLED)

So a close, a ``removeHandler``, a ``bind`` or a securing step inside the
damage still reaches the rules that read it, and whatever the statement made
is handed to an unknown function (the resource rules treat that as handed
on): no finding depends on the damage. Each piece stays on the line it was
written on, so a finding on it has the line the repaired file gives it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import lru_cache

#: The function a neutralised statement calls with what it did.
DAMAGED = "__debt_lints_damaged__"
#: At most this many names, values and calls are kept from one damaged statement.
MAX_PIECES = 64

_TOKEN_RE = re.compile(
    r"""(?P<long>(?<![\w])[rRbBuUfF]{0,2}(?:'{3}[\s\S]*?'{3}|"{3}[\s\S]*?"{3}))
      | (?P<string>(?<![\w])[rRbBuU]{0,2}(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))
      | (?P<fstring>(?<![\w])[rRbBuUfF]{1,2}(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))
      | (?P<chain>[^\W\d]\w*(?:[ \t]*\.[ \t]*[^\W\d]\w*)*)
      | (?P<number>\d[\w.]*)
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<comma>,)
      | (?P<eq>(?<![<>!=:])=(?!=))
      | (?P<newline>\n)
      | (?P<other>\S)""",
    re.VERBOSE,
)
_CONSTANTS = frozenset({"None", "True", "False"})
_STRINGS_RE = re.compile(
    r"""[rRbBuUfF]{0,2}(?:'{3}[\s\S]*?'{3}|"{3}[\s\S]*?"{3}|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")"""
)
_NAME_RE = re.compile(r"[^\W\d]")
_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    line: int


#: An expression being built: (source line or ``None`` for glue, text) pieces.
_Frag = list[tuple[int | None, str]]


@lru_cache(maxsize=4)
def _tokens(code: str) -> tuple[_Token, ...]:
    """The tokens of ``code``; once per statement (:func:`salvage` and :func:`loses_calls`
    read the same one, which recovery neutralises once or more)."""
    tokens: list[_Token] = []
    line = 0
    for match in _TOKEN_RE.finditer(code):
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "chain":
            text = ".".join(part.strip() for part in text.split("."))
        if kind != "newline":
            tokens.append(_Token(kind, text, line))
        line += text.count("\n") if kind == "long" else kind == "newline"
    return tuple(tokens)


class _Salvage:
    def __init__(self, code: str) -> None:
        self.tokens = _tokens(code)
        self.budget = MAX_PIECES

    def _match(self, i: int, hi: int) -> int:
        """The index of the bracket closing the one at ``i`` (``hi`` if none)."""
        depth = 0
        for j in range(i, hi):
            kind = self.tokens[j].kind
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth == 0:
                    return j
        return hi

    def _after_dot(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].text == "."

    def items(self, lo: int, hi: int) -> list[_Frag]:
        """The calls and names among tokens ``lo:hi``, everything else looked through."""
        out: list[_Frag] = []
        i = lo
        tokens = self.tokens
        while i < hi and self.budget > 0:
            token = tokens[i]
            following = tokens[i + 1] if i + 1 < hi else None
            if token.kind != "chain" or _has_keyword(token.text):
                i += 1
                continue
            if following is not None and following.text == "(":
                end = self._match(i + 1, hi)
                if self._after_dot(i):  # a method of a call's result: its arguments only
                    out.extend(self.items(i + 2, end))
                else:
                    self.budget -= 1
                    out.append(self._call(token, i + 2, end))
                i = end + 1
                continue
            if not self._after_dot(i) and (following is None or following.kind != "eq"):
                self.budget -= 1
                out.append([(token.line, token.text)])
            i += 1
        return out

    def _call(self, callee: _Token, lo: int, hi: int) -> _Frag:
        frag: _Frag = [(callee.line, callee.text), (None, "(")]
        seen: set[str] = set()
        keywords = False
        start = lo
        first = True
        for j in [*self._commas(lo, hi), hi]:
            if j > start:
                name, value = self._argument(start, j)
                if name is not None and name in seen:
                    name = None  # a repeated keyword would not parse
                if name is None and keywords:
                    value = [(None, "*"), *_wrapped(value)]  # no positional after a keyword
                if not first:
                    frag.append((None, ", "))
                if name is not None:
                    seen.add(name)
                    keywords = True
                    frag.append((self.tokens[start].line, name + "="))
                frag.extend(value)
                first = False
            start = j + 1
        frag.append((None, ")"))
        return frag

    def _commas(self, lo: int, hi: int) -> list[int]:
        out = []
        j = lo
        while j < hi:
            kind = self.tokens[j].kind
            if kind == "open":
                j = self._match(j, hi)
            elif kind == "comma":
                out.append(j)
            j += 1
        return out

    def _argument(self, lo: int, hi: int) -> tuple[str | None, _Frag]:
        """One argument: its keyword if it has one, and the argument kept or wrapped."""
        tokens = self.tokens[lo:hi]
        name = None
        if len(tokens) > 2 and tokens[0].kind == "chain" and tokens[1].kind == "eq":
            if "." not in tokens[0].text and not keyword.iskeyword(tokens[0].text):
                name = tokens[0].text
            lo += 2
            tokens = tokens[2:]
        if len(tokens) == 1:
            token = tokens[0]
            if token.kind in ("string", "number") or (
                token.kind == "chain" and (token.text in _CONSTANTS or not _has_keyword(token.text))
            ):
                self.budget -= 1
                return name, [(token.line, token.text)]
        return name, _damaged(self.items(lo, hi))

    def statement(self) -> _Frag | None:
        """The whole statement: ``target = DAMAGED(...)`` or ``DAMAGED(...)``."""
        tokens = self.tokens
        if (
            len(tokens) > 2
            and tokens[0].kind == "chain"
            and tokens[1].kind == "eq"
            and not _has_keyword(tokens[0].text)
        ):
            value = _damaged(self.items(2, len(tokens)))
            return [(tokens[0].line, tokens[0].text), (None, " = "), *value]
        found = self.items(0, len(tokens))
        return _damaged(found) if found else None


def _has_keyword(chain: str) -> bool:
    return any(keyword.iskeyword(part) for part in chain.split("."))


def _wrapped(value: _Frag) -> _Frag:
    if len(value) > 1:
        return value  # already a DAMAGED(...) call
    return _damaged([value])


def _damaged(items: list[_Frag]) -> _Frag:
    frag: _Frag = [(None, DAMAGED + "(")]
    for n, item in enumerate(items):
        if n:
            frag.append((None, ", "))
        frag.extend(item)
    frag.append((None, ")"))
    return frag


def _render(frag: _Frag, lines: bool) -> str:
    out: list[str] = []
    current = 0
    for line, text in frag:
        if lines and line is not None and line > current:
            out.append("\n" * (line - current))
            current = line
        out.append(text)
    return "".join(out)


def salvage(code: str, lines: bool = True) -> str | None:
    """What to write instead of the damaged statement ``code`` (its lines joined by
    ``"\\n"``, comments left out); ``None`` when it did nothing worth keeping.

    With ``lines``, each piece is on the line (counted from 0) it came from, so
    the result has at most as many lines as ``code``; without, it is one line.
    The result may still not parse (the caller checks).
    """
    if not _NAME_RE.search(_STRINGS_RE.sub("", code)):
        return None  # only literals (a data table's items): nothing to read
    frag = _Salvage(code).statement()
    return None if frag is None else _render(frag, lines)


#: Characters no Python expression holds: what a template or a bulk edit left (``${X}``).
_UNREADABLE = frozenset("$?`")


def loses_calls(code: str) -> bool:
    """Whether the damage in ``code`` hides what one of its calls did.

    A call whose receiver or callee is unreadable (``${X}.ctx.destroy(0)``,
    ``${CLEANUP}(self)``) or with an unreadable argument (``self.send(${MSG})``)
    may have closed or handed on anything, even what the salvaged form does not
    mention; a placeholder outside any call (``port = ${PORT}``) hides a value,
    not what a call did.
    """
    tokens = _Salvage(code).tokens
    calls: list[bool] = []  # the open brackets, innermost last: is it a call's?
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else None
        unreadable = _unreadable(tokens, i)
        if token.kind == "open":
            is_call = token.text == "(" and before is not None and before.kind in ("chain", "close")
            if (
                is_call
                and before is not None
                and (before.text == "}" or _unreadable(tokens, i - 1))
            ):
                return True  # the callee was a placeholder
            calls.append(is_call)
        elif token.kind == "close":
            if calls:
                calls.pop()
        elif unreadable and any(calls):
            return True  # inside a call's arguments
        elif (
            token.kind == "chain"
            and i + 1 < len(tokens)
            and tokens[i + 1].text == "("
            and i >= 2
            and before is not None
            and before.text == "."
            and (tokens[i - 2].text == "}" or _unreadable(tokens, i - 2))
        ):
            return True  # a method of a placeholder: its receiver is lost
    return False


def _unreadable(tokens: tuple[_Token, ...], i: int) -> bool:
    token = tokens[i]
    if token.kind != "other":
        return False
    if token.text == "!":  # ``!=`` is two tokens here
        return i + 1 >= len(tokens) or tokens[i + 1].text != "="
    return token.text in _UNREADABLE


def salvage_condition(code: str) -> str:
    """A one-line expression handing on what a damaged header's clause mentioned."""
    parser = _Salvage(code)
    return _render(_damaged(parser.items(0, len(parser.tokens))), lines=False)
