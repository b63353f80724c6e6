"""A hostile repository: every message printable, every bad input a clear exit 2.

debt-lints runs on pull requests from strangers. What such a repository
controls (file names, its configuration, its baseline) must never reach a
terminal or a CI log as something the terminal or the runner obeys, never
hang or exhaust the run, and never end in a traceback (issue 14).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from debt_lints.cli import main

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"
INJECTED = "\n::error file=x.py,line=1::INJECTED\x1b[2J\x1b]0;title\x07"


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def baseline_with(repo: Path, **entry: object) -> Path:
    """A baseline holding one (stale) entry, with fields overridden by ``entry``."""
    data: dict[str, object] = {
        "path": "gone.py",
        "code": "DL201",
        "scope": "",
        "hash": "0" * 16,
        "line": 1,
    }
    data.update(entry)
    path = repo / "debt-lints-baseline.json"
    header = json.dumps({"format": "debt-lints-baseline", "version": 1})
    path.write_text(f"[{header}\n,{json.dumps(data)}\n]\n", encoding="utf-8")
    return path


def assert_printable(text: str, commands: bool = False) -> None:
    """No control character but the newline ending each line; no forged command."""
    for line in text.splitlines():
        assert line.isprintable(), repr(line)
        if commands:  # --format github: every line is one annotation of a real file
            assert line.startswith(("::warning file=new", "::error file=new")), repr(line)
        else:
            assert not line.startswith("::"), repr(line)


# --- 4. every message printable --------------------------------------------------


def test_baseline_scope_cannot_print_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "gone.py").write_text("x = 1\n", encoding="utf-8")
    baseline_with(tmp_path, scope=f"f{INJECTED}", path="gone.py")
    assert run(tmp_path, "check", "--ci", "--format", "github", "--no-cache", ".") == 4
    captured = capsys.readouterr()
    assert "INJECTED" in captured.err  # shown, escaped
    assert_printable(captured.err)
    assert_printable(captured.out)


def test_local_prune_message_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "gone.py").write_text("x = 1\n", encoding="utf-8")
    baseline_with(tmp_path, scope=f"f{INJECTED}")
    assert run(tmp_path, "check", "--no-cache", ".") == 0
    captured = capsys.readouterr()
    assert "removed 1 fixed finding" in captured.err
    assert_printable(captured.err)


@pytest.mark.skipif(sys.platform == "win32", reason="newlines in file names")
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_name_with_a_newline_cannot_forge_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    (tmp_path / "new\nx.py:9:1: DL999 forged\x1b[31m.py").write_text(BAD, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", "--format", fmt, ".") == 1
    out = capsys.readouterr().out
    assert_printable(out, commands=fmt == "github")
    lines = out.splitlines()
    assert len(lines) == 2  # DL201 and DL202, each on its own line
    if fmt == "github":  # the newline travels as %0A, the ESC is shown
        shown = "file=new%0Ax.py%3A9%3A1%3A DL999 forged\\x1b[31m.py,"
    else:
        shown = "new\\x0ax.py:9:1: DL999 forged\\x1b[31m.py:"
    assert all(shown in line for line in lines), lines


def test_configuration_error_message_is_one_printable_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nbaseline = "bad\\u001b[2J\\nname.json"\n', encoding="utf-8"
    )
    (tmp_path / "bad\x1b[2J\nname.json").write_text("not json", encoding="utf-8")
    assert run(tmp_path, "check", ".") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert_printable(err)
