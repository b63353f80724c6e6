"""Hostile input through every host (issue 28): flake8, pylint, bandit, the language server.

What debt-lints itself reads on a host's behalf (the configuration
``pyproject.toml``, the baseline, and for the language server the project's
files and documents it never opened) goes through the same guards as
``debt-lints check``: a FIFO is never read (no hang), ``/dev/zero`` never
exhausts memory, and a link that leaves the project root is refused unread
(what the outside file says is never applied). Each host runs in its own
process, under a memory cap, and must finish.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_CODE

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"),
    reason="needs FIFOs and /dev/zero",
)

SOURCE = """\
import sys

import zmq

sys.path.insert(0, '/srv/app')


def serve(context, port):
    socket = context.socket(zmq.REP)
    socket.bind(f"tcp://*:{port}")
"""
#: What each host reports on SOURCE when nothing hostile interferes.
EXPECTED = {"flake8": "DL201", "pylint": "DL201", "bandit": "DL302", "lsp": "DL201"}
#: An outside configuration that would silence every finding if it were applied, and
#: whose parse error would show it was read (the TOML is cut short).
SILENCING = '[tool.debt-lints]\nignore = ["DL"]\n[broken'
HANG = 120  # seconds: far beyond a normal run; only a blocked read gets there


#: ``python -c CAPPED module args...``: runs ``python -m module args...`` under a
#: 2 GiB address-space cap, so /dev/zero read to its end fails at once instead of
#: exhausting the shared machine (no ``preexec_fn``: the test process has threads).
CAPPED = (
    "import resource, runpy, sys; cap = 2 << 30; "
    "resource.setrlimit(resource.RLIMIT_AS, (cap, cap)); "
    "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-c", CAPPED, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args[0]} hung: a FIFO or a device was read")


def flake8_codes(root: Path) -> list[str]:
    done = _run(["flake8", "--isolated", "--select", "DL", "a.py"], root)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    return [*(line.split()[1] for line in done.stdout.splitlines()), done.stdout]


def pylint_codes(root: Path) -> list[str]:
    (root / "empty-pylintrc").write_text("", encoding="utf-8")
    done = _run(
        [
            "pylint",
            "--rcfile=empty-pylintrc",
            "--persistent=n",
            "--load-plugins=debt_lints.pylint",
            "--disable=all",
            "--enable=sys-path-injection,debt-lints-plugin-error",
            "--output-format=json",
            "a.py",
        ],
        root,
    )
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    messages = json.loads(done.stdout or "[]")
    codes = [
        "DL201" if m["symbol"] == "sys-path-injection" else PLUGIN_ERROR_CODE for m in messages
    ]
    return [*codes, " ".join(m["message"] for m in messages)]


def bandit_codes(root: Path) -> list[str]:
    done = _run(["bandit", "-f", "json", "-q", "a.py"], root)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    results = json.loads(done.stdout)["results"]
    texts = [str(r["issue_text"]) for r in results]
    return [*(str(r["test_id"]) for r in results), " ".join(texts)]


HOSTS: dict[str, Callable[[Path], list[str]]] = {
    "flake8": flake8_codes,
    "pylint": pylint_codes,
    "bandit": bandit_codes,
}


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "a.py").write_text(SOURCE, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "victim").mkdir()
    return root


def _make_hostile(root: Path, target: str, kind: str) -> None:
    """Replace the configuration or the baseline by a FIFO, /dev/zero or an outside link."""
    name = "pyproject.toml" if target == "config" else "debt-lints-baseline.json"
    path = root / name
    outside = root.parent / "victim" / name
    if target == "baseline":
        # A baseline that knows every finding: read, it would hide them all.
        from debt_lints.adapters.cli import main

        cwd = os.getcwd()
        os.chdir(root)
        try:
            assert main(["baseline", "create"]) == 0
        finally:
            os.chdir(cwd)
        shutil.move(path, outside)
    else:
        outside.write_text(SILENCING, encoding="utf-8")
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(outside)


KINDS = ["fifo", "dev-zero", "outside"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("target", ["config", "baseline"])
@pytest.mark.parametrize("host", sorted(HOSTS))
def test_plugin_hosts_read_configuration_and_baseline_guarded(
    tmp_path: Path, host: str, target: str, kind: str
) -> None:
    root = _project(tmp_path)
    _make_hostile(root, target, kind)
    *codes, text = HOSTS[host](root)
    if target == "config" and kind == "outside":
        # Refused unread: one plugin error naming the link, never the outside settings.
        assert PLUGIN_ERROR_CODE in codes or text.startswith(PLUGIN_ERROR_CODE), text
        assert "outside the project root" in text and "invalid TOML" not in text
        if host != "bandit":  # bandit runs its tests with the defaults beside the error
            assert EXPECTED[host] not in codes, text
    else:
        # Not read (a FIFO, a device, a baseline outside): every finding is new.
        assert EXPECTED[host] in codes, text


# --- the language server ---------------------------------------------------------------


def _lsp(root: Path) -> object:
    """A language server under the memory cap, initialised on ``root``."""
    import queue
    import threading

    from tests.test_hostile import _initialize
    from tests.test_lsp import Client

    client = Client.__new__(Client)
    client.proc = subprocess.Popen(
        [sys.executable, "-c", CAPPED, "debt_lints", "lsp", "--stdio"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    client.inbox = queue.Queue()
    client.next_id = 0
    threading.Thread(target=client._read, daemon=True).start()
    _initialize(client, root)
    return client


def _lsp_diagnostics(root: Path, name: str) -> list[dict[str, object]]:
    from tests.test_hostile import _open, _shutdown

    client = _lsp(root)
    try:
        uri = (root / name).as_uri()
        found = _open(client, uri, (root / name).read_text(encoding="utf-8"))
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]
    return found


WARNING = 2  # LSP DiagnosticSeverity: new debt (Information is known debt)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("target", ["config", "baseline"])
def test_lsp_reads_configuration_and_baseline_guarded(
    tmp_path: Path, target: str, kind: str
) -> None:
    root = _project(tmp_path)
    _make_hostile(root, target, kind)
    found = _lsp_diagnostics(root, "a.py")
    codes = {str(d["code"]): d for d in found}
    if target == "config" and kind == "outside":
        message = str(codes[PLUGIN_ERROR_CODE]["message"])
        assert "outside the project root" in message and "invalid TOML" not in message
    else:
        # Never read: the finding is shown as new debt, not hidden as known.
        assert codes[EXPECTED["lsp"]]["severity"] == WARNING


def _whole_repository_project(tmp_path: Path) -> Path:
    """DL6 selected; a FIFO, a /dev/zero link and a link to an outside module in the tree.

    ``lib.py`` is imported by nothing inside the project; the outside module
    imports it, so reading the outside file would hide lib's DL602.
    """
    root = _project(tmp_path)
    (root / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL2", "DL6"]\n', encoding="utf-8"
    )
    (root / "lib.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    os.mkfifo(root / "fifo.py")
    (root / "zero.py").symlink_to("/dev/zero")
    (root.parent / "victim" / "ext.py").write_text("import lib\n", encoding="utf-8")
    (root / "ext.py").symlink_to(root.parent / "victim" / "ext.py")
    return root


def test_lsp_project_walk_and_index_skip_fifo_device_and_outside_link(tmp_path: Path) -> None:
    root = _whole_repository_project(tmp_path)
    found = _lsp_diagnostics(root, "lib.py")
    assert "DL602" in {d["code"] for d in found}, found


def test_lsp_never_reads_unopened_fifo_device_or_outside_documents(tmp_path: Path) -> None:
    from tests.test_hostile import _open, _shutdown

    root = _whole_repository_project(tmp_path)
    client = _lsp(root)
    try:
        for name in ("fifo.py", "zero.py", "ext.py"):
            uri = (root / name).as_uri()
            client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})  # type: ignore[attr-defined]
            whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
            answer = client.request(  # type: ignore[attr-defined]
                "textDocument/codeAction",
                {"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}},
            )
            assert "error" not in answer and not answer["result"]
            resolved = client.request(  # type: ignore[attr-defined]
                "codeAction/resolve", {"title": "Fix all", "data": {"uri": uri}}
            )
            assert resolved["result"].get("edit") is None
        # The server still answers: nothing above blocked it.
        uri = (root / "a.py").as_uri()
        assert EXPECTED["lsp"] in {d["code"] for d in _open(client, uri, SOURCE)}
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]
