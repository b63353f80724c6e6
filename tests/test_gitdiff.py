"""``check --changed-since REF`` and the diff parsing behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.running.gitdiff import parse_diff
from tests.gitutil import commit_all, git, init_repo, isolate_git
from tests.sample_project import finding_lines

INJECT = "sys.path.insert(0, 'vendor')\n"


def test_parse_diff_hunks_deletions_and_quoted_names() -> None:
    diff = (
        "diff --git a/pkg/a.py b/pkg/a.py\n"
        "index 1..2 100644\n"
        "--- a/pkg/a.py\n"
        "+++ b/pkg/a.py\n"
        "@@ -3 +3 @@ def f():\n"
        "-old\n"
        "+new\n"
        "@@ -10,0 +11,3 @@\n"
        "+a\n+b\n+c\n"
        "@@ -20,2 +22,0 @@\n"  # pure deletion: no line of the new file changed
        "-x\n-y\n"
        "diff --git a/gone.py b/gone.py\n"
        "deleted file mode 100644\n"
        "--- a/gone.py\n"
        "+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n"
        "-a\n-b\n"
        'diff --git "a/d\\303\\251j\\303\\240 vu.py" "b/d\\303\\251j\\303\\240 vu.py"\n'
        '--- "a/d\\303\\251j\\303\\240 vu.py"\n'
        '+++ "b/d\\303\\251j\\303\\240 vu.py"\n'
        "@@ -0,0 +1,2 @@\n"
        "+x\n+y\n"
        "diff --git a/with space.py b/with space.py\n"
        "--- a/with space.py\t\n"
        "+++ b/with space.py\t\n"
        "@@ -1 +1 @@\n"
        "-a\n+b\n"
    )
    assert parse_diff(diff) == {
        "pkg/a.py": ((3, 3), (11, 13)),
        "déjà vu.py": ((1, 2),),
        "with space.py": ((1, 1),),
    }


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(monkeypatch, tmp_path / "home")
    root = init_repo(tmp_path / "repo")
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (root / "pkg").mkdir()
    (root / "pkg" / "old.py").write_text(
        "import sys\n" + INJECT + "\n\ndef f():\n    return 1\n", encoding="utf-8"
    )
    (root / "pkg" / "other.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    commit_all(root, "initial")
    monkeypatch.chdir(root)
    return root


def check(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, "".join(line + "\n" for line in finding_lines(out)), err


def lines_reported(out: str) -> list[str]:
    return [":".join(line.split(":")[:2]) for line in out.splitlines()]


def test_only_findings_on_changed_lines(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lines_reported(check([], capsys)[1]) == ["pkg/old.py:2", "pkg/other.py:2"]
    old = repo / "pkg" / "old.py"
    # One new injection inside f(), plus lines inserted above the old one.
    old.write_text(
        "import sys\n# note\n" + INJECT + "\n\ndef f():\n    " + INJECT + "    return 1\n",
        encoding="utf-8",
    )
    code, out, _ = check(["--changed-since", "HEAD"], capsys)
    assert (code, lines_reported(out)) == (1, ["pkg/old.py:7"])
    # Staged changes count as well as unstaged ones.
    git(repo, "add", "-A")
    assert lines_reported(check(["--changed-since", "HEAD"], capsys)[1]) == ["pkg/old.py:7"]


def test_editing_the_offending_line_reports_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = repo / "pkg" / "other.py"
    other.write_text("import sys\nsys.path.insert(0, 'other')\n", encoding="utf-8")
    code, out, _ = check(["--changed-since", "HEAD"], capsys)
    assert (code, lines_reported(out)) == (1, ["pkg/other.py:2"])


def test_untracked_files_count_as_wholly_changed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pkg" / "new.py").write_text("import sys\n\n" + INJECT, encoding="utf-8")
    (repo / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    (repo / "ignored.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    code, out, _ = check(["--changed-since", "HEAD"], capsys)
    assert (code, lines_reported(out)) == (1, ["pkg/new.py:3"])


def test_no_change_means_no_finding(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(["--changed-since", "HEAD"], capsys)[:2] == (0, "")


def test_changes_since_an_older_commit_and_paths_narrow_the_run(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "pkg" / "other.py").write_text("import sys\n" + INJECT + INJECT, encoding="utf-8")
    (repo / "top.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    commit_all(repo, "more")
    code, out, _ = check(["--changed-since", first], capsys)
    assert (code, lines_reported(out)) == (1, ["pkg/other.py:3", "top.py:2"])
    assert lines_reported(check(["--changed-since", first, "pkg"], capsys)[1]) == ["pkg/other.py:3"]


def test_from_a_subdirectory(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "pkg" / "other.py").write_text("import sys\n" + INJECT + INJECT, encoding="utf-8")
    (repo / "top.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    monkeypatch.chdir(repo / "pkg")
    code, out, _ = check(["--changed-since", "HEAD"], capsys)
    assert (code, lines_reported(out)) == (1, ["other.py:3"])


def test_bad_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(["--changed-since", "no-such-branch"], capsys)
    assert (code, out) == (2, "")
    assert err == "debt-lints: error: --changed-since: unknown git ref 'no-such-branch'\n"
    code, _, err = check(["--changed-since=--output=/tmp/x"], capsys)
    assert code == 2 and "not a git ref" in err


def test_outside_a_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    monkeypatch.chdir(plain)
    code, out, err = check(["--changed-since", "HEAD"], capsys)
    assert (code, out) == (2, "")
    assert "needs a git repository" in err and err.count("\n") == 1


def test_with_a_baseline_only_the_analysed_files_are_pruned(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from debt_lints.baseline.store import load

    monkeypatch.delenv("CI", raising=False)
    (repo / "pkg" / "third.py").write_text("import sys\n" + INJECT, encoding="utf-8")
    assert main(["baseline", "create"]) == 0
    commit_all(repo, "baseline")
    capsys.readouterr()

    def entries() -> list[tuple[str, int]]:
        baseline = load(repo / "debt-lints-baseline.json")
        assert baseline is not None
        return [(e.path, e.line) for e in baseline.entries]

    assert entries() == [("pkg/old.py", 2), ("pkg/other.py", 2), ("pkg/third.py", 2)]
    # Fix other.py; edit old.py below its known finding; leave third.py alone.
    (repo / "pkg" / "other.py").write_text("import sys\n", encoding="utf-8")
    with (repo / "pkg" / "old.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef g():\n    return 2\n")
    # In CI the stale entry fails the run and nothing is written.
    code, out, err = check(["--changed-since", "HEAD", "--ci"], capsys)
    assert (code, out) == (4, "") and "stale" in err
    assert len(entries()) == 3
    # Locally the fixed entry is pruned; old.py's known finding on an
    # unchanged line and third.py (not analysed) keep theirs.
    code, out, _ = check(["--changed-since", "HEAD"], capsys)
    assert (code, out) == (0, "")
    assert entries() == [("pkg/old.py", 2), ("pkg/third.py", 2)]
