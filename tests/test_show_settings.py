"""``check --show-settings`` and ``--show-files`` (issue 26 item 6), as ruff's options.

Which configuration (and what it extends), which project root and why,
which baseline and cache, whether a file is checked (and what skips it),
which rules and settings apply; and which files a run would check, each with
its configuration. Nothing is checked and nothing is written.

The tree::

    repo/                    .git, .gitignore (generated/); [tool.debt-lints]
                             extend-exclude backups, per-file-ignores tests/* DL301
      app.py
      backups/old.py         excluded by the root
      generated/gen.py       ignored by .gitignore
      tests/test_app.py      DL301 ignored there
      packages/a/            extends the root, ignore DL5
        mod.py
      packages/b/            a table of its own, no extend: its own project alone
        mod.py
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main

CODE = "import sys\nsys.path.insert(0, 'vendor')\nHOST = 'localhost'\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(
        "[tool.debt-lints]\n"
        'extend-exclude = ["backups"]\n'
        'per-file-ignores = { "tests/*" = ["DL301"] }\n'
        'deprecated-imports = { "old.mod" = "new.mod" }\n',
        encoding="utf-8",
    )
    for name in ("app.py", "backups/old.py", "generated/gen.py", "tests/test_app.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(CODE, encoding="utf-8")
    a = root / "packages" / "a"
    b = root / "packages" / "b"
    for package in (a, b):
        package.mkdir(parents=True)
        (package / "mod.py").write_text(CODE, encoding="utf-8")
    (a / "pyproject.toml").write_text(
        '[tool.debt-lints]\nextend = "../../pyproject.toml"\nignore = ["DL5"]\n', encoding="utf-8"
    )
    (b / "pyproject.toml").write_text('[tool.debt-lints]\nignore = ["DL2"]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def settings(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["check", "--show-settings", "--output-format", "json", *args]) == 0
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, dict)
    return found


def test_a_package_that_extends_the_root(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = settings(capsys, "packages/a/mod.py")
    assert shown["configuration"] == "packages/a/pyproject.toml"
    assert shown["extends"] == ["pyproject.toml"]
    assert shown["project_root"] == "."
    assert "without extend" in str(shown["project_root_reason"])
    assert shown["baseline"] == "debt-lints-baseline.json"
    assert shown["baseline_state"] == "not created yet"
    assert shown["cache"] == ".debt-lints-cache"
    rules = shown["rules"]
    assert isinstance(rules, list) and "DL201" in rules and "DL501" not in rules
    values = shown["settings"]
    assert isinstance(values, dict)
    assert values["ignore"] == ["DL5"]
    assert values["extend-exclude"] == ["backups"]  # inherited
    assert values["deprecated-imports"] == {"old.mod": "new.mod"}  # a rule option, inherited
    assert shown["checked_when_named"] == shown["checked_in_a_walk"] == "yes"


def test_a_package_with_a_table_of_its_own_belongs_to_the_repositorys_project(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked alone (pre-commit with only its files staged) or with the rest of the
    repository, the same root and baseline (issue 26 item 4); its own settings apply."""
    alone = settings(capsys, "packages/b/mod.py")
    assert alone["configuration"] == "packages/b/pyproject.toml"
    assert alone["project_root"] == "."
    assert alone["baseline"] == "debt-lints-baseline.json"
    assert alone["extends"] == []
    # with the rest of the repository, the root is the repository's too
    assert (
        main(["check", "--show-settings", "--format", "json", "packages/b/mod.py", "app.py"]) == 0
    )
    listed = json.loads(capsys.readouterr().out)
    assert [s["project_root"] for s in listed] == [".", "."]
    assert [s["baseline"] for s in listed] == ["debt-lints-baseline.json"] * 2


def test_what_skips_a_file_is_named(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = settings(capsys, "backups/old.py")
    assert old["checked_when_named"] == old["checked_in_a_walk"]
    assert old["checked_in_a_walk"] == (
        "excluded by 'backups' (exclude/extend-exclude of pyproject.toml)"
    )
    generated = settings(capsys, "generated/gen.py")
    assert generated["checked_when_named"] == "yes"
    assert str(generated["checked_in_a_walk"]).startswith("ignored by .gitignore")
    test = settings(capsys, "tests/test_app.py")
    assert test["per_file_ignores"] == ["DL301"]
    assert "DL301" not in test["rules"]  # type: ignore[operator]


def test_the_text_form_reads_as_a_report_and_as_toml(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tomllib

    assert main(["check", "--show-settings", "packages/a/mod.py"]) == 0
    out = capsys.readouterr().out
    head, _, table = out.partition("# the settings in effect, defaults included\n")
    assert "Settings for packages/a/mod.py" in head
    assert "configuration:   packages/a/pyproject.toml" in head
    assert "extends:         pyproject.toml" in head
    assert "project root:    . (" in head
    values = tomllib.loads(table)["tool"]["debt-lints"]
    assert values["ignore"] == ["DL5"] and values["per-file-ignores"] == {"tests/*": ["DL301"]}


def test_show_files_lists_what_a_run_checks_with_each_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--show-files", "--output-format", "json"]) == 0
    listed = {row["path"]: row["configuration"] for row in json.loads(capsys.readouterr().out)}
    assert listed == {
        "app.py": "pyproject.toml",
        "packages/a/mod.py": "packages/a/pyproject.toml",
        "packages/b/mod.py": "packages/b/pyproject.toml",
        "tests/test_app.py": "pyproject.toml",
    }
    assert main(["check", "--show-files", "packages"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (
        "2 files would be checked (packages/a/pyproject.toml: 1, packages/b/pyproject.toml: 1)"
    )


def test_nothing_is_checked_or_written(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    assert main(["check", "--show-files"]) == 0  # the files have findings: still 0
    assert main(["check", "--show-settings", "app.py"]) == 0
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before
    assert "sys.path is modified" not in capsys.readouterr().out  # no finding shown


def test_a_missing_path_or_a_bad_configuration_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--show-settings", "nosuch.py"]) == 2
    assert capsys.readouterr().err == "debt-lints: error: nosuch.py: no such file or directory\n"
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\nselekt = []\n", encoding="utf-8")
    assert main(["check", "--show-settings", "app.py"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "selekt" in err
