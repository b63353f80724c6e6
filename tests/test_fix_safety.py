"""Issue 24: a safe fix is a proven one; a fix that would break the code is no fix.

The three cases found on real code are fixtures in their shapes
(``tests/fixtures/fix_safety/``); the policy's other rules are tested on
small projects written here.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.model import Applicability, Finding
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import by_code
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.fixes import FixPolicy, resolve
from debt_lints.fixes.editor import buffer_fixes
from debt_lints.fixes.modules import IndexModules
from debt_lints.index import Project

FIXTURES = Path(__file__).parent / "fixtures" / "fix_safety"

#: Each regression fixture: the file whose import is not fixed, and why.
CASES = {
    "module_alias_attribute_only_in_old_shim": (
        "scripts/launch.py",
        "(clusterlib.cluster.app does not define start_instance: no automatic fix)",
    ),
    "self_import_in_the_replacement": (
        "remotecluster/deploy/remote.py",
        "(the fix would make remotecluster.deploy.remote import itself: no automatic fix)",
    ),
    "replacement_does_not_exist": (
        "main_pc_code/agents/health_monitor.py",
        "(common.utils.env_loader does not exist in the project or the environment:"
        " no automatic fix)",
    ),
}


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.py"))
    }


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / str(request.param)
    shutil.copytree(FIXTURES / str(request.param), root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CI", "")
    return root


@pytest.mark.parametrize("unsafe", [[], ["--unsafe-fixes"]])
def test_the_three_cases_get_no_fix_and_say_why(
    case: Path, capsys: pytest.CaptureFixture[str], unsafe: list[str]
) -> None:
    import json

    path, why = CASES[case.name]
    before = _hashes(case)
    main(["check", "--no-cache", "--no-baseline", "--fix", *unsafe])
    capsys.readouterr()
    assert _hashes(case) == before  # neither the safe nor the unsafe path changes them
    main(["check", "--no-cache", "--no-baseline", "--format", "json"])
    found = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "DL101"]
    mine = [f for f in found if f["path"] == path]
    assert mine, found
    assert all(f["fix"] is None and f["message"].endswith(why) for f in mine), mine
    if case.name == "replacement_does_not_exist":
        # The import inside `try/except ImportError` is refused too: it would
        # silently switch to its fallback.
        fallback = [f for f in found if f["path"].endswith("translator.py")]
        assert fallback and all(f["fix"] is None and why in f["message"] for f in fallback)


def test_the_editor_offers_no_quick_fix_for_them(case: Path) -> None:
    from debt_lints.hosts.session import HostSession

    path = CASES[case.name][0]
    session = HostSession(cwd=case)
    filename = str(case / path)
    config = session.config_for(filename)
    text = (case / path).read_text(encoding="utf-8")
    fixes = buffer_fixes(
        text,
        filename,
        lambda current: session.check(current, filename).findings,
        IndexModules(session.project(config)),
    )
    assert fixes.quick == ()
    assert fixes.fixed_text is None


# --- the policy, on small projects ----------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def _settled(root: Path, source: str, mapping: dict[str, str], relpath: str = "app.py") -> Finding:
    rules = RuleSet([by_code()["DL101"]], Settings({"deprecated-imports": mapping}))
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    (root / relpath).write_text(source, encoding="utf-8")
    found = check_source(source, relpath, relpath, rules).findings
    settled = resolve(found, IndexModules(Project(root, (".",))), FixPolicy(unsafe=True))
    (finding,) = [f for f in settled if f.code == "DL101"]
    return finding


PKG = {"pkg/__init__.py": "", "pkg/new.py": "def f():\n    return 1\n\n\ndef g():\n    return 2\n"}


def test_a_renamed_reexport_is_not_the_same_object(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**PKG, "pkg/old.py": "from pkg.new import g as f\n"})
    finding = _settled(root, "from pkg.old import f\n", {"pkg.old": "pkg.new"})
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert "pkg.new's f is not a re-export of pkg.old's" in finding.fix.message


def test_a_star_import_needs_the_names_the_file_uses(tmp_path: Path) -> None:
    shim = "from pkg.new import *\nfrom pkg.new import f as h\n"
    root = _tree(tmp_path, {**PKG, "pkg/old.py": shim + "__all__ = ['f', 'g', 'h']\n"})
    mapping = {"pkg.old": "pkg.new"}
    uses_h = _settled(root, "from pkg.old import *\nprint(f(), h())\n", mapping)
    assert uses_h.fix is None
    assert "(pkg.new does not define h: no automatic fix)" in uses_h.message
    only_f = _settled(root, "from pkg.old import *\nprint(f(), g())\n", mapping)
    assert only_f.fix is not None and only_f.fix.applicability is Applicability.SAFE


def test_a_fix_that_adds_an_import_cycle_is_unsafe(tmp_path: Path) -> None:
    files = {
        **PKG,
        "pkg/old.py": "from pkg.new import f\n",
        "pkg/new.py": "from pkg import user\n\n\ndef f():\n    return 1\n",
    }
    root = _tree(tmp_path, files)
    finding = _settled(root, "from pkg.old import f\n", {"pkg.old": "pkg.new"}, "pkg/user.py")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "pkg.new imports pkg.user: the fix adds an import cycle" in finding.fix.message
    # Deferred into a function, the import adds no import-time edge.
    deferred = "def run():\n    from pkg.old import f\n\n    return f()\n"
    finding = _settled(root, deferred, {"pkg.old": "pkg.new"}, "pkg/user.py")
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE


def test_a_module_alias_needs_every_attribute_read_through_it(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**PKG, "pkg/old.py": "from pkg.new import f, g\n"})
    mapping = {"pkg.old": "pkg.new"}
    proven = _settled(root, "from pkg import old as o\no.f()\no.g()\n", mapping)
    assert proven.fix is not None and proven.fix.applicability is Applicability.SAFE
    whole = _settled(root, "from pkg import old as o\nprint(o)\n", mapping)
    assert whole.fix is not None and whole.fix.applicability is Applicability.UNSAFE


def test_an_installed_replacement_exists_and_a_missing_one_does_not(tmp_path: Path) -> None:
    installed = _settled(tmp_path, "from legacyjson import loads\n", {"legacyjson": "json"})
    assert installed.fix is not None
    assert installed.fix.applicability is Applicability.UNSAFE  # json's names are not read
    missing = _settled(
        tmp_path, "from legacyjson import loads\n", {"legacyjson": "json_not_installed_anywhere"}
    )
    assert missing.fix is None
    assert "json_not_installed_anywhere does not exist" in missing.message


def test_a_pure_reexport_of_an_installed_replacement_is_proven(tmp_path: Path) -> None:
    """twisted.python.versions is ``from incremental import ... Version``: the old
    module's own import proves the installed replacement defines the names it
    binds as they are (the twisted rollout found all 8 such fixes unsafe)."""
    shim = '"""Moved to json."""\nfrom json import JSONDecoder, loads as parse\n'
    root = _tree(tmp_path, {"pkg/__init__.py": "", "pkg/compat.py": shim})
    mapping = {"pkg.compat": "json"}
    proven = _settled(root, "from pkg.compat import JSONDecoder\n", mapping)
    assert proven.fix is not None and proven.fix.applicability is Applicability.SAFE
    # Bound under another name: json has no ``parse``, whatever the shim calls it.
    renamed = _settled(root, "from pkg.compat import parse\n", mapping)
    assert renamed.fix is not None and renamed.fix.applicability is Applicability.UNSAFE
    # A module that also defines something of its own is not a pure re-export.
    _tree(root, {"pkg/compat.py": shim + "JSONDecoder = None\n"})
    own = _settled(root, "from pkg.compat import JSONDecoder\n", mapping)
    assert own.fix is not None and own.fix.applicability is Applicability.UNSAFE


def test_the_environment_is_searched_without_importing() -> None:
    import sys

    from debt_lints.index.environment import installed

    assert installed("json.decoder") and installed("sys") and installed("email.mime.text")
    assert not installed("json.no_such_module") and not installed("no_such_top_level_module")
    before = set(sys.modules)
    assert installed("xml.dom.minidom")
    assert set(sys.modules) == before  # nothing was imported


def test_quick_fixes_and_fix_all_settle_fixes_as_check_does(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**PKG, "pkg/old.py": "def f():\n    return 0\n"})
    rules = RuleSet([by_code()["DL101"]], Settings({"deprecated-imports": {"pkg.old": "pkg.new"}}))
    modules = IndexModules(Project(root, (".",)))
    source = "from pkg.old import f\n"

    def findings_of(text: str) -> list[Finding]:
        return check_source(text, "app.py", "app.py", rules).findings

    (settled,) = resolve(findings_of(source), modules, FixPolicy(unsafe=True))
    fixes = buffer_fixes(source, "app.py", findings_of, modules)
    (quick,) = fixes.quick
    assert settled.fix is not None
    assert quick.safe is (settled.fix.applicability is Applicability.SAFE) is False
    assert quick.title.startswith(settled.fix.message[:1].upper() + settled.fix.message[1:])
    assert "not a re-export" in quick.title
    assert fixes.fixed_text is None  # "fix all" applies the safe fixes only


# --- the map checked against the repository (DL003) ------------------------------------------

MISSING = "(common.utils.env_loader does not exist in the project or the environment"


def _missing_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "monorepo"
    shutil.copytree(FIXTURES / "replacement_does_not_exist", root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CI", "")
    return root


def test_a_map_entry_that_points_nowhere_is_one_finding_on_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    _missing_case(tmp_path, monkeypatch)
    main(["check", "--no-cache", "--no-baseline", "--format", "json", "--select", "DL003"])
    found = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["line"], f["code"]) for f in found] == [("pyproject.toml", 7, "DL003")]
    assert found[0]["message"].startswith(
        'deprecated-imports: "main_pc_code.utils.env_loader" = "common.utils.env_loader":'
        " common.utils.env_loader does not exist in the project or the environment"
    )
    # Once per entry, whatever the number of importers; on a run that covers the
    # configuration file, not repeated by a run over a few files (pre-commit).
    main(["check", "--no-cache", "--no-baseline", "--format", "json", "main_pc_code"])
    again = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in again].count("DL003") == 0
    main(
        [
            "check",
            "--no-cache",
            "--no-baseline",
            "--format",
            "json",
            "pyproject.toml",
            "main_pc_code",
        ]
    )
    again = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in again].count("DL003") == 1


def test_a_declared_dependency_not_installed_is_no_dl003_and_its_import_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """CI lints before installing: the replacement a declared dependency provides
    resolves in the project's environment (no DL003); here its names cannot be checked,
    so the import gets no fix, and says why."""
    import json

    root = tmp_path / "app"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "encoding.py").write_text("def safe_str(s):\n    return s\n", "utf-8")
    (root / "app" / "tasks.py").write_text(
        "from app.encoding import safe_str\n\nprint(safe_str('x'))\n", encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["Task-Queue>=5"]\n'
        '[tool.debt-lints]\nselect = ["DL101", "DL003"]\n'
        '[tool.debt-lints.deprecated-imports]\n"app.encoding" = "task_queue.utils.encoding"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("CI", "")
    main(["check", "--no-cache", "--no-baseline", "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["code"]) for f in found] == [("app/tasks.py", "DL101")]
    assert found[0]["fix"] is None
    assert (
        "(task_queue.utils.encoding is a declared dependency not installed here:"
        " no automatic fix)" in found[0]["message"]
    )


def test_the_plugins_and_the_language_server_say_it_at_each_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flake8, pylint and the language server check one file: the import says it."""
    import argparse
    import ast

    from debt_lints.adapters.flake8 import DebtLintsChecker
    from debt_lints.adapters.lsp import code_actions_for, diagnostics_for
    from debt_lints.hosts.session import HostSession

    root = _missing_case(tmp_path, monkeypatch)
    relpath = "main_pc_code/agents/health_monitor.py"
    source = (root / relpath).read_text(encoding="utf-8")
    DebtLintsChecker.parse_options(argparse.Namespace(debt_lints_config=None, disable_noqa=False))
    checker = DebtLintsChecker(ast.parse(source), source.splitlines(True), relpath)
    (text,) = [t for _, _, t, _ in checker.run() if t.startswith("DL101")]
    assert MISSING in text
    session = HostSession(cwd=root)
    diagnostics = diagnostics_for(session, source, relpath, lambda c, r, f: (list(f), []))
    (diagnostic,) = [d for d in diagnostics if d.code == "DL101"]
    assert MISSING in diagnostic.message
    # no fix: only suppressing the finding is offered
    actions = code_actions_for(session, source, relpath, "file:///x.py", (0, 10))
    assert [action.title for action, _ in actions] == ["Suppress with # noqa: DL101"]


