"""Issue 5's scenario: strict typing under the baseline, on a copy of the demo.

Baseline the strict errors; an untyped function in a strict-clean module
fails; a type error in an already-untyped module fails; fixing every error of
one module makes it strict-clean, tightens the baseline and lets
``--write-mypy-config`` list it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.strict import read_block
from tests.sample_project import finding_lines

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "legacy-monorepo"
STRICT_CLEAN = "common/utils/path_manager.py"
UNTYPED = "main_pc_code/agents/health_monitor.py"


def dl(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    if argv[:1] == ("check",):
        out = "".join(line + "\n" for line in finding_lines(out))
    return code, out, err


def typing_entries(root: Path) -> list[dict[str, object]]:
    data = json.loads((root / "debt-lints-baseline.json").read_text(encoding="utf-8"))
    entries = data["entries"] if isinstance(data, dict) else data[1:]
    return [e for e in entries if str(e["code"]).startswith("mypy[")]


@pytest.fixture()
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(
        EXAMPLE, root, ignore=shutil.ignore_patterns(".debt-lints-cache", "__pycache__")
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    return root


@pytest.mark.slow
def test_strict_typing_ratchet_on_the_demo(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = dl(capsys, "baseline", "create", "--typing")
    assert code == 0, err
    entries = typing_entries(demo)
    assert entries, "the demo's strict errors are recorded"
    assert not any(e["path"] == STRICT_CLEAN for e in entries)
    assert dl(capsys, "check", "--typing")[0] == 0

    # An untyped function in a strict-clean module: exactly that finding.
    clean_module = demo / STRICT_CLEAN
    original = clean_module.read_text(encoding="utf-8")
    lines = original.count("\n")
    clean_module.write_text(original + "\n\ndef legacy_helper(path):\n    return path\n")
    code, out, _ = dl(capsys, "check", "--typing")
    assert code == 1
    assert out.splitlines() == [
        f"{STRICT_CLEAN}:{lines + 3}:1: mypy[no-untyped-def] Function is missing a type annotation"
    ]
    clean_module.write_text(original)

    # A type error in a module that is untyped already: new debt all the same.
    untyped = demo / UNTYPED
    before = untyped.read_text(encoding="utf-8")
    untyped.write_text(before + '\n\nRETRIES: int = "three"\n')
    code, out, _ = dl(capsys, "check", "--typing")
    assert code == 1
    assert [line.split(": ", 1)[1].split()[0] for line in out.splitlines()] == ["mypy[assignment]"]
    untyped.write_text(before)
    assert dl(capsys, "check", "--typing", "--ci")[0] == 0

    # Fix every strict error of one module: it becomes strict-clean, the
    # baseline loses exactly its entries, and the overrides list it.
    target = _module_with_fewest_errors(entries)
    target_path = demo / target
    target_path.write_text(_typed_rewrite(target_path.read_text(encoding="utf-8")))
    code, _, err = dl(capsys, "check", "--typing", "--ci")
    assert code == 4, err  # stale in CI: the fix must land with the smaller baseline
    code, _, err = dl(capsys, "check", "--typing")
    assert code == 0, err
    after = typing_entries(demo)
    assert not any(e["path"] == target for e in after)
    assert len(after) == len(entries) - sum(1 for e in entries if e["path"] == target)
    code, _, err = dl(capsys, "typing", "--write-mypy-config")
    assert code == 0, err
    module = target[: -len(".py")].replace("/", ".")
    assert module in (read_block((demo / "pyproject.toml").read_text(encoding="utf-8")) or [])
    assert dl(capsys, "check", "--typing", "--ci")[0] == 0

    # Strictness only spreads: the module is now listed, so even an error that
    # an entry could cover is new debt.
    target_path.write_text(
        target_path.read_text(encoding="utf-8") + "\n\ndef f(x):\n    return x\n"
    )
    assert dl(capsys, "check", "--typing")[0] == 1


def _module_with_fewest_errors(entries: list[dict[str, object]]) -> str:
    # Agents import the utilities, never the other way round: rewriting an
    # agent cannot create errors in another module.
    counts: dict[str, int] = {}
    for entry in entries:
        if "/agents/" in str(entry["path"]):
            counts[str(entry["path"])] = counts.get(str(entry["path"]), 0) + 1
    return min(sorted(counts), key=lambda p: counts[p])


def _typed_rewrite(text: str) -> str:
    """A stand-in for the developer's fix: the module replaced by typed code."""
    del text
    return '"""Typed at last."""\n\n\ndef ping(host: str) -> str:\n    return host\n'
