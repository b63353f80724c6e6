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
