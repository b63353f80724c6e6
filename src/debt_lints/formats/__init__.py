"""Output formats for ``debt-lints check``: name -> module with ``render``.

Each module defines ``render(findings: Sequence[Finding], context: RenderContext) -> str``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.core.model import Finding

FORMATS: dict[str, str] = {
    "full": "debt_lints.formats.full",
    "concise": "debt_lints.formats.text",
    "text": "debt_lints.formats.text",
    "json": "debt_lints.formats.json_format",
    "github": "debt_lints.formats.github",
    "sarif": "debt_lints.formats.sarif",
    "junit": "debt_lints.formats.junit",
}


@dataclass
class RenderContext:
    """What a format may need besides the findings."""

    show_statistics: bool = False
    #: Findings the baseline matched (known debt), for formats that show them.
    known: Sequence[Finding] = field(default_factory=list)
    #: True when a baseline file took part in the run (even if it matched nothing).
    baseline_in_use: bool = False
    #: Display paths of every file checked, for formats that list clean files too.
    files: Sequence[str] = field(default_factory=list)
    #: The project root (baseline paths are relative to it), when known.
    root: Path | None = None
    #: Unsafe fixes count as available (``--unsafe-fixes``): the text format marks them.
    unsafe_fixes: bool = False
    #: The closing line about fixes (``[*] 3 fixable with ...``), for the text format.
    fix_summary: str = ""
    #: ANSI colours (the terminal formats; see :func:`debt_lints.formats.style.use_color`).
    color: bool = False
    #: ``-q``: the findings only, no closing summary line.
    quiet: bool = False
    #: Display paths of the files that did not parse and were analysed partly.
    partial_files: Sequence[str] = field(default_factory=list)
    #: What was checked by display path, when it is not the file on disk
    #: (standard input): the code frames are cut from these bytes.
    sources: Mapping[str, bytes] = field(default_factory=dict)
    #: Baseline entries that make a CI run fail as stale (exit 4): the summary
    #: line must not say that all checks passed.
    stale: int = 0


Renderer = Callable[[Sequence[Finding], RenderContext], str]


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
