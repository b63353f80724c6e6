"""Hostile input, round 3 (issue 28): the defects outside the walk, the cache, typing and fixes.

Each test reproduces one repro of ``hostile-round-3.md`` (N7, N11-N16,
N18-N21, N25-N27, N29, N30) and asserts the refusal, the bound or the
correct answer.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from tests.test_hostile import _initialize, _lsp_client, _shutdown


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


# --- N7: the language server reads only the editor's buffers --------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_n7_code_actions_on_unopened_fifo_or_device_read_nothing(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        for name in ("fifo.py", "zero.py"):
            uri = (tmp_path / name).as_uri()
            answer = client.request(  # type: ignore[attr-defined]
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": uri},
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": 0, "character": 0},
                    },
                    "context": {"diagnostics": []},
                },
            )
            assert "error" not in answer and not answer["result"]
            action = {"title": "Fix all", "data": {"uri": uri}}
            resolved = client.request("codeAction/resolve", action)  # type: ignore[attr-defined]
            assert "error" not in resolved and resolved["result"].get("edit") is None
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]
