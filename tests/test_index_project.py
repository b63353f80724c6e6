"""Rules that know the rest of the repository: the project phase, end to end.

Each test builds a small repository, runs ``debt-lints check`` on it through
the runner (as the CLI does) and, where it matters, one file at a time
through :class:`~debt_lints.hosts.session.HostSession` (as the pylint, flake8 and
language-server adapters do): both must give the same findings.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from debt_lints.config import load_config
from debt_lints.hosts.session import HostSession
from debt_lints.running.runner import enabled_rules, run

Row = tuple[str, int, str]

BASE = """
import zmq


class BaseAgent:
    def __init__(self):
        self.context = zmq.Context.instance()
        self.socket = None

    def cleanup(self):
        if self.socket is not None:
            self.socket.close()
        self.context.term()
"""


def project(tmp: Path, files: dict[str, str], config: str = "") -> Path:
    root = tmp / "repo"
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.debt-lints]\n{config}", encoding="utf-8")
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def cli(root: Path, *, cache: bool = False, jobs: int = 1) -> set[Row]:
    config = load_config(start=root)
    result = run([str(root)], config, enabled_rules(config), cache=cache, jobs=jobs)
    assert not result.internal_errors, result.internal_errors
    return {
        (Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code)
        for f in result.findings
    }


def host(root: Path, relpaths: list[str]) -> set[Row]:
    session = HostSession(cwd=root)
    rows: set[Row] = set()
    for relpath in relpaths:
        text = (root / relpath).read_text(encoding="utf-8")
        result = session.check(text, relpath)
        assert not result.problems(), result.problems()
        rows |= {(relpath, f.line, f.code) for f in result.findings}
    return rows


def both(root: Path, code: str) -> set[Row]:
    """The findings of ``code``, asserting the CLI and a host plugin agree on them."""
    from_cli = {row for row in cli(root) if row[2] == code}
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    from_host = {row for row in host(root, files) if row[2] == code}
    assert from_host == from_cli
    return from_cli


def line_of(root: Path, relpath: str, text: str) -> int:
    for number, line in enumerate((root / relpath).read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {relpath}")


# --- DL501 through class hierarchies -------------------------------------------------


def test_a_hierarchy_over_three_modules(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/base.py": BASE,
            "agents/__init__.py": "",
            "agents/mid.py": """
                from core.base import BaseAgent

                class Mid(BaseAgent):
                    def stop(self):
                        self.cleanup()
                """,
            "agents/leaf.py": """
                import zmq
                from agents.mid import Mid

                class Leaf(Mid):
                    def __init__(self):
                        super().__init__()
                        self.socket = self.context.socket(zmq.REP)  # closed by BaseAgent
                        self.pub_socket = self.context.socket(zmq.PUB)  # closed by no one
                """,
        },
    )
    line = line_of(root, "agents/leaf.py", "self.pub_socket =")
    assert both(root, "DL501") == {("agents/leaf.py", line, "DL501")}


def test_closing_the_attribute_in_the_base_clears_it_on_a_warm_cache(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "core/base.py": BASE,
            "agent.py": """
                import zmq
                from core.base import BaseAgent

                class Agent(BaseAgent):
                    def __init__(self):
                        super().__init__()
                        self.pub_socket = self.context.socket(zmq.PUB)
                """,
        },
    )
    leak = {("agent.py", line_of(root, "agent.py", "self.pub_socket ="), "DL501")}
    assert {r for r in cli(root, cache=True) if r[2] == "DL501"} == leak
    base = root / "core/base.py"
    original = base.read_text()
    fixed = original.replace(
        "self.context.term()", "self.pub_socket.close()\n        self.context.term()"
    )
    assert fixed != original
    _age(root)  # every cached entry is trusted by its stat key from here on
    base.write_text(fixed)
    assert {r for r in cli(root, cache=True) if r[2] == "DL501"} == set()
    base.write_text(original)
    assert {r for r in cli(root, cache=True) if r[2] == "DL501"} == leak
    # And the cache was used: only the base file was analysed again.
    config = load_config(start=root)
    again = run([str(root)], config, enabled_rules(config), cache=True)
    assert again.checked <= 1


def _age(root: Path) -> None:
    """Back-date every file, so that stat keys are not racy (see ``cache.RACY_NS``)."""
    past = time.time() - 60
    for path in root.rglob("*.py"):
        os.utime(path, (past, past))


def test_a_base_in_another_import_root(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "lib/corelib/__init__.py": "",
            "lib/corelib/base.py": BASE,
            "app/agent.py": """
                import zmq
                from corelib.base import BaseAgent

                class Agent(BaseAgent):
                    def __init__(self):
                        super().__init__()
                        self.socket = self.context.socket(zmq.REP)
                        self.extra = self.context.socket(zmq.PUSH)
                """,
        },
        'import-roots = [".", "lib"]\n',
    )
    line = line_of(root, "app/agent.py", "self.extra =")
    assert both(root, "DL501") == {("app/agent.py", line, "DL501")}


AGENT_OF = """
import zmq
{imports}

