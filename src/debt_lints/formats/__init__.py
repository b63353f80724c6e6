"""Output formats for ``debt-lints check``: name -> module with ``render``.

Each module defines ``render(findings: Sequence[Finding], context: RenderContext) -> str``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from debt_lints.core.model import Finding
from debt_lints.core.record import Record

if TYPE_CHECKING:
    from pathlib import Path

FORMATS: dict[str, str] = {
    "full": "debt_lints.formats.full",
    "concise": "debt_lints.formats.text",
    "text": "debt_lints.formats.text",
    "json": "debt_lints.formats.json_format",
    "github": "debt_lints.formats.github",
    "sarif": "debt_lints.formats.sarif",
    "junit": "debt_lints.formats.junit",
}


class RenderContext(Record):
    """What a format may need besides the findings."""

    __slots__ = (
        "baseline_in_use",
        "color",
        "files",
        "fix_summary",
        "known",
        "partial_files",
        "quiet",
        "root",
        "show_statistics",
        "sources",
        "stale",
        "unsafe_fixes",
    )
    show_statistics: bool
    #: Findings the baseline matched (known debt), for formats that show them.
    known: Sequence[Finding]
    #: True when a baseline file took part in the run (even if it matched nothing).
    baseline_in_use: bool
    #: Display paths of every file checked, for formats that list clean files too.
    files: Sequence[str]
    #: The project root (baseline paths are relative to it), when known.
    root: Path | None
    #: Unsafe fixes count as available (``--unsafe-fixes``): the text format marks them.
    unsafe_fixes: bool
    #: The closing line about fixes (``[*] 3 fixable with ...``), for the text format.
    fix_summary: str
    #: ANSI colours (the terminal formats; see :func:`debt_lints.formats.style.use_color`).
    color: bool
    #: ``-q``: the findings only, no closing summary line.
    quiet: bool
    #: Display paths of the files that did not parse and were analysed partly.
    partial_files: Sequence[str]
    #: What was checked by display path, when it is not the file on disk
    #: (standard input): the code frames are cut from these bytes.
    sources: Mapping[str, bytes]
    #: Baseline entries that make a CI run fail as stale (exit 4): the summary
    #: line must not say that all checks passed.
    stale: int

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        show_statistics: bool = False,
        known: Sequence[Finding] | None = None,
        baseline_in_use: bool = False,
        files: Sequence[str] | None = None,
        root: Path | None = None,
        unsafe_fixes: bool = False,
        fix_summary: str = "",
        color: bool = False,
        quiet: bool = False,
        partial_files: Sequence[str] | None = None,
        sources: Mapping[str, bytes] | None = None,
        stale: int = 0,
    ) -> None:
        self.show_statistics = show_statistics
        self.known = [] if known is None else known
        self.baseline_in_use = baseline_in_use
        self.files = [] if files is None else files
        self.root = root
        self.unsafe_fixes = unsafe_fixes
        self.fix_summary = fix_summary
        self.color = color
        self.quiet = quiet
        self.partial_files = [] if partial_files is None else partial_files
        self.sources = {} if sources is None else sources
        self.stale = stale


Renderer = Callable[[Sequence[Finding], RenderContext], str]


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
