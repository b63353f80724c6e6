"""``report --format text|markdown|json``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from debt_lints.analysis.context import terminal_safe
from debt_lints.baseline.store import Entry
from debt_lints.report.data import Comparison, Report, is_typing
from debt_lints.strict.summary import PackageTyping

#: JSON document name and version, for dashboards that read it.
JSON_SCHEMA = "debt-lints-report"
JSON_VERSION = 1

#: Entries listed per section of a pull-request comment (GitHub caps comments at 65,536 chars).
MARKDOWN_LIST_LIMIT = 50


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("\u2212" + str(-value) if value < 0 else "0")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# --- text --------------------------------------------------------------------


def render_text(report: Report) -> str:
    """A summary for the terminal."""
    lines = [f"{report.baseline}: {_plural(report.total, 'known finding')}{_hidden(report)}"]
    for line in (report.partial_line(), report.excluded_line(), report.typing_line()):
        if line:
            lines.append(line)
    rules = report.by_rule()
    if rules:
        lines += ["", "By rule:"]
        lines += [
            f"{count:>8}  {report.rule_label(code)}"
            for code, count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines += ["", f"By directory (depth {report.depth}):"]
        lines += [
            f"{count:>8}  {terminal_safe(directory)}"
            for directory, count in sorted(
                report.by_directory().items(), key=lambda kv: (-kv[1], kv[0])
            )
        ]
        hint = report.directory_hint()
        if hint:
            lines.append(f"  ({terminal_safe(hint)})")
    if report.trend:
        lines += ["", f"Trend ({_plural(len(report.trend), 'commit')} changed the baseline):"]
        previous: int | None = None
        adopted = report.typing_adopted
        measured = False  # strict typing is measured from the commit that adopted it
        for point in report.trend:
            change = "" if previous is None else f"({_signed(point.total - previous)})"
            measured = measured or point is adopted
            typing_count = f"{point.typing_total:>6}" if measured else f"{'-':>6}"
            typing = f"  typing {typing_count}" if adopted is not None else ""
            mark = "  [typing adopted]" if point is adopted else ""
            lines.append(
                f"  {point.date[:10]}  {point.commit[:10]}  {point.total:>6} {change:<8}"
                f"{typing}  {point.subject}{mark}"
            )
            previous = point.total
    if report.unreadable:
        lines.append(f"  (skipped {_plural(len(report.unreadable), 'unreadable version')})")
    lines += _typing_text(report)
    comparison = report.comparison
    if comparison is not None:
        lines += ["", _comparison_line(report, comparison)]
        lines += [f"  fixed: {entry.describe()}" for entry in comparison.fixed]
        lines += [f"  new:   {_describe_new(entry)}" for entry in comparison.new]
        lines += [f"  suppressed: {entry.describe()}" for entry in comparison.suppressed]
    return "\n".join(lines) + "\n"


def _hidden(report: Report) -> str:
    """`` (N hidden by noqa comments)`` when some known debt is suppressed."""
    if not report.suppressed:
        return ""
    return f" ({report.suppressed} hidden by noqa comments, still debt)"


def _suppressed_since(comparison: Comparison) -> str:
    count = len(comparison.suppressed)
    if not count:
        return ""
    return f"; {_plural(count, 'known finding')} newly hidden by noqa comments (still debt)"


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}"


def _typing_text(report: Report) -> list[str]:
    if report.typing is None:
        return []
    lines = ["", f"Strict typing: {report.typing.headline()}"]
    lines += [
        f"  {name:<30} {_clean(report, s):>12} modules "
        f"{_ratio(s.annotated, s.functions):>12} functions"
        for name, s in sorted(report.typing.packages.items())
    ]
    return lines


def _clean(report: Report, stats: PackageTyping) -> str:
    assert report.typing is not None
    return _ratio(stats.strict_clean, stats.modules) if report.typing.measured else "not measured"


def typing_markdown(report: Report) -> list[str]:
    """The strict-typing table of a markdown report (empty without ``--typing``)."""
    if report.typing is None:
        return []
    lines = [
        "",
        f"Strict typing: {report.typing.headline()}.",
        "",
        "| Package | Strict-clean modules | Annotated functions |",
        "| --- | ---: | ---: |",
    ]
    lines += [
        f"| {_code(name)} | {_clean(report, s)} | {_ratio(s.annotated, s.functions)} |"
        for name, s in sorted(report.typing.packages.items())
    ]
    return lines


def _comparison_line(report: Report, comparison: Comparison) -> str:
    if comparison.base_missing:
        return (
            f"Since {comparison.base}: the baseline is new ({report.total} entries)"
            f"{_typing_since(report, comparison)}"
        )
    return (
        f"Since {comparison.base}: {len(comparison.fixed)} fixed, {len(comparison.new)} new, "
        f"net {_signed(comparison.net(report.total))} "
        f"({comparison.base_total} -> {report.total}){_suppressed_since(comparison)}"
        f"{_typing_since(report, comparison)}"
    )


def _typing_since(report: Report, comparison: Comparison) -> str:
    """``; strict typing apart: 0 -> 1,823 (+1,823)`` when typing debt changed."""
    base, now = comparison.base_typing_total, report.typing_total
    if not (base or now or comparison.typing_fixed or comparison.typing_new):
        return ""
    adopted = " (typing adopted)" if not base and now else ""
    return f"; strict typing apart: {base:,} -> {now:,} ({_signed(now - base)}){adopted}"


def _describe_new(entry: Entry) -> str:
    reason = f" (reason: {terminal_safe(entry.reason)})" if entry.reason else " (no reason given)"
    return entry.describe() + reason


# --- markdown ----------------------------------------------------------------


def _code(text: str) -> str:
    """``text`` as a Markdown code span that survives backticks and table pipes."""
    text = terminal_safe(text.replace("|", "\\|").replace("\n", " "))
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_text(text: str) -> str:
    """Plain text in Markdown: escape what would format or break a table."""
    out = terminal_safe(text.replace("\\", "\\\\").replace("\n", " "))
    for char in "|*_[]<>`#":
        out = out.replace(char, "\\" + char)
    return out


def _md_entry(entry: Entry, with_reason: bool = False) -> str:
    where = f" in {_code(entry.scope)}" if entry.scope else ""
    text = f"- {_code(f'{entry.path}:{entry.line}')} {entry.code}{where}"
    if with_reason:
        text += f": {_md_text(entry.reason)}" if entry.reason else ": *no reason given*"
    return text


def _md_list(title: str, entries: Sequence[Entry], with_reason: bool = False) -> list[str]:
    if not entries:
        return []
    shown = [_md_entry(e, with_reason) for e in entries[:MARKDOWN_LIST_LIMIT]]
    if len(entries) > MARKDOWN_LIST_LIMIT:
        shown.append(f"- and {len(entries) - MARKDOWN_LIST_LIMIT} more")
    return ["", f"<details><summary>{title}</summary>", "", *shown, "", "</details>"]


def render_markdown(report: Report) -> str:
    """A pull-request comment: fixed / new / net against ``--base``, or the totals."""
    comparison = report.comparison
    if comparison is None:
        return _markdown_totals(report)
    net = comparison.net(report.total)
    lines = [
        f"### debt-lints: known debt {comparison.base_total} \u2192 {report.total} "
        f"({_signed(net)})",
        "",
    ]
    if comparison.base_missing:
        lines += [f"The baseline `{report.baseline}` is new in this change.", ""]
    lines += [
        f"{_plural(len(comparison.fixed), 'finding')} fixed, "
        f"{len(comparison.new)} new, net {_signed(net)} since {_code(comparison.base)}"
        f"{_suppressed_since(comparison)}{_typing_since(report, comparison)}.",
        "",
        "| Rule | Base | Now | Fixed | New | Net |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    now = report.by_rule()
    fixed = comparison.fixed_by_rule()
    new = comparison.new_by_rule()
    base_counts = _base_by_rule(report, comparison)
    unchanged = 0
    for code in report.codes():
        if not (now.get(code) or base_counts.get(code)):
            continue
        if not (fixed.get(code) or new.get(code)):
            unchanged += 1  # a comment lists what the change did, not the whole catalogue
            continue
        label = _md_text(report.rule_label(code))
        rule_net = now.get(code, 0) - base_counts.get(code, 0)
        lines.append(
            f"| {label} | {base_counts.get(code, 0)} | {now.get(code, 0)} | "
            f"{fixed.get(code, 0)} | {new.get(code, 0)} | {_signed(rule_net)} |"
        )
    lines.append(
        f"| **Total** | {comparison.base_total} | {report.total} | {len(comparison.fixed)} | "
        f"{len(comparison.new)} | **{_signed(net)}** |"
    )
    if unchanged:
        lines += ["", f"{_plural(unchanged, 'other rule')} with known debt did not change."]
    lines += _md_list(f"{len(comparison.fixed)} fixed", comparison.fixed)
    lines += _md_list(f"{len(comparison.new)} new", comparison.new, with_reason=True)
    if comparison.moved:
        lines += _md_list(f"{len(comparison.moved)} moved with a renamed file", comparison.moved)
    if comparison.suppressed:
        lines += _md_list(
            f"{len(comparison.suppressed)} newly hidden by noqa comments (still debt)",
            comparison.suppressed,
        )
    return "\n".join(lines) + "\n"


def _base_by_rule(report: Report, comparison: Comparison) -> dict[str, int]:
    """Counts at the base: now, minus what is new, plus what was fixed (moves cancel out)."""
    counts = dict(report.by_rule())
    for code, count in comparison.new_by_rule().items():
        counts[code] = counts.get(code, 0) - count
    for code, count in comparison.fixed_by_rule().items():
        counts[code] = counts.get(code, 0) + count
    return {code: count for code, count in counts.items() if count}


def _markdown_totals(report: Report) -> str:
    lines = [f"### debt-lints: {_plural(report.total, 'known finding')}{_hidden(report)}", ""]
    for line in (report.partial_line(), report.excluded_line(), report.typing_line()):
        if line:
            lines += [line + ".", ""]
    if report.total:
        lines += ["| Rule | Findings |", "| --- | ---: |"]
        lines += [
            f"| {_md_text(report.rule_label(code))} | {count} |"
            for code, count in sorted(report.by_rule().items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines += ["", f"| Directory (depth {report.depth}) | Findings |", "| --- | ---: |"]
        lines += [
            f"| {_code(directory)} | {count} |"
            for directory, count in sorted(
                report.by_directory().items(), key=lambda kv: (-kv[1], kv[0])
            )
        ]
        hint = report.directory_hint()
        if hint:
            lines += ["", _md_text(hint[0].upper() + hint[1:]) + "."]
    lines += typing_markdown(report)
    if len(report.trend) >= 2:
        first, last = report.trend[0], report.trend[-1]
        lines += [
            "",
            f"Trend: {first.total} on {first.date[:10]} \u2192 {last.total} on {last.date[:10]} "
            f"({_signed(last.total - first.total)}, "
            f"{_plural(len(report.trend), 'commit')} changed the baseline; "
            "strict typing counted apart).",
        ]
    return "\n".join(lines) + "\n"


# --- json --------------------------------------------------------------------


def _entry_json(entry: Entry) -> dict[str, object]:
    data: dict[str, object] = {
        "path": entry.path,
        "line": entry.line,
        "code": entry.code,
        "scope": entry.scope,
    }
    if entry.reason:
        data["reason"] = entry.reason
    return data


def report_json(report: Report) -> dict[str, object]:
    """The report as a JSON-ready mapping (the ``--format json`` schema)."""
    data: dict[str, object] = {
        "schema": JSON_SCHEMA,
        "version": JSON_VERSION,
        "baseline": report.baseline,
        "total": report.total,
        "typing_total": report.typing_total,
        "typing_by_code": report.typing_by_code(),
        "typing_adopted": (None if report.typing_adopted is None else report.typing_adopted.commit),
        "suppressed": report.suppressed,
        "partial_files": len(report.partial_files),
        "excluded_entries": report.excluded,
        "by_rule": [
            {"code": code, "name": report.rule_names.get(code, ""), "count": count}
            for code, count in report.by_rule().items()
        ],
        "depth": report.depth,
        "by_directory": [
            {"directory": directory, "count": count}
            for directory, count in report.by_directory().items()
        ],
        "trend": [
            {
                "commit": point.commit,
                "date": point.date,
                "subject": point.subject,
                "total": point.total,
                "by_rule": {c: n for c, n in point.by_rule.items() if not is_typing(c)},
                "typing_total": point.typing_total,
                "typing_by_code": {c: n for c, n in point.by_rule.items() if is_typing(c)},
            }
            for point in report.trend
        ],
        "unreadable_commits": list(report.unreadable),
    }
    if report.typing is not None:
        data["typing"] = report.typing.as_json()
    comparison = report.comparison
    if comparison is not None:
        data["comparison"] = {
            "base": comparison.base,
            "base_missing": comparison.base_missing,
            "base_total": comparison.base_total,
            "total": report.total,
            "fixed": len(comparison.fixed),
            "new": len(comparison.new),
            "moved": len(comparison.moved),
            "suppressed": len(comparison.suppressed),
            "net": comparison.net(report.total),
            "fixed_by_rule": comparison.fixed_by_rule(),
            "new_by_rule": comparison.new_by_rule(),
            "fixed_entries": [_entry_json(e) for e in comparison.fixed],
            "new_entries": [_entry_json(e) for e in comparison.new],
            "suppressed_entries": [_entry_json(e) for e in comparison.suppressed],
            "base_typing_total": comparison.base_typing_total,
            "typing_total": report.typing_total,
            "typing_fixed": len(comparison.typing_fixed),
            "typing_new": len(comparison.typing_new),
        }
    return data


def render_json(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
