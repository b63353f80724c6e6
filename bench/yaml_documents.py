#!/usr/bin/env python3
"""YAML streams of many documents: the time per document must not grow with the stream.

    python bench/yaml_documents.py [--documents N] [--repeat R]

Times ``debt_lints.analysis.yamlwalk.scalars`` on streams of N, 2N and 4N one-line
documents (``--- a``), interleaved and best of R, in one process, and prints
each size's time and the ratio to the previous size. Linear work doubles
(ratio ~2.0); the quadratic walk of issue 14 (the whole list re-sorted after
every document) quadrupled. Compare ratios within one run only.
"""

from __future__ import annotations

import argparse
import os
import time

from debt_lints.analysis.yamlwalk import scalars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [args.documents, args.documents * 2, args.documents * 4]
    texts = {n: "--- a\n" * n for n in sizes}
    best = {n: float("inf") for n in sizes}
    for _ in range(args.repeat):
        for n in sizes:  # interleaved: the same load for every size
            start = time.perf_counter()
            found = scalars(texts[n])
            best[n] = min(best[n], time.perf_counter() - start)
            assert isinstance(found, list) and len(found) == n
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'documents':>10}  {'seconds':>8}  {'us/doc':>7}  ratio")
    previous = None
    for n in sizes:
        ratio = "" if previous is None else f"{best[n] / best[previous]:.2f}"
        print(f"{n:>10}  {best[n]:8.3f}  {best[n] / n * 1e6:7.1f}  {ratio}")
        previous = n


if __name__ == "__main__":
    main()
