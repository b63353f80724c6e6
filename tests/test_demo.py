"""The bundled demo monorepo shows every rule firing, and only where it should.

``EXPECTED`` is the intended finding count per file and code: a rule that
stops firing on the demo, or starts firing on its clean code, fails here.
Codes of rules not (yet) in the registry are left out, so the test tightens
by itself as rules land.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from debt_lints.core.model import Rule
from debt_lints.engine.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
DEMO = "examples/legacy-monorepo"

#: path below the demo -> {code: number of findings}. Files not listed are clean.
EXPECTED: dict[str, dict[str, int]] = {
    # main_pc_code.utils.legacy_metrics_support -> common.utils.metrics, not written yet.
    "pyproject.toml": {"DL003": 1},
    "main_pc_code/agents/request_coordinator.py": {
        "DL101": 3,  # path_manager, config_loader, log_manager of main_pc_code.utils
        "DL201": 1,  # sys.path.insert(0, MAIN_PC_CODE)
        "DL301": 2,  # config.get("sdt_host", "localhost"), f"tcp://localhost:{port + 100}"
        "DL302": 1,  # self.socket.bind(f"tcp://*:{port}") without CURVE
        # A REQ socket per call to _query_digital_twin; self.interrupt_socket,
        # which the BaseAgent it inherits from (common/core/base_agent.py) never closes.
        "DL501": 2,
    },
    "main_pc_code/agents/system_digital_twin.py": {
        "DL101": 1,  # main_pc_code.utils.env_loader
        "DL103": 2,  # MAIN_PC_IP, PC2_IP_ADDRESS
        "DL301": 1,  # redis.Redis(host="localhost")
        "DL302": 2,  # bind tcp://*, app.run(host="0.0.0.0") without TLS
    },
    "main_pc_code/agents/model_manager_agent.py": {"DL202": 2},  # /mnt/models, /home/...
    "main_pc_code/agents/streaming_agent.py": {
        "DL101": 1,  # utils.path_manager is main_pc_code.utils.path_manager (import-roots)
        "DL501": 1,  # self.pub_socket: BaseAgent.cleanup() closes only self.socket
        "DL602": 1,  # no startup configuration starts it, nothing imports it
    },
    "main_pc_code/utils/path_manager.py": {
        "DL101": 1,  # utils.config_loader, through the main_pc_code import root
        "DL201": 1,  # sys.path.insert at import
        "DL202": 1,  # MODELS_DIR default "/mnt/models"
    },
    "main_pc_code/utils/config_loader.py": {
        "DL101": 1,  # utils.path_manager, through the main_pc_code import root
        "DL201": 1,  # sys.path.append(.. "..")
        "DL202": 1,  # DEFAULT_CONFIG under /home
        "DL601": 1,  # config_loader -> path_manager -> config_loader, at import time
    },
    "main_pc_code/utils/legacy_metrics_support.py": {"DL602": 1},  # the audit's dead module
    "main_pc_code/utils/env_loader.py": {
        "DL103": 1,  # MAIN_PC_IP
        # os.path.exists("/.dockerenv") is the same on every machine: not DL202.
        "DL301": 2,  # "localhost" defaults of MAIN_PC_IP and PC2_IP
    },
    "main_pc_code/utils/log_manager.py": {
        "DL101": 1,  # main_pc_code.utils.path_manager
        "DL502": 2,  # a handler per get_logger() call, one per LogManager instance
    },
    "main_pc_code/utils/service_discovery_client.py": {
        "DL301": 2,  # "tcp://localhost:7120" default, host="localhost" parameter default
        "DL501": 1,  # register_service() never closes its socket
        "DL602": 1,  # nothing imports it any more (common.service_mesh.client replaced it)
    },
    "main_pc_code/utils/zmq_cleanup_utils.py": {"DL602": 1},  # superseded, never imported
    # common/service_mesh/client.py: the migration map's target, not adopted yet: used (no DL602).
    "common_utils/error_handling.py": {"DL602": 1},  # unique, and used by nobody
    "pc2_code/utils/network_util.py": {"DL603": 1},  # a renamed copy of common.utils.network_util
    "main_pc_code/security/zmq_auth.py": {"DL401": 2},  # ZMQ_PRIVATE_KEY / ZMQ_PUBLIC_KEY
    "main_pc_code/config/system_config_backup_20230614.py": {"DL001": 1},  # Python 2 print
    # Damaged by a bulk rewrite: one DL001, and the debt in what can be recovered.
    "main_pc_code/agents/web_search_agent.py": {
        "DL001": 1,  # one ")" too many (the first of four damages)
        "DL101": 2,  # config_loader, path_manager of main_pc_code.utils
        "DL103": 1,  # MAIN_PC_IP
        "DL201": 1,  # sys.path.insert(...)))) : the extra ")" is dropped, the call kept
        "DL301": 1,  # "localhost" default
        "DL302": 1,  # bind tcp://* without CURVE, in WebSearchTool.__init__
        "DL501": 1,  # the REQ socket of WebSearchTool.query_backend
    },
    "pc2_code/agents/memory_orchestrator.py": {
        "DL101": 2,  # pc2_code.utils.config_loader, pc2_code.utils.network_util
        "DL103": 1,  # MAIN_PC_IP
        "DL302": 1,  # bind tcp://0.0.0.0 without CURVE
        "DL501": 2,  # self.socket (no base class closes it), the PUSH socket per sync
        "DL502": 1,  # setup_logging() attaches a new handler per call
    },
    "scripts/bulk_refactor_agents.py": {"DL202": 1},  # C:\Users\...
    "common_utils/env_loader.py": {"DL002": 1},  # a noqa: DL103 left after the rename
    "config/startup_config.yaml": {
        "DL202": 1,  # models_dir: /mnt/models/gguf
        "DL301": 2,  # redis: localhost, redis://localhost:6379/0
        "DL401": 1,  # server_secret_key: changeme
    },
}

KNOWN = {rule.code for rule in all_rules()}


@cache
def run(*options: str) -> tuple[int, tuple[dict[str, object], ...]]:
    """Run the CLI on the demo, as the README does; JSON findings."""
    out = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", DEMO, "--format", "json", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in {0, 1}, out.stderr
    return out.returncode, tuple(json.loads(out.stdout))


def by_file(findings: tuple[dict[str, object], ...]) -> dict[str, Counter[str]]:
    prefix = DEMO + "/"
    out: dict[str, Counter[str]] = {}
    for finding in findings:
        path = str(finding["path"])
        assert path.startswith(prefix), path
        out.setdefault(path[len(prefix) :], Counter())[str(finding["code"])] += 1
    return out


def test_demo_exits_1() -> None:
    status, findings = run()
    assert status == 1
    assert findings


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_fires_on_the_demo(rule: type[Rule]) -> None:
    _, findings = run()
    assert rule.code in {f["code"] for f in findings}


def test_every_catalogue_code_is_expected_somewhere() -> None:
    expected = {code for codes in EXPECTED.values() for code in codes}
    assert not KNOWN - expected, f"add the demo's expectations for {sorted(KNOWN - expected)}"


def test_findings_per_file_are_the_intended_ones() -> None:
    _, findings = run()
    got = {path: dict(codes) for path, codes in by_file(findings).items()}
    want = {
        path: kept
        for path, codes in EXPECTED.items()
        if (kept := {code: n for code, n in codes.items() if code in KNOWN})
    }
    assert got == want


WEB_SEARCH = "main_pc_code/agents/web_search_agent.py"
#: The repairs a developer would make to the file the bulk rewrite damaged.
REPAIRS = (
    ('"..", ".."))))', '"..", "..")))'),
    ("try:\nfrom", "try:\n    from"),
    ("(__name__),", "(__name__,"),
    ("(BaseAgent)(Tool)", "(BaseAgent, Tool)"),
)


NO_DL6 = ("--no-cache", "--ignore", "DL6")


def test_the_damaged_file_shows_the_debt_its_repair_shows(tmp_path: Path) -> None:
    demo = ROOT / DEMO
    text = (demo / WEB_SEARCH).read_text(encoding="utf-8")
    for old, new in REPAIRS:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "pyproject.toml").write_bytes((demo / "pyproject.toml").read_bytes())
    (tmp_path / WEB_SEARCH).parent.mkdir(parents=True)
    (tmp_path / WEB_SEARCH).write_text(text, encoding="utf-8")
    out = subprocess.run(
        # Alone in a temporary project the file would be unused (DL602): the
        # whole-repository rules need the rest of the demo.
        [*(sys.executable, "-m", "debt_lints", "check", ".", "--format", "json"), *NO_DL6],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    repaired = [
        (f["line"], f["column"], f["code"], f["scope"])
        for f in json.loads(out.stdout)
        # Alone, the map's replacements do not exist (DL003, on pyproject.toml).
        if f["path"] == WEB_SEARCH
    ]
    _, findings = run()
    damaged = [
        (f["line"], f["column"], f["code"], f["scope"])
        for f in findings
        if f["path"] == f"{DEMO}/{WEB_SEARCH}" and f["code"] != "DL001"
    ]
    assert damaged == repaired
    assert all(f["partial"] for f in findings if f["path"] == f"{DEMO}/{WEB_SEARCH}")
    assert ("DL501", "WebSearchTool.query_backend") in {(c, s) for _, _, c, s in damaged}


def test_select_prefix_reports_only_that_family() -> None:
    status, findings = run("--select", "DL2")
    codes = {str(f["code"]) for f in findings}
    assert status == 1
    assert codes and all(code.startswith("DL2") for code in codes)
    assert codes == {code for code in KNOWN if code.startswith("DL2")}
