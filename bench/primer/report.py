"""The report and the diff: figures from the snapshot and the labels."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bench.primer.findings import Record
from bench.primer.labels import Label, LabelKey, finding_key, required


@dataclass
class Tally:
    findings: int = 0
    required: int = 0
    true: int = 0
    false: int = 0
    debatable: int = 0

    @property
    def labelled(self) -> int:
        return self.true + self.false + self.debatable

    def precision(self) -> str:
        judged = self.true + self.false
        return f"{100 * self.true / judged:.0f}%" if judged else "-"

    def strict(self) -> str:
        return f"{100 * self.true / self.labelled:.0f}%" if self.labelled else "-"

    def row(self, name: str) -> str:
        cells = [
            name,
            str(self.findings),
            f"{self.labelled}/{self.required}",
            str(self.true),
            str(self.false),
            str(self.debatable),
            self.precision(),
            self.strict(),
        ]
        return "| " + " | ".join(cells) + " |"


HEADER = (
    "| {} | findings | labelled/required | true | false | debatable "
    "| precision | strict precision |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)

Labels = Mapping[str, Mapping[tuple[str, LabelKey], Label]]


def verdict(labels: Labels, record: Record) -> str:
    label = labels.get(record.project, {}).get(("finding", finding_key(record)))
    return label.verdict if label is not None else ""


def tallies(records: Sequence[Record], labels: Labels) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Per rule and per project: findings, required labels, verdicts."""
    by_rule: dict[str, Tally] = defaultdict(Tally)
    by_project: dict[str, Tally] = defaultdict(Tally)
    needed = {(r.project, r.key, r.line) for r in required(records)}
    for record in records:
        for tally in (by_rule[record.code], by_project[record.project], by_rule["all"]):
            tally.findings += 1
            if (record.project, record.key, record.line) in needed:
                tally.required += 1
            seen = verdict(labels, record)
            if seen == "true":
                tally.true += 1
            elif seen == "false":
                tally.false += 1
            elif seen == "debatable":
                tally.debatable += 1
    return dict(by_rule), dict(by_project)


def report_lines(
    records: Sequence[Record],
    labels: Labels,
    candidates: Sequence[Mapping[str, object]] = (),
    candidate_counts: Mapping[str, Mapping[str, int]] | None = None,
    fixchecks: Sequence[Mapping[str, object]] = (),
) -> list[str]:
    """The report as Markdown lines."""
    by_rule, by_project = tallies(records, labels)
    total = by_rule.pop("all", Tally())
    out = ["## Per rule", "", HEADER.format("rule")]
    out += [by_rule[code].row(code) for code in sorted(by_rule)]
    out.append(total.row("all"))
    out += ["", "## Per project", "", HEADER.format("project")]
    out += [by_project[name].row(name) for name in sorted(by_project)]
    out.append(total.row("all"))
    out += ["", *recall_lines(candidates, candidate_counts or {}, labels)]
    out += ["", *fix_lines(fixchecks)]
    return out


def recall_lines(
    candidates: Sequence[Mapping[str, object]],
    counts: Mapping[str, Mapping[str, int]],
    labels: Labels,
) -> list[str]:
    """Per rule: candidates, how many the rule did not report, the sample's verdicts."""
    from bench.primer.labels import SAMPLE_SIZE, sample

    per_rule: dict[str, list[Mapping[str, object]]] = defaultdict(list)
    for cand in candidates:
        per_rule[str(cand.get("code"))].append(cand)
    scanned: Counter[str] = Counter()
    for project_counts in counts.values():
        scanned.update(project_counts)
    out = [
        "## Recall (candidate scan)",
        "",
        f"| rule | candidates | not reported | sample ({SAMPLE_SIZE}, seed 7) judged "
        "| miss | rightly silent |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for code in sorted(set(scanned) | set(per_rule)):
        drawn = sample(sorted(per_rule[code], key=_candidate_order))
        miss = silent = 0
        for cand in drawn:
            assert isinstance(cand, Mapping)
            key = (str(cand["path"]), code, "", str(cand["hash"]))
            label = labels.get(str(cand["project"]), {}).get(("recall", key))
            if label is not None:
                miss += label.verdict == "miss"
                silent += label.verdict == "silent"
        out.append(
            f"| {code} | {scanned[code]} | {len(per_rule[code])} | "
            f"{miss + silent}/{len(drawn)} | {miss} | {silent} |"
        )
    return out


def _candidate_order(cand: Mapping[str, object]) -> tuple[str, str, str]:
    return (str(cand.get("project")), str(cand.get("path")), str(cand.get("hash")))


def fix_lines(fixchecks: Sequence[Mapping[str, object]]) -> list[str]:
    out = [
        "## Fix check",
        "",
        "| project | safe | unsafe | refused | files changed | broken | expected |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    broken_all: list[str] = []
    for fc in sorted(fixchecks, key=lambda f: str(f.get("project"))):
        broken = fc.get("broken")
        broken_list = [str(b) for b in broken] if isinstance(broken, list) else []
        broken_all += [f"{fc.get('project')}: {b}" for b in broken_list]
        out.append(
            f"| {fc.get('project')} | {fc.get('safe', 0)} | {fc.get('unsafe', 0)} | "
            f"{fc.get('refused', 0)} | {fc.get('files_changed', 0)} | {len(broken_list)} | "
            f"{len(fc.get('expected') or [])} |"
        )
    if broken_all:
        out += ["", "Broken fixes:", ""] + [f"- {b}" for b in broken_all]
    else:
        out += ["", "Broken fixes: none."]
    out += [
        "",
        "Expected: a deprecated module that the fixes left unimported is reported "
        "unused (DL602) by the second run.",
    ]
    return out


def diff_lines(
    before: Iterable[Record], after: Iterable[Record], labels: Labels
) -> tuple[list[str], int]:
    """What appeared and disappeared per rule (by identity), with verdicts; and the change count."""
    before, after = list(before), list(after)
    old = Counter(r.key for r in before)
    new = Counter(r.key for r in after)
    return _diff(old, new, before, after, labels)


def _diff(
    old: Counter[tuple[str, str, str, str, str]],
    new: Counter[tuple[str, str, str, str, str]],
    before: Iterable[Record],
    after: Iterable[Record],
    labels: Labels,
) -> tuple[list[str], int]:
    records: dict[tuple[str, str, str, str, str], Record] = {}
    for record in before:
        records.setdefault(record.key, record)
    for record in after:
        records[record.key] = record
    appeared = new - old
    gone = old - new
    changes: dict[str, list[str]] = defaultdict(list)
    for sign, keys in (("+", appeared), ("-", gone)):
        for key, count in sorted(keys.items()):
            record = records[key]
            seen = verdict(labels, record) or "unlabelled"
            times = f" (x{count})" if count > 1 else ""
            changes[record.code].append(
                f"{sign} {record.project} {record.path}:{record.line} [{seen}] "
                f"{record.message}{times}"
            )
    if not changes:
        return ["No change: the findings are the snapshot's."], 0
    out: list[str] = []
    total = 0
    for code in sorted(changes):
        plus = sum(1 for line in changes[code] if line.startswith("+"))
        minus = len(changes[code]) - plus
        total += len(changes[code])
        out.append(f"## {code}: +{plus} -{minus}")
        out += changes[code]
        out.append("")
    return out, total
