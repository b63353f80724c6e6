"""Applying text edits: positions to offsets, overlaps, one pass per file.

A file's line starts are computed once per text, and the overlap test keeps
the chosen edits sorted (a binary search per edit): choosing among ``n``
fixes costs ``O(n log n)``, not ``O(n^2)`` (a generated file can hold tens of
thousands of fixable imports).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import pairwise

from debt_lints.analysis.context import split_lines
from debt_lints.core.model import Edit, Finding, Fix


class EditOutOfRange(ValueError):
    """An edit points outside the text (stale positions): the fix is not applied."""


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if not 1 <= line <= len(starts):
        raise EditOutOfRange(f"line {line} is outside the file")
    base = starts[line - 1]
    limit = starts[line] if line < len(starts) else len(text)
    offset = base + column - 1
    if not base <= offset <= limit:
        raise EditOutOfRange(f"column {column} is outside line {line}")
    return offset


def spans(text: str, fix: Fix, starts: list[int] | None = None) -> list[tuple[int, int, str]]:
    """The fix's edits as ``(start, end, content)`` character offsets, in order.

    ``starts``: the text's line starts, when the caller has them already.
    """
    if starts is None:
        starts = _line_starts(text)
    out = []
    for edit in fix.edits:
        start = _offset(starts, text, edit.line, edit.column)
        end = _offset(starts, text, edit.end_line, edit.end_column)
        if end < start:
            raise EditOutOfRange("an edit ends before it starts")
        out.append((start, end, edit.content))
    return sorted(out, key=lambda s: (s[0], s[1]))


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two edits touch the same text, or insert at the same place (order unknown)."""
    if a[0] == b[0]:
        return True
    first, second = (a, b) if a[0] < b[0] else (b, a)
    return second[0] < first[1]


class _Taken:
    """Chosen edits, sorted and pairwise apart: one binary search tells an overlap."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.spans: list[tuple[int, int, str]] = []

    def clashes(self, span: tuple[int, int, str]) -> bool:
        # Apart edits have their ends in the order of their starts, so only the
        # neighbours of ``span``'s place can overlap it.
        i = bisect.bisect_left(self.starts, span[0])
        if i < len(self.spans) and _overlap(span, self.spans[i]):
            return True
        return i > 0 and _overlap(span, self.spans[i - 1])

    def add(self, span: tuple[int, int, str]) -> None:
        i = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(i, span[0])
        self.spans.insert(i, span)


def choose(
    text: str, findings: Sequence[Finding]
) -> list[tuple[Finding, list[tuple[int, int, str]]]]:
    """Findings whose fixes can be applied together: the first of overlapping ones wins."""
    chosen: list[tuple[Finding, list[tuple[int, int, str]]]] = []
    taken = _Taken()
    seen: set[tuple[Edit, ...]] = set()
    starts = _line_starts(text) if findings else []
    for finding in findings:
        assert finding.fix is not None
        if finding.fix.edits in seen:
            continue  # two findings with one fix (the same import reported twice)
        try:
            mine = spans(text, finding.fix, starts)
        except EditOutOfRange:
            continue
        # ``mine`` is sorted: its own edits overlap only as neighbours.
        if any(_overlap(a, b) for a, b in pairwise(mine)) or any(taken.clashes(m) for m in mine):
            continue
        seen.add(finding.fix.edits)
        for m in mine:
            taken.add(m)
        chosen.append((finding, mine))
    return chosen


def apply_spans(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping ``(start, end, content)`` edits applied."""
    out: list[str] = []
    last = 0
    for start, end, content in sorted(edits, key=lambda s: (s[0], s[1])):
        out.append(text[last:start])
        out.append(content)
        last = end
    out.append(text[last:])
    return "".join(out)


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """``text`` with every one of ``fixes`` applied (they must not overlap)."""
    starts = _line_starts(text)
    edits = [span for fix in fixes for span in spans(text, fix, starts)]
    return apply_spans(text, edits)
