#!/usr/bin/env python3
"""Cold ``debt-lints check`` of a corpus with this checkout and with another, interleaved.

    python bench/cold_check.py OTHER_SRC [CORPUS] [--repeat N] [--jobs N]

``OTHER_SRC`` is the ``src`` directory of another checkout of debt-lints (for
example ``git archive main src | tar -x -C /tmp/base`` then ``/tmp/base/src``);
CORPUS defaults to this interpreter's standard library, which parses, so the
figure shows what syntax-error recovery costs files that do not need it.
Runs alternate between the two sources (``--no-cache``, so every run is
cold), each in a fresh process with its ``src`` first on ``PYTHONPATH``;
the best wall time of ``--repeat`` runs of each, and their ratio, from this
one run on this machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

#: The interpreter, without the working directory on ``sys.path`` (``-P``, 3.11+):
#: runs happen inside copies of the corpus, whose modules must never be imported.
PYTHON = [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]

HERE_SRC = Path(__file__).resolve().parent.parent / "src"


def once(src: Path, corpus: str, jobs: int) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    argv = [*PYTHON, "-m", "debt_lints", "check", corpus, "--no-cache", "--exit-zero"]
    argv += ["--format", "json", "--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{src}: exit {done.returncode}: {done.stderr[-2000:]}")
    return wall, done.stdout


def _without_partial(report: str) -> list[dict[str, object]]:
    import json

    return [{k: v for k, v in f.items() if k != "partial"} for f in json.loads(report)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other_src", type=Path)
    parser.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    best = {"this": float("inf"), "other": float("inf")}
    outputs: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, src in (("this", HERE_SRC), ("other", args.other_src)):
            wall, out = once(src, args.corpus, args.jobs)
            best[name] = min(best[name], wall)
            outputs[name] = out
    print(f"corpus: {args.corpus} (--jobs {args.jobs}, best of {args.repeat}, cold)")
    print(f"this checkout ({HERE_SRC}): {best['this']:.2f} s")
    print(f"other ({args.other_src}): {best['other']:.2f} s")
    print(f"ratio this/other: {best['this'] / best['other']:.3f}")
    # The "partial" field is new; every other field must be the same.
    same = _without_partial(outputs["this"]) == _without_partial(outputs["other"])
    print(f"same findings: {same}")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
