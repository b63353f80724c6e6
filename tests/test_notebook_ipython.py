"""IPython's own syntax in notebook cells: valid IPython is no syntax error, positions stay put."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.ipython import python_lines

FIXTURE = Path(__file__).parent / "fixtures" / "rules" / "DL001_ipython_syntax.ipynb"


def test_valid_ipython_is_read_and_every_finding_keeps_its_cell_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURE, tmp_path / "nb.ipynb")
    argv = ["check", "--output-format", "json", "--no-cache", "--no-baseline"]
    main([*argv, "--select", "DL001,DL201", str(tmp_path / "nb.ipynb")])
    found = json.loads(capsys.readouterr().out)
    assert sorted((f["code"], f.get("cell"), f["line"]) for f in found) == [
        # The broken cell is still reported, at its error.
        ("DL001", 7, 3),
        ("DL201", 2, 7),
        ("DL201", 3, 7),
        ("DL201", 5, 13),
        ("DL201", 6, 4),
    ]


@pytest.mark.parametrize(
    ("cell", "python"),
    [
        (["??np.sum", "np.sum??", "?len", "len?"], ["pass"] * 4),
        (["%magic?", "a.b[0]??", "  x.y?"], ["pass", "pass", "  pass"]),
        (["/f 1 2", ",f a b", ";f a b", "!!ls", "  %time f()"], ["pass"] * 4 + ["  pass"]),
        (["    tr = %timeit -o f()"], ["    tr = None"]),
        (["x = !ls \\", "  -la", "y = 2"], ["x = None", "", "y = 2"]),
        (["%ls \\", "  -la", "y = 2"], ["pass", "", "y = 2"]),
        (["", "%%bash", "echo ?"], ["", "", ""]),
    ],
    ids=[
        "help",
        "help-on-magic-and-item",
        "escapes",
        "magic-assign",
        "system-assign",
        "continued-magic",
        "cell-magic",
    ],
)
def test_ipython_forms_become_python_line_for_line(cell: list[str], python: list[str]) -> None:
    assert python_lines(cell) == python


@pytest.mark.parametrize(
    "cell",
    [
        ["x = 1  # why?"],  # a question in a comment
        ["s = '''", "%not a magic", "!nor this?", "'''"],  # inside a string
        ["x = [", "  '%s' % a,", "  !b]"],  # inside brackets: not a statement's start
        ["a == %b", "d = dict(a=%x)", "n != !m"],  # no assignment's `=`
        ["print(x)?", "y = (1,", "  2)?"],  # help needs a name before `?`: IPython fails too
    ],
    ids=["comment", "string", "brackets", "not-assignment", "help-after-call"],
)
def test_what_only_looks_like_ipython_is_left_as_written(cell: list[str]) -> None:
    assert python_lines(cell) == cell


def test_a_cell_magic_below_the_first_line_is_a_line_magic() -> None:
    assert python_lines(["x = 1", "%%time", "y"]) == ["x = 1", "pass", "y"]
