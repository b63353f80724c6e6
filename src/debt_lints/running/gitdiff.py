"""Which lines changed since a git ref: ``check --changed-since REF``.

The changed lines are what ``git diff --unified=0 REF`` reports between the
ref and the working tree (staged and unstaged edits alike), read from the
hunk headers; a file git does not track yet (untracked, not ignored) counts
as changed throughout. Git is run as a subprocess with a fixed argument list;
nothing in the repository is executed.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.core.model import Finding

#: ``@@ -a[,b] +c[,d] @@``: the new file's lines are ``c .. c+d-1`` (``d`` defaults to 1).
_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

#: A line range, both ends included (1-based).
LineRange = tuple[int, int]


class GitError(Exception):
    """Git cannot answer: not a repository, an unknown ref, git missing."""


@dataclass(frozen=True)
class ChangedLines:
    """The lines changed since a ref, by path relative to the repository's top level."""

    #: The repository's top-level directory (as git reports it: symbolic links resolved).
    toplevel: Path
    #: Changed line ranges per file; ``None`` means the whole file is new.
    files: dict[str, tuple[LineRange, ...] | None] = field(default_factory=dict)

    def repo_path(self, path: str | os.PathLike[str]) -> str | None:
        """``path`` (absolute or relative to the current directory) relative to the top level."""
        real = os.path.realpath(path)
        try:
            rel = os.path.relpath(real, self.toplevel)
        except ValueError:  # another drive on Windows
            return None
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return None
        return Path(rel).as_posix()

    def is_changed(self, path: str, start: int, end: int) -> bool:
        """True when lines ``start..end`` of ``path`` include a changed line."""
        rel = self.repo_path(path)
        if rel is None or rel not in self.files:
            return False
        ranges = self.files[rel]
        if ranges is None:
            return True
        end = max(end, start)
        return any(lo <= end and start <= hi for lo, hi in ranges)

    def keep(self, finding: Finding) -> bool:
        """True when the finding touches a changed line (its whole line span counts)."""
        return self.is_changed(finding.path, finding.line, finding.end_line)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings on changed lines."""
        return [f for f in findings if self.keep(f)]

    def restrict(self, paths: Sequence[str], checked: Iterable[str] | None = None) -> list[str]:
        """The changed files that exist under ``paths`` (files or directories).

        Returned relative to the current directory, sorted, so the run only
        analyses what changed. ``checked`` limits them to these suffixes.
        """
        suffixes = tuple(checked) if checked is not None else None
        bases = [os.path.realpath(p) for p in paths]
        out: list[str] = []
        for rel in sorted(self.files):
            full = self.toplevel / rel
            if suffixes is not None and not rel.endswith(suffixes):
                continue
            if not full.is_file():
                continue
            real = os.path.realpath(full)
            if any(real == base or real.startswith(base.rstrip(os.sep) + os.sep) for base in bases):
                out.append(_display(full))
        return out


def _display(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def run_git(args: Sequence[str], cwd: Path) -> str:
    """Run git with ``args`` in ``cwd``; its standard output, or :class:`GitError`."""
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout.decode("utf-8", "surrogateescape")


def changed_since(ref: str, cwd: Path | None = None) -> ChangedLines:
    """The lines changed between ``ref`` and the working tree of the repository at ``cwd``."""
    where = cwd or Path.cwd()
    try:
        top = run_git(["rev-parse", "--show-toplevel"], where).strip()
    except GitError:
        raise GitError(f"--changed-since needs a git repository; {where} is not in one") from None
    toplevel = Path(top)
    if ref.startswith("-"):
        raise GitError(f"--changed-since: {ref!r} is not a git ref")
    try:
        run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], where
        )
    except GitError:
        raise GitError(f"--changed-since: unknown git ref {ref!r}") from None
    diff = run_git(
        [
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
            "--ignore-submodules",
            ref,
            "--",
        ],
        toplevel,
    )
    files: dict[str, tuple[LineRange, ...] | None] = dict(parse_diff(diff))
    untracked = run_git(["ls-files", "--others", "--exclude-standard", "-z"], toplevel)
    for name in untracked.split("\0"):
        if name:
            files[name] = None
    return ChangedLines(toplevel, files)


def changed_files_under(ref: str, paths: Sequence[str]) -> tuple[ChangedLines, list[str]]:
    """For ``check``: the changes since ``ref`` and the changed checkable files under ``paths``.

    Raises :class:`GitError` when git cannot answer (no repository, unknown ref).
    """
    from debt_lints.running.files import CHECKED_SUFFIXES

    changes = changed_since(ref)
    return changes, changes.restrict(paths, CHECKED_SUFFIXES)


def parse_diff(text: str) -> dict[str, tuple[LineRange, ...]]:
    """Added or changed line ranges per new path, from ``git diff --unified=0`` output.

    Deleted files and pure deletions contribute nothing: no line of the new
    file changed there.
    """
    out: dict[str, list[LineRange]] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            name = line[4:]
            if name == "/dev/null":
                current = None
            else:
                current = _unquote(name)
                current = current[2:] if current.startswith("b/") else current
                out.setdefault(current, [])
        elif line.startswith("@@ ") and current is not None:
            match = _HUNK_RE.match(line)
            if match:
                start = int(match.group(1))
                count = int(match.group(2)) if match.group(2) is not None else 1
                if count > 0:
                    out[current].append((start, start + count - 1))
    return {path: tuple(ranges) for path, ranges in out.items()}


_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of a path (``"a\\tb.py"``, octal bytes for non-ASCII)."""
    name = name.rstrip("\t")  # git appends a tab after names that contain spaces
    if not (len(name) >= 2 and name[0] == '"' and name[-1] == '"'):
        return name
    body = name[1:-1]
    raw = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 >= len(body):
            raw.extend(char.encode("utf-8", "surrogateescape"))
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _C_ESCAPES:
            raw.append(_C_ESCAPES[nxt])
            i += 2
        elif re.match(r"[0-7]{3}", body[i + 1 : i + 4]):
            raw.append(int(body[i + 1 : i + 4], 8))
            i += 4
        else:
            raw.extend(char.encode())
            i += 1
    return raw.decode("utf-8", "surrogateescape")
