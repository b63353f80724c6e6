"""Hostile input to the typing ratchet: nothing a repository writes makes mypy run or write.

The repros of the third hostile review (issue 28): N1, an argument file in
``[tool.debt-lints.typing] flags``; N2, ``~`` and ``$VAR`` in the
repository's mypy configuration. mypy runs on flags from an allow-list and on
a configuration debt-lints writes, never on the repository's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_hostile import run

pytest.importorskip("mypy")

TYPED = "def f(x: int) -> int:\n    return x\n"
UNTYPED = "def g(x):\n    return x\n"


def hostile_repo(tmp_path: Path, pyproject: str, **files: str) -> Path:
    """A repository with a typed package, an ``evil.sh`` that leaves ``SENTINEL`` and ``files``."""
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (repo / "pkg" / "m.py").write_text(TYPED, encoding="utf-8")
    (repo / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    evil = repo / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'SENTINEL'}'\necho []\n", encoding="utf-8")
    evil.chmod(0o755)
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    return repo


# --- N1: flags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        '["@flags.txt"]',
        '["--always-true", "@flags.txt"]',
        '["--python-version", "3.10", "@flags.txt"]',
    ],
    ids=["alone", "as-a-value", "after-a-flag"],
)
def test_an_argument_file_in_flags_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: str
) -> None:
    """N1's repro: mypy expands ``@file``; its ``--python-executable`` must never run."""
    repo = hostile_repo(
        tmp_path,
        f"[tool.debt-lints.typing]\nflags = {flags}\n",
        **{"flags.txt": "--python-executable\n./evil.sh\n"},
    )
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert "@flags.txt" in err and "argument file" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "SENTINEL").exists()


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        ('["--junit-xml=report.xml"]', "--junit-xml"),
        ('["--html-report", "html"]', "--html-report"),
        ('["--shadow-file", "pkg/m.py", "evil.sh"]', "--shadow-file"),
        ('["--custom-typeshed-dir=."]', "--custom-typeshed-dir"),
        ('["--pdb"]', "--pdb"),
        ('["--cache-map", "pkg/m.py", "a.json", "b.json"]', "--cache-map"),
        ('["-n", "64"]', "-n"),
        ('["pkg/extra.py"]', "pkg/extra.py"),
        ('["--python-version=~/3.10"]', "--python-version"),
        ('["--always-true=$HOME"]', "--always-true"),
        ('["--follow-imports", "sideways"]', "--follow-imports"),
    ],
)
def test_flags_off_the_allow_list_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: str, named: str
) -> None:
    repo = hostile_repo(tmp_path, f"[tool.debt-lints.typing]\nflags = {flags}\n")
    before = sorted(p.name for p in repo.iterdir())
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert named in err and "typing.flags" in err
    assert len(err.splitlines()) == 1
    assert sorted(p.name for p in repo.iterdir()) == before  # no report, no cache


def test_allow_listed_flags_still_change_what_mypy_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = hostile_repo(tmp_path, "[tool.debt-lints.typing]\n")
    (repo / "pkg" / "old.py").write_text(UNTYPED, encoding="utf-8")
    assert run(repo, "typing") == 1
    assert "mypy[no-untyped-def]" in capsys.readouterr().out
    (repo / "pyproject.toml").write_text(
        "[tool.debt-lints.typing]\n"
        'flags = ["--python-version", "3.10", "--disable-error-code=no-untyped-def",'
        ' "--allow-untyped-defs", "--warn-unreachable"]\n',
        encoding="utf-8",
    )
    assert run(repo, "typing") == 0, capsys.readouterr().err


# --- N2: the repository's mypy configuration --------------------------------------


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``$HOME`` beside the repository, with a ``.bashrc`` to keep, and ``$VICTIM``."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("export KEEP=1\n", encoding="utf-8")
    victim = tmp_path / "victim"
    victim.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("VICTIM", str(victim))
    return home


def mypy_ini_repo(tmp_path: Path, ini: str) -> Path:
    return hostile_repo(
        tmp_path, '[tool.debt-lints.typing]\nmypy-config = "mypy.ini"\n', **{"mypy.ini": ini}
    )


