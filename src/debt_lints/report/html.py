"""``report --format html``: one self-contained page that leads with the burn-down.

The page opens with what changed: the total's burn-down, then one chart per
rule whose count changed over the history (rules that never changed are one
line, not a row of flat charts), then a compact directory view (the largest
directories with a bar each; the rest folded away) and the per-rule table.
The x axis is one step per commit, labelled with its short hash (never clock
time, which puts commits made minutes apart on one vertical line); the y axes
fit the data instead of starting at 0, so 355 -> 351 is visible.

The charts are drawn by matplotlib (the ``report`` extra) with the Agg
backend and embedded as inline SVG: the page needs no network, no script
and no other file. matplotlib is imported here only, when a page is made.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING

from debt_lints.report.data import Report, TrendPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class MissingDependency(Exception):
    """matplotlib is not installed (the ``report`` extra)."""


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.75rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; }
.muted { color: #59636e; }
code { font-size: 0.9em; }
.bar { display: inline-block; height: 0.7rem; background: #0969da; border-radius: 2px; }
td.bar-cell { width: 16rem; }
details summary { cursor: pointer; color: #59636e; }
"""

#: Directories shown before the rest are folded into a <details> element.
TOP_DIRECTORIES = 10


def _pyplot_figure() -> type[Figure]:
    try:
        import matplotlib
    except ImportError:
        raise MissingDependency(
            "--format html needs matplotlib: pip install 'debt-lints[report]'"
        ) from None
    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    return Figure


#: Commits labelled on a chart's x axis at most; with more, every n-th is.
MAX_COMMIT_LABELS = 24


def commit_ticks(points: list[TrendPoint]) -> tuple[list[int], list[str]]:
    """The x ticks of a chart: one step per commit, labelled with its short hash.

    Commits made minutes apart get a step each (a clock-time axis drew them on
    one vertical line). With many commits every n-th is labelled, the last
    always.
    """
    if not points:
        return [], []
    every = max(1, -(-len(points) // MAX_COMMIT_LABELS))
    ticks = list(range(0, len(points), every))
    if ticks[-1] != len(points) - 1:
        ticks.append(len(points) - 1)
    return ticks, [points[i].commit[:7] for i in ticks]


def chart(
    title: str,
    points: list[TrendPoint],
    code: str | None,
    *,
    typing: bool = False,
    mark: TrendPoint | None = None,
) -> str:
    """A step chart of a count over the commits, as SVG: one rule's (``code``), the
    rules' total (``None``), or the strict-typing total (``typing``). One step per
    commit, labelled with its short hash. ``mark``: the commit that adopted
    typing, drawn as a dashed line; the typing series starts there (before it
    typing was not measured)."""
    figure_class = _pyplot_figure()
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    # Strict typing is measured from the commit that adopted it: before that its
    # count is unknown, not 0, and a line from 0 would draw adoption as a spike.
    first = points.index(mark) if typing and mark is not None and mark in points else 0
    if typing:
        counts = [p.typing_total for p in points[first:]]
    else:
        counts = [p.total if code is None else p.by_rule.get(code, 0) for p in points]
    steps = list(range(first, len(points)))
    ticks, labels = commit_ticks(points)
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "debt-lints"}):
        height = 2.8 if code is None else 2.1
        figure = figure_class(figsize=(7.5, height), layout="constrained")
        axes = figure.add_subplot()
        # The count holds until the next commit changes it: a step after each point.
        axes.step(steps, counts, where="post", color="#0969da", linewidth=1.8)
        axes.plot(steps, counts, "o", color="#0969da", markersize=3.5)
        if mark is not None and mark in points:
            at = points.index(mark)
            axes.axvline(at, color="#9a6700", linestyle="--", linewidth=1.0)
            # Named on the chart itself: the sentence explaining it comes after the chart.
            axes.annotate(
                " typing adopted",
                xy=(at, 1.0),
                xycoords=("data", "axes fraction"),
                ha="left",
                va="top",
                fontsize=7,
                color="#9a6700",
            )
        if first:
            axes.text(
                (first - 1) / 2,
                sum(y_limits(counts)) / 2,
                "not measured",
                ha="center",
                va="center",
                fontsize=8,
                color="#59636e",
            )
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_ylabel("findings")
        axes.set_ylim(*y_limits(counts))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        axes.grid(axis="y", color="#d0d7de", linewidth=0.6)
        axes.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
        axes.set_xticks(ticks, labels, rotation=45, ha="right", fontsize=7, family="monospace")
        axes.set_xlabel("commit", fontsize=8)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    # Inline SVG: drop the XML declaration and DOCTYPE, keep the <svg> element.
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def y_limits(counts: list[int]) -> tuple[float, float]:
    """The y range of a chart: the data's own range with a margin, not 0 to the top.

    Burn-down happens in small steps on large numbers (355 -> 351); an axis from
    0 draws that as a flat line. A constant series gets one finding either side.
    """
    if not counts:
        return (0.0, 1.0)
    low, high = min(counts), max(counts)
    margin = max((high - low) * 0.15, 1.0)
    return (max(low - margin, 0.0), high + margin)


