"""The baseline's promises, each on a temporary git repository.

Every test starts from a copy of ``examples/legacy-monorepo`` plus a few
files of our own with known ``sys.path`` debt (DL201), so that it keeps
working while the demo grows. Assertions are about *our* lines and about
relations (new versus known), never about the demo's exact findings.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from tests.sample_project import finding_lines

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "legacy-monorepo"
BASELINE = "debt-lints-baseline.json"
#: How check, --ci and report name the entries the configuration keeps out.
NO_LONGER = "of files or rules the configuration no longer checks"

LOADER = """\
import os
import sys

HERE = os.path.dirname(__file__)
VENDOR = os.path.join(HERE, "vendor")
sys.path.insert(0, HERE)
sys.path.insert(0, VENDOR)


def setup_plugins(name):
    root = os.path.join(VENDOR, name)
    sys.path.append(root)
    return root


class Bootstrap:
    def run(self, name):
        extra = os.path.join(HERE, name)
        sys.path.insert(0, extra)
"""

TOOLS = """\
import os
import sys

TOOLS = "tools"
sys.path.append(TOOLS)


def main(name):
    # A folder of the code's own layout: DL201 reports it in a function too.
    lib = os.path.join(TOOLS, name)
    sys.path.insert(0, lib)
    return lib
"""


class Repo:
    """A temporary git repository with a committed baseline, and the CLI run in it."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def dl(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        if argv[:1] == ("check",) and "--output-format" not in argv:
            # The findings' header lines: these scenarios are about which findings.
            out = "".join(line + "\n" for line in finding_lines(out))
        return code, out, err

    def git(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *argv], cwd=self.root, capture_output=True, text=True, check=check
        )

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text
        self.write(rel, text.replace(old, new, 1))

    def baseline_text(self) -> str:
        return self.read(BASELINE)

    def entries(self) -> list[str]:
        return self.baseline_text().splitlines()[1:-1]

    def new_lines(self, out: str) -> list[str]:
        """Printed findings as ``path:line: CODE``."""
        return [
            ":".join(line.split(":")[:2]) + ":" + line.split(": ")[1].split()[0]
            for line in finding_lines(out)
        ]


@pytest.fixture()
def repo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Repo:
    root = tmp_path / "repo"
    # Caches a developer may have left in the demo (mypy, debt-lints) are not part of it.
    shutil.copytree(
        EXAMPLE, root, ignore=shutil.ignore_patterns(".debt-lints-cache", "__pycache__")
    )
    # These scenarios are about per-file debt: the demo's opt-in whole-repository
    # rules (DL6) would call the scenario's added modules unused.
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace('select = ["DL", "DL6"]\n', "")
    # Nor the map entry the demo keeps for DL003, reported on pyproject.toml:
    # the scenarios edit that file.
    metrics = '"main_pc_code.utils.legacy_metrics_support" = "common.utils.metrics"\n'
    assert metrics in text
    pyproject.write_text(text.replace(metrics, ""), encoding="utf-8")
    (root / "legacy").mkdir()
    (root / "legacy" / "loader.py").write_text(LOADER, encoding="utf-8")
    (root / "legacy" / "tools.py").write_text(TOOLS, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    r = Repo(root, capsys)
    r.git("init", "-q", "-b", "main")
    r.commit("legacy code")
    code, _, err = r.dl("baseline", "create")
    assert code == 0, err
    r.commit("adopt debt-lints")
    return r


def loader_line(repo: Repo, text: str) -> int:
    return repo.read("legacy/loader.py").splitlines().index(text) + 1


def test_create_records_every_finding_and_check_is_then_clean(repo: Repo) -> None:
    _, out, _ = repo.dl("check", "--no-baseline")
    assert len(finding_lines(out)) == len(repo.entries()) >= 7
    code, out, err = repo.dl("check")
    assert (code, finding_lines(out)) == (0, [])
    assert f"{len(repo.entries())} known findings matched the baseline" in err
    code, _, err = repo.dl("baseline", "create")
    assert code == 2 and "already exists" in err and "--force" in err


def test_forty_blank_lines_above_is_not_new(repo: Repo) -> None:
    repo.write("legacy/loader.py", "\n" * 40 + repo.read("legacy/loader.py"))
    before = repo.baseline_text()
    assert repo.dl("check")[:2] == (0, "")
    assert repo.dl("check", "--ci")[:2] == (0, "")
    assert repo.baseline_text() == before


def test_duplicated_line_is_exactly_one_new_finding_at_the_duplicate(repo: Repo) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "sys.path.insert(0, HERE)\n" * 2)
    code, out, _ = repo.dl("check")
    assert code == 1
    assert repo.new_lines(out) == [
        f"legacy/loader.py:{loader_line(repo, 'sys.path.insert(0, HERE)') + 1}:DL201"
    ]


