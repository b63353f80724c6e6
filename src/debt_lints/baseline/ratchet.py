"""Comparing the baseline with its version at a git ref (``debt-lints ratchet``).

Entries are compared by identity (path, rule, scope, hash); line hints and
the order do not matter, so regenerating the same debt is no change. An
entry whose file was renamed (its old path no longer exists, and an entry
with the same rule, scope and hash disappeared from it) is a move, not
growth. Every other added entry needs a reason: ``baseline add --reason``
records one, ``create --force`` does not, so regenerating the baseline
cannot launder new debt.
"""

from __future__ import annotations

import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.baseline.identity import Identity
from debt_lints.baseline.store import Baseline, BaselineError, Entry, load, parse


@dataclass
class RatchetReport:
    """How the baseline changed since the ref."""

    current: Baseline
    base_missing: bool = False
    removed: list[Entry] = field(default_factory=list)
    accepted: list[Entry] = field(default_factory=list)
    unexplained: list[Entry] = field(default_factory=list)
    moved: list[Entry] = field(default_factory=list)
    #: Known debt that a ``noqa`` comment hides now and did not at the ref:
    #: still debt (neither fixed nor added).
    suppressed: list[Entry] = field(default_factory=list)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise BaselineError(f"cannot run git: {exc.strerror or exc}") from None


def show_at_ref(path: Path, ref: str) -> str | None:
    """The text of ``path`` at git ``ref``, or ``None`` when the file is not there."""
    directory = path.resolve().parent
    top = _git(["rev-parse", "--show-toplevel"], directory)
    if top.returncode != 0:
        raise BaselineError(f"{path}: not inside a git repository")
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], directory).returncode:
        raise BaselineError(f"unknown git ref {ref!r}")
    root = Path(top.stdout.decode().strip()).resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise BaselineError(f"{path}: outside the git repository at {root}") from None
    if _git(["cat-file", "-e", f"{ref}:{rel}"], directory).returncode != 0:
        return None
    shown = _git(["show", f"{ref}:{rel}"], directory)
    if shown.returncode != 0:
        raise BaselineError(f"git show {ref}:{rel} failed: {shown.stderr.decode().strip()}")
    try:
        return shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise BaselineError(f"{ref}:{rel}: the baseline is not UTF-8") from None


def compare(base: Baseline, current: Baseline, root: Path) -> RatchetReport:
    """Classify the changes from ``base`` to ``current`` (see the module docstring)."""
    report = RatchetReport(current)
    base_groups: dict[Identity, list[Entry]] = defaultdict(list)
    current_groups: dict[Identity, list[Entry]] = defaultdict(list)
    for entry in base.entries:
        base_groups[entry.identity].append(entry)
    for entry in current.entries:
        current_groups[entry.identity].append(entry)
    added: list[Entry] = []
    for identity in sorted(base_groups.keys() | current_groups.keys()):
        old = base_groups.get(identity, [])
        new = current_groups.get(identity, [])
        hidden = [e for e in new if e.suppressed]
        report.suppressed.extend(hidden[: max(len(hidden) - sum(e.suppressed for e in old), 0)])
        if len(old) > len(new):
            report.removed.extend(old[len(new) :])
        elif len(new) > len(old):
            # Prefer counting the entries that carry a reason not already in the base.
            old_reasons = Counter(e.reason for e in old if e.reason)
            fresh = []
            for entry in sorted(new, key=lambda e: (not e.reason, e)):
                if entry.reason and old_reasons[entry.reason] > 0:
                    old_reasons[entry.reason] -= 1
                    continue
                fresh.append(entry)
            added.extend(fresh[: len(new) - len(old)])
    # Moves: an added entry whose twin (same rule, scope, hash) was removed
    # from a file that no longer exists.
    gone: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for entry in report.removed:
        if not (root / entry.path).exists():
            gone[(entry.code, entry.scope, entry.hash)].append(entry)
    for entry in added:
        twins = gone.get((entry.code, entry.scope, entry.hash))
        if twins:
            report.removed.remove(twins.pop())
            report.moved.append(entry)
        elif entry.reason:
            report.accepted.append(entry)
        else:
            report.unexplained.append(entry)
    return report


def compare_with_ref(path: Path, ref: str, root: Path | None = None) -> RatchetReport:
    """Compare the baseline at ``path`` with its version at git ``ref``."""
    current = load(path) or Baseline()
    text = show_at_ref(path, ref)
    if text is None:
        return RatchetReport(current, base_missing=True)
    base = parse(text, f"{ref}:{path.name}")
    return compare(base, current, root or path.parent)
