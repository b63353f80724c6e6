"""The language server while someone types (issue 26 item 9).

- ``initialize`` is answered before pygls is imported (it costs ~0.25 s),
  with the capabilities the server computes itself once loaded;
- a burst of edits is checked and published once; a newer edit cancels the
  check still pending;
- every finding has a "Suppress with ``# noqa: DLxxx``" code action.

Counted, never timed: ``bench/lsp.py`` measures the latencies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from debt_lints.engine.noqa import noqa_edit
from debt_lints.hosts.lspwire import frame, serve_stdio
from tests.test_lsp import TIMEOUT, Client

pytest.importorskip("pygls")

KNOWN = "import sys\nsys.path.insert(0, 'vendor')\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "mod.py").write_text(KNOWN, encoding="utf-8")
    return tmp_path


def _initialize(client: Client, root: Path, **options: Any) -> dict[str, Any]:
    answer = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {},
            "trace": "verbose",
            "initializationOptions": options,
        },
    )
    client.notify("initialized", {})
    return answer


def _until_shutdown(client: Client) -> list[dict[str, Any]]:
    """Every message the server sends until it answers ``shutdown`` (then it exits)."""
    client.next_id += 1
    wanted = client.next_id
    client.send({"id": wanted, "method": "shutdown", "params": None})
    seen: list[dict[str, Any]] = []
    client.wait(lambda m: seen.append(m) or (m.get("id") == wanted and "method" not in m))
    client.notify("exit", None)
    assert client.proc.wait(timeout=TIMEOUT) == 0
    return seen


def _change(uri: str, version: int, text: str) -> bytes:
    params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}
    return frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params})


def _checks(messages: list[dict[str, Any]]) -> list[str]:
    return [
        m["params"]["message"]
        for m in messages
        if m.get("method") == "$/logTrace" and m["params"]["message"].startswith("checked ")
    ]


def _publications(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["params"] for m in messages if m.get("method") == "textDocument/publishDiagnostics"]


def test_a_burst_of_edits_costs_one_check_and_one_publication(project: Path) -> None:
    """Ten keystrokes, sent as an editor sends them when the server is behind
    (in one write); every message counted from the first edit to ``shutdown``."""
    client = Client(project)
    uri = (project / "mod.py").as_uri()
    try:
        _initialize(client, project)
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": KNOWN}},
        )
        client.diagnostics(uri, version=1)
        burst = b"".join(_change(uri, v, KNOWN + f"x = {v}\n") for v in range(2, 12))
        assert client.proc.stdin is not None
        client.proc.stdin.write(burst)
        client.proc.stdin.flush()
        seen: list[dict[str, Any]] = []
        client.wait(lambda m: seen.append(m) or _publications([m])[-1:] != [])
        seen += _until_shutdown(client)  # and nothing after it
        published = _publications(seen)
        assert [p["version"] for p in published] == [11]
        (check,) = _checks(seen)
        assert check.startswith(f"checked {uri} (version 11): 1 diagnostics in ")
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()


def test_a_newer_edit_cancels_the_pending_check(project: Path) -> None:
    client = Client(project)
    uri = (project / "mod.py").as_uri()
    try:
        # A long wait after each edit: the check of version 2 is still pending
        # when version 3 arrives, and save publishes at once.
        _initialize(client, project, debounceMs=60_000)
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": KNOWN}},
        )
        client.diagnostics(uri, version=1)
        assert client.proc.stdin is not None
        client.proc.stdin.write(_change(uri, 2, KNOWN + "a = 1\n"))
        client.proc.stdin.flush()
        client.proc.stdin.write(_change(uri, 3, KNOWN + "a = 2\n"))
        client.proc.stdin.flush()
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        seen = _until_shutdown(client)
        assert [p["version"] for p in _publications(seen)] == [3]
        assert len(_checks(seen)) == 1  # neither version 2 nor the pending 3 was checked
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()


def _answer(caps: dict[str, Any], *, eager: bool) -> dict[str, Any]:
    env = {**os.environ, "DEBT_LINTS_LSP_EAGER": "1" if eager else "0"}
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": caps},
    }
    exit_ = frame({"jsonrpc": "2.0", "method": "exit", "params": None})
    done = subprocess.run(
        [sys.executable, "-m", "debt_lints", "lsp"],
        input=frame(message) + exit_,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    bodies = [json.loads(part) for part in done.stdout.split(b"\r\n\r\n")[1:] if part]
    answers = [b for b in bodies if b.get("id") == 1]
    assert len(answers) == 1, done.stdout  # the server's own answer is dropped
    return answers[0]


VSCODE = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"willSave": True, "willSaveWaitUntil": True, "didSave": True},
        "codeAction": {"resolveSupport": {"properties": ["edit"]}},
    },
    "workspace": {"workspaceFolders": True, "fileOperations": {"didCreate": True}},
    "notebookDocument": {"synchronization": {}},
}
NEOVIM = {"general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]}}
HELIX = {"general": {"positionEncodings": ["utf-32", "utf-8"]}}
UNKNOWN = {"general": {"positionEncodings": ["utf-7"]}}


@pytest.mark.parametrize("caps", [{}, VSCODE, NEOVIM, HELIX, UNKNOWN], ids=str)
def test_the_early_answer_is_the_servers_own(caps: dict[str, Any]) -> None:
    assert _answer(caps, eager=False) == _answer(caps, eager=True)


def test_initialize_is_answered_while_the_server_still_loads(project: Path) -> None:
    """The answer does not wait for ``load`` (pygls); messages meanwhile wait for it."""
    from debt_lints.adapters.lsp import engine

    release = threading.Event()

    def load() -> Any:
        assert release.wait(TIMEOUT)
        return engine()

    to_server, from_client = os.pipe()
    from_server, to_client = os.pipe()
    statuses: list[int] = []
    with open(to_client, "wb", buffering=0) as out:
        thread = threading.Thread(
            target=lambda: statuses.append(
                serve_stdio(load, "debt-lints", "0", stdin=to_server, stdout=out)  # type: ignore[arg-type]
            )
        )
        thread.start()
        uri = (project / "mod.py").as_uri()
        os.write(
            from_client,
            frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": project.as_uri(), "capabilities": {}},
                }
            )
            + frame(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": uri,
                            "languageId": "python",
                            "version": 1,
                            "text": KNOWN,
                        }
                    },
                }
            ),
        )
        reader = os.fdopen(from_server, "rb")
        first = _read(reader)
        assert first["id"] == 1 and first["result"]["serverInfo"]["name"] == "debt-lints"
        assert not release.is_set()  # answered while the server is not loaded
        release.set()
        second = _read(reader)  # the didOpen, handled once loaded
        assert second["method"] == "textDocument/publishDiagnostics"
        assert [d["code"] for d in second["params"]["diagnostics"]] == ["DL201"]
        os.write(from_client, frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        assert _read(reader)["id"] == 2  # no second answer to initialize came before
        os.write(from_client, frame({"jsonrpc": "2.0", "method": "exit"}))
        thread.join(TIMEOUT)
        reader.close()
    os.close(from_client)
    os.close(to_server)
    assert statuses == [0]


def _read(stream: Any) -> dict[str, Any]:
    length = 0
    while True:
        line = stream.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stream.read(length))
    return message


def test_a_server_that_cannot_load_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    from debt_lints.adapters.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else real(name, *a)
    )
    assert main(["lsp"]) == 2
    assert "needs pygls: pip install 'debt-lints[lsp]'" in capsys.readouterr().err

    def broken() -> Any:
        raise ImportError("No module named 'pygls'")

    read, write = os.pipe()
    os.close(write)  # end of input at once
    with pytest.raises(ImportError):
        serve_stdio(broken, "debt-lints", "0", stdin=read)  # type: ignore[arg-type]
    os.close(read)


# --- the "suppress" code action ------------------------------------------------------


def _applied(lines: list[str], line: int, code: str) -> str | None:
    edit = noqa_edit(lines, line, code)
    if edit is None:
        return None
    text = lines[edit.line - 1].rstrip("\n")
    return text[: edit.column] + edit.text + text[edit.end :]


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("import sys\nsys.path.insert(0, 'x')\n", 2, "sys.path.insert(0, 'x')  # noqa: DL201"),
        ("sys.path.insert(0, 'x')   \n", 1, "sys.path.insert(0, 'x')  # noqa: DL201"),
        ("f()  # noqa: E501\n", 1, "f()  # noqa: E501, DL201"),
        ("f()  # keep this\n", 1, "f()  # keep this  # noqa: DL201"),
        ("f()  # noqa\n", 1, None),  # already suppressed
        ("f()  # noqa: DL2 a reason\n", 1, None),
        ("f(\n    0,\n    'x')\n", 2, "    0,  # noqa: DL201"),  # inside brackets
        ('x = \\\n    "/opt/x"\n', 2, '    "/opt/x"  # noqa: DL201'),
        ('x = f("""\n/opt/x\n""")\n', 2, None),  # in a string, and its first line too
        ("def f(:\n", 1, None),  # does not tokenize
    ],
)
def test_noqa_edit(source: str, line: int, expected: str | None) -> None:
    assert _applied(source.splitlines(True), line, "DL201") == expected


def test_suppress_action_silences_the_finding(project: Path) -> None:
    from debt_lints.adapters.lsp import code_actions_for
    from debt_lints.hosts.session import HostSession

    source = "import os\nimport sys\nsys.path.insert(0, '/opt/vendor')\nx = 1\n"
    session = HostSession(cwd=project)
    name = str(project / "mod.py")
    found = code_actions_for(session, source, name, "file:///mod.py", (2, 2))
    titles = [action.title for action, _ in found]
    assert titles == ["Suppress with # noqa: DL201", "Suppress with # noqa: DL202"]
    assert code_actions_for(session, source, name, "file:///mod.py", (3, 3)) == []
    (action, by_range) = found[0]
    assert by_range and action.kind == "quickfix" and action.edit is not None
    assert action.edit.changes is not None
    (edit,) = action.edit.changes["file:///mod.py"]
    lines = source.splitlines(True)
    row = lines[edit.range.start.line]
    lines[edit.range.start.line] = (
        row[: edit.range.start.character] + edit.new_text + row[edit.range.end.character :]
    )
    suppressed = "".join(lines)
    assert "# noqa: DL201" in suppressed
    assert [f.code for f in session.check(suppressed, name).findings] == ["DL202"]


EDITED = """\
import socket


