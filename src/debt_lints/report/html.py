"""``report --format html``: one self-contained page with a burn-down chart per rule.

The charts are drawn by matplotlib (the ``report`` extra) with the Agg
backend and embedded as inline SVG: the page needs no network, no script
and no other file. matplotlib is imported here only, when a page is made.
"""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
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
"""


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


def _dates(points: list[TrendPoint]) -> list[datetime]:
    return [datetime.fromisoformat(p.date) for p in points]


def chart(title: str, points: list[TrendPoint], code: str | None) -> str:
    """A step chart of the count (one rule's, or the total) over the commits, as SVG."""
    figure_class = _pyplot_figure()
    import matplotlib as mpl
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    counts = [p.total if code is None else p.by_rule.get(code, 0) for p in points]
    dates = _dates(points)
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "debt-lints"}):
        figure = figure_class(figsize=(7.5, 2.6), layout="constrained")
        axes = figure.add_subplot()
        # The count holds until the next commit changes it: a step after each point.
        # matplotlib's unit converters take datetimes; its stubs only list arrays.
        axes.step(dates, counts, where="post", color="#0969da", linewidth=1.8)  # type: ignore[arg-type]
        axes.plot(dates, counts, "o", color="#0969da", markersize=3.5)  # type: ignore[arg-type]
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_ylabel("findings")
        axes.set_ylim(bottom=0, top=max(max(counts, default=0) * 1.1, 1))
        axes.grid(axis="y", color="#d0d7de", linewidth=0.6)
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]  # not annotated upstream
        axes.xaxis.set_major_locator(locator)
        formatter = ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]  # idem
        axes.xaxis.set_major_formatter(formatter)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    # Inline SVG: drop the XML declaration and DOCTYPE, keep the <svg> element.
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    def cell(tag: str, index: int, value: str) -> str:
        css = ' class="n"' if index in numeric else ""
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
    partial = report.partial_line()
    if partial:
        parts.append(f"<p>{esc(partial)}.</p>")
    comparison = report.comparison
    if comparison is not None:
        net = comparison.net(report.total)
        parts.append(
            f"<p>Since <code>{esc(comparison.base)}</code>: {len(comparison.fixed)} fixed, "
            f"{len(comparison.new)} new, net {net:+d} "
            f"({comparison.base_total} &rarr; {report.total}).</p>"
        )
    rules = sorted(report.by_rule().items(), key=lambda kv: (-kv[1], kv[0]))
    parts.append("<h2>By rule</h2>")
    parts.append(
        _table(
            ["Rule", "Findings"],
            [[esc(report.rule_label(code)), str(count)] for code, count in rules],
            {1},
        )
    )
    directories = sorted(report.by_directory().items(), key=lambda kv: (-kv[1], kv[0]))
    parts.append(f"<h2>By directory (depth {report.depth})</h2>")
    parts.append(
        _table(
            ["Directory", "Findings"],
            [[f"<code>{esc(d)}</code>", str(count)] for d, count in directories],
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
                        f"{s.strict_clean}/{s.modules}",
                        f"{s.annotated}/{s.functions}",
                    ]
                    for name, s in sorted(report.typing.packages.items())
                ],
                {1, 2},
            )
        )
    parts.append("<h2>Burn-down</h2>")
    if report.trend:
        last = report.trend[-1]
        parts.append(
            f'<p class="muted">One point per commit that changed the baseline '
            f"({len(report.trend)} commits, the last {esc(last.commit[:10])} on "
            f"{esc(last.date[:10])}).</p>"
        )
        parts.append(f'<div class="chart">{chart("All rules", report.trend, None)}</div>')
        for code in report.codes():
            title = report.rule_label(code)
            parts.append(f'<div class="chart">{chart(title, report.trend, code)}</div>')
    else:
        parts.append(
            '<p class="muted">No history: the baseline file is not committed in a git '
            "repository yet.</p>"
        )
    if report.unreadable:
        skipped = ", ".join(esc(sha[:10]) for sha in report.unreadable)
        parts.append(f'<p class="muted">Skipped unreadable versions at {skipped}.</p>')
    parts.append("</body></html>")
    page = "\n".join(parts) + "\n"
    return _strip_svg_comments(page)


def _strip_svg_comments(page: str) -> str:
    """matplotlib's SVG carries a generator comment per chart; one page needs none."""
    return re.sub(r"<!-- Created with matplotlib.*?-->\n?", "", page)
