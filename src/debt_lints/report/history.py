"""The trend: the baseline file as each commit that changed it left it.

``git log --first-parent -- <baseline>`` lists the commits (on a main branch:
one per merged pull request or direct commit, not the commits inside merged
branches), and one ``git cat-file --batch`` process reads every version
(``<commit>:<path>``, what ``git show`` would print) instead of one ``git
show`` per commit. A version that cannot be read (committed conflict
markers, an older format) is skipped and named, never fatal.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from debt_lints.baseline.store import BaselineError, parse
from debt_lints.report.data import TrendPoint, by_rule
from debt_lints.running.gitdiff import GitError, run_git


def repo_location(path: Path) -> tuple[Path, str] | None:
    """The repository top level and ``path`` relative to it, or ``None`` outside git."""
    directory = path.resolve().parent if path.exists() else path.absolute().parent
    while not directory.is_dir():  # a baseline in a directory not created yet
        directory = directory.parent
    try:
        top = Path(run_git(["rev-parse", "--show-toplevel"], directory).strip())
    except GitError:
        return None
    full = os.path.join(os.path.realpath(directory), path.name)
    rel = os.path.relpath(full, os.path.realpath(top))
    if rel.startswith(os.pardir):
        return None
    return top, Path(rel).as_posix()


def trend(path: Path) -> tuple[list[TrendPoint], list[str]]:
    """One point per commit that changed ``path``, oldest first, and the unreadable commits.

    Outside a git repository, or for a file git never saw, the trend is empty.
    """
    location = repo_location(path)
    if location is None:
        return [], []
    top, rel = location
    try:
        log = run_git(
            ["log", "--first-parent", "--reverse", "--format=%H%x00%cI%x00%s", "--", rel], top
        )
    except GitError:
        return [], []  # e.g. a repository without commits yet
    commits = [line.split("\0", 2) for line in log.splitlines() if line.count("\0") == 2]
    if not commits:
        return [], []
    blobs = _read_versions([f"{sha}:{rel}" for sha, _, _ in commits], top)
    points: list[TrendPoint] = []
    unreadable: list[str] = []
    for (sha, date, subject), blob in zip(commits, blobs, strict=True):
        if blob is None:
            counts: dict[str, int] = {}  # the commit deleted the baseline
        else:
            try:
                text = blob.decode("utf-8")
                counts = by_rule(parse(text, f"{sha[:12]}:{rel}").entries)
            except (UnicodeDecodeError, BaselineError):
                unreadable.append(sha)
                continue
        points.append(TrendPoint(sha, date, subject, counts))
    return points, unreadable


def _read_versions(names: list[str], cwd: Path) -> list[bytes | None]:
    """The contents of ``<rev>:<path>`` objects (``None`` when missing), in one git process."""
    request = "".join(name + "\n" for name in names).encode("utf-8", "surrogateescape")
    try:
        proc = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=cwd,
            input=request,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    out: list[bytes | None] = []
    data = proc.stdout
    pos = 0
    for _ in names:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out.append(data[pos : pos + size])
            pos += size + 1  # the content is followed by a newline
        else:  # "<name> missing" (deleted at that commit), or not a file
            out.append(None)
            if len(header) == 3:
                pos += int(header[2]) + 1
    return out
