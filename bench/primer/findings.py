"""Run debt-lints on a tree and key each finding with the baseline's identity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.primer.corpus import PrimerError

#: The interpreter without the working directory on ``sys.path`` (``-P``): the
#: primer runs inside copies of the corpus, whose modules must never be imported.
PYTHON = [sys.executable, "-P", "-m", "debt_lints"]
#: What every primer run adds: DL6 (whole-repository rules), no baseline, no cache.
COMMON = ["--extend-select", "DL6", "--no-baseline", "--no-cache", "--exit-zero", "-q"]


@dataclass(frozen=True, order=True)
class Record:
    """One finding of the snapshot: the identity first, the position as a hint."""

    project: str
    path: str
    code: str
    scope: str
    hash: str
    line: int
    column: int
    message: str
    #: ``safe``, ``unsafe``, ``refused`` (the rule has a fix the index refused) or ``""``.
    fix: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The identity (project, path, code, scope, hash): it survives line moves."""
        return (self.project, self.path, self.code, self.scope, self.hash)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> Record:
        def s(name: str) -> str:
            value = raw.get(name, "")
            return value if isinstance(value, str) else ""

        def n(name: str) -> int:
            value = raw.get(name, 0)
            return value if isinstance(value, int) else 0

        return cls(
            project=s("project"),
            path=s("path"),
            code=s("code"),
            scope=s("scope"),
            hash=s("hash"),
            line=n("line"),
            column=n("column"),
            message=s("message"),
            fix=s("fix"),
        )


def sort_key(record: Record) -> tuple[str, str, int, int, str, str]:
    """The snapshot's order: project, file, position, code, identity."""
    return (record.project, record.path, record.line, record.column, record.code, record.hash)


def environment() -> dict[str, str]:
    """The child's environment: nothing that would put the corpus on ``sys.path``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["PYTHONSAFEPATH"] = "1"
    env.pop("CI", None)  # CI=true would make `baseline create` a read-only run
    return env


def debt_lints(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -P -m debt_lints ARGS`` in ``cwd``; a traceback is a primer error."""
    done = subprocess.run(
        [*PYTHON, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=environment(),
    )
    if "Traceback (most recent call last)" in done.stderr or done.returncode not in (0, 1):
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise PrimerError(f"debt-lints {args[0]} in {cwd} exited {done.returncode}:\n{tail}")
    return done


#: Where the project's configuration is placed in each copy: ``--config`` reads
#: relative paths (import roots, entry points) from the file's own folder.
CONFIG_NAME = "debt-lints-primer.toml"


def config_args(config: Path | None, root: Path) -> list[str]:
    """``--config`` for the project's settings, copied to the root of the tree checked."""
    if config is None:
        return []
    target = root / CONFIG_NAME
    if not target.is_file():
        shutil.copyfile(config, target)
    return ["--config", CONFIG_NAME]


def check(
    root: Path, project: str, config: Path | None, paths: Sequence[str] = (".",)
) -> list[Record]:
    """``check --output-format json`` on ``root``, each finding keyed by its identity."""
    return check_raw(root, project, config, paths)[0]


def check_raw(
    root: Path, project: str, config: Path | None, paths: Sequence[str] = (".",)
) -> tuple[list[Record], list[dict[str, object]]]:
    """The records, and the JSON findings as printed (with their fixes)."""
    done = debt_lints(
        ["check", "--output-format", "json", *COMMON, *config_args(config, root), *paths], root
    )
    try:
        raw = json.loads(done.stdout or "[]")
    except json.JSONDecodeError as exc:
        raise PrimerError(f"{project}: check printed no JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise PrimerError(f"{project}: check printed JSON that is not a list")
    findings = [f for f in raw if isinstance(f, dict)]
    identities = baseline_identities(root, config, paths)
    return join(project, findings, identities), findings


def baseline_identities(
    root: Path, config: Path | None, paths: Sequence[str]
) -> list[dict[str, object]]:
    """The identities ``baseline create`` records for the tree (path, line, code, scope, hash)."""
    target = root / "debt-lints-baseline.json"
    target.unlink(missing_ok=True)
    debt_lints(
        ["baseline", "create", "--extend-select", "DL6", *config_args(config, root), *paths], root
    )
    try:
        entries = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PrimerError(f"{root}: baseline create wrote no baseline: {exc}") from exc
    finally:
        target.unlink(missing_ok=True)
    return [e for e in entries[1:] if isinstance(e, dict)]


def fix_state(finding: dict[str, object]) -> str:
    fix = finding.get("fix")
    if isinstance(fix, dict):
        return str(fix.get("applicability", "unsafe"))
    if "no automatic fix)" in str(finding.get("message", "")):
        return "refused"
    return ""


def join(
    project: str, findings: Iterable[dict[str, object]], entries: Iterable[dict[str, object]]
) -> list[Record]:
    """Pair each JSON finding with its baseline entry: same path, line and code.

    Several findings of one rule on one line are paired in order (column for the
    findings, identity for the entries); a finding left without an entry keeps
    an empty hash.
    """
    by_place: dict[tuple[str, int, str], list[dict[str, object]]] = defaultdict(list)
    for entry in entries:
        place = (str(entry.get("path", "")), int(str(entry.get("line", 0))), str(entry.get("code")))
        by_place[place].append(entry)
    for group in by_place.values():
        group.sort(key=lambda e: (str(e.get("scope", "")), str(e.get("hash", ""))))
    ordered = sorted(
        findings,
        key=lambda f: (
            str(f.get("path")),
            int(str(f.get("line", 0))),
            int(str(f.get("column", 0))),
        ),
    )
    out: list[Record] = []
    for finding in ordered:
        path = str(finding.get("path", ""))
        line = int(str(finding.get("line", 0)))
        code = str(finding.get("code", ""))
        group = by_place.get((path, line, code))
        entry = group.pop(0) if group else {}
        out.append(
            Record(
                project=project,
                path=path,
                code=code,
                scope=str(entry.get("scope", finding.get("scope", ""))),
                hash=str(entry.get("hash", "")),
                line=line,
                column=int(str(finding.get("column", 0))),
                message=str(finding.get("message", "")),
                fix=fix_state(finding),
            )
        )
    return sorted(out, key=sort_key)


def write_jsonl(path: Path, lines: Iterable[str]) -> None:
    """Write one JSON document per line, atomically (a temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(tmp, path)


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """The objects of a JSON-lines file; a bad line is an error naming it."""
    if not path.is_file():
        return []
    out: list[dict[str, object]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PrimerError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(value, dict):
            raise PrimerError(f"{path}:{number}: not a JSON object")
        out.append(value)
    return out


def read_snapshot(path: Path) -> list[Record]:
    return [Record.from_dict(raw) for raw in read_jsonl(path)]