def outside(tmp_path: Path) -> dict[str, str]:
    """Every file beside the repository, with its contents."""
    return {
        str(p.relative_to(tmp_path)): p.read_text(encoding="utf-8")
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file() and "repo" not in p.relative_to(tmp_path).parts
    }


@pytest.mark.parametrize(
    "value",
    [
        "~/{up}proc/self/cwd/evil.sh",
        "$HOME/{up}proc/self/cwd/evil.sh",
        "${HOME}/{up}proc/self/cwd/evil.sh",
    ],
)
@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "allow-local-plugins"])
def test_home_and_variables_in_python_executable_run_nothing(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str], value: str, trusted: bool
) -> None:
    """N2's repro A: mypy expands the path to the checkout's ``evil.sh`` and runs it.

    As in the review, the ``..`` climb from ``$HOME`` to ``/``: read literally
    below the root the path leaves it (so a check of the raw string passes it),
    expanded it is ``/proc/self/cwd/evil.sh``, the script in mypy's working
    directory, the root.
    """
    up = "../" * (len(home.parts) - 1)
    executable = value.replace("{up}", up)
    repo = mypy_ini_repo(tmp_path, f"[mypy]\npython_executable = {executable}\n")
    args = ["typing", "--allow-local-plugins"] if trusted else ["typing"]
    assert run(repo, *args) == 2
    err = capsys.readouterr().err
    assert "python_executable" in err or "python-executable" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "SENTINEL").exists()


@pytest.mark.parametrize(
    "ini",
    [
        "[mypy]\njunit_xml = ~/.bashrc\n",
        "[mypy]\njunit_xml = $VICTIM/x.xml\n",
        "[mypy]\njunit_xml = ~/pwn.xml\n",
        "[mypy]\nhtml_report = ~/html\ntxt_report = ${VICTIM}/txt\n",
        "[mypy]\ncache_dir = ~/cache\n",
        "[mypy]\njunit_xml = report.xml\nxml_report = reports\n",
        "[mypy-pkg.*]\njunit_xml = ~/.bashrc\n",
    ],
    ids=["bashrc", "variable", "home", "reports", "cache", "inside", "per-module"],
)
def test_outputs_of_the_mypy_config_write_nothing(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str], ini: str
) -> None:
    """N2's repro B: mypy wrote its JUnit XML over ``~/.bashrc``; outputs are dropped now."""
    repo = mypy_ini_repo(tmp_path, ini)
    before = outside(tmp_path)
    in_repo = sorted(p.name for p in repo.iterdir())
    assert run(repo, "typing") == 0, capsys.readouterr().err
    assert outside(tmp_path) == before
    assert (home / ".bashrc").read_text(encoding="utf-8") == "export KEEP=1\n"
    # Nothing but debt-lints' own cache appears in the repository either.
    assert sorted(p.name for p in repo.iterdir()) == sorted([*in_repo, ".debt-lints-cache"])


@pytest.mark.parametrize(
    ("ini", "named"),
    [
        ("[mypy]\nmypy_path = ~/stubs\n", "mypy_path"),
        ("[mypy]\nmypy_path = stubs:$VICTIM\n", "mypy_path"),
        ("[mypy]\nmypy_path = ../victim\n", "mypy_path"),
        ("[mypy]\npython_version = $PYVER\n", "python_version"),
        ("[mypy]\ndisable_error_code = misc,$(touch x)\n", "disable_error_code"),
        ("[mypy]\nalways_true = @flags.txt\n", "always_true"),
        ("[mypy]\nfollow_imports = sideways\n", "follow_imports"),
        ("[mypy]\nwarn_unreachable = maybe\n", "warn_unreachable"),
        ("[mypy]\nplugins = ~/evil_plugin.py\n", "plugins"),
        ("[mypy]\nplugins = antigravity\n", "antigravity"),
        ("[mypy-pkg]\n[mypy\nx = 1\n", "invalid mypy configuration"),
        ("[mypy-pkg.m]\n[mypy-a] b]\nstrict = True\n", "module patterns"),
    ],
)
def test_hostile_values_in_kept_options_are_refused(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str], ini: str, named: str
) -> None:
    repo = mypy_ini_repo(tmp_path, ini)
    before = outside(tmp_path)
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert named in err and len(err.splitlines()) == 1
    assert outside(tmp_path) == before


