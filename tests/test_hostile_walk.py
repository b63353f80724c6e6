"""The walk and ``.gitignore`` on a hostile repository (issue 28: N3, N4, N5, N17).

A repository controls every name below its root, its ``.gitignore`` files and
``.git/info/exclude``: none of them may make debt-lints read outside the root,
hang, exhaust memory or abort the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main

BAD = 'import sys\nsys.path.insert(0, "/srv/app")\n'


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def git_repo(tmp_path: Path, gitignore: str | bytes | None = None) -> Path:
    """A repository (a ``.git`` folder is enough) with one file holding a finding."""
    repo = tmp_path / "repo"
    (repo / ".git" / "info").mkdir(parents=True)
    (repo / "bad.py").write_text(BAD, encoding="utf-8")
    if isinstance(gitignore, str):
        (repo / ".gitignore").write_text(gitignore, encoding="utf-8")
    elif isinstance(gitignore, bytes):
        (repo / ".gitignore").write_bytes(gitignore)
    return repo


# --- N17: one invalid line is skipped, as git does -----------------------------------


@pytest.mark.parametrize(
    "line",
    ["!", "\\", "foo\\", "[z-a]", "[", "a[!", "\x00\xff\x01", "**/[z-a]/x"],
)
def test_an_invalid_gitignore_line_is_skipped_and_the_others_apply(
    tmp_path: Path, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path, f"{line}\nhidden.py\n")
    (repo / "hidden.py").write_text(BAD, encoding="utf-8")
    assert run(repo, "check", "--output-format", "concise", ".") == 1
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert "bad.py" in out
    assert "hidden.py" not in out  # the valid line after the bad one still applies


def test_a_binary_gitignore_does_not_abort_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path, bytes(range(256)) * 4)
    assert run(repo, "check", "--output-format", "concise", ".") == 1
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert "bad.py" in out


# --- N5: ignore files are read through the repository boundary ------------------------


def _plant(repo: Path, where: str, kind: str, tmp_path: Path) -> None:
    """``repo/where`` becomes a FIFO, a link to ``/dev/zero`` or a link out of the repo."""
    path = repo / where
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        outside = tmp_path / "sib" / "ignore"
        outside.parent.mkdir(exist_ok=True)
        outside.write_text("*.py\n", encoding="utf-8")
        path.symlink_to(outside)


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
@pytest.mark.parametrize("kind", ["fifo", "zero", "outside"])
@pytest.mark.parametrize("where", [".gitignore", "sub/.gitignore", ".git/info/exclude"])
def test_a_hostile_ignore_file_is_not_read(
    tmp_path: Path, where: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never blocks on a FIFO, never reads /dev/zero, never applies an outside file."""
    repo = git_repo(tmp_path)
    (repo / "sub").mkdir()
    (repo / "sub" / "bad.py").write_text(BAD, encoding="utf-8")
    _plant(repo, where, kind, tmp_path)
    assert run(repo, "check", "--no-cache", "--output-format", "concise", ".") == 1
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert "bad.py" in out
    assert "sub/bad.py" in out


def test_an_ignore_file_over_the_limit_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.running.files import MAX_IGNORE_FILE_SIZE

    repo = git_repo(tmp_path, "*.py\n" + "#" * MAX_IGNORE_FILE_SIZE + "\n")
    assert run(repo, "check", "--no-cache", "--output-format", "concise", ".") == 1
    assert "bad.py" in capsys.readouterr().out


def test_an_ignore_file_linked_inside_the_repository_still_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path)
    (repo / "conf").mkdir()
    (repo / "conf" / "ignore").write_text("hidden.py\n", encoding="utf-8")
    (repo / ".gitignore").symlink_to("conf/ignore")
    (repo / "hidden.py").write_text(BAD, encoding="utf-8")
    assert run(repo, "check", "--no-cache", "--output-format", "concise", ".") == 1
    out = capsys.readouterr().out
    assert "bad.py" in out
    assert "hidden.py" not in out


