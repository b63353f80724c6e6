"""DL202, DL301, DL302 and DL401 messages: they name what matched and say what to do.

A message is not part of a finding's identity: a baseline recorded before
the messages were reworded still matches every finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.core.settings import Settings
from debt_lints.engine.registry import lookup
from debt_lints.engine.walk import RuleSet, check_source


def messages(code: str, source: str, relpath: str = "agent.py") -> list[str]:
    rule = lookup(code)
    assert rule is not None
    result = check_source(source, relpath, relpath, RuleSet([rule], Settings({})))
    assert not result.internal_errors
    return [f.message for f in result.findings]


@pytest.mark.parametrize(
    ("code", "source", "relpath", "expected"),
    [
        (
            "DL202",
            'MODELS = "/mnt/models/tts"\n',
            "agent.py",
            "hard-coded path '/mnt/models/tts' is machine-specific; take it from "
            "configuration or build it relative to the project",
        ),
        (
            "DL202",
            "models_dir: /mnt/models/gguf\n",
            "config.yaml",
            "machine-specific path in configuration ('/mnt/models/gguf'); set it per "
            "environment (an override file or ${VAR}) or mount it at a fixed container path",
        ),
        (
            "DL301",
            'URL = f"tcp://localhost:{port}"\n',
            "agent.py",
            "loopback host is hard-coded ('tcp://localhost:{}'); read the host from "
            "configuration or use the service name",
        ),
        (
            "DL301",
            "redis: localhost\n",
            "config.yaml",
            "loopback host in configuration ('localhost'); set it per environment "
            "(an override file or ${VAR}) or use the service name",
        ),
        (
            "DL301",
            "services:\n  a:\n    environment:\n      - REDIS_URL=redis://localhost:6379\n",
            "docker-compose.yml",
            "loopback host in a service's environment ('redis://localhost:6379') is the "
            "container itself; name the peer by its service name",
        ),
        (
            "DL302",
            'def f(s, port):\n    s.bind(f"tcp://*:{port}")\n',
            "agent.py",
            "ZMQ socket binds every interface ('tcp://*:{}') without CURVE; make it a "
            "CURVE server or bind a configured interface",
        ),
        (
            "DL302",
            'import os\nHOST = os.getenv("BIND_ADDRESS", "0.0.0.0")\n'
            'def f(s, port):\n    s.bind(f"tcp://{HOST}:{port}")\n',
            "agent.py",
            "ZMQ socket binds every interface ('tcp://0.0.0.0:{}', the default when "
            "BIND_ADDRESS is unset) without CURVE; make it a CURVE server or default "
            "BIND_ADDRESS to a loopback address",
        ),
        (
            "DL302",
            'def f(s, port):\n    s.bind(("0.0.0.0", port))\n    s.listen()\n',
            "agent.py",
            "socket binds every interface ('0.0.0.0'); bind a configured interface, "
            "or serve it over TLS",
        ),
        (
            "DL302",
            'app.run(host="0.0.0.0")\n',
            "agent.py",
            "server listens on every interface ('0.0.0.0'); take the host from "
            "configuration, or serve over TLS",
        ),
        (
            "DL302",
            'import os\nHOST = os.environ.get("WEB_HOST", "0.0.0.0")\napp.run(host=HOST)\n',
            "agent.py",
            "server listens on every interface ('0.0.0.0', the default when WEB_HOST is "
            "unset); default WEB_HOST to a loopback address, or serve over TLS",
        ),
        (
            "DL302",
            'import os\nHOST = os.getenv("BIND", "0.0.0.0")\n'
            "def f(s, port):\n    s.bind((HOST, port))\n    s.listen()\n",
            "agent.py",
            "socket binds every interface ('0.0.0.0', the default when BIND is unset); "
            "default BIND to a loopback address, or serve it over TLS",
        ),
        (
            "DL401",
            'import os\nKEY = os.getenv("ZMQ_PRIVATE_KEY", "default")\n',
            "agent.py",
            "CURVE key 'ZMQ_PRIVATE_KEY' has a literal default; load the key pair from a "
            "key file with zmq.auth.load_certificate",
        ),
        (
            "DL401",
            'app.config["SECRET_KEY"] = "error-dashboard-secret"\n',
            "agent.py",
            "app secret 'SECRET_KEY' is hard-coded; set it per deployment from the "
            "environment, with no literal fallback",
        ),
        (
            "DL401",
            'API_TOKEN = "dev-token"\n',
            "agent.py",
            "credential 'API_TOKEN' is hard-coded; read it from the environment with no "
            "fallback, or from a secrets manager",
        ),
    ],
)
def test_message_names_what_matched(code: str, source: str, relpath: str, expected: str) -> None:
    assert messages(code, source, relpath) == [expected]


def test_messages_never_show_the_secret_itself() -> None:
    # CI logs are public more often than the repository: name the key, not its value.
    found = messages("DL401", 'ZMQ_SECRET_KEY = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"\n')
    assert found and all("JTKVSB" not in m for m in found)


def test_long_values_are_cut_short() -> None:
    path = "/mnt/models/" + "x" * 200
    (found,) = messages("DL202", f"MODELS = {path!r}\n")
    assert len(found) < 200 and "..." in found


AGENT = """\
import os
import socket

