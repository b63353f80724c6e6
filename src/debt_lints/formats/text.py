"""The default format: ``path:line:col: CODE message``, like flake8 and ruff."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from debt_lints.context import terminal_safe
from debt_lints.formats import RenderContext
from debt_lints.model import Finding


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    # A file named "a\nb.py" or a message quoting control characters must not
    # forge a line (or drive the terminal): every line is one finding.
    lines = [
        f"{terminal_safe(f.path)}:{f.line}:{f.column}: {f.code} {terminal_safe(f.message)}"
        for f in findings
    ]
    if context.show_statistics:
        lines.extend(statistics_lines(findings))
    return "".join(line + "\n" for line in lines)


def statistics_lines(findings: Sequence[Finding]) -> list[str]:
    """``count  CODE  name`` per code, most frequent first (ties by code)."""
    counts = Counter((f.code, f.name) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [f"{count:>6}  {code}  {name}" for (code, name), count in ordered]
