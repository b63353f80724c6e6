"""The strict-typing gate: mypy --strict errors as findings, per-module strictness."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.config import ConfigError, load_config
from debt_lints.strict import read_block, run_typing, typing_settings, write_mypy_config
from debt_lints.strict.mypy_config import BEGIN, END, update_text
from debt_lints.strict.mypy_run import _annotation_counts
from tests.sample_project import finding_lines

TYPED = "def add(a: int, b: int) -> int:\n    return a + b\n"
UNTYPED = "def load(path):\n    return open(path).read()\n"


def make_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.debt-lints]\n', encoding="utf-8"
    )
    for package in ("main_pc_code/utils", "pc2_code/utils"):
        (root / package).mkdir(parents=True)
        for part in (package.split("/")[0], package):
            (root / part / "__init__.py").touch()
    (root / "main_pc_code/utils/typed_mod.py").write_text(TYPED, encoding="utf-8")
    (root / "main_pc_code/utils/config_loader.py").write_text(UNTYPED, encoding="utf-8")
    # The same file name in another folder (a copied utility), and a Python 2 file.
    (root / "pc2_code/utils/config_loader.py").write_text(TYPED, encoding="utf-8")
    (root / "pc2_code/legacy.py").write_text('print "py2"\n', encoding="utf-8")
    return root


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


def test_run_reports_strict_errors_per_module(project: Path) -> None:
    config = load_config(start=project)
    run = run_typing([str(project)], config, typing_settings(config))
    assert not run.problems
    codes = sorted((f.path, f.code) for f in run.findings)
    assert codes == [("main_pc_code/utils/config_loader.py", "mypy[no-untyped-def]")]
    finding = run.findings[0]
    assert (finding.line, finding.column, finding.scope) == (1, 1, "load")
    assert finding.snippet == "def load(path):"
    assert run.strict_clean_modules() == [
        "main_pc_code",
        "main_pc_code.utils",
        "main_pc_code.utils.typed_mod",
        "pc2_code",
        "pc2_code.utils",
        "pc2_code.utils.config_loader",
    ]
    legacy = run.modules["pc2_code/legacy.py"]
    assert not legacy.parsed and not legacy.strict_clean


def test_untyped_function_in_a_strict_module_fails_the_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["typing"]) == 1
    (project / "main_pc_code/utils/config_loader.py").write_text(TYPED, encoding="utf-8")
    assert main(["typing"]) == 0
    (project / "main_pc_code/utils/typed_mod.py").write_text(
        TYPED + "\n\ndef helper(x):\n    return x\n", encoding="utf-8"
    )
    assert main(["typing"]) == 1
    out = finding_lines(capsys.readouterr().out)
    assert out[-1].startswith("main_pc_code/utils/typed_mod.py:5:1: mypy[no-untyped-def]")


def test_write_mypy_config_lists_strict_clean_modules(project: Path) -> None:
    assert main(["typing", "--write-mypy-config"]) == 1
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "demo"\n\n[tool.debt-lints]\n')
    modules = read_block(text)
    assert modules is not None
    assert "main_pc_code.utils.typed_mod" in modules
    assert "main_pc_code.utils.config_loader" not in modules
    # Fixing the module makes it strict-clean: the block grows, in place.
    (project / "main_pc_code/utils/config_loader.py").write_text(TYPED, encoding="utf-8")
    assert main(["typing", "--write-mypy-config"]) == 0
    text2 = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert text2.count(BEGIN) == 1 and text2.count(END) == 1
    assert "main_pc_code.utils.config_loader" in (read_block(text2) or [])
    import tomllib

    overrides = tomllib.loads(text2)["tool"]["mypy"]["overrides"]
    assert overrides[0]["strict"] is True


def test_block_update_keeps_user_text_byte_for_byte() -> None:
    user = "# mine\n[tool.mypy]\nwarn_unused_configs = true\n"
    once = update_text(user, ["a.b"])
    assert once.startswith(user)
    twice = update_text(once + "\n[tool.other]\nx = 1\n", ["a.b", "c"])
    assert twice.startswith(user) and twice.endswith("[tool.other]\nx = 1\n")
    assert read_block(twice) == ["a.b", "c"]


def test_invalid_result_is_never_written(tmp_path: Path) -> None:
    target = tmp_path / "pyproject.toml"
    # A user table that clashes with the generated array of tables.
    original = "[tool.mypy]\noverrides = 1\n"
    target.write_text(original, encoding="utf-8")
    with pytest.raises(ConfigError, match="would not be valid TOML"):
        write_mypy_config(target, ["a"])
    assert target.read_text(encoding="utf-8") == original


def test_annotation_counts() -> None:
    tree = ast.parse(
        "def a(x: int) -> int: ...\n"
        "def b(x): ...\n"
        "def c(x: int): ...\n"
        "class K:\n"
        "    def __init__(self, x: int): ...\n"
        "    def m(self) -> None: ...\n"
        "    def n(self, y): ...\n"
        "    @staticmethod\n"
        "    def s(y: int) -> int: ...\n"
        "    if True:\n"
        "        def t(self) -> None: ...\n"
        "def outer() -> None:\n"
        "    def inner(self) -> None: ...\n"
    )
    # Annotated: a, __init__, m, s, t, outer.
    # Not: b, c, n, and inner (its self is a plain parameter).
    assert _annotation_counts(tree) == (10, 6)


def test_unknown_typing_key_is_a_config_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.debt-lints.typing]\npackagez = ['a']\n", encoding="utf-8"
    )
    assert main(["typing"]) == 2
    assert "packagez" in capsys.readouterr().err


def test_missing_mypy_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "mypy", None)
    assert main(["typing"]) == 2
    assert "mypy is not installed" in capsys.readouterr().err


def test_ratchet_fails_when_a_module_leaves_the_strict_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    def git(*argv: str) -> None:
        subprocess.run(["git", *argv], cwd=tmp_path, check=True, capture_output=True)

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    for name in ("a", "b"):
        (tmp_path / "pkg" / f"{name}.py").write_text(TYPED, encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(update_text("[tool.debt-lints]\n", ["pkg.a", "pkg.b"]), encoding="utf-8")
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "0")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "strict a and b")
    assert main(["ratchet", "--base", "HEAD"]) == 0
    # Dropping pkg.a from the block while the module still exists: a regression.
    pyproject.write_text(update_text("[tool.debt-lints]\n", ["pkg.b"]), encoding="utf-8")
    capsys.readouterr()
    assert main(["ratchet", "--base", "HEAD"]) == 1
    assert capsys.readouterr().out == "no longer strict: pkg.a\n"
    # Deleting the module itself is not: deleted code is not less typed.
    (tmp_path / "pkg" / "a.py").unlink()
    assert main(["ratchet", "--base", "HEAD"]) == 0


def test_report_typing_summary_per_package(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from debt_lints.baseline.store import Entry, save

    save(
        project / "debt-lints-baseline.json",
        [Entry("main_pc_code/utils/config_loader.py", 1, "mypy[no-untyped-def]", "load", "0" * 16)],
    )
    capsys.readouterr()
    assert main(["report", "--typing", "--format", "json", "--no-history"]) == 0
    typing = json.loads(capsys.readouterr().out)["typing"]
    assert typing["packages"] == {
        # __init__ x2, typed_mod; config_loader has a strict entry.
        "main_pc_code": {"modules": 4, "strict_clean": 3, "functions": 2, "annotated": 1},
        # __init__ x2, config_loader; legacy.py does not parse.
        "pc2_code": {"modules": 4, "strict_clean": 3, "functions": 1, "annotated": 1},
    }
    assert typing["total"] == {"modules": 8, "strict_clean": 6, "functions": 3, "annotated": 2}


def test_a_module_that_does_not_parse_cannot_stop_the_run(project: Path) -> None:
    # Plain mypy stops at the first syntax error anywhere it reads, including
    # an imported module; here pc2_code/legacy.py is Python 2.
    (project / "pc2_code/uses_legacy.py").write_text(
        "from pc2_code import legacy\n\n\ndef run() -> None:\n    legacy.main()\n",
        encoding="utf-8",
    )
    config = load_config(start=project)
    run = run_typing([str(project)], config, typing_settings(config))
    assert not run.problems
    assert "pc2_code.uses_legacy" in run.strict_clean_modules()
    assert [f.path for f in run.findings] == ["main_pc_code/utils/config_loader.py"]


def test_a_package_and_a_module_with_one_name_do_not_stop_the_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # mypy alone stops at 'Duplicate module named "pc2_code.health"' and checks nothing.
    (project / "pc2_code/health").mkdir()
    (project / "pc2_code/health/__init__.py").write_text(TYPED, encoding="utf-8")
    (project / "pc2_code/health.py").write_text(UNTYPED, encoding="utf-8")
    config = load_config(start=project)
    run = run_typing([str(project)], config, typing_settings(config))
    assert not run.problems
    found = sorted((f.path, f.code) for f in run.findings)
    assert found == [
        ("main_pc_code/utils/config_loader.py", "mypy[no-untyped-def]"),
        ("pc2_code/health.py", "mypy[duplicate-module]"),
    ]
    assert "pc2_code/health/__init__.py" in run.findings[1].message
    clean = run.strict_clean_modules()
    assert "pc2_code.health" in clean  # the package, which mypy checked
    assert run.modules["pc2_code/health.py"].strict_clean is False
    assert main(["typing"]) == 1  # findings, not "mypy failed"
    err = capsys.readouterr().err
    assert "mypy failed" not in err and "strict-clean modules: 7/10" in err


def test_clashes_mypy_finds_itself_are_left_out_too() -> None:
    from debt_lints.strict.mypy_run import ModuleInfo, _reported_clashes

    modules = {rel: ModuleInfo(rel, "a.b", rel) for rel in ("a/b.py", "src/a/b/__init__.py")}
    line = (
        '{"file": "src/a/b/__init__.py", "line": -1, "severity": "error", '
        '"message": "Duplicate module named \\"a.b\\" (also at \\"a/b.py\\")"}'
    )
    assert _reported_clashes(line, list(modules), modules) == {"a/b.py": "src/a/b/__init__.py"}


def test_no_numbers_when_mypy_did_not_finish(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mypy import api

    monkeypatch.setattr(api, "run", lambda args: ("", "", 2))
    assert main(["typing"]) == 3
    err = capsys.readouterr().err
    assert "strict-clean modules: not measured" in err
    assert "/8" not in err.split("annotated")[0]


def test_report_typing_without_a_typing_baseline_claims_no_strictness(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["baseline", "create"]) == 0  # without --typing: no mypy entries
    capsys.readouterr()
    assert main(["report", "--typing", "--format", "json", "--no-history"]) == 0
    typing = json.loads(capsys.readouterr().out)["typing"]
    assert typing["total"]["strict_clean"] is None
    assert main(["report", "--typing", "--no-history"]) == 0
    assert "strict-clean modules not measured" in capsys.readouterr().out
    assert main(["baseline", "create", "--force", "--typing"]) == 0
    capsys.readouterr()
    assert main(["report", "--typing", "--format", "json", "--no-history"]) == 0
    typing = json.loads(capsys.readouterr().out)["typing"]
    # config_loader has its mypy entry now; legacy.py does not parse.
    assert typing["total"]["strict_clean"] == 6


def test_adopting_typing_on_a_repository_with_a_baseline(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 26 item 5: the suggested command passes the ratchet, what cannot be
    recorded is named, and typing debt is its own series in every report."""
    import json
    import re
    import shlex

    from debt_lints.report import data
    from debt_lints.strict.mypy_run import MYPY_CODE_PREFIX
    from tests.gitutil import commit_all, init_repo, isolate_git

    assert data.TYPING_PREFIX == MYPY_CODE_PREFIX
    isolate_git(monkeypatch, project / ".home")
    monkeypatch.delenv("CI", raising=False)
    (project / ".gitignore").write_text(".home/\n", encoding="utf-8")
    init_repo(project)
    assert main(["baseline", "create"]) == 0  # the rules' debt only
    commit_all(project, "adopt debt-lints")
    capsys.readouterr()
    assert main(["report", "--typing", "--no-history"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"'(debt-lints baseline add --typing[^']*)', which ratchet accepts", out)
    assert found, out
    # A module whose import mypy cannot find: never baselined.
    (project / "main_pc_code/utils/uses_missing.py").write_text(
        "import no_such_package_xyz\n\n\ndef f() -> None:\n    no_such_package_xyz.go()\n",
        encoding="utf-8",
    )
    argv = shlex.split(found.group(1))[1:]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "not recorded: 1 mypy error can never be recorded in the baseline" in err
    assert "1 import-not-found (never-baseline" in err
    assert main(["ratchet", "--base", "HEAD"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    # typing keeps failing, and says why.
    assert main(["typing"]) == 1
    err = capsys.readouterr().err
    assert "1 mypy error can never be recorded in the baseline" in err
    (project / "main_pc_code/utils/uses_missing.py").unlink()
    assert main(["typing"]) == 0
    # The known debt is counted in the summary line, as check counts it.
    assert "All checks passed! (1 known in the baseline)" in capsys.readouterr().out
    adoption = commit_all(project, "adopt mypy --strict")
    capsys.readouterr()
    # The reports: the rules' total does not move; typing has its own total.
    assert main(["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["typing_total"] == 1
    assert report["typing_by_code"] == {"mypy[no-untyped-def]": 1}
    assert report["typing_adopted"] == adoption
    assert [p["total"] for p in report["trend"]] == [report["total"], report["total"]]
    assert [p["typing_total"] for p in report["trend"]] == [0, 1]
    assert all(not code.startswith("mypy[") for p in report["trend"] for code in p["by_rule"])
    assert all(not r["code"].startswith("mypy[") for r in report["by_rule"])
    assert main(["report"]) == 0
    text = capsys.readouterr().out
    assert "Strict typing: 1 mypy error recorded, counted apart from the rules" in text
    assert f"{adoption[:10]}" in text and "[typing adopted]" in text
    assert "mypy[" not in text.split("By rule:")[1].split("By directory")[0]
    assert main(["report", "--base", "HEAD~1", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "0 findings fixed, 0 new, net 0" in markdown
    assert "strict typing apart: 0 -> 1 (+1) (typing adopted)" in markdown
    pytest.importorskip("matplotlib")
    assert main(["report", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "Strict typing (mypy --strict errors)" in page
    assert "mypy[no-untyped-def]" not in page  # no chart, no row per mypy code
