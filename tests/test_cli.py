"""The ``debt-lints check`` command: exit codes, formats, selection, configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from tests.sample_project import BAD, finding_lines


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI; for ``check`` in the default format, ``out`` is the finding lines
    only (the code frames and the summary line are tests/test_output.py's)."""
    code = main(argv)
    out, err = capsys.readouterr()
    if argv[:1] == ["check"] and not any(a.startswith(("--format", "--output")) for a in argv):
        out = "".join(line + "\n" for line in finding_lines(out))
    return code, out, err


def test_findings_exit_1_and_text_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "text"], capsys)
    assert code == 1
    assert out == (
        "pkg/bad.py:2:1: DL201 sys.path is modified at runtime; "
        "install the package (pip install -e .) instead\n"
        "Found 1 finding\n"
    )


def test_clean_exit_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "pkg/good.py"], capsys)
    assert (code, out) == (0, "")


def test_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--exit-zero"], capsys)
    assert code == 0 and "DL201" in out


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and len(data) == 1
    item = data[0]
    for key in (
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "message",
        "severity",
    ):
        assert key in item
    assert (item["path"], item["line"], item["column"], item["code"]) == (
        "pkg/bad.py",
        2,
        1,
        "DL201",
    )
    assert (item["end_line"], item["end_column"], item["name"]) == (2, 31, "sys-path-injection")


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--select", "DL001"], capsys)[0] == 0
    assert run(["check", "--ignore", "DL2"], capsys)[0] == 0
    assert run(["check", "--select", "DL2"], capsys)[0] == 1


def test_unknown_selector_is_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--select", "XX9"], capsys)
    assert code == 2 and "XX9" in err and "Traceback" not in err


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", "--statistics", "--output-format", "concise"], capsys)
    assert out.splitlines()[-1].split() == ["1", "DL201", "sys-path-injection"]


def test_noqa_variants(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg" / "bad.py").write_text(
        "import sys\n"
        "sys.path.insert(0, 'a')  # noqa\n"
        "sys.path.insert(0, 'b')  # noqa: DL201\n"
        "sys.path.insert(0, 'c')  # NOQA:DL2\n"
        "sys.path.insert(0, 'd')  # noqa: DL301\n"
        "sys.path.insert(  # noqa: DL201\n    0,\n    'e',\n)\n",
        encoding="utf-8",
    )
    _, out, _ = run(["check"], capsys)
    # Line 5's DL301 suppresses nothing: DL201 is reported, and the comment (DL002).
    assert [line.split(":")[1] for line in out.splitlines()] == ["5", "5"]


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[tool.debt-lints]\nbogus = 1\n", "bogus"),
        ("[tool.debt-lints]\nselect = 'DL2'\n", "select"),
        ("[tool.debt-lints]\nrenamed-env-vars = ['A']\n", "renamed-env-vars"),
        ("[tool.debt-lints]\nselect = [\n", "invalid TOML"),
        ("[tool.debt-lints]\nper-file-ignores = { 'x/*' = ['NOPE'] }\n", "NOPE"),
    ],
)
def test_configuration_errors(
    project: Path, capsys: pytest.CaptureFixture[str], toml: str, needle: str
) -> None:
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert needle in err and "pyproject.toml" in err and "Traceback" not in err


def test_per_file_ignores_and_extend_exclude(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.debt-lints]\nper-file-ignores = { 'pkg/bad.py' = ['DL201'] }\n", encoding="utf-8"
    )
    assert run(["check"], capsys)[0] == 0
    (project / "pyproject.toml").write_text(
        "[tool.debt-lints]\nextend-exclude = ['pkg']\n", encoding="utf-8"
    )
    assert run(["check"], capsys)[0] == 0


def test_explicit_config_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = project / "lint.toml"
    other.write_text("[tool.debt-lints]\nignore = ['DL201']\n", encoding="utf-8")
    assert run(["check", "--config", str(other)], capsys)[0] == 0
    code, _, err = run(["check", "--config", str(project / "missing.toml")], capsys)
    assert code == 2 and "missing.toml" in err


def test_default_excluded_directories(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in (".venv", "node_modules", "__pycache__", ".git", "build"):
        (project / name).mkdir()
        (project / name / "x.py").write_text(BAD, encoding="utf-8")
    _, out, _ = run(["check"], capsys)
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/bad.py"]


def test_syntax_error_does_not_stop_the_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "broken.py").write_text('print "py2"\n', encoding="utf-8")
    code, out, _ = run(["check"], capsys)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("pkg/bad.py:2:1: DL201")
    assert lines[1].startswith("pkg/broken.py:1:1: DL001")


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "DL201  sys-path-injection" in out
    code, out, _ = run(["rule", "sys-path-injection"], capsys)
    assert code == 0 and out.startswith("# DL201 sys-path-injection")
    code, _, err = run(["rule", "DL999"], capsys)
    assert code == 2 and "DL999" in err


