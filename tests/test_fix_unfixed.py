"""``--fix`` that fixes fewer findings than it could says why, grouped (issue 26 item 7).

On the real repository ``--fix`` said "No fixes available" and only
arithmetic told why (findings in files that do not parse, replacements
lacking a name, unsafe fixes). Now each finding of a rule with fixes that
the fixes leave is counted in one group, largest first, with what to do
and the specifics (files, missing names), and the first thing to repair.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.model import Applicability, Edit, Finding, Fix, NoFix
from debt_lints.engine.registry import all_rules
from debt_lints.fixes.unfixed import unfixed

PYPROJECT = """\
[tool.debt-lints]
deprecated-imports = { "legacy.util" = "core.util", "legacy.gone" = "core.gone" }
renamed-env-vars = { OLD_HOST = "NEW_HOST" }
"""

FILES = {
    "core/__init__.py": "",
    "core/util.py": "def load():\n    return 1\n",
    "legacy/__init__.py": "",
    "legacy/util.py": "def load():\n    return 1\n\n\ndef save():\n    return 2\n",
    # core.util lacks save: no fix
    "a.py": "from legacy.util import save\n\nsave()\n",
    # a same-named load in core.util is no proof: unsafe
    "b.py": "from legacy.util import load\n\nload()\n",
    # core.gone does not exist: no fix
    "c.py": "import legacy.gone\n",
    # does not parse: its findings carry no fix
    "d.py": "from legacy.util import load\nprint 'x'\n",
    # renaming the variable is unsafe
    "e.py": "import os\n\nHOST = os.environ['OLD_HOST']\n",
}


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def notes(err: str) -> list[str]:
    return [
        line.removeprefix("debt-lints: ")
        for line in err.splitlines()
        if "unfixed" in line or line.startswith("debt-lints:   ") or "Start with" in line
    ]


def test_fix_says_why_it_left_each_group(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--no-cache", "--output-format", "concise"]) == 1
    captured = capsys.readouterr()
    assert notes(captured.err) == [
        "--fix left 5 findings of DL101, DL103 unfixed:",
        "  2 with unsafe fixes: review them with --diff --unsafe-fixes,"
        " apply them with --fix --unsafe-fixes"
        " (core.util's load is not a re-export of legacy.util's: 1)",
        "  1 in 1 file that does not parse: repair their syntax errors (DL001),"
        " then run --fix again (d.py: 1)",
        "  1 whose replacement lacks a name the file takes from the old module:"
        " define or re-export it there, or map the old module elsewhere"
        " (core.util does not define save: 1)",
        "  1 whose replacement does not exist here: create it, install the project's"
        " declared dependencies, or correct deprecated-imports (DL003 names an entry no"
        " declared dependency provides) (core.gone does not exist in the project or the"
        " environment: 1)",
        "Start with the 2 findings with unsafe fixes: review them with --diff"
        " --unsafe-fixes, apply them with --fix --unsafe-fixes.",
    ]
    # said after the report, not above it
    assert "Found " in captured.out
    assert all((repo / name).read_text(encoding="utf-8") == text for name, text in FILES.items())


def test_diff_says_what_fix_would_leave(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "debt-lints: --fix would leave 5 findings of DL101, DL103 unfixed:" in err


def test_unsafe_fixes_and_unfixable_change_the_groups(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT + 'unfixable = ["DL103"]\n', encoding="utf-8")
    assert main(["check", "--fix", "--unsafe-fixes", "--no-cache", "-q"]) == 1
    lines = notes(capsys.readouterr().err)
    # b.py was fixed (unsafe, applied); e.py's code is unfixable
    assert lines[0] == "--fix left 4 findings of DL101, DL103 unfixed:"
    assert (
        "  1 of codes that fixable/unfixable exclude: change fixable or unfixable"
        " in the configuration to fix them (DL103: 1)"
    ) in lines
    assert not any("unsafe" in line for line in lines)
    assert "from core.util import load" in (repo / "b.py").read_text(encoding="utf-8")


def test_nothing_is_said_when_every_fix_was_applied(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.py", "c.py", "d.py", "e.py"):
        (repo / name).unlink()
    assert main(["check", "--fix", "--unsafe-fixes", "--no-cache", "-q"]) == 1  # DL003 remains
    assert "unfixed" not in capsys.readouterr().err


def _finding(code: str, path: str = "x.py", **kwargs: object) -> Finding:
    return Finding(path, 1, 1, code, **kwargs)  # type: ignore[arg-type]


def test_groups_largest_first_ties_in_repair_order() -> None:
    unsafe_fix = Fix((Edit(1, 1, 1, 2, "y"),), Applicability.UNSAFE, "m")
    safe_fix = Fix((Edit(1, 1, 1, 2, "y"),), Applicability.SAFE, "m")
    findings = [
        _finding("DL101", "a.py", fix=unsafe_fix),
        _finding("DL101", "b.py", fix=unsafe_fix),
        _finding("DL101", "c.py", partial=True),
        _finding("DL101", "d.py", no_fix=NoFix("missing-name", "x does not define f")),
        _finding("DL103", "e.py", fix=safe_fix),  # a safe fix still there: not applied
        _finding("DL101", "f.py"),  # no fix, no reason: a form not rewritten
        _finding("DL201", "g.py"),  # a rule without fixes: not counted
    ]
    fixing = {rule.code for rule in all_rules() if rule.fixes}
    assert fixing == {"DL101", "DL103"}
    groups = unfixed(findings, fixing, unsafe=False)
    assert [(g.kind, g.count) for g in groups] == [
        ("unsafe", 2),
        ("unparsable", 1),
        ("missing-name", 1),
        ("not-applied", 1),
        ("no-rewrite", 1),
    ]
    assert groups[2].details == {"x does not define f": 1}
    # with --unsafe-fixes, an unsafe fix still there was not applied
    assert unfixed(findings[:2], fixing, unsafe=True)[0].kind == "not-applied"


def test_the_unsafe_group_says_why_the_fixes_are_unsafe() -> None:
    """On twisted, "8 with unsafe fixes" did not say why: the replacement was an
    installed package whose names debt-lints cannot check. The reason the fix
    policy gave each fix is the group's specifics; a rule's own unsafe fix
    (DL103's rename) has none to give."""
    from debt_lints.fixes.policy import unsafe_reason

    why = "whether incremental defines Version is not known"
    judged = Fix(
        (Edit(1, 1, 1, 2, "y"),),
        Applicability.UNSAFE,
        f"import incremental instead of twisted.python.versions (unsafe: {why})",
    )
    renamed = Fix((Edit(1, 1, 1, 2, "y"),), Applicability.UNSAFE, "use NEW_HOST instead of OLD")
    assert unsafe_reason(judged) == why
    assert unsafe_reason(renamed) is None
    findings = [_finding("DL101", f"m{i}.py", fix=judged) for i in range(3)]
    findings.append(_finding("DL103", "e.py", fix=renamed))
    [group] = unfixed(findings, {"DL101", "DL103"}, unsafe=False)
    assert (group.kind, group.count) == ("unsafe", 4)
    assert group.details == {why: 3, "": 1}


def test_a_rule_declares_fixes_when_it_builds_them() -> None:
    """``Rule.fixes`` decides which findings are counted: it must match the code."""
    import inspect

    for rule in all_rules():
        source = inspect.getsource(inspect.getmodule(rule))  # type: ignore[arg-type]
        assert rule.fixes == ("Fix(" in source), rule.code
