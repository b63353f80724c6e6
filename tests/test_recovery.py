"""Files that do not parse: one DL001, and every other rule on what can be recovered.

Each damage kind below is one a bulk automated rewrite leaves in a legacy
monorepo (the issue that asked for recovery lists them). For each: the DL001
is the one the parser gives, the findings outside the damage are exactly the
ones the repaired file has, at the same positions and in the same scopes,
and every finding of the file is marked ``partial``.
"""

from __future__ import annotations

import ast
import gc
import importlib.util
import json
import re
import sys
import weakref
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from debt_lints.adapters.cli import main
from debt_lints.analysis.context import FileContext
from debt_lints.core.model import Finding, Rule
from debt_lints.core.settings import Settings
from debt_lints.engine import walk
from debt_lints.engine.registry import all_rules
from debt_lints.engine.walk import Collector, FileResult, RuleSet, check_source
from debt_lints.recovery import MAX_ATTEMPTS, recover
from debt_lints.recovery.repair import _recover
from tests.fixtures import expected

RECOVERY_FIXTURES = Path(__file__).parent / "fixtures" / "recovery"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SETTINGS = Settings({"deprecated-imports": {"main_pc_code.utils": "common.utils"}})


def check(text: str, name: str = "agent.py") -> FileResult:
    return check_source(text, name, name, RuleSet(all_rules(), SETTINGS))


def found(result: FileResult) -> list[tuple[int, int, str, str]]:
    """(line, column, code, scope) of every finding but the DL001."""
    return [(f.line, f.column, f.code, f.scope) for f in result.findings if f.code != "DL001"]


def assert_partial(result: FileResult, dl001_line: int) -> None:
    assert not result.internal_errors, result.internal_errors
    (syntax,) = [f for f in result.findings if f.code == "DL001"]
    assert syntax.line == dl001_line, syntax
    assert result.partial and all(f.partial for f in result.findings)


def repaired_matches(damaged: str, repaired: str) -> list[tuple[int, int, str, str]]:
    """The damaged file's findings, asserting they are the repaired file's."""
    assert ast.parse(repaired)
    clean = check(repaired)
    assert not clean.partial and not any(f.partial for f in clean.findings)
    broken = check(damaged)
    assert found(broken) == found(clean)
    return found(broken)


# --- each damage kind -------------------------------------------------------------------

IMPORTS = "import logging\nimport os\nimport sys\n\nimport zmq\n"


def test_a_call_rewritten_on_its_first_line_only() -> None:
    damaged = (
        IMPORTS + "logger = configure_logging(__name__),\n"
        "    level=logging.INFO)\n"
        "sys.path.insert(0, 'vendor')\n"
    )
    repaired = damaged.replace("(__name__),", "(__name__,")
    assert repaired_matches(damaged, repaired) == [(8, 1, "DL201", "")]
    assert_partial(check(damaged), 7)


def test_one_closing_parenthesis_too_many_keeps_the_statement() -> None:
    damaged = IMPORTS + "sys.path.insert(0, os.path.abspath(os.path.join(HERE, 'lib'))))\n"
    repaired = damaged.replace("))))", ")))")
    # The statement itself is kept: only the extra ")" is dropped.
    assert repaired_matches(damaged, repaired) == [(6, 1, "DL201", "")]
    assert_partial(check(damaged), 6)


def test_an_import_at_column_0_inside_a_try_keeps_its_position() -> None:
    damaged = (
        "try:\n"
        "from main_pc_code.utils import path_manager\n"
        "    import zmq\n"
        "except ImportError:\n"
        "    zmq = None\n"
    )
    result = check(damaged)
    assert_partial(result, 2)
    # The import is analysed where it was written: column 1, not the block's column 5.
    assert found(result) == [(2, 1, "DL101", "")]
    repaired = damaged.replace("\nfrom", "\n    from")
    assert [(line, code) for line, _, code, _ in found(check(repaired))] == [(2, "DL101")]


def test_a_class_header_rewritten_twice_keeps_its_methods_in_the_class() -> None:
    damaged = (
        IMPORTS + "\n\nclass WebSearchTool(BaseAgent)(Tool):\n"
        "    def __init__(self, ctx):\n"
        "        self.sock = ctx.socket(zmq.REQ)\n"
        "\n"
        "    def close(self):\n"
        "        self.sock.close()\n"
        "\n"
        "    def probe(self, ctx):\n"
        "        probe = ctx.socket(zmq.REQ)\n"
        "        probe.send(b'ping')\n"
    )
    repaired = damaged.replace("(BaseAgent)(Tool)", "(BaseAgent, Tool)")
    # self.sock is closed by close(): only the probe socket leaks, in its method's scope.
    assert repaired_matches(damaged, repaired) == [(16, 17, "DL501", "WebSearchTool.probe")]
    assert_partial(check(damaged), 8)


def test_a_template_placeholder_in_code() -> None:
    damaged = IMPORTS + "API_KEY = ${SECRET_PLACEHOLDER}\nsys.path.append('lib')\n"
    result = check(damaged)
    assert_partial(result, 6)
    assert found(result) == [(7, 1, "DL201", "")]


def test_a_bracket_never_closed() -> None:
    damaged = (
        IMPORTS + "def main():\n"
        "    config = load_config(path,\n"
        "    sys.path.append('lib')\n"
        "    return config\n"
    )
    result = check(damaged)
    assert_partial(result, 7)
    # The statement ends where the next one starts, as indented: the rest is analysed.
    assert found(result) == [(8, 5, "DL201", "main")]


def test_a_mangled_f_string() -> None:
    damaged = IMPORTS + "message = f'{name'\nsys.path.append('lib')\n"
    result = check(damaged)
    assert_partial(result, 6)
    assert found(result) == [(7, 1, "DL201", "")]


