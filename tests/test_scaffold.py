"""The scaffold: a new rule in two files that pass the suite as written."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from debt_lints.config import load_config
from debt_lints.core.model import DOC_SECTIONS, Rule
from debt_lints.devtools.scaffold import (
    CHECKERS_DIR,
    FIXTURES_DIR,
    ScaffoldError,
    main,
    plan,
    validate,
)
from debt_lints.docs import code_blocks, sections
from debt_lints.engine.registry import all_rules
from debt_lints.engine.walk import RuleSet, check_source
from tests.fixtures import expected

ROOT = Path(__file__).resolve().parent.parent


def _free_code(family: str) -> str:
    """A code nobody uses yet in the range of ``family`` (other rules land in parallel)."""
    used = {rule.code for rule in all_rules()}
    digit = next(rule.code[2] for rule in all_rules() if rule.family() == family)
    return next(f"DL{digit}0{n}" for n in range(1, 10) if f"DL{digit}0{n}" not in used)


def _checkout(tmp_path: Path) -> Path:
    """A checkout with the families of ours and nothing else."""
    root = tmp_path / "checkout"
    for package in (ROOT / CHECKERS_DIR).iterdir():
        if (package / "__init__.py").is_file():
            (root / CHECKERS_DIR / package.name).mkdir(parents=True)
            shutil.copy(package / "__init__.py", root / CHECKERS_DIR / package.name)
    return root


@pytest.mark.parametrize(
    ("code", "name", "family", "message"),
    [
        ("DL5003", "a-b", "resources", "three digits"),
        ("DL513", "a-b", "resources", "middle digit must be 0"),
        ("DL501", "a-b", "resources", "taken by unclosed-socket"),
        ("DL509", "unclosed-socket", "resources", "taken by DL501"),
        ("DL000", "a-b", "general", "reserved"),
        ("DL509", "Blocking_Term", "resources", "kebab-case"),
        ("DL209", "a-b", "resources", "numbers its rules DL5xx"),
        ("DL509", "a-b", "nosuch", "no family 'nosuch' (one of general"),
        ("DL509", "a-b", "Bad-Family", "package name"),
    ],
)
def test_bad_code_name_or_family_is_refused_with_the_reason(
    tmp_path: Path, code: str, name: str, family: str, message: str
) -> None:
    with pytest.raises(ScaffoldError, match=message.replace("(", r"\(")):
        validate(code, name, family, _checkout(tmp_path))


def test_a_new_family_takes_a_range_nobody_uses(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    with pytest.raises(ScaffoldError, match="belongs to resources"):
        validate("DL509", "a-b", "threads", root, new_family=True)
    with pytest.raises(ScaffoldError, match="the family exists"):
        validate("DL909", "a-b", "resources", root, new_family=True)
    validate("DL909", "a-b", "threads", root, new_family=True)
    paths = [relpath for relpath, _ in plan("DL909", "a-b", "threads", new_family=True).files]
    assert paths == [
        f"{CHECKERS_DIR}/threads/__init__.py",
        f"{CHECKERS_DIR}/threads/a_b.py",
        f"{FIXTURES_DIR}/DL909_a_b.py",
    ]


def test_writes_the_module_and_the_fixture_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path)
    code = _free_code("resources")
    args = [code.lower(), "blocking-context-term", "resources", "--root", str(root)]
    assert main(args) == 0
    module = root / CHECKERS_DIR / "resources" / "blocking_context_term.py"
    fixture = root / FIXTURES_DIR / f"{code}_blocking_context_term.py"
    out = capsys.readouterr().out
    assert f"wrote {CHECKERS_DIR}/resources/blocking_context_term.py" in out
    assert "tests/test_demo.py" in out and "python -m debt_lints.devtools.generate" in out
    assert "class BlockingContextTerm(Rule):" in module.read_text(encoding="utf-8")
    assert f'code = "{code}"' in module.read_text(encoding="utf-8")
    # Again: the files are there (this checkout is not the registry's), nothing is written.
    module.write_text("# edited by the contributor\n", encoding="utf-8")
    fixture.unlink()
    assert main(args) == 2
    assert "already there; nothing was written" in capsys.readouterr().err
    assert module.read_text(encoding="utf-8") == "# edited by the contributor\n"
    assert not fixture.exists()


def _load(path: Path, family: str) -> type[Rule]:
    """The scaffolded rule class, loaded from its file as the registry would name it."""
    name = f"debt_lints.checkers.{family}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rules = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Rule) and v is not Rule
    ]
    assert len(rules) == 1
    return rules[0]


def test_the_scaffolded_rule_passes_the_meta_tests_as_written(tmp_path: Path) -> None:
    """What tests/test_registry.py and tests/test_rule_fixtures.py ask of every rule."""
    root = _checkout(tmp_path)
    code = _free_code("resources")
    assert main([code, "blocking-context-term", "resources", "--root", str(root)]) == 0
    rule = _load(root / CHECKERS_DIR / "resources" / "blocking_context_term.py", "resources")
    assert (rule.code, rule.name, rule.family()) == (code, "blocking-context-term", "resources")
    body = sections(rule)
    assert list(body) == list(DOC_SECTIONS) and all(body.values())
    assert rule.summary and not rule.summary.endswith(".") and code not in rule.message
    ruleset = RuleSet([rule], load_config(cwd=tmp_path).settings)

    def codes(source: str, name: str = "example.py") -> Counter[tuple[int, str]]:
        result = check_source(source, name, name, ruleset)
        assert not result.internal_errors
        return Counter((f.line, f.code) for f in result.findings)

    assert all(codes(block) for block in code_blocks(body["Example"]))
    assert not any(codes(block) for block in code_blocks(body["Use instead"]))
    fixture = root / FIXTURES_DIR / f"{code}_blocking_context_term.py"
    want = expected(fixture)
    assert len(want) == 4
    assert codes(fixture.read_text(encoding="utf-8"), fixture.name) == want


def test_the_scaffolded_files_pass_ruff(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    assert main(["DL509", "blocking-context-term", "resources", "--root", str(root)]) == 0
    files = [str(p) for p in root.rglob("*.py") if p.name != "__init__.py"]
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--config", str(ROOT / "pyproject.toml")]
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        out = subprocess.run(
            [*ruff, *command, *config, *files], capture_output=True, text=True, check=False
        )
        assert out.returncode == 0, out.stdout + out.stderr


_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", ".debt-lints-cache", ".mypy_cache", ".pytest_cache", ".ruff_cache"
)


@pytest.mark.slow
def test_a_scaffolded_rule_needs_no_other_edit(tmp_path: Path) -> None:
    """The issue's done-when: scaffold, regenerate, and the suite's rule tests pass.

    In a copy of the tree, with the copy's package first on the import path
    (and so in the flake8 and pylint subprocesses of the parity test).
    """
    copy = tmp_path / "tree"
    for name in ("src", "tests", "docs", "examples"):
        # Links stay links, as in a clone: a fixture's committed link to a file
        # outside it (DL202_container_image_paths) must not become that file.
        shutil.copytree(ROOT / name, copy / name, ignore=_IGNORE, symlinks=True)
    for name in ("README.md", "CONTRIBUTING.md", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}

    def run(*args: str) -> str:
        out = subprocess.run(
            [sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, check=False
        )
        assert out.returncode == 0, f"{args}:\n{out.stdout}\n{out.stderr}"
        return out.stdout

    code = _free_code("resources")
    run("-m", "debt_lints.devtools.scaffold", code, "throwaway-scaffolded-rule", "resources")
    wrote = run("-m", "debt_lints.devtools.generate")
    assert f"wrote docs/rules/{code}.md" in wrote and "wrote README.md" in wrote
    assert "throwaway-scaffolded-rule" in (copy / "README.md").read_text(encoding="utf-8")
    assert "throwaway-scaffolded-rule" in run("-m", "debt_lints", "rules")
    suite = [
        "tests/test_registry.py",
        "tests/test_rule_fixtures.py",
        "tests/test_generate.py",
        "tests/test_plugins.py",
        "tests/test_bandit.py",
        "tests/test_parity.py",
    ]
    # -m "": the parity test's slow half too; -p no:cacheprovider: nothing written to ours.
    out = run("-m", "pytest", "-q", "-m", "", "-p", "no:cacheprovider", *suite)
    assert " passed" in out  # and the exit status was 0
    # The copy's package is the one under test, the new rule among its fixtures.
    assert f"{code}_throwaway_scaffolded_rule.py" in run(
        "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", suite[1]
    )
    run("-m", "debt_lints", "check", "src")
    module = "src/debt_lints/checkers/resources/throwaway_scaffolded_rule.py"
    run("-m", "mypy", "--strict", "--no-incremental", module)
