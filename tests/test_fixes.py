"""``check --fix`` and friends: the fixes of DL101 and DL103, applying them, and the CLI."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.model import Applicability, Edit, Finding, Fix
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import by_code
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.fixes import FixPolicy, resolve
from debt_lints.fixes.fixer import fix_text
from debt_lints.fixes.modules import IndexModules
from debt_lints.index import Project

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

MAP = {"collections": "collections2", "os.path": "ospath2", "pkg.old": "pkg.new"}
UNSAFE = FixPolicy(unsafe=True)


class _Installed(IndexModules):
    """The map's replacements are installed modules: the rewriting is what is tested here.

    (A replacement that exists nowhere gets no fix: see test_hostile_fixes.)
    """

    def installed(self, module: str) -> bool:
        return module.partition(".")[0] in {"collections2", "ospath2", "pkg"} or super().installed(
            module
        )


def _modules(root: Path) -> IndexModules:
    return _Installed(Project(root, (".",)))


def _rules(**options: object) -> RuleSet:
    values: dict[str, object] = {"deprecated-imports": MAP, "renamed-env-vars": {}}
    values.update(options)
    return RuleSet([by_code()["DL101"], by_code()["DL103"]], Settings(values))


def _fix(
    source: str,
    relpath: str = "app/mod.py",
    policy: FixPolicy = UNSAFE,
    root: Path | None = None,
    **options: object,
) -> tuple[str, list[Finding]]:
    """Fix ``source`` as ``check --fix`` would; returns the text and what is left."""
    rules = _rules(**options)
    modules = _modules(root or Path("/nonexistent-debt-lints-root"))

    def check(text: str) -> list[Finding]:
        return resolve(check_source(text, relpath, relpath, rules).findings, modules, policy)

    outcome = fix_text(source, relpath, check, policy)
    assert not [d for d in outcome.dropped if d.broke], outcome.dropped
    return outcome.text, outcome.findings


# --- DL101: every import form --------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import collections as c\nc.deque()\n", "import collections2 as c\nc.deque()\n"),
        (
            "from collections import deque as dq, OrderedDict\n",
            "from collections2 import deque as dq, OrderedDict\n",
        ),
        ("from os import path\npath.join('a')\n", "import ospath2 as path\npath.join('a')\n"),
        ("from os import path as p\n", "import ospath2 as p\n"),
        ("from pkg import old\nold.f()\n", "from pkg import new as old\nold.f()\n"),
        ("from pkg import old as o\n", "from pkg import new as o\n"),
        ("from os.path import join\n", "from ospath2 import join\n"),
        (
            "import importlib\nm = importlib.import_module('collections')\n",
            "import importlib\nm = importlib.import_module('collections2')\n",
        ),
        (
            "m = __import__('os.path', fromlist=['x'])\n",
            "m = __import__('ospath2', fromlist=['x'])\n",
        ),
        (
            "import os\nimport os.path\nos.path.join(os.sep)\nprint(os.path)\n",
            "import os\nimport ospath2\nospath2.join(os.sep)\nprint(ospath2)\n",
        ),
        (
            "import collections\nx = collections.deque()\ny = collections\n",
            "import collections2\nx = collections2.deque()\ny = collections2\n",
        ),
        (
            "from collections import (  # why\n    deque,  # the queue\n    # a comment line\n"
            "    OrderedDict,\n)\n",
            "from collections2 import (  # why\n    deque,  # the queue\n    # a comment line\n"
            "    OrderedDict,\n)\n",
        ),
        ("from \\\n  collections import deque\n", "from \\\n  collections2 import deque\n"),
        ("if True: from collections import deque\n", "if True: from collections2 import deque\n"),
    ],
)
def test_dl101_fixes_every_form(before: str, after: str) -> None:
    fixed, left = _fix(before)
    assert fixed == after
    assert not [f for f in left if f.code == "DL101"]
    compile(fixed, "fixed.py", "exec")


def test_relative_imports_become_the_absolute_replacement() -> None:
    source = "from . import old\nfrom .old import thing  # keep\n"
    fixed, left = _fix(source, relpath="pkg/user.py")
    assert fixed == "from pkg import new as old\nfrom pkg.new import thing  # keep\n"
    assert not left


@pytest.mark.parametrize(
    "source",
    [
        # `os` is used for more than `os.path`, and only this import binds it.
        "import os.path\nos.getcwd()\n",
        # The new top-level name is bound to something else.
        "import os.path\nospath2 = 1\nos.path.join('a')\n",
        # A local of the old name: references cannot be told apart.
        "import os.path\ndef f(os):\n    return os.path\n",
        # Another name would have to move to a statement of its own.
        "from os import path, sep\n",
        # A parenthesised single name with a top-level replacement.
        "from os import (path)\n",
        # Built names are matched but not rewritten.
        "import importlib\nimportlib.import_module(f'collections.{x}')\n",
    ],
)
def test_no_fix_where_the_text_cannot_be_rewritten_exactly(source: str) -> None:
    findings = check_source(source, "m.py", "m.py", _rules()).findings
    assert any(f.code == "DL101" for f in findings)
    assert all(f.fix is None for f in findings if f.code == "DL101")
    fixed, _ = _fix(source)
    assert fixed == source


# --- applicability ---------------------------------------------------------------------


def _project(tmp_path: Path, old: str) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "new.py").write_text(
        "def f():\n    return 1\n\nclass Thing:\n    pass\n", encoding="utf-8"
    )
    (tmp_path / "pkg" / "old.py").write_text(old, encoding="utf-8")
    return tmp_path


def _settled(tmp_path: Path, source: str) -> Finding:
    modules = _modules(tmp_path)
    found = check_source(source, "app.py", "app.py", _rules()).findings
    (finding,) = resolve(found, modules, FixPolicy())
    return finding


def test_safe_when_the_old_module_gives_the_replacements_objects(tmp_path: Path) -> None:
    # Not a pure re-export (it defines more), but f and Thing are pkg.new's own.
    root = _project(tmp_path, "from pkg.new import f, Thing\n\nLEGACY = 1\n")
    finding = _settled(root, "from pkg.old import f, Thing\n")
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE


def test_unsafe_when_the_replacement_defines_the_name_itself(tmp_path: Path) -> None:
    """A name of the same spelling is no evidence that it is the same object."""
    root = _project(tmp_path, "def f():\n    return 2\n")
    finding = _settled(root, "from pkg.old import f, Thing\n")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "pkg.new's f is not a re-export of pkg.old's" in finding.fix.message


def test_safe_when_the_old_module_is_a_pure_reexport(tmp_path: Path) -> None:
    shim = (
        '"""Moved."""\nimport warnings\nfrom pkg.new import *\n'
        'warnings.warn("x", DeprecationWarning)\n'
    )
    root = _project(tmp_path, shim)
    # `pkg.old` as a whole: only a shim makes that safe.
    finding = _settled(root, "import pkg.old as o\nprint(o)\n")
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE


def test_unsafe_when_the_replacement_is_unknown(tmp_path: Path) -> None:
    finding = _settled(tmp_path, "from collections import deque\n")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE


def test_no_fix_when_the_replacement_lacks_a_name_and_the_message_says_which(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, "def g():\n    pass\n")
    finding = _settled(root, "from pkg.old import g, f\n")
    assert finding.fix is None
    assert "pkg.new does not define g" in finding.message


def test_unfixable_codes_have_no_fix() -> None:
    found = check_source("from collections import deque\n", "m.py", "m.py", _rules()).findings
    (finding,) = resolve(found, _modules(Path("/nonexistent")), FixPolicy(unfixable=("DL1",)))
    assert finding.fix is None


# --- DL103 -----------------------------------------------------------------------------

ENV = {"MAIN_PC_IP": "MAINPC_IP"}


def test_dl103_renames_the_literal_unsafely() -> None:
    source = 'import os\nA = os.environ.get("MAIN_PC_IP", "d")\nos.environ["MAIN_PC_IP"] = "x"\n'
    (finding, _) = check_source(
        source, "m.py", "m.py", _rules(**{"renamed-env-vars": ENV})
    ).findings
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert _fix(source, policy=FixPolicy(), **{"renamed-env-vars": ENV})[0] == source
    fixed, left = _fix(source, **{"renamed-env-vars": ENV})
    assert (
        fixed == 'import os\nA = os.environ.get("MAINPC_IP", "d")\nos.environ["MAINPC_IP"] = "x"\n'
    )
    assert not left


def test_dl103_fallback_reads_the_new_name_then_the_old_one() -> None:
    options: dict[str, object] = {"renamed-env-vars": ENV, "renamed-env-vars-fallback": True}
    source = "import os\nA = os.environ.get('MAIN_PC_IP', 'd')\nB = os.getenv('MAIN_PC_IP')\n"
    fixed, left = _fix(source, policy=FixPolicy(), **options)
    assert fixed == (
        "import os\nA = os.environ.get('MAINPC_IP', os.environ.get('MAIN_PC_IP', 'd'))\n"
        "B = os.getenv('MAINPC_IP', os.getenv('MAIN_PC_IP'))\n"
    )
    assert not left  # the fallback is the rollout's mapping: not reported while it is on
    without = check_source(fixed, "m.py", "m.py", _rules(**{"renamed-env-vars": ENV})).findings
    assert len(without) == 2  # reported again once the rollout ends


def test_dl103_a_fallback_is_deleted_not_renamed() -> None:
    """The deprecation notice of a rollout reads the old name where the new one is
    missing: renamed, its branch would be dead code. It is silent while the rollout
    lasts and gets no fix once the option is off (the fallback is to be deleted)."""
    source = (
        "import logging\nimport os\n\n\ndef key():\n"
        "    value = os.environ.get('MAINPC_IP', None)\n"
        "    if value is None and 'MAIN_PC_IP' in os.environ:\n"
        "        logging.warning('MAIN_PC_IP is deprecated')\n"
        "    value = value or os.environ.get('MAIN_PC_IP', None)\n"
        "    return value\n"
    )
    options: dict[str, object] = {"renamed-env-vars": ENV, "renamed-env-vars-fallback": True}
    assert not check_source(source, "m.py", "m.py", _rules(**options)).findings
    after = check_source(source, "m.py", "m.py", _rules(**{"renamed-env-vars": ENV})).findings
    assert [(f.line, f.fix) for f in after] == [(7, None), (9, None)]
    assert _fix(source, **{"renamed-env-vars": ENV})[0] == source


# --- the fixer ---------------------------------------------------------------------------


def _finding(line: int, fix: Fix, code: str = "DL101") -> Finding:
    return Finding("m.py", line, 1, code, line, 2, "deprecated-import", "m", fix=fix)


def test_a_fix_that_breaks_the_code_is_dropped_and_the_others_kept() -> None:
    text = "a = 1\nb = 2\n"
    good = Fix((Edit(1, 1, 1, 2, "x"),), Applicability.SAFE)
    bad = Fix((Edit(2, 5, 2, 6, "("),), Applicability.SAFE)

    def check(current: str) -> list[Finding]:
        out = []
        if current.startswith("a"):
            out.append(_finding(1, good))
        if "= 2" in current:
            out.append(_finding(2, bad))
        return out

    outcome = fix_text(text, "m.py", check, FixPolicy())
    assert outcome.text == "x = 1\nb = 2\n"
    assert [d.broke for d in outcome.dropped] == [True]


def test_a_fix_that_creates_a_finding_is_dropped() -> None:
    fix = Fix((Edit(1, 1, 1, 2, "b"),), Applicability.SAFE)

    def check(current: str) -> list[Finding]:
        if current.startswith("a"):
            return [_finding(1, fix)]
        return [_finding(1, Fix(()), code="DL201")]  # something new appeared

    outcome = fix_text("a = 1\n", "m.py", check, FixPolicy())
    assert outcome.text == "a = 1\n"
    assert outcome.dropped and "creates a finding" in outcome.dropped[0].reason


def test_overlapping_fixes_are_applied_over_rounds() -> None:
    first = Fix((Edit(1, 1, 1, 6, "b = 1"),), Applicability.SAFE)
    second = Fix((Edit(1, 1, 1, 2, "c"),), Applicability.SAFE)

    def check(current: str) -> list[Finding]:
        if current == "a = 1\n":
            return [_finding(1, first), _finding(1, second)]
        return []

    outcome = fix_text("a = 1\n", "m.py", check, FixPolicy())
    assert outcome.text == "b = 1\n" and len(outcome.fixed) == 1


# --- the command, on a copy of the demo --------------------------------------------------


@pytest.fixture()
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)
    monkeypatch.chdir(copy)
    monkeypatch.setenv("CI", "")
    return copy


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["check", "--format", "json", "--no-cache", *argv])
    return code, json.loads(capsys.readouterr().out)


def _migration(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["code"] in {"DL101", "DL103"}]


def test_diff_writes_nothing_and_shows_every_fix(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before = _json(capsys, "--no-baseline")
    fixable = [f for f in _migration(before) if f["fix"] is not None]
    assert len(fixable) == 7
    hashes = _hashes(demo)
    code = main(["check", "--no-cache", "--diff", "--unsafe-fixes", "--no-baseline"])
    out, err = capsys.readouterr()
    assert code == 1
    assert _hashes(demo) == hashes
    assert "Would fix 7 findings." in err
    for finding in fixable:
        assert f"--- a/{finding['path']}" in out
        for edit in finding["fix"]["edits"]:
            assert f"+{edit['content']}" in out or edit["content"] in out
    assert out.count("\n-from main_pc_code.utils.path_manager import PathManager") == 2


def test_a_file_that_does_not_parse_is_never_fixed(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = demo / "main_pc_code" / "agents" / "web_search_agent.py"
    original = damaged.read_bytes()
    _, before = _json(capsys, "--no-baseline")
    rel = "main_pc_code/agents/web_search_agent.py"
    recovered = [f for f in _migration(before) if f["path"] == rel]
    # The recovered file still shows its migration debt, with no fix offered.
    assert recovered and all(f["partial"] and f["fix"] is None for f in recovered)
    code = main(["check", "--no-cache", "--fix", "--unsafe-fixes", "--no-baseline"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err
    assert damaged.read_bytes() == original


def test_fix_leaves_no_fixable_migration_finding_and_changes_only_their_lines(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before = _json(capsys, "--no-baseline")
    originals = {p: p.read_text(encoding="utf-8") for p in demo.rglob("*.py")}
    lines = {(f["path"], f["line"]) for f in _migration(before)}
    code = main(["check", "--no-cache", "--fix", "--unsafe-fixes", "--no-baseline"])
    capsys.readouterr()
    assert code == 1  # other rules' findings remain
    _, after = _json(capsys, "--no-baseline")
    left = _migration(after)
    # What is left has no fix: its replacement lacks a name (the message says
    # which), the import reaches the old module only through an import root,
    # or the file does not parse.
    assert left and all(f["fix"] is None for f in left)
    whole = [f for f in left if not f["partial"]]
    assert whole and len(whole) < len(left)
    assert all("does not define" in f["message"] or "(that is, " in f["message"] for f in whole)
    for path, old in originals.items():
        new = path.read_text(encoding="utf-8")
        try:
            ast.parse(old)
        except SyntaxError:
            continue
        compile(new, str(path), "exec")
        rel = str(path.relative_to(demo))
        assert len(old.splitlines()) == len(new.splitlines())
        pairs = zip(old.splitlines(), new.splitlines(), strict=True)
        changed = {n + 1 for n, (a, b) in enumerate(pairs) if a != b}
        assert changed <= {line for p, line in lines if p == rel}, rel
    hashes = _hashes(demo)
    main(["check", "--no-cache", "--fix", "--unsafe-fixes", "--no-baseline"])
    capsys.readouterr()
    assert _hashes(demo) == hashes  # a second run changes nothing


def test_fix_prunes_the_baseline_in_the_same_run(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from debt_lints.baseline import gate, store

    assert main(["baseline", "create"]) == 0
    saves: list[Path] = []
    real_save = store.save

    def counting(path: Path, *args: Any, **kwargs: Any) -> None:
        saves.append(path)
        real_save(path, *args, **kwargs)

    monkeypatch.setattr(gate, "save", counting)
    baseline = demo / "debt-lints-baseline.json"
    entries = len(json.loads(baseline.read_text(encoding="utf-8"))[1:])
    capsys.readouterr()
    # The demo's old modules are copies, not re-exports: its fixes are unsafe.
    assert main(["check", "--no-cache", "--fix", "--unsafe-fixes"]) == 0
    err = capsys.readouterr().err
    assert "removed 7 fixed findings" in err
    assert len(saves) == 1  # one atomic write
    left = json.loads(baseline.read_text(encoding="utf-8"))[1:]
    assert len(left) == entries - 7  # the three DL101 and four DL103 fixes
    assert "DL101" in {e["code"] for e in left}


def test_fix_keeps_the_whole_repository_findings_of_a_fixed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL101", "DL602"]\n'
        'deprecated-imports = { "old.util" = "new.util" }\n',
        encoding="utf-8",
    )
    for package in ("old", "new"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "new" / "util.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (tmp_path / "old" / "util.py").write_text("from new.util import helper\n", encoding="utf-8")
    # Nothing imports tool.py (DL602), and its import has a safe fix (DL101).
    (tmp_path / "tool.py").write_text(
        "from old.util import helper\n\nVALUE = helper()\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "")
    assert main(["baseline", "create"]) == 0
    capsys.readouterr()
    assert main(["check", "--no-cache", "--fix"]) == 0
    err = capsys.readouterr().err
    assert "removed 1 fixed finding" in err
    assert (tmp_path / "tool.py").read_text(encoding="utf-8").startswith("from new.util import")
    left = json.loads((tmp_path / "debt-lints-baseline.json").read_text(encoding="utf-8"))[1:]
    assert [(e["path"], e["code"]) for e in left] == [("tool.py", "DL602")]
    _, found = _json(capsys, "--no-baseline")
    # The next run computes the repository again: the old copy is unused now.
    assert [(f["path"], f["code"]) for f in found] == [
        ("old/util.py", "DL602"),
        ("tool.py", "DL602"),
    ]


def test_fix_is_refused_under_ci(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashes = _hashes(demo)
    assert main(["check", "--no-cache", "--fix", "--ci"]) == 2
    monkeypatch.setenv("CI", "true")
    assert main(["check", "--no-cache", "--fix"]) == 2
    assert _hashes(demo) == hashes


def test_text_marks_fixable_findings_and_counts_them(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--no-cache", "--no-baseline", "--select", "DL101,DL103"])
    out = capsys.readouterr().out
    # The demo's old modules are copies of the new ones, not re-exports: no fix
    # is proven safe (each says why, see test_policy_*).
    assert " [*] " not in out
    assert out.rstrip().endswith("No fixes available (7 with `--unsafe-fixes`).")
    main(["check", "--no-cache", "--no-baseline", "--select", "DL101", "--unsafe-fixes"])
    out = capsys.readouterr().out
    assert out.count(" DL101 [*] ") == 3
    main(["check", "--no-cache", "--no-baseline", "--select", "DL103", "--unsafe-fixes"])
    out = capsys.readouterr().out
    assert out.count(" DL103 [*] ") == 4


def test_fix_only_and_show_fixes(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", "--no-cache", "--no-baseline", "--fix-only", "--unsafe-fixes", "--show-fixes"]
    )
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert "Fixed 7 findings:" in err and "1 × DL101 (deprecated-import)" in err  # noqa: RUF001


def test_fixable_and_unsafe_fixes_from_the_configuration(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = demo / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text.replace(
            "[tool.debt-lints]\n",
            "[tool.debt-lints]\nunsafe-fixes = true\nunfixable = ['DL101']\n",
            1,
        ),
        encoding="utf-8",
    )
    _, found = _json(capsys, "--no-baseline")
    assert all(f["fix"] is None for f in found if f["code"] == "DL101")
    main(["check", "--no-cache", "--no-baseline", "--fix"])
    capsys.readouterr()
    _, after = _json(capsys, "--no-baseline")
    assert not [f for f in after if f["code"] == "DL103" and not f["partial"]]
    assert len([f for f in after if f["code"] == "DL101"]) == len(
        [f for f in found if f["code"] == "DL101"]
    )


def test_sarif_results_carry_their_fixes(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    main(["check", "--no-cache", "--no-baseline", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    fixes = [r["fixes"][0] for r in log["runs"][0]["results"] if "fixes" in r]
    assert len(fixes) == 7
    assert sorted(f["properties"]["applicability"] for f in fixes) == ["unsafe"] * 7


def test_a_file_changed_during_the_run_is_not_overwritten(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from debt_lints.fixes import session

    target = demo / "main_pc_code" / "utils" / "log_manager.py"
    real = session.fix_text

    def meddling(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        if args[1].endswith("log_manager.py"):
            target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        return outcome

    monkeypatch.setattr(session, "fix_text", meddling)
    main(["check", "--no-cache", "--no-baseline", "--fix", "--unsafe-fixes"])
    err = capsys.readouterr().err
    assert "changed by another process during the run; not overwritten" in err
    text = target.read_text(encoding="utf-8")
    assert "from main_pc_code.utils.path_manager import" in text and text.endswith("# edited\n")


def test_many_files_are_fixed_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { collections = "collections2" }\n',
        encoding="utf-8",
    )
    (tmp_path / "collections2.py").write_text("class deque(list):\n    pass\n", encoding="utf-8")
    for n in range(12):
        (tmp_path / f"m{n}.py").write_text(
            f"from collections import deque  # {n}\nQ = deque()\n", encoding="utf-8"
        )
    assert main(["check", "--no-cache", "--fix", "--unsafe-fixes", "--jobs", "2"]) == 0
    assert "Fixed 12 findings." in capsys.readouterr().out
    for n in range(12):
        text = (tmp_path / f"m{n}.py").read_text(encoding="utf-8")
        assert text == f"from collections2 import deque  # {n}\nQ = deque()\n"