def test_duplicate_after_lines_moved_is_still_the_duplicate(repo: Repo) -> None:
    text = repo.read("legacy/loader.py").replace(
        "sys.path.insert(0, HERE)\n", "sys.path.insert(0, HERE)\n" * 2
    )
    repo.write("legacy/loader.py", "# moved\n" * 40 + text)
    code, out, _ = repo.dl("check")
    assert code == 1
    assert repo.new_lines(out) == [f"legacy/loader.py:{6 + 40 + 1}:DL201"]


def test_fix_one_and_add_one_of_the_same_rule_is_one_pruned_and_one_new(repo: Repo) -> None:
    repo.edit("legacy/tools.py", "sys.path.append(TOOLS)\n", "")
    repo.edit("legacy/tools.py", "    return lib\n", "    sys.path.append(lib)\n    return lib\n")
    count = len(repo.entries())
    code, out, err = repo.dl("check")
    assert code == 1
    new_line = repo.read("legacy/tools.py").splitlines().index("    sys.path.append(lib)") + 1
    assert repo.new_lines(out) == [f"legacy/tools.py:{new_line}:DL201"]
    assert "1 baseline entry no longer match" in err
    assert len(repo.entries()) == count  # never pruned while there is new debt
    code, out, err = repo.dl("baseline", "add", "--reason", "plugin loader, see #12")
    assert code == 0 and repo.new_lines(out) == [f"legacy/tools.py:{new_line}:DL201"]
    code, _, err = repo.dl("check")
    assert code == 0 and "removed 1 fixed finding" in err
    assert len(repo.entries()) == count
    assert sum('"reason": "plugin loader, see #12"' in e for e in repo.entries()) == 1


def test_fixes_are_pruned_locally_and_stale_in_ci(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "")
    repo.edit("legacy/loader.py", "    sys.path.append(root)\n", "")
    before = repo.baseline_text()
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (4, [])
    assert "baseline is stale: 2 entries" in err and "run 'debt-lints check'" in err
    monkeypatch.setenv("CI", "true")
    assert repo.dl("check")[0] == 4
    assert repo.baseline_text() == before  # CI never writes
    monkeypatch.setenv("CI", "false")
    code, out, err = repo.dl("check")
    assert (code, finding_lines(out)) == (0, [])
    assert "removed 2 fixed findings" in err and "legacy/loader.py" in err
    assert len(repo.entries()) == len(before.splitlines()) - 4
    assert repo.dl("check", "--ci")[0] == 0


def test_partial_runs_prune_only_what_they_checked(repo: Repo) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "")
    before = repo.baseline_text()
    assert repo.dl("check", "legacy/tools.py")[:2] == (0, "")
    assert repo.dl("check", "main_pc_code")[:2] == (0, "")
    assert repo.dl("check", "--select", "DL001")[:2] == (0, "")
    assert repo.baseline_text() == before
    code, _, err = repo.dl("check", "legacy/loader.py")
    assert code == 0 and "removed 1 fixed finding" in err
    assert len(repo.entries()) == len(before.splitlines()) - 3