def test_map_write_config_never_writes_an_entry_that_points_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.repo import report

    root = tmp_path / "repo"
    _tree(root, {"pyproject.toml": "[tool.debt-lints]\n", "a.py": "", "b.py": ""})
    monkeypatch.chdir(root)

    def suggested(self: report.RepoMap) -> dict[str, str]:
        return {"old.copy": "common.nowhere", "b": "a"}

    monkeypatch.setattr(report.RepoMap, "deprecated_imports", suggested)
    main(["map", "--no-cache", "--write-config", "."])
    err = capsys.readouterr().err
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '"b" = "a"' in text or "b = " in text
    assert "common.nowhere" not in text
    assert "old.copy -> common.nowhere not written" in err


# --- a fix that empties an old module says so ----------------------------------------------


@pytest.mark.parametrize("importers", [1, 10])
def test_the_run_says_which_old_modules_have_no_importers_left(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    importers: int,
) -> None:
    files = {
        "pyproject.toml": '[tool.debt-lints]\ndeprecated-imports = { "old.util" = "new.util" }\n',
        "old/__init__.py": "",
        "new/__init__.py": "",
        "new/util.py": "def helper():\n    return 1\n",
        "old/util.py": "from new.util import helper\n",
    }
    for n in range(importers):
        files[f"tool{n}.py"] = "from old.util import helper\n\nprint(helper())\n"
    root = _tree(tmp_path, files)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CI", "")
    # Another importer that the safe path does not fix (it uses the module as a whole).
    (root / "keep.py").write_text("import old.util as u\n\nprint(u)\n", encoding="utf-8")
    assert main(["check", "--no-cache", "--no-baseline", "--fix", "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "no importers left" not in err
    (root / "keep.py").unlink()
    for n in range(importers):
        (root / f"tool{n}.py").write_text(files[f"tool{n}.py"], encoding="utf-8")
    assert main(["check", "--no-cache", "--no-baseline", "--fix", "--jobs", "2"]) == 0
    err = capsys.readouterr().err
    assert (
        "debt-lints: old/util.py (old.util) has no importers left: leave a shim in its place"
        " (debt-lints shims --write) or delete it"
    ) in err
    assert (root / "tool0.py").read_text(encoding="utf-8").startswith("from new.util import")


# --- shims --tests: the shims written in the run, every write checked first -------------------

SHIMMED = {
    "pyproject.toml": (
        '[tool.debt-lints.deprecated-imports]\n"pkg.old" = "pkg.new"\n"pkg.legacy" = "pkg.new"\n'
    ),
    "pkg/__init__.py": "",
    "pkg/new.py": "def f():\n    return 1\n",
    "pkg/old.py": "def f():\n    return 0\n",
    # Has a public name the replacement lacks: the old copy stays, and gets no test.
    "pkg/legacy.py": "def f():\n    return 0\n\n\ndef only_here():\n    return 2\n",
}


def test_shims_tests_cover_only_the_shims_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path / "repo", SHIMMED)
    monkeypatch.chdir(root)
    assert main(["shims", "--write", "--tests", "test_generated.py"]) == 1  # legacy stays
    err = capsys.readouterr().err
    assert "wrote test_generated.py (1 shims)" in err
    generated = (root / "test_generated.py").read_text(encoding="utf-8")
    assert "('pkg.old', 'pkg.new'" in generated
    assert "pkg.legacy" not in generated
    assert (root / "pkg/legacy.py").read_text(encoding="utf-8") == SHIMMED["pkg/legacy.py"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["--write", "--tests", "missing/test_generated.py"],
            "the folder missing does not exist; nothing written",
        ),
        (["--tests", "test_generated.py"], "--tests needs --write"),
    ],
)
def test_shims_checks_every_write_before_the_first(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    said: str,
) -> None:
    root = _tree(tmp_path / "repo", SHIMMED)
    monkeypatch.chdir(root)
    before = _hashes(root)
    assert main(["shims", *argv]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "Errno" not in err
    assert _hashes(root) == before
    assert not (root / "test_generated.py").exists()


def test_shims_refuses_a_read_only_old_copy_before_writing_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**SHIMMED, "pkg/legacy.py": "def f():\n    return 0\n"}
    root = _tree(tmp_path / "repo", files)
    (root / "pkg/old.py").chmod(0o444)
    monkeypatch.chdir(root)
    before = _hashes(root)
    assert main(["shims", "--write"]) == 2
    assert "pkg/old.py: read-only (not writable by you); nothing written" in (
        capsys.readouterr().err
    )
    assert _hashes(root) == before  # pkg/legacy.py, writable, was not replaced either


