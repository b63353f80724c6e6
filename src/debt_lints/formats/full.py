"""``--output-format full`` (the default): each finding with a code frame, as ruff shows it.

::

    pkg/loader.py:6:1: DL201 sys.path is modified at runtime; install the package ...
      |
    4 | HERE = os.path.dirname(__file__)
    5 | VENDOR = os.path.join(HERE, "vendor")
    6 | sys.path.insert(0, HERE)
      | ^^^^^^^^^^^^^^^^^^^^^^^^ DL201
    7 | sys.path.insert(0, VENDOR)
      |

    Found 1 finding (12 known in the baseline)

The frame is read from the file again when the report is written (the same
safe read as the engine's, never following a FIFO); a file that cannot be read
or decoded any more gets no frame. Source text is made printable: control
characters (a terminal escape planted in a checked file) are shown as ``\ufffd``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from debt_lints.analysis.context import printable, split_lines
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.model import Finding
from debt_lints.formats import RenderContext
from debt_lints.formats.style import BLUE, RED, paint
from debt_lints.formats.text import closing, header, statistics_block

#: Lines of context shown before and after the finding.
CONTEXT_LINES = 2
#: Lines of a multi-line finding shown before the frame is cut.
MAX_SPAN_LINES = 6
TAB_WIDTH = 4
#: Files larger than this get no frame (reading them again costs too much).
MAX_FRAME_FILE_SIZE = 2 * 1024 * 1024
_CONTROL_RE = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    if context.show_statistics:
        return statistics_block(findings, context)
    sources: dict[str, list[str] | None] = {}
    notebooks: dict[str, dict[int, list[str]]] = {}
    out: list[str] = []
    for finding in findings:
        out.append(header(finding, context.color, context))
        lines: list[str] | None
        if finding.cell is not None:
            # A notebook's lines count within a cell, not within the JSON file:
            # the frame is cut from the cell.
            if finding.path not in notebooks:
                notebooks[finding.path] = _read_cells(finding.path, context)
            lines = notebooks[finding.path].get(finding.cell)
        else:
            if finding.path not in sources:
                sources[finding.path] = _read_lines(finding.path, context)
            lines = sources[finding.path]
        if lines is not None:
            out.extend(frame(finding, lines, context.color))
        out.append("")
    if out:
        out.pop()  # the blank line after the last frame comes from closing()
    out.extend(closing(findings, context))
    return "".join(line + "\n" for line in out)


def _read_bytes(path: str, context: RenderContext) -> bytes | None:
    """What was checked as ``path``: standard input's bytes, or the file read again."""
    given = context.sources.get(path)
    if given is not None:
        return given
    from debt_lints.core.source import read_bytes

    # Never a frame from outside the project (a committed link to a secret):
    # without a known root, a file is confined to its own folder.
    root = context.root
    confine = root if root is not None else os.path.dirname(os.path.abspath(path))
    data = read_bytes(path, MAX_FRAME_FILE_SIZE, root=confine)
    return data if isinstance(data, bytes) else None


def _read_cells(path: str, context: RenderContext) -> dict[int, list[str]]:
    from debt_lints.engine.walk import notebook_cells

    data = _read_bytes(path, context)
    return {} if data is None else notebook_cells(data)


def _read_lines(path: str, context: RenderContext) -> list[str] | None:
    from debt_lints.core.source import decode_python, decode_text

    data = _read_bytes(path, context)
    if data is None:
        return None
    is_yaml = path.endswith((".yaml", ".yml"))
    text = decode_text(data) if is_yaml else decode_python(data)
    if not isinstance(text, str):
        return None
    return [line.rstrip("\r\n") for line in split_lines(text, yaml=is_yaml)]


def _visible(text: str) -> str:
    """A source line safe to print: tabs expanded, control characters replaced."""
    return _CONTROL_RE.sub("\ufffd", printable(text.expandtabs(TAB_WIDTH)))


def frame(finding: Finding, lines: Sequence[str], color: bool) -> list[str]:
    """The numbered source lines around ``finding`` with carets under it."""
    if not 1 <= finding.line <= len(lines):
        return []
    end_line = min(max(finding.end_line, finding.line), len(lines))
    shown_end = min(end_line, finding.line + MAX_SPAN_LINES - 1)
    first = max(1, finding.line - CONTEXT_LINES)
    last = min(len(lines), shown_end + CONTEXT_LINES)
    width = len(str(last))
    gutter = paint(" " * width + " |", BLUE, color)
    out = [gutter]
    for number in range(first, last + 1):
        text = lines[number - 1]
        out.append(f"{paint(f'{number:>{width}} |', BLUE, color)} {_visible(text)}".rstrip())
        if number == finding.line:
            start = len(text[: max(finding.column - 1, 0)].expandtabs(TAB_WIDTH))
            if end_line == finding.line and finding.end_column > finding.column:
                stop = len(text[: finding.end_column - 1].expandtabs(TAB_WIDTH))
            else:
                stop = len(text.expandtabs(TAB_WIDTH).rstrip())
            carets = "^" * max(stop - start, 1)
            out.append(f"{gutter} {' ' * start}{paint(carets + ' ' + finding.code, RED, color)}")
    if shown_end < end_line:
        out.append(f"{gutter} ... ({end_line - shown_end} more lines)")
    out.append(gutter)
    return out