class Agent({base}):
    def __init__(self):
        super().__init__()
        self.context = zmq.Context()
        self.extra = self.context.socket(zmq.PUSH)
"""


@pytest.mark.parametrize(
    ("imports", "base", "files"),
    [
        # An installed package: it may close anything, as before the index.
        ("from vendor_agents import VendorAgent", "VendorAgent", {}),
        # A computed base.
        ("from core import make_base", "make_base()", {"core.py": "def make_base(): pass\n"}),
        # The base module exists but does not define the class.
        ("from core import Missing", "Missing", {"core.py": "X = 1\n"}),
        # A file that does not parse, in the middle of the hierarchy.
        (
            "from mid import Mid",
            "Mid",
            {
                "core.py": BASE,
                "mid.py": "from core import BaseAgent\nclass Mid(BaseAgent):\n  def (:\n",
            },
        ),
    ],
    ids=["installed", "computed", "missing", "unparsable-middle"],
)
def test_a_base_that_cannot_be_followed_keeps_the_exemption(
    tmp_path: Path, imports: str, base: str, files: dict[str, str]
) -> None:
    root = project(tmp_path, {**files, "agent.py": AGENT_OF.format(imports=imports, base=base)})
    assert both(root, "DL501") == set()


def test_a_cycle_of_bases_ends(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "a.py": """
                import zmq
                from b import B

                class A(B):
                    def __init__(self):
                        self.sock = zmq.Context.instance().socket(zmq.REQ)
                """,
            "b.py": "from a import A\n\nclass B(A):\n    pass\n",
        },
    )
    assert both(root, "DL501") == {("a.py", line_of(root, "a.py", "self.sock ="), "DL501")}


def test_destroy_closes_the_contexts_sockets_term_does_not(tmp_path: Path) -> None:
    files = {
        "core.py": BASE.replace("self.context.term()", "self.context.{end}()"),
        "agent.py": """
            import zmq
            from core import BaseAgent

            class Agent(BaseAgent):
                def __init__(self):
                    super().__init__()
                    self.pub = self.context.socket(zmq.PUB)
            """,
    }
    destroy = project(tmp_path / "d", {**files, "core.py": files["core.py"].format(end="destroy")})
    term = project(tmp_path / "t", {**files, "core.py": files["core.py"].format(end="term")})
    assert both(destroy, "DL501") == set()
    assert both(term, "DL501") == {("agent.py", line_of(term, "agent.py", "self.pub ="), "DL501")}


def test_a_base_that_hands_itself_to_a_cleanup_helper_releases_everything(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "core.py": """
                from helpers import cleanup_agent_sockets

                class BaseAgent:
                    def cleanup(self):
                        cleanup_agent_sockets(self)
                """,
            "helpers.py": "def cleanup_agent_sockets(agent): pass\n",
            "agent.py": AGENT_OF.format(imports="from core import BaseAgent", base="BaseAgent"),
        },
    )
    assert both(root, "DL501") == set()


# --- DL502 through class hierarchies -------------------------------------------------


HANDLER_AGENT = """
import logging
from core import Base

class Agent(Base):
    def __init__(self):
        self.logger = logging.getLogger("agent")
        self.handler = logging.FileHandler("agent.log")
        self.logger.addHandler(self.handler)
