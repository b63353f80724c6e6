"""Parity: the CLI, flake8 and pylint report the same findings on the same files.

A rule that behaves differently in one host is a bug of that host's adapter.
Each host runs as its users run it (flake8 and pylint as subprocesses,
isolated from any user or project configuration of their own) over the whole
``examples/`` tree and over every rule fixture, each fixture in its own small
project whose ``pyproject.toml`` holds the fixture's configuration. Rows are
``(path, line, column, code)``; DL001 is left out (flake8 and pylint report
unparsable files themselves), so are the other findings of a file that does
not parse (``partial``: the hosts run no plugin on such a file), so are
YAML files (only the CLI and the language server read them), and so are the
whole-repository rules DL601-DL603 (a plugin sees one file at a time;
docs/map.md).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.engine.registry import all_rules, lookup
from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_SYMBOL, pylint_rules
from tests.fixtures import PATH_RE, fixture_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
Row = tuple[str, int, int, str]
#: Codes only the CLI and the language server report: they need the whole repository.
PROJECT_CODES = frozenset(r.code for r in all_rules() if issubclass(r, ProjectRule)) | {
    # Reported by check on the configuration file; a plugin sees one Python file
    # (there, each import of the old module says it: test_fix_safety).
    "DL003"
}


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYLINT", "FLAKE8"))}
    env["PYLINTHOME"] = str(tmp / "pylint-home")
    return env


def _run(cmd: list[str], cwd: Path, tmp: Path, stdin: str | None = None) -> str:
    out = subprocess.run(
        cmd,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(tmp),
        check=False,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout + "\0" + str(out.returncode) + "\0" + out.stderr


def cli_rows(project: Path) -> set[Row]:
    """``debt-lints check --format json PROJECT``, run in-process."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        status = main(["check", "--format", "json", str(project)])
    assert status in (0, 1), f"debt-lints check {project} exited {status}"
    return {
        (str(Path(item["path"]).resolve()), item["line"], item["column"], item["code"])
        for item in json.loads(buffer.getvalue())
        if item["code"] != "DL001"
        and not item["partial"]
        and item["code"] not in PROJECT_CODES
        and item["path"].endswith(".py")
    }


def flake8_rows(args: list[str], cwd: Path, tmp: Path, stdin: str | None = None) -> set[Row]:
    cmd = [
        sys.executable,
        "-m",
        "flake8",
        "--isolated",
        "--select",
        "DL",
        "--format",
        "%(path)s\t%(row)d\t%(col)d\t%(code)s",
        *args,
    ]
    stdout, status, stderr = _run(cmd, cwd, tmp, stdin).split("\0")
    assert status in {"0", "1"}, stderr
    rows = set()
    for line in stdout.splitlines():
        path, row, col, code = line.split("\t")
        rows.add((str((cwd / path).resolve()), int(row), int(col), code))
    return rows


def pylint_rows(args: list[str], cwd: Path, tmp: Path, stdin: str | None = None) -> set[Row]:
    rcfile = tmp / "empty-pylintrc"
    rcfile.write_text("", encoding="utf-8")
    symbols = ",".join([PLUGIN_ERROR_SYMBOL, *(r.name for r in pylint_rules())])
    cmd = [
        sys.executable,
        "-m",
        "pylint",
        f"--rcfile={rcfile}",
        "--persistent=n",
        "--score=n",
        "--load-plugins=debt_lints.pylint",
        "--disable=all",
        f"--enable={symbols}",
        "--msg-template={path}\t{line}\t{column}\t{symbol}",
        *args,
    ]
    stdout, status, stderr = _run(cmd, cwd, tmp, stdin).split("\0")
    # pylint's status is a bit mask: 1 fatal, 32 usage error; the rest are findings.
    assert not int(status) & 1 and int(status) < 32, stdout + stderr
    rows = set()
    for line in stdout.splitlines():
        if line.startswith("*" * 13):
            continue
        path, row, col, symbol = line.split("\t")
        rule = lookup(symbol)
        code = rule.code if rule is not None else "DL000"
        if code == "DL001":
            continue  # pylint's own syntax-error (E0001) shares DL001's name: left out
        rows.add((str((cwd / path).resolve()), int(row), int(col) + 1, code))
    return rows


def build_fixture_project(fixture: Path, base: Path) -> Path:
    """A project holding one fixture at its ``# fixture-path``, configured as the harness does."""
    project = base / fixture.stem
    toml = fixture.with_suffix(".toml")
    config = toml.read_text(encoding="utf-8") if toml.exists() else ""
    if "[tool.debt-lints]" not in config:
        config = "[tool.debt-lints]\n" + config
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(config, encoding="utf-8")
    match = PATH_RE.search(fixture.read_text(encoding="utf-8", errors="replace"))
    relpath = match.group(1).lstrip("/") if match else fixture.name
    target = project / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, target)
    return project


