"""The project index: facts extracted in the walk, import roots, module lookup, queries."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from debt_lints.config import ConfigError, load_config
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import all_rules
from debt_lints.engine.walk import RuleSet, check_source
from debt_lints.index import (
    CONDITIONAL,
    DYNAMIC,
    FALLBACK,
    IN_FUNCTION,
    MAIN_ONLY,
    NAMESPACE,
    PACKAGE,
    TRY_IMPORT,
    TYPE_CHECKING_ONLY,
    FactsCollector,
    ModuleFacts,
    Project,
    facts_from_summary,
    facts_of_text,
    module_names,
    project_for,
)


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def facts(source: str, relpath: str = "m.py") -> ModuleFacts:
    return facts_of_text(textwrap.dedent(source), relpath, relpath)


# --- facts --------------------------------------------------------------------------------


def test_import_flags_say_where_each_import_sits() -> None:
    got = facts(
        """
        from __future__ import annotations
        import os, json as j
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from collections.abc import Mapping
        try:
            import ujson
        except ImportError:
            ujson = None
            import simplejson
        def later():
            import zmq
        if __name__ == "__main__":
            import argparse
        """
    )
    by_module = {i.module: i for i in got.imports}
    assert by_module["os"].flags == frozenset()
    assert by_module["json"].asname == "j"
    assert by_module["collections.abc"].flags == {TYPE_CHECKING_ONLY}
    assert by_module["ujson"].flags == {TRY_IMPORT}
    assert by_module["simplejson"].flags == {FALLBACK}
    assert by_module["zmq"].flags == {IN_FUNCTION}
    assert by_module["argparse"].flags == {MAIN_ONLY}
    assert got.main_guard
    assert not got.only_imports
    assert [i.line for i in got.imports] == sorted(i.line for i in got.imports)


def test_dynamic_imports_with_literal_names() -> None:
    got = facts(
        """
        import importlib
        from importlib import import_module as load
        importlib.import_module("a.b")
        load(".c", __package__)
        load(".d", "pkg.sub")
        __import__("e.f", fromlist=["g"])
        importlib.import_module(name)  # not a literal: not a fact
        importlib.import_module("not a module")
        """,
        "pkg/m.py",
    )
    dynamic = [(i.module, i.level, i.names) for i in got.imports if DYNAMIC in i.flags]
    assert dynamic == [
        ("a.b", 0, ()),
        ("c", 1, ()),
        ("pkg.sub.d", 0, ()),
        ("e.f", 0, (("g", None),)),
    ]


def test_top_level_definitions_all_and_classes() -> None:
    got = facts(
        """
        '''A module.'''
        import zmq
        from common.core.base_agent import BaseAgent as Base
        from . import sibling
        from ..pkg.mod import Mixin
        __all__ = ["Agent", "helper"]
        __all__ += ["CONSTANT"]
        CONSTANT = 1
        a, (b, *c) = 1, (2, 3)
        class Local: ...
        class Agent(Base, Local, zmq.Context, Mixin, Generic[T], make()):
            def run(self): ...
            async def stop(self): ...
        def helper(x, /, y, *args, z, **kw): ...
        """,
        "pkg/m.py",
    )
    assert got.definitions == ("CONSTANT", "a", "b", "c", "Local", "Agent", "helper")
    assert got.dunder_all == ("Agent", "helper", "CONSTANT")
    assert not got.dunder_all_dynamic
    agent = got.class_named("Agent")
    assert agent is not None
    assert agent.bases == (
        "common.core.base_agent.BaseAgent",
        "Local",
        "zmq.Context",
        "..pkg.mod.Mixin",
        "Generic",
        "?",
    )
    assert agent.methods == ("run", "stop")
    assert got.functions[0].params == ("x", "y", "*args", "z", "**kw")
    assert set(got.imported_names()) == {"zmq", "Base", "sibling", "Mixin"}


def test_a_shim_is_only_imports() -> None:
    shim = facts(
        """
        '''Deprecated: use common.utils.path_manager.'''
        import warnings
        from common.utils.path_manager import *  # noqa: F403
        from common.utils.path_manager import PathManager
        __all__ = ["PathManager"]
        warnings.warn("moved", DeprecationWarning, stacklevel=2)
        """
    )
    assert shim.only_imports
    assert not facts("import os\nX = 1\n").only_imports
    assert not facts("'''Only a docstring.'''\n").only_imports  # nothing re-exported


def test_dynamic_all_is_said_so() -> None:
    got = facts("from a import names\n__all__ = names + ['x']\n")
    assert got.dunder_all_dynamic


def test_facts_round_trip_and_malformed_json_is_refused() -> None:
    got = facts(
        """
        import os
        class A(os.PathLike): pass
        def f(a): pass
        __all__ = ["A"]
        """
    )
    assert ModuleFacts.from_json(got.to_json()) == got
    raw = got.to_json()
    for key, bad in [
        *[("imports", [["os"]]), ("v", 99), ("defs", [1]), ("main", "yes")],
        ("lports", "env:PORT"),
        *[("launch", [["argv:d.py:1"]]), ("launch", "argv:d.py:1"), ("launch", None)],
    ]:
        assert ModuleFacts.from_json({**raw, key: bad}) is None
    assert ModuleFacts.from_json("nope") is None


def test_an_import_s_flags_are_read_back_only_when_each_is_known() -> None:
    """The flags read back are looked up by the list as written (a handful recur):
    a list with an unknown, unhashable or non-text flag is refused all the same,
    and a strange list (repeated, out of order) never goes into that memo."""
    from debt_lints.index import facts as module

    got = facts("try:\n    import a\nexcept ImportError:\n    import b\n")
    assert [i.flags for i in got.imports] == [frozenset({TRY_IMPORT}), frozenset({FALLBACK})]
    raw = got.to_json()
    assert ModuleFacts.from_json(raw) == got

    def with_flags(flags: object) -> object:
        first = list(raw["imports"][0])  # type: ignore[index]
        first[6] = flags
        return {**raw, "imports": [first]}

    for bad in (["nope"], [["try"]], [{"try"}], [1], ["try", None], "try"):
        assert ModuleFacts.from_json(with_flags(bad)) is None, bad
    before = dict(module._FLAG_LISTS)
    repeated = ModuleFacts.from_json(with_flags(["try", "try", "conditional", "try"]))
    assert repeated is not None
    assert repeated.imports[0].flags == frozenset({TRY_IMPORT, CONDITIONAL})
    memo = module._FLAG_LISTS
    assert memo == before


def test_loopback_listen_sources_are_facts() -> None:
    got = facts(
        """
        import os, socket
        def serve():
            sock = socket.socket()
            sock.bind(("127.0.0.1", int(os.environ["WORKER_PORT"])))
            sock.listen(5)
        """
    )
    assert got.loopback_ports == ("env:WORKER_PORT",)
    assert ModuleFacts.from_json(got.to_json()) == got
    assert facts("import os\nPORT = os.environ['WORKER_PORT']\n").loopback_ports == ()


def test_launch_links_are_facts() -> None:
    got = facts(
        """
        import subprocess, sys
        subprocess.Popen([sys.executable, "daemon.py"] + sys.argv[1:])
        """
    )
    assert ("argv:daemon.py:1", "argv:m.py:1") in got.launch_links
    assert ModuleFacts.from_json(got.to_json()) == got
    assert facts("import subprocess\nsubprocess.run(['ls', '-l'])\n").launch_links == ()


def test_launch_links_build_the_semantic_model_only_for_a_file_that_starts_a_process() -> None:
    """A script named with an argument (``"x.py", port``, ``x.py $PORT``) is common; a
    process start is rare: the facts build no model for a file without one."""
    from debt_lints.index.extract import parse_for_project

    def extracted(source: str) -> tuple[ModuleFacts, bool]:
        found, parsed = parse_for_project(textwrap.dedent(source), "m.py", "m.py")
        assert parsed is not None
        return found, "semantic" in parsed[1].memo

    got, built = extracted(
        """
        import sys
        COMMAND = "$PY tools/daemon.py $PORT --exit"
        HELP = ["usage: run.py", "port"]
        print("see helper.py", sys.argv[1:])
        """
    )
    assert got.launch_links == (("argv:daemon.py:1", "arg:m.py:$PORT"),)  # a template
    assert not built
    got, built = extracted(
        """
        import subprocess as sp, sys
        from subprocess import run as start
        sp.Popen([sys.executable, "daemon.py", "8080"])
        start([sys.executable, "other.py", "9090"])
        """
    )
    assert got.launch_links == (
        ("argv:daemon.py:1", "arg:m.py:8080"),
        ("argv:other.py:1", "arg:m.py:9090"),
    )
    assert built


def test_facts_come_from_the_rules_walk() -> None:
    """The collector rides the engine's walk: one parse, facts in the summary."""
    source = "import zmq\nclass A(zmq.Context):\n    def close(self): pass\n"
    collector = FactsCollector()
    rules = RuleSet(all_rules(), Settings(), collectors=[collector])
    result = check_source(source, "m.py", "m.py", rules)
    assert facts_from_summary(result.summary) == facts(source)
    broken = check_source("def (:\n", "bad.py", "bad.py", rules)
    got = facts_from_summary(broken.summary)
    assert got is not None and got.unparsable
    assert [f.code for f in broken.findings] == ["DL001"]