"""


@pytest.mark.parametrize(
    ("cleanup", "leaks"),
    [
        ("self.logger.removeHandler(self.handler)\n        self.handler.close()", False),
        ("self.logger.info('bye')", True),
    ],
    ids=["base-closes", "base-does-not"],
)
def test_log_handlers_through_a_base_in_another_module(
    tmp_path: Path, cleanup: str, leaks: bool
) -> None:
    root = project(
        tmp_path,
        {
            "core.py": f"class Base:\n    def cleanup(self):\n        {cleanup}\n",
            "agent.py": HANDLER_AGENT,
        },
    )
    expected = {("agent.py", line_of(root, "agent.py", "self.handler ="), "DL502")}
    assert both(root, "DL502") == (expected if leaks else set())


# --- DL101 through import roots ------------------------------------------------------


DEPRECATED = """
import-roots = [".", "main_pc_code"]

[tool.debt-lints.deprecated-imports]
"main_pc_code.utils.path_manager" = "common.utils.path_manager"
"""


def test_deprecated_modules_whatever_the_spelling(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "main_pc_code/utils/__init__.py": "",
            "main_pc_code/utils/path_manager.py": "class PathManager: pass\n",
            "main_pc_code/agents/a.py": """
                import importlib
                import utils.path_manager
                from utils.path_manager import PathManager
                from utils import path_manager
                from main_pc_code.utils.path_manager import PathManager as P2
                from ..utils.path_manager import PathManager as P3
                importlib.import_module("utils.path_manager")
                import utils.nothing_deprecated
                """,
            "main_pc_code/agents/__init__.py": "",
            "main_pc_code/__init__.py": "",
        },
        DEPRECATED,
    )
    lines = {row[1] for row in both(root, "DL101")}
    assert lines == {3, 4, 5, 6, 7, 8}


def test_the_first_root_that_holds_a_module_wins(tmp_path: Path) -> None:
    """``utils/path_manager.py`` at the repository root shadows main_pc_code's copy."""
    root = project(
        tmp_path,
        {
            "utils/__init__.py": "",
            "utils/path_manager.py": "class PathManager: pass\n",
            "main_pc_code/utils/__init__.py": "",
            "main_pc_code/utils/path_manager.py": "class PathManager: pass\n",
            "main_pc_code/agents/a.py": "from utils.path_manager import PathManager\n",
        },
        DEPRECATED,
    )
    assert both(root, "DL101") == set()
    message_root = project(
        tmp_path / "other",
        {
            "main_pc_code/utils/__init__.py": "",
            "main_pc_code/utils/path_manager.py": "",
            "tool.py": "from utils.path_manager import x\n",
        },
        DEPRECATED,
    )
    config = load_config(start=message_root)
    # (common.utils.path_manager is not written here: DL003 on pyproject.toml.)
    (finding,) = [
        f
        for f in run([str(message_root)], config, enabled_rules(config)).findings
        if f.code == "DL101"
    ]
    assert finding.message == (
        "utils.path_manager (that is, main_pc_code.utils.path_manager) is deprecated;"
        " import common.utils.path_manager instead"
    )


def test_without_the_import_root_the_spelling_is_another_module(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "main_pc_code/utils/path_manager.py": "",
            "main_pc_code/agents/a.py": "from utils.path_manager import x\n",
        },
        DEPRECATED.replace('import-roots = [".", "main_pc_code"]\n', ""),
    )
    assert both(root, "DL101") == set()


def test_parallel_workers_give_the_same_findings(tmp_path: Path) -> None:
    files = {
        f"agents/a{i}.py": AGENT_OF.format(imports="from core import BaseAgent", base="BaseAgent")
        for i in range(20)
    }
    root = project(tmp_path, {"core.py": BASE, **files})
    assert cli(root, jobs=2) == cli(root, jobs=1)
    assert len([r for r in cli(root) if r[2] == "DL501"]) == 20


# --- project helpers -----------------------------------------------------------------


SOCKET_CALLER = """
import zmq
from net.helpers import {helper}

def ping(address):
    sock = zmq.Context.instance().socket(zmq.REQ)
    {helper}(sock, address)
"""


