#!/usr/bin/env python3
"""A legacy tree with a quarter of its files damaged: a cold check against its parse floor.

    python -P bench/damaged_tree.py [CORPUS] [--share 0.25] [--jobs 2] [--repeat 3] [--seed S]

CORPUS (default: this interpreter's standard library) is copied to a
temporary directory as ``bench/run.py`` copies it, and one Python file in four
(``--share``) that parses is damaged with one of ``bench/recovery.py``'s
damage kinds, taken in turn (the next kind when one finds no statement of its
shape in the file or leaves it valid Python). Then, as ``bench/run.py``
measures them, in fresh processes, best wall time of ``--repeat`` runs:

* the floor: one process reading every file and trying ``ast.parse`` on it
  once (a damaged file's attempt fails; that is its whole cost);
* ``debt-lints check --jobs 2`` cold (cache removed before each run), every
  rule on, so each damaged file gets its DL001 and the rules run on what
  recovery gives.

The ratio of the two is issue 27's target for a damaged tree (at most 1.2x).
The same two figures on the undamaged copy are printed beside it, so that the
share of the ratio that recovery costs can be told from the engine's own. Run
it with ``python -P`` so that a corpus copy never shadows a module debt-lints
imports.
"""

from __future__ import annotations

import argparse
import ast
import random
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # noqa: DL201 - the benchmarks of this checkout, as a package

from bench.recovery import DAMAGES, KINDS, Source  # noqa: E402
from bench.run import FLOOR_SCRIPT, PYTHON, Sample, copy_corpus, measure, measure_cold  # noqa: E402


def damage_tree(work: Path, files: list[str], share: float, seed: int) -> dict[str, int]:
    """Damage ``share`` of the Python files under ``work`` that parse, in place."""
    step = max(round(1 / share), 1) if share > 0 else 0
    counts = dict.fromkeys(KINDS, 0)
    turn = 0
    candidates = [f for f in files if f.endswith(".py")]
    for n, name in enumerate(candidates):
        if not step or n % step:
            continue
        path = work / name
        try:
            text = path.read_text(encoding="utf-8")
            src = Source.of(name, text)
        except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
            continue  # not Python this interpreter parses: left as it is
        for k in range(len(KINDS)):
            kind = KINDS[(turn + k) % len(KINDS)]
            damage = DAMAGES[kind](src, random.Random(f"{seed}:{name}:{kind}"))
            if damage is None or _parses(damage.text):
                continue
            path.write_text(damage.text, encoding="utf-8")
            counts[kind] += 1
            turn += k + 1
            break
    return counts


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _pair(work: Path, listing: Path, jobs: int, repeat: int) -> tuple[Sample, Sample]:
    floor = measure([*PYTHON, "-c", FLOOR_SCRIPT, str(listing)], work, repeat)
    check = [*PYTHON, "-m", "debt_lints", "check", ".", "--extend-select", "DL6"]
    cold = measure_cold([*check, "--jobs", str(jobs)], work, repeat)
    return floor, cold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="directory to copy (default: the stdlib)")
    parser.add_argument("--share", type=float, default=0.25, help="share of files damaged")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-clean", action="store_true", help="skip the undamaged copy")
    args = parser.parse_args(argv)
    origin = Path(args.corpus or sysconfig.get_paths()["stdlib"])
    rows = []
    with tempfile.TemporaryDirectory(prefix="debt-lints-damaged-") as tmp:
        work = Path(tmp) / "corpus"
        work.mkdir()
        files = copy_corpus(origin, work)
        (work / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(files), encoding="utf-8")
        if not args.no_clean:
            rows.append(("undamaged copy", *_pair(work, listing, args.jobs, args.repeat)))
        counts = damage_tree(work, files, args.share, args.seed)
        damaged = sum(counts.values())
        rows.append((f"{damaged} files damaged", *_pair(work, listing, args.jobs, args.repeat)))
    python_files = sum(f.endswith(".py") for f in files)
    print(f"corpus: {origin} ({python_files} Python files)")
    print("damaged per kind: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    print(
        f"\n| tree | floor wall s | cold wall s (--jobs {args.jobs}) | cold CPU s | cold / floor |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, floor, cold in rows:
        ratio = cold.wall / floor.wall
        print(f"| {name} | {floor.wall:.2f} | {cold.wall:.2f} | {cold.cpu:.2f} | {ratio:.2f}x |")
    ratio = rows[-1][2].wall / rows[-1][1].wall
    verdict = "met" if ratio <= 1.2 else "NOT met"
    print(f"\ndamaged tree: cold / floor {ratio:.2f}x (target <= 1.2x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