# --- import roots and lookup -----------------------------------------------------------


def test_module_names_one_per_root() -> None:
    roots = (".", "main_pc_code", "src")
    assert module_names("main_pc_code/utils/path_manager.py", roots) == (
        "main_pc_code.utils.path_manager",
        "utils.path_manager",
    )
    assert module_names("src/pkg/__init__.py", roots) == ("src.pkg", "pkg")
    assert module_names("my-scripts/tool.py", roots) == ()


def test_several_roots_first_holding_root_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main_pc_code/utils/__init__.py": "",
            "main_pc_code/utils/path_manager.py": "X = 1\n",
            "pc2_code/utils/__init__.py": "",
            "pc2_code/utils/path_manager.py": "Y = 1\n",
        },
    )
    project = Project(tmp_path, (".", "main_pc_code", "pc2_code"))
    assert project.file_of("utils.path_manager") == "main_pc_code/utils/path_manager.py"
    assert project.file_of("main_pc_code.utils.path_manager") == (
        "main_pc_code/utils/path_manager.py"
    )
    other = Project(tmp_path, (".", "pc2_code", "main_pc_code"))
    assert other.file_of("utils.path_manager") == "pc2_code/utils/path_manager.py"
    assert project.file_of("utils.missing") is None
    assert project.file_of("nowhere") is None


