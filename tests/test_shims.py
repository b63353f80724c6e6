"""``debt-lints shims``: compatibility modules that re-export the replacement."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.config import load_config
from debt_lints.fixes.shims import plan, shim_test_module

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"


@pytest.fixture()
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)
    monkeypatch.chdir(copy)
    monkeypatch.setenv("CI", "")
    return copy


def test_demo_shims_pass_the_project_rules_and_their_generated_tests(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shims"]) == 0
    out = capsys.readouterr().out
    every = plan(load_config(start=demo)).shims
    # The metrics entry's replacement is not written yet (DL003): no shim for it.
    shims = [s for s in every if s.generated]
    assert len(every) == 9 and len(shims) == 8
    paths = [s.relpath for s in shims if s.relpath]
    main(["check", "--no-cache", "--no-baseline", "--format", "json", *paths])
    # Old copies nothing imports are DL602 before and after: delete those instead.
    unused = {
        (f["path"], f["code"]) for f in json.loads(capsys.readouterr().out) if f["code"] == "DL602"
    }
    assert unused
    for shim in shims:
        assert shim.text in out
        assert shim.relpath is not None
        # In place of the old copy (forced here: the demo's replacements lack names).
        (demo / shim.relpath).write_text(shim.text, encoding="utf-8")
        assert "import *" not in shim.text and f"from {shim.new} import (" in shim.text
    main(["check", "--no-cache", "--no-baseline", "--format", "json", *paths])
    after = json.loads(capsys.readouterr().out)
    assert {(f["path"], f["code"]) for f in after} == unused
    (demo / "test_generated_shims.py").write_text(shim_test_module(shims), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_generated_shims.py"],
        cwd=demo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout


def test_write_leaves_an_old_copy_whose_names_the_replacement_lacks(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (demo / "main_pc_code/utils/path_manager.py").read_text(encoding="utf-8")
    assert main(["shims", "--write"]) == 1
    err = capsys.readouterr().err
    assert (
        "main_pc_code/utils/path_manager.py: the old copy stays: common.utils.path_manager"
        " does not provide MAIN_PC_CODE" in err
    )
    assert (demo / "main_pc_code/utils/path_manager.py").read_text(encoding="utf-8") == before


def test_write_replaces_an_old_copy_the_replacement_covers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { "old.util" = "new.util" }\n', encoding="utf-8"
    )
    for package in ("old", "new"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "old" / "util.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (tmp_path / "new" / "util.py").write_text(
        "__all__ = ['helper', 'other']\n\ndef helper():\n    return 2\n\ndef other():\n    pass\n",
        encoding="utf-8",
    )
    assert main(["shims", "--write", "--tests", "test_shims_generated.py"]) == 0
    capsys.readouterr()
    text = (tmp_path / "old" / "util.py").read_text(encoding="utf-8")
    assert "from new.util import (\n    helper,\n    other,\n)" in text
    assert main(["check", "--no-cache", "--no-baseline", "old/util.py"]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_shims_generated.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
