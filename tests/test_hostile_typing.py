"""Hostile input to the typing ratchet: nothing a repository writes makes mypy run or write.

The repros of the third hostile review (issue 28): N1, an argument file in
``[tool.debt-lints.typing] flags``; N2, ``~`` and ``$VAR`` in the
repository's mypy configuration. mypy runs on flags from an allow-list and on
a configuration debt-lints writes, never on the repository's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main

pytest.importorskip("mypy")

TYPED = "def f(x: int) -> int:\n    return x\n"
UNTYPED = "def g(x):\n    return x\n"


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def hostile_repo(tmp_path: Path, pyproject: str, **files: str) -> Path:
    """A repository with a typed package, an ``evil.sh`` that leaves ``SENTINEL`` and ``files``."""
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (repo / "pkg" / "m.py").write_text(TYPED, encoding="utf-8")
    (repo / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    evil = repo / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'SENTINEL'}'\necho []\n", encoding="utf-8")
    evil.chmod(0o755)
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    return repo


# --- N1: flags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        '["@flags.txt"]',
        '["--always-true", "@flags.txt"]',
        '["--python-version", "3.10", "@flags.txt"]',
    ],
    ids=["alone", "as-a-value", "after-a-flag"],
)
def test_an_argument_file_in_flags_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: str
) -> None:
    """N1's repro: mypy expands ``@file``; its ``--python-executable`` must never run."""
    repo = hostile_repo(
        tmp_path,
        f"[tool.debt-lints.typing]\nflags = {flags}\n",
        **{"flags.txt": "--python-executable\n./evil.sh\n"},
    )
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert "@flags.txt" in err and "argument file" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "SENTINEL").exists()


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        ('["--junit-xml=report.xml"]', "--junit-xml"),
        ('["--html-report", "html"]', "--html-report"),
        ('["--shadow-file", "pkg/m.py", "evil.sh"]', "--shadow-file"),
        ('["--custom-typeshed-dir=."]', "--custom-typeshed-dir"),
        ('["--pdb"]', "--pdb"),
        ('["--cache-map", "pkg/m.py", "a.json", "b.json"]', "--cache-map"),
        ('["-n", "64"]', "-n"),
        ('["pkg/extra.py"]', "pkg/extra.py"),
        ('["--python-version=~/3.10"]', "--python-version"),
        ('["--always-true=$HOME"]', "--always-true"),
        ('["--follow-imports", "sideways"]', "--follow-imports"),
    ],
)
def test_flags_off_the_allow_list_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: str, named: str
) -> None:
    repo = hostile_repo(tmp_path, f"[tool.debt-lints.typing]\nflags = {flags}\n")
    before = sorted(p.name for p in repo.iterdir())
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert named in err and "typing.flags" in err
    assert len(err.splitlines()) == 1
    assert sorted(p.name for p in repo.iterdir()) == before  # no report, no cache


def test_allow_listed_flags_still_change_what_mypy_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = hostile_repo(tmp_path, "[tool.debt-lints.typing]\n")
    (repo / "pkg" / "old.py").write_text(UNTYPED, encoding="utf-8")
    assert run(repo, "typing") == 1
    assert "mypy[no-untyped-def]" in capsys.readouterr().out
    (repo / "pyproject.toml").write_text(
        "[tool.debt-lints.typing]\n"
        'flags = ["--python-version", "3.10", "--disable-error-code=no-untyped-def",'
        ' "--allow-untyped-defs", "--warn-unreachable"]\n',
        encoding="utf-8",
    )
    assert run(repo, "typing") == 0, capsys.readouterr().err
