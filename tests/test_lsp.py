"""The language server, driven over stdio with real JSON-RPC messages."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TIMEOUT = 30.0
KNOWN = "import sys\nsys.path.insert(0, 'vendor')\n"
# The known injection moved down a line, and a new one after a character that
# takes two UTF-16 code units (the client's default position encoding).
EDITED = "import sys\n\nsys.path.insert(0, 'vendor')\nx = '\U0001f600'; sys.path.append('lib')\n"


class Client:
    """A minimal LSP client: Content-Length framing over the server's stdin/stdout."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "debt_lints", "lsp", "--stdio"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m)

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        while True:
            try:
                message = self.inbox.get(timeout=TIMEOUT)
            except queue.Empty:
                self.proc.kill()
                _, err = self.proc.communicate()
                raise AssertionError(
                    f"no answer from the server; stderr:\n{err.decode()}"
                ) from None
            if predicate(message):
                return message

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict[str, Any]]:
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and (version is None or m["params"].get("version") == version)
            )
        )
        return sorted(message["params"]["diagnostics"], key=lambda d: d["range"]["start"]["line"])


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(KNOWN, encoding="utf-8")
    created = subprocess.run(
        [sys.executable, "-m", "debt_lints", "baseline", "create"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    return tmp_path


def test_diagnostics_over_stdio_know_the_baseline(project: Path) -> None:
    client = Client(project)
    uri = (project / "pkg" / "mod.py").as_uri()
    try:
        init = client.request(
            "initialize",
            {"processId": None, "rootUri": project.as_uri(), "capabilities": {}},
        )
        assert init["result"]["serverInfo"]["name"] == "debt-lints"
        client.notify("initialized", {})

        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": KNOWN}},
        )
        (known,) = client.diagnostics(uri, version=1)
        assert known["code"] == "DL201" and known["source"] == "debt-lints"
        assert known["severity"] == 3  # Information: known debt
        assert known["range"] == {
            "start": {"line": 1, "character": 0},
            "end": {"line": 1, "character": 28},
        }
        assert known["message"].endswith("(known debt: in the baseline)")
        assert known["codeDescription"]["href"].endswith("docs/rules/DL201.md")

        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"text": EDITED}],
            },
        )
        old, new = client.diagnostics(uri, version=2)
        assert (old["range"]["start"]["line"], old["severity"]) == (2, 3)
        assert (new["range"]["start"]["line"], new["severity"]) == (3, 2)  # Warning: new debt
        # Column 9 in code points is 10 in UTF-16 code units after the emoji.
        assert new["range"]["start"]["character"] == 10
        assert not new["message"].endswith("(known debt: in the baseline)")

        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert len(client.diagnostics(uri)) == 2

        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert client.diagnostics(uri) == []

        assert client.request("shutdown", None)["result"] is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()


def test_unchecked_documents_and_broken_configuration(project: Path) -> None:
    from debt_lints.adapters.lsp import diagnostics_for, document_filename, no_baseline
    from debt_lints.hosts.session import HostSession

    assert document_filename("file:///x/readme.md", "/x/readme.md", "markdown") is None
    assert document_filename("untitled:Untitled-1", None, "python") == "untitled.py"
    assert document_filename("file:///x/a.yaml", "/x/a.yaml", "yaml") == "/x/a.yaml"

    (project / "pyproject.toml").write_text("[tool.debt-lints]\nbogus = 1\n", encoding="utf-8")
    session = HostSession(cwd=project)
    (diagnostic,) = diagnostics_for(session, KNOWN, str(project / "pkg" / "mod.py"), no_baseline)
    assert diagnostic.code == "DL000" and "bogus" in diagnostic.message


def test_the_lsp_command_explains_a_missing_pygls(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from debt_lints.adapters.cli import main

    real_import = builtins.__import__

    def no_pygls(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "debt_lints.adapters.lsp":
            raise ImportError("No module named 'pygls'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygls)
    assert main(["lsp"]) == 2