@needs_fifo
def test_the_language_server_walks_the_project_through_the_same_boundary(
    tmp_path: Path,
) -> None:
    """DL6xx in the language server walk the project: a FIFO or /dev/zero ignore file."""
    pytest.importorskip("pygls")
    from debt_lints.adapters.lsp import project_findings
    from debt_lints.hosts.session import HostSession

    repo = git_repo(tmp_path)
    (repo / "pyproject.toml").write_text('[tool.debt-lints]\nselect = ["DL601"]\n')
    (repo / "one.py").write_text("import two\n", encoding="utf-8")
    (repo / "two.py").write_text("import one\n", encoding="utf-8")
    _plant(repo, ".gitignore", "fifo", tmp_path)
    _plant(repo, ".git/info/exclude", "zero", tmp_path)
    _plant(repo, "sub/.gitignore", "outside", tmp_path)
    found = project_findings(HostSession(cwd=repo), "one.py")
    assert [f.code for f in found] == ["DL601"]


# --- N3: a link to a file outside the project is never read ---------------------------

SECRET = "ghp_N3_SECRET_TOKEN_0123456789"
OUTSIDE = "symbolic link to a file outside the project; not read"


def _outside_secret(tmp_path: Path) -> Path:
    victim = tmp_path / "victim" / ".netrc"
    victim.parent.mkdir()
    victim.write_text(f"machine github.com login bot password {SECRET}\n", encoding="utf-8")
    return victim


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github", "sarif", "junit"])
@pytest.mark.parametrize("how", ["walk", "explicit", "walk-cached"])
def test_a_link_out_of_the_project_is_one_finding_and_never_read(
    tmp_path: Path, fmt: str, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path)
    (repo / "netrc.py").symlink_to(_outside_secret(tmp_path))
    (repo / "sub").mkdir()
    (tmp_path / "victim" / "env").write_text(f"MY_CI_TOKEN={SECRET}\n", encoding="utf-8")
    (repo / "sub" / "env.py").symlink_to("../../victim/env")
    args = ["check", "--output-format", fmt]
    if how != "walk-cached":
        args.append("--no-cache")
    args += ["netrc.py", "sub/env.py"] if how == "explicit" else ["."]
    runs = 2 if how == "walk-cached" else 1
    for _ in range(runs):
        assert run(repo, *args) == 1
        out, err = capsys.readouterr()
        assert SECRET not in out + err
        assert "machine github.com" not in out + err
        # One finding per link (junit repeats the message in its text).
        assert out.count(OUTSIDE) == (4 if fmt == "junit" else 2), out
        assert "internal error" not in err


@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="Linux /proc only")
def test_a_link_to_the_environment_never_reaches_the_log(tmp_path: Path) -> None:
    """The review's repro: ``ln -s /proc/self/environ env.py``, default output format."""
    import subprocess
    import sys

    repo = git_repo(tmp_path)
    (repo / "env.py").symlink_to("/proc/self/environ")
    done = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", "--no-cache", "."],
        cwd=repo,
        env={**os.environ, "MY_CI_TOKEN": SECRET},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert SECRET not in done.stdout + done.stderr
    assert "MY_CI_TOKEN" not in done.stdout + done.stderr
    assert f"env.py:1:1: DL001 {OUTSIDE}" in done.stdout


def test_links_inside_the_project_keep_working(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path, "gen/\n")
    (repo / "gen").mkdir()
    (repo / "gen" / "real.py").write_text(BAD, encoding="utf-8")
    (repo / "alias.py").symlink_to("gen/real.py")
    (repo / "pkg").mkdir()
    (repo / "pkg" / "up.py").symlink_to("../gen/real.py")
    assert run(repo, "check", "--no-cache", "--output-format", "concise", ".") == 1
    out = capsys.readouterr().out
    assert "alias.py:2:" in out
    assert OUTSIDE not in out
    assert "DL001" not in out


def test_a_link_swapped_after_the_check_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The descriptor read must be the file judged inside the root (no check-then-use race)."""
    from debt_lints.core import boundary

    repo = git_repo(tmp_path)
    inside = repo / "bad.py"
    link = repo / "swapped.py"
    link.symlink_to(_outside_secret(tmp_path))
    # As if the link still pointed inside when it was checked, and was swapped after.
    monkeypatch.setattr(boundary, "confined_target", lambda path, root: str(inside.resolve()))
    found = boundary.read_bytes(str(link), 1000, root=repo)
    assert found == boundary.SourceProblem(OUTSIDE)
