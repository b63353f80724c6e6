"""Smoke test: the benchmark script runs and prints its one table (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--generate", "24", "--repeat", "1", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def table_rows(out: str, *, targets: bool = False) -> dict[str, list[str]]:
    """The rows of the main table, or (``targets``) of the targets table after it."""
    main, _, after = out.partition("Targets (issue 27)")
    rows = {}
    for line in (after if targets else main).splitlines():
        if line.startswith("| ") and not line.startswith(("| run ", "| target ")):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_bench_prints_one_table() -> None:
    out = bench("--no-peers")
    assert out.startswith("corpus: generated (24 modules): 24 files,")
    rows = table_rows(out)
    assert list(rows)[:4] == [
        "floor: read + ast.parse, 1 process",
        next(name for name in rows if name.startswith("debt-lints cold")),
        "debt-lints warm, nothing changed",
        "debt-lints warm, 1 file changed",
    ]
    for cells in rows.values():
        assert float(cells[0]) > 0  # wall seconds
    assert rows["floor: read + ast.parse, 1 process"][2] == "1.00x"
    assert "unexpected exit statuses" not in out
    targets = table_rows(out, targets=True)
    names = list(targets)
    assert [n.split(" (")[0] for n in names[:3]] == [
        "cold wall / floor wall",
        "cold CPU / floor CPU",
        "warm, nothing changed / cold",
    ]
    one = [n for n in names if n.startswith("one file")]
    assert len(one) == 2 and "with the cache" in one[0] and "--no-cache" in one[1]
    for name in one:
        assert "x `python -c pass`" in targets[name][0] and "ruff" in targets[name][0]
    flake8 = [n for n in names if n.startswith("flake8 --select DL / flake8 --select E999")]
    assert len(flake8) == 1
    for name, (measured, goal, met) in targets.items():
        assert goal and met in ("yes", "no", "-"), name
        assert measured != "-" or met == "-", name


@pytest.mark.slow
def test_bench_with_peers_on_a_subset() -> None:
    out = bench("--peers-subset", "4")
    rows = table_rows(out)
    peers = [name for name in rows if name.startswith(("flake8", "pylint", "bandit"))]
    assert len(peers) == 3
    for name in peers:
        cells = rows[name]
        # Measured, or skipped with the reason in the notes.
        assert cells[0] != "-" or cells[-1].startswith("skipped"), (name, cells)
    assert "debt-lints cold, same subset" in rows


@pytest.mark.slow
def test_the_language_server_bench_counts_one_check_per_burst() -> None:
    """``bench/lsp.py`` drives the server over stdio; its counts are behaviour, not timing."""
    script = SCRIPT.with_name("lsp.py")
    done = subprocess.run(
        [sys.executable, str(script), "--repeat", "2", "--lines", "300"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "initialize answered" in done.stdout
    assert "| [1, 1, 1] checks, [1, 1, 1] publications |" in done.stdout