def test_a_module_under_two_roots_a_regular_package_shadows(tmp_path: Path) -> None:
    """``utils`` is a package under both roots: the first one's wins, wholly."""
    write(
        tmp_path,
        {
            "utils/__init__.py": "",
            "utils/a.py": "",
            "lib/utils/__init__.py": "",
            "lib/utils/a.py": "",
            "lib/utils/b.py": "",
        },
    )
    project = Project(tmp_path, (".", "lib"))
    assert project.file_of("utils.a") == "utils/a.py"
    assert project.file_of("utils.b") is None  # not merged into the first package
    assert project.names_of("lib/utils/a.py") == ("lib.utils.a", "utils.a")


def test_namespace_packages_merge_across_roots_and_lose_to_modules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "one/ns/a.py": "",
            "two/ns/b.py": "",
            "two/ns/sub/c.py": "",
            "three/thing/x.py": "",
            "four/thing.py": "",
        },
    )
    project = Project(tmp_path, ("one", "two", "three", "four"))
    ns = project.find_module("ns")
    assert ns is not None and ns.kind == NAMESPACE and ns.relpath is None
    assert project.file_of("ns.a") == "one/ns/a.py"
    assert project.file_of("ns.b") == "two/ns/b.py"
    assert project.file_of("ns.sub.c") == "two/ns/sub/c.py"
    # A namespace portion found first loses to a module found later.
    assert project.file_of("thing") == "four/thing.py"


