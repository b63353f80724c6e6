"""Checking a repository never runs any of its code, nor its configuration.

A trap repository, built in a temporary directory, has a file for every way
Python tools end up executing a checkout by accident: a package
``__init__.py``, ``conftest.py``, ``setup.py``, ``sitecustomize.py``,
``usercustomize.py``, a ``.pth`` file, modules named like the standard-library
and third-party modules debt-lints imports lazily (``json.py``, ``yaml.py``
...), and YAML payloads that run a command when *constructed*. Each trap
writes a sentinel file when it runs; the first test proves that every trap
is live, the others that no sentinel exists after debt-lints looked at the
repository through every entry point.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

#: Modules whose names a checkout could shadow: imported lazily by debt-lints
#: (or by the hosts it plugs into) after the checkout's directory may be on
#: ``sys.path``.
SHADOWED = (
    "argparse",
    "dataclasses",
    "fnmatch",
    "glob",
    "inspect",
    "json",
    "tempfile",
    "tokenize",
    "tomli",
    "tomllib",
    "traceback",
    "yaml",
)


def trap(sentinels: Path, name: str) -> str:
    """Python code that leaves ``sentinels/name`` behind when it runs."""
    # Only ``os``, which the interpreter has imported before any of the
    # shadowing modules below could take over a name.
    path = str(sentinels / name)
    return f"import os; os.close(os.open({path!r}, os.O_CREAT | os.O_WRONLY, 0o644))\n"


def build_trap_repository(root: Path) -> tuple[Path, dict[str, list[str]]]:
    """Build the trap repository; returns the sentinel directory and how to spring each trap."""
    sentinels = root.parent / f"{root.name}-sentinels"
    sentinels.mkdir()
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\n\n[tool.debt-lints]\n', encoding="utf-8"
    )
    (root / "pkg").mkdir()
    inject = "import sys\nsys.path.insert(0, 'lib')\n"  # DL201: proves the file was checked
    files = {
        "pkg/__init__.py": trap(sentinels, "pkg-init") + inject,
        "pkg/__main__.py": trap(sentinels, "pkg-main"),
        "conftest.py": trap(sentinels, "conftest") + inject,
        "setup.py": trap(sentinels, "setup") + inject,
        "sitecustomize.py": trap(sentinels, "sitecustomize"),
        "usercustomize.py": trap(sentinels, "usercustomize"),
        "noxfile.py": trap(sentinels, "noxfile"),
        "evil.pth": trap(sentinels, "pth"),
        **{f"{name}.py": trap(sentinels, f"shadow-{name}") for name in SHADOWED},
        "payload.yaml": (
            f'apply: !!python/object/apply:os.system ["touch {sentinels / "yaml-apply"}"]\n'
            f"new: !!python/object/new:os.system [touch {sentinels / 'yaml-new'}]\n"
            "name: !!python/name:os.system\n"
        ),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    python = sys.executable
    springs = {
        "pkg-init": [python, "-c", "import pkg"],
        "pkg-main": [python, "-m", "pkg"],
        "conftest": [python, "conftest.py"],
        "setup": [python, "setup.py"],
        "sitecustomize": [python, "-c", "import sitecustomize"],
        "usercustomize": [python, "-c", "import usercustomize"],
        "noxfile": [python, "noxfile.py"],
        "pth": [python, "-c", "import site; site.addsitedir('.')"],
        **{f"shadow-{n}": [python, "-c", f"import {n}"] for n in SHADOWED},
        "yaml-apply": [python, "-c", _UNSAFE_YAML],
        "yaml-new": [python, "-c", _UNSAFE_YAML],
    }
    return sentinels, springs


# What a careless tool would do with the YAML file: construct it.
_UNSAFE_YAML = (
    "import sys; sys.path.remove(sys.path[0]); import yaml; "
    "yaml.unsafe_load(open('payload.yaml').read())"
)


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYLINT", "FLAKE8", "PYTHON"))}
    env["PYLINTHOME"] = str(tmp_path / "pylint-home")
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture()
def repository(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    sentinels, _ = build_trap_repository(root)
    return root, sentinels


def test_every_trap_is_live(tmp_path: Path) -> None:
    """Without this, a trap that cannot fire would make the tests below pass vacuously."""
    root = tmp_path / "repo"
    sentinels, springs = build_trap_repository(root)
    env = clean_env(tmp_path)
    for name, cmd in springs.items():
        run(cmd, root, env)
        assert (sentinels / name).exists(), name
        (sentinels / name).unlink()


def assert_nothing_ran(sentinels: Path) -> None:
    assert sorted(p.name for p in sentinels.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        [str(BIN / "debt-lints"), "check"],
        # With -m, Python puts the current directory first on sys.path.
        [sys.executable, "-m", "debt_lints", "check"],
        [sys.executable, "-m", "debt_lints", "check", "--format", "json", "."],
        [str(BIN / "debt-lints"), "baseline", "create"],
    ],
    ids=["console-script", "python-m", "python-m-json", "baseline-create"],
)
def test_the_cli_runs_nothing_from_the_repository(
    repository: tuple[Path, Path], tmp_path: Path, command: list[str]
) -> None:
    root, sentinels = repository
    done = run(command, root, clean_env(tmp_path))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in {0, 1}, done.stderr
    if command[-1] != "create":
        assert "pkg/__init__.py" in done.stdout  # it did check the trap files
    assert_nothing_ran(sentinels)


def test_the_flake8_plugin_runs_nothing_from_the_repository(
    repository: tuple[Path, Path], tmp_path: Path
) -> None:
    pytest.importorskip("flake8")
    root, sentinels = repository
    done = run(
        [str(BIN / "flake8"), "--isolated", "--select", "DL", "."], root, clean_env(tmp_path)
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "./pkg/__init__.py:3:1: DL201" in done.stdout, done.stdout + done.stderr
    assert_nothing_ran(sentinels)


def test_the_pylint_plugin_runs_nothing_from_the_repository(
    repository: tuple[Path, Path], tmp_path: Path
) -> None:
    pytest.importorskip("pylint")
    root, sentinels = repository
    # An empty rcfile: pylint's own init-hook option would run code by design.
    (tmp_path / "empty-pylintrc").write_text("", encoding="utf-8")
    command = [
        str(BIN / "pylint"),
        f"--rcfile={tmp_path / 'empty-pylintrc'}",
        "--persistent=n",
        "--load-plugins=debt_lints.pylint",
        "--disable=all",
        "--enable=sys-path-injection",
        "pkg",
        "conftest.py",
        "setup.py",
        *(f"{name}.py" for name in SHADOWED),
    ]
    done = run(command, root, clean_env(tmp_path))
    assert "Traceback" not in done.stderr, done.stderr
    assert "pkg/__init__.py:3:0: E7421" in done.stdout, done.stdout + done.stderr
    assert_nothing_ran(sentinels)


def test_yaml_payloads_are_labels_never_constructed(
    repository: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Tags such as ``!!python/object/apply`` are composed, never constructed.

    They are harmlessly ignored: the file is valid YAML, so it gets no DL001,
    and the scalars under the tags are checked like any others.
    """
    from debt_lints.adapters.cli import main
    from debt_lints.analysis import yamlwalk

    root, sentinels = repository
    scalars = yamlwalk.scalars((root / "payload.yaml").read_text(encoding="utf-8"))
    assert not isinstance(scalars, yamlwalk.SourceProblem)
    assert [(s.key_path, s.value, s.tag.rsplit(":", 1)[-1]) for s in scalars] == [
        ("apply[0]", f"touch {sentinels / 'yaml-apply'}", "str"),
        ("new[0]", f"touch {sentinels / 'yaml-new'}", "str"),
        ("name", "", "os.system"),
    ]
    assert main(["check", "-q", "--select", "DL001", str(root / "payload.yaml")]) == 0
    assert capsys.readouterr().out == ""
    assert_nothing_ran(sentinels)


def test_the_language_server_runs_nothing_from_the_repository(
    repository: tuple[Path, Path],
) -> None:
    pytest.importorskip("pygls")
    from tests.test_lsp import Client

    root, sentinels = repository
    client = Client(root)  # python -m debt_lints lsp --stdio, in the repository
    try:
        client.request(
            "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
        )
        client.notify("initialized", {})
        codes = {}
        for path in sorted([*root.glob("*.py"), *root.glob("pkg/*.py"), root / "payload.yaml"]):
            uri = path.as_uri()
            document = {"uri": uri, "languageId": "python", "version": 1}
            document["text"] = path.read_text(encoding="utf-8")
            client.notify("textDocument/didOpen", {"textDocument": document})
            codes[path.relative_to(root).as_posix()] = [
                d["code"] for d in client.diagnostics(uri, version=1)
            ]
            client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
            client.diagnostics(uri)
        assert codes["pkg/__init__.py"] == ["DL201"]  # it did check the trap files
        assert codes["payload.yaml"] == []
        assert client.request("shutdown", None)["result"] is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=30) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()
    assert_nothing_ran(sentinels)
