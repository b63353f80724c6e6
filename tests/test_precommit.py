"""The pre-commit hook this repository provides (``.pre-commit-hooks.yaml``).

pre-commit clones this repository at its HEAD commit (``try-repo`` also takes
uncommitted changes into a temporary commit) and installs it into a fresh
virtual environment, so these tests are slow; they need pip to reach a
package index for the build backend (setuptools) and PyYAML.
"""

from __future__ import annotations

import os
import re
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
    # pre-commit's own schema for a hooks manifest.
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


#: The placeholder address the docs use for "where you clone debt-lints from".
PLACEHOLDER_REPO = "https://git.example.com/tools/debt-lints.git"


def doc_configs() -> list[str]:
    """Every YAML block of docs/pre-commit.md: each is a whole configuration."""
    text = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def release_commit(version: str) -> str:
    """The commit that released ``version``: the one that dated its CHANGELOG section."""
    found = git(
        ROOT,
        "log",
        "--reverse",
        "--format=%H",
        # Bracket expressions: the same in git's basic and extended regexes.
        f"-G^## {re.escape(version)} [(][0-9][0-9][0-9][0-9]-",
        "--",
        "CHANGELOG.md",
    ).split()
    assert found, f"no commit dated the CHANGELOG section of {version}"
    return found[0]


def untagged_clone(destination: Path) -> Path:
    """A clone of this repository as a user gets it: releases are not tagged."""
    git(destination.parent, "clone", "-q", "--no-tags", str(ROOT), str(destination))
    for tag in git(destination, "tag", "--list").split():
        git(destination, "tag", "-d", tag)
    assert git(destination, "tag", "--list") == ""
    return destination


def documented_revs() -> list[str]:
    return [
        repo["rev"]
        for config in doc_configs()
        for repo in yaml.safe_load(config)["repos"]
        if repo["repo"] != "local"
    ]


def last_release(changelog: str) -> str:
    """The newest dated section of the CHANGELOG: the last release."""
    found = re.search(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d\d-\d\d\)", changelog, re.M)
    assert found, "no dated CHANGELOG section"
    return found.group(1)


def test_the_version_of_a_checkout_is_a_release_or_the_next_ones_dev() -> None:
    """A commit past a release never calls itself that release (PEP 440 ``.dev0``).

    The rollout on twisted met a hook pinned to 0.2.0 and a checkout 150 commits
    newer that both printed ``debt-lints 0.2.0`` and disagreed on 538 findings.
    """
    from packaging.version import Version

    from debt_lints import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = Version(last_release(changelog))
    current = Version(__version__)
    unreleased = re.search(r"^## Unreleased$", changelog, re.M) is not None
    if unreleased:
        assert current.is_devrelease and current > released, (
            f"{__version__}: a checkout past {released} must be a .dev of the next release"
        )
    else:
        assert current == released


def test_every_documented_configuration_is_whole_and_names_the_last_release() -> None:
    configs = doc_configs()
    assert len(configs) == 3
    for config in configs:
        data = yaml.safe_load(config)
        assert isinstance(data, dict) and data["repos"], config  # pasteable as a whole file
        for repo in data["repos"]:
            if repo["repo"] != "local":
                assert repo["repo"] == PLACEHOLDER_REPO, config
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = last_release(changelog)
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the release commit cannot be looked up")
    # A full hash (pre-commit fetches it directly and never calls it mutable),
    # and the one of the commit that released the last version.
    assert set(documented_revs()) == {release_commit(released)}


def test_every_documented_rev_resolves_in_an_untagged_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``pre-commit`` does first: check out ``rev:`` in a clone without tags."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    isolate_git(monkeypatch, tmp_path / "home")
    clone = untagged_clone(tmp_path / "debt-lints")
    revs = documented_revs()
    assert revs
    for rev in revs:
        resolved = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            cwd=clone,
            capture_output=True,
            text=True,
            check=False,
        )
        assert resolved.returncode == 0, f"rev: {rev} does not exist in an untagged clone"
        assert resolved.stdout.strip() == rev  # the full hash, not a moving name


