"""``--output-format concise`` (also ``text``): ``path:line:col: CODE message``, like
flake8 and ruff's concise format, then the closing summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from debt_lints.analysis.context import terminal_safe
from debt_lints.core.model import Applicability, Finding
from debt_lints.formats import RenderContext
from debt_lints.formats.style import BOLD, CYAN, RED, paint
from debt_lints.formats.summary import Counts, summary_line


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    if context.show_statistics:
        return statistics_block(findings, context)
    lines = [header(f, context.color, context) for f in findings]
    lines += closing(findings, context, blank=False)
    return "".join(line + "\n" for line in lines)


def header(finding: Finding, color: bool, context: RenderContext | None = None) -> str:
    """The one line that names a finding (the first line of the full format too)."""
    # A file named "a\nb.py" or a message quoting control characters must not
    # forge a line (or drive the terminal): every line is one finding.
    where = paint(terminal_safe(finding.path), BOLD, color)
    cell = f":cell {finding.cell}" if finding.cell is not None else ""
    where += paint(f"{cell}:{finding.line}:{finding.column}:", CYAN, color)
    code = paint(finding.code, RED, color) + (_mark(finding, context) if context else "")
    return f"{where} {code} {terminal_safe(finding.message)}"


def closing(
    findings: Sequence[Finding], context: RenderContext, *, blank: bool = True
) -> list[str]:
    """The summary line (``blank``: after an empty line when findings were printed)."""
    if context.quiet:
        return []
    counts = Counts(
        findings=len(findings),
        known=len(context.known),
        baseline_in_use=context.baseline_in_use,
        stale=context.stale,
    )
    fixes = [context.fix_summary] if context.fix_summary else []
    return [*([""] if findings and blank else []), summary_line(counts), *fixes]


def statistics_block(findings: Sequence[Finding], context: RenderContext) -> str:
    """What ``--statistics`` prints: counts per code, then the files analysed partly."""
    stats = statistics_lines(findings)
    if context.partial_files:
        stats.append(partial_line(len(context.partial_files)))
    return "".join(line + "\n" for line in stats)


def partial_line(count: int) -> str:
    """The ``--statistics`` line for files analysed from what could be recovered."""
    files = "file" if count == 1 else "files"
    return f"{count:>6}  {files} did not parse: analysed partly (what could be recovered)"


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