def test_a_damaged_method_keeps_its_class_and_the_other_methods_findings() -> None:
    # The placeholder hides a value, not what a call did: nothing was released there.
    damaged = (
        IMPORTS + "\n\nclass Agent:\n"
        "    def handle(self, msg):\n"
        "        self.timeout = ${TIMEOUT_MS}\n"
        "\n"
        "    def start(self, ctx):\n"
        "        self.sock = ctx.socket(zmq.REP)\n"
        "        self.sock.bind(f'tcp://*:{self.port}')\n"
    )
    repaired = damaged.replace("${TIMEOUT_MS}", "1000")
    findings = repaired_matches(damaged, repaired)
    assert ("DL501", "Agent.start") in {(code, scope) for _, _, code, scope in findings}
    assert_partial(check(damaged), 10)


# --- what damage hid is never a finding --------------------------------------------------


def resources(text: str) -> list[str]:
    """The codes of the resource rules' findings (DL5xx) on ``text``."""
    return [code for _, _, code, _ in found(check(text)) if code.startswith("DL5")]


AGENT = (
    IMPORTS + "\n\nclass Agent:\n"
    "    def start(self, ctx):\n"
    "        self.sock = ctx.socket(zmq.REP)\n"
    "        self.sock.bind(f'tcp://*:{self.port}')\n"
    "\n"
    "    def stop(self):\n"
    "        {stop}\n"
)


@pytest.mark.parametrize(
    "stop",
    [
        "${SOCKET}.close()",  # the receiver of the release
        "self.send(${MESSAGE})",  # an argument of a call (it may have been self.sock)
        "${CLEANUP}(self)",  # the callee a cleanup helper
        "self.sock.close(linger=${LINGER_MS}",  # a call never closed, neutralised
    ],
)
def test_an_attribute_whose_release_damage_may_hide_is_not_reported(stop: str) -> None:
    damaged = AGENT.replace("{stop}", stop)
    assert resources(damaged) == []
    # The same class with a stop() that releases nothing is reported.
    assert resources(AGENT.replace("{stop}", "self.running = False")) == ["DL501"]


def test_an_attribute_is_not_reported_when_the_rest_of_its_class_is_lost() -> None:
    # A bracket never closed at column 0 swallows the rest of the class: stop()'s
    # close is salvaged, but at module level, out of the class: it may close.
    damaged = AGENT.replace("{stop}", "self.sock.close()").replace(
        "\n    def stop(self):", "x = compute(a,\n    def stop(self):"
    )
    recovered = _recover(damaged)
    assert recovered is not None and recovered.lost == [(12, 14)]
    assert resources(damaged) == []


def test_a_local_socket_whose_close_lost_its_receiver_is_not_reported() -> None:
    damaged = (
        IMPORTS + "def send(ctx):\n"
        "    sock = ctx.socket(zmq.REQ)\n"
        "    sock.send(b'x')\n"
        "    ${SOCKET}.close()\n"
    )
    assert resources(damaged) == []
    # Damage elsewhere that hides no call keeps the finding.
    assert resources(damaged.replace("${SOCKET}.close()", "timeout = ${TIMEOUT}")) == ["DL501"]


def test_a_log_handler_whose_release_damage_may_hide_is_not_reported() -> None:
    source = (
        "import logging\n\n\nclass Worker:\n"
        "    def __init__(self):\n"
        "        self.handler = logging.FileHandler('worker.log')\n"
        "        logging.getLogger('w').addHandler(self.handler)\n"
        "\n"
        "    def stop(self):\n"
        "        {stop}\n"
        "\n\n"
        "def attach(logger):\n"
        "    handler = logging.FileHandler('a.log')\n"
        "    logger.addHandler(handler)\n"
        "    {remove}\n"
    )
    clean = source.replace("{stop}", "pass").replace("{remove}", "return logger")
    assert resources(clean) == ["DL502", "DL502"]
    damaged = source.replace("{stop}", "${HANDLER}.close()").replace(
        "{remove}", "logger.removeHandler(${HANDLER})"
    )
    assert resources(damaged) == []


def test_lost_text_belongs_to_the_class_it_is_indented_under() -> None:
    after = "\n\nx = ${VALUE}(1)\n"
    # Lost text after the class, at the module's indentation: not the class's.
    assert resources(AGENT.replace("{stop}", "pass") + after) == ["DL501"]
    # Indented under it, after its last recovered line: the class's.
    assert resources(AGENT.replace("{stop}", "pass") + "    ${VALUE}(self)\n") == []


def test_a_close_inside_the_damaged_statement_is_not_turned_into_a_leak() -> None:
    # The damaged statement is left out, but what it mentioned is handed on:
    # the socket it closes is not reported as never closed.
    damaged = (
        IMPORTS + "def send(ctx):\n"
        "    sock = ctx.socket(zmq.REQ)\n"
        "    sock.send(b'x')\n"
        "    sock.close(${LINGER_MS})\n"
    )
    repaired = damaged.replace("${LINGER_MS}", "1000")
    assert repaired_matches(damaged, repaired) == []
    assert found(check(damaged.replace("    sock.close(${LINGER_MS})\n", ""))) != []


def test_a_securing_step_inside_a_damaged_statement_still_secures() -> None:
    damaged = (
        IMPORTS + "def serve(ctx):\n"
        "    sock = ctx.socket(zmq.REP)\n"
        "    sock.curve_server = ${CURVE_ENABLED}\n"
        "    sock.bind('tcp://*:5555')\n"
        "    return sock\n"
    )
    repaired = damaged.replace("${CURVE_ENABLED}", "True")
    # The assignment keeps its target: the bind is as secured as in the repaired file.
    assert repaired_matches(damaged, repaired) == []


def test_a_socket_closed_by_a_damaged_with_header_is_not_a_leak() -> None:
    damaged = (
        IMPORTS + "def ping(ctx):\n"
        "    sock = ctx.socket(zmq.REQ)\n"
        "    with sock as ${ALIAS}:\n"
        "        sock.send(b'ping')\n"
    )
    assert repaired_matches(damaged, damaged.replace(" as ${ALIAS}", "")) == []


