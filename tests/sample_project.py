"""The small project most CLI and format tests run in: one DL201 finding."""

from __future__ import annotations

import re
from pathlib import Path

#: One finding: ``pkg/bad.py:2:1: DL201`` (end column 31).
BAD = "import sys\nsys.path.insert(0, 'vendor/x')\n"


def make_sample_project(root: Path) -> Path:
    """An empty ``[tool.debt-lints]``, ``pkg/bad.py`` (one DL201) and ``pkg/good.py``."""
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (root / "pkg").mkdir()
    (root / "pkg" / "bad.py").write_text(BAD, encoding="utf-8")
    (root / "pkg" / "good.py").write_text("import sys\nprint(sys.path)\n", encoding="utf-8")
    return root


_FINDING_LINE_RE = re.compile(r"^\S.*?:\d+:\d+: \S+ ")


def finding_lines(out: str) -> list[str]:
    """The ``path:line:col: CODE message`` lines of a terminal report (``full`` or
    ``concise``), without the code frames and the summary line."""
    return [line for line in out.splitlines() if _FINDING_LINE_RE.match(line)]