@pytest.mark.parametrize(
    ("body", "leaks"),
    [
        ("    sock.connect(address)\n    sock.send(b'ping')\n    print(sock)\n", True),
        ("    sock.connect(address)\n    sock.close()\n", False),
        ("    POOL.append(sock)\n", False),
        ("    return sock\n", False),
    ],
    ids=["only-uses", "closes", "keeps", "returns"],
)
def test_a_socket_handed_to_a_project_helper(tmp_path: Path, body: str, leaks: bool) -> None:
    root = project(
        tmp_path,
        {
            "net/__init__.py": "",
            "net/helpers.py": f"POOL = []\n\ndef talk(sock, address):\n{body}",
            "client.py": SOCKET_CALLER.format(helper="talk"),
        },
    )
    expected = {("client.py", line_of(root, "client.py", "sock ="), "DL501")}
    assert both(root, "DL501") == (expected if leaks else set())


def test_a_socket_handed_to_an_installed_package_is_its_own(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"client.py": SOCKET_CALLER.format(helper="talk").replace("net.helpers", "vendor")},
    )
    assert both(root, "DL501") == set()


HANDLER_CALLER = """
import logging
from common.log import {helper}

def setup(name):
    logger = logging.getLogger(name)
    handler = logging.FileHandler(name + ".log")
    {helper}(logger, handler)
    return logger
"""


@pytest.mark.parametrize(
    ("body", "leaks"),
    [
        # The audit's helper: the guard is never false for a new handler.
        ("    if handler not in logger.handlers:\n        logger.addHandler(handler)\n", True),
        ("    handler.setLevel(logging.INFO)\n", False),  # never attached
        ("    REGISTRY.append(handler)\n    logger.addHandler(handler)\n", False),
    ],
    ids=["only-attaches", "only-uses", "keeps"],
)
def test_a_handler_handed_to_a_project_helper(tmp_path: Path, body: str, leaks: bool) -> None:
    root = project(
        tmp_path,
        {
            "common/log.py": (
                f"import logging\nREGISTRY = []\n\ndef attach(logger, handler):\n{body}"
            ),
            "agent.py": HANDLER_CALLER.format(helper="attach"),
        },
    )
    expected = {("agent.py", line_of(root, "agent.py", "handler ="), "DL502")}
    assert both(root, "DL502") == (expected if leaks else set())


def test_a_run_hands_every_files_facts_to_whole_program_checks(tmp_path: Path) -> None:
    from debt_lints.index import facts_from_summary, project_for

    root = project(tmp_path, {"core.py": BASE, "agent.py": "from core import BaseAgent\n"})
    config = load_config(start=root)
    for cache in (False, True, True):  # computed, then from the cache
        result = run([str(root)], config, enabled_rules(config), cache=cache)
        facts = {rel: facts_from_summary(summary) for rel, summary in result.summaries.items()}
        assert set(facts) == {"core.py", "agent.py"}
        index = project_for(config, {rel: f for rel, f in facts.items() if f is not None})
        assert [t for _, t in index.import_edges("agent.py")] == ["core.py"]
        assert index.loaded_from_disk == 0


# --- DL301: a client of the project's own loopback listener in another file ------------

LISTENER = """
    import os
    import socketserver

    def serve(handler):
        server = socketserver.TCPServer(("127.0.0.1", int(os.environ["WORKER_PORT"])), handler)
        server.serve_forever()
    """

CLIENT = """
    import http.client
    import os

    def status():
        return http.client.HTTPConnection("127.0.0.1", port=int(os.environ["WORKER_PORT"]))

    def metrics():
        return http.client.HTTPConnection("127.0.0.1", port=int(os.environ["METRICS_PORT"]))
    """


def test_a_client_of_the_projects_own_loopback_listener_in_another_file(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"app/__init__.py": "", "app/worker.py": LISTENER, "app/client.py": CLIENT},
    )
    metrics = ("app/client.py", line_of(root, "app/client.py", "METRICS_PORT"), "DL301")
    # The CLI and a host that sees one file at a time (read from disk) agree.
    assert both(root, "DL301") == {metrics}


