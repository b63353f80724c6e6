"""Matching findings to baseline entries, one to one, in passes from strict to loose.

1. **Exact**: same path, rule, scope and code hash.
2. **Scope changed**: same path, rule and code hash (the function was
   renamed, or the code moved into another function of the same file).
3. **File renamed**: the entries of a file that no longer exists go to the
   findings of one new file (a path the baseline does not know) when every
   entry finds a finding with the same rule, scope and hash there. When
   more than one old or new file qualifies the match is ambiguous and the
   findings stay new (fail safe).

There is deliberately no "same path, rule and scope, any code" pass: it
would pair a fixed finding with a new one of the same rule in the same
function and hide both (the cancellation ESLint users report, eslint#21226).

Within a group of identical identities each entry takes at most one finding
and vice versa, so what is left over is exactly the new debt, at its own
lines. Ties go to the nearest line, where an entry's recorded line is first
shifted by the displacement of the nearest *anchor* above it in its file (an
identity that occurs exactly once on both sides), so lines inserted above a
group of duplicates do not confuse them.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from debt_lints.baseline.identity import Identity
from debt_lints.baseline.store import Entry
from debt_lints.core.model import Finding

#: A finding with its identity (which carries the root-relative path).
Located = tuple[Finding, Identity]

#: Above this many candidate pairs in one group, pair in line order instead.
_MAX_PAIRS = 250_000


@dataclass
class MatchResult:
    """How a run's findings relate to the baseline."""

    #: Findings the baseline covers, with the entry each one consumed.
    known: list[tuple[Finding, Entry]] = field(default_factory=list)
    #: Findings no entry covers: new debt.
    new: list[Finding] = field(default_factory=list)
    #: Entries no finding matched (stale if the run covered them).
    unmatched: list[Entry] = field(default_factory=list)
    #: Entries matched through a rename: entry and the file's new path.
    moved: list[tuple[Entry, str]] = field(default_factory=list)


def match(
    entries: Iterable[Entry],
    findings: Sequence[Located],
    exists: Callable[[str], bool] = lambda path: True,
) -> MatchResult:
    """Match ``findings`` to ``entries`` one to one (see the module docstring).

    ``exists(path)`` tells whether a root-relative file still exists; it is
    asked only about paths that have entries but no findings.
    """
    # An entry can only match a finding of its own file, or (renamed) of a
    # new file when its own file is gone. The others are unmatched without
    # further work: a one-file run against a large baseline costs one file.
    paths = {identity.path for _, identity in findings}
    all_entries: list[Entry] = []
    idle: list[Entry] = []
    for entry in entries:
        (all_entries if entry.path in paths or not exists(entry.path) else idle).append(entry)
    predict = _predictor(all_entries, findings)
    free_entries, free_findings = all_entries, list(range(len(findings)))
    taken: list[tuple[int, Entry]] = []
    passes: list[tuple[Callable[[Entry], Hashable], Callable[[Identity], Hashable]]] = [
        (lambda e: e.identity, lambda i: i),
        (lambda e: (e.path, e.code, e.hash), lambda i: (i.path, i.code, i.hash)),
    ]
    for entry_key, finding_key in passes:
        pairs, free_entries, free_findings = _pass(
            free_entries,
            free_findings,
            findings,
            entry_key=entry_key,
            finding_key=finding_key,
            predict=predict,
        )
        taken.extend(pairs)
    result = MatchResult()
    moved = _renames(all_entries, free_entries, free_findings, findings, exists)
    if moved:
        pairs, free_entries, free_findings = _pass(
            free_entries,
            free_findings,
            findings,
            entry_key=lambda e: (
                (moved[e.path], e.code, e.scope, e.hash) if e.path in moved else None
            ),
            finding_key=lambda i: (i.path, i.code, i.scope, i.hash),
            predict=predict,
        )
        taken.extend(pairs)
        result.moved = sorted((entry, moved[entry.path]) for _, entry in pairs)
    result.known = sorted(
        ((findings[index][0], entry) for index, entry in taken),
        key=lambda pair: pair[0].sort_key(),
    )
    result.new = sorted((findings[index][0] for index in free_findings), key=Finding.sort_key)
    result.unmatched = sorted([*free_entries, *idle])
    return result


