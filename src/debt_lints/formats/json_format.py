"""``--format json``: a JSON array of finding objects."""

from __future__ import annotations

import json
from collections.abc import Sequence

from debt_lints.core.model import Finding
from debt_lints.formats import RenderContext


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
