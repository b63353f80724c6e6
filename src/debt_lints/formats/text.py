"""The default format: ``path:line:col: CODE message``, like flake8 and ruff."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from debt_lints.context import terminal_safe
from debt_lints.formats import RenderContext
from debt_lints.model import Applicability, Finding


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    # A file named "a\nb.py" or a message quoting control characters must not
    # forge a line (or drive the terminal): every line is one finding.
    lines = [
        f"{terminal_safe(f.path)}:{f.line}:{f.column}: {f.code}{_mark(f, context)}"
        f" {terminal_safe(f.message)}"
        for f in findings
    ]
    if context.show_statistics:
        lines.extend(statistics_lines(findings))
    if context.fix_summary:
        lines.append(context.fix_summary)
    return "".join(line + "\n" for line in lines)


def _mark(finding: Finding, context: RenderContext) -> str:
    """`` [*]`` on a finding ``--fix`` would fix (as ruff marks them)."""
    fix = finding.fix
    if fix is None:
        return ""
    if fix.applicability is Applicability.SAFE or context.unsafe_fixes:
        return " [*]"
    return ""


def statistics_lines(findings: Sequence[Finding]) -> list[str]:
    """``count  CODE  name`` per code, most frequent first (ties by code)."""
    counts = Counter((f.code, f.name) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [f"{count:>6}  {code}  {name}" for (code, name), count in ordered]
