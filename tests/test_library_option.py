"""The `library` option (DL301) and `public-api = ["auto"]` (DL602): one reader of what
the project publishes (``analysis.packaging``), so the two never disagree.

`library` is computed from the configuration's root unless set: ``true`` when the
root's packaging metadata ships a package or module, the very answer DL602 uses
to keep a published module's public API.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from debt_lints.analysis.packaging import publishes_distribution
from debt_lints.config import load_config

#: Real shapes of packaging metadata, and whether the root publishes something.
SHAPES: dict[str, tuple[dict[str, str], bool]] = {
    "a setup.py listing its package": (
        {"setup.py": "from setuptools import setup\nsetup(packages=['lib'])\n", "lib/core.py": ""},
        True,
    ),
    "a setup.py in a flat layout with one package (setuptools' discovery)": (
        {"setup.py": "from setuptools import setup\nsetup()\n", "lib/__init__.py": ""},
        True,
    ),
    "a setup.py with nothing to ship": (
        {"setup.py": "from setuptools import setup\nsetup()\n"},
        False,
    ),
    "a hatchling project named after its package": (
        {
            "pyproject.toml": '[build-system]\nbuild-backend = "hatchling.build"\n'
            '[project]\nname = "web-lib"\n',
            "web_lib/__init__.py": "",
        },
        True,
    ),
    "a [project] table with no [build-system] (pip builds it with setuptools)": (
        {"pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n', "lib/__init__.py": ""},
        True,
    ),
    "a setup.cfg with [metadata] and no setup.py or pyproject.toml (pip cannot build it)": (
        {"setup.cfg": "[metadata]\nname = x\n", "lib/__init__.py": ""},
        False,
    ),
    "a [build-system] over a flat layout of two packages (setuptools refuses it)": (
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
            '[project]\nname = "tools"\n',
            "agents/__init__.py": "",
            "services/__init__.py": "",
        },
        False,
    ),
    "a flake8 section in setup.cfg: an application": (
        {"setup.cfg": "[flake8]\nmax-line-length = 99\n", "app/__init__.py": ""},
        False,
    ),
    "no packaging metadata": ({"app.py": ""}, False),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_library_and_public_api_agree_on_what_the_root_publishes(
    tmp_path: Path, shape: str
) -> None:
    from debt_lints.engine.registry import lookup
    from debt_lints.running.runner import run

    files, publishes = SHAPES[shape]
    _write(tmp_path, files)
    assert publishes_distribution(tmp_path) is publishes
    config = load_config(start=tmp_path, cwd=tmp_path)
    assert config.settings.flag("library") is publishes  # DL301
    rule = lookup("DL602")
    assert rule is not None
    result = run([str(tmp_path)], config, [rule], repository=True)
    assert result.repository is not None
    published = {m.relpath for m in result.repository.modules.values() if m.published}
    assert bool(published) is publishes  # DL602's public-api = ["auto"]


def test_library_defaults_to_what_the_root_publishes_and_a_setting_wins(tmp_path: Path) -> None:
    _write(tmp_path, {"setup.py": "setup(packages=['lib'])\n", "lib/__init__.py": ""})
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    assert load_config(start=tmp_path, cwd=tmp_path).settings.flag("library") is True
    (tmp_path / "pyproject.toml").write_text(
        "[tool.debt-lints]\nlibrary = false\n", encoding="utf-8"
    )
    assert load_config(start=tmp_path, cwd=tmp_path).settings.flag("library") is False


def test_an_unreadable_project_file_says_no(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    assert publishes_distribution(tmp_path) is False
