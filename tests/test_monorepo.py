"""A monorepo with several ``pyproject.toml``: hierarchical configuration, one project root.

The tree (``monorepo`` fixture)::

    repo/                       .git, [tool.debt-lints] ignore DL202
      app.py                    DL201, DL301 (DL202 ignored by the root)
      packages/a/               [tool.debt-lints] extend the root, ignore DL301
        a.py                    DL201 (DL301, DL202 ignored)
      packages/b/               [project] only: the root's configuration applies
        b.py                    DL201, DL301
      packages/c/               [tool.debt-lints] of its own (select DL202 only), no extend
        c.py                    DL202

``packages/c`` has its own table without ``extend``; inside the repository the
outermost table makes the project, so ``c``, like ``a`` (which extends the
root) and ``b``, belongs to the root's project however it is checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.discovery import Project, project_root
from debt_lints.hosts.session import HostSession
from debt_lints.running.files import iter_files

CODE = (
    "import sys\n"
    "sys.path.insert(0, 'vendor/x')\n"
    "REDIS = 'redis://localhost:6379/0'\n"
    "DATA = '/mnt/models/tts'\n"
)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(
        repo / "pyproject.toml",
        '[tool.debt-lints]\nignore = ["DL202"]\nextend-exclude = ["vendored"]\n',
    )
    write(repo / "app.py", CODE)
    write(
        repo / "packages/a/pyproject.toml",
        '[project]\nname = "a"\n\n[tool.debt-lints]\n'
        'extend = "../../pyproject.toml"\nextend-exclude = ["gen"]\nignore = ["DL301", "DL202"]\n',
    )
    write(repo / "packages/a/a.py", CODE)
    write(repo / "packages/b/pyproject.toml", '[project]\nname = "b"\n')
    write(repo / "packages/b/b.py", CODE)
    write(repo / "packages/c/pyproject.toml", '[tool.debt-lints]\nselect = ["DL202"]\n')
    write(repo / "packages/c/c.py", CODE)
    monkeypatch.chdir(repo)
    return repo


def check_json(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, set[tuple[str, str]]]:
    status = main(["check", "--format", "json", "--no-cache", *argv])
    out = capsys.readouterr().out
    return status, {(item["path"], item["code"]) for item in json.loads(out)}


EXPECTED = {
    ("app.py", "DL201"),
    ("app.py", "DL301"),
    ("packages/a/a.py", "DL201"),
    ("packages/b/b.py", "DL201"),
    ("packages/b/b.py", "DL301"),
    ("packages/c/c.py", "DL202"),
}


def test_each_file_gets_the_nearest_configuration(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, found = check_json([], capsys)
    assert status == 1
    assert found == EXPECTED


def test_the_order_of_the_paths_does_not_change_the_answer(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forward = check_json(["packages/a", "packages/b", "packages/c/c.py"], capsys)
    backward = check_json(["packages/c/c.py", "packages/b", "packages/a"], capsys)
    assert forward == backward
    assert forward[1] == {f for f in EXPECTED if f[0].startswith("packages/")}


def test_one_project_root_whatever_the_paths(monorepo: Path) -> None:
    assert project_root(["packages/a"]) == monorepo
    assert project_root(["packages/b/b.py", "packages/a/a.py"]) == monorepo
    assert project_root(["packages/a/a.py"]) == monorepo  # a extends the root: same project
    # Its own table, no extend: still the repository's project (the outermost table).
    assert project_root(["packages/c"]) == monorepo
    assert project_root(["packages/c/c.py"]) == monorepo
    # The hosts (flake8, pylint, bandit, the language server) agree.
    assert HostSession(cwd=monorepo).project_root("packages/c/c.py") == monorepo


def test_a_package_with_its_own_table_is_its_own_project_without_one_above(
    monorepo: Path,
) -> None:
    (monorepo / "pyproject.toml").write_text('[project]\nname = "mono"\n', encoding="utf-8")
    assert project_root(["packages/c/c.py"]) == monorepo / "packages/c"
    assert project_root(["."]) == monorepo  # the repository's top level


def test_paths_outside_the_current_directory_without_a_project_are_their_own_project(
    tmp_path: Path,
) -> None:
    """No pyproject.toml or .git above the paths: the current directory is the root
    only when it holds them. Checked from elsewhere (another project), the files
    would be outside the root, and the whole-repository rules would not see them."""
    here, there = tmp_path / "here", tmp_path / "there"
    write(here / "pyproject.toml", "[tool.debt-lints]\n")
    write(there / "pkg/__init__.py", "")
    write(there / "pkg/dead.py", CODE)
    assert project_root(["pkg"], cwd=there) == there.resolve()
    assert project_root([str(there / "pkg")], cwd=tmp_path) == tmp_path.resolve()
    assert project_root([str(there)], cwd=here) == there.resolve()
    assert project_root([str(there / "pkg/dead.py")], cwd=here) == (there / "pkg").resolve()
    from_here = Project.discover([str(there)], cwd=here)
    from_there = Project.discover(["."], cwd=there)
    assert from_here.root == from_there.root


def test_a_table_the_root_excludes_is_a_project_of_its_own(monorepo: Path) -> None:
    """An example or vendored project the repository's check never walks."""
    write(monorepo / "vendored/demo/pyproject.toml", "[tool.debt-lints]\n")
    write(monorepo / "vendored/demo/x.py", CODE)
    assert project_root(["vendored/demo"]) == monorepo / "vendored/demo"
    assert project_root(["vendored/demo/x.py"]) == monorepo / "vendored/demo"
    assert project_root(["packages/c/c.py"]) == monorepo