def test_the_listener_that_stops_listening_on_loopback_brings_back_the_finding(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {"app/__init__.py": "", "app/worker.py": LISTENER, "app/client.py": CLIENT},
    )
    status = ("app/client.py", line_of(root, "app/client.py", "WORKER_PORT"), "DL301")
    metrics = ("app/client.py", line_of(root, "app/client.py", "METRICS_PORT"), "DL301")
    assert {r for r in cli(root, cache=True) if r[2] == "DL301"} == {metrics}
    listener = root / "app/worker.py"
    original = listener.read_text()
    _age(root)
    listener.write_text(original.replace('"127.0.0.1"', 'os.environ["WORKER_HOST"]'))
    assert {r for r in cli(root, cache=True) if r[2] == "DL301"} == {status, metrics}
    listener.write_text(original)
    assert {r for r in cli(root, cache=True) if r[2] == "DL301"} == {metrics}


# --- DL502: a logging set-up that runs once, when a program starts -------------------

START_UP_HELPER = """
import logging


class ConsumerConfig:
    def __init__(self, logfile):
        self.logfile = logfile

    def setup_logger(self, logger):
        handler = logging.FileHandler(self.logfile)
        logger.addHandler(handler)
"""

START_UP_MAIN = """
import logging
import sys

from worker.options import ConsumerConfig


def consumer_main():
    ConsumerConfig(sys.argv[1]).setup_logger(logging.getLogger("worker"))


if __name__ == "__main__":
    consumer_main()
"""


def test_a_logging_set_up_only_program_start_up_calls_is_withdrawn(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"worker/__init__.py": "", "worker/options.py": START_UP_HELPER, "run.py": START_UP_MAIN},
    )
    assert both(root, "DL502") == set()
    # Alone, the file shows a handler attached per call: one file cannot prove otherwise.
    from debt_lints.engine.registry import lookup
    from debt_lints.engine.walk import RuleSet, check_source

    config = load_config(start=root)
    rule = lookup("DL502")
    assert rule is not None
    alone = check_source(
        START_UP_HELPER, "options.py", "worker/options.py", RuleSet([rule], config.settings)
    )
    assert [f.line for f in alone.findings] == [line_of(root, "worker/options.py", "handler =")]


def test_a_call_from_ordinary_code_brings_the_finding_back_on_a_warm_cache(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {"worker/__init__.py": "", "worker/options.py": START_UP_HELPER, "run.py": START_UP_MAIN},
    )
    leak = {("worker/options.py", line_of(root, "worker/options.py", "handler ="), "DL502")}
    assert {r for r in cli(root, cache=True) if r[2] == "DL502"} == set()
    _age(root)
    jobs = root / "worker/jobs.py"
    jobs.write_text(
        "import logging\nfrom worker.options import ConsumerConfig\n\n\n"
        "def run_job(job):\n"
        '    ConsumerConfig("job.log").setup_logger(logging.getLogger("jobs"))\n'
    )
    assert {r for r in cli(root, cache=True) if r[2] == "DL502"} == leak
    assert both(root, "DL502") == leak
    jobs.unlink()
    assert {r for r in cli(root, cache=True) if r[2] == "DL502"} == set()


def test_withdrawing_asks_the_rule_and_a_rule_that_raises_withdraws_nothing(
    tmp_path: Path,
) -> None:
    from typing import Any, cast

    from debt_lints.analysis.context import WITHDRAW
    from debt_lints.core.model import Finding, Rule
    from debt_lints.index import Project
    from debt_lints.index.settle import settle, withdrawn

    class Judge:
        code = "DL502"
        name = "unclosed-log-handler"

        def __init__(self, verdict: str) -> None:
            self.verdict = verdict

        def settle(self, question: object, finding: Finding, project: object) -> Finding | None:
            assert question == ["start-up", "a.py", "f", None]
            if self.verdict == "raise":
                raise RuntimeError("boom")
            return finding if self.verdict == "keep" else None

    finding = Finding(path="a.py", line=3, column=1, code="DL502")
    deferred = [(finding, [WITHDRAW, ["start-up", "a.py", "f", None]])]
    project = Project(tmp_path, (".",))
    for verdict, gone in (("keep", []), ("withdraw", [finding]), ("raise", [])):
        rules = cast("dict[str, Rule]", {"DL502": cast(Any, Judge(verdict))})
        withdrawn_now, errors = withdrawn(deferred, rules, project)
        assert withdrawn_now == gone
        assert len(errors) == (verdict == "raise")
        # never reported a second time by the deferred findings' own settlement
        assert settle(deferred, rules, project) == ([], [])
