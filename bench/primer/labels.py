"""Labels: a verdict and a one-line reason per finding (or recall candidate).

One JSON-lines file per project (``labels/<project>.jsonl``), so several
people label in parallel without touching the same file. A finding label is
keyed by the baseline's identity (path, code, scope, hash), which survives
line moves::

    {"path": "a/b.py", "code": "DL301", "scope": "Client.connect", "hash": "0f3c...",
     "verdict": "true", "reason": "a client default host nobody can override"}

A recall label (a candidate the rule did not report) has ``"kind": "recall"``
and a verdict ``miss`` or ``silent`` (rightly silent).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.primer.corpus import PrimerError
from bench.primer.findings import Record, read_jsonl

FINDING_VERDICTS = ("true", "false", "debatable")
RECALL_VERDICTS = ("miss", "silent")
#: A rule with more findings than this in a project needs only a seeded sample labelled.
SAMPLE_SIZE = 25
SEED = 7

LabelKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class Label:
    path: str
    code: str
    scope: str
    hash: str
    verdict: str
    reason: str
    kind: str = "finding"

    @property
    def key(self) -> LabelKey:
        return (self.path, self.code, self.scope, self.hash)

    def to_json(self) -> str:
        data = {
            "path": self.path,
            "code": self.code,
            "scope": self.scope,
            "hash": self.hash,
            "verdict": self.verdict,
            "reason": self.reason,
        }
        if self.kind != "finding":
            data["kind"] = self.kind
        return json.dumps(data, ensure_ascii=False)


def load_labels(folder: Path, project: str) -> dict[tuple[str, LabelKey], Label]:
    """The labels of one project, by (kind, identity); a bad label is an error naming it."""
    path = folder / f"{project}.jsonl"
    out: dict[tuple[str, LabelKey], Label] = {}
    for number, raw in enumerate(read_jsonl(path), 1):
        kind = str(raw.get("kind", "finding"))
        verdicts = RECALL_VERDICTS if kind == "recall" else FINDING_VERDICTS
        fields = [raw.get(k) for k in ("path", "code", "scope", "hash", "verdict", "reason")]
        if not all(isinstance(f, str) for f in fields):
            raise PrimerError(f"{path}: label {number}: a field is missing or not a string")
        label = Label(*(str(f) for f in fields), kind=kind)
        if label.verdict not in verdicts:
            raise PrimerError(
                f"{path}: label {number}: verdict {label.verdict!r} is not one of "
                + ", ".join(verdicts)
            )
        if not label.reason.strip():
            raise PrimerError(f"{path}: label {number}: the reason is empty")
        out[(kind, label.key)] = label
    return out


def finding_key(record: Record) -> LabelKey:
    return (record.path, record.code, record.scope, record.hash)


def required(records: Sequence[Record]) -> list[Record]:
    """The findings that must be labelled: all, or the seeded sample of a big rule.

    Per project and rule: up to ``SAMPLE_SIZE`` findings, all of them; more,
    ``random.seed(7)``'s sample of ``SAMPLE_SIZE``, drawn from the findings in
    identity order (so a line move does not change the sample).
    """
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records:
        groups[(record.project, record.code)].append(record)
    out: list[Record] = []
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda r: (r.key, r.line))
        if len(group) > SAMPLE_SIZE:
            group = random.Random(SEED).sample(group, SAMPLE_SIZE)
        out.extend(group)
    return out


def sample(items: Sequence[object], size: int = SAMPLE_SIZE) -> list[object]:
    """``random.seed(7)``'s sample of ``size`` items (all of them when fewer)."""
    if len(items) <= size:
        return list(items)
    return random.Random(SEED).sample(list(items), size)


def append_labels(folder: Path, project: str, labels: Iterable[Label]) -> None:
    """Add labels to the project's file, replacing any with the same identity; sorted."""
    current = load_labels(folder, project)
    for label in labels:
        current[(label.kind, label.key)] = label
    path = folder / f"{project}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(current.values(), key=lambda lb: (lb.kind, lb.key))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(lb.to_json() + "\n" for lb in ordered), encoding="utf-8")
    tmp.replace(path)