def test_console_script_and_module_entry(project: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", "pkg"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1 and out.stdout.startswith("pkg/bad.py:2:1: DL201")
    assert out.stderr == ""


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("# flake8: noqa", []),
        ("# debt-lints: noqa", []),
        ("# ruff: noqa: DL201", []),
        # DL3 finds nothing here: DL002 says so on line 1.
        ("# debt-lints: noqa: DL3", ["1", "2", "3"]),
        # flake8 ignores a file-level noqa that names codes: so do we.
        ("# flake8: noqa: DL201", ["2", "3"]),
        # Not on a line of its own: an ordinary line noqa for line 1 only.
        ("x = 1  # flake8: noqa", ["2", "3"]),
    ],
)
def test_file_level_noqa(
    project: Path, capsys: pytest.CaptureFixture[str], comment: str, reported: list[str]
) -> None:
    (project / "pkg" / "bad.py").write_text(
        f"{comment}\nimport sys; sys.path.insert(0, 'a')\nsys.path.append('b')\n",
        encoding="utf-8",
    )
    _, out, _ = run(["check", "--no-cache"], capsys)
    assert [line.split(":")[1] for line in out.splitlines()] == reported


def test_output_file_may_be_a_device_or_fifo(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import stat
    import threading

    code, out, _ = run(["check", "--output-file", os.devnull], capsys)
    assert code == 1 and out == ""
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode), "/dev/null was replaced"
    fifo = tmp_path / "findings.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    assert run(["check", "--output-file", str(fifo)], capsys)[0] == 1
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith("pkg/bad.py:2:1: DL201")


def test_atomic_write_never_replaces_a_special_file_and_writes_through_links(
    tmp_path: Path,
) -> None:
    import os

    from debt_lints.core.atomic import NotARegularFile, atomic_write_text

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile):
        atomic_write_text(fifo, "x")
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_bug_outside_the_per_file_guard_is_one_line_and_exit_3(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import debt_lints.formats.full as text_format

    def broken(*args: object) -> str:
        raise ValueError("renderer bug")

    monkeypatch.setattr(text_format, "render", broken)
    code, _, err = run(["check"], capsys)
    assert code == 3
    assert err.startswith("debt-lints: internal error: ValueError: renderer bug at ")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_version_is_answered_without_building_the_parser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints import __version__
    from debt_lints.adapters import cli

    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("parser built"))
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"debt-lints {__version__}\n"


def _registered(module: str) -> set[str]:
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="debt-lints")
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).add_parser(sub)
    return set(sub.choices)


def test_each_sub_command_is_found_in_the_module_that_defines_it() -> None:
    """A run builds its own sub-command's parser only: the table must name every
    sub-command, in the module that registers it."""
    from debt_lints.adapters import cli

    found = {name: module for module in cli.COMMANDS for name in _registered(module)}
    assert found == cli.COMMAND_MODULES


def test_a_sub_command_parses_and_helps_the_same_built_alone() -> None:
    from debt_lints.adapters import cli

    for words in (["check"], ["baseline", "create"]):
        alone, whole = cli.build_parser(words[0]), cli.build_parser()
        helps = []
        for parser in (alone, whole):
            args = parser.parse_args(words)
            helps.append((cli._command_parser(parser, args).format_help(), vars(args)))
        assert "usage: debt-lints " + " ".join(words) in helps[0][0]
        assert helps[0] == helps[1], words
    assert cli.build_parser("nothing-such").format_help() == cli.build_parser().format_help()


def test_check_loads_without_the_cyclic_collector_and_runs_with_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Start-up objects live as long as the process: the collector does not walk them
    while ``check`` loads, they are frozen before the run, and it runs with the
    collector on; ``main`` leaves the collector as it found it."""
    import gc

    from debt_lints.running import runner

    seen = []
    real = runner.run

    def spy(*args: object, **kwargs: object) -> object:
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run", spy)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.py").write_text("x = 1\n", encoding="utf-8")
    loading = []
    real_discover = __import__("debt_lints.adapters.cli.options", fromlist=["x"]).discover_project

    def discover(*args: object, **kwargs: object) -> object:
        loading.append(gc.isenabled())
        return real_discover(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("debt_lints.adapters.cli.options.discover_project", discover)
    assert gc.isenabled()
    assert main(["check", "--no-cache", "one.py"]) == 0
    assert loading == [False] and seen == [(True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert main(["check", "--no-cache", "one.py"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