def test_a_call_inside_a_damaged_statement_reaches_the_rules_on_its_line() -> None:
    damaged = (
        IMPORTS + "def serve(ctx):\n"
        "    sock = ctx.socket(zmq.REP)\n"
        "    sock.bind('tcp://*:5555', ${BIND_FLAGS})\n"
        "    register(sock,\n"
        "             sys.path.append('plugins'), ${PLUGIN_DIR})\n"
        "    return sock\n"
    )
    repaired = damaged.replace(", ${BIND_FLAGS}", "").replace(", ${PLUGIN_DIR}", "")
    # The bind and the sys.path call are judged on the lines they were written on
    # (the damaged arguments dropped); only the columns inside the wrapper differ.
    assert (
        [(line, code, scope) for line, _, code, scope in found(check(damaged))]
        == [(line, code, scope) for line, _, code, scope in found(check(repaired))]
        == [(8, "DL302", "serve"), (10, "DL201", "serve")]
    )


def test_every_later_error_is_recovered_too() -> None:
    damaged = (
        IMPORTS + "a = ${ONE}\nsys.path.append('a')\nb = f'{x'\nsys.path.append('b')\n"
        "c = foo(1))\nsys.path.append('c')\n"
    )
    result = check(damaged)
    (syntax,) = [f for f in result.findings if f.code == "DL001"]
    with pytest.raises(SyntaxError) as error:
        ast.parse(damaged)
    assert syntax.line == error.value.lineno  # the error CPython reports, only
    assert [line for line, _, _, _ in found(result)] == [7, 9, 11]


class _Counting(Collector):
    """A collector that counts the files and calls it walked."""

    key = "counting"
    walked: ClassVar[list[str]] = []

    def start(self, ctx: FileContext) -> None:
        self.walked.append(ctx.path)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self.walked.append(f"{ctx.path}:{node.lineno}")

    def finish(self, tree: ast.AST, ctx: FileContext) -> object:
        return "walked"

    def unparsable(self) -> object:
        return "unparsable"


def test_the_collectors_do_not_walk_a_recovered_tree() -> None:
    # A damaged file keeps the unparsable facts: what the collectors would take
    # from its recovered tree is thrown away, so they do not ride its walk; the
    # rules (the same instances) still report on it.
    _Counting.walked = []
    rules = RuleSet(all_rules(), SETTINGS, collectors=[_Counting(Settings())])
    damaged = IMPORTS + "API_KEY = ${SECRET_PLACEHOLDER}\nsys.path.append('lib')\n"
    result = check_source(damaged, "a.py", "a.py", rules)
    assert found(result) == [(7, 1, "DL201", "")]
    assert result.summary == {"counting": "unparsable"}
    assert _Counting.walked == []
    walked = rules.without_collectors()
    assert rules.without_collectors() is walked and not walked.collectors
    assert all(any(r is s for s in rules.instances) for r in walked.instances)
    # A file that parses, with the same rule set: the collector walks it.
    clean = check_source(IMPORTS + "sys.path.append('lib')\n", "b.py", "b.py", rules)
    assert clean.summary == {"counting": "walked"}
    assert _Counting.walked == ["b.py", "b.py:6"]


def test_a_finding_in_a_salvaged_statement_is_cut_to_the_file_s_line() -> None:
    # The wrapper makes the rewritten line longer than the file's: the finding on
    # the call inside it keeps its line, its columns end where the line does.
    damaged = IMPORTS + "sys.path.append(${X})\n"
    result = check(damaged)
    width = len("sys.path.append(${X})")
    assert [(f.code, f.line, f.column, f.end_line, f.end_column) for f in result.findings] == [
        ("DL001", 6, 17, 6, 17),
        ("DL201", 6, width + 1, 6, width + 1),
    ]


def test_a_damaged_file_with_only_its_dl001_is_not_measured_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    measured: list[str] = []
    real = walk.split_lines

    def spy(text: str, *args: object, **kwargs: object) -> list[str]:
        measured.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(walk, "split_lines", spy)
    result = check(IMPORTS + "x = (\n")
    assert [f.code for f in result.findings] == ["DL001"]
    assert measured == []
    result = check(IMPORTS + "sys.path.append(${X})\n")
    assert [f.code for f in result.findings] == ["DL001", "DL201"]
    assert len(measured) == 1


def test_a_file_that_parses_is_not_partial() -> None:
    result = check(IMPORTS + "sys.path.append('lib')\n")
    assert not result.partial and not any(f.partial for f in result.findings)


def test_dl001_alone_when_the_other_rules_are_not_selected() -> None:
    rules = RuleSet([r for r in all_rules() if r.code == "DL001"], Settings())
    result = check_source("x = (\nsys.path.append('a')\n", "a.py", "a.py", rules)
    assert [f.code for f in result.findings] == ["DL001"]


# --- regression fixtures: damage in its real form --------------------------------------


def _recovery_fixtures() -> list[Path]:
    return sorted(RECOVERY_FIXTURES.glob("*.py"))


_DEF_RE = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)", re.M)