def test_a_package_with_its_own_table_checked_alone_uses_the_root_baseline(
    monorepo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit with only the package's files staged: the same answer as `check .`."""
    monkeypatch.delenv("CI", raising=False)
    assert main(["baseline", "create"]) == 0
    assert not (monorepo / "packages/c/debt-lints-baseline.json").exists()
    capsys.readouterr()
    for argv in (["packages/c/c.py"], ["packages/c"], ["packages/c/c.py", "app.py"], ["."]):
        status, found = check_json(argv, capsys)
        assert (status, found) == (0, set()), argv
    # From inside the package too (a hook run from there, an editor's folder).
    monkeypatch.chdir(monorepo / "packages/c")
    assert check_json(["c.py"], capsys) == (0, set())
    assert not (monorepo / "packages/c/debt-lints-baseline.json").exists()
    assert not (monorepo / "packages/c/.debt-lints-cache").exists()


def test_extend_inherits_and_overrides(monorepo: Path) -> None:
    project = Project.discover(["."])
    a = project.config_for("packages/a/a.py")
    assert a.ignore == ("DL301", "DL202")  # set in a: replaces the root's
    assert a.root == monorepo / "packages/a"
    assert a.extend_exclude == ("vendored", "gen")  # extend-* lists add up
    write(monorepo / "packages/a/vendored/v.py", CODE)
    write(monorepo / "packages/a/gen/g.py", CODE)
    assert [s.relpath for s in iter_files(["packages/a"], project)] == ["packages/a/a.py"]
    write(
        monorepo / "packages/a/pyproject.toml",
        '[tool.debt-lints]\nextend = "../../pyproject.toml"\n',
    )
    assert Project.discover(["."]).config_for("packages/a/a.py").ignore == ("DL202",)


def test_extend_errors_name_the_file(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(monorepo / "packages/a/pyproject.toml", '[tool.debt-lints]\nextend = "../nowhere.toml"\n')
    assert main(["check", "packages/a"]) == 2
    assert "packages/a/pyproject.toml: extend:" in capsys.readouterr().err
    write(monorepo / "pyproject.toml", '[tool.debt-lints]\nextend = "packages/a/pyproject.toml"\n')
    write(
        monorepo / "packages/a/pyproject.toml",
        '[tool.debt-lints]\nextend = "../../pyproject.toml"\n',
    )
    assert main(["check", "packages/a"]) == 2
    assert "extend each other" in capsys.readouterr().err


def test_baseline_create_records_every_path_at_the_project_root(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "create", "packages/a", "packages/b"]) == 0
    capsys.readouterr()
    entries = (monorepo / "debt-lints-baseline.json").read_text(encoding="utf-8")
    assert '"packages/a/a.py"' in entries and '"packages/b/b.py"' in entries
    assert not (monorepo / "packages/a/debt-lints-baseline.json").exists()
    # Each package alone (what pre-commit does) finds the same baseline.
    assert check_json(["packages/a/a.py"], capsys) == (0, set())
    assert check_json(["packages/b"], capsys) == (0, set())


def test_config_option_does_not_move_the_project_root(
    monorepo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere" / "strict.toml"
    write(outside, 'select = ["DL201"]\n')
    assert main(["baseline", "create", "--config", str(outside), "packages/b"]) == 0
    assert "outside the project root" not in capsys.readouterr().err
    entries = (monorepo / "debt-lints-baseline.json").read_text(encoding="utf-8")
    assert '"packages/b/b.py"' in entries and "DL301" not in entries
    assert not (outside.parent / "debt-lints-baseline.json").exists()
    assert not (outside.parent / ".debt-lints-cache").exists()


def test_a_mistyped_path_is_an_error_for_the_baseline(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "add", "--reason", "legacy", "packages/b/bb.py"]) == 2
    assert "packages/b/bb.py" in capsys.readouterr().err
    assert not (monorepo / "debt-lints-baseline.json").exists()
    assert main(["baseline", "create", "packages/b", "packages/nope"]) == 2
    assert not (monorepo / "debt-lints-baseline.json").exists()


def host_rows(session: HostSession, repo: Path) -> set[tuple[str, str]]:
    rows = set()
    for path in sorted(repo.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(repo).as_posix()
        rows |= {(rel, f.code) for f in session.check(text, rel).findings}
    return rows


def test_hosts_resolve_configuration_as_the_cli_does(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The parity test on the nested monorepo: CLI, host session, flake8, pylint, LSP."""
    assert host_rows(HostSession(), monorepo) == EXPECTED
    flake8 = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            "--select",
            "DL",
            "--format",
            "%(path)s\t%(code)s",
            ".",
        ],
        cwd=monorepo,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = {tuple(line.split("\t")) for line in flake8.stdout.splitlines()}
    assert {(p.removeprefix("./"), c) for p, c in rows} == EXPECTED, flake8.stderr
    from debt_lints.adapters.lsp import diagnostics_for, no_baseline

    session = HostSession()
    lsp = set()
    for path in sorted(monorepo.rglob("*.py")):
        rel = path.relative_to(monorepo).as_posix()
        found = diagnostics_for(session, path.read_text(encoding="utf-8"), rel, no_baseline)
        lsp |= {(rel, str(d.code)) for d in found}
    assert lsp == EXPECTED
    assert pylint_rows(monorepo) == EXPECTED


def pylint_rows(repo: Path, *extra: str) -> set[tuple[str, str]]:
    from debt_lints.engine.registry import lookup
    from debt_lints.hosts.plugin_ids import pylint_rules

    names = ",".join(rule.name for rule in pylint_rules())
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--rcfile=/dev/null",
            "--persistent=n",
            "--score=n",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            f"--enable={names}",
            "--msg-template={path}\t{symbol}",
            "--recursive=y",
            *extra,
            ".",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYLINTHOME": str(repo.parent / "pylint-home")},
    )
    rows = set()
    for line in out.stdout.splitlines():
        if "\t" in line:
            path, symbol = line.split("\t")
            rule = lookup(symbol)
            rows.add((path, rule.code if rule else symbol))
    return rows


def test_bandit_resolves_configuration_as_the_cli_does(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = 'import os\nCURVE_SECRET = os.environ.get("CURVE_SECRET", "changeme")\n'
    write(monorepo / "packages/a/key.py", key)
    write(monorepo / "packages/b/key.py", key)
    write(
        monorepo / "packages/a/pyproject.toml",
        '[tool.debt-lints]\nextend = "../../pyproject.toml"\nignore = ["DL401"]\n',
    )
    cli = {f for f in check_json([], capsys)[1] if f[1] == "DL401"}
    assert cli == {("packages/b/key.py", "DL401")}
    out = subprocess.run(
        [sys.executable, "-m", "bandit", "-f", "json", "-q", "-r", "-t", "DL401", "."],
        cwd=monorepo,
        capture_output=True,
        text=True,
        check=False,
    )
    found = {
        (Path(item["filename"]).as_posix().removeprefix("./"), item["test_id"])
        for item in json.loads(out.stdout)["results"]
    }
    assert found == cli, out.stderr


def test_plugins_hide_known_debt_unless_asked(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "create", "packages/b"]) == 0
    flake8 = [
        sys.executable,
        "-m",
        "flake8",
        "--isolated",
        "--select",
        "DL,E999",
        "--format",
        "%(path)s\t%(code)s",
        "packages/b",
    ]
    hidden = subprocess.run(flake8, cwd=monorepo, capture_output=True, text=True, check=False)
    assert hidden.returncode == 0 and hidden.stdout == "", hidden.stdout + hidden.stderr
    shown = subprocess.run(
        [*flake8, "--debt-lints-show-known"],
        cwd=monorepo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "DL201" in shown.stdout, shown.stderr
    pylint = [
        sys.executable,
        "-m",
        "pylint",
        "--rcfile=/dev/null",
        "--persistent=n",
        "--score=n",
        "--load-plugins=debt_lints.pylint",
        "--disable=all",
        "--enable=sys-path-injection",
        "--msg-template={path}\t{symbol}",
        "packages/b/b.py",
    ]
    env = {**os.environ, "PYLINTHOME": str(monorepo.parent / "pylint-home")}
    quiet = subprocess.run(
        pylint, cwd=monorepo, capture_output=True, text=True, check=False, env=env
    )
    assert "sys-path-injection" not in quiet.stdout, quiet.stdout + quiet.stderr
    loud = subprocess.run(
        [*pylint, "--debt-lints-show-known=y"],
        cwd=monorepo,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert "sys-path-injection" in loud.stdout, loud.stdout + loud.stderr


def test_the_bandit_plugin_hides_known_debt_unless_asked(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the flake8 and pylint plugins do: bandit gates new debt only."""
    key = 'import os\nCURVE_SECRET = os.environ.get("CURVE_SECRET", "changeme")\n'
    write(monorepo / "packages/b/key.py", key)
    assert main(["baseline", "create", "packages/b"]) == 0
    write(monorepo / "packages/b/new_key.py", key)
    monkeypatch.delenv("DEBT_LINTS_SHOW_KNOWN", raising=False)

    def bandit(**env: str) -> tuple[int, set[str]]:
        out = subprocess.run(
            [sys.executable, "-m", "bandit", "-f", "json", "-q", "-r", "-t", "DL401", "packages/b"],
            cwd=monorepo,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **env},
        )
        results = json.loads(out.stdout)["results"]
        return out.returncode, {Path(r["filename"]).as_posix() for r in results}

    assert bandit() == (1, {"packages/b/new_key.py"})
    assert bandit(DEBT_LINTS_SHOW_KNOWN="1") == (
        1,
        {"packages/b/key.py", "packages/b/new_key.py"},
    )
    (monorepo / "packages/b/new_key.py").unlink()
    assert bandit() == (0, set())


def test_the_documented_flake8_gate_baselines_files_that_do_not_parse(
    monorepo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """flake8 runs no plugin on an unparsable file and cannot baseline E999: the
    documented legacy set-up is `flake8 --select DL` plus `debt-lints check`,
    whose DL001 the baseline records (known files pass, a new one fails)."""
    monkeypatch.delenv("CI", raising=False)
    doc = (Path(__file__).resolve().parent.parent / "docs/plugins.md").read_text("utf-8")
    flake8_section = doc.split("## flake8", 1)[1].split("\n## ", 1)[0]
    assert "flake8 --select DL src/" in flake8_section
    assert "debt-lints check src/" in flake8_section
    assert "--select DL,E999 src/" not in flake8_section  # never the gate of a legacy tree
    write(monorepo / "packages/b/broken.py", "def broken(:\n    pass\n")
    assert main(["baseline", "create", "packages/b"]) == 0
    flake8 = [sys.executable, "-m", "flake8", "--isolated", "--select", "DL", "packages/b"]

    def gate() -> tuple[int, int]:
        from_flake8 = subprocess.run(
            flake8, cwd=monorepo, capture_output=True, text=True, check=False
        )
        capsys.readouterr()
        status = main(["check", "--output-format", "concise", "--no-cache", "packages/b"])
        return from_flake8.returncode, status

    assert gate() == (0, 0)  # known: recorded as DL001 in the baseline
    write(monorepo / "packages/b/also_broken.py", "x = (\n")
    assert gate() == (0, 1)  # new: flake8 cannot see it, debt-lints check stops it
    assert "packages/b/also_broken.py:" in capsys.readouterr().out


def test_the_default_exclude_list_is_documented() -> None:
    from debt_lints.config import DEFAULT_EXCLUDE

    doc = (Path(__file__).resolve().parent.parent / "docs/configuration.md").read_text("utf-8")
    listed = doc.split("The\ndefault `exclude` is:", 1)[1].split(".\n\n", 1)[0]
    assert [p.strip().strip("`") for p in listed.strip().split(",")] == list(DEFAULT_EXCLUDE)


def test_whole_repository_findings_follow_each_files_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The repository is the project's; a file's own configuration decides what it reports."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pyproject.toml", '[tool.debt-lints]\nselect = ["DL601"]\n')
    for package in ("lib", "quiet"):  # one import cycle in each package
        write(repo / package / "__init__.py", "")
        write(repo / package / "one.py", f"import {package}.two\n")
        write(repo / package / "two.py", f"import {package}.one\n")
    # quiet/ inherits the selection and ignores DL601 for its own files.
    write(
        repo / "quiet/pyproject.toml",
        '[tool.debt-lints]\nextend = "../pyproject.toml"\nignore = ["DL601"]\n',
    )
    monkeypatch.chdir(repo)
    expected = {("lib/one.py", "DL601")}
    for paths in (["."], ["lib", "quiet"], ["quiet", "lib"], ["quiet/one.py", "lib/one.py"]):
        assert check_json(paths, capsys) == (1, expected), paths
    assert check_json(["quiet"], capsys) == (0, set())


def test_fix_uses_each_files_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(
        repo / "pyproject.toml",
        '[tool.debt-lints]\nselect = ["DL101"]\ndeprecated-imports = { "old.util" = "new.util" }\n',
    )
    for package in ("old", "new", "newer"):
        write(repo / package / "__init__.py", "")
        write(repo / package / "util.py", "def helper():\n    return 1\n")
    # pkg/ migrates to another module; frozen/ never lets --fix touch DL101.
    write(
        repo / "pkg/pyproject.toml",
        '[tool.debt-lints]\nextend = "../pyproject.toml"\n'
        'deprecated-imports = { "old.util" = "newer.util" }\n',
    )
    write(
        repo / "frozen/pyproject.toml",
        '[tool.debt-lints]\nextend = "../pyproject.toml"\nunfixable = ["DL101"]\n',
    )
    tool = "from old.util import helper\n\nprint(helper())\n"
    for where in ("tool.py", "pkg/tool.py", "frozen/tool.py"):
        write(repo / where, tool)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("CI", "")
    # The util modules are copies, not re-exports: the fixes are unsafe.
    main(["check", "--no-cache", "--no-baseline", "--fix", "--unsafe-fixes"])
    capsys.readouterr()
    assert (repo / "tool.py").read_text(encoding="utf-8").startswith("from new.util import")
    assert (repo / "pkg/tool.py").read_text(encoding="utf-8").startswith("from newer.util import")
    assert (repo / "frozen/tool.py").read_text(encoding="utf-8") == tool


def test_the_language_server_computes_the_repository_of_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file under a package's own table: DL6xx are computed on the project, not the package."""
    pytest.importorskip("pygls")
    from debt_lints.adapters.lsp import project_findings

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pyproject.toml", '[tool.debt-lints]\nselect = ["DL601"]\n')
    write(repo / "apkg/pyproject.toml", '[tool.debt-lints]\nextend = "../pyproject.toml"\n')
    write(repo / "apkg/__init__.py", "")
    write(repo / "apkg/one.py", "import zlib2.two\n")  # a cycle across the package's border
    write(repo / "zlib2/__init__.py", "")
    write(repo / "zlib2/two.py", "import apkg.one\n")
    monkeypatch.chdir(repo)
    assert check_json(["."], capsys) == (1, {("apkg/one.py", "DL601")})
    found = project_findings(HostSession(cwd=repo), "apkg/one.py")
    assert [f.code for f in found] == ["DL601"]


def test_the_map_is_of_the_project_whatever_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pyproject.toml", "[tool.debt-lints]\n")
    write(repo / "apkg/pyproject.toml", '[tool.debt-lints]\nextend = "../pyproject.toml"\n')
    write(repo / "apkg/__init__.py", "")
    write(repo / "apkg/one.py", "import zlib2.two\n")
    write(repo / "zlib2/__init__.py", "")
    write(repo / "zlib2/two.py", "import apkg.one\n")
    monkeypatch.chdir(repo)
    assert main(["map", "--format", "json", "--no-cache", "."]) == 0
    whole = capsys.readouterr().out
    assert "zlib2.two" in whole
    assert main(["map", "--format", "json", "--no-cache", "apkg"]) == 0
    assert capsys.readouterr().out == whole
