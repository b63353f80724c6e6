"""A suppression is not a fix: debt hidden by a new ``# noqa`` stays in the baseline.

The scenario of issue 16: adding ``# flake8: noqa`` to a file with known debt
used to remove its entries (``check`` pruned them), the ratchet accepted it and
the pull-request report counted them as fixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.baseline.store import load
from debt_lints.config import load_config
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.running.runner import enabled_rules
from tests.gitutil import commit_all, init_repo, isolate_git

DEBT = "import sys\n\nsys.path.insert(0, 'vendor')\nsys.path.append('lib')\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.delenv("CI", raising=False)
    root = init_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (root / "loader.py").write_text(DEBT, encoding="utf-8")
    (root / "other.py").write_text("import sys\n\nsys.path.append('x')\n", encoding="utf-8")
    assert main(["baseline", "create"]) == 0
    commit_all(root, "known debt")
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def entries(root: Path) -> list[tuple[str, int, bool]]:
    baseline = load(root / "debt-lints-baseline.json")
    assert baseline is not None
    return [(e.path, e.line, e.suppressed) for e in baseline.entries]


def test_a_file_level_noqa_keeps_the_debt_in_the_baseline(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    (repo / "loader.py").write_text("# flake8: noqa\n" + DEBT, encoding="utf-8")
    # CI: the committed baseline does not say the debt is hidden yet: stale.
    monkeypatch.setenv("CI", "1")
    code, out, err = run(["check"], capsys)
    assert code == 4, err
    assert "now suppressed" in err and "DL201" not in out.split("Found")[0]
    monkeypatch.delenv("CI")
    # Locally the check records it: both entries stay, marked suppressed.
    code, _, err = run(["check"], capsys)
    assert code == 0, err
    assert "hidden by noqa comments" in err
    assert entries(repo) == [("loader.py", 3, True), ("loader.py", 4, True), ("other.py", 3, False)]
    commit_all(repo, "hide the loader's debt")
    # From the cache, the same answer; and CI now passes.
    monkeypatch.setenv("CI", "1")
    assert run(["check"], capsys)[0] == 0
    assert run(["check", "--no-cache"], capsys)[0] == 0
    monkeypatch.delenv("CI")
    # The ratchet: nothing removed, two newly hidden.
    code, out, err = run(["ratchet", "--base", "HEAD~1"], capsys)
    assert code == 0, err
    assert "0 removed" in err and "2 newly hidden by noqa comments" in err
    assert out.count("suppressed: loader.py") == 2
    # The pull-request report: nothing fixed, the hidden debt shown apart.
    code, out, _ = run(["report", "--base", "HEAD~1", "--format", "markdown"], capsys)
    assert code == 0
    assert "0 findings fixed, 0 new, net 0" in out
    assert "2 known findings newly hidden by noqa comments (still debt)" in out
    code, out, _ = run(["report", "--base", "HEAD~1", "--format", "json"], capsys)
    data = json.loads(out)
    assert (data["suppressed"], data["comparison"]["fixed"]) == (2, 0)
    assert data["comparison"]["suppressed"] == 2
    code, out, _ = run(["report", "--no-history"], capsys)
    assert "3 known findings (2 hidden by noqa comments, still debt)" in out


def test_line_noqa_then_fix_then_unsuppress(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "loader.py").write_text(
        "import sys\n\nsys.path.insert(0, 'vendor')  # noqa: DL201\nsys.path.append('lib')\n",
        encoding="utf-8",
    )
    assert run(["check"], capsys)[0] == 0
    assert entries(repo)[:2] == [("loader.py", 3, True), ("loader.py", 4, False)]
    # create --force keeps the hidden debt recorded, with its flag.
    assert run(["baseline", "create", "--force"], capsys)[0] == 0
    assert entries(repo)[:2] == [("loader.py", 3, True), ("loader.py", 4, False)]
    # Removing the comment shows the debt again: still known, flag cleared.
    (repo / "loader.py").write_text(DEBT, encoding="utf-8")
    assert run(["check"], capsys)[0] == 0
    assert entries(repo)[:2] == [("loader.py", 3, False), ("loader.py", 4, False)]
    # Fixing the line under a noqa removes the entry: that is a fix.
    (repo / "loader.py").write_text(
        "import sys\n\nprint(sys.argv)  # noqa: DL201\nsys.path.append('lib')\n", encoding="utf-8"
    )
    code, out, _ = run(["check"], capsys)
    assert code == 1 and "DL002" in out  # the comment now suppresses nothing
    (repo / "loader.py").write_text(
        "import sys\n\nprint(sys.argv)\nsys.path.append('lib')\n", encoding="utf-8"
    )
    assert run(["check"], capsys)[0] == 0
    assert entries(repo) == [("loader.py", 4, False), ("other.py", 3, False)]


def _check(source: str, select: tuple[str, ...] | None = None) -> tuple[list[str], list[str]]:
    config = load_config(cwd=Path.cwd())
    rules = RuleSet(enabled_rules(config, select), config.settings)
    result = check_source(source, "m.py", "m.py", rules)
    assert not result.internal_errors
    shown = [f"{f.line}:{f.code}" for f in result.findings]
    return shown, [f"{f.line}:{f.code}" for f in result.suppressed]


def test_the_engine_records_what_each_comment_suppressed(tmp_path: Path) -> None:
    shown, hidden = _check(
        "import sys\n"
        "sys.path.append('a')  # noqa: DL201\n"
        "sys.path.append('b')  # noqa\n"
        "sys.path.insert(  # noqa: DL2\n    0,\n    'c',\n)\n"
        "x = 1  # noqa: DL201\n"
        "y = 2  # noqa: DL999\n"
        "s = '# noqa: DL201'\n"
    )
    assert hidden == ["2:DL201", "3:DL201", "4:DL201"]
    assert shown == ["8:DL002", "9:DL002"]


def test_unused_noqa_only_judges_rules_that_ran(tmp_path: Path) -> None:
    source = "x = 1  # noqa: DL201\ny = 2  # noqa: DL999\n"
    assert _check(source, select=("DL3", "DL002"))[0] == ["2:DL002"]
    assert _check(source, select=("DL2", "DL002"))[0] == ["1:DL002", "2:DL002"]
    assert _check(source, select=("DL2",))[0] == []


def test_file_level_exemptions_are_judged_and_exempt_dl002(tmp_path: Path) -> None:
    assert _check("# debt-lints: noqa: DL201\nx = 1\n")[0] == ["1:DL002"]
    assert _check("# debt-lints: noqa: DL201\nimport sys\nsys.path.append('a')\n") == (
        [],
        ["3:DL201"],
    )
    # A bare exemption covers DL002 too; a noqa inside a string is not an exemption.
    assert _check("# debt-lints: noqa\nx = 1  # noqa: DL201\n")[0] == []
    assert _check('"""\n# debt-lints: noqa\n"""\nimport sys\nsys.path.append("a")\n') == (
        ["5:DL201"],
        [],
    )


