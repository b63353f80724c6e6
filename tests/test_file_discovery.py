"""Finding the files: ``.gitignore``, standard input, syntax newer than the running Python."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from tests.sample_project import BAD


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def reported(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["check", "--format", "json", "--no-cache", *argv])
    return sorted({item["path"] for item in json.loads(capsys.readouterr().out)})


@pytest.fixture()
def repo(project: Path) -> Path:
    """The sample project as a git repository with ignored files at several levels."""
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    write(project / ".gitignore", "generated/\n*_pb2.py\n!keep_pb2.py\n")
    write(project / "generated/api.py", BAD)
    write(project / "pkg/api_pb2.py", BAD)
    write(project / "pkg/keep_pb2.py", BAD)
    write(project / "pkg/sub/.gitignore", "local.py\n")
    write(project / "pkg/sub/local.py", BAD)
    write(project / "pkg/sub/other.py", BAD)
    write(project / ".git/info/exclude", "scratch.py\n")
    write(project / "scratch.py", BAD)
    return project


def test_gitignored_files_are_not_checked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert reported([], capsys) == ["pkg/bad.py", "pkg/keep_pb2.py", "pkg/sub/other.py"]
    # From a subfolder, the rules of the folders above still apply.
    assert reported(["pkg"], capsys) == ["pkg/bad.py", "pkg/keep_pb2.py", "pkg/sub/other.py"]


def test_the_walk_agrees_with_git(repo: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--cached", "--exclude-standard", "*.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    from debt_lints.discovery import Project
    from debt_lints.running.files import iter_files

    walked = [s.relpath for s in iter_files(["."], Project.discover(["."]))]
    assert sorted(walked) == sorted(p for p in listed if p.endswith(".py"))


def test_no_respect_gitignore(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = reported(["--no-respect-gitignore"], capsys)
    assert "generated/api.py" in everything and "pkg/sub/local.py" in everything
    write(repo / "pyproject.toml", "[tool.debt-lints]\nrespect-gitignore = false\n")
    assert reported([], capsys) == everything


def test_an_ignored_file_named_explicitly_is_checked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reported(["pkg/api_pb2.py"], capsys) == ["pkg/api_pb2.py"]


def test_stdin_with_a_file_name(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        project / "pyproject.toml",
        '[tool.debt-lints]\nper-file-ignores = { "tests/*" = ["DL201"] }\n',
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["check", "-", "--stdin-filename", "pkg/unsaved.py"]) == 1
    assert capsys.readouterr().out.startswith("pkg/unsaved.py:2:1: DL201 ")
    # The name decides the configuration: per-file-ignores apply to it.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["check", "-", "--stdin-filename", "tests/test_x.py"]) == 0
    capsys.readouterr()  # the clean run's "All checks passed!"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["check", "-"]) == 1
    assert capsys.readouterr().out.startswith("-:2:1: DL201 ")
    assert main(["check", "-", "pkg"]) == 2


def test_stdin_never_prunes_the_baseline(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["baseline", "create"]) == 0
    before = (project / "debt-lints-baseline.json").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"print(1)\n")))
    assert main(["check", "-", "--stdin-filename", "pkg/bad.py"]) == 0
    assert (project / "debt-lints-baseline.json").read_text(encoding="utf-8") == before
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["check", "-", "--stdin-filename", "pkg/bad.py"]) == 0  # known debt


def test_newer_syntax_says_which_python_parsed_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project / "pyproject.toml",
        '[project]\nname = "x"\nrequires-python = ">=3.99"\n\n[tool.debt-lints]\n',
    )
    write(project / "pkg/future.py", "def f(:\n    pass\n")
    assert main(["check", "pkg/future.py"]) == 1
    out = capsys.readouterr().out
    running = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert f"(parsed by {running}; requires-python is '>=3.99')" in out


def notebook(cells: list[tuple[str, str]], language: str = "python") -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"language": language, "name": "k"}},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
                for kind, source in cells
            ],
        },
        indent=1,
    )


NOTEBOOK = notebook(
    [
        ("markdown", "# sys.path.insert(0, 'x') in prose is not code\n"),
        ("code", "%matplotlib inline\nimport sys\nsys.path.insert(0, 'vendor')\n"),
        ("code", "!pip install redis\nHOST = 'localhost'\n"),
        ("code", "%%bash\nsys.path.insert(0, 'not python')\n"),
    ]
)


def test_notebooks_are_checked_by_cell(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "pkg/analysis.ipynb", NOTEBOOK)
    main(["check", "--format", "json", "--no-cache"])
    found = json.loads(capsys.readouterr().out)
    cells = [
        (f["code"], f.get("cell"), f["line"], f["column"])
        for f in found
        if f["path"] == "pkg/analysis.ipynb"
    ]
    assert cells == [("DL201", 2, 3, 1), ("DL301", 3, 2, 8)]
    # Named explicitly, it is a notebook too (not a Python dict literal), in the text format.
    assert main(["check", "--output-format", "concise", "pkg/analysis.ipynb"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("pkg/analysis.ipynb:cell 2:3:1: DL201 ")
    assert out[1].startswith("pkg/analysis.ipynb:cell 3:2:8: DL301 ")
    # The full format names the cell too, and frames the cell's lines as written
    # (magics included), numbered within the cell, never the JSON file's.
    assert main(["check", "pkg/analysis.ipynb"]) == 1
    full = capsys.readouterr().out.splitlines()
    assert full[0].startswith("pkg/analysis.ipynb:cell 2:3:1: DL201 ")
    assert full[1:7] == [
        "  |",
        "1 | %matplotlib inline",
        "2 | import sys",
        "3 | sys.path.insert(0, 'vendor')",
        "  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL201",
        "  |",
    ]
    assert full[8].startswith("pkg/analysis.ipynb:cell 3:2:8: DL301 ")
    assert full[9:14] == [
        "  |",
        "1 | !pip install redis",
        "2 | HOST = 'localhost'",
        "  |        ^^^^^^^^^^^ DL301",
        "  |",
    ]
    # The baseline records and matches notebook findings like any other.
    assert main(["baseline", "create", "pkg/analysis.ipynb"]) == 0
    assert main(["check", "pkg/analysis.ipynb"]) == 0


def test_notebooks_of_other_languages_and_broken_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "r.ipynb", notebook([("code", "sys.path.insert(0, 'x')\n")], language="R"))
    write(project / "broken.ipynb", '{"cells": [')
    main(["check", "--format", "json", "--no-cache", "r.ipynb", "broken.ipynb"])
    found = [(f["path"], f["code"]) for f in json.loads(capsys.readouterr().out)]
    assert found == [("broken.ipynb", "DL001")]


def test_notebooks_through_noqa_recovery_fixes_and_the_repository_rules(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notebook is checked by cell everywhere, never fixed, never an import target."""
    write(
        project / "pyproject.toml",
        '[tool.debt-lints]\ndeprecated-imports = { "old.util" = "new.util" }\n',
    )
    for package in ("old", "new"):
        write(project / package / "__init__.py", "")
        write(project / package / "util.py", "def helper():\n    return 1\n")
    text = notebook(
        [
            ("code", "import sys\nsys.path.insert(0, 'a')  # noqa: DL201\n"),
            ("code", "from old.util import helper\n"),
            ("code", "def broken(:\n    pass\nHOST = 'localhost'\n"),
        ]
    )
    write(project / "pkg/nb.ipynb", text)
    monkeypatch.setenv("CI", "")
    for _ in range(2):  # cold, then warm cache: the same answer
        main(["check", "--format", "json", "--no-baseline", "--select", "DL", "pkg/nb.ipynb"])
        found = json.loads(capsys.readouterr().out)
        rows = sorted((f["code"], f.get("cell"), f["line"]) for f in found)
        assert rows == [("DL001", 3, 1), ("DL101", 2, 1), ("DL301", 3, 3)]
        assert all(f["fix"] is None and f["partial"] for f in found)
    # --fix leaves the notebook as it is (its DL101 has no fix in a notebook).
    main(["check", "--no-baseline", "--fix", "pkg/nb.ipynb"])
    capsys.readouterr()
    assert (project / "pkg/nb.ipynb").read_text(encoding="utf-8") == text
    # The whole-repository rules run beside notebooks and report none on them.
    main(["check", "--no-baseline", "--select", "DL6", "--format", "json", "."])
    assert all(not f["path"].endswith(".ipynb") for f in json.loads(capsys.readouterr().out))
