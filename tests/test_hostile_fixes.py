"""Hostile review, round 3: the defects of applying fixes (N8, N9, N10, N22, N23, N24)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from debt_lints.core.model import Applicability, Edit, Finding, Fix, Severity
from debt_lints.fixes import edits

# --- N8: applying fixes is linear, not quadratic ------------------------------------------


def _import_fix(line: int, old: str, new: str) -> Finding:
    edit = Edit(line, 8, line, 8 + len(old), new)
    return Finding(
        path="big.py",
        line=line,
        column=8,
        code="DL101",
        name="deprecated-import",
        message="deprecated",
        severity=Severity.WARNING,
        fix=Fix((edit,), Applicability.SAFE, "import new"),
    )


def test_n8_choosing_20000_fixes_splits_the_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 20_000
    text = "".join(f"import old.mod as m{i}\n" for i in range(count))
    findings = [_import_fix(i + 1, "old.mod", "new.mod") for i in range(count)]
    # Two findings overlapping fixes already chosen: the first of each pair wins.
    findings.append(_import_fix(7, "old", "other"))
    findings.append(_import_fix(count, "old.mod", "newer.mod"))
    calls = []
    real = edits._line_starts

    def counting(value: str) -> list[int]:
        calls.append(len(value))
        return real(value)

    monkeypatch.setattr(edits, "_line_starts", counting)
    chosen = edits.choose(text, findings)
    assert len(calls) == 1
    assert len(chosen) == count
    new = edits.apply_spans(text, [span for _, spans in chosen for span in spans])
    assert new == "".join(f"import new.mod as m{i}\n" for i in range(count))
    calls.clear()
    assert edits.apply_fixes(text, [f.fix for f, _ in chosen if f.fix][:3]).startswith(
        "import new.mod as m0\nimport new.mod as m1\nimport new.mod as m2\nimport old"
    )
    assert len(calls) == 1


def test_n8_overlaps_are_still_found_among_sorted_edits() -> None:
    text = "abcdefghij\n"

    def finding(*spans: tuple[int, int]) -> Finding:
        fix = Fix(tuple(Edit(1, s + 1, 1, e + 1, "X") for s, e in spans), Applicability.SAFE)
        return Finding(path="f.py", line=1, column=1, code="DL101", message="m", fix=fix)

    wide = finding((0, 8))
    inside = finding((3, 4))  # inside the first: refused
    after = finding((8, 9))  # touches its end: apart
    same_start = finding((8, 8))  # an insertion where another edit starts: refused
    own_clash = finding((9, 10), (9, 10))  # its own edits overlap: refused
    chosen = edits.choose(text, [wide, inside, after, same_start, own_clash])
    assert [f for f, _ in chosen] == [wide, after]


def test_n8_code_actions_split_the_document_once() -> None:
    from lsprotocol import types

    from debt_lints.adapters.lsp import in_client_units

    class Codec:
        def range_to_client_units(self, lines: list[str], r: types.Range) -> types.Range:
            return r

    class Document:
        reads = 0
        position_codec = Codec()

        @property
        def lines(self) -> list[str]:
            Document.reads += 1
            return ["x\n"] * 10

    def action(n: int) -> types.CodeAction:
        edit = types.TextEdit(types.Range(types.Position(n, 0), types.Position(n, 1)), "y")
        return types.CodeAction(
            title=str(n), edit=types.WorkspaceEdit(changes={"file:///a.py": [edit, edit]})
        )

    found: list[tuple[Any, bool]] = [(action(n), True) for n in range(500)]
    out = in_client_units(found, "file:///a.py", Document(), quick=True)
    assert len(out) == 500
    assert Document.reads == 1


# --- helpers for the CLI ------------------------------------------------------------------


def _project(root: Path, config: str, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.debt-lints]\n{config}", encoding="utf-8")
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def _check(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    from debt_lints.adapters.cli import main

    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    code = main(["check", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- N9: a file with a coding cookie is written in its own encoding ------------------------

LATIN1 = b"# -*- coding: latin-1 -*-\nfrom old.mod import f\nS = '\xe9t\xe9'\n"


@pytest.mark.parametrize(
    ("package", "written"),
    [
        ("nov\u00e9", b"# -*- coding: latin-1 -*-\nfrom nov\xe9.mod import f\nS = '\xe9t\xe9'\n"),
        # U+011B is not in latin-1: the fix cannot be written, the file is left alone.
        ("nov\u011b", LATIN1),
    ],
)
def test_n9_a_latin1_file_is_fixed_in_latin1_or_not_at_all(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    package: str,
    written: bytes,
) -> None:
    root = _project(
        tmp_path,
        f'deprecated-imports = {{ "old.mod" = "{package}.mod" }}\n',
        {
            "lat.py": LATIN1,
            f"{package}/__init__.py": "",
            f"{package}/mod.py": "def f():\n    return 1\n",
        },
    )
    code, _, err = _check(
        root, monkeypatch, capsys, "--fix", "--unsafe-fixes", "--no-baseline", "lat.py"
    )
    data = (root / "lat.py").read_bytes()
    assert data == written
    compile(data, "lat.py", "exec", dont_inherit=True)
    if written == LATIN1:
        assert "cannot be written in the file's encoding, iso8859-1" in err
        assert code == 1  # the finding is left, and it is no internal error
    else:
        assert code == 0, err


# --- N10 + N23: configuration values are data, checked when loaded, never code ----------------


@pytest.mark.parametrize(
    ("table", "named"),
    [
        (
            'deprecated-imports = { "old.mod" = "os import path; __import__(\'os\')'
            ".system('touch PWNED'); from os\" }",
            "deprecated-imports: 'old.mod' = ",
        ),
        ('deprecated-imports = { "old.mod" = "new mod" }', "'old.mod' = 'new mod'"),
        ('deprecated-imports = { "old.mod" = ".." }', "'old.mod' = '..'"),
        ('deprecated-imports = { "old.mod" = "class" }', "'old.mod' = 'class'"),
        ('deprecated-imports = { "old.mod" = "1abc" }', "'old.mod' = '1abc'"),
        ('deprecated-imports = { "old.mod" = "os\\nimport subprocess" }', "'old.mod' = "),
        ('deprecated-imports = { "old mod" = "new.mod" }', "'old mod' is not a module name"),
        (
            "renamed-env-vars = { OLD = \"X') or __import__('os').system('touch PWNED') or ('\" }",
            "renamed-env-vars: 'OLD' = ",
        ),
        ('renamed-env-vars = { OLD = "" }', "'' is not an environment variable name"),
        ('renamed-env-vars = { OLD = "A=B" }', "'A=B' is not an environment variable name"),
        ('renamed-env-vars = { "1X" = "NEW" }', "'1X' is not an environment variable name"),
    ],
)
def test_n10_n23_a_value_that_is_not_a_name_is_a_configuration_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    table: str,
    named: str,
) -> None:
    source = "import os\nfrom old.mod import f\nA = os.environ['OLD']\n"
    root = _project(tmp_path, f"unsafe-fixes = true\n{table}\n", {"a.py": source})
    code, _, err = _check(root, monkeypatch, capsys, "--fix", "--no-baseline")
    assert code == 2
    assert named in err
    assert "Traceback" not in err
    assert (root / "a.py").read_text(encoding="utf-8") == source
    assert not (root / "PWNED").exists()


def test_n10_an_empty_replacement_module_still_means_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(
        tmp_path, 'deprecated-imports = { "old.mod" = "" }\n', {"a.py": "import old.mod\n"}
    )
    code, out, _ = _check(root, monkeypatch, capsys, "--no-baseline")
    assert code == 1
    assert "has no replacement" in out


def test_n10_fixes_never_splice_a_value_that_needs_escaping() -> None:
    """Settings built without the configuration (a host, a test) get no fix either."""
    from debt_lints.core.settings import Settings
    from debt_lints.engine.registry import by_code
    from debt_lints.engine.walk import RuleSet, check_source

    settings = Settings(
        {
            "deprecated-imports": {"old.mod": "os import path; import x; from os"},
            "renamed-env-vars": {"OLD": "X') or f() or ('", "OLD2": 'Y", 1) or f() or ("'},
            "renamed-env-vars-fallback": True,
        }
    )
    rules = RuleSet([by_code()["DL101"], by_code()["DL103"]], settings)
    source = (
        "import importlib, os\nfrom old.mod import f\nimport old.mod as m\n"
        "importlib.import_module('old.mod')\nos.environ['OLD']\nos.getenv(\"OLD2\")\n"
    )
    found = check_source(source, "a.py", "a.py", rules).findings
    assert {f.code for f in found} == {"DL101", "DL103"}
    assert [f for f in found if f.fix is not None] == []


# --- N22: --fix replaces a file as an editor saves it ----------------------------------------

MAPPED = 'deprecated-imports = { "old.mod" = "new.mod" }\n'
NEW_MOD = {"new/__init__.py": "", "new/mod.py": "def f():\n    return 1\n"}


def test_n22_a_read_only_file_is_not_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, MAPPED, {"a.py": "from old.mod import f\n", **NEW_MOD})
    target = root / "a.py"
    target.chmod(0o444)
    before = target.stat()
    code, _, err = _check(root, monkeypatch, capsys, "--fix", "--unsafe-fixes", "--no-baseline")
    assert code == 1
    assert "a.py: read-only (not writable by you); not fixed" in err
    assert target.read_text(encoding="utf-8") == "from old.mod import f\n"
    after = target.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_n22_a_file_the_user_may_not_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As an ordinary user without write access (the rename alone would succeed)."""
    from debt_lints.core import safefs

    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(safefs.os, "access", lambda *a, **k: False)
    with (
        safefs.open_chain(tmp_path, [], create=False, heal=False) as where,
        pytest.raises(PermissionError, match="not writable by you"),
    ):
        where.replace("a.py", b"x = 2\n")
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == "x = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_n22_root_keeps_the_owner_and_drops_setuid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, MAPPED, {"a.py": "from old.mod import f\n", **NEW_MOD})
    target = root / "a.py"
    os.chown(target, 1234, 4321)
    target.chmod(0o6755)
    code, _, err = _check(root, monkeypatch, capsys, "--fix", "--unsafe-fixes", "--no-baseline")
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == "from new.mod import f\n"
    after = target.stat()
    assert (after.st_uid, after.st_gid) == (1234, 4321)
    assert stat.S_IMODE(after.st_mode) == 0o755


# --- N24: a configuration error stops --fix before it writes anything ------------------------


@pytest.mark.parametrize("broken", ["outside", "invalid"])
def test_n24_a_refused_baseline_stops_the_run_before_any_file_is_fixed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: str,
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "bl.json").write_text("{}", encoding="utf-8")
    root = _project(tmp_path / "project", MAPPED, {"a.py": "from old.mod import f\n", **NEW_MOD})
    if broken == "outside":
        (root / "debt-lints-baseline.json").symlink_to("../victim/bl.json")
    else:
        (root / "debt-lints-baseline.json").write_text("{not json", encoding="utf-8")
    code, _, err = _check(root, monkeypatch, capsys, "--fix", "--unsafe-fixes")
    assert code == 2
    assert "baseline" in err
    assert "Traceback" not in err
    assert (root / "a.py").read_text(encoding="utf-8") == "from old.mod import f\n"
    assert (victim / "bl.json").read_text(encoding="utf-8") == "{}"