def test_map_write_config_turns_an_inline_map_into_a_table_and_keeps_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A map grows to thousands of entries: one a line in its own table, never an
    ever longer inline table; the message names the file as findings do."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    from debt_lints.repo import report

    root = tmp_path / "repo"
    _tree(
        root,
        {
            "pyproject.toml": (
                "[tool.debt-lints]\n"
                'deprecated-imports = { "old.one" = "a" }  # from the audit\n'
                'import-roots = ["."]\n'
            ),
            "a.py": "",
            "b.py": "",
            "sub/__init__.py": "",
        },
    )
    monkeypatch.chdir(root / "sub")

    def suggested(self: report.RepoMap) -> dict[str, str]:
        return {"old.two": "b", "old.one": "b"}

    monkeypatch.setattr(report.RepoMap, "deprecated_imports", suggested)
    assert main(["map", "--no-cache", "--write-config", ".."]) == 0
    err = capsys.readouterr().err
    assert "1 deprecated-imports entry added to ../pyproject.toml" in err
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert "deprecated-imports = {" not in text
    assert '[tool.debt-lints.deprecated-imports]\n"old.one" = "a"\n"old.two" = "b"\n' in text
    table = tomllib.loads(text)["tool"]["debt-lints"]
    assert table["deprecated-imports"] == {"old.one": "a", "old.two": "b"}
    assert table["import-roots"] == ["."]


def test_a_name_the_file_calls_is_never_rebound_to_a_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The primer's celery examples: ``from celery import task`` then ``@task()``.

    ``celery.task`` is deprecated for ``celery``; rewriting the import to
    ``import celery as task`` would make ``task()`` call a module. No fix,
    safe or unsafe; the finding stays.
    """
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { "lib.task" = "lib" }\n', encoding="utf-8"
    )
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text(
        "def task(f=None): return f\n\n\ndef run(): pass\n", encoding="utf-8"
    )
    (tmp_path / "lib" / "task.py").write_text("def run(): pass\n", encoding="utf-8")
    called = "from lib import task\n\n\n@task()\ndef job(): pass\n"
    used = "from lib import task\n\ntask.run()\n"
    (tmp_path / "called.py").write_text(called, encoding="utf-8")
    (tmp_path / "used.py").write_text(used, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "")
    assert main(["check", "--no-cache", "--select", "DL101", "--fix", "--unsafe-fixes", "."]) == 1
    assert (tmp_path / "called.py").read_text(encoding="utf-8") == called
    # A module used through its name keeps its (unsafe) fix.
    assert (tmp_path / "used.py").read_text(encoding="utf-8") == used.replace(
        "from lib import task", "import lib as task"
    )
