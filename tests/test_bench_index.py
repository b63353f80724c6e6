"""Smoke test: the index benchmark runs and prints every figure (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_index_bench_prints_every_figure() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "index.py"),
            str(ROOT / "examples" / "legacy-monorepo"),
            *("--repeat", "1", "--agents", "3", "--modules", "200"),
            *("--baseline-src", str(ROOT / "src")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for label in (
        "check, cold, without the index",
        "check, cold, with the index",
        "check, warm, one file changed",
        "flake8, plugin with the index",
        "pylint, plugin with the index",
        "index memory, 200 synthetic modules",
    ):
        assert label in out, out