def _pass(
    entries: list[Entry],
    free: list[int],
    findings: Sequence[Located],
    *,
    entry_key: Callable[[Entry], Hashable],
    finding_key: Callable[[Identity], Hashable],
    predict: Callable[[Entry], int],
) -> tuple[list[tuple[int, Entry]], list[Entry], list[int]]:
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for index in free:
        by_key[finding_key(findings[index][1])].append(index)
    groups: dict[Hashable, list[Entry]] = defaultdict(list)
    left_entries: list[Entry] = []
    for entry in entries:
        key = entry_key(entry)
        if key is not None and key in by_key:
            groups[key].append(entry)
        else:
            left_entries.append(entry)
    pairs: list[tuple[int, Entry]] = []
    used: set[int] = set()
    for key, group in groups.items():
        candidates = by_key[key]
        chosen, rest = _assign(group, candidates, findings, predict)
        pairs.extend(chosen)
        used.update(index for index, _ in chosen)
        left_entries.extend(rest)
    left_findings = [index for index in free if index not in used]
    return pairs, left_entries, left_findings


def _assign(
    group: list[Entry],
    candidates: list[int],
    findings: Sequence[Located],
    predict: Callable[[Entry], int],
) -> tuple[list[tuple[int, Entry]], list[Entry]]:
    """Pair entries with findings of one identity, nearest predicted line first."""
    if len(group) == 1 and len(candidates) == 1:
        return [(candidates[0], group[0])], []
    ordered = sorted(group)
    if len(ordered) * len(candidates) > _MAX_PAIRS:
        by_line = sorted(candidates, key=lambda i: findings[i][0].sort_key())
        ordered.sort(key=lambda e: (predict(e), e))
        count = min(len(ordered), len(by_line))
        return list(zip(by_line[:count], ordered[:count], strict=True)), ordered[count:]
    costs = sorted(
        (abs(findings[index][0].line - predict(entry)), findings[index][0].sort_key(), e_pos, index)
        for e_pos, entry in enumerate(ordered)
        for index in candidates
    )
    chosen: list[tuple[int, Entry]] = []
    used_entries: set[int] = set()
    used_findings: set[int] = set()
    for _, _, e_pos, index in costs:
        if e_pos in used_entries or index in used_findings:
            continue
        used_entries.add(e_pos)
        used_findings.add(index)
        chosen.append((index, ordered[e_pos]))
    rest = [entry for e_pos, entry in enumerate(ordered) if e_pos not in used_entries]
    return chosen, rest


def _predictor(entries: Sequence[Entry], findings: Sequence[Located]) -> Callable[[Entry], int]:
    """Where an entry's finding is expected now, from the file's unambiguous matches."""
    entry_counts = Counter(e.identity for e in entries)
    finding_lines: dict[Identity, list[int]] = defaultdict(list)
    for finding, identity in findings:
        finding_lines[identity].append(finding.line)
    anchors: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for entry in entries:
        lines = finding_lines.get(entry.identity)
        if entry_counts[entry.identity] == 1 and lines is not None and len(lines) == 1:
            anchors[entry.path].append((entry.line, lines[0] - entry.line))
    for points in anchors.values():
        points.sort()

    def predict(entry: Entry) -> int:
        points = anchors.get(entry.path)
        if not points:
            return entry.line
        pos = bisect.bisect_right(points, (entry.line, float("inf")))
        # The shift of the nearest anchor at or above the entry (none: the
        # top of the file, which never moves). An anchor below would also
        # count lines inserted *after* the entry, such as a duplicate of it.
        return entry.line + (points[pos - 1][1] if pos > 0 else 0)

    return predict


def _renames(
    all_entries: Sequence[Entry],
    entries: Sequence[Entry],
    free: Sequence[int],
    findings: Sequence[Located],
    exists: Callable[[str], bool],
) -> dict[str, str]:
    """Old path -> new path for files that were moved, when the evidence is unambiguous."""
    known_paths = {e.path for e in all_entries}
    gone: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for entry in entries:
        gone[entry.path][(entry.code, entry.scope, entry.hash)] += 1
    gone = {path: keys for path, keys in gone.items() if not exists(path)}
    if not gone:
        return {}
    arrived: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for index in free:
        identity = findings[index][1]
        arrived[identity.path][(identity.code, identity.scope, identity.hash)] += 1
    # A rename target is a file the baseline knows nothing about (entries of
    # files that exist stay with their files).
    for path in known_paths:
        arrived.pop(path, None)
    candidates: dict[str, list[str]] = {
        old: [new for new, have in arrived.items() if not keys - have] for old, keys in gone.items()
    }
    claimed = Counter(new for news in candidates.values() for new in news)
    return {
        old: news[0]
        for old, news in sorted(candidates.items())
        if len(news) == 1 and claimed[news[0]] == 1
    }
