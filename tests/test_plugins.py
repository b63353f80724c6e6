"""The flake8 and pylint adapters: configuration, message ids, positions, their own faults."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.flake8 import DebtLintsChecker
from debt_lints.checkers.portability.sys_path_injection import SysPathInjection
from debt_lints.engine.registry import all_rules, lookup
from debt_lints.hosts.plugin_ids import (
    PLUGIN_ERROR_CODE,
    PLUGIN_ERROR_SYMBOL,
    pylint_rules,
)
from debt_lints.hosts.plugin_ids import pylint_message_id as message_id
from debt_lints.hosts.session import HostSession

BAD = "import sys\nsys.path.insert(0, 'vendor/x')\n"
MESSAGE = "sys.path is modified at runtime; install the package (pip install -e .) instead"


def flake8(args: list[str], cwd: Path, stdin: str | None = None) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "DL", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout.splitlines()


def project(tmp_path: Path, config: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n" + config, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "top.py").write_text(BAD, encoding="utf-8")
    return tmp_path


# --- message ids -------------------------------------------------------------------


def test_pylint_message_ids_are_permanent() -> None:
    assert message_id("DL201", SysPathInjection.severity) == "E7421"
    assert message_id(PLUGIN_ERROR_CODE) == "E7400"
    assert message_id("DL502") == "E7452"
    with pytest.raises(ValueError, match="DL310"):
        message_id("DL310")


def test_every_rule_has_a_unique_pylint_id_and_the_plugin_code_is_free() -> None:
    ids = [message_id(rule.code, rule.severity)[1:] for rule in pylint_rules()]
    assert len(set(ids)) == len(ids)
    assert "7400" not in ids
    assert lookup(PLUGIN_ERROR_CODE) is None, "DL000 is reserved for plugin errors"
    # Every rule but DL001, which pylint reports itself (E0001); DL002 is a message.
    assert {r.code for r in pylint_rules()} == {r.code for r in all_rules()} - {"DL001"}


def test_pylint_registers_without_clashing_with_its_own_messages() -> None:
    from pylint.lint import PyLinter

    from debt_lints.adapters.pylint import register

    linter = PyLinter()
    linter.load_default_plugins()
    register(linter)  # raises on a duplicate symbol or id, or mixed checker ids
    for rule in pylint_rules():
        definition = linter.msgs_store.get_message_definitions(rule.name)[0]
        assert definition.msgid == message_id(rule.code, rule.severity)


# --- flake8 --------------------------------------------------------------------------


def test_flake8_reports_with_zero_based_columns_as_flake8_prints_them(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    assert flake8(["pkg/bad.py"], root) == [f"pkg/bad.py:2:1: DL201 {MESSAGE}"]


def test_flake8_honours_the_pyproject_of_the_file(tmp_path: Path) -> None:
    root = project(tmp_path, 'per-file-ignores = { "pkg/*" = ["DL2"] }\n')
    assert flake8(["."], root) == [f"./top.py:2:1: DL201 {MESSAGE}"]
    (root / "pyproject.toml").write_text('[tool.debt-lints]\nignore = ["DL201"]\n')
    assert flake8(["."], root) == []
    (root / "pyproject.toml").write_text('[tool.debt-lints]\nextend-exclude = ["pkg"]\n')
    assert flake8(["."], root) == [f"./top.py:2:1: DL201 {MESSAGE}"]


def test_flake8_debt_lints_config_option_and_flake8_config_key(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    (root / "quiet.toml").write_text('ignore = ["DL2"]\n', encoding="utf-8")
    assert flake8(["--debt-lints-config", "quiet.toml", "."], root) == []
    (root / ".flake8").write_text("[flake8]\ndebt-lints-config = quiet.toml\n")
    out = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DL", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (out.returncode, out.stdout) == (0, "")


def test_flake8_stops_on_a_bad_explicit_config(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    (root / "bad.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--debt-lints-config", "bad.toml", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1
    assert "debt-lints:" in out.stdout and "no-such-key" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_flake8_broken_pyproject_is_one_finding_per_file_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    root = project(tmp_path / "broken", "no-such-key = 1\n")
    other = project(tmp_path / "fine", "")
    lines = flake8([str(root / "top.py"), str(other / "top.py")], tmp_path)
    assert len(lines) == 2
    assert f"{PLUGIN_ERROR_CODE} debt-lints could not check this file" in lines[0]
    assert "no-such-key" in lines[0]
    assert lines[1].endswith(f"DL201 {MESSAGE}")


def test_flake8_noqa_and_disable_noqa(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    source = "import sys\nsys.path.insert(  # noqa: DL201\n    0,\n    '/x',\n)\n"
    (root / "top.py").write_text(source, encoding="utf-8")
    assert flake8(["top.py"], root) == []
    assert len(flake8(["--disable-noqa", "top.py"], root)) == 1


def _run_checker(source: str, filename: str = "mod.py") -> list[tuple[int, int, str]]:
    DebtLintsChecker.parse_options(argparse.Namespace(debt_lints_config=None, disable_noqa=False))
    checker = DebtLintsChecker(ast.parse(source), source.splitlines(True), filename)
    return [(line, col, text) for line, col, text, _ in checker.run()]


def test_flake8_a_rule_that_raises_is_one_plugin_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, node: ast.Call, ctx: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(SysPathInjection, "visit_Call", boom)
    results = _run_checker(BAD)
    assert len(results) == 1
    line, col, text = results[0]
    assert (line, col) == (1, 0)
    assert text.startswith(f"{PLUGIN_ERROR_CODE} debt-lints could not check this file: ")
    assert "DL201" in text and "RuntimeError: rule bug" in text


def test_flake8_an_adapter_bug_is_one_plugin_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("adapter bug")

    monkeypatch.setattr(HostSession, "check", boom)
    results = _run_checker(BAD)
    assert len(results) == 1 and "internal error: KeyError" in results[0][2]


# --- pylint ---------------------------------------------------------------------------


def pylint_messages(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    from pylint.lint import Run
    from pylint.reporters import CollectingReporter

    monkeypatch.chdir(cwd)
    (cwd / "empty-pylintrc").write_text("", encoding="utf-8")
    reporter = CollectingReporter()
    symbols = ",".join([PLUGIN_ERROR_SYMBOL, *(r.name for r in pylint_rules())])
    Run(
        [
            "--rcfile=empty-pylintrc",
            "--persistent=n",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            f"--enable={symbols}",
            *args,
        ],
        reporter=reporter,
        exit=False,
    )
    return list(reporter.messages)


def test_pylint_positions_and_disable_pragma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, "")
    (root / "top.py").write_text(
        "import sys\nsys.path.insert(0, 'x')\n"
        "sys.path.append('y')  # pylint: disable=sys-path-injection\n",
        encoding="utf-8",
    )
    messages = pylint_messages(["top.py"], root, monkeypatch)
    assert [
        (m.symbol, m.msg_id, m.line, m.column, m.end_line, m.end_column, m.msg)  # type: ignore[attr-defined]
        for m in messages
    ] == [("sys-path-injection", "E7421", 2, 0, 2, 23, MESSAGE)]


def test_pylint_honours_pyproject_and_its_own_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, 'per-file-ignores = { "pkg/*" = ["DL201"] }\n')
    messages = pylint_messages(["top.py", "pkg/bad.py"], root, monkeypatch)
    assert [m.path for m in messages] == ["top.py"]  # type: ignore[attr-defined]
    (root / "quiet.toml").write_text('ignore = ["DL201"]\n', encoding="utf-8")
    args = ["--debt-lints-config=quiet.toml", "top.py"]
    assert pylint_messages(args, root, monkeypatch) == []


def test_pylint_a_rule_that_raises_is_one_plugin_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: object, node: ast.Call, ctx: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(SysPathInjection, "visit_Call", boom)
    root = project(tmp_path, "")
    messages = pylint_messages(["top.py", "pkg/bad.py"], root, monkeypatch)
    assert [(m.symbol, m.line) for m in messages] == [  # type: ignore[attr-defined]
        (PLUGIN_ERROR_SYMBOL, 1),
        (PLUGIN_ERROR_SYMBOL, 1),
    ]
    assert "RuntimeError: rule bug" in messages[0].msg  # type: ignore[attr-defined]


def test_pylint_enable_by_checker_name_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/plugins.md: ``--disable=all --enable=debt-lints`` runs only debt-lints."""
    from pylint.lint import Run

    root = project(tmp_path, "")
    monkeypatch.chdir(root)
    (root / "empty-pylintrc").write_text("", encoding="utf-8")
    plugins_md = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text("utf-8")
    assert "`--disable=all --enable=debt-lints`" in plugins_md
    run = Run(
        [
            "--rcfile=empty-pylintrc",
            "--persistent=n",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            "--enable=debt-lints",
            "top.py",
        ],
        exit=False,
    )
    linter = run.linter
    symbols = [PLUGIN_ERROR_SYMBOL, *(r.name for r in pylint_rules())]
    assert all(linter.is_message_enabled(s) for s in symbols)
    assert not linter.is_message_enabled("unused-import")