def test_git_mv_keeps_the_known_findings(repo: Repo) -> None:
    (repo.root / "legacy" / "tooling").mkdir()
    repo.git("mv", "legacy/tools.py", "legacy/tooling/tools.py")
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (0, [])
    assert "legacy/tools.py was renamed to legacy/tooling/tools.py" in err
    count = len(repo.entries())
    assert repo.dl("check")[:2] == (0, "")
    assert len(repo.entries()) == count
    assert not any('"legacy/tools.py"' in e for e in repo.entries())
    repo.commit("move tools")
    assert repo.dl("ratchet", "--base", "HEAD~1")[0] == 0


def test_ambiguous_move_is_new(repo: Repo) -> None:
    repo.git("mv", "legacy/tools.py", "legacy/tools_a.py")
    shutil.copy(repo.root / "legacy" / "tools_a.py", repo.root / "legacy" / "tools_b.py")
    code, out, _ = repo.dl("check")
    assert code == 1 and len(finding_lines(out)) == 4


def test_deleted_file_entries_are_stale_then_pruned(repo: Repo) -> None:
    repo.git("rm", "-q", "legacy/tools.py")
    assert repo.dl("check", "--ci")[0] == 4
    code, _, err = repo.dl("check")
    assert code == 0 and "removed 2 fixed findings" in err
    assert not any("legacy/tools.py" in e for e in repo.entries())


def test_regenerating_with_new_debt_fails_the_ratchet(repo: Repo) -> None:
    repo.edit("legacy/tools.py", "    return lib\n", "    sys.path.append(lib)\n    return lib\n")
    assert repo.dl("check")[0] == 1
    code, _, err = repo.dl("baseline", "create", "--force")
    assert code == 0 and "(1 new)" in err
    repo.commit("launder")
    code, out, _ = repo.dl("ratchet", "--base", "HEAD~1")
    assert code == 1 and out.startswith("no reason: legacy/tools.py:")


def test_growth_with_a_reason_passes_the_ratchet(repo: Repo) -> None:
    repo.edit("legacy/tools.py", "    return lib\n", "    sys.path.append(lib)\n    return lib\n")
    assert repo.dl("baseline", "add", "--reason", "temporary, ticket 7")[0] == 0
    repo.commit("accepted debt")
    code, out, _ = repo.dl("ratchet", "--base", "HEAD~1")
    assert code == 0 and "temporary, ticket 7" in out


def _fix_on_branch(repo: Repo, branch: str, rel: str, line: str) -> None:
    repo.git("checkout", "-q", "-b", branch, "main")
    indent = line[: len(line) - len(line.lstrip())]
    repo.edit(rel, line, f"{indent}pass\n" if indent else "")
    code, _, err = repo.dl("check")
    assert code == 0 and "removed 1 fixed finding" in err
    repo.commit(f"fix {line.strip()}")


