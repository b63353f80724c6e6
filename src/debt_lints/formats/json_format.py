"""``--format json``: a JSON array of finding objects."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from debt_lints.core.model import Applicability, Finding
from debt_lints.formats import RenderContext


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    if context.show_statistics:
        return json.dumps(statistics(findings, context), indent=2, ensure_ascii=False) + "\n"
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def statistics(findings: Sequence[Finding], context: RenderContext) -> list[dict[str, object]]:
    """``--statistics``: one object per code (``code``, ``name``, ``count``, and
    ``fixable``: how many ``--fix`` would fix), most frequent first, as ruff's."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    for finding in findings:
        counts[(finding.code, finding.name)] += 1
        fix = finding.fix
        if fix is not None and (fix.applicability is Applicability.SAFE or context.unsafe_fixes):
            fixable[finding.code] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [
        {"code": code, "name": name, "count": count, "fixable": fixable[code]}
        for (code, name), count in ordered
    ]
