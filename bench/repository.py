#!/usr/bin/env python3
"""What the whole-repository rules (DL601-DL603) cost, measured in one run.

    python bench/repository.py [--copies N] [--repeat N] [--jobs N]

Two tables, every figure from this one run (compare ratios, not seconds
across runs):

1. the standard library: a cold ``check`` with every rule against the same
   run without DL601-DL603 (``--ignore DL6``), interleaved;
2. ``--copies`` copies of the standard library side by side (ten by
   default: about 8.5 million lines), each under a renamed top-level
   directory, so every module has nine copies: the same two runs, and the
   peak memory of the run with the rules (``DL603`` has to find 1,700
   families of ten without comparing all pairs).

Each run is a fresh process with an empty cache; wall time is the best of
``--repeat`` runs; peak memory is the largest resident set of any process of
the run (``wait4``).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from types import ModuleType

#: The interpreter, without the working directory on ``sys.path`` (``-P``, 3.11+):
#: runs happen inside copies of the corpus, whose modules must never be imported.
PYTHON = [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]


def _sibling(name: str) -> ModuleType:
    """``bench/<name>.py``, loaded by path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_run = _sibling("run")
copy_corpus, count_lines, measure = _run.copy_corpus, _run.count_lines, _run.measure

DEBT_LINTS = [*PYTHON, "-m", "debt_lints", "check", "--no-baseline", "--exit-zero"]


def _cold(root: Path, extra: list[str], jobs: int, repeat: int) -> tuple[float, float]:
    best_wall, rss = float("inf"), 0.0
    for _ in range(repeat):
        shutil.rmtree(root / ".debt-lints-cache", ignore_errors=True)
        sample = measure([*DEBT_LINTS, "--jobs", str(jobs), *extra, "."], root, 1)
        assert sample.status == 0, f"debt-lints failed in {root}"
        if sample.wall < best_wall:
            best_wall, rss = sample.wall, sample.rss_mb
    return best_wall, rss


def _pair(root: Path, jobs: int, repeat: int) -> tuple[float, float, float]:
    """(wall without DL6, wall with DL6, peak MB with DL6), interleaved."""
    without = with_rules = float("inf")
    peak = 0.0
    for _ in range(repeat):
        without = min(without, _cold(root, ["--ignore", "DL6"], jobs, 1)[0])
        wall, rss = _cold(root, [], jobs, 1)
        if wall < with_rules:
            with_rules, peak = wall, rss
    return without, with_rules, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    with tempfile.TemporaryDirectory(prefix="dl-bench-repo-") as tmp:
        one = Path(tmp) / "one"
        files = copy_corpus(stdlib, one / "lib")
        (one / "pyproject.toml").write_text(
            '[tool.debt-lints]\nimport-roots = ["lib"]\n', encoding="utf-8"
        )
        lines = count_lines(one / "lib", files)
        without, with_rules, peak = _pair(one, args.jobs, args.repeat)
        print(f"standard library: {len(files)} files, {lines:,} lines, --jobs {args.jobs}")
        print(f"  cold check without DL6: {without:7.2f} s")
        print(f"  cold check with DL6:    {with_rules:7.2f} s  ({with_rules / without:.2f}x)")
        print(f"  peak memory with DL6:   {peak:7.0f} MB")
        if args.copies > 1:
            many = Path(tmp) / "many"
            many.mkdir()
            for i in range(args.copies):
                shutil.copytree(one / "lib", many / f"copy{i}")
            (many / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
            without, with_rules, peak = _pair(many, args.jobs, 1)
            print(
                f"{args.copies} copies: {len(files) * args.copies} files, "
                f"{lines * args.copies:,} lines"
            )
            print(f"  cold check without DL6: {without:7.2f} s")
            print(f"  cold check with DL6:    {with_rules:7.2f} s  ({with_rules / without:.2f}x)")
            print(f"  peak memory with DL6:   {peak:7.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