def test_branches_fixing_different_debt_merge_cleanly(repo: Repo) -> None:
    _fix_on_branch(repo, "a", "legacy/loader.py", "sys.path.insert(0, HERE)\n")
    _fix_on_branch(repo, "b", "legacy/tools.py", "    sys.path.insert(0, lib)\n")
    repo.git("checkout", "-q", "a")
    merged = repo.git("merge", "-q", "--no-edit", "b", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert repo.dl("check", "--ci")[:2] == (0, "")


def _adjacent_fixes(repo: Repo) -> None:
    # The last entry of loader.py and the first of tools.py sit on adjacent
    # lines of the baseline: a plain textual merge would conflict.
    _fix_on_branch(repo, "a", "legacy/loader.py", "        sys.path.insert(0, extra)\n")
    _fix_on_branch(repo, "b", "legacy/tools.py", "sys.path.append(TOOLS)\n")
    repo.git("checkout", "-q", "a")


def test_merge_driver_merges_adjacent_fixes_tightly(repo: Repo) -> None:
    repo.write(".gitattributes", f"{BASELINE} merge=debt-lints-baseline\n")
    repo.commit("merge driver")
    driver = f"{sys.executable} -m debt_lints baseline merge %O %A %B"
    repo.git("config", "merge.debt-lints-baseline.driver", driver)
    _adjacent_fixes(repo)
    merged = repo.git("merge", "-q", "--no-edit", "b", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert repo.dl("check", "--ci")[:2] == (0, "")


def test_merge_union_never_conflicts_and_ci_flags_the_over_suppression(repo: Repo) -> None:
    repo.write(".gitattributes", f"{BASELINE} merge=union\n")
    repo.commit("union")
    _adjacent_fixes(repo)
    merged = repo.git("merge", "-q", "--no-edit", "b", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    code, _, err = repo.dl("check", "--ci")
    assert code == 4 and "stale" in err
    assert repo.dl("check")[0] == 0
    assert repo.dl("check", "--ci")[:2] == (0, "")


def test_a_failed_write_leaves_the_old_file(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "")
    before = repo.baseline_text()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    code, _, err = repo.dl("check")
    monkeypatch.undo()
    # The check passed; a prune that cannot be written is a warning (issue 14).
    assert code == 0 and BASELINE in err and "No space left" in err and "warning" in err
    assert repo.baseline_text() == before
    leftovers = [p.name for p in repo.root.iterdir() if p.name.startswith(".debt")]
    assert [name for name in leftovers if name != ".debt-lints-cache"] == []


def test_a_killed_write_leaves_the_old_file(repo: Repo) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "")
    before = repo.baseline_text()
    script = (
        "import os, signal, sys\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from debt_lints.adapters.cli import main\n"
        "sys.exit(main(['check']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run([sys.executable, "-c", script], cwd=repo.root, env=env, check=False)
    assert done.returncode == -signal.SIGKILL
    assert repo.baseline_text() == before
    # The next run is not blocked by the dead one, and prunes.
    code, _, err = repo.dl("check")
    assert code == 0 and "removed 1 fixed finding" in err


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON (truncated?)"),
        (lambda text: "<<<<<<< HEAD\n" + text + "=======\n>>>>>>> b\n", "merge conflict"),
        (lambda text: text.replace('"version": 1', '"version": 2'), "version 2"),
        (lambda text: text.replace('"path": "legacy/', '"path": "../legacy/', 1), "'..'"),
    ],
)
def test_a_broken_baseline_is_a_clear_error_and_is_not_overwritten(
    repo: Repo, damage: object, problem: str
) -> None:
    assert callable(damage)
    broken = damage(repo.baseline_text())
    repo.write(BASELINE, broken)
    for argv in (["check"], ["check", "--ci"], ["baseline", "create", "--force"]):
        code, out, err = repo.dl(*argv)
        assert (code, finding_lines(out)) == (2, [])
        assert err.startswith(f"debt-lints: error: {repo.root / BASELINE}") and problem in err
        assert repo.baseline_text() == broken
    assert repo.dl("check", "--no-baseline")[0] == 1


def test_running_from_a_subdirectory_uses_root_relative_paths(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.edit("legacy/loader.py", "sys.path.insert(0, HERE)\n", "")
    monkeypatch.chdir(repo.root / "legacy")
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (4, [])
    assert "legacy/loader.py:6: DL201" in err
    code, _, err = repo.dl("check")
    assert code == 0 and "removed 1 fixed finding" in err
    assert repo.dl("check", "--ci")[:2] == (0, "")


def test_baseline_key_moves_the_file(repo: Repo) -> None:
    pyproject = repo.read("pyproject.toml")
    assert "[tool.debt-lints]" in pyproject
    repo.edit(
        "pyproject.toml",
        "[tool.debt-lints]\n",
        '[tool.debt-lints]\nbaseline = "quality/known-debt.json"\n',
    )
    assert repo.dl("check")[0] == 1  # the default file is no longer used
    assert repo.dl("baseline", "create")[0] == 0
    assert (repo.root / "quality" / "known-debt.json").read_text(
        encoding="utf-8"
    ) == repo.baseline_text()
    assert repo.dl("check")[:2] == (0, "")


def test_a_run_with_other_rule_options_does_not_prune_that_rules_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints.deprecated-imports]\n"old.mod" = "new.mod"\n', encoding="utf-8"
    )
    (tmp_path / "alt.toml").write_text(
        '[deprecated-imports]\n"other.mod" = "new.mod"\n', encoding="utf-8"
    )
    (tmp_path / "a.py").write_text(
        "import sys\n\nimport old.mod\n\nsys.path.insert(0, old.mod.HERE)\n", encoding="utf-8"
    )
    (tmp_path / "new").mkdir()  # the map's replacement exists (else DL003)
    (tmp_path / "new" / "mod.py").write_text("HERE = 'x'\n", encoding="utf-8")
    repo = Repo(tmp_path, capsys)
    assert repo.dl("baseline", "create")[0] == 0
    assert '"options": {"DL101": ' in repo.baseline_text().splitlines()[0]
    codes = sorted(e.split('"code": "')[1][:5] for e in repo.entries())
    assert codes == ["DL101", "DL201"]
    repo.edit("a.py", "sys.path.insert(0, old.mod.HERE)\n", "")
    code, _, err = repo.dl("check", "--config", "alt.toml")
    assert code == 0
    assert "the options of DL101 differ" in err and "removed 1 fixed finding" in err
    assert [e.split('"code": "')[1][:5] for e in repo.entries()] == ["DL101"]
    assert repo.dl("check", "--ci")[:2] == (0, "")


