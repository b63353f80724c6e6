#!/usr/bin/env python3
"""Benchmark the fixes: ``check --fix`` against a cold ``check``, text edits against LibCST,
and the language server's quick-fix latency. One run, one table, ratios within it.

    python bench/fixes.py [CORPUS] [--repeat N] [--jobs N]

CORPUS defaults to this interpreter's standard library, copied (Python and
YAML files) to a temporary directory with a ``pyproject.toml`` holding a
synthetic migration map (``collections`` -> ``collections2``, ``os.path`` ->
``ospath2`` ...). Each ``--fix`` run gets a fresh copy (copying is not
timed); the cold ``check`` and ``check --fix`` runs alternate, best of
``--repeat`` each. Every run passes ``--no-cache``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

#: The interpreter, without the working directory on ``sys.path`` (``-P``, 3.11+):
#: runs happen inside copies of the corpus, whose modules must never be imported.
PYTHON = [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]


def _copy_corpus(source: Path, target: Path) -> list[str]:
    """bench/run.py's corpus copy, loaded from the file next to this one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).with_name("run.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: its dataclasses look their module up.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    files: list[str] = module.copy_corpus(source, target)
    return files


#: The synthetic migration map, shared with tests/test_fixes_stdlib.py.
MAP: dict[str, str] = json.loads(
    Path(__file__).with_name("stdlib-migration-map.json").read_text(encoding="utf-8")
)
CONFIG = "[tool.debt-lints]\ndeprecated-imports = {{ {} }}\n".format(
    ", ".join(f'"{k}" = "{v}"' for k, v in MAP.items())
)


def write_map_targets(root: Path) -> None:
    """The map's replacements, as modules of the corpus re-exporting the old ones.

    A fix to a module that exists nowhere is refused (DL003): the synthetic
    map needs its targets to exist for the fixes to be applied (unsafely:
    what a star re-export of the standard library gives cannot be read).
    """
    for old, new in MAP.items():
        parts = new.split(".")
        folder = root
        for part in parts[:-1]:
            folder = folder / part
            folder.mkdir(exist_ok=True)
            (folder / "__init__.py").touch()
        (folder / f"{parts[-1]}.py").write_text(f"from {old} import *  # noqa\n", encoding="utf-8")


