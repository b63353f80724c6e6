"""The one generator: every generated file is fresh, and it says how to make it so."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from debt_lints.config import KEYS, ConfigError, load_config
from debt_lints.devtools.generate import (
    CATALOGUE,
    REGIONS,
    RULES_DIR,
    GenerateError,
    begin_marker,
    end_marker,
    expected,
    fill,
    main,
    stale,
    write,
)
from debt_lints.docs import GENERATE_COMMAND, GENERATED_NOTE
from debt_lints.engine.registry import all_options, all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_every_generated_file_is_up_to_date() -> None:
    """The one staleness test: rule pages, README table, id table, configuration reference."""
    paths = stale(ROOT)
    assert not paths, f"stale generated files {paths}: run {GENERATE_COMMAND}"


def _copy(tmp_path: Path) -> Path:
    """The files the generator reads and writes, in a scratch checkout."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "README.md", root / "README.md")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / CATALOGUE).parent.mkdir(parents=True)
    shutil.copy(ROOT / CATALOGUE, root / CATALOGUE)
    return root


def test_the_readme_rules_table_is_the_registry(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    readme = (root / "README.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| [{rule.code}](docs/rules/{rule.code}.md) | `{rule.name}` |" in readme
    # A row edited by hand, or a rule missing from the table, is stale.
    edited = readme.replace("| `sys-path-injection` |", "| `x` |")
    (root / "README.md").write_text(edited, encoding="utf-8")
    assert stale(root) == ["README.md"]
    assert write(root) == ["README.md"]
    assert (root / "README.md").read_text(encoding="utf-8") == readme
    assert stale(root) == []


def test_check_names_the_stale_files_and_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(tmp_path)
    page = root / RULES_DIR / "DL201.md"
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    orphan = root / RULES_DIR / "DL999.md"
    orphan.write_text(f"# DL999 gone\n\n{GENERATED_NOTE}\n", encoding="utf-8")
    hand_written = root / RULES_DIR / "notes.md"
    hand_written.write_text("not generated: kept\n", encoding="utf-8")
    assert main(["--check", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"stale: {RULES_DIR}/DL201.md", f"stale: {RULES_DIR}/DL999.md"]
    assert GENERATE_COMMAND in err
    assert main(["--root", str(root)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [f"wrote {RULES_DIR}/DL201.md", f"removed {RULES_DIR}/DL999.md"]
    assert not orphan.exists() and hand_written.exists()
    assert main(["--check", "--root", str(root)]) == 0


def test_missing_markers_are_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(tmp_path)
    plugins = root / "docs" / "plugins.md"
    text = plugins.read_text(encoding="utf-8")
    plugins.write_text(text.replace(end_marker("id-table"), ""), encoding="utf-8")
    assert main(["--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "docs/plugins.md" in err and end_marker("id-table") in err
    assert plugins.read_text(encoding="utf-8") == text.replace(end_marker("id-table"), "")


def test_fill_replaces_only_between_the_markers() -> None:
    doc = f"intro\n{begin_marker('x')}\nold\n{end_marker('x')}\noutro\n"
    assert fill(doc, "x", "new\n") == f"intro\n{begin_marker('x')}\nnew\n{end_marker('x')}\noutro\n"
    with pytest.raises(GenerateError):
        fill(doc + doc, "x", "new\n")  # twice: ambiguous
    with pytest.raises(GenerateError):
        fill("no markers\n", "x", "new\n")


def test_every_region_has_its_markers_in_the_checkout() -> None:
    for region in REGIONS:
        text = (ROOT / region.path).read_text(encoding="utf-8")
        assert text.count(begin_marker(region.name, region.style)) == 1, region
        assert text.count(end_marker(region.name, region.style)) == 1, region


def test_the_bandit_entry_points_are_generated_in_pyproject(tmp_path: Path) -> None:
    """A security rule needs no hand-written entry point (bandit loads each test from one)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    begin = begin_marker("bandit-entry-points", "hash")
    assert begin in text.split('[project.entry-points."bandit.plugins"]', 1)[1].split("\n[", 1)[0]
    emptied = fill(text, "bandit-entry-points", "", "pyproject.toml", "hash")
    assert "debt_lints.adapters.bandit:" not in emptied
    root = _copy(tmp_path)
    (root / "pyproject.toml").write_text(emptied, encoding="utf-8")
    assert stale(root) == ["pyproject.toml"]
    write(root)
    assert (root / "pyproject.toml").read_text(encoding="utf-8") == text


def test_the_configuration_reference_has_every_key_the_configuration_accepts() -> None:
    reference = expected(ROOT)["docs/configuration.md"]
    assert reference is not None
    for key in KEYS:
        assert f"#### `{key.name}`" in reference, key.name
    for name, option in all_options().items():
        assert f"#### `{name}`" in reference, name
        if option.extendable:
            assert f"`extend-{name}` adds to the list" in reference
    for rule in all_rules():
        for option in rule.options:
            entry = reference.split(f"#### `{option.name}`", 1)[1].split("####", 1)[0]
            assert f"[{rule.code}](rules/{rule.code}.md)" in entry, (rule.code, option.name)


def test_the_declared_keys_are_the_keys_the_configuration_reads(tmp_path: Path) -> None:
    """Each declared top-level key is read and validated; a key declared nowhere is refused."""
    samples = {
        "select": '["DL2"]',
        "ignore": '["DL5"]',
        "per-file-ignores": '{ "tests/*" = ["DL301"] }',
        "exclude": '["legacy"]',
        "extend-exclude": '["legacy"]',
        "baseline": '"debt.json"',
        "max-file-size": "1000",
    }
    path = tmp_path / "pyproject.toml"
    (tmp_path / "empty").mkdir()
    defaults = load_config(cwd=tmp_path / "empty")
    for key in KEYS:
        assert key.parse is not None and hasattr(defaults, key.attr), key.name
        if key.name in samples:  # a value of its type is read, into its field
            path.write_text(f"[tool.debt-lints]\n{key.name} = {samples[key.name]}\n")
            config = load_config(explicit=path)
            assert getattr(config, key.attr) != getattr(defaults, key.attr), key.name
        # A value of no key's type is refused, naming the key.
        path.write_text(f"[tool.debt-lints]\n{key.name} = {{ nested = {{ x = 1 }} }}\n")
        with pytest.raises(ConfigError, match=key.name):
            load_config(explicit=path)
    path.write_text("[tool.debt-lints]\nnot-a-key = 1\n")
    with pytest.raises(ConfigError, match="not-a-key"):
        load_config(explicit=path)


@pytest.mark.parametrize("module", ["debt_lints.docs", "debt_lints.hosts.plugin_ids"])
def test_the_former_commands_run_the_one_generator(module: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", module, "--check", "docs/plugins.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr  # --check: fresh, and nothing written
    assert GENERATE_COMMAND in out.stderr and "Traceback" not in out.stderr


def test_every_command_the_docs_name_exists() -> None:
    """``python -m debt_lints.X`` in the README, CONTRIBUTING.md and docs/ is a runnable module."""
    import importlib.util
    import re

    texts = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
    modules = {
        match
        for path in texts
        for match in re.findall(r"python3? -m (debt_lints(?:\.\w+)*)", path.read_text("utf-8"))
    }
    assert {"debt_lints.devtools.generate", "debt_lints.devtools.scaffold"} <= modules
    for module in modules:
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin is not None, module
        source = Path(spec.origin).read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":' in source or module == "debt_lints", module
