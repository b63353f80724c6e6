"""The whole-repository rules (DL601-DL603) and ``debt-lints map``.

The rule fixtures (``tests/fixtures/rules/DL60*/``) hold the cases and their
clean look-alikes; this file checks what only a whole run shows: the same
answer whatever the workers, the cache and the order of paths; pre-commit
runs that name a few files; baseline identity across unrelated edits; the
cache following a change in another file; and the map.
"""

from __future__ import annotations

import ast
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.analysis.graphs import families, shortest_cycle, strongly_connected
from debt_lints.config import load_config
from debt_lints.fixes.shims import plan
from debt_lints.repo.shapes import is_record, shape_of

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"
DL6 = ("--select", "DL6", "--no-baseline", "--output-format", "concise", "-q")


@pytest.fixture()
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".debt-lints-cache"))
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    return root


def dl(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- the graph algorithms --------------------------------------------------------------


def test_components_do_not_depend_on_input_order() -> None:
    edges = {"a": ["b"], "b": ["c", "a"], "c": ["d"], "d": ["c"], "e": ["a"]}
    expected = [["a", "b"], ["c", "d"], ["e"]]
    for seed in range(20):
        items = list(edges.items())
        random.Random(seed).shuffle(items)
        shuffled = {k: random.Random(seed).sample(v, len(v)) for k, v in items}
        assert strongly_connected(shuffled) == expected


def test_a_long_chain_and_a_long_ring_need_no_recursion() -> None:
    chain = {f"m{i:06d}": [f"m{i + 1:06d}"] for i in range(100_000)}
    assert len(strongly_connected(chain)) == 100_001
    chain["m100000"] = ["m000000"]
    (ring,) = strongly_connected(chain)
    assert len(ring) == 100_001


def test_shortest_cycle_prefers_short_then_small_names() -> None:
    graph = {"a": {"z", "b"}, "b": {"c"}, "c": {"a"}, "z": {"a"}}
    assert shortest_cycle("a", graph) == ["a", "z", "a"]
    assert shortest_cycle("a", {"a": {"b"}, "b": set()}) == []
    assert families([("b", "c"), ("a", "b"), ("x", "y")]) == [["a", "b", "c"], ["x", "y"]]


def test_shapes_ignore_names_strings_comments_and_layout() -> None:
    one = 'def f(a, b):\n    """Doc."""\n    return g(a, "x")  # note\n'
    two = "def renamed(x,\n             y,):\n    return other(x, 'yy')\n"
    three = "def f(a, b):\n    return g(a, 1)\n"
    assert shape_of(one) == shape_of(two)
    assert shape_of(one) != shape_of(three)  # a number is not a string
    assert shape_of("if a:\n    b()\n") != shape_of("while a:\n    b()\n")  # keywords count


@pytest.mark.parametrize(
    ("source", "record"),
    [
        # an event: calls its base's __init__ and stores its parameters
        (
            'class Poll(Event):\n    """Doc."""\n    def __init__(self, poll, *a, **kw):\n'
            '        """Doc."""\n        super().__init__(*a, **kw)\n        self.poll = poll\n'
            "        self.votes: int = 0\n",
            True,
        ),
        (
            "class Old(Base):\n    def __init__(self, x):\n        Base.__init__(self)\n"
            "        self.x = x\n",
            True,
        ),
        # dataclass-like and NamedTuple bodies, __slots__
        ("@dataclass\nclass P:\n    x: int\n    tags: list = field(default_factory=list)\n", True),
        ("class S(NamedTuple):\n    start: int\n    end: int = -1\n", True),
        (
            "class R:\n    __slots__ = ('a',)\n    def __init__(self, a):\n        self.a = a\n",
            True,
        ),
        # logic: a computed value, another method, a statement, a function
        ("class C:\n    def __init__(self, a):\n        self.a = list(a)\n", False),
        (
            "class C:\n    def __init__(self, a):\n        self.a = a\n    def go(self):\n"
            "        return self.a\n",
            False,
        ),
        ("class C:\n    def __init__(self, a):\n        if a:\n            self.a = a\n", False),
        ("class C(Base):\n    def __init__(self, a):\n        super().__init__(f(a))\n", False),
        ("class C:\n    def __init__(self, a):\n        other.a = a\n", False),
        ("class C:\n    x = compute()\n", False),
        ("def f(a):\n    return a\n", False),
    ],
)
def test_record_classes_hold_data_only(source: str, record: bool) -> None:
    assert is_record(ast.parse(source).body[0]) is record


# --- the same answer whatever the run ----------------------------------------------------


def test_workers_cache_and_path_order_do_not_change_the_result(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = dl(capsys, "check", *DL6, "--jobs", "1", "--no-cache", ".")
    assert reference[0] == 1
    codes = {line.split()[1] for line in reference[1].splitlines()}
    assert codes == {"DL601", "DL602", "DL603"}
    assert dl(capsys, "check", *DL6, "--jobs", "2", "--no-cache", ".") == reference
    assert dl(capsys, "check", *DL6, "--jobs", "2", ".") == reference  # cold cache
    assert dl(capsys, "check", *DL6, "--jobs", "1", ".") == reference  # warm
    dirs = sorted(str(p.name) for p in demo.iterdir() if p.is_dir() and p.name[0] != ".")
    for seed in range(3):
        random.Random(seed).shuffle(dirs)
        assert dl(capsys, "check", *DL6, "--jobs", "1", *dirs)[1] == reference[1]


def test_named_files_get_the_findings_of_the_whole_project(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit passes the staged files: DL6 is computed on the project, reported for them."""
    code, out, _ = dl(capsys, "check", *DL6, "pc2_code/utils/network_util.py")
    assert code == 1
    assert out.splitlines() == [
        "pc2_code/utils/network_util.py:1:1: DL603 module is a copy of "
        "'common.utils.network_util' (3 of 3 definitions shared); import that one and "
        "leave a re-export shim here (debt-lints shims)"
    ]
    code, out, _ = dl(capsys, "check", *DL6, "main_pc_code/utils/config_loader.py")
    assert code == 1 and "DL601 import cycle main_pc_code.utils.config_loader -> " in out
    assert dl(capsys, "check", *DL6, "common/utils/path_manager.py")[:2] == (0, "")


def test_a_change_in_another_file_is_seen_on_a_warm_cache(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy is unused once its only importer stops importing it, though it is unchanged."""
    dl(capsys, "check", *DL6, ".")
    agent = demo / "pc2_code/agents/memory_orchestrator.py"
    before = agent.read_text(encoding="utf-8")
    agent.write_text(
        before.replace("from pc2_code.utils.network_util import retry\n", "").replace(
            "    @retry(retries=3)\n", ""
        ),
        encoding="utf-8",
    )
    _, out, _ = dl(capsys, "check", *DL6, ".")
    assert "pc2_code/utils/network_util.py:1:1: DL602" in out
    agent.write_text(before, encoding="utf-8")
    _, out, _ = dl(capsys, "check", *DL6, ".")
    assert "pc2_code/utils/network_util.py:1:1: DL602" not in out


def test_baseline_identity_survives_unrelated_edits(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dl(capsys, "baseline", "create")[0] == 0
    for name in (
        "pc2_code/utils/network_util.py",
        "main_pc_code/utils/config_loader.py",
        "main_pc_code/utils/legacy_metrics_support.py",
    ):
        path = demo / name
        path.write_text("# edited\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = dl(capsys, "check", "--ci", "--select", "DL6", "-q")
    assert (code, out) == (0, ""), err


def test_noqa_and_per_file_ignores_apply(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo / "main_pc_code/utils/legacy_metrics_support.py"
    path.write_text("# noqa: DL602\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _, out, _ = dl(capsys, "check", *DL6, ".")
    assert "legacy_metrics_support" not in out
    assert "common_utils/error_handling.py:1:1: DL602" in out
    (demo / "pyproject.toml").write_text(
        (demo / "pyproject.toml")
        .read_text(encoding="utf-8")
        .replace(
            "[tool.debt-lints]\n",
            '[tool.debt-lints]\nper-file-ignores = { "common_utils/*" = ["DL602"] }\n',
            1,
        ),
        encoding="utf-8",
    )
    _, out, _ = dl(capsys, "check", *DL6, ".")
    assert "common_utils/error_handling.py" not in out


def test_noqa_is_a_comment_never_a_string(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The project findings' noqa pass reads comments from the parsed module: "noqa" in
    # a docstring on the finding's line suppresses nothing, a comment in a file that
    # also spells noqa in a string still does.
    path = demo / "main_pc_code/utils/legacy_metrics_support.py"
    text = path.read_text(encoding="utf-8")
    path.write_text('"""Kept: # noqa: DL602 is prose here."""\n' + text, encoding="utf-8")
    other = demo / "common_utils/error_handling.py"
    other.write_text(
        "# noqa: DL602\nHELP = 'write # noqa: DL602 to hide it'\n"
        + other.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    _, out, _ = dl(capsys, "check", *DL6, ".")
    assert "main_pc_code/utils/legacy_metrics_support.py:1:1: DL602" in out
    assert "common_utils/error_handling.py" not in out


# --- debt-lints map --------------------------------------------------------------------


def test_map_shows_the_families_cycles_and_dead_modules(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = dl(capsys, "map", "--format", "json")
    assert code == 0
    data = json.loads(out)
    (family,) = data["families"]
    assert family["canonical"] == "common.utils.network_util"
    assert [c["module"] for c in family["copies"]] == [
        "common.utils.network_util",
        "pc2_code.utils.network_util",
    ]
    assert [s["importers"] for s in family["importer_split"]] == [2, 1]
    assert data["cycles"] == [
        {
            "modules": ["main_pc_code.utils.config_loader", "main_pc_code.utils.path_manager"],
            "cycle": [
                "main_pc_code.utils.config_loader",
                "main_pc_code.utils.path_manager",
                "main_pc_code.utils.config_loader",
            ],
        }
    ]
    unused = {u["path"] for u in data["unused"]}
    assert "main_pc_code/utils/legacy_metrics_support.py" in unused
    assert "main_pc_code/agents/system_digital_twin.py" not in unused  # started by YAML
    assert data["suggested"]["deprecated-imports"] == {
        "pc2_code.utils.network_util": "common.utils.network_util"
    }
    _, text, _ = dl(capsys, "map")
    assert "family of common.utils.network_util (canonical: the migration map's target)" in text
    _, markdown, _ = dl(capsys, "map", "--format", "markdown")
    assert markdown.startswith("# Repository map") and "## Import cycles: 1" in markdown


def test_map_write_config_rebuilds_the_hand_written_map(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tomllib

    pyproject = demo / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    hand_written = tomllib.loads(original)["tool"]["debt-lints"]["deprecated-imports"]
    start = original.index("[tool.debt-lints.deprecated-imports]")
    end = original.index("\n\n", start)
    pyproject.write_text(original[:start] + original[end + 2 :], encoding="utf-8")
    stripped = pyproject.read_text(encoding="utf-8")
    assert "deprecated-imports" not in stripped
    code, _, err = dl(capsys, "map", "--write-config")
    assert code == 0 and "1 deprecated-imports entry added" in err
    written = pyproject.read_text(encoding="utf-8")
    table = tomllib.loads(written)["tool"]["debt-lints"]["deprecated-imports"]
    assert set(table) == {"pc2_code.utils.network_util"}
    assert all(hand_written[old] == new for old, new in table.items())
    # Comments and everything else were kept; the file still configures debt-lints.
    assert written.startswith(stripped.rstrip("\n")) or all(
        line in written for line in stripped.splitlines()
    )
    assert dl(capsys, "check", "--select", "DL101", "--no-baseline", "pc2_code")[0] == 1
    # A second run adds nothing and leaves the file alone.
    mtime = os.stat(pyproject).st_mtime_ns
    code, _, err = dl(capsys, "map", "--write-config")
    assert code == 0 and "0 deprecated-imports entries added" in err
    assert os.stat(pyproject).st_mtime_ns == mtime


def _helpers(names: list[str]) -> str:
    return "\n\n".join(
        f"def {n}(items):\n    total = 0\n    for item in items:\n"
        f"        if item > {i}:\n            total += item * {i}\n"
        f"        else:\n            total -= item\n    return total + {i}\n"
        for i, n in enumerate(names)
    )


def test_a_module_that_contains_a_copy_is_not_mapped_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # common/helpers.py: four helpers; legacy/big.py: those four copied among
    # ten of its own (the test.seq_tests / test_set shape of the stdlib).
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL6"]\ncanonical-roots = ["common"]\n', encoding="utf-8"
    )
    for package in ("common", "legacy", "tools"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    own = ["a", "b", "c", "d"]
    (tmp_path / "common" / "helpers.py").write_text(_helpers(own), encoding="utf-8")
    big = (
        _helpers(own)
        + "\n\n"
        + "\n\n".join(
            f"class Own{i}:\n    def m{i}(self, x):\n"
            + "".join(
                f"        x = x.get({j}, x) if hasattr(x, 'get') else x + {i * j}\n"
                for j in range(i + 1)
            )
            + "        return x\n"
            for i in range(10)
        )
    )
    (tmp_path / "legacy" / "big.py").write_text(big, encoding="utf-8")
    (tmp_path / "tools" / "copy.py").write_text(_helpers(own), encoding="utf-8")
    (tmp_path / "app.py").write_text(
        "import common.helpers\nimport legacy.big\nimport tools.copy\n"
        "if __name__ == '__main__':\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = dl(capsys, "map", "--format", "json", "--no-cache")
    assert code == 0
    (family,) = json.loads(out)["families"]
    replaceable = {c["module"]: c["replaceable"] for c in family["copies"]}
    assert replaceable == {"common.helpers": True, "legacy.big": False, "tools.copy": True}
    assert json.loads(out)["suggested"]["deprecated-imports"] == {"tools.copy": "common.helpers"}
    _, text, _ = dl(capsys, "map", "--no-cache")
    assert "legacy/big.py: contains copied definitions" in text
    _, found, _ = dl(capsys, "check", "--no-cache", *DL6)
    assert "tools/copy.py:1:1: DL603" in found and "legacy/big.py" not in found


def test_map_on_a_tree_without_python_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = dl(capsys, "map", "--format", "json")
    assert code == 0 and json.loads(out)["modules"] == 0


def test_map_says_when_a_section_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On twisted "Dead copies" and "Suggested migration map" were headings with
    nothing under them, which reads as output cut off: every section has its count."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.py").write_text("import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, text, _ = dl(capsys, "map")
    assert code == 0
    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert "Dead copies: 0" in headings
    assert "Suggested migration map: 0 (no live copy has a copy to keep)" in headings
    assert all(":" in line for line in headings[1:]), headings


def test_the_language_server_shows_them_for_a_saved_file(demo: Path) -> None:
    pytest.importorskip("pygls")
    from debt_lints.adapters.lsp import build_server

    server = build_server()
    name = "pc2_code/utils/network_util.py"
    source = (demo / name).read_text(encoding="utf-8")
    assert not [d for d in server.diagnostics(source, name) if d.code == "DL603"]
    server.refresh_project(name)
    (diagnostic,) = [d for d in server.diagnostics(source, name) if d.code == "DL603"]
    assert diagnostic.range.start.line == 0
    assert "copy of 'common.utils.network_util'" in diagnostic.message


def test_a_nested_configuration_filters_what_the_project_phase_reports(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole-repository rules run with the root's configuration over the project;
    each file keeps what its own configuration selects, whatever the order of paths."""
    _, before, _ = dl(capsys, "check", *DL6, "--no-cache", ".")
    assert "pc2_code/utils/network_util.py:1:1: DL603" in before
    (demo / "pc2_code" / "pyproject.toml").write_text(
        '[tool.debt-lints]\nextend = "../pyproject.toml"\nignore = ["DL603"]\n',
        encoding="utf-8",
    )
    _, out, _ = dl(capsys, "check", *DL6, "--no-cache", ".")
    kept = [line for line in before.splitlines() if not line.startswith("pc2_code/")]
    assert "pc2_code/utils/network_util.py:1:1: DL603" not in out
    assert [line for line in out.splitlines() if not line.startswith("pc2_code/")] == kept
    assert [line for line in out.splitlines() if line.startswith("pc2_code/")] == [
        line
        for line in before.splitlines()
        if line.startswith("pc2_code/") and " DL603 " not in line
    ]
    dirs = sorted(p.name for p in demo.iterdir() if p.is_dir() and p.name[0] != ".")
    for seed in range(2):
        random.Random(seed).shuffle(dirs)
        assert dl(capsys, "check", *DL6, "--no-cache", *dirs)[1] == out


# --- the copy to keep --------------------------------------------------------------------

KEEP = ROOT / "tests" / "fixtures" / "rules" / "DL603_the_copy_to_keep"


@pytest.fixture()
def keep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "keep"
    shutil.copytree(KEEP, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    return root


def test_map_keeps_the_live_copy_by_evidence_and_says_when_it_cannot(
    keep: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = dl(capsys, "map", "--format", "json", "--no-cache")
    assert code == 0
    families = {f["canonical"]: f for f in json.loads(out)["families"]}
    decided = {name: (f["decided"], f["why"]) for name, f in families.items()}
    assert decided == {
        # The migration map's target, though the deprecated copy has two importers.
        "common.service_mesh.service_client": (True, "the migration map's target"),
        # A script nothing imports, beside its backups (backups sort first by name).
        "tools.unused_import_cleanup": (True, "the only live copy"),
        "shared.retry": (True, "in the package its importers' siblings use"),
        "main_pc_code.utils.cache": (
            False,
            "'main_pc_code.utils.cache', 'pc2_code.utils.cache' have as many importers (1)",
        ),
    }
    suggested = json.loads(out)["suggested"]["deprecated-imports"]
    # Never a dead copy as a target, nothing for the undecided family, no dead copy migrated.
    assert suggested == {
        "lib.retry": "shared.retry",
        "main_pc_code.utils.service_client": "common.service_mesh.service_client",
    }
    _, text, _ = dl(capsys, "map", "--no-cache")
    assert "no copy to keep can be chosen" in text
    # The configured map (main_pc_code.utils.service_client) is kept; write-config adds one.
    code, _, err = dl(capsys, "map", "--write-config", "--no-cache")
    assert code == 0 and "1 deprecated-imports entry added" in err


def test_shims_and_fix_never_point_a_live_module_at_a_dead_copy(
    keep: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A migration map written by hand (or by an older map) that points at a backup.
    pyproject = keep / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + '"lib.retry" = "backups.common.service_client"\n',
        encoding="utf-8",
    )
    shims = {s.old: s for s in plan(load_config(start=keep)).shims}
    assert "dead copy" in shims["lib.retry"].problem and not shims["lib.retry"].writable
    assert shims["main_pc_code.utils.service_client"].writable
    before = (keep / "agents" / "b.py").read_text(encoding="utf-8")
    main(["check", "--no-cache", "--no-baseline", "--fix", "--unsafe-fixes", "--select", "DL101"])
    out = capsys.readouterr().out
    assert (keep / "agents" / "b.py").read_text(encoding="utf-8") == before
    assert "backups.common.service_client is a dead copy: no automatic fix" in out
    # The live target is still fixed.
    tts = (keep / "main_pc_code" / "agents" / "tts.py").read_text(encoding="utf-8")
    assert tts.startswith("from common.service_mesh.service_client import svc_call")


# --- copies that drifted -----------------------------------------------------------------

DRIFTED = ROOT / "tests" / "fixtures" / "rules" / "DL603_drifted_copies"


def test_map_shows_a_drifted_copy_with_its_similarity_and_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "drifted"
    shutil.copytree(DRIFTED, root)
    monkeypatch.chdir(root)
    code, out, _ = dl(capsys, "map", "--format", "json", "--no-cache")
    assert code == 0
    (family,) = json.loads(out)["families"]  # the gRPC stubs and the boilerplate are none
    assert family["canonical"] == "common.utils.network_util"
    (copy,) = [c for c in family["copies"] if c["module"] == "pc2_code.utils.net_helpers"]
    assert 50 <= copy["similarity_percent"] < 100
    assert copy["definitions_renamed"] == [
        ["port_open", "is_port_open"],
        ["get_ip", "get_local_ip"],
    ]
    assert copy["definitions_only_here"] == ["ping_host"]
    assert copy["definitions_only_in_canonical"] == ["build_address"]
    assert copy["replaceable"] is False  # it has extras: ported, not replaced by a shim
    assert json.loads(out)["suggested"]["deprecated-imports"] == {}
    _, text, _ = dl(capsys, "map", "--no-cache")
    assert "pc2_code/utils/net_helpers.py: drifted copy" in text
    assert "renamed: port_open -> is_port_open, get_ip -> get_local_ip" in text


def test_the_repository_knows_shims_and_the_published_package_around_a_module(
    tmp_path: Path,
) -> None:
    """``Module.shim`` (only imports, a re-export) and ``Repository.published_package``
    (the nearest enclosing package that ships, also for a sub-package the wheel
    leaves out): the facts DL602 judges a compatibility shim by."""
    from debt_lints.engine.registry import lookup
    from debt_lints.running.runner import run

    files = {
        "setup.cfg": (
            "[options]\npackages = find:\n[options.packages.find]\nexclude =\n"
            "    *.tests\n    tools\n"
        ),
        "setup.py": "from setuptools import setup\nsetup()\n",
        "host/__init__.py": "",
        "host/test.py": "def rmtree(path):\n    return path\n",
        "host/tests/__init__.py": "",
        "host/tests/compat.py": 'from host.test import rmtree\n__all__ = ["rmtree"]\n',
        "host/tests/helpers.py": "from host.test import rmtree\nFRESH = rmtree('x')\n",
        "tools/__init__.py": "",
        "tools/compat.py": "from host.test import rmtree\n",
    }
    for relpath, text in files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    rule = lookup("DL602")
    assert rule is not None
    config = load_config(start=tmp_path, cwd=tmp_path)
    repository = run([str(tmp_path)], config, [rule], repository=True).repository
    assert repository is not None
    modules = repository.modules
    assert modules["host.tests.compat"].shim and modules["tools.compat"].shim
    assert not modules["host.tests.helpers"].shim and not modules["host.test"].shim
    assert not modules["host.tests.compat"].published  # setup.cfg excludes *.tests
    assert repository.published_package("host.tests.compat") == "host"
    assert repository.published_package("host.test") == "host"
    # A top-level package has none around it; tools/ does not ship.
    assert repository.published_package("host") is None
    assert repository.published_package("tools.compat") is None


def test_a_module_too_small_to_compare_has_no_signature() -> None:
    """DL603 compares modules of 30 lines and 3 definitions or more: a smaller one's
    signature, never read, is not made (the work of its shingles is saved)."""
    from debt_lints.repo.shapes import shapes_of

    def shapes(source: str) -> tuple[int, int, tuple[int, ...]]:
        found = shapes_of(ast.parse(source), source.splitlines(True), "m.py")
        return found.lines, len(found.definitions), found.signature

    body = "".join(f"    value_{i} = compute(value_{i - 1}, {i}) + offset\n" for i in range(1, 12))
    function = "def step_{n}(value_0, offset):\n" + body + "    return value_11\n\n"
    two = function.format(n=1) + function.format(n=2)
    three = two + function.format(n=3)
    lines, definitions, signature = shapes(two)
    assert lines >= 26 and definitions == 2 and signature == ()
    lines, definitions, signature = shapes(three)
    assert lines >= 30 and definitions == 3 and len(signature) == 128
    packed = "".join(
        f"def f{n}(a, b): return [a + b * {n}, a - b * {n}, a * b + {n}, a, b, {n}]\n"
        for n in range(40)
    )
    lines, definitions, signature = shapes(packed[: packed.index("def f20")])
    assert lines < 30 and definitions == 20 and signature == ()
    lines, definitions, signature = shapes(packed)
    assert lines >= 30 and len(signature) == 128


def test_similarity_ignores_names_and_order_and_tells_unrelated_code_apart() -> None:
    from debt_lints.analysis import similarity
    from debt_lints.repo.shapes import shapes_of

    def sig(source: str) -> tuple[int, ...]:
        return shapes_of(ast.parse(source), source.splitlines(True), "m.py").signature

    original = (DRIFTED / "common" / "utils" / "network_util.py").read_text(encoding="utf-8")
    renamed = original.replace("is_port_open", "port_ok").replace("host", "address")
    tree = ast.parse(original)
    segments = [ast.get_source_segment(original, node) or "" for node in tree.body]
    reordered = "\n\n\n".join(reversed(segments)) + "\n"
    other = (DRIFTED / "main_pc_code" / "agents" / "translator.py").read_text(encoding="utf-8")
    assert similarity.similarity(sig(original), sig(renamed)) == 1.0
    assert similarity.similarity(sig(original), sig(reordered)) == 1.0
    assert similarity.similarity(sig(original), sig(other)) < 0.2
    assert sig(original) == sig(original)  # stable: the cache keeps signatures
    # A band shared by more modules than the bucket allows is boilerplate: no pair.
    same = {f"m{i}": sig(original) for i in range(5)}
    assert len(similarity.candidate_pairs(same, max_bucket=8)) == 10
    assert similarity.candidate_pairs(same, max_bucket=4) == set()


def test_a_module_never_compared_is_never_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module too small to compare or generated keeps its definitions' names and
    lines (the package's protocol counts the names) but no shapes: the work of
    normalising them is saved, and a compared module's definitions all get one."""
    from debt_lints.repo import shapes

    normalised: list[str] = []
    plain = shapes._normal_form

    def counting(source: str, kept: re.Pattern[str] | None = None) -> tuple[str, str]:
        normalised.append(source)
        return plain(source, kept)

    monkeypatch.setattr(shapes, "_normal_form", counting)

    def definitions(source: str, relpath: str = "m.py") -> list[tuple[str, str, int, int]]:
        found = shapes.shapes_of(ast.parse(source), source.splitlines(True), relpath)
        return [(d.name, d.shape, d.lines, d.size) for d in found.definitions]

    body = "".join(f"    value_{i} = compute(value_{i - 1}, {i}) + offset\n" for i in range(1, 12))
    function = "def step_{n}(value_0, offset):\n" + body + "    return value_11\n\n"
    two = function.format(n=1) + function.format(n=2)
    three = two + function.format(n=3)
    assert definitions(two) == [("step_1", "", 13, 0), ("step_2", "", 13, 0)]
    assert definitions("# Generated by protoc. DO NOT EDIT.\n" + three)[2] == ("step_3", "", 13, 0)
    assert definitions(three, "api_pb2.py")[0] == ("step_1", "", 13, 0)
    assert normalised == []
    compared = definitions(three)
    assert normalised == [function.format(n=n)[:-1] for n in (1, 2, 3)]
    assert all(shape and size > 100 for _, shape, _, size in compared)
    assert compared[0][1] == compared[1][1] == compared[2][1]  # one shape, renamed