@pytest.mark.parametrize("path", _recovery_fixtures(), ids=lambda p: p.stem)
def test_a_damaged_file_in_its_real_form_is_recovered_to_its_end(path: Path) -> None:
    """Each fixture's ``# expect:`` findings, no other, and every line of code kept.

    The DL001 is the one the running Python's parser gives (its line differs
    between versions), so the fixtures expect only the other rules' findings.
    """
    text = path.read_text(encoding="utf-8")
    with pytest.raises(SyntaxError) as error:
        ast.parse(text)
    result = check(text, path.name)
    assert_partial(result, error.value.lineno or 0)
    got = Counter((line, code) for line, _, code, _ in found(result))
    assert got == expected(path)
    recovered = _recover(text)
    assert recovered is not None and not recovered.truncated
    # Recovered to the end: the tree's last statement is the file's last one.
    code_lines = [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert max(getattr(n, "end_lineno", 0) or 0 for n in ast.walk(recovered.tree)) == max(
        code_lines
    )
    # Each repair touched one line: nothing was blanked around it.
    assert all(first == last for first, last in recovered.damaged), recovered.damaged
    # Every function and class is still there, on its line.
    defined = {
        (node.lineno, node.name)
        for node in ast.walk(recovered.tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    written = {
        (text.count("\n", 0, match.start()) + 1, match.group(1)) for match in _DEF_RE.finditer(text)
    }
    assert written <= defined


def test_a_column_0_import_inside_a_method_keeps_the_rest_of_the_class() -> None:
    text = (RECOVERY_FIXTURES / "column0_import_inside_a_method.py").read_text(encoding="utf-8")
    scopes = {(code, scope) for _, _, code, scope in found(check(text))}
    # stop() closes self.socket: no DL501 for it; probe()'s socket is reported in probe().
    assert scopes == {("DL501", "UdpAdapter.probe"), ("DL201", "")}


def test_a_line_inserted_at_the_class_indentation_stays_in_its_method() -> None:
    damaged = (
        IMPORTS + "\n\nclass Agent:\n"
        "    def start(self, ctx):\n"
        "        self.sock = ctx.socket(zmq.REP)\n"
        "    from main_pc_code.utils import path_manager\n"
        "        self.sock.connect(self.address)\n"
        "\n"
        "    def stop(self):\n"
        "        self.sock.close()\n"
    )
    recovered = _recover(damaged)
    assert recovered is not None and recovered.damaged == [(11, 11)]
    # The import is the method's, at the column it was written; stop() still closes.
    assert found(check(damaged)) == [(11, 5, "DL101", "Agent.start")]


def test_a_column_0_import_before_an_elif_goes_into_the_branch_before_it() -> None:
    damaged = (
        IMPORTS + "def code_of(x):\n"
        "    if hasattr(x, '__func__'):\n"
        "        x = x.__func__\n"
        "from main_pc_code.utils import path_manager\n"
        "    elif hasattr(x, 'gi_code'):\n"
        "        sys.path.append('plugins')\n"
        "    return x\n"
    )
    recovered = _recover(damaged)
    # One repair: the elif chain is kept whole.
    assert recovered is not None and recovered.damaged == [(9, 9)]
    assert found(check(damaged)) == [(9, 1, "DL101", "code_of"), (11, 9, "DL201", "code_of")]


def test_a_column_0_import_between_one_line_clauses_is_left_out() -> None:
    damaged = (
        IMPORTS + "for kind in KINDS:\n"
        "    if size(kind) == 2: INT16 = kind\n"
        "from main_pc_code.utils import path_manager\n"
        "    elif size(kind) == 4: sys.path.append('lib32')\n"
        "sys.path.append('lib')\n"
    )
    recovered = _recover(damaged)
    # No statement can stand between the clauses: the inserted import goes, they stay.
    assert recovered is not None and recovered.damaged == [(8, 8)]
    assert found(check(damaged)) == [(9, 27, "DL201", ""), (10, 1, "DL201", "")]


@pytest.mark.parametrize(
    "inserted",
    [
        "from main_pc_code.utils import path_manager\n",  # column 0: "invalid syntax"
        "    from main_pc_code.utils import path_manager\n",  # indented as the decorators
    ],
)
def test_an_import_between_a_decorator_and_its_def_goes_above_the_decorators(
    inserted: str,
) -> None:
    damaged = (
        IMPORTS + "class Api:\n"
        "    @app.route('/health')\n"
        "    @app.cache(30)\n" + inserted + "    def health():\n"
        "        sys.path.append('lib')\n"
    )
    recovered = _recover(damaged)
    assert recovered is not None and recovered.damaged == [(9, 9)] and not recovered.lost
    (klass,) = [n for n in recovered.tree.body if isinstance(n, ast.ClassDef)]
    imported, function = klass.body
    # Every node keeps the file's line and column: the import, the decorators, the def.
    assert isinstance(imported, ast.ImportFrom) and isinstance(function, ast.FunctionDef)
    assert (imported.lineno, imported.end_lineno, imported.col_offset) == (
        9,
        9,
        len(inserted) - len(inserted.lstrip()),
    )
    assert [(d.lineno, d.col_offset) for d in function.decorator_list] == [(7, 5), (8, 5)]
    assert (function.lineno, function.name) == (10, "health")
    assert found(check(damaged)) == [
        (9, imported.col_offset + 1, "DL101", "Api"),
        (11, 9, "DL201", "Api.health"),
    ]


def test_an_import_between_a_module_level_decorator_and_its_def() -> None:
    damaged = IMPORTS + "@cli.command()\nfrom main_pc_code.utils import x\ndef run():\n    pass\n"
    recovered = _recover(damaged)
    assert recovered is not None and recovered.damaged == [(7, 7)]
    imported, function = recovered.tree.body[-2:]
    assert isinstance(imported, ast.ImportFrom) and imported.lineno == 7
    assert isinstance(function, ast.FunctionDef) and function.decorator_list[0].lineno == 6


def test_a_bracket_is_closed_at_the_end_of_its_logical_line() -> None:
    damaged = (
        IMPORTS + "def main():\n"
        "    sys.path.insert(0,  # vendored\n"
        "                    os.path.join(HERE, 'lib')  # one ) lost\n"
        "    return 0\n"
    )
    recovered = _recover(damaged)
    assert recovered is not None and recovered.damaged == [(8, 8)]
    assert found(check(damaged)) == [(7, 5, "DL201", "main")]


def test_a_bracket_is_closed_after_its_last_line_of_code() -> None:
    damaged = (
        IMPORTS + "SEARCH_PATH = [\n"
        "    'vendor',\n"
        "    'plugins',  # the last item\n"
        "\n"
        "# the paths are added below\n"
        "sys.path.extend(SEARCH_PATH)\n"
    )
    recovered = _recover(damaged)
    # The "]" goes after the last item, not on the blank line or the comment.
    assert recovered is not None and recovered.damaged == [(8, 8)]
    assert found(check(damaged)) == [(11, 1, "DL201", "")]
    assert any(isinstance(n, ast.List) and len(n.elts) == 2 for n in ast.walk(recovered.tree))


def test_a_bracket_that_closing_cannot_mend_is_neutralised() -> None:
    damaged = IMPORTS + "total = compute(a +\nsys.path.append('lib')\n"
    recovered = _recover(damaged)
    # ``compute(a +)`` would not parse: the statement is left out, the next one kept.
    assert recovered is not None and recovered.damaged == [(6, 6)]
    assert found(check(damaged)) == [(7, 1, "DL201", "")]


# --- noqa -----------------------------------------------------------------------------


def test_noqa_works_in_a_recovered_file() -> None:
    damaged = (
        IMPORTS + "KEY = ${KEY}\n"
        "sys.path.append('a')  # noqa: DL201\n"
        "sys.path.insert(  # noqa: DL201\n"
        "    0, 'b')\n"
        "sys.path.append('c')  # noqa: DL301\n"
    )
    # Line 10's noqa names another code: its DL201 shows, and DL002 says the noqa is unused.
    assert sorted((line, code) for line, _, code, _ in found(check(damaged))) == [
        (10, "DL002"),
        (10, "DL201"),
    ]
    assert [f.code for f in check("# debt-lints: noqa\n" + damaged).findings] == ["DL001"]


# --- bounds ---------------------------------------------------------------------------


# --- cost: the region a patch changed is parsed again, not the file -----------------------


def _service(methods: int, damaged: str = "") -> str:
    """A class of ``methods`` methods (7 lines each); the middle one's statement damaged."""
    body = IMPORTS + "\n\nclass Service:\n"
    for n in range(methods):
        method = (
            f"    def handler_{n:04}(self, request):\n"
            "        value = self.compute(request)\n"
            "        if not value:\n"
            "            raise ValueError(\n"
            f"                'no value for %s' % '{n:04}')\n"
            "        return value\n\n"
        )
        if n == methods // 2 and damaged:
            method = method.replace("        value = self.compute(request)\n", damaged)
        body += method
    return body


#: A call rewritten on its first line only: three patches (the ``)`` too many, the
#: statement, the argument line left behind), each checked by a parse.
FIRST_LINE = (
    "        value = self.compute(request)\n        raise ValueError(),\n            'x' % 1)\n"
)


def _parses(text: str) -> tuple[int, list[int]]:
    """(parses of at least half of ``text``, sizes of the others) to recover ``text``.

    A size is the code parsed: the blank lines that keep a region's line
    numbers cost the tokenizer next to nothing and are not counted.
    """
    sizes: list[int] = []
    real = ast.parse

    def counting(source: str, *args: object, **kwargs: object) -> ast.Module:
        sizes.append(len(source.lstrip("\n")))
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ast, "parse", counting)
        recovered = _recover(text)
    assert recovered is not None and not recovered.truncated
    assert recovered.attempts == 4, recovered  # the first parse, and one per patch
    whole = [n for n in sizes if n >= len(text) // 2]
    return len(whole), sorted(n for n in sizes if n < len(text) // 2)


def test_a_damaged_statement_is_parsed_again_alone_not_with_the_whole_file() -> None:
    one_thousand = _service(150, FIRST_LINE)
    two_thousand = _service(300, FIRST_LINE)
    assert two_thousand.count("\n") > 2_000
    whole, regions = _parses(two_thousand)
    # The parse that failed, the one after the ``)`` too many is dropped (a patch
    # that needs no scan of the file is checked on the file) and the one that
    # gives the tree; the two other patches are checked on the method they are
    # in (with the next line), whatever the number of statements in the file.
    assert whole == 3
    assert len(regions) >= 2 and max(regions) < 1_000
    assert _parses(one_thousand) == (whole, regions)


class _KeepsTheTree(Rule):
    """Remembers the (recovered) tree the rules ran on, and whether the collector was on."""

    code = "DL999"
    name = "keeps-the-tree"
    summary = message = "test"
    refs: ClassVar[list[weakref.ref[ast.AST]]] = []

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self.refs and ctx.tree is not None:
            self.refs.append(weakref.ref(ctx.tree))


def test_a_recovered_tree_is_freed_when_its_file_ends_without_the_collector() -> None:
    # The parser's errors (the engine's, then each failed attempt's) hold tracebacks
    # whose frames hold the errors: a cycle through the engine's frame, which holds
    # the recovered tree. Nothing but reference counting may be needed to free it.
    _KeepsTheTree.refs = []
    text = _service(150, FIRST_LINE)  # patches checked on their region, then the file
    was_on = gc.isenabled()
    gc.disable()
    try:
        result = check_source(text, "m.py", "m.py", RuleSet([_KeepsTheTree], Settings()))
        assert result.partial and not result.internal_errors
        (ref,) = _KeepsTheTree.refs
        assert ref() is None
    finally:
        if was_on:
            gc.enable()


def test_positions_are_exact_after_patches_checked_on_their_region() -> None:
    damaged = _service(12, FIRST_LINE)
    # Findings before, inside and after the patched method, in the class's methods.
    damaged = damaged.replace(
        "        return value\n", "        sys.path.append('lib')\n        return value\n"
    )
    repaired = damaged.replace(FIRST_LINE, FIRST_LINE.replace("ValueError(),", "ValueError("))
    findings = repaired_matches(damaged, repaired)
    assert len(findings) == 12 and {scope for *_, scope in findings} == {
        f"Service.handler_{n:04}" for n in range(12)
    }


def test_positions_are_exact_after_lines_moved_in_a_nested_block() -> None:
    inserted = "from main_pc_code.utils import path_manager\n"
    damaged = (
        IMPORTS + "\n\nclass Outer:\n"
        "    class Inner:\n"
        "        def first(self):\n"
        "            sys.path.append('a')\n"
        "\n"
        "        @property\n" + inserted + "        def second(self):\n"
        "            return sys.path.insert(0, 'c')\n"
        "\n"
        "        def third(self):\n"
        "            if self:\n"
        "                x = 1\n" + inserted + "                sys.path.insert(0, 'b')\n"
    )
    result = check(damaged)
    assert_partial(result, 14)
    # The imports keep the file's lines and columns (the first was moved above
    # the decorator, the second re-indented into the ``if``), and so does
    # everything around them.
    assert sorted(found(result)) == [
        (11, 13, "DL201", "Outer.Inner.first"),
        (14, 1, "DL101", "Outer.Inner"),
        (16, 20, "DL201", "Outer.Inner.second"),
        (21, 1, "DL101", "Outer.Inner.third"),
        (22, 17, "DL201", "Outer.Inner.third"),
    ]
    recovered = _recover(damaged)
    assert recovered is not None
    (second,) = [
        n for n in ast.walk(recovered.tree) if isinstance(n, ast.FunctionDef) and n.name == "second"
    ]
    assert (second.decorator_list[0].lineno, second.lineno) == (13, 15)


def test_a_file_full_of_errors_gives_up_after_the_documented_attempts() -> None:
    text = "sys.path.append('kept')\n" + "x = $\n" * (MAX_ATTEMPTS * 3)
    recovered = recover(text)
    assert recovered is not None and recovered.truncated
    assert recovered.attempts <= MAX_ATTEMPTS + 1
    # What came before the give-up point is still analysed.
    assert found(check("import sys\n" + text))[0][:3] == (2, 1, "DL201")


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*"()[]{}:'\"#\\\n\t ,.=$fx1", "def ", "class ", "    ", "'''", "if "])
    ).map("".join)
)
def test_recovery_never_raises_and_keeps_the_positions(text: str) -> None:
    recovered = _recover(text)  # not recover(): a bug here must fail the test
    if recovered is None:
        return
    assert recovered.attempts <= MAX_ATTEMPTS + 1
    lines = text.splitlines() or [""]
    for node in ast.walk(recovered.tree):
        line = getattr(node, "lineno", None)
        if line is not None:
            assert 1 <= line <= len(lines) + 1


