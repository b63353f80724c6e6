"""DL101 and DL103 beyond the fixtures: messages, relative-import resolution, scopes."""

from __future__ import annotations

import ast

import pytest

from debt_lints.analysis.context import FileContext
from debt_lints.core.model import Finding
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import lookup
from debt_lints.engine.walk import RuleSet, check_source

DEPRECATED = {
    "main_pc_code.utils": "common.utils",
    "main_pc_code.utils.log_manager": "common.utils.logger_util",
    "main_pc_code.utils.legacy_metrics_support": "",
}
RENAMED = {"MAIN_PC_IP": "MAINPC_IP", "SAME": "SAME"}


def run(code: str, source: str, relpath: str = "main_pc_code/agents/agent.py") -> list[Finding]:
    rule = lookup(code)
    assert rule is not None
    settings = Settings({"deprecated-imports": DEPRECATED, "renamed-env-vars": RENAMED})
    result = check_source(source, relpath, relpath, RuleSet([rule], settings))
    assert not result.internal_errors
    return result.findings


# --- relative imports -----------------------------------------------------------------


def _from(ctx: FileContext, statement: str) -> str | None:
    node = ast.parse(statement).body[0]
    assert isinstance(node, ast.ImportFrom)
    return ctx.resolve_from(node)


@pytest.mark.parametrize(
    ("relpath", "statement", "expected"),
    [
        ("main_pc_code/agents/agent.py", "from . import x", "main_pc_code.agents"),
        ("main_pc_code/agents/agent.py", "from .x import y", "main_pc_code.agents.x"),
        ("main_pc_code/agents/agent.py", "from ..utils import y", "main_pc_code.utils"),
        ("main_pc_code/agents/agent.py", "from ..utils.a.b import y", "main_pc_code.utils.a.b"),
        ("main_pc_code/agents/__init__.py", "from . import x", "main_pc_code.agents"),
        ("main_pc_code/agents/__init__.py", "from ..utils import y", "main_pc_code.utils"),
        ("main_pc_code/agents/__init__.pyi", "from ..utils import y", "main_pc_code.utils"),
        ("main_pc_code/__init__.py", "from .utils import y", "main_pc_code.utils"),
        ("src/main_pc_code/agents/agent.py", "from ..utils import y", "main_pc_code.utils"),
        ("main_pc_code/agents/agent.py", "from os import path", "os"),
        # Above the top-level package: an ImportError at run time, never a guess.
        ("main_pc_code/agents/agent.py", "from ... import y", None),
        ("main_pc_code/agents/agent.py", "from ...utils import y", None),
        ("main_pc_code/__init__.py", "from .. import y", None),
        ("script.py", "from . import y", None),
    ],
)
def test_relative_imports_resolve_from_the_files_package(
    relpath: str, statement: str, expected: str | None
) -> None:
    assert _from(FileContext(relpath, relpath, ""), statement) == expected


def test_explicit_module_name_keeps_package_status() -> None:
    ctx = FileContext("x/__init__.pyi", "x/__init__.pyi", "", module="pkg.sub")
    assert ctx.is_package and ctx.package == "pkg.sub"
    assert ctx.resolve_relative("y", 2) == "pkg.y"
    assert ctx.resolve_relative("", 1) == "pkg.sub"
    assert ctx.resolve_relative("y", 3) is None


def test_relative_aliases_are_recorded_for_other_rules() -> None:
    ctx = FileContext("a/b/c.py", "a/b/c.py", "")
    for node in ast.parse("from ..d import e\nfrom .... import f\n").body:
        assert isinstance(node, ast.ImportFrom)
        ctx.add_import(node)
    assert ctx.aliases == {"e": "a.d.e"}


# --- DL101 messages ---------------------------------------------------------------------


def test_deprecated_submodule_names_the_matching_replacement() -> None:
    [finding] = run("DL101", "import main_pc_code.utils.path_manager.cache as c\n")
    assert finding.message == (
        "main_pc_code.utils.path_manager.cache is deprecated;"
        " import common.utils.path_manager.cache instead"
    )
    assert (finding.column, finding.end_column) == (8, 50)


def test_longest_configured_prefix_wins() -> None:
    messages = [f.message for f in run("DL101", "from ..utils import log_manager, retry\n")]
    assert messages == [
        "main_pc_code.utils is deprecated; import common.utils instead",
        "main_pc_code.utils.log_manager is deprecated; import common.utils.logger_util instead",
    ]


def test_module_without_replacement_asks_to_remove_the_import() -> None:
    [finding] = run("DL101", "from main_pc_code.utils.legacy_metrics_support import Collector\n")
    assert finding.message == (
        "main_pc_code.utils.legacy_metrics_support is deprecated and has no replacement;"
        " remove the import"
    )


def test_from_import_reports_at_the_deprecated_name_only() -> None:
    settings = Settings({"deprecated-imports": {"a.b": "x.b"}})
    rule = lookup("DL101")
    assert rule is not None
    result = check_source("from a import c, b, d\n", "m.py", "m.py", RuleSet([rule], settings))
    [finding] = result.findings
    assert (finding.line, finding.column, finding.end_column) == (1, 18, 19)
    assert finding.message == "a.b is deprecated; import x.b instead"


def test_no_configuration_reports_nothing() -> None:
    rule = lookup("DL101")
    assert rule is not None
    source = "import main_pc_code.utils.path_manager\n"
    assert not check_source(source, "m.py", "m.py", RuleSet([rule], Settings())).findings


def test_configuration_keys_are_trimmed_and_identity_entries_ignored() -> None:
    rule = lookup("DL101")
    assert rule is not None
    settings = Settings({"deprecated-imports": {" a.b ": "x.b", "c": "c"}})
    result = check_source("import a.b\nimport c\n", "m.py", "m.py", RuleSet([rule], settings))
    assert [(f.line, f.message) for f in result.findings] == [
        (1, "a.b is deprecated; import x.b instead")
    ]


# --- DL103 ------------------------------------------------------------------------------


def test_renamed_env_var_message_and_position() -> None:
    [finding] = run("DL103", 'import os\nIP = os.getenv("MAIN_PC_IP")\n')
    assert finding.message == "MAIN_PC_IP was renamed; use MAINPC_IP"
    assert (finding.line, finding.column, finding.end_column) == (2, 16, 28)


def test_update_keyword_is_reported_at_the_keyword() -> None:
    [finding] = run("DL103", "import os\nos.environ.update(MAIN_PC_IP=ip)\n")
    assert (finding.column, finding.snippet) == (19, "MAIN_PC_IP=ip")


def test_an_entry_mapping_a_name_to_itself_is_ignored() -> None:
    assert not run("DL103", 'import os\nos.getenv("SAME")\n')


# --- findings at a node below the visited one know their scope and statement -------------


def test_finding_inside_a_call_gets_its_function_scope() -> None:
    source = "import os\nclass A:\n    def f(self):\n        return os.getenv('MAIN_PC_IP')\n"
    [finding] = run("DL103", source)
    assert finding.scope == "A.f"


def test_noqa_on_the_first_line_of_a_statement_covers_a_literal_below() -> None:
    source = "import os\nIP = os.environ.get(  # noqa: DL103\n    'MAIN_PC_IP',\n)\n"
    assert not run("DL103", source)