def timed(argv: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def fix_versus_check(pristine: Path, work: Path, repeat: int, jobs: list[str]) -> list[str]:
    dl = [*PYTHON, "-m", "debt_lints", "check", "--no-cache", "--no-baseline"]
    check_argv = [*dl, "--exit-zero", *jobs, "."]
    fix_argv = [*dl, "--fix", "--unsafe-fixes", "--exit-zero", *jobs, "."]
    checks, fixes = [], []
    status = 0
    for _ in range(repeat):
        checks.append(timed(check_argv, pristine)[0])
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(pristine, work)
        seconds, status = timed(fix_argv, work)
        fixes.append(seconds)
    changed = subprocess.run(
        ["diff", "-rq", str(pristine), str(work)], capture_output=True, text=True, check=False
    ).stdout.count("\n")
    best_check, best_fix = min(checks), min(fixes)
    return [
        f"| cold `check` (all rules) | {best_check:.2f} s | 1.00x |",
        f"| `check --fix --unsafe-fixes` | {best_fix:.2f} s | {best_fix / best_check:.2f}x |",
        f"|  (files rewritten: {changed}; exit {status}) | | |",
    ]


def fixable_files(root: Path) -> list[tuple[Path, str, list[Any]]]:
    """``(path, text, fixes)`` of each file below ``root`` that DL101 offers a fix in."""
    from debt_lints.config import load_config
    from debt_lints.engine.registry import by_code
    from debt_lints.engine.walk import RuleSet, check_source

    config = load_config(start=root)
    rules = RuleSet([by_code()["DL101"]], config.settings)
    out = []
    for path in sorted(root.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        rel = path.relative_to(root).as_posix()
        fixes = [f.fix for f in check_source(text, rel, rel, rules).findings if f.fix]
        if fixes:
            out.append((path, text, fixes))
    return out


def edits_versus_libcst(root: Path) -> list[str]:
    """The rewriting step alone, on the files that get a fix: our text edits vs LibCST."""
    from debt_lints.fixes.edits import apply_fixes

    work = [(text, fixes) for _, text, fixes in fixable_files(root)]
    start = time.perf_counter()
    for text, fixes in work:
        apply_fixes(text, fixes[:1])
    ours = time.perf_counter() - start
    try:
        import libcst
    except ImportError:
        return [
            f"| text edits, {len(work)} files | {ours * 1000:.1f} ms | (libcst not installed) |"
        ]
    start = time.perf_counter()
    for text, _ in work:
        # The least LibCST needs for any rewrite: parse to a CST and print it back.
        libcst.parse_module(text).code  # noqa: B018  # the code generation is what is timed
    theirs = time.perf_counter() - start
    return [
        f"| rewrite step, text edits ({len(work)} files) | {ours * 1000:.1f} ms | 1.00x |",
        f"| LibCST parse + codegen, same files | {theirs * 1000:.1f} ms | "
        f"{theirs / max(ours, 1e-9):.0f}x |",
    ]


def lsp_latency(root: Path, repeat: int, *, fix_all: bool, diagnosed: bool = False) -> list[str]:
    """Code actions per file, in the server's process: quick fixes, or "fix all" resolved.

    ``diagnosed``: the document's diagnostics were just published (what an
    editor does on every change), so its findings are known.
    """
    from debt_lints.adapters.lsp import code_actions_for, diagnostics_for, no_baseline
    from debt_lints.hosts.session import HostSession

    files = [(path, text) for path, text, _ in fixable_files(root)]
    files = sorted(files, key=lambda item: -len(item[1]))[:20]
    session = HostSession(cwd=root)
    per_file = []
    for path, text in files:
        times = []
        memo: dict[str, tuple[str, list[object]]] = {}
        if diagnosed:
            diagnostics_for(session, text, str(path), no_baseline, memo=memo)  # type: ignore[arg-type]
        for _ in range(repeat):
            start = time.perf_counter()
            actions = code_actions_for(
                session,
                text,
                str(path),
                path.as_uri(),
                (0, 10**6),
                fix_all=fix_all,
                memo=memo or None,  # type: ignore[arg-type]
            )
            times.append(time.perf_counter() - start)
        assert actions, path
        per_file.append((min(times), len(text.splitlines()), path.name))
    values = [t for t, _, _ in per_file]
    worst = max(per_file)
    what = "quick fixes + fix all computed" if fix_all else "quick fixes (fix all resolved lazily)"
    if diagnosed:
        what += ", just diagnosed"
    return [
        f"| LSP {what}, median of {len(files)} files | "
        f"{statistics.median(values) * 1000:.1f} ms | |",
        f"| LSP {what}, worst: {worst[2]} ({worst[1]} lines) | {worst[0] * 1000:.1f} ms | |",
    ]


def demo_latency(repeat: int) -> list[str]:
    """Code actions on the demo's files with fixes (typical agent modules, 50-100 lines)."""
    from debt_lints.adapters.lsp import code_actions_for, diagnostics_for, no_baseline
    from debt_lints.hosts.session import HostSession

    demo = Path(__file__).resolve().parent.parent / "examples" / "legacy-monorepo"
    out = []
    with tempfile.TemporaryDirectory(prefix="debt-lints-lsp-bench-") as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(demo, root)
        session = HostSession(cwd=root)
        rows = []
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            args = (session, text, str(path), path.as_uri(), (0, 10**6))
            if not code_actions_for(*args):  # also warms the index
                continue
            memo: dict[str, tuple[str, list[object]]] = {}
            diagnostics_for(session, text, str(path), no_baseline, memo=memo)  # type: ignore[arg-type]
            one, diagnosed, everything = [], [], []
            for _ in range(repeat):
                for bucket, kwargs in (
                    (one, {"lazy": True}),
                    (diagnosed, {"lazy": True, "memo": memo}),
                    (everything, {"memo": memo}),
                ):
                    start = time.perf_counter()
                    code_actions_for(*args, **kwargs)  # type: ignore[arg-type]
                    bucket.append(time.perf_counter() - start)
            rows.append((min(one), min(diagnosed), min(everything)))
        for index, label in enumerate(
            ("one check", "just diagnosed", "just diagnosed, fix all computed")
        ):
            values = [r[index] * 1000 for r in rows]
            out.append(
                f"| LSP on the demo ({len(rows)} files), {label}: median / worst | "
                f"{statistics.median(values):.1f} / {max(values):.1f} ms | |"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="directory (default: the stdlib)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="debt-lints --jobs")
    parser.add_argument("--no-libcst", action="store_true", help="skip the LibCST comparison")
    parser.add_argument(
        "--lsp-only", action="store_true", help="only the language server's latency on the demo"
    )
    args = parser.parse_args(argv)
    source = Path(args.corpus or sysconfig.get_paths()["stdlib"])
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    if args.lsp_only:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print("\n".join([f"load average {load}", "", *demo_latency(max(args.repeat, 5))]))
        return 0
    with tempfile.TemporaryDirectory(prefix="debt-lints-fix-bench-") as tmp:
        pristine = Path(tmp) / "corpus"
        files = _copy_corpus(source, pristine)
        (pristine / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
        write_map_targets(pristine)
        rows = [
            f"corpus: {source} ({len(files)} files); load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "",
            "| run | time | ratio |",
            "| --- | --- | --- |",
        ]
        rows += fix_versus_check(pristine, Path(tmp) / "work", args.repeat, jobs)
        if not args.no_libcst:
            rows += edits_versus_libcst(pristine)
        rows += demo_latency(max(args.repeat, 5))
        rows += lsp_latency(pristine, args.repeat, fix_all=False, diagnosed=True)
        rows += lsp_latency(pristine, args.repeat, fix_all=False)
        rows += lsp_latency(pristine, args.repeat, fix_all=True)
        rows.append("")
        rows.append("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
