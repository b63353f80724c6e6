"""The pre-commit hook this repository provides (``.pre-commit-hooks.yaml``).

pre-commit clones this repository at its HEAD commit (``try-repo`` also takes
uncommitted changes into a temporary commit) and installs it into a fresh
virtual environment, so these tests are slow; they need pip to reach a
package index for the build backend (setuptools) and PyYAML.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.gitutil import commit_all, git, init_repo, isolate_git

ROOT = Path(__file__).resolve().parents[1]


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "debt-lints"
    assert hook["entry"] == "debt-lints check"
    assert (hook["language"], hook["pass_filenames"]) == ("python", True)
    assert set(hook["types_or"]) == {"python", "yaml"}


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs to clone this repository")
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture()
def user_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pre_commit_home: Path) -> Path:
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    repo = init_repo(tmp_path / "user")
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "app.py").write_text("import sys\n\nprint(sys.argv)\n", encoding="utf-8")
    commit_all(repo, "initial")
    return repo


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def add_injection(repo: Path) -> None:
    (repo / "app.py").write_text(
        "import sys\n\nsys.path.insert(0, 'vendor')\nprint(sys.argv)\n", encoding="utf-8"
    )
    git(repo, "add", "app.py")


@pytest.mark.slow
def test_try_repo_blocks_sys_path_insert(user_repo: Path) -> None:
    add_injection(user_repo)
    proc = pre_commit(user_repo, "try-repo", str(ROOT), "debt-lints")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app.py:3:1: DL201 " in proc.stdout
    # A clean staged change passes.
    (user_repo / "app.py").write_text("import sys\n\nprint(sys.argv[1:])\n", encoding="utf-8")
    git(user_repo, "add", "app.py")
    proc = pre_commit(user_repo, "try-repo", str(ROOT), "debt-lints")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_installed_hook_blocks_the_commit(user_repo: Path) -> None:
    rev = git(ROOT, "rev-parse", "HEAD").strip()
    (user_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: debt-lints\n",
        encoding="utf-8",
    )
    commit_all(user_repo, "add pre-commit configuration")
    proc = pre_commit(user_repo, "install")
    assert proc.returncode == 0, proc.stderr
    add_injection(user_repo)
    before = git(user_repo, "rev-parse", "HEAD")
    blocked = subprocess.run(
        ["git", "commit", "-m", "inject"],
        cwd=user_repo,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert blocked.returncode != 0
    assert "DL201" in blocked.stdout + blocked.stderr
    assert git(user_repo, "rev-parse", "HEAD") == before
