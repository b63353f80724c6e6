"""``debt-lints report`` on a temporary git repository whose baseline shrinks."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.baseline.store import Baseline, Entry, dumps
from debt_lints.report.data import TrendPoint, directory_of
from tests.gitutil import commit_all, git, init_repo, isolate_git

BASELINE = "debt-lints-baseline.json"


def entry(
    path: str, code: str = "DL201", line: int = 1, scope: str = "", reason: str = ""
) -> Entry:
    digest = f"{abs(hash((path, code, line, scope))) % 16**16:016x}"
    return Entry(path, line, code, scope, digest, reason)


#: The debt at the first commit: 6 entries in three directories.
FIRST = [
    entry("agents/a/main.py", line=3),
    entry("agents/a/main.py", line=9, scope="Agent.run"),
    entry("agents/b/util.py", code="DL501", line=5),
    entry("agents/b/util.py", code="DL501", line=7),
    entry("services/api.py", line=2),
    entry("setup.py", code="DL101", line=1),
]


def write(repo: Path, entries: list[Entry]) -> None:
    (repo / BASELINE).write_text(dumps(Baseline.of(entries)), encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Four commits: create (6), unrelated, fix two (4), fix one and add one with a reason (4)."""
    isolate_git(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "repo")
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    write(root, FIRST)
    commit_all(root, "Create the baseline", date="2026-01-05T10:00:00+00:00")
    (root / "README").write_text("unrelated\n", encoding="utf-8")
    commit_all(root, "Unrelated change", date="2026-01-06T10:00:00+00:00")
    write(root, FIRST[:2] + FIRST[3:5])
    commit_all(root, "Fix util and setup", date="2026-01-12T10:00:00+00:00")
    write(root, [*FIRST[:1], *FIRST[3:5], entry("services/api.py", line=8, reason="vendored")])
    commit_all(root, "Fix Agent.run, accept vendored", date="2026-01-20T10:00:00+00:00")
    monkeypatch.chdir(root)
    return root


