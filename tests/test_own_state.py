"""Ports read back from this machine's own state files, through the callers of a
function (:mod:`debt_lints.analysis.own_state`), and the model's reads of such files
through methods, items and iteration (:meth:`SemanticModel.from_own_state_file`)."""

from __future__ import annotations

import ast

from debt_lints.analysis.own_state import calls_from_own_state, parameter_ports
from tests.test_semantic import build

LOCK_FILE = """
import os
from app.ipc import IPCClient

class Manager:
    def __init__(self, lockfile, options):
        self.lockfile = lockfile
        self.options = options

    def _read_lock(self):
        result = {}
        with open(self.lockfile) as f:
            lines = [line for line in f if line]
        for line in lines:
            key, value = line.split(":", 1)
            result[key.strip()] = value.strip()
        return result

    def check_ipc_info(self):
        info = self._read_lock()
        return info if "port" in info else None

    def write_lock(self, info):
        with open(self.lockfile, "w") as f:
            f.write(f"PID: {os.getpid()}\\n")
            f.writelines(f"{k}: {v}\\n" for k, v in info.items())

    def _read_settings(self):
        with open(self.options.settings) as f:
            return dict(line.split("=", 1) for line in f)
"""


def _call_arguments(tree: ast.AST, name: str) -> list[ast.expr]:
    return [
        node.args[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and node.args
    ]


def test_a_value_read_back_from_a_lock_file_through_methods_items_and_lines() -> None:
    model, tree = build(
        LOCK_FILE
        + """
    def execute(self):
        info = self.check_ipc_info()
        IPCClient(info["port"], info["password"])
        settings = self._read_settings()
        Other(settings["port"])
        Other(self.options.port)
"""
    )
    own, settings, configured = _call_arguments(tree, "IPCClient") + _call_arguments(tree, "Other")
    assert model.from_own_state_file(own)
    assert not model.from_own_state_file(settings)  # a file this module never writes
    assert not model.from_own_state_file(configured)


def test_parameter_ports_name_the_callable_and_the_parameter() -> None:
    model, tree = build(
        """
        import socket
        class IPCClient:
            def __init__(self, port, password):
                socket.create_connection(("127.0.0.1", port))
        def probe(host, port=0, *, timeout):
            socket.create_connection(("127.0.0.1", port))
        def keyword_only(*, port):
            socket.create_connection(("127.0.0.1", port))
        class Later:
            def connect(self, port):
                socket.create_connection(("127.0.0.1", port))
        def computed(port):
            port = port + 1
            socket.create_connection(("127.0.0.1", port))
        """
    )
    loopbacks = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == "127.0.0.1"),
        key=lambda n: n.lineno,
    )
    found = [parameter_ports(model, n) for n in loopbacks]
    assert found == [
        ["param:IPCClient:0:port"],
        ["param:probe:1:port"],
        ["param:keyword_only:-1:port"],
        [],  # a method other than __init__: its callers are not followed
        [],  # not only the parameter
    ]


def test_calls_from_own_state_wants_every_use_to_pass_a_lock_file_value() -> None:
    qualified = frozenset({"app.ipc.IPCClient"})
    model, _ = build(
        LOCK_FILE
        + """
    def execute(self):
        info = self.check_ipc_info()
        IPCClient(info["port"], info["password"])
"""
    )
    assert calls_from_own_state(model, qualified, None, 0, "port") is True
    model, _ = build(
        LOCK_FILE
        + """
    def execute(self):
        info = self.check_ipc_info()
        IPCClient(info["port"], info["password"])
        IPCClient(self.options.port, "")
"""
    )
    assert calls_from_own_state(model, qualified, None, 0, "port") is False
    model, _ = build(
        LOCK_FILE
        + """
    def execute(self):
        factory = IPCClient
"""
    )
    assert calls_from_own_state(model, qualified, None, 0, "port") is False  # handed on
    model, _ = build("import os\n")
    assert calls_from_own_state(model, qualified, None, 0, "port") is None