def test_src_layout_is_a_default_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.debt-lints]\n",
            "src/pkg/__init__.py": "",
            "src/pkg/core.py": "",
        },
    )
    config = load_config(start=tmp_path)
    assert config.resolved_import_roots() == (".", "src")
    project = project_for(config)
    found = project.find_module("pkg")
    assert found is not None and found.kind == PACKAGE
    assert project.file_of("pkg.core") == "src/pkg/core.py"


def test_import_roots_are_validated(tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    (tmp_path / "outside").symlink_to(tmp_path.parent)
    cases = {
        '["agents", "./agents/"]': None,
        '"agents"': "must be an array of strings",
        '["/etc"]': "must be a path relative to",
        '["../x"]': "leads out of",
        '["missing"]': "is not a directory",
        '["outside"]': "is not a directory",
        "[]": "at least one directory",
    }
    for value, error in cases.items():
        (tmp_path / "pyproject.toml").write_text(
            f"[tool.debt-lints]\nimport-roots = {value}\n", encoding="utf-8"
        )
        if error is None:
            assert load_config(start=tmp_path).import_roots == ("agents",)
        else:
            with pytest.raises(ConfigError, match=error):
                load_config(start=tmp_path)


def test_relative_imports_at_every_depth(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/__init__.py": "",
            "a/top.py": "",
            "a/b/__init__.py": "",
            "a/b/mid.py": "",
            "a/b/c/__init__.py": "",
            "a/b/c/deep.py": "from . import x\nfrom .. import mid\nfrom ... import top\n",
        },
    )
    project = Project(tmp_path, (".",))
    deep = "a/b/c/deep.py"
    assert project.absolute(deep, "", 1) == "a.b.c"
    assert project.absolute(deep, "mid", 2) == "a.b.mid"
    assert project.absolute(deep, "top", 3) == "a.top"
    assert project.absolute(deep, "", 4) is None  # above the top-level package
    assert project.absolute("a/b/c/__init__.py", "deep", 1) == "a.b.c.deep"
    assert project.absolute("a/b/__init__.py", "", 2) == "a"
    facts_ = project.facts(deep)
    assert facts_ is not None
    reached = [[f.relpath for f in project.resolve_import(deep, fact)] for fact in facts_.imports]
    assert reached == [
        ["a/b/c/__init__.py"],
        ["a/b/__init__.py", "a/b/mid.py"],
        ["a/__init__.py", "a/top.py"],
    ]


def test_relative_imports_inside_an_import_root(tmp_path: Path) -> None:
    """``from ..utils import x`` in ``main_pc_code/agents/`` is ``main_pc_code.utils.x``."""
    write(tmp_path, {"main_pc_code/utils/x.py": "", "main_pc_code/agents/a.py": ""})
    project = Project(tmp_path, (".", "main_pc_code"))
    assert project.absolute("main_pc_code/agents/a.py", "utils.x", 2) == "main_pc_code.utils.x"


def test_what_a_module_provides(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "new/__init__.py": "",
            "new/impl.py": "__all__ = ['A']\nclass A: pass\nclass _B: pass\nC = 1\n",
            "new/more.py": "def public(): pass\ndef _private(): pass\n",
            "old/__init__.py": "",
            "old/shim.py": (
                "from new.impl import *\nfrom new.more import *\nfrom new.impl import C as D\n"
            ),
            "old/real.py": "from new.impl import A\nVALUE = A()\n",
            "old/star_outside.py": "from os.path import *\n",
            "cyc/__init__.py": "",
            "cyc/a.py": "from cyc.b import *\nX = 1\n",
            "cyc/b.py": "from cyc.a import *\nY = 1\n",
        },
    )
    project = Project(tmp_path, (".",))
    assert project.defined_names("old.shim") == {"A", "public", "D"}
    assert project.exported_names("new.impl") == {"A"}
    assert project.provides("old.shim", "A") is True
    assert project.provides("old.shim", "C") is False
    assert project.provides("new", "impl") is True  # a submodule
    assert project.provides("old.star_outside", "join") is None  # cannot tell
    assert project.provides("nowhere", "x") is None
    assert project.is_pure_reexport("old.shim")
    assert not project.is_pure_reexport("old.real")
    assert project.reexported_from("old.shim") == ("new.impl", "new.more")
    assert project.dunder_all("new.impl") == ("A",)
    assert project.defined_names("cyc.a") == {"X", "Y"}


