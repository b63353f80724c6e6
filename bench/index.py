#!/usr/bin/env python3
"""What the project index costs, every ratio from this one run.

    python bench/index.py [CORPUS] [--repeat N] [--jobs N] [--agents N]
                          [--modules N] [--baseline-src DIR] [--skip-plugins]

1. ``check`` cold on CORPUS (default: this interpreter's standard library,
   copied to a temporary directory) with the index against the same run
   without it (``runner.run(index=False)``: no facts collected, no project
   phase); both sides interleaved, best of ``--repeat``.
2. A warm run with one file changed, against the cold run with the index.
3. The pylint and flake8 plugins on a synthetic monorepo of ``--agents``
   agents that subclass a project base class (so the index has base classes
   to read from disk), against the same plugins of ``--baseline-src`` (the
   ``src`` directory of a checkout without the index, e.g. ``/work/main/src``;
   skipped when not given).
4. The memory of the index holding the facts of ``--modules`` synthetic
   modules (default 100,000), and the size of their JSON in the cache.

Each command runs in a fresh process; wall time, CPU time (``wait4``, workers
included) and peak RSS are reported. Compare ratios within one table only.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHECK = """
import sys
from pathlib import Path
from debt_lints.config import load_config
from debt_lints.running.runner import enabled_rules, run
root = Path(sys.argv[1])
config = load_config(start=root)
result = run([str(root)], config, enabled_rules(config), jobs=int(sys.argv[2]),
             cache=sys.argv[3] == "cache", index=sys.argv[4] == "index")
print(len(result.findings), result.checked, result.cached)
"""


def _bench_run() -> object:
    """``bench/run.py`` as a module (its measuring and copying helpers)."""
    spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def _check(root: Path, jobs: int, cache: bool, index: bool) -> list[str]:
    flags = ["cache" if cache else "nocache", "index" if index else "noindex"]
    return [sys.executable, "-c", CHECK, str(root), str(jobs), *flags]


def _clean(root: Path) -> None:
    shutil.rmtree(root / ".debt-lints-cache", ignore_errors=True)


def _line(name: str, sample: object, base: object | None = None, note: str = "") -> str:
    wall = sample.wall  # type: ignore[attr-defined]
    cpu = sample.cpu  # type: ignore[attr-defined]
    rss = sample.rss_mb  # type: ignore[attr-defined]
    ratio = ""
    if base is not None:
        ratio = f"{wall / base.wall:6.2f}x wall {cpu / base.cpu:6.2f}x cpu"  # type: ignore[attr-defined]
    return f"{name:<44} {wall:8.2f}s {cpu:8.2f}s cpu {rss:7.0f} MB  {ratio} {note}"


def bench_check(bench: object, corpus: Path, jobs: int, repeat: int) -> None:
    measure = bench.measure  # type: ignore[attr-defined]
    with_index = without = None
    for _ in range(repeat):  # interleaved, so that load changes hit both sides
        for index in (False, True):
            _clean(corpus)
            sample = measure(_check(corpus, jobs, False, index), corpus, 1)
            if index and (with_index is None or sample.wall < with_index.wall):
                with_index = sample
            if not index and (without is None or sample.wall < without.wall):
                without = sample
    print(_line("check, cold, without the index", without))
    print(_line("check, cold, with the index", with_index, without, "(goal <= 1.10x)"))
    # Warm with one file changed: a cold run fills the cache, then one file is edited.
    _clean(corpus)
    cold = measure(_check(corpus, jobs, True, True), corpus, 1)
    victim = next(p for p in sorted(corpus.rglob("*.py")) if p.stat().st_size > 2000)
    original = victim.read_bytes()
    warm = None
    try:
        for i in range(repeat):
            victim.write_bytes(original + f"\nCHANGED_{i} = {i}\n".encode())
            sample = measure(_check(corpus, jobs, True, True), corpus, 1)
            if warm is None or sample.wall < warm.wall:
                warm = sample
    finally:
        victim.write_bytes(original)
    print(_line("check, cold, with the index, filling the cache", cold))
    print(_line("check, warm, one file changed", warm, cold, "(goal <= 0.15x)"))
    _clean(corpus)


AGENT = '''"""Agent {i}."""
import zmq

from common.core.base_agent import BaseAgent


class Agent{i}(BaseAgent):
    def __init__(self, port):
        super().__init__("agent{i}", port)
        self.socket = self.context.socket(zmq.REP)
        self.pub_socket = self.context.socket(zmq.PUB)

    def handle(self, request):
        reply = {{"agent": {i}, "request": request}}
        for key, value in sorted(request.items()):
            reply[key] = str(value)[:100]
        return reply
'''

BASE = '''"""The base every agent inherits."""
import logging

import zmq


class BaseAgent:
    def __init__(self, name, port):
        self.name = name
        self.port = port
        self.logger = logging.getLogger(name)
        self.context = zmq.Context.instance()
        self.socket = None

    def cleanup(self):
        if self.socket is not None:
            self.socket.close()
        self.context.term()
'''


def make_monorepo(root: Path, agents: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    for package in ("common", "common/core", "common/utils", "agents"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("", encoding="utf-8")
    (root / "common/core/base_agent.py").write_text(BASE, encoding="utf-8")
    for i in range(agents):
        (root / f"agents/agent{i:04}.py").write_text(AGENT.format(i=i), encoding="utf-8")


def bench_plugins(bench: object, root: Path, baseline_src: Path | None, repeat: int) -> None:
    measure = bench.measure  # type: ignore[attr-defined]
    if baseline_src is None:
        print("plugins: skipped (give --baseline-src, the src of a checkout without the index)")
        return
    rcfile = root.parent / "empty-pylintrc"
    rcfile.write_text("", encoding="utf-8")
    from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_SYMBOL, pylint_rules

    symbols = ",".join([PLUGIN_ERROR_SYMBOL, *(r.name for r in pylint_rules())])
    commands = {
        "flake8": [sys.executable, "-m", "flake8", "--isolated", "--select", "DL", "-j", "1", "."],
        "pylint": [
            sys.executable,
            "-m",
            "pylint",
            f"--rcfile={rcfile}",
            "--persistent=n",
            "--score=n",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            f"--enable={symbols}",
            "--recursive=y",
            ".",
        ],
    }
    for host, argv in commands.items():
        best: dict[str, object] = {}
        for _ in range(repeat):
            for side in ("today", "index"):
                env = dict(os.environ)
                if side == "today":
                    env["PYTHONPATH"] = str(baseline_src)
                start = time.perf_counter()
                proc = subprocess.Popen(
                    argv, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                _, _, usage = os.wait4(proc.pid, 0)
                sample = bench.Sample(  # type: ignore[attr-defined]
                    time.perf_counter() - start,
                    usage.ru_utime + usage.ru_stime,
                    usage.ru_maxrss / 1024,
                    0,
                )
                if side not in best or sample.wall < best[side].wall:  # type: ignore[attr-defined]
                    best[side] = sample
        print(_line(f"{host}, plugin without the index", best["today"]))
        print(_line(f"{host}, plugin with the index", best["index"], best["today"]))
    del measure


MEMORY = """
import json, sys, tracemalloc, gc, random
from debt_lints.index import ModuleFacts, Project, facts_of_text
count = int(sys.argv[1])
templates = []
for t in range(8):
    text = "\\n".join(
        [f"import os\\nimport logging\\nfrom pkg{t}.core import Base{t}, helper"]
        + [f"from pkg{t}.mod{k} import name{k}" for k in range(t + 2)]
        + ["__all__ = ['Service', 'helper_a']"]
        + [f"class Service{k}(Base{t}):\\n    def run(self): pass\\n    def stop(self): pass"
           for k in range(3)]
        + [f"def helper_{k}(a, b=1):\\n    return a" for k in range(4)]
        + ["if __name__ == '__main__':\\n    helper_0(1)"]
    )
    templates.append(json.dumps(facts_of_text(text, "t.py", "t.py").to_json()))
