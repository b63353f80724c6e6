#!/usr/bin/env python3
"""Benchmark the language server as an editor drives it: over stdio, with JSON-RPC.

    python bench/lsp.py [--repeat N] [--lines N]

Prints one table:

- **initialize**: from starting ``debt-lints lsp`` to its ``initialize``
  answer (what an editor waits for before anything else), and to the first
  diagnostics of a document opened right after (the server loads pygls
  meanwhile); then what each path imports (``-X importtime``);
- **edit -> diagnostics** on a file of ``--lines`` lines (a copy of the
  demo's modules, one after another, in a copy of the demo): one keystroke
  (an incremental change), until the diagnostics of that version arrive, and
  how many of those checks were partial (``debt_lints.hosts.incremental``);
- **a burst of 10 keystrokes** sent in one write (as an editor sends them
  when the server is behind): how many checks and publications it costs
  (counted from the server's ``$/logTrace``), and until the last arrives.

Compare within one table, never seconds across machines; the load average
is printed with it.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"
#: ``-P``: the working directory (a copy of the demo) is never on ``sys.path``.
SERVER = [sys.executable, "-P", "-m", "debt_lints", "lsp"]
TIMEOUT = 60.0


class Client:
    """An editor's side of the connection: framing, requests, waiting for messages."""

    def __init__(self, cwd: Path, command: list[str] | None = None) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            command or SERVER,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = json.loads(stream.read(length))
            self.inbox.put((time.perf_counter(), body))

    @staticmethod
    def frame(message: dict[str, Any]) -> bytes:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def write(self, data: bytes) -> float:
        assert self.proc.stdin is not None
        sent = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return sent

    def notify(self, method: str, params: Any) -> float:
        return self.write(self.frame({"method": method, "params": params}))

    def request(self, method: str, params: Any) -> tuple[float, dict[str, Any]]:
        self.next_id += 1
        wanted = self.next_id
        self.write(self.frame({"id": wanted, "method": method, "params": params}))
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m)

    def wait(
        self, predicate: Callable[[dict[str, Any]], bool], seen: list[dict[str, Any]] | None = None
    ) -> tuple[float, dict[str, Any]]:
        while True:
            at, message = self.inbox.get(timeout=TIMEOUT)
            if seen is not None:
                seen.append(message)
            if predicate(message):
                return at, message

    def published(self, uri: str, version: int) -> Callable[[dict[str, Any]], bool]:
        return lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def initialize_params(root: Path) -> dict[str, Any]:
    return {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
        "trace": "verbose",
    }


def big_file(lines: int) -> str:
    """About ``lines`` lines of the demo's own code, its modules one after another."""
    chunks: list[str] = []
    total = 0
    sources = sorted(p for p in DEMO.rglob("*.py") if _parses(p))
    while total < lines:
        for path in sources:
            text = path.read_text(encoding="utf-8")
            # one module after another: a __future__ import is only allowed first
            text = "".join(
                row for row in text.splitlines(True) if not row.startswith("from __future__")
            )
            if not text.strip():
                continue
            chunks.append(text if text.endswith("\n") else text + "\n")
            total += text.count("\n") + 1
            if total >= lines:
                break
    return "".join(chunks)


def _parses(path: Path) -> bool:
    """The demo keeps files that do not parse (Python 2): the big file must parse."""
    import ast

    try:
        ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return False
    return True


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def startup(root: Path, repeat: int) -> list[str]:
    answers, firsts = [], []
    uri = (root / "common" / "config_manager.py").as_uri()
    text = (root / "common" / "config_manager.py").read_text(encoding="utf-8")
    for _ in range(repeat):
        client = Client(root)
        try:
            at, answer = client.request("initialize", initialize_params(root))
            assert answer["result"]["serverInfo"]["name"] == "debt-lints"
            answers.append(at - client.started)
            client.notify("initialized", {})
            item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
            client.notify("textDocument/didOpen", {"textDocument": item})
            at, _ = client.wait(client.published(uri, 1))
            firsts.append(at - client.started)
        finally:
            client.close()
    return [
        f"| initialize answered (from the process start; median / worst of {repeat}) | "
        f"{ms(statistics.median(answers))} / {ms(max(answers))} |",
        f"| first diagnostics of a document opened at once (server loaded meanwhile) | "
        f"{ms(statistics.median(firsts))} / {ms(max(firsts))} |",
    ]


