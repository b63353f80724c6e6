#!/usr/bin/env python3
"""Benchmark debt-lints against the parse floor and its peers, in one run, one table.

    python bench/run.py [CORPUS] [--generate N] [--jobs N] [--repeat N] [--peers-subset N]

Every rule is on (``--extend-select DL6``), but for one file (the
whole-repository rules read the whole project). After the table it prints the
targets of issue 27, each as a ratio measured in this same run: cold against
the parse floor (wall and CPU), warm against cold, one file of 500-1,000
lines against ``python -c pass`` (plus the file's parse time) and against
ruff, and the flake8 plugin against flake8 with only ``E999`` selected, on
300 files of the corpus.

CORPUS defaults to this interpreter's standard library (found with
``sysconfig``). It is copied (Python and YAML files only) to a temporary
directory first: debt-lints writes its cache at the project root, and the
"one file changed" run edits a file. ``--generate N`` makes a corpus of N
synthetic modules instead.

Every figure in the table comes from this one run, on this machine, under
its current load: compare ratios within a table, not seconds across tables.
Each command runs in a fresh process; wall time is the best of ``--repeat``
runs; CPU time and peak memory (the largest resident set of any one process
of the run, from ``wait4``) belong to that best run. Only the standard
library is used (``time.perf_counter``, ``os.wait4``, ``subprocess``).

Every Python child runs with ``-P`` and ``PYTHONSAFEPATH=1`` (the corpus is
its working directory and must never shadow a module of the tools), and
with bytecode compiled first and ``PYTHONDONTWRITEBYTECODE`` removed: an
installed package has its ``.pyc`` files, so no figure pays for compiling.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: The interpreter, without the working directory on ``sys.path`` (``-P``, 3.11+):
#: runs happen inside copies of the corpus, whose modules must never be imported.
PYTHON = [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]
#: The children's environment: ``PYTHONSAFEPATH`` for the tools started by a console
#: script or ``-m`` (flake8, pylint, bandit run in the corpus too), and bytecode
#: written and read as an installed package has it (``PYTHONDONTWRITEBYTECODE``
#: would make every run compile all of debt-lints' modules again).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
ENV["PYTHONSAFEPATH"] = "1"

SUFFIXES = (".py", ".pyi", ".yaml", ".yml")
SKIP_DIRS = {"site-packages", "__pycache__", "dist-packages", ".git"}

FLOOR_SCRIPT = """
import ast, sys
for name in open(sys.argv[1], encoding="utf-8").read().splitlines():
    try:
        with open(name, "rb") as fh:
            data = fh.read()
        if name.endswith((".py", ".pyi")):
            ast.parse(data)
    except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
        pass
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    status: int


@dataclass
class Row:
    name: str
    sample: Sample | None
    note: str = ""
    #: The debt-lints cold run this row is compared with (a peer on a subset).
    baseline: Sample | None = None


def measure(argv: list[str], cwd: Path, repeat: int) -> Sample:
    """Best wall time of ``repeat`` runs of ``argv``; its CPU time and peak RSS."""
    best: Sample | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
        # wait4 reports the child and every descendant it waited for (workers).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sample = Sample(
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20,
            proc.returncode,
        )
        if best is None or sample.wall < best.wall:
            best = sample
    assert best is not None
    return best


def measure_cold(argv: list[str], cwd: Path, repeat: int) -> Sample:
    """Like :func:`measure`, with the cache removed before every run."""
    best: Sample | None = None
    for _ in range(repeat):
        clean = [*PYTHON, "-m", "debt_lints", "clean"]
        subprocess.run(clean, cwd=cwd, capture_output=True, check=True, env=ENV)
        sample = measure(argv, cwd, 1)
        if best is None or sample.wall < best.wall:
            best = sample
    subprocess.run(clean, cwd=cwd, capture_output=True, check=True, env=ENV)
    assert best is not None
    return best