def test_ratchet_usage_errors(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = repo.dl("ratchet", "--base", "no-such-ref")
    assert code == 2 and "unknown git ref 'no-such-ref'" in err
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    (outside / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = repo.dl("ratchet", "--base", "HEAD")
    assert code == 2 and "not inside a git repository" in err


def _exclude_legacy(repo: Repo) -> None:
    repo.edit(
        "pyproject.toml",
        "[tool.debt-lints]\n",
        '[tool.debt-lints]\nextend-exclude = ["legacy"]\n',
    )


def test_entries_of_a_folder_excluded_later_are_stale_pruned_and_not_reported(
    repo: Repo,
) -> None:
    """A folder excluded after the baseline exists: its debt is no longer checked,
    so its entries go (they are not known debt any more, nor fixed)."""
    legacy = sum('"legacy/' in e for e in repo.entries())
    assert legacy == 6
    total = len(repo.entries())
    _exclude_legacy(repo)
    code, out, err = repo.dl("report", "--no-history", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["total"], data["excluded_entries"]) == (total - legacy, legacy)
    code, out, _ = repo.dl("report", "--no-history")
    assert f"{total - legacy} known findings" in out
    assert (
        f"{legacy} entries of files or rules the configuration no longer checks not counted" in out
    )
    # CI: stale, and it says why.
    before = repo.baseline_text()
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (4, []), err
    assert f"{legacy} entries are {NO_LONGER}" in err
    assert "legacy/loader.py: 4 entries" in err
    assert repo.baseline_text() == before
    # Locally, the check prunes them as it prunes fixed debt.
    code, out, err = repo.dl("check")
    assert (code, finding_lines(out)) == (0, []), err
    assert f"removed {legacy} entries {NO_LONGER}" in err
    assert not any('"legacy/' in e for e in repo.entries())
    assert len(repo.entries()) == total - legacy
    assert repo.dl("check", "--ci")[0] == 0


def test_an_excluded_file_given_by_name_drops_its_entries(repo: Repo) -> None:
    """pre-commit passes the staged files: an excluded one's entries go too."""
    _exclude_legacy(repo)
    code, _, err = repo.dl("check", "legacy/tools.py")
    assert code == 0, err
    assert not any('"legacy/tools.py"' in e for e in repo.entries())
    assert sum('"legacy/loader.py"' in e for e in repo.entries()) == 4


def test_baseline_create_force_drops_the_entries_of_excluded_files(repo: Repo) -> None:
    total = len(repo.entries())
    _exclude_legacy(repo)
    code, _, err = repo.dl("baseline", "create", "--force")
    assert code == 0, err
    assert "(0 new, 6 removed)" in err
    assert not any('"legacy/' in e for e in repo.entries())
    assert len(repo.entries()) == total - 6


def _ignore_legacy_in_git(repo: Repo) -> None:
    repo.write(".gitignore", "legacy/\n")


def _per_file_ignore_legacy(repo: Repo) -> None:
    repo.edit(
        "pyproject.toml",
        "[tool.debt-lints]\n",
        '[tool.debt-lints]\nper-file-ignores = { "legacy/*" = ["DL201"] }\n',
    )


def _stop_selecting_dl2(repo: Repo) -> None:
    repo.edit(
        "pyproject.toml",
        "[tool.debt-lints]\n",
        '[tool.debt-lints]\nselect = ["DL0", "DL1", "DL3", "DL4", "DL5"]\n',
    )


@pytest.mark.parametrize(
    "change",
    [_ignore_legacy_in_git, _per_file_ignore_legacy],
    ids=["gitignore", "per-file-ignores"],
)
def test_entries_a_later_gitignore_or_per_file_ignore_keeps_out_are_stale(
    repo: Repo, change: Callable[[Repo], None]
) -> None:
    """Like an exclude (issue 26, item 2): a folder only ``.gitignore`` keeps out of
    the walk, or a rule ``per-file-ignores`` takes off its files, leaves entries
    nothing can match any more: stale, listed by ``--ci``, dropped by ``baseline
    create --force``, not counted by ``report``."""
    total = len(repo.entries())
    legacy = sum('"legacy/' in e for e in repo.entries())
    assert legacy == 6
    change(repo)
    code, out, err = repo.dl("report", "--no-history", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["total"], data["excluded_entries"]) == (total - legacy, legacy)
    before = repo.baseline_text()
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (4, []), err
    assert f"{legacy} entries are {NO_LONGER}" in err
    assert "legacy/loader.py: 4 entries" in err
    assert repo.baseline_text() == before
    code, _, err = repo.dl("baseline", "create", "--force")
    assert code == 0, err
    assert f"(0 new, {legacy} removed)" in err
    assert not any('"legacy/' in e for e in repo.entries())
    assert len(repo.entries()) == total - legacy
    assert repo.dl("check", "--ci")[0] == 0


@pytest.mark.parametrize(
    "change",
    [_ignore_legacy_in_git, _per_file_ignore_legacy],
    ids=["gitignore", "per-file-ignores"],
)
def test_check_prunes_what_a_later_gitignore_or_per_file_ignore_keeps_out(
    repo: Repo, change: Callable[[Repo], None]
) -> None:
    change(repo)
    code, out, err = repo.dl("check")
    assert (code, finding_lines(out)) == (0, []), err
    assert f"removed 6 entries {NO_LONGER}" in err
    assert not any('"legacy/' in e for e in repo.entries())
    assert repo.dl("check", "--ci")[0] == 0


def test_a_gitignored_file_named_on_the_command_line_keeps_its_known_debt(repo: Repo) -> None:
    """pre-commit names the staged file: ``.gitignore`` does not apply to it, so its
    findings are still matched (known debt), and nothing is pruned."""
    _ignore_legacy_in_git(repo)
    before = repo.baseline_text()
    code, out, err = repo.dl("check", "--ci", "legacy/tools.py")
    assert (code, finding_lines(out)) == (0, []), err
    assert repo.baseline_text() == before


def test_entries_of_a_rule_taken_out_of_select_are_stale(repo: Repo) -> None:
    """A rule the configuration no longer selects never runs again: its entries are
    stale. A narrower ``--select`` on the command line is one run: it prunes nothing."""
    total = len(repo.entries())
    dl2 = sum('"code": "DL2' in e for e in repo.entries())
    assert dl2 >= 6
    before = repo.baseline_text()
    assert repo.dl("check", "--ci", "--select", "DL1")[0] == 0
    assert repo.dl("check", "--select", "DL1")[0] == 0
    assert repo.baseline_text() == before
    _stop_selecting_dl2(repo)
    code, out, err = repo.dl("report", "--no-history", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["excluded_entries"] == dl2
    code, out, err = repo.dl("check", "--ci")
    assert (code, finding_lines(out)) == (4, []), err
    assert f"{dl2} entries are {NO_LONGER}" in err
    assert repo.baseline_text() == before
    code, _, err = repo.dl("check")
    assert code == 0, err
    assert not any('"code": "DL2' in e for e in repo.entries())
    assert len(repo.entries()) == total - dl2
    assert repo.dl("check", "--ci")[0] == 0
