"""``python -m bench.primer run|review|label|diff|report``: see ``bench/primer/README.md``."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.primer import corpus as corpus_mod
from bench.primer.corpus import HERE, PrimerError, Project, cache_dir, load_corpus
from bench.primer.findings import (
    Record,
    check,
    check_raw,
    config_args,
    debt_lints,
    read_jsonl,
    read_snapshot,
    sort_key,
    write_jsonl,
)
from bench.primer.labels import (
    FINDING_VERDICTS,
    RECALL_VERDICTS,
    Label,
    append_labels,
    finding_key,
    load_labels,
    required,
    sample,
)

SNAPSHOT = "snapshot.jsonl"
CANDIDATES = "candidates.jsonl"
FIXCHECK = "fixcheck.jsonl"
STATS = "stats.json"
FRAME = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.primer", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=corpus_mod.CORPUS_FILE)
    parser.add_argument(
        "--data", type=Path, default=HERE, help="folder of snapshot, candidates, fix check"
    )
    parser.add_argument("--labels", type=Path, default=HERE / "labels")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="check the corpus; write snapshot, candidates, fix check")
    run.add_argument("--only", default="", help="comma-separated projects (others kept)")
    run.add_argument("--offline", action="store_true", help="never download")
    run.add_argument("--no-fix-check", action="store_true")
    review = sub.add_parser("review", help="list what still needs a label, with code frames")
    review.add_argument("--project", default="")
    review.add_argument("--rule", default="")
    review.add_argument("--recall", action="store_true", help="the recall sample instead")
    review.add_argument("--limit", type=int, default=0)
    label = sub.add_parser("label", help="record a verdict (by hash prefix, from review)")
    label.add_argument("project")
    label.add_argument("hash", help="the hash (or a unique prefix) review printed")
    label.add_argument("verdict", choices=FINDING_VERDICTS + RECALL_VERDICTS)
    label.add_argument("reason")
    label.add_argument("--path", default="", help="when the hash prefix is ambiguous")
    label.add_argument(
        "--scope", default=None, help="when the same code is in two functions of one file"
    )
    diff = sub.add_parser("diff", help="current findings against the committed snapshot")
    diff.add_argument("--current", type=Path, help="a snapshot file instead of a fresh run")
    diff.add_argument("--only", default="")
    diff.add_argument("--offline", action="store_true")
    report = sub.add_parser(
        "report", help="per rule and per project: findings, verdicts, precision"
    )
    report.add_argument("--only", default="", help="comma-separated projects (a subset's table)")
    report.add_argument(
        "--snapshot",
        type=Path,
        help="another snapshot file (an earlier run: git show REV:bench/primer/snapshot.jsonl)",
    )
    args = parser.parse_args(argv)
    try:
        projects = load_corpus(args.corpus)
        if args.command == "run":
            return cmd_run(args, projects)
        if args.command == "review":
            return cmd_review(args, projects)
        if args.command == "label":
            return cmd_label(args)
        if args.command == "diff":
            return cmd_diff(args, projects)
        return cmd_report(args, projects)
    except PrimerError as exc:
        print(f"primer: {exc}", file=sys.stderr)
        return 2


def _only(projects: list[Project], only: str) -> list[Project]:
    if not only:
        return projects
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    unknown = wanted - {p.name for p in projects}
    if unknown:
        raise PrimerError(f"not in the corpus: {', '.join(sorted(unknown))}")
    return [p for p in projects if p.name in wanted]


def source_dir(project: Project) -> Path:
    """The pristine unpacked tree that review reads (re-made by every run)."""
    if project.path is not None:
        return project.path
    return cache_dir() / "src" / f"{project.name}-{project.version}"


def _paths(project: Project) -> list[str]:
    return list(project.subdirs) or ["."]


def cmd_run(args: argparse.Namespace, projects: list[Project]) -> int:
    from bench.primer.fixcheck import run_fix_check
    from bench.primer.recall import scan, to_dict

    chosen = _only(projects, args.only)
    cache = cache_dir()
    work = cache / "work"
    work.mkdir(parents=True, exist_ok=True)
    data: Path = args.data
    kept = {p.name for p in projects} - {p.name for p in chosen}
    records = [r for r in read_snapshot(data / SNAPSHOT) if r.project in kept]
    candidates = [c for c in read_jsonl(data / CANDIDATES) if c.get("project") in kept]
    fixchecks = [f for f in read_jsonl(data / FIXCHECK) if f.get("project") in kept]
    stats = _read_stats(data / STATS)
    stats = {k: v for k, v in stats.items() if k in kept}
    started = time.perf_counter()
    for project in chosen:
        t0 = time.perf_counter()
        pristine = (
            corpus_mod.unpack(
                project,
                cache,
                cache / "src" / f"{project.name}-{project.version}",
                not args.offline,
            )
            if project.path is None
            else project.path
        )
        paths = _paths(project)
        files, lines = corpus_mod.count_lines(pristine, project.subdirs)
        tmp = Path(tempfile.mkdtemp(prefix=f"{project.name}-", dir=work))
        try:
            first = tmp / "check"
            shutil.copytree(pristine, first, symlinks=True)
            found, raw = check_raw(first, project.name, project.config, paths)
            records += found
            mapped = debt_lints(
                ["map", "--format", "json", "--no-cache", *config_args(project.config, first), "."],
                first,
            )
            summary = json.loads(mapped.stdout or "{}")
            missed, counts = scan(project.name, first, project.config, found, paths)
            candidates += [to_dict(c) for c in missed]
            if not args.no_fix_check:
                fixed = tmp / "fix"
                shutil.copytree(pristine, fixed, symlinks=True)
                fixes = [f for f in raw if isinstance(f.get("fix"), dict)]
                result = run_fix_check(
                    project.name, pristine, fixed, project.config, found, fixes, paths
                )
                fixchecks.append(json.loads(result.to_json()))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        seconds = time.perf_counter() - t0
        stats[project.name] = {
            "version": project.version,
            "files": files,
            "lines": lines,
            "findings": len(found),
            "candidates": counts,
            "map": {
                key: len(value) if isinstance(value, list) else value
                for key, value in summary.items()
                if key in ("modules", "families", "cycles", "unused")
            },
        }
        print(
            f"{project.name}: {files} files, {lines} lines, {len(found)} findings, {seconds:.0f}s",
            file=sys.stderr,
        )
    write_jsonl(data / SNAPSHOT, (r.to_json() for r in sorted(records, key=sort_key)))
    write_jsonl(
        data / CANDIDATES,
        (json.dumps(c, sort_keys=True, ensure_ascii=False) for c in sorted(candidates, key=_cand)),
    )
    write_jsonl(
        data / FIXCHECK,
        (json.dumps(f, sort_keys=True) for f in sorted(fixchecks, key=lambda f: str(f["project"]))),
    )
    tmp_stats = data / (STATS + ".tmp")
    tmp_stats.write_text(json.dumps(stats, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp_stats.replace(data / STATS)
    total_lines = sum(int(s.get("lines", 0)) for s in stats.values() if isinstance(s, dict))
    print(
        f"{len(stats)} projects, {total_lines} lines, {len(records)} findings; "
        f"run took {time.perf_counter() - started:.0f}s",
        file=sys.stderr,
    )
    return 0


def _cand(c: dict[str, object]) -> tuple[str, str, str, int]:
    return (str(c.get("project")), str(c.get("code")), str(c.get("path")), int(str(c.get("line"))))


def _read_stats(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PrimerError(f"{path}: not JSON: {exc.msg}") from exc
    return value if isinstance(value, dict) else {}


def _frame(project: Project, path: str, line: int) -> list[str]:
    file = source_dir(project) / path
    try:
        text = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return [f"    (source not available: {file}; run `python -m bench.primer run` first)"]
    lo, hi = max(1, line - FRAME), min(len(text), line + FRAME)
    return [f"  {'>' if n == line else ' '}{n:5} | {text[n - 1]}" for n in range(lo, hi + 1)]


def cmd_review(args: argparse.Namespace, projects: list[Project]) -> int:
    by_name = {p.name: p for p in projects}
    chosen = _only(projects, args.project)
    names = {p.name for p in chosen}
    shown = 0
    if args.recall:
        cands = [c for c in read_jsonl(args.data / CANDIDATES) if c.get("project") in names]
        per_rule: dict[str, list[dict[str, object]]] = {}
        for cand in cands:
            per_rule.setdefault(str(cand["code"]), []).append(cand)
        for code in sorted(per_rule):
            if args.rule and code != args.rule:
                continue
            drawn = sample(sorted(per_rule[code], key=_cand_identity))
            for cand in drawn:
                assert isinstance(cand, dict)
                project = str(cand["project"])
                labels = load_labels(args.labels, project)
                key = (str(cand["path"]), code, "", str(cand["hash"]))
                if ("recall", key) in labels:
                    continue
                shown += 1
                print(
                    f"{project} {cand['path']}:{cand['line']} {code} not reported "
                    f"(hash {cand['hash']})"
                )
                print(
                    "\n".join(_frame(by_name[project], str(cand["path"]), int(str(cand["line"]))))
                )
                print(
                    f"  label: python -m bench.primer label {project} {cand['hash']} "
                    f"miss|silent 'reason' --path {cand['path']}\n"
                )
                if args.limit and shown >= args.limit:
                    return 0
        print(f"{shown} recall candidates to judge", file=sys.stderr)
        return 0
    records = [r for r in read_snapshot(args.data / SNAPSHOT) if r.project in names]
    if args.rule:
        records = [r for r in records if r.code == args.rule]
    todo = required(records)
    # Projects with the fewest findings first: they are the quickest to finish.
    size = {name: sum(1 for r in records if r.project == name) for name in names}
    todo.sort(key=lambda r: (size[r.project], r.project, sort_key(r)))
    # The same code in two functions of one file: one path and hash, two identities.
    twins = Counter((r.project, r.path, r.hash) for r in records)
    for record in todo:
        labels = load_labels(args.labels, record.project)
        if ("finding", finding_key(record)) in labels:
            continue
        shown += 1
        print(
            f"{record.project} {record.path}:{record.line}:{record.column} {record.code} "
            f"{record.message}"
        )
        print(f"  scope {record.scope or '(module)'}  hash {record.hash}  fix {record.fix or '-'}")
        print("\n".join(_frame(by_name[record.project], record.path, record.line)))
        print(
            f"  label: python -m bench.primer label {record.project} {record.hash} "
            f"true|false|debatable 'reason' --path {record.path}"
            + (
                f" --scope {shlex.quote(record.scope)}"
                if twins[(record.project, record.path, record.hash)] > 1
                else ""
            )
            + "\n"
        )
        if args.limit and shown >= args.limit:
            break
    print(f"{shown} findings to label shown", file=sys.stderr)
    return 0


def _cand_identity(c: dict[str, object]) -> tuple[str, str, str]:
    return (str(c.get("project")), str(c.get("path")), str(c.get("hash")))


def cmd_label(args: argparse.Namespace) -> int:
    if args.verdict in RECALL_VERDICTS:
        matches = [
            Label(
                str(c["path"]),
                str(c["code"]),
                "",
                str(c["hash"]),
                args.verdict,
                args.reason,
                kind="recall",
            )
            for c in read_jsonl(args.data / CANDIDATES)
            if c.get("project") == args.project
            and str(c.get("hash", "")).startswith(args.hash)
            and (not args.path or c.get("path") == args.path)
        ]
    else:
        matches = [
            Label(r.path, r.code, r.scope, r.hash, args.verdict, args.reason)
            for r in read_snapshot(args.data / SNAPSHOT)
            if r.project == args.project
            and r.hash.startswith(args.hash)
            and (not args.path or r.path == args.path)
            and (args.scope is None or r.scope == args.scope)
        ]
    unique = {(m.kind, m.key): m for m in matches}
    if len(unique) != 1:
        raise PrimerError(
            f"{args.project}: {len(unique)} findings have a hash starting {args.hash!r} "
            "(give more of it, or --path and --scope)"
        )
    if not args.reason.strip():
        raise PrimerError("the reason is empty")
    append_labels(args.labels, args.project, unique.values())
    return 0


def cmd_diff(args: argparse.Namespace, projects: list[Project]) -> int:
    from bench.primer.report import diff_lines

    base = read_snapshot(args.data / SNAPSHOT)
    if args.current is not None:
        current = read_snapshot(args.current)
    else:
        current = []
        cache = cache_dir()
        for project in _only(projects, args.only):
            work = cache / "work"
            work.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{project.name}-diff-", dir=work))
            try:
                tree = corpus_mod.unpack(project, cache, tmp / "check", not args.offline)
                current += check(tree, project.name, project.config, _paths(project))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    if args.only:
        names = {p.name for p in _only(projects, args.only)}
        base = [r for r in base if r.project in names]
        current = [r for r in current if r.project in names]
    labels = {p.name: load_labels(args.labels, p.name) for p in projects}
    lines, changes = diff_lines(base, current, labels)
    print("\n".join(lines))
    return 1 if changes else 0


def cmd_report(args: argparse.Namespace, projects: list[Project]) -> int:
    from bench.primer.report import report_lines

    snapshot = args.snapshot if args.snapshot is not None else args.data / SNAPSHOT
    if not snapshot.is_file():
        raise PrimerError(f"{snapshot}: no such snapshot")
    names = {p.name for p in _only(projects, args.only)}
    records: list[Record] = [r for r in read_snapshot(snapshot) if r.project in names]
    labels = {p.name: load_labels(args.labels, p.name) for p in projects}
    stats = {name: value for name, value in _read_stats(args.data / STATS).items() if name in names}
    counts = {
        name: value.get("candidates", {})
        for name, value in stats.items()
        if isinstance(value, dict)
    }
    lines = sum(int(v.get("lines", 0)) for v in stats.values() if isinstance(v, dict))
    print(f"# Primer: {len(stats)} projects, {lines} lines of Python, {len(records)} findings\n")
    out = report_lines(
        records,
        labels,
        [c for c in read_jsonl(args.data / CANDIDATES) if c.get("project") in names],
        counts,  # type: ignore[arg-type]
        [f for f in read_jsonl(args.data / FIXCHECK) if f.get("project") in names],
    )
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
