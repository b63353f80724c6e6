#!/usr/bin/env python3
"""What a large baseline costs: one-file checks, ``baseline create``/``add``, next to ``check``.

    python bench/baseline.py [--files N] [--repeat N] [--before SRC]

Builds a synthetic monorepo of ``--files`` modules (default 800) whose debt
makes a baseline of about 2,600 entries (as on the 2,088-file tree of issue
16), then times, each in a fresh process:

* ``check FILE --no-baseline`` and ``check FILE`` (one file, with the baseline);
* ``baseline create --force`` and ``baseline add`` over the whole tree;
* ``check --ci`` over the whole tree (what the baseline commands should cost).

With ``--before SRC`` (a ``src`` folder of another debt-lints, e.g. from
``git archive main src | tar -x -C /tmp/before``) every command also runs
with that code first on the import path, interleaved with this one, and the
table gives the ratio: both sides under the same load, in one run. Wall time
is the best of ``--repeat`` runs. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = '''"""Module {n}."""
import sys

sys.path.insert(0, "/opt/legacy/{n}")
ENDPOINT = "tcp://localhost:{port}"


def load_{n}():
    return open("/mnt/models/model_{n}.bin").read()
'''


def make_tree(root: Path, files: int) -> None:
    (root / ".git").mkdir()
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    for n in range(files):
        package = root / f"pkg{n % 40}"
        package.mkdir(exist_ok=True)
        # One module in three has a third finding: ~1.3 findings per file on average
        # over the two-finding modules that keep the rest small.
        text = MODULE.format(n=n, port=5000 + n)
        if n % 3:
            text = text.replace('ENDPOINT = "tcp://localhost', 'ENDPOINT = "tcp://service')
        (package / f"mod{n}.py").write_text(text, encoding="utf-8")


def timed(argv: list[str], cwd: Path, env: dict[str, str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="src folder of the debt-lints to compare with")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent / "src"
    sides = [("after", here)]
    if args.before:
        sides.insert(0, ("before", args.before.resolve()))
    with tempfile.TemporaryDirectory(prefix="debt-lints-bench-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        make_tree(root, args.files)
        cli = [sys.executable, "-m", "debt_lints"]
        # Bytecode is written as users have it (an environment that forbids it
        # would make every run compile debt-lints again).
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        envs = {name: {**base, "PYTHONPATH": str(src)} for name, src in sides}
        subprocess.run(
            [*cli, "baseline", "create"],
            cwd=root,
            env=envs["after"],
            check=True,
            capture_output=True,
        )
        baseline = (root / "debt-lints-baseline.json").read_text(encoding="utf-8")
        entries = baseline.count("\n,")
        one = "pkg7/mod7.py"
        commands = [
            ("check one file, no baseline", [*cli, "check", one, "--no-baseline"]),
            ("check one file, baseline", [*cli, "check", one]),
            ("baseline create --force", [*cli, "baseline", "create", "--force"]),
            ("baseline add", [*cli, "baseline", "add", "--reason", "bench"]),
            ("check --ci (whole tree)", [*cli, "check", "--ci"]),
        ]
        results: dict[tuple[str, str], float] = {}
        for label, argv in commands:
            for name, _ in sides:
                # Warm the cache a side would use, then time it.
                subprocess.run(argv, cwd=root, env=envs[name], capture_output=True, check=False)
                results[(label, name)] = timed(argv, root, envs[name], args.repeat)
            # create --force rewrites the file: keep every side on the same baseline.
            (root / "debt-lints-baseline.json").write_text(baseline, encoding="utf-8")
        shutil.rmtree(root / ".debt-lints-cache", ignore_errors=True)
    load = os.getloadavg()
    print(
        f"{args.files} files, {entries} baseline entries, best of {args.repeat}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    header = f"{'command':32}" + "".join(f"{name:>10}" for name, _ in sides)
    print(header + ("  after/before" if len(sides) == 2 else ""))
    for label, _ in commands:
        row = f"{label:32}" + "".join(f"{results[(label, n)]:>9.2f}s" for n, _ in sides)
        if len(sides) == 2:
            row += f"  {results[(label, 'after')] / results[(label, 'before')]:>12.2f}"
        print(row)
    check = results[("check --ci (whole tree)", "after")]
    for label in ("baseline create --force", "baseline add"):
        print(f"after: {label} / check --ci = {results[(label, 'after')] / check:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
