"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

Each finding becomes a line such as::

    ::warning file=pkg/a.py,line=2,col=1,endLine=2,endColumn=31,title=DL201 sys-path-injection::msg

which the Actions runner turns into an annotation on the pull request's diff.
Paths are printed as debt-lints prints them (relative to the current
directory), so run the check from the repository root.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from debt_lints.analysis.context import terminal_safe
from debt_lints.core.model import Finding, Severity
from debt_lints.formats import RenderContext

#: Workflow command per severity (GitHub knows ``error``, ``warning`` and ``notice``).
COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def _visible(value: str) -> str:
    """Control characters shown as ``\\xNN`` (an ESC sequence in a CI log drives
    the log viewer), except CR and LF, which the command escapes below carry
    faithfully as ``%0D``/``%0A``."""
    return "".join(
        part if part in ("\r", "\n") else terminal_safe(part, line_start=False)
        for part in re.split(r"(\r|\n)", value)
    )


def escape_data(value: str) -> str:
    """Escape a command's message, as the Actions toolkit's ``escapeData`` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: the message escapes plus ``:`` and ``,``, the delimiters."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The workflow command for one finding."""
    props: list[tuple[str, str]] = [("file", _visible(finding.path))]
    if finding.line > 0:
        props.append(("line", str(finding.line)))
        end_line = max(finding.end_line, finding.line)
        # GitHub's annotation API accepts columns only on a single-line range
        # (it rejects start/end columns when the lines differ), so a
        # multi-line finding is annotated by lines alone.
        if end_line == finding.line and finding.column > 0:
            props.append(("col", str(finding.column)))
        props.append(("endLine", str(end_line)))
        if end_line == finding.line and finding.end_column > finding.column > 0:
            props.append(("endColumn", str(finding.end_column)))
    title = _visible(f"{finding.code} {finding.name}".strip())
    props.append(("title", title))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    command = COMMANDS.get(finding.severity, "warning")
    return f"::{command} {rendered}::{escape_data(_visible(finding.message))}"


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    """One workflow command per finding (known baseline findings are not annotated)."""
    return "".join(annotation(f) + "\n" for f in findings)