def imports() -> list[str]:
    """What the ``initialize`` path imports, and what loading the server adds."""
    rows = []
    paths = {
        "the initialize path": "import debt_lints.adapters.cli, debt_lints.adapters.cli.lsp, "
        "debt_lints.hosts.lspwire",
        "loading the server (after the answer)": "import debt_lints.adapters.lsp",
    }
    for label, code in paths.items():
        done = subprocess.run(
            [sys.executable, "-P", "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        own: dict[str, int] = {}
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            parts = [p.strip() for p in line.split(":", 1)[1].split("|")]
            if parts[0].isdigit():
                own[parts[2]] = int(parts[0])
        top = sorted(own.items(), key=lambda kv: -kv[1])[:3]
        listed = ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in top)
        rows.append(
            f"| imports of {label}: {len(own)} modules, {sum(own.values()) / 1000:.0f} ms "
            f"(the largest: {listed}) | |"
        )
    return rows


def _keystroke(uri: str, version: int, line: int) -> bytes:
    change = {
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
        "text": "#",
    }
    params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
    return Client.frame({"method": "textDocument/didChange", "params": params})


def editing(root: Path, repeat: int, lines: int) -> list[str]:
    path = root / "main_pc_code" / "agents" / "big_agent.py"
    text = big_file(lines)
    path.write_text(text, encoding="utf-8")
    count = text.count("\n")
    uri = path.as_uri()
    client = Client(root)
    rows = []
    try:
        client.request("initialize", initialize_params(root))
        client.notify("initialized", {})
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        client.notify("textDocument/didOpen", {"textDocument": item})
        _, first = client.wait(client.published(uri, 1))
        version = 1
        latencies = []
        blank = [i for i, row in enumerate(text.splitlines()) if not row.strip()]
        traces: list[dict[str, Any]] = []
        for index in range(repeat):
            version += 1
            sent = client.write(_keystroke(uri, version, blank[index % len(blank)]))
            at, _ = client.wait(client.published(uri, version), traces)
            latencies.append(at - sent)
        partial = sum(
            1
            for m in traces
            if m.get("method") == "$/logTrace" and m["params"]["message"].endswith("(partial)")
        )
        rows.append(
            f"| edit -> diagnostics, {count}-line file with "
            f"{len(first['params']['diagnostics'])} diagnostics (median / worst of {repeat}; "
            f"{partial} checked partially) | "
            f"{ms(statistics.median(latencies))} / {ms(max(latencies))} |"
        )
        checks, publications, settle = [], [], []
        for _ in range(3):
            burst = b""
            for _ in range(10):
                version += 1
                burst += _keystroke(uri, version, blank[version % len(blank)])
            seen: list[dict[str, Any]] = []
            sent = client.write(burst)
            at, _ = client.wait(client.published(uri, version), seen)
            settle.append(at - sent)
            checks.append(
                sum(
                    1
                    for m in seen
                    if m.get("method") == "$/logTrace"
                    and m["params"]["message"].startswith("checked ")
                )
            )
            publications.append(
                sum(1 for m in seen if m.get("method") == "textDocument/publishDiagnostics")
            )
        rows.append(
            f"| a burst of 10 keystrokes in one write, 3 times: checks, publications "
            f"| {checks} checks, {publications} publications |"
        )
        rows.append(
            f"| ... until the last version's diagnostics (median / worst) "
            f"| {ms(statistics.median(settle))} / {ms(max(settle))} |"
        )
    finally:
        client.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--lines", type=int, default=2000)
    args = parser.parse_args(argv)
    rows = [
        "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "",
        "| measure | time |",
        "| --- | --- |",
    ]
    with tempfile.TemporaryDirectory(prefix="debt-lints-lsp-bench-") as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".debt-lints-cache"))
        rows += startup(root, args.repeat)
        rows += imports()
        rows += editing(root, args.repeat, args.lines)
    rows += ["", "load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg())]
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