def test_configurations_in_the_docs_are_valid(tmp_path: Path) -> None:
    configs = doc_configs()
    assert len(configs) == 3
    for index, config in enumerate(configs):
        path = tmp_path / f"config{index}.yaml"
        path.write_text(config, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "pre_commit", "validate-config", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, config + proc.stdout + proc.stderr


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


@pytest.mark.slow
def test_installed_hook_with_a_baseline_prunes_only_the_committed_files(
    user_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debt_lints.baseline.store import load

    monkeypatch.delenv("CI", raising=False)  # a developer's machine: the check may prune
    for name in ("a.py", "b.py"):
        (user_repo / name).write_text(
            "import sys\n\nsys.path.insert(0, 'vendor')\n", encoding="utf-8"
        )
    created = subprocess.run(
        [sys.executable, "-m", "debt_lints", "baseline", "create"],
        cwd=user_repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    rev = git(ROOT, "rev-parse", "HEAD").strip()
    (user_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: debt-lints\n",
        encoding="utf-8",
    )
    commit_all(user_repo, "known debt and the hook")
    assert pre_commit(user_repo, "install").returncode == 0

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-m", message],
            cwd=user_repo,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def baseline_paths() -> list[str]:
        baseline = load(user_repo / "debt-lints-baseline.json")
        assert baseline is not None
        return [entry.path for entry in baseline.entries]

    # Touching a file with known debt does not block.
    with (user_repo / "a.py").open("a", encoding="utf-8") as fh:
        fh.write("print(sys.argv)\n")
    git(user_repo, "add", "a.py")
    touched = commit("touch a")
    assert touched.returncode == 0, touched.stdout + touched.stderr
    # Fixing a.py's debt: the hook prunes a.py's entry (only that one: b.py
    # was not part of the commit) and stops the commit so the smaller
    # baseline is staged with the fix.
    (user_repo / "a.py").write_text("import sys\n\nprint(sys.argv)\n", encoding="utf-8")
    git(user_repo, "add", "a.py")
    first = commit("fix a")
    assert first.returncode != 0
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert baseline_paths() == ["b.py"]
    git(user_repo, "add", "a.py", "debt-lints-baseline.json")
    second = commit("fix a")
    assert second.returncode == 0, second.stdout + second.stderr
    assert git(user_repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "a.py",
        "debt-lints-baseline.json",
    ]


@pytest.mark.slow
def test_documented_configurations_work_as_pasted(
    user_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each configuration of docs/pre-commit.md, with only the placeholder address
    replaced by a clone of this repository as a user gets it: without tags."""
    clone = untagged_clone(tmp_path / "debt-lints")
    # The local hook runs the debt-lints on PATH: this test's own.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    add_injection(user_repo)
    for config in doc_configs():
        (user_repo / ".pre-commit-config.yaml").write_text(
            config.replace(PLACEHOLDER_REPO, str(clone)), encoding="utf-8"
        )
        git(user_repo, "add", ".pre-commit-config.yaml")
        proc = pre_commit(user_repo, "run")
        assert proc.returncode == 1, config + proc.stdout + proc.stderr
        assert "app.py:3:1: DL201 " in proc.stdout, config + proc.stdout
        assert "mutable reference" not in proc.stdout + proc.stderr, config


@pytest.mark.slow
def test_autoupdate_on_an_untagged_clone_pins_the_newest_commit(
    user_repo: Path, tmp_path: Path
) -> None:
    """What the docs say `pre-commit autoupdate` does where releases are not tagged."""
    clone = untagged_clone(tmp_path / "debt-lints")
    head = git(clone, "rev-parse", "HEAD").strip()
    config = user_repo / ".pre-commit-config.yaml"
    config.write_text(doc_configs()[0].replace(PLACEHOLDER_REPO, str(clone)), encoding="utf-8")
    proc = pre_commit(user_repo, "autoupdate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (repo,) = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
    assert repo["rev"] == head
