"""The `library` option (DL301): computed from the configuration's root unless set."""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints.analysis.context import publishes_distribution
from debt_lints.config import load_config


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"setup.py": "from setuptools import setup\nsetup()\n"}, True),
        ({"setup.cfg": "[metadata]\nname = x\n"}, True),
        ({"setup.cfg": "[flake8]\nmax-line-length = 99\n"}, False),
        ({"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'}, True),
        ({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'}, False),
        ({}, False),
    ],
)
def test_publishes_distribution(tmp_path: Path, files: dict[str, str], expected: bool) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert publishes_distribution(tmp_path) is expected


def test_library_defaults_to_what_the_root_publishes_and_a_setting_wins(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("setup()\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    assert load_config(start=tmp_path, cwd=tmp_path).settings.flag("library") is True
    (tmp_path / "pyproject.toml").write_text(
        "[tool.debt-lints]\nlibrary = false\n", encoding="utf-8"
    )
    assert load_config(start=tmp_path, cwd=tmp_path).settings.flag("library") is False


def test_an_unreadable_project_file_says_no(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    assert publishes_distribution(tmp_path) is False