def test_external_bases_of_a_project_class_through_its_project_bases(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "log/__init__.py": "from log.handlers import Cleaning as Reexported\n",
            "log/handlers.py": (
                "import logging.handlers\n"
                "from concurrent_log_handler import ConcurrentRotatingFileHandler\n"
                "class Cleaning(logging.handlers.TimedRotatingFileHandler): pass\n"
                "class Mixin: pass\n"
                "class Server(Mixin, Cleaning): pass\n"
                "class Shared(ConcurrentRotatingFileHandler): pass\n"
                "class Made(make_base()): pass\n"
            ),
            "log/sub.py": "from .handlers import Server\nclass Plugin(Server, dict): pass\n",
            "app.py": "class Local(Exception): pass\nValue = 1\n",
        },
    )
    project = Project(tmp_path, (".",))
    timed = "logging.handlers.TimedRotatingFileHandler"
    assert project.external_bases("app.py", "log.sub.Plugin") == ("dict", timed)
    assert project.external_bases("app.py", "log.Reexported") == (timed,)
    assert project.external_bases("log/handlers.py", "Server") == (timed,)
    assert project.external_bases("app.py", "log.handlers.Shared") == (
        "concurrent_log_handler.ConcurrentRotatingFileHandler",
    )
    assert project.external_bases("app.py", "log.handlers.Made") == ()
    assert project.external_bases("app.py", "Local") == ("Exception",)
    assert project.external_bases("app.py", "Value") is None  # no class
    assert project.external_bases("app.py", "logging.FileHandler") is None  # not the project's
    assert project.external_bases("app.py", "Missing") is None


def test_facts_are_read_from_disk_only_inside_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"secret.py": "class Secret: pass\n"})
    repo = write(tmp_path / "repo", {"pkg/__init__.py": "", "pkg/real.py": "X = 1\n"})
    (repo / "pkg" / "linked.py").symlink_to(outside / "secret.py")
    (repo / "linkdir").symlink_to(outside)
    project = Project(repo, (".",))
    assert project.facts("pkg/real.py") is not None
    assert project.facts("pkg/linked.py") is None
    assert project.facts("linkdir/secret.py") is None
    assert project.file_of("pkg.linked") is None
    assert project.facts("../outside/secret.py") is None
    assert project.loaded_from_disk == 1


def test_an_unparsable_file_has_unparsable_facts(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": "print 'python 2'\n"})
    project = Project(tmp_path, (".",))
    got = project.module_facts("bad")
    assert got is not None and got.unparsable
    assert project.defined_names("bad") is None
    assert not project.is_pure_reexport("bad")


def test_import_edges_are_the_project_files_an_import_runs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/__init__.py": "",
            "a/b.py": "import os\nimport a.c\nfrom . import d\n",
            "a/c.py": "def f():\n    from a import b\n",
            "a/d.py": "",
            "ns/x.py": "",
            "user.py": "import ns.x\n",
        },
    )
    project = Project(tmp_path, (".",))
    edges = [(fact.module, target) for fact, target in project.import_edges("a/b.py")]
    assert edges == [
        ("a.c", "a/__init__.py"),
        ("a.c", "a/c.py"),
        ("", "a/__init__.py"),
        ("", "a/d.py"),
    ]
    deferred = project.import_edges("a/c.py")
    assert [(IN_FUNCTION in f.flags, t) for f, t in deferred] == [
        (True, "a/__init__.py"),
        (True, "a/b.py"),
    ]
    assert [t for _, t in project.import_edges("user.py")] == ["ns/x.py"]