def copy_corpus(source: Path, target: Path) -> list[str]:
    """Copy the checkable files of ``source``; return their paths relative to ``target``."""
    files: list[str] = []
    for directory, dirnames, filenames in os.walk(source):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel = os.path.relpath(directory, source)
        for name in sorted(filenames):
            if not name.endswith(SUFFIXES):
                continue
            src = os.path.join(directory, name)
            if not os.path.isfile(src) or os.path.islink(src):
                continue
            dst = target / rel / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            files.append(os.path.normpath(os.path.join(rel, name)))
    return files


def generate_corpus(target: Path, count: int) -> list[str]:
    """``count`` synthetic modules of about 480 lines (the standard library's mean)."""
    files: list[str] = []
    for i in range(count):
        package = target / f"pkg{i % 20:02}"
        package.mkdir(parents=True, exist_ok=True)
        name = f"pkg{i % 20:02}/module{i:05}.py"
        (target / name).write_text(_module(i), encoding="utf-8")
        files.append(name)
    return files


def _module(seed: int) -> str:
    parts = [
        f'"""Generated module {seed}."""\n',
        "import logging\nimport os\nimport socket\nimport sys\n",
        "from pathlib import Path\n\n",
        "LOG = logging.getLogger(__name__)\n",
    ]
    if seed % 7 == 0:
        parts.append("sys.path.insert(0, os.path.dirname(__file__))\n")
    if seed % 11 == 0:
        parts.append("HOST = 'localhost'\n")
    for j in range(12):
        parts.append(
            f"""

class Service{j}:
    \"\"\"A service.\"\"\"

    def __init__(self, name: str, port: int = {8000 + j}) -> None:
        self.name = name
        self.port = port
        self.items: list[int] = []

    def load(self, path: Path) -> dict[str, int]:
        result = {{}}
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh):
                key, _, value = line.partition("=")
                if not key or key.startswith("#"):
                    continue
                result[key.strip()] = int(value or number)
        return result

    def level(self) -> str:
        return os.environ.get("SERVICE_{j}_LEVEL", "info")

    def total(self, values: list[int]) -> int:
        total = 0
        for value in values:
            if value % 2:
                total += value * {j + 1}
            elif value > 10:
                total -= value // 3
            else:
                total ^= value
        LOG.debug("total of %s is %d", self.name, total)
        return total

    def connect(self) -> socket.socket:
        sock = socket.create_connection((self.name, self.port), timeout=5)
        return sock


def helper_{j}(data: dict[str, list[int]]) -> list[tuple[str, int]]:
    return sorted(
        ((key, sum(v for v in values if v > {j})) for key, values in data.items()),
        key=lambda item: (-item[1], item[0]),
    )
"""
        )
    return "".join(parts)


def count_lines(root: Path, files: list[str]) -> int:
    total = 0
    for name in files:
        with open(root / name, "rb") as fh:
            total += fh.read().count(b"\n")
    return total


def has_module(name: str) -> bool:
    probe = [*PYTHON, "-c", f"import {name}"]
    return subprocess.run(probe, capture_output=True, check=False, env=ENV).returncode == 0