def test_mypy_never_reads_the_repository_configuration(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mypy is given a configuration debt-lints wrote, outside the repository."""
    from mypy import api

    repo = mypy_ini_repo(
        tmp_path,
        "[mypy]\nwarn_unreachable = True\nplugins = mypy.plugins.proper_plugin\n"
        "junit_xml = ~/.bashrc\nfiles = evil.py\npretty = True\nx_unknown = 1\n"
        "[mypy-pkg.*]\nignore_missing_imports = yes\npython_executable = ./evil.sh\n",
    )
    seen: list[str] = []
    real_run = api.run

    def spy(args: list[str]) -> tuple[str, str, int]:
        config = next(a for a in args if a.startswith("--config-file="))
        path = Path(config.partition("=")[2])
        assert repo not in path.parents
        seen.append(path.read_text(encoding="utf-8"))
        return real_run(args)

    monkeypatch.setattr(api, "run", spy)
    assert run(repo, "typing") == 0
    assert [line for line in seen[0].splitlines() if line] == [
        "[mypy]",
        "warn_unreachable = True",
        "plugins = mypy.plugins.proper_plugin",
        "[mypy-pkg.*]",
        "ignore_missing_imports = True",
    ]


@pytest.mark.parametrize("form", ["ini", "toml"])
def test_relaxations_and_search_paths_of_the_mypy_config_still_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """What a repository may do: per-module relaxations, its own stubs, the target Python."""
    repo = hostile_repo(tmp_path, "")
    (repo / "pkg" / "old.py").write_text(UNTYPED, encoding="utf-8")
    (repo / "pkg" / "uses.py").write_text(
        "import vendored\n\nX: str = vendored.answer()\n", encoding="utf-8"
    )
    (repo / "stubs").mkdir()
    (repo / "stubs" / "vendored.pyi").write_text("def answer() -> int: ...\n", encoding="utf-8")
    if form == "ini":
        (repo / "pyproject.toml").write_text(
            '[tool.debt-lints.typing]\nmypy-config = "setup.cfg"\n', encoding="utf-8"
        )
        (repo / "setup.cfg").write_text(
            "[mypy]\npython_version = 3.10\nmypy_path = $MYPY_CONFIG_FILE_DIR/stubs\n"
            "[mypy-pkg.old]\nallow_untyped_defs = True\n",
            encoding="utf-8",
        )
    else:
        (repo / "pyproject.toml").write_text(
            '[tool.debt-lints.typing]\nmypy-config = "pyproject.toml"\n\n'
            '[tool.mypy]\npython_version = "3.10"\nmypy_path = ["stubs"]\n\n'
            '[[tool.mypy.overrides]]\nmodule = ["pkg.old"]\ndisallow_untyped_defs = false\n',
            encoding="utf-8",
        )
    assert run(repo, "typing") == 1
    out = capsys.readouterr().out
    # The stub was found (an int is no str), and pkg.old's untyped def is allowed.
    assert "pkg/uses.py:3:" in out and "mypy[assignment]" in out
    assert "pkg/old.py" not in out


def test_inline_configuration_comments_run_and_write_nothing(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mypy applies ``# mypy:`` comments per module: none of them reaches a program or a file."""
    repo = hostile_repo(tmp_path, "[tool.debt-lints.typing]\n")
    (repo / "pkg" / "m.py").write_text(
        "# mypy: python-executable=./evil.sh, junit-xml=~/pwn.xml, cache-dir=~/cache\n" + TYPED,
        encoding="utf-8",
    )
    before = outside(tmp_path)
    run(repo, "typing")
    capsys.readouterr()
    assert outside(tmp_path) == before
    assert sorted(p.name for p in home.iterdir()) == [".bashrc"]