def changed_codes(report: Report) -> list[str]:
    """Rules whose count changed over the trend or since the base, largest change first."""
    out: list[tuple[int, str]] = []
    for code in report.codes():
        counts = [p.by_rule.get(code, 0) for p in report.trend]
        swing = max(counts) - min(counts) if counts else 0
        if report.comparison is not None:
            swing += sum(1 for e in report.comparison.fixed if e.code == code)
            swing += sum(1 for e in report.comparison.new if e.code == code)
        if swing:
            out.append((-swing, code))
    return [code for _, code in sorted(out)]


def _directory_view(report: Report) -> list[str]:
    """The largest directories with a bar each; the rest folded into <details>."""
    esc = html.escape
    directories = sorted(report.by_directory().items(), key=lambda kv: (-kv[1], kv[0]))
    if not directories:
        return []
    widest = directories[0][1]

    def rows(items: list[tuple[str, int]]) -> list[list[str]]:
        return [
            [
                f"<code>{esc(d)}</code>",
                str(count),
                f'<span class="bar" style="width: {max(count * 100 // widest, 1)}%"></span>',
            ]
            for d, count in items
        ]

    head, rest = directories[:TOP_DIRECTORIES], directories[TOP_DIRECTORIES:]
    parts = [
        f"<h2>By directory (depth {report.depth})</h2>",
        _table(["Directory", "Findings", ""], rows(head), {1}, bar=2),
    ]
    hint = report.directory_hint()
    if hint:
        parts.append(f'<p class="muted">{esc(hint[0].upper() + hint[1:])}.</p>')
    if rest:
        parts.append(
            f"<details><summary>{len(rest)} more directories "
            f"({sum(c for _, c in rest)} findings)</summary>"
            + _table(["Directory", "Findings", ""], rows(rest), {1}, bar=2)
            + "</details>"
        )
    return parts