gc.collect()
tracemalloc.start()
project = Project(__import__("pathlib").Path("."), (".",))
total_json = 0
for i in range(count):
    raw = templates[i % 8].replace("pkg", f"p{i}_")
    total_json += len(raw)
    project.add(f"p{i // 100}/m{i}.py", ModuleFacts.from_json(json.loads(raw)))
current, peak = tracemalloc.get_traced_memory()
print(count, current, total_json)
"""


def bench_memory(count: int) -> None:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", MEMORY, str(count)], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    modules, current, json_bytes = (int(v) for v in out.stdout.split())
    print(
        f"index memory, {modules:,} synthetic modules: {current / 2**20:.0f} MB "
        f"({current / modules:.0f} bytes/module); facts JSON {json_bytes / 2**20:.0f} MB "
        f"({json_bytes / modules:.0f} bytes/module); built in {seconds:.1f}s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--modules", type=int, default=100_000)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--skip-check", action="store_true")
    parser.add_argument("--skip-plugins", action="store_true")
    args = parser.parse_args(argv)
    bench = _bench_run()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    with tempfile.TemporaryDirectory(prefix="debt-lints-index-bench-") as tmp:
        if not args.skip_check:
            corpus = Path(tmp) / "corpus"
            files = bench.copy_corpus(Path(args.corpus), corpus)  # type: ignore[attr-defined]
            (corpus / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
            print(f"corpus: {args.corpus} ({len(files)} files), jobs={args.jobs}")
            bench_check(bench, corpus, args.jobs, args.repeat)
        if not args.skip_plugins:
            repo = Path(tmp) / "monorepo"
            make_monorepo(repo, args.agents)
            print(f"plugins: a monorepo of {args.agents} agents subclassing a project base class")
            bench_plugins(bench, repo, args.baseline_src, args.repeat)
    bench_memory(args.modules)
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
