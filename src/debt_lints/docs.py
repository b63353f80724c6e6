"""Rule documentation, generated from the registry.

``python -m debt_lints.docs [DIR]`` rewrites ``docs/rules/``; a test fails
when the committed pages differ from what this module renders.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from debt_lints.model import DOC_SECTIONS, Rule

GENERATED_NOTE = (
    "<!-- Generated from the rule's docstring by `python -m debt_lints.docs`. Do not edit. -->"
)


def sections(rule: type[Rule]) -> dict[str, str]:
    """The ``## Section`` bodies of a rule's docstring, by title."""
    out: dict[str, str] = {}
    current: str | None = None
    buf: list[str] = []
    for line in rule.doc().splitlines():
        match = re.match(r"^## (.+?)\s*$", line)
        if match:
            if current is not None:
                out[current] = "\n".join(buf).strip()
            current, buf = match.group(1), []
        elif current is not None:
            buf.append(line)
    if current is not None:
        out[current] = "\n".join(buf).strip()
    return out


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a documentation section."""
    return [m.group(2) for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)]


def render_rule(rule: type[Rule], *, generated_note: bool = True) -> str:
    """One rule's page (``generated_note``: the do-not-edit comment of ``docs/rules/``)."""
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        *([GENERATED_NOTE, ""] if generated_note else []),
        f"*{rule.summary}*",
        "",
        f"- Severity: {rule.severity.value}",
        f"- Family: {rule.family()}",
        f"- Message: `{rule.message}`",
    ]
    if rule.security is not None:
        lines.append(
            f"- Security: CWE-{rule.security.cwe}, bandit severity {rule.security.bandit_severity},"
            f" confidence {rule.security.confidence}"
        )
    if rule.options:
        lines.append("- Options: " + ", ".join(f"`{o.name}`" for o in rule.options))
    lines.append("")
    body = sections(rule)
    for title in DOC_SECTIONS:
        lines.extend([f"## {title}", "", body.get(title, "").strip() or "None.", ""])
    return "\n".join(lines).rstrip() + "\n"


def render_index() -> str:
    from debt_lints.registry import RETIRED, all_rules

    lines = [
        "# Rules",
        "",
        GENERATED_NOTE,
        "",
        "| code | name | severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | `{rule.name}` "
            f"| {rule.severity.value} | {rule.summary} |"
        )
    if RETIRED:
        lines.extend(["", "## Retired codes", "", "| code | former name |", "| --- | --- |"])
        lines.extend(f"| {code} | `{name}` |" for code, name in sorted(RETIRED.items()))
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    from debt_lints.registry import all_rules

    pages = {f"{rule.code}.md": render_rule(rule) for rule in all_rules()}
    pages["index.md"] = render_index()
    return pages


def write_pages(directory: Path) -> list[str]:
    """Write the pages, remove stale generated ones; return the names changed."""
    from debt_lints.atomic import atomic_write_text

    directory.mkdir(parents=True, exist_ok=True)
    pages = expected_pages()
    changed = []
    for name, content in pages.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            atomic_write_text(path, content)
            changed.append(name)
    for path in directory.glob("*.md"):
        if path.name not in pages and GENERATED_NOTE in path.read_text(encoding="utf-8"):
            path.unlink()
            changed.append(path.name)
    return changed


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    for name in write_pages(target):
        print(f"wrote {target / name}")