def _table(
    headers: list[str], rows: list[list[str]], numeric: set[int], bar: int | None = None
) -> str:
    def cell(tag: str, index: int, value: str) -> str:
        css = ' class="n"' if index in numeric else (' class="bar-cell"' if index == bar else "")
        return f"<{tag}{css}>{value}</{tag}>"

    head = "".join(cell("th", i, html.escape(h)) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: Report) -> str:
    """The whole page."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>debt-lints report: {esc(report.baseline)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>debt-lints report</h1>",
        f"<p><code>{esc(report.baseline)}</code>: <strong>{report.total}</strong> known "
        f"finding{'s' if report.total != 1 else ''}.</p>",
    ]
    for line in (report.partial_line(), report.excluded_line()):
        if line:
            parts.append(f"<p>{esc(line)}.</p>")
    comparison = report.comparison
    if comparison is not None:
        net = comparison.net(report.total)
        parts.append(
            f"<p>Since <code>{esc(comparison.base)}</code>: {len(comparison.fixed)} fixed, "
            f"{len(comparison.new)} new, net {net:+d} "
            f"({comparison.base_total} &rarr; {report.total}).</p>"
        )
    if report.suppressed:
        parts.append(
            f'<p class="muted">{report.suppressed} of them hidden by noqa comments '
            "(still debt).</p>"
        )
    typing_line = report.typing_line()
    if typing_line:
        parts.append(f"<p>{esc(typing_line)}.</p>")
    parts += _burn_down(report)
    parts += _directory_view(report)
    rules = sorted(report.by_rule().items(), key=lambda kv: (-kv[1], kv[0]))
    parts.append("<h2>By rule</h2>")
    parts.append(
        _table(
            ["Rule", "Findings"],
            [[esc(report.rule_label(code)), str(count)] for code, count in rules],
            {1},
        )
    )
    if report.typing is not None:
        parts.append("<h2>Strict typing</h2>")
        parts.append(f"<p>{esc(report.typing.headline())}.</p>")
        parts.append(
            _table(
                ["Package", "Strict-clean modules", "Annotated functions"],
                [
                    [
                        f"<code>{esc(name)}</code>",
                        report.typing.clean_ratio(s),
                        f"{s.annotated}/{s.functions}",
                    ]
                    for name, s in sorted(report.typing.packages.items())
                ],
                {1, 2},
            )
        )
    if report.unreadable:
        skipped = ", ".join(esc(sha[:10]) for sha in report.unreadable)
        parts.append(f'<p class="muted">Skipped unreadable versions at {skipped}.</p>')
    parts.append("</body></html>")
    page = "\n".join(parts) + "\n"
    return _strip_svg_comments(page)


def _burn_down(report: Report) -> list[str]:
    """The total's chart, then a chart per rule that changed; unchanged rules in one line."""
    esc = html.escape
    parts = ["<h2>Burn-down</h2>"]
    if not report.trend:
        parts.append(
            '<p class="muted">No history: the baseline file is not committed in a git '
            "repository yet.</p>"
        )
        return parts
    last = report.trend[-1]
    parts.append(
        f'<p class="muted">One point per commit that changed the baseline '
        f"({len(report.trend)} commits, the last {esc(last.commit[:10])} on "
        f"{esc(last.date[:10])}); each y axis spans that series' own range.</p>"
    )
    adopted = report.typing_adopted
    parts.append(f'<div class="chart">{chart("All rules", report.trend, None, mark=adopted)}</div>')
    if adopted is not None:
        # Strict typing is its own series: adopting it is not a regression of the rules.
        parts.append(
            f'<p class="muted">Strict typing (mypy --strict) is counted apart; it was adopted '
            f"at {esc(adopted.commit[:10])} on {esc(adopted.date[:10])} (the dashed line).</p>"
        )
        title = "Strict typing (mypy --strict errors)"
        parts.append(
            f'<div class="chart">{chart(title, report.trend, None, typing=True, mark=adopted)}'
            "</div>"
        )
    changed = changed_codes(report)
    for code in changed:
        parts.append(
            f'<div class="chart">{chart(report.rule_label(code), report.trend, code)}</div>'
        )
    now = report.by_rule()
    unchanged = [code for code in report.codes() if code not in changed]
    if unchanged:
        listed = ", ".join(f"{esc(report.rule_label(c))} ({now.get(c, 0)})" for c in unchanged)
        parts.append(f'<p class="muted">Unchanged over this history: {listed}.</p>')
    return parts


def _strip_svg_comments(page: str) -> str:
    """matplotlib's SVG carries a generator comment per chart; one page needs none."""
    return re.sub(r"<!-- Created with matplotlib.*?-->\n?", "", page)