PY_FIXTURES = [f for f in fixture_files() if f.suffix == ".py"]


@pytest.fixture(scope="module")
def fixture_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    base = tmp_path_factory.mktemp("fixture-projects")
    return base, [build_fixture_project(f, base) for f in PY_FIXTURES]


def test_examples_parity(tmp_path: Path) -> None:
    cli: set[Row] = set()
    for child in sorted(EXAMPLES.iterdir()):
        cli |= cli_rows(child)
    assert cli, "the demo reports nothing: this test would prove nothing"
    assert flake8_rows(["examples"], ROOT, tmp_path) == cli
    assert pylint_rows(["--recursive=y", "examples"], ROOT, tmp_path) == cli


def test_fixture_parity(fixture_tree: tuple[Path, list[Path]], tmp_path: Path) -> None:
    base, projects = fixture_tree
    cli: set[Row] = set()
    for project in projects:
        cli |= cli_rows(project)
    codes = {row[3] for row in cli}
    assert {r.code for r in pylint_rules()} - PROJECT_CODES <= codes, "a rule fires in no fixture"
    assert flake8_rows(["."], base, tmp_path) == cli
    assert pylint_rows(["--recursive=y", "."], base, tmp_path) == cli


def _one_fixture_per_rule() -> list[Path]:
    chosen: dict[str, Path] = {}
    for fixture in PY_FIXTURES:
        chosen.setdefault(fixture.name[:5], fixture)
    return sorted(chosen.values())


@pytest.mark.slow
@pytest.mark.parametrize("fixture", _one_fixture_per_rule(), ids=lambda p: p.stem)
def test_stdin_parity(fixture: Path, tmp_path: Path) -> None:
    """Editors send the buffer on standard input: hosts must check it, not the file on disk."""
    project = build_fixture_project(fixture, tmp_path / "projects")
    expected = {row[1:] for row in cli_rows(project)}
    assert expected
    target = next(p for p in project.rglob("*.py"))
    buffer = target.read_text(encoding="utf-8")
    target.write_text("CLEAN_ON_DISK = 1\n", encoding="utf-8")  # stale content must not leak
    relative = str(target.relative_to(project))
    f8 = flake8_rows(["--stdin-display-name", relative, "-"], project, tmp_path, buffer)
    pl = pylint_rows(["--from-stdin", relative], project, tmp_path, buffer)
    assert {row[1:] for row in f8} == expected
    assert {row[1:] for row in pl} == expected


CROSS_FILE = {
    "pyproject.toml": (
        '[tool.debt-lints]\nimport-roots = [".", "main_pc_code"]\n'
        "[tool.debt-lints.deprecated-imports]\n"
        '"main_pc_code.utils.path_manager" = "common.utils.path_manager"\n'
    ),
    "common/core/base_agent.py": (
        "import zmq\n\n\nclass BaseAgent:\n    def __init__(self):\n"
        "        self.context = zmq.Context.instance()\n        self.socket = None\n\n"
        "    def cleanup(self):\n        self.socket.close()\n        self.context.term()\n"
    ),
    "main_pc_code/utils/path_manager.py": "class PathManager:\n    pass\n",
    "main_pc_code/agents/agent.py": (
        "import zmq\n\nfrom common.core.base_agent import BaseAgent\n"
        "from utils.path_manager import PathManager\n\n\nclass Agent(BaseAgent):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.socket = self.context.socket(zmq.REP)\n"
        "        self.pub_socket = self.context.socket(zmq.PUB)\n"
    ),
}


def test_cross_file_parity(tmp_path: Path) -> None:
    """Findings that depend on other files (base classes, import roots) agree in every host.

    flake8 and pylint see one file at a time: the facts of the others are
    read from disk (never imported).
    """
    project = tmp_path / "project"
    for relpath, text in CROSS_FILE.items():
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        (project / relpath).write_text(text, encoding="utf-8")
    cli = cli_rows(project)
    agent = str((project / "main_pc_code/agents/agent.py").resolve())
    assert {(row[1], row[3]) for row in cli if row[0] == agent} == {(4, "DL101"), (11, "DL501")}
    assert flake8_rows(["."], project, tmp_path) == cli
    assert pylint_rows(["--recursive=y", "."], project, tmp_path) == cli
    # An editor's buffer (standard input) is checked, not the file on disk.
    relative = "main_pc_code/agents/agent.py"
    buffer = CROSS_FILE[relative].replace(
        "        self.pub_socket = self.context.socket(zmq.PUB)\n", ""
    )
    expected = {(4, 1, "DL101")}
    f8 = flake8_rows(["--stdin-display-name", relative, "-"], project, tmp_path, buffer)
    pl = pylint_rows(["--from-stdin", relative], project, tmp_path, buffer)
    assert {row[1:] for row in f8} == expected
    assert {row[1:] for row in pl} == expected
