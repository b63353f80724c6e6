"""The default format: ``path:line:col: CODE message``, like flake8 and ruff."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from debt_lints.formats import RenderContext
from debt_lints.model import Finding


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
    if context.show_statistics:
        lines.extend(statistics_lines(findings))
        if context.partial_files:
            lines.append(partial_line(len(context.partial_files)))
    return "".join(line + "\n" for line in lines)


def partial_line(count: int) -> str:
    """The ``--statistics`` line for files analysed from what could be recovered."""
    files = "file" if count == 1 else "files"
    return f"{count:>6}  {files} did not parse: analysed partly (what could be recovered)"


def statistics_lines(findings: Sequence[Finding]) -> list[str]:
    """``count  CODE  name`` per code, most frequent first (ties by code)."""
    counts = Counter((f.code, f.name) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [f"{count:>6}  {code}  {name}" for (code, name), count in ordered]