import zmq

MODELS = "/mnt/models/tts"
KEY = os.getenv("ZMQ_PRIVATE_KEY", "default")
SECRET_KEY = "changeme"


class Agent:
    def __init__(self, context, port):
        self.socket = context.socket(zmq.REP)
        self.socket.bind(f"tcp://*:{port}")
        self.peer = context.socket(zmq.REQ)
        self.peer.connect(f"tcp://localhost:{port + 1}")

    def listen(self, port):
        server = socket.socket()
        server.bind(("0.0.0.0", port))
        server.listen()
        return server
"""
CONFIG = """\
models_dir: /mnt/models/gguf
redis: localhost
security:
  server_secret_key: changeme
"""
#: Recorded by the release before the messages named what matched (the same
#: findings, the old wording): identity must not depend on the message.
OLD_BASELINE_OPTIONS = {"DL202": "51a35dcd", "DL302": "aea97a85"}
OLD_BASELINE = [
    ("agent.py", "DL202", "", "e1b4ff0fbc2e33c8", 6),
    ("agent.py", "DL401", "", "8e1ca511ed5cea9b", 7),
    ("agent.py", "DL401", "", "77d3e48c112a7ecb", 8),
    ("agent.py", "DL302", "Agent.__init__", "4991ee3d64ce6d14", 14),
    ("agent.py", "DL301", "Agent.__init__", "165d3b4da0eb7a33", 16),
    ("agent.py", "DL302", "Agent.listen", "64f1c645a4646746", 20),
    ("config.yaml", "DL202", "models_dir", "2fe0b8ee1b80a1fa", 1),
    ("config.yaml", "DL301", "redis", "49960de5880e8c68", 2),
    ("config.yaml", "DL401", "security.server_secret_key", "057ba03d6c441048", 4),
]


def old_baseline_text() -> str:
    header = {"format": "debt-lints-baseline", "version": 1, "options": OLD_BASELINE_OPTIONS}
    rows = [
        {"path": path, "code": code, "scope": scope, "hash": digest, "line": line}
        for path, code, scope, digest, line in OLD_BASELINE
    ]
    return "[" + "\n,".join(json.dumps(row) for row in [header, *rows]) + "\n]\n"


def test_a_baseline_from_before_the_rewording_still_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "agent.py").write_text(AGENT, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "debt-lints-baseline.json").write_text(old_baseline_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main(["check", "--ci", "--no-cache", "--select", "DL202,DL301,DL302,DL401"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "9 known findings matched" in err


@pytest.mark.parametrize("code", ["DL501", "DL502"])
def test_a_release_through_names_that_cannot_be_followed_is_reported_as_uncertain(
    code: str,
) -> None:
    """A base's ``getattr(self, name).close()`` over unknown names neither exempts nor hides."""
    from debt_lints.config import load_config
    from debt_lints.running.runner import run
    from tests.fixtures import FIXTURES

    project = FIXTURES / f"{code}_base_agent_getattr"
    rule = lookup(code)
    assert rule is not None
    config = load_config(start=project, cwd=project)
    result = run([str(project)], config, [rule], jobs=1, cache=False)
    by_attr = {f.message.split()[0]: f.message for f in result.findings}
    uncertain = by_attr.pop("self.status_socket" if code == "DL501" else "self.trace_handler")
    assert "may not be closed at all" in uncertain
    assert "getattr(self, name) with names that cannot be followed" in uncertain
    # The other findings are certain: their bases only join threads through getattr.
    assert by_attr
    assert all("cannot be followed" not in message for message in by_attr.values())