# --- outputs, cache and baseline ------------------------------------------------------

BROKEN = IMPORTS + "KEY = ${KEY}\nsys.path.append('lib')\n"
REPAIRED = BROKEN.replace("${KEY}", "'key'")


@pytest.fixture()
def broken_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "fine.py").write_text("import sys\nsys.path.append('x')\n", encoding="utf-8")
    return tmp_path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_marks_the_findings_of_a_file_that_did_not_parse(
    broken_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for _ in range(2):  # cold, then from the cache: the flag survives it
        _, out, _ = run(["check", "--format", "json"], capsys)
        outputs.append(out)
        data = json.loads(out)
        assert {(d["path"], d["code"], d["partial"]) for d in data} == {
            ("broken.py", "DL001", True),
            ("broken.py", "DL201", True),
            ("fine.py", "DL201", False),
        }
    assert outputs[0] == outputs[1]
    assert run(["check", "--format", "json", "--jobs", "2", "--no-cache"], capsys)[1] == outputs[0]


def test_sarif_and_statistics_say_which_files_were_analysed_partly(
    broken_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    _, out, _ = run(["check", "--format", "sarif", "--no-cache"], capsys)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(json.loads(out))
    (sarif_run,) = json.loads(out)["runs"]
    marked = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r.get(
            "properties", {}
        ).get("partial", False)
        for r in sarif_run["results"]
    }
    assert marked == {
        ("DL001", "broken.py"): True,
        ("DL201", "broken.py"): True,
        ("DL201", "fine.py"): False,
    }
    assert sarif_run["properties"] == {"partialFiles": 1}
    _, out, _ = run(["check", "--statistics"], capsys)
    assert out.splitlines()[-1].split()[:5] == ["1", "file", "did", "not", "parse:"]
    (broken_project / "broken.py").write_text(REPAIRED, encoding="utf-8")
    _, out, _ = run(["check", "--statistics"], capsys)
    assert "did not parse" not in out


def test_report_counts_the_files_analysed_partly(
    broken_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["baseline", "create"], capsys)[0] == 0
    _, out, _ = run(["report", "--no-history"], capsys)
    assert "1 file does not parse (DL001): analysed partly" in out
    _, out, _ = run(["report", "--no-history", "--format", "json"], capsys)
    assert json.loads(out)["partial_files"] == 1


def test_baseline_identity_survives_the_repair(
    broken_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["baseline", "create"], capsys)[0] == 0
    entries = (broken_project / "debt-lints-baseline.json").read_text(encoding="utf-8")
    assert '"path": "broken.py", "code": "DL201"' in entries
    (broken_project / "broken.py").write_text(REPAIRED, encoding="utf-8")
    code, out, err = run(["check", "--ci"], capsys)
    # Nothing new; the one stale entry is the DL001 the repair fixed.
    assert code == 4 and "new" not in out.lower()  # the closing line only: nothing new
    assert "stale: 1 entry" in err
    stale = [line for line in err.splitlines() if line.startswith("  ")]
    assert len(stale) == 1 and "DL001" in stale[0], err


# --- the language server --------------------------------------------------------------


def test_the_language_server_keeps_diagnostics_on_a_half_typed_buffer(tmp_path: Path) -> None:
    from debt_lints.adapters.lsp import diagnostics_for, no_baseline
    from debt_lints.hosts.session import HostSession

    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    session = HostSession(cwd=tmp_path)
    name = str(tmp_path / "mod.py")
    typed = "import sys\n\nsys.path.insert(0, 'vendor')\n\n\ndef handler(request):\n"
    done = typed + "    return dispatch(request)\n"
    before = {
        (d.code, d.range.start.line) for d in diagnostics_for(session, done, name, no_baseline)
    }
    # Half-way through typing a call, the buffer does not parse for a moment.
    half = typed + "    return dispatch(request,\n"
    during = {
        (d.code, d.range.start.line) for d in diagnostics_for(session, half, name, no_baseline)
    }
    assert before == {("DL201", 2)}
    assert during == {("DL201", 2), ("DL001", 6)}


# --- the differential test over the standard library ----------------------------------


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / "recovery.py"
    spec = importlib.util.spec_from_file_location("bench_recovery", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_damaged_standard_library_files_keep_their_findings() -> None:
    bench = _bench()
    tallies = bench.run(12, 0, bench.KINDS, False, 0)
    for kind, tally in tallies.items():
        # The damage found a statement to go into (fewer of these files have decorators).
        assert tally.files >= (3 if kind == "decorated-import" else 6), kind
        assert tally.bad_dl001 == 0 and tally.internal_errors == 0, kind
        assert tally.invented == 0, (kind, tally.examples)
        assert tally.kept >= 0.95 * tally.outside, kind
        # Every damaged file recovered to its end, and its statements kept.
        assert tally.to_end == tally.files, (kind, tally.not_to_end)
        assert tally.statements_kept >= 0.97 * tally.statements, kind


def test_a_column_0_import_goes_into_a_block_of_the_file() -> None:
    bench = _bench()
    text = "def f():\n    a = 1\n    b = 2\n\n\nx = 3\n"
    src = bench.Source.of("m.py", text)
    seen = set()
    for seed in range(40):
        damage = bench.col0_import(src, bench.random.Random(seed))
        assert damage.text.count(bench.INSERTED_IMPORT) == 1
        assert damage.text.replace(bench.INSERTED_IMPORT, "", 1) == text
        seen.add(damage.inserted_after)
    # Before each statement of the block, and after its last one.
    assert seen == {1, 2, 3}


def test_the_recovered_to_the_end_count_can_fail() -> None:
    bench = _bench()
    text = "import os\nx = 1\ny = 2\n"
    clean = bench.statement_keys(ast.parse(text))
    damage = bench.Damage("", 2, 2)
    tally = bench.Tally()
    assert bench.reached(clean, ast.parse("import os\npass\ny = 2\n"), damage, tally)
    assert not bench.reached(clean, ast.parse("import os\n"), damage, tally)
    assert not bench.reached(clean, None, damage, tally)
    assert (tally.statements, tally.statements_kept) == (6, 3)


def test_the_differential_comparison_can_fail() -> None:
    bench = _bench()
    damage = bench.Damage("", 3, 3)
    clean = [Finding("a.py", 1, 1, "DL201", scope=""), Finding("a.py", 5, 1, "DL201")]
    tally = bench.Tally()
    bench.compare(clean, [Finding("a.py", 6, 1, "DL301")], damage, tally)
    assert (tally.outside, tally.kept, tally.invented) == (2, 0, 1)


def test_a_small_file_is_scanned_once_and_its_damaged_statement_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The repair of the only damaged statement of a small file already parses:
    # the layout is not scanned again for a region (none can be a small share of
    # the file), and the statement's tokens are read once for what it did and for
    # what it loses.
    from debt_lints.recovery import salvage, scan

    scans: list[int] = []
    real_scan = scan._scan_from

    def counted_scan(*args: object, **kwargs: object) -> object:
        scans.append(1)
        return real_scan(*args, **kwargs)  # type: ignore[arg-type]

    reads: list[str] = []
    pattern = salvage._TOKEN_RE

    class CountedPattern:
        def finditer(self, code: str) -> object:
            reads.append(code)
            return pattern.finditer(code)

    monkeypatch.setattr(scan, "_scan_from", counted_scan)
    monkeypatch.setattr(salvage, "_TOKEN_RE", CountedPattern())
    text = (
        "import os\n\n# If DISTUTILS_DEBUG is set, we run in\n# debug mode.\n"
        "DEBUG = os.environ.get(${SMALL_FILE_DEBUG})\n"
    )
    recovered = _recover(text)
    assert recovered is not None and not recovered.truncated
    assert (recovered.attempts, recovered.damaged) == (2, [(5, 5)])
    assign = recovered.tree.body[-1]
    assert isinstance(assign, ast.Assign) and assign.lineno == 5
    assert "os.environ.get" in ast.unparse(assign.value)
    assert len(scans) == 1
    assert len(reads) == 1


@pytest.mark.parametrize(
    ("text", "starts", "in_string", "comment", "unclosed"),
    [
        # A one-quote string continued by a backslash spans two lines.
        ("s = 'a\\\nb'\nt = (\n", [0, 0, 2], [False, True, False], [-1, -1, -1], {2: 1}),
        # ``''`` is an empty string, ``'''`` opens a triple-quoted one.
        ("a = ''\nb = '''x\n'''\n", [0, 1, 1], [False, False, True], [-1, -1, -1], {}),
        # Brackets and ``#`` inside a one-line string, prefixed or not, are its text.
        ("f(rb'(#') + u\"[\" # )\nx\n", [0, 1], [False, False], [17, -1], {}),
        # A comment ends its line, whatever the line break; the last may have none.
        ("a(\r\n  # c\r\nb) # d", [0, 0, 0], [False, False, False], [-1, 2, 3], {}),
    ],
)
def test_the_layout_scan_reads_strings_and_comments_as_the_tokenizer(
    text: str,
    starts: list[int],
    in_string: list[bool],
    comment: list[int],
    unclosed: dict[int, int],
) -> None:
    from debt_lints.recovery.scan import scan

    layout = scan(text)
    assert (layout.starts, layout.in_string, layout.comment, layout.unclosed) == (
        starts,
        in_string,
        comment,
        unclosed,
    )


def _layout_state(layout: object) -> tuple[object, ...]:
    names = ("lines", "starts", "comment", "in_string", "unclosed", "unopened")
    return tuple(getattr(layout, name) for name in (*names, "open_at_end", "done", "done_at"))


_SCANNED = st.lists(
    st.sampled_from(
        [
            *"()[]{}'\"#\\\n\r ,.=xb",
            *("\n", "\n", "\r\n", "    ", "f(x)", "'s'", "'''", "x'('", "b'('", "'('", "#("),
            "y = g(1, '2')\n" * 70,  # past how far a lazy layout scans at least
        ]
    )
).map("".join)


@settings(max_examples=400, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_SCANNED, st.lists(st.integers(min_value=0, max_value=40), max_size=4))
# A quote after a word character is no string (its bracket counts); a prefix is
# left to the tokens; ``'''`` opens a string; a bracket's kind must match.
@example("x'('\nyy\n", [])
@example("b'('\nyy\n", [])
@example("a = ''''\n)\nz\n", [])
@example("f(a]\n)\nz\n", [])
@example("(\n'a', f(x),\n)\n" + "y = 1\n" * 200, [0, 70, 150])
def test_runs_of_plain_lines_are_laid_out_as_token_by_token(text: str, reads: list[int]) -> None:
    # The scan takes a run of lines with nothing but plain code, brackets closed on
    # their line and strings without a prefix in one match: the layout is the one
    # the scan gives reading each of their tokens, read whole or as far as asked.
    from debt_lints.recovery import scan

    def laid_out(runs: bool) -> list[tuple[object, ...]]:
        with pytest.MonkeyPatch.context() as patch:
            if not runs:
                patch.setattr(scan, "_PLAIN_LINES_RE", re.compile(r"(?!)"))
            states = [_layout_state(scan.scan(text))]
            lazy = scan.scan(text, lazy=True)
            for line in sorted(reads):
                lazy.upto(line)
                states.append(_layout_state(lazy))
            return states

    assert laid_out(runs=True) == laid_out(runs=False)


def test_a_run_of_plain_lines_is_read_in_one_match(monkeypatch: pytest.MonkeyPatch) -> None:
    from debt_lints.recovery import scan

    searches: list[int] = []
    pattern = scan._TOKEN_RE

    class CountedPattern:
        def search(self, text: str, pos: int) -> object:
            searches.append(pos)
            return pattern.search(text, pos)

    monkeypatch.setattr(scan, "_TOKEN_RE", CountedPattern())
    body = "".join(f"    value_{n} = compute(request, '{n}')[0]\n" for n in range(1_000))
    text = "def handler(request):\n" + body + "    return (\n" + body + "    )\n"
    layout = scan.scan(text)
    assert layout.starts[:3] == [0, 1, 2] and layout.starts[1_002:1_004] == [1_001, 1_001]
    assert layout.unclosed == {} and len(searches) < 10


def test_recovery_starts_from_the_engines_failed_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine's parse of the file failed: recovery is handed that error and
    # does not parse the damaged file again before its first patch.
    from debt_lints.recovery import repair

    parsed: list[str] = []
    real_parse = repair._parse

    def counted_parse(text: str) -> ast.Module | SyntaxError:
        parsed.append(text)
        return real_parse(text)

    monkeypatch.setattr(repair, "_parse", counted_parse)
    damaged = IMPORTS + "\nsys.path.append('lib'))\nsys.path.insert(0, 'x')\n"
    result = check(damaged)
    assert_partial(result, damaged.count("\n") - 1)
    assert [code for _, _, code, _ in found(result)] == ["DL201", "DL201"]
    assert damaged not in parsed
    assert len(parsed) == 1  # the repaired file, which gives the tree


def test_an_error_handed_to_recovery_for_a_text_with_a_nul_byte_is_not_used() -> None:
    # Recovery parses a NUL byte as a space: the error of the text as written
    # (or any error) is not the one its first attempt would give.
    text = "import os\nx = f(\0)\ny = (\n"
    wrong = SyntaxError("invalid syntax", ("m.py", 1, 1, "import os\n", 1, 2))
    handed, alone = _recover(text, wrong), _recover(text)
    assert handed is not None and alone is not None
    assert ast.dump(handed.tree, include_attributes=True) == ast.dump(
        alone.tree, include_attributes=True
    )
    assert (handed.attempts, handed.damaged, handed.lost, handed.truncated) == (
        alone.attempts,
        alone.damaged,
        alone.lost,
        alone.truncated,
    )


def test_a_small_file_is_parsed_whole_after_each_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Below a few thousand characters no region is cut and parsed alone: the
    # rescan and the cut would cost more than the parse of the file they save.
    from debt_lints.recovery import repair

    regions: list[int] = []
    real_region = repair._region

    def counted_region(*args: object) -> object:
        regions.append(1)
        return real_region(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(repair, "_region", counted_region)
    damaged = _service(8, FIRST_LINE)
    assert len(damaged) < repair.REGION_MIN_CHARS
    recovered = _recover(damaged)
    assert recovered is not None and not recovered.truncated and recovered.attempts > 2
    assert regions == []
    # A big file still has its patches checked on their region.
    assert _recover(_service(150, FIRST_LINE)) is not None
    assert regions


def test_a_long_comment_before_the_damage_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The repairs look for the statements before and after the damaged one
    # several times: a licence header between them is not read again each time.
    from debt_lints.recovery.scan import Layout

    blank: list[int] = []
    real_is_blank = Layout.is_blank

    def counted_is_blank(self: Layout, line: int) -> bool:
        blank.append(line)
        return real_is_blank(self, line)

    monkeypatch.setattr(Layout, "is_blank", counted_is_blank)
    header = "# Licensed under the terms of the licence.\n" * 200
    recovered = _recover("import os\n" + header + "DEBUG = os.environ.get(${DEBUG})\n")
    assert recovered is not None and recovered.damaged == [(202, 202)]
    # Once looking back from the damaged line, once looking on from the import.
    assert max(Counter(blank).values()) <= 2


def test_a_lazy_layout_read_one_line_on_scans_a_few_lines_on() -> None:
    # The scan to the damaged line is the cost; a read of the next line past it
    # scans a few lines on, not a share of what was scanned (which no repair reads).
    from debt_lints.recovery import scan

    text = "".join(f"value_{n} = compute({n})\n" for n in range(3_000))
    layout = scan.scan(text, lazy=True)
    layout.upto(2_000)
    assert 2_000 < layout.done <= 2_002
    layout.upto(layout.done)
    assert layout.done <= 2_002 + scan._AHEAD + 1
    assert layout.starts[: layout.done] == list(range(layout.done))


def test_the_layout_is_scanned_only_as_far_as_the_repair_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many statements after the damaged one: the repair reads a few lines
    # around it, and the layout scan stops a little past them.
    from debt_lints.recovery import scan

    ends: list[object] = []
    real_scan = scan._scan_from

    def recorded_scan(*args: object, **kwargs: object) -> object:
        end = real_scan(*args, **kwargs)  # type: ignore[arg-type]
        ends.append(end)
        return end

    monkeypatch.setattr(scan, "_scan_from", recorded_scan)
    table = "".join(f"ITEM_{n:04x} = 0x{n + 1:04x}  # item {n}\n" for n in range(3_000))
    text = "import os\nDEBUG = os.environ.get(${DEBUG})\n" + table
    recovered = _recover(text)
    assert recovered is not None and recovered.damaged == [(2, 2)]
    assert ends and None not in ends  # no scan went to the end of the file
    # A bracket never closed swallows the rest of the file: that scan goes to the end.
    ends.clear()
    recovered = _recover(text.replace("ITEM_0000 = ", "ITEM_0000 = ("))
    assert recovered is not None and None in ends