def report(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_directory_depth() -> None:
    assert directory_of("agents/a/main.py", 1) == "agents"
    assert directory_of("agents/a/main.py", 2) == "agents/a"
    assert directory_of("agents/a/main.py", 5) == "agents/a"
    assert directory_of("setup.py", 2) == "."
    assert directory_of("agents/a/main.py", 0) == "."


def test_json_totals_and_trend(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(["--format", "json", "--depth", "1"], capsys)
    assert code == 0
    data = json.loads(out)
    assert (data["schema"], data["version"], data["total"]) == ("debt-lints-report", 1, 4)
    assert {r["code"]: r["count"] for r in data["by_rule"]} == {"DL201": 3, "DL501": 1}
    assert next(r["name"] for r in data["by_rule"] if r["code"] == "DL201") == (
        "sys-path-injection"
    )
    assert data["by_directory"] == [
        {"directory": "agents", "count": 2},
        {"directory": "services", "count": 2},
    ]
    # One point per commit that changed the baseline, oldest first; not the unrelated one.
    trend = data["trend"]
    assert [p["subject"] for p in trend] == [
        "Create the baseline",
        "Fix util and setup",
        "Fix Agent.run, accept vendored",
    ]
    assert [p["total"] for p in trend] == [6, 4, 4]
    assert trend[0]["by_rule"] == {"DL101": 1, "DL201": 3, "DL501": 2}
    assert trend[1]["by_rule"] == {"DL201": 3, "DL501": 1}
    assert trend[0]["date"].startswith("2026-01-05T10:00:00")
    assert all(re.fullmatch(r"[0-9a-f]{40}", p["commit"]) for p in trend)
    assert "comparison" not in data


def test_depth_two_by_default(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(report(["--format", "json"], capsys)[1])
    assert data["depth"] == 2
    assert data["by_directory"] == [
        {"directory": "agents/a", "count": 1},
        {"directory": "agents/b", "count": 1},
        {"directory": "services", "count": 2},
    ]


def test_markdown_pr_comment_against_a_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    code, out, _ = report(["--format", "markdown", "--base", first], capsys)
    assert code == 0
    assert out.startswith("### debt-lints: known debt 6 \u2192 4 (\u22122)\n")
    # 3 fixed (setup DL101, one DL501, Agent.run DL201), 1 new with its reason.
    assert "3 findings fixed, 1 new, net \u22122 since" in out
    rows = {line.split(" | ")[0]: line for line in out.splitlines() if line.startswith("| ")}
    assert rows["| DL201 sys-path-injection"].endswith("| 3 | 3 | 1 | 1 | 0 |")
    assert rows["| **Total**"] == "| **Total** | 6 | 4 | 3 | 1 | **\u22122** |"
    assert "- `services/api.py:8` DL201: vendored" in out
    assert "- `agents/a/main.py:9` DL201 in `Agent.run`" in out
    assert "did not change" not in out
    # Against the previous commit only DL201 changed: the table lists only it.
    out = report(["--format", "markdown", "--base", "HEAD~1"], capsys)[1]
    rule_rows = [line for line in out.splitlines() if line.startswith("| DL")]
    assert rule_rows == ["| DL201 sys-path-injection | 3 | 3 | 1 | 1 | 0 |"]
    assert "1 other rule with known debt did not change." in out
    json_out = json.loads(report(["--format", "json", "--base", first], capsys)[1])
    comparison = json_out["comparison"]
    assert (comparison["fixed"], comparison["new"], comparison["net"]) == (3, 1, -2)
    assert comparison["new_entries"][0]["reason"] == "vendored"


def test_base_without_a_baseline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "--orphan", "fresh")
    (repo / BASELINE).unlink()
    commit_all(repo, "no baseline here")
    write(repo, FIRST[:2])
    data = json.loads(report(["--format", "json", "--base", "fresh"], capsys)[1])
    assert data["comparison"]["base_missing"] is True
    assert (data["comparison"]["new"], data["comparison"]["net"]) == (2, 2)


def test_text_format(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report([], capsys)
    assert code == 0
    assert out.startswith(f"{BASELINE}: 4 known findings\n")
    assert "       3  DL201 sys-path-injection\n" in out
    assert "Trend (3 commits changed the baseline):" in out
    assert re.search(r"2026-01-12  [0-9a-f]{10}       4 \(\u22122\) +Fix util and setup", out)


def test_html_page_is_self_contained_with_a_chart_per_rule(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    code, out, _ = report(["--format", "html", "--output-file", str(target)], capsys)
    assert (code, out) == (0, "")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    # "All rules" plus the rules that changed: DL101 (fixed now) and DL501. DL201
    # stayed at 3 (one fixed, one accepted): one line, not a flat chart.
    assert len(svgs) == 3
    for svg in svgs:
        ET.fromstring(svg)  # each chart is well-formed XML
    for title in ("All rules", "DL101", "DL501"):
        assert title in page
    assert "Unchanged over this history: DL201 sys-path-injection (3)." in page
    # The page leads with the burn-down, then the directories, then the rules.
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:3] == ["Burn-down", "By directory (depth 2)", "By rule"]
    assert page.index("<svg") < page.index("<h2>By directory")
    # Self-contained: nothing is fetched.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page


def test_no_history_outside_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    write(plain, FIRST)
    monkeypatch.chdir(plain)
    data = json.loads(report(["--format", "json"], capsys)[1])
    assert (data["total"], data["trend"]) == (6, [])
    code, _, err = report(["--base", "HEAD"], capsys)
    assert code == 2 and err.count("\n") == 1


def test_missing_baseline_and_bad_ref_are_usage_errors(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = report(["--base", "no-such-ref"], capsys)
    assert code == 2 and "no-such-ref" in err and err.count("\n") == 1
    (repo / BASELINE).unlink()
    code, _, err = report([], capsys)
    assert code == 2 and "no baseline file" in err


def test_trend_follows_the_first_parent_and_skips_unreadable_versions(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "checkout", "-q", "-b", "topic")
    write(repo, FIRST[:1])
    commit_all(repo, "topic: fix two", date="2026-01-21T10:00:00+00:00")
    write(repo, [])
    commit_all(repo, "topic: fix the rest", date="2026-01-22T10:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    (repo / BASELINE).write_text("<<<<<<< ours\n", encoding="utf-8")
    commit_all(repo, "broken by hand", date="2026-01-23T10:00:00+00:00")
    write(repo, [*FIRST[:1], *FIRST[3:5], entry("services/api.py", line=8, reason="vendored")])
    commit_all(repo, "repaired", date="2026-01-24T10:00:00+00:00")
    git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "-X",
        "theirs",
        "topic",
        "-m",
        "Merge topic",
        env={"GIT_COMMITTER_DATE": "2026-01-25T10:00:00+00:00"},
    )
    data = json.loads(report(["--format", "json"], capsys)[1])
    subjects = [p["subject"] for p in data["trend"]]
    # The topic's own commits are not on the first-parent line; its merge is.
    assert subjects[-2:] == ["repaired", "Merge topic"]
    assert "topic: fix two" not in subjects
    assert data["trend"][-1]["total"] == 0
    assert len(data["unreadable_commits"]) == 1


def test_html_without_matplotlib_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    code, out, err = report(["--format", "html"], capsys)
    assert (code, out) == (2, "")
    assert "pip install 'debt-lints[report]'" in err


def test_report_modules_do_not_load_matplotlib_for_other_formats() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from debt_lints.adapters.cli import report; "
        "from debt_lints.report import render;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_html_y_axes_fit_the_data() -> None:
    from debt_lints.report.html import y_limits

    low, high = y_limits([355, 354, 351])
    assert 349 <= low < 351 and 355 < high <= 357  # 355 -> 351 fills the chart
    assert y_limits([7, 7]) == (6.0, 8.0)
    assert y_limits([0, 3])[0] == 0.0  # never below zero
    assert y_limits([]) == (0.0, 1.0)


def test_html_directory_view_is_compact(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from debt_lints.report.data import Report
    from debt_lints.report.html import TOP_DIRECTORIES, render_html

    entries = [entry(f"pkg{i}/sub/m.py", line=n + 1) for i in range(95) for n in range(i % 3 + 1)]
    page = render_html(Report(BASELINE, entries, 2))
    shown, folded = page.split("<details>", 1)
    assert shown.count("<code>pkg") == TOP_DIRECTORIES
    assert f"<summary>{95 - TOP_DIRECTORIES} more directories" in folded


def test_html_x_axis_is_one_step_per_commit_labelled_with_its_short_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Commits made in the same minute are three steps, not one vertical line."""
    pytest.importorskip("matplotlib")
    isolate_git(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "repo")
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    shas = []
    for count in (6, 4, 3):
        write(root, FIRST[:count])
        shas.append(commit_all(root, f"{count} left", date="2026-01-05T10:00:00+00:00"))
    monkeypatch.chdir(root)
    code, page, _ = report(["--format", "html"], capsys)
    assert code == 0
    total = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)[0]
    texts = [
        "".join(node.itertext()).strip()
        for node in ET.fromstring(total).iter("{http://www.w3.org/2000/svg}text")
    ]
    assert [sha[:7] for sha in shas] == [t for t in texts if re.fullmatch(r"[0-9a-f]{7}", t)]
    assert not any(re.fullmatch(r"(Jan|2026|10:00).*", t) for t in texts)  # no clock time


def test_commit_ticks_thin_out_but_keep_the_last() -> None:
    from debt_lints.report.data import TrendPoint
    from debt_lints.report.html import MAX_COMMIT_LABELS, commit_ticks

    points = [TrendPoint(f"{i:040x}", "2026-01-05T10:00:00+00:00", "s", {}) for i in range(50)]
    ticks, labels = commit_ticks(points)
    assert len(ticks) <= MAX_COMMIT_LABELS + 1 and ticks[0] == 0 and ticks[-1] == 49
    assert labels[-1] == f"{49:040x}"[:7]
    assert commit_ticks(points[:3]) == ([0, 1, 2], [p.commit[:7] for p in points[:3]])


def _typing_trend() -> list[TrendPoint]:
    """Two commits before typing was adopted, the adoption (523 errors), one after."""
    from debt_lints.report.data import TrendPoint

    rules = {"DL201": 3}
    return [
        TrendPoint("a" * 40, "2026-01-05T10:00:00+00:00", "adopt debt-lints", dict(rules)),
        TrendPoint("b" * 40, "2026-01-06T10:00:00+00:00", "exclude docs", dict(rules)),
        TrendPoint(
            "c" * 40, "2026-01-07T10:00:00+00:00", "adopt typing", {**rules, "mypy[misc]": 523}
        ),
        TrendPoint("d" * 40, "2026-01-08T10:00:00+00:00", "fix one", {**rules, "mypy[misc]": 522}),
    ]


def _svg_texts(svg: str) -> list[str]:
    return [
        "".join(node.itertext()).strip()
        for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    ]


def test_html_typing_chart_starts_at_the_adoption_not_at_zero() -> None:
    """Before typing was adopted its count is unknown: no step up from 0 (a spike)."""
    pytest.importorskip("matplotlib")
    from debt_lints.report.data import Report
    from debt_lints.report.html import render_html

    trend = _typing_trend()
    page = render_html(Report(BASELINE, [entry("a.py")], 2, trend=trend))
    typing_chart = next(
        svg
        for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
        if "Strict typing (mypy --strict errors)" in svg
    )
    texts = _svg_texts(typing_chart)
    assert "not measured" in texts
    # The dashed line says what it marks, on the rules' chart too.
    all_rules = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)[0]
    assert "All rules" in _svg_texts(all_rules)
    assert "typing adopted" in _svg_texts(all_rules)
    assert "typing adopted" in texts
    ticks = [int(t) for t in texts if re.fullmatch(r"\d+", t)]
    assert ticks and min(ticks) >= 500, ticks  # the y axis fits 522..523, not 0..523
    assert [t for t in texts if re.fullmatch(r"[0-9a-f]{7}", t)] == [p.commit[:7] for p in trend]


def test_text_trend_shows_typing_as_unmeasured_before_the_adoption() -> None:
    from debt_lints.report.data import Report
    from debt_lints.report.render import render_text

    text = render_text(Report(BASELINE, [entry("a.py")], 2, trend=_typing_trend()))
    assert re.search(r"typing\s+-\s+adopt debt-lints", text), text
    assert re.search(r"typing\s+-\s+exclude docs", text), text
    assert re.search(r"typing\s+523\s+adopt typing\s+\[typing adopted\]", text), text
    assert re.search(r"typing\s+522\s+fix one", text), text


def test_a_src_layout_is_told_which_depth_splits_its_one_directory() -> None:
    """On twisted every finding is under src/twisted: at the default depth the
    directory table is one row, in every format; the report names the depth
    that splits it."""
    pytest.importorskip("matplotlib")
    from debt_lints.report.data import Report
    from debt_lints.report.html import render_html
    from debt_lints.report.render import render_markdown, render_text

    src = [
        entry("src/twisted/internet/tcp.py"),
        entry("src/twisted/internet/udp.py"),
        entry("src/twisted/names/client.py"),
        entry("src/twisted/python/util.py"),
    ]
    report = Report(BASELINE, src, 2)
    assert report.directory_hint() == (
        "every finding is under src/twisted: --depth 3 splits them into 3 directories"
    )
    assert "(every finding is under src/twisted: --depth 3 splits them" in render_text(report)
    assert "\n\nEvery finding is under src/twisted: --depth 3 splits them" in (
        render_markdown(report)
    )
    assert "Every finding is under src/twisted: --depth 3 splits them" in render_html(report)
    # Nothing to say when the table already splits, or when nothing deeper would.
    assert Report(BASELINE, src, 3).directory_hint() is None
    assert Report(BASELINE, [*src, entry("tools/x.py")], 2).directory_hint() is None
    assert (
        Report(BASELINE, [entry("src/pkg/a.py"), entry("src/pkg/b.py")], 2).directory_hint() is None
    )
    assert "every finding" not in render_text(Report(BASELINE, src, 3))


def test_entries_are_listed_by_path_then_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pull-request comment listed process_twisted.py:13 before :12 (the
    ratchet groups entries by identity, whose hash orders them); a list of
    entries reads like the file, and so does ratchet's."""
    isolate_git(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "repo")
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    late_hash_first = [
        Entry("t/p.py", 12, "DL201", "", "f" * 16),
        Entry("t/p.py", 13, "DL201", "", "0" * 16),
        Entry("t/p.py", 14, "DL201", "", "8" * 16),
    ]
    write(root, late_hash_first)
    commit_all(root, "record")
    write(root, [])
    commit_all(root, "fix them")
    monkeypatch.chdir(root)
    code, out, _ = report(["--format", "markdown", "--base", "HEAD~1", "--no-history"], capsys)
    assert code == 0
    fixed = [line for line in out.splitlines() if line.startswith("- `t/p.py:")]
    assert fixed == ["- `t/p.py:12` DL201", "- `t/p.py:13` DL201", "- `t/p.py:14` DL201"]
    write(root, [replace_reason(e, "accepted") for e in late_hash_first])
    commit_all(root, "accept them again")
    assert main(["ratchet", "--base", "HEAD~1"]) == 0
    accepted = [line for line in capsys.readouterr().out.splitlines() if line.startswith("acc")]
    assert accepted == [f"accepted: t/p.py:{n}: DL201: accepted" for n in (12, 13, 14)]


def replace_reason(e: Entry, reason: str) -> Entry:
    return Entry(e.path, e.line, e.code, e.scope, e.hash, reason)