def serve():
    sock = socket.socket()
    sock.bind(("0.0.0.0", 8080))
    return sock


def other():
    return 1

"""


def test_an_edit_between_statements_is_checked_partially_as_a_full_check_would(
    project: Path,
) -> None:
    """An incremental change (a comment line typed above a function): the server
    re-checks only what the edit reaches (its trace says ``partial``) and
    publishes what a full check of the new text gives: the diagnostics of the
    open, one line further down."""
    client = Client(project)
    uri = (project / "mod.py").as_uri()
    try:
        _initialize(client, project)
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": EDITED}},
        )
        opened = client.diagnostics(uri, version=1)
        assert opened and all(d["range"]["start"]["line"] >= 4 for d in opened)
        where = {"line": 1, "character": 0}
        change = {"range": {"start": where, "end": where}, "text": "# a comment\n"}
        params = {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]}
        seen: list[dict[str, Any]] = []
        client.notify("textDocument/didChange", params)
        client.wait(lambda m: seen.append(m) or _publications([m])[-1:] != [])
        (published,) = _publications(seen)
        assert published["version"] == 2
        (check,) = _checks(seen)
        assert check.endswith("(partial)")

        def moved(position: dict[str, int]) -> dict[str, int]:
            return {**position, "line": position["line"] + 1}

        expected = [
            {**d, "range": {"start": moved(d["range"]["start"]), "end": moved(d["range"]["end"])}}
            for d in opened
        ]
        assert published["diagnostics"] == expected
        _until_shutdown(client)
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()