def test_unused_noqa_example_from_its_docs(tmp_path: Path) -> None:
    from debt_lints.docs import sections
    from debt_lints.engine.registry import lookup

    rule = lookup("DL002")
    assert rule is not None and rule.builtin
    body = sections(rule)
    bad = body["Example"].split("```python\n", 1)[1].split("```", 1)[0]
    good = body["Use instead"].split("```python\n", 1)[1].split("```", 1)[0]
    assert [s for s in _check(bad)[0] if s.endswith("DL002")] == ["3:DL002", "4:DL002"]
    assert _check(good)[0] == []


CROSS_FILE_CONFIG = """\
[tool.debt-lints]
select = ["DL", "DL6"]
import-roots = [".", "main_pc_code"]

[tool.debt-lints.deprecated-imports]
"main_pc_code.utils.path_manager" = "common.utils.path_manager"
"""

BASE_AGENT = """\
import zmq


class BaseAgent:
    def __init__(self):
        self.context = zmq.Context.instance()
        self.socket = None

    def cleanup(self):
        if self.socket is not None:
            self.socket.close()
        self.context.term()
"""

#: DL602 (never imported) on line 1, DL101 through an import root on line 2,
#: DL501 through a base class in another module on line 9.
AGENT = """\
import zmq{dl602}
import utils.path_manager{dl101}
from core.base import BaseAgent


class Agent(BaseAgent):
    def __init__(self):
        super().__init__()
        self.pub_socket = self.context.socket(zmq.PUB){dl501}
"""


@pytest.mark.parametrize("cache", [True, False])
def test_a_noqa_on_findings_settled_across_files_is_no_fix(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cache: bool,
) -> None:
    """DL501 through a base class, DL101 through import-roots and DL602 are decided
    against other files; a noqa on them hides the debt, it does not fix it."""
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.delenv("CI", raising=False)
    root = init_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    files = {
        "pyproject.toml": CROSS_FILE_CONFIG,
        "core/__init__.py": "",
        "core/base.py": BASE_AGENT,
        "common/__init__.py": "",
        "common/utils/__init__.py": "",
        "common/utils/path_manager.py": "class PathManager: pass\n",
        "main_pc_code/__init__.py": "",
        "main_pc_code/utils/__init__.py": "",
        "main_pc_code/utils/path_manager.py": "class PathManager: pass\n",
        "main_pc_code/agents/__init__.py": "",
        "main_pc_code/agents/a.py": AGENT.format(dl602="", dl101="", dl501=""),
    }
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    no_cache = [] if cache else ["--no-cache"]
    assert main(["baseline", "create"]) == 0
    agent = [e for e in entries(root) if e[0] == "main_pc_code/agents/a.py"]
    assert agent == [
        ("main_pc_code/agents/a.py", 1, False),
        ("main_pc_code/agents/a.py", 2, False),
        ("main_pc_code/agents/a.py", 9, False),
    ]
    commit_all(root, "known debt")
    capsys.readouterr()
    (root / "main_pc_code/agents/a.py").write_text(
        AGENT.format(dl602="  # noqa: DL602", dl101="  # noqa: DL101", dl501="  # noqa: DL501"),
        encoding="utf-8",
    )
    # CI: the committed baseline does not say the debt is hidden yet.
    monkeypatch.setenv("CI", "1")
    code, _, err = run(["check", *no_cache], capsys)
    assert code == 4, err
    assert "now suppressed" in err and "fixed debt" not in err
    monkeypatch.delenv("CI")
    code, out, err = run(["check", *no_cache], capsys)
    assert code == 0, out + err
    assert "removed" not in err
    assert [e for e in entries(root) if e[0] == "main_pc_code/agents/a.py"] == [
        ("main_pc_code/agents/a.py", 1, True),
        ("main_pc_code/agents/a.py", 2, True),
        ("main_pc_code/agents/a.py", 9, True),
    ]
    # Removing the comments later shows known debt, not new debt.
    (root / "main_pc_code/agents/a.py").write_text(
        AGENT.format(dl602="", dl101="", dl501=""), encoding="utf-8"
    )
    code, out, err = run(["check", *no_cache], capsys)
    assert code == 0, out + err
    assert [e for e in entries(root) if e[0] == "main_pc_code/agents/a.py"] == agent
