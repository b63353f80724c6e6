"""``.gitignore`` patterns matched as git does, in time linear in the name.

git's ``wildmatch`` semantics (``gitignore(5)``): ``*`` and ``?`` never match
``/``; ``[...]`` classes with ``!``/``^`` negation, ranges, POSIX
``[:alpha:]`` classes and backslash escapes; ``**`` as a whole segment
matches any number of folders (one or more at the end); a pattern without a
``/`` (but a trailing one) matches a name at any depth, one with a ``/`` is
anchored at its file's folder; a trailing ``/`` matches folders only; ``!``
re-includes; trailing spaces are dropped unless escaped. A line git cannot
use (a lone ``!``, a trailing backslash, an unterminated ``[``, an unknown
``[:class:]``) matches nothing, as in git, and the other lines still apply.

Why not a regular expression per pattern (pathspec): a run of ``*`` in one
segment backtracks exponentially (``*************b`` stalls a run for
minutes). Here a pattern is split into segments, ``**`` segments are matched
by dynamic programming over the path's components, and a segment with
several ``*`` is matched by the classic greedy glob algorithm: each block of
fixed-width tokens between two ``*`` commits to its *earliest* occurrence
(which leaves the most room for the rest), written as an atomic lookahead
``(?=(.*?B))`` so ``re`` cannot backtrack into it. A segment costs
O(len(name) x len(segment)), a pattern O(depth^2) segment matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: No file name is longer than this many bytes on the platforms git runs on
#: (``NAME_MAX``), so a segment needing more fixed characters matches nothing.
MAX_NAME = 255

_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "\\x21-\\x7e",
    "lower": "a-z",
    "print": "\\x20-\\x7e",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
}


class _Invalid(ValueError):
    """A line git cannot use: it matches nothing."""


# Tokens of one pattern: a regex for one character, a run of "*" (its length),
# or a separator.
_SEP = "/"


@dataclass(frozen=True)
class _Star:
    count: int


#: A whole ``**`` segment.
_DSTAR = "**"


@dataclass(frozen=True)
class Pattern:
    """One usable line of an ignore file."""

    #: ``!``: a match re-includes.
    negated: bool
    #: A trailing ``/``: matches folders only.
    dir_only: bool
    #: No ``/`` inside: matched against the last component, at any depth.
    basename: bool
    #: Each segment: :data:`_DSTAR`, or a compiled regex for one component.
    segments: tuple[re.Pattern[str] | str, ...]

    def matches(self, parts: Sequence[str], is_dir: bool) -> bool:
        """Whether this pattern matches the path ``parts`` (relative to its file's folder)."""
        if self.dir_only and not is_dir:
            return False
        if self.basename:
            segment = self.segments[0]
            return segment == _DSTAR or _full(segment, parts[-1])
        count = len(parts)
        reach = [0]  # how many components the segments so far can consume
        last = len(self.segments) - 1
        for index, segment in enumerate(self.segments):
            if not reach:
                return False
            if segment == _DSTAR:
                lowest = min(reach)
                if index == last:
                    return lowest < count  # "a/**": one or more components
                reach = list(range(lowest, count + 1))
            else:
                reach = [j + 1 for j in reach if j < count and _full(segment, parts[j])]
        return count in reach


def _full(segment: re.Pattern[str] | str, name: str) -> bool:
    assert not isinstance(segment, str)
    return segment.fullmatch(name) is not None


def _trim_trailing_spaces(line: str) -> str:
    """git's ``trim_trailing_spaces``: unescaped trailing spaces go."""
    last_space = None
    i = 0
    while i < len(line):
        char = line[i]
        if char == " ":
            if last_space is None:
                last_space = i
        elif char == "\\":
            i += 1
            if i >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        i += 1
    return line if last_space is None else line[:last_space]


def parse(line: str) -> Pattern | None:
    """The pattern on ``line``; ``None`` for a blank line, a comment or a line git ignores."""
    line = _trim_trailing_spaces(line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    if dir_only:
        line = line[:-1]
    if not line:
        return None
    basename = "/" not in line
    if line.startswith("/"):
        line = line[1:]
    try:
        segments = _segments(_tokens(line))
    except _Invalid:
        return None
    return Pattern(negated, dir_only, basename, segments)


def parse_lines(lines: Iterable[str]) -> tuple[Pattern, ...]:
    return tuple(p for p in map(parse, lines) if p is not None)


def _tokens(text: str) -> list[str | _Star]:
    out: list[str | _Star] = []
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "\\":
            if i + 1 >= end:
                raise _Invalid("trailing backslash")
            char = text[i + 1]
            out.append(_SEP if char == "/" else re.escape(char))
            i += 2
        elif char == "/":
            out.append(_SEP)
            i += 1
        elif char == "*":
            run = i
            while i < end and text[i] == "*":
                i += 1
            out.append(_Star(i - run))
        elif char == "?":
            out.append("(?s:.)")
            i += 1
        elif char == "[":
            regex, i = _bracket(text, i + 1)
            out.append(regex)
        else:
            out.append(re.escape(char))
            i += 1
    return out


def _bracket(text: str, i: int) -> tuple[str, int]:
    """The regex for the class opening before ``text[i]``, and where it ends (git's rules)."""
    end = len(text)
    negated = i < end and text[i] in "!^"
    if negated:
        i += 1
    parts: list[str] = []
    first = True
    prev: str | None = None
    while True:
        if i >= end:
            raise _Invalid("unterminated [")
        char = text[i]
        if char == "]" and not first:
            i += 1
            break
        first = False
        if char == "\\":
            i += 1
            if i >= end:
                raise _Invalid("trailing backslash")
            char = text[i]
            parts.append(re.escape(char))
            prev = char
        elif char == "-" and prev is not None and i + 1 < end and text[i + 1] != "]":
            i += 1
            high = text[i]
            if high == "\\":
                i += 1
                if i >= end:
                    raise _Invalid("trailing backslash")
                high = text[i]
            # The low end stays matched on its own, as in git ("[z-a]" matches "z").
            if prev <= high:
                parts.append(f"{re.escape(prev)}-{re.escape(high)}")
            prev = None
        elif char == "[" and i + 1 < end and text[i + 1] == ":":
            close = text.find("]", i + 2)
            if close < 0:
                raise _Invalid("unterminated [")
            name = text[i + 2 : close]
            if not name.endswith(":"):
                parts.append(re.escape("["))  # not "[:name:]": a plain "["
                prev = "["
            else:
                posix = _POSIX_CLASSES.get(name[:-1])
                if posix is None:
                    raise _Invalid(f"unknown class [:{name}]")
                parts.append(posix)
                prev = None
                i = close
        else:
            parts.append(re.escape(char))
            prev = char
        i += 1
    body = "".join(parts)
    if not body:  # only empty ranges ("[z-a]"): nothing, or anything when negated
        return ("(?s:.)" if negated else "(?!)"), i
    return ("[^" if negated else "[") + body + "]", i


def _segments(tokens: list[str | _Star]) -> tuple[re.Pattern[str] | str, ...]:
    segments: list[re.Pattern[str] | str] = []
    current: list[str | _Star] = []
    for token in [*tokens, _SEP]:
        if token != _SEP:
            current.append(token)
            continue
        if len(current) == 1 and isinstance(current[0], _Star) and current[0].count >= 2:
            if not segments or segments[-1] != _DSTAR:  # "**/**" is "**"
                segments.append(_DSTAR)
        else:
            segments.append(_segment_regex(current))
        current = []
    return tuple(segments)


def _segment_regex(tokens: list[str | _Star]) -> re.Pattern[str]:
    """A regex matching one name in time linear in it (see the module docstring)."""
    blocks: list[list[str]] = [[]]
    for token in tokens:
        if isinstance(token, _Star):
            blocks.append([])
        else:
            blocks[-1].append(token)
    if sum(len(block) for block in blocks) > MAX_NAME:
        raise _Invalid("longer than any file name")
    pieces = ["".join(block) for block in blocks]
    if len(pieces) == 1:
        return re.compile(pieces[0])
    out = [pieces[0]]
    for number, middle in enumerate(pieces[1:-1]):
        # The earliest occurrence of the block, committed to: the lookahead is
        # atomic, and the backreference consumes what it saw.
        out.append(f"(?=(?P<b{number}>(?s:.)*?{middle}))(?P=b{number})")
    out.append(f"(?s:.)*{pieces[-1]}")
    return re.compile("".join(out))


class IgnoreFile:
    """The patterns of one ignore file (or several read as one, last line wins)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.patterns = parse_lines(lines)
        # The common case first, without a call: a name pattern is one regex.
        self._last_first = tuple(
            (
                p.negated,
                p.dir_only,
                p.segments[0] if p.basename and p.segments[0] != _DSTAR else None,
                p,
            )
            for p in reversed(self.patterns)
        )

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, relpath: str, is_dir: bool) -> bool | None:
        """``True``: ignored; ``False``: re-included by a ``!`` line; ``None``: no line matches.

        ``relpath`` is relative to the file's folder, with ``/``. Only the path
        itself is judged: a caller walking down prunes ignored folders first,
        as git does.
        """
        parts = relpath.split("/")
        name = parts[-1]
        for negated, dir_only, regex, pattern in self._last_first:
            if dir_only and not is_dir:
                continue
            if regex is not None:
                assert not isinstance(regex, str)
                if regex.fullmatch(name) is None:
                    continue
            elif not pattern.matches(parts, is_dir):
                continue
            return not negated
        return None