def dl_symbols() -> list[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from debt_lints.engine.registry import all_rules\n"
            "print(','.join(r.name for r in all_rules()))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().split(",")


def flake8_has_dl() -> bool:
    out = subprocess.run(
        [*PYTHON, "-m", "flake8", "--version"], capture_output=True, text=True, check=False, env=ENV
    )
    return out.returncode == 0 and "debt" in out.stdout.lower()


def pylint_has_dl() -> bool:
    return has_module("pylint") and has_module("debt_lints.pylint")


def peer_rows(
    work: Path, files: list[str], subset: int | None, jobs: int, repeat: int
) -> list[Row]:
    """flake8 (DL only), pylint (DL only) and bandit, each beside debt-lints on the same files."""
    chosen = files
    note = ""
    if subset is not None and subset < len(files):
        step = len(files) / subset
        chosen = [files[int(i * step)] for i in range(subset)]
        note = f"on {subset} of {len(files)} files (every {step:.1f}th)"
    dl_subset: Sample | None = None
    if chosen is not files:
        dl_subset = measure_cold(
            [*PYTHON, "-m", "debt_lints", "check", "--jobs", str(jobs), *chosen],
            work,
            repeat,
        )
    rows: list[Row] = []
    if chosen is not files:
        rows.append(Row("debt-lints cold, same subset", dl_subset, note))
    if not has_module("flake8"):
        rows.append(Row("flake8 --select DL", None, "skipped: flake8 is not installed"))
    elif not flake8_has_dl():
        rows.append(Row("flake8 --select DL", None, "skipped: the DL plugin is not registered"))
    else:
        argv = [*PYTHON, "-m", "flake8", "--select", "DL", "--jobs", str(jobs), *chosen]
        rows.append(Row("flake8 --select DL", measure(argv, work, 1), note, dl_subset))
    if not has_module("pylint"):
        rows.append(Row("pylint, DL messages only", None, "skipped: pylint is not installed"))
    elif not pylint_has_dl():
        rows.append(Row("pylint, DL messages only", None, "skipped: no debt_lints.pylint plugin"))
    else:
        enable = ",".join(["debt-lints-plugin-error", *dl_symbols()])
        argv = [
            *PYTHON,
            "-m",
            "pylint",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            f"--enable={enable}",
            f"--jobs={jobs}",
            "--score=n",
            *chosen,
        ]
        rows.append(Row("pylint, DL messages only", measure(argv, work, 1), note, dl_subset))
    if not has_module("bandit"):
        rows.append(Row("bandit (its default tests)", None, "skipped: bandit is not installed"))
    else:
        argv = [*PYTHON, "-m", "bandit", "-q", "-f", "txt", *chosen]
        rows.append(Row("bandit (its default tests)", measure(argv, work, 1), note, dl_subset))
    return rows


@dataclass
class Target:
    name: str
    measured: str
    goal: str
    met: bool | None


def one_file(root: Path, files: list[str]) -> str | None:
    """The corpus's Python file closest to 750 lines (the one-file target is about a
    file of 500-1,000 lines; the table shows the count of the one it took)."""
    best: tuple[int, str] | None = None
    for name in files:
        if not name.endswith(".py"):
            continue
        with open(root / name, "rb") as fh:
            lines = fh.read().count(b"\n")
        if best is None or abs(lines - 750) < best[0]:
            best = (abs(lines - 750), name)
    return best[1] if best is not None else None


PARSE_SCRIPT = """
import ast, sys, time
data = open(sys.argv[1], "rb").read()
best = float("inf")
for _ in range(20):
    start = time.perf_counter()
    ast.parse(data)
    best = min(best, time.perf_counter() - start)
print(best)
"""


def target_rows(
    work: Path,
    files: list[str],
    *,
    floor: Sample,
    cold: Sample,
    warm: Sample,
    jobs: int,
    repeat: int,
) -> list[Target]:
    """The issue 27 targets, from this run's figures and a few more measured here."""
    targets = [
        Target(
            f"cold wall / floor wall (--jobs {jobs})",
            f"{cold.wall / floor.wall:.2f}x",
            "<= 0.70x with 2 workers",
            cold.wall / floor.wall <= 0.7,
        ),
        Target(
            "cold CPU / floor CPU",
            f"{cold.cpu / floor.cpu:.2f}x",
            "<= 1.40x",
            cold.cpu / floor.cpu <= 1.4,
        ),
        Target(
            "warm, nothing changed / cold",
            f"{warm.wall / cold.wall:.3f}",
            "<= 0.05",
            warm.wall / cold.wall <= 0.05,
        ),
    ]
    name = one_file(work, files)
    if name is None:
        targets.append(Target("one file", "-", "a Python file in the corpus", None))
    else:
        short = max(repeat, 7)
        lines = (work / name).read_bytes().count(b"\n")
        nothing = measure([*PYTHON, "-c", "pass"], work, short)
        parsed = subprocess.run(
            [*PYTHON, "-c", PARSE_SCRIPT, name],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        parse = float(parsed.stdout.strip() or "nan")
        allowed = 5 * (nothing.wall + parse)
        # The default rules: the whole-repository rules (DL6, opt-in) read every
        # file of the project whatever is checked, which no editor or hook wants.
        one = [*PYTHON, "-m", "debt_lints", "check", name]
        ruff = shutil.which("ruff")
        ruff_sample = (
            measure([ruff, "check", "--no-cache", "--isolated", name], work, short)
            if ruff
            else None
        )
        for label, extra in (("with the cache (warm)", []), ("--no-cache", ["--no-cache"])):
            sample = measure([*one, *extra], work, short)
            versus_ruff = "; ruff not installed"
            if ruff_sample is not None:
                versus_ruff = (
                    f"; ruff {ruff_sample.wall * 1000:.0f} ms,"
                    f" {sample.wall / ruff_sample.wall:.0f}x ruff"
                )
            targets.append(
                Target(
                    f"one file ({name}, {lines} lines), {label}",
                    f"{sample.wall * 1000:.0f} ms = {sample.wall / nothing.wall:.1f}x"
                    f" `python -c pass` ({nothing.wall * 1000:.0f} ms), parse"
                    f" {parse * 1000:.1f} ms{versus_ruff}",
                    f"<= 50 ms and <= 5 x (pass + parse) = {allowed * 1000:.0f} ms",
                    sample.wall <= 0.05 and sample.wall <= allowed,
                )
            )
    targets.append(flake8_target(work, files, jobs, repeat))
    return targets


def flake8_target(work: Path, files: list[str], jobs: int, repeat: int) -> Target:
    """flake8 with the DL plugin against flake8 with only E999, on the same 300 files."""
    name = "flake8 --select DL / flake8 --select E999"
    if not has_module("flake8"):
        return Target(name, "-", "<= 1.50x (flake8 is not installed)", None)
    if not flake8_has_dl():
        return Target(name, "-", "<= 1.50x (the DL plugin is not registered)", None)
    python = [name for name in files if name.endswith(".py")]
    step = max(len(python) / 300, 1)
    chosen = [python[int(i * step)] for i in range(min(300, len(python)))]
    base = [*PYTHON, "-m", "flake8", "--jobs", str(jobs), "--exit-zero"]
    host = measure([*base, "--select", "E999", *chosen], work, repeat)
    plugin = measure([*base, "--select", "DL", *chosen], work, repeat)
    return Target(
        f"{name} ({len(chosen)} files, --jobs {jobs})",
        f"{plugin.wall / host.wall:.2f}x ({plugin.wall:.2f} s / {host.wall:.2f} s;"
        f" CPU {plugin.cpu / host.cpu:.2f}x)",
        "<= 1.50x",
        plugin.wall / host.wall <= 1.5,
    )


def render_targets(targets: list[Target]) -> str:
    lines = ["| target | measured | goal | met |", "|---|---|---|---|"]
    for t in targets:
        met = "-" if t.met is None else ("yes" if t.met else "no")
        lines.append(f"| {t.name} | {t.measured} | {t.goal} | {met} |")
    return "\n".join(lines)


def render(rows: list[Row], floor: Sample, cold: Sample) -> str:
    header = "| run | wall s | CPU s | vs floor | vs cold | peak RSS MB | notes |"
    lines = [header, "|---|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        if row.sample is None:
            lines.append(f"| {row.name} | - | - | - | - | - | {row.note} |")
            continue
        s = row.sample
        against = row.baseline or cold
        lines.append(
            f"| {row.name} | {s.wall:.2f} | {s.cpu:.2f} | {s.wall / floor.wall:.2f}x"
            f" | {s.wall / against.wall:.2f}x | {s.rss_mb:.0f} | {row.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="directory to check (default: the stdlib)")
    parser.add_argument("--generate", type=int, metavar="N", help="generate N modules instead")
    parser.add_argument("--jobs", type=int, help="debt-lints --jobs (default: CPUs available)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per debt-lints figure")
    parser.add_argument("--peers-subset", type=int, metavar="N", help="run the peers on N files")
    parser.add_argument("--no-peers", action="store_true", help="skip flake8, pylint and bandit")
    args = parser.parse_args(argv)
    jobs = args.jobs or (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    with tempfile.TemporaryDirectory(prefix="debt-lints-bench-") as tmp:
        work = Path(tmp) / "corpus"
        work.mkdir()
        if args.generate:
            source = f"generated ({args.generate} modules)"
            files = generate_corpus(work, args.generate)
        else:
            origin = Path(args.corpus or sysconfig.get_paths()["stdlib"])
            source = str(origin)
            files = copy_corpus(origin, work)
        # The corpus is its own project: the cache goes to its root.
        (work / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(files), encoding="utf-8")
        lines = count_lines(work, files)
        check = [*PYTHON, "-m", "debt_lints", "check", ".", "--extend-select", "DL6"]
        check += ["--jobs", str(jobs)]

        # Bytecode first, as an installed package has it: no run pays for compiling.
        warm_up = (
            "import compileall, debt_lints\n"
            "compileall.compile_dir(debt_lints.package_root(), quiet=1)"
        )
        subprocess.run([*PYTHON, "-c", warm_up], capture_output=True, check=False, env=ENV)
        floor = measure([*PYTHON, "-c", FLOOR_SCRIPT, str(listing)], work, args.repeat)
        cold = measure_cold(check, work, args.repeat)
        subprocess.run(check, cwd=work, capture_output=True, check=False, env=ENV)  # fill the cache
        warm = measure(check, work, args.repeat)
        changed_file = work / files[len(files) // 2]
        original = changed_file.read_bytes()
        best_changed: Sample | None = None
        for n in range(args.repeat):
            changed_file.write_bytes(original + f"\n# edit {n}\n".encode())
            sample = measure(check, work, 1)
            if best_changed is None or sample.wall < best_changed.wall:
                best_changed = sample
        changed_file.write_bytes(original)
        serial = measure([*check[:-2], "--jobs", "1", "--no-cache"], work, 1)
        rows = [
            Row("floor: read + ast.parse, 1 process", floor),
            Row(f"debt-lints cold (--jobs {jobs}, empty cache)", cold),
            Row("debt-lints warm, nothing changed", warm),
            Row("debt-lints warm, 1 file changed", best_changed),
            Row("debt-lints --jobs 1 --no-cache", serial, "for reference"),
        ]
        if not args.no_peers:
            rows += peer_rows(work, files, args.peers_subset, jobs, args.repeat)
        targets = target_rows(
            work, files, floor=floor, cold=cold, warm=warm, jobs=jobs, repeat=args.repeat
        )
        load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
        rules = subprocess.run(
            [
                *PYTHON,
                "-c",
                "from debt_lints.engine.registry import all_rules; print(len(all_rules()))",
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        print(f"corpus: {source}: {len(files)} files, {lines} lines")
        print(
            f"python {sys.version.split()[0]}, {jobs} CPUs for debt-lints, {rules} rules,"
            f" load average at the end {load[0]}; best of {args.repeat} for debt-lints"
            " and the floor, one run per peer"
        )
        print()
        print(render(rows, floor, cold))
        print()
        print("Targets (issue 27), every rule on (one file: the default rules), this run:")
        print()
        print(render_targets(targets))
        # debt-lints: 0 or 1; flake8 and bandit: 0 or 1; pylint: bit flags below 32.
        odd = {
            row.name: row.sample.status
            for row in rows
            if row.sample
            and (
                row.sample.status < 0
                or row.sample.status >= 32
                or (row.sample.status > 1 and "pylint" not in row.name)
            )
        }
        if odd:
            print(f"\nunexpected exit statuses (a failed run is not a measurement): {odd}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
