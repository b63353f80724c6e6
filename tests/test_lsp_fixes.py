"""The language server's quick fixes and "fix all", over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_lsp import TIMEOUT, Client

CONFIG = """[tool.debt-lints]
deprecated-imports = { "pkg.old" = "pkg.new" }
renamed-env-vars = { MAIN_PC_IP = "MAINPC_IP" }
"""
SOURCE = (
    'import os\nfrom pkg.old import f  # why\n\nA = os.environ.get("MAIN_PC_IP", "x\\U0001f600")\n'
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "new.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    # The old module gives pkg.new's own f (and more): the fix is proven safe.
    (tmp_path / "pkg" / "old.py").write_text(
        "from pkg.new import f\n\nLEGACY = 0\n", encoding="utf-8"
    )
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def _apply(text: str, edits: list[dict[str, object]]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: object) -> int:
        assert isinstance(position, dict)
        return offsets[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):  # type: ignore[index]
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])  # type: ignore[index]
        text = text[:start] + str(edit["newText"]) + text[end:]
    return text


def test_quick_fixes_and_fix_all(project: Path) -> None:
    client = Client(project)
    uri = (project / "app.py").as_uri()
    try:
        client.request(
            "initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}}
        )
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
        )
        assert len(client.diagnostics(uri, version=1)) == 2
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}}
        answer = client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}},
        )
        actions = {a["title"]: a for a in answer["result"]}
        safe = actions["Import pkg.new instead of pkg.old (DL101)"]
        assert safe["kind"] == "quickfix" and safe["isPreferred"] is True
        unsafe = actions["Use MAINPC_IP instead of MAIN_PC_IP (DL103) (unsafe)"]
        assert unsafe["isPreferred"] is False
        fixed = _apply(SOURCE, safe["edit"]["changes"][uri])
        assert fixed == SOURCE.replace("pkg.old", "pkg.new")
        renamed = _apply(SOURCE, unsafe["edit"]["changes"][uri])
        assert renamed == SOURCE.replace('"MAIN_PC_IP"', '"MAINPC_IP"')
        fix_all = actions["Fix all safe debt-lints fixes"]
        assert fix_all["kind"] == "source.fixAll.debt-lints"
        assert _apply(SOURCE, fix_all["edit"]["changes"][uri]) == fixed  # the safe ones only

        only = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}},
                "context": {"diagnostics": [], "only": ["quickfix"]},
            },
        )
        # the fix, and suppressing the finding instead
        titles = [a["title"] for a in only["result"]]
        assert titles == [unsafe["title"], "Suppress with # noqa: DL103"]
        assert client.request("shutdown", None)["result"] is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()


def test_fix_all_is_resolved_lazily_when_the_client_can(project: Path) -> None:
    client = Client(project)
    uri = (project / "app.py").as_uri()
    capabilities = {"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}
    try:
        client.request(
            "initialize",
            {"processId": None, "rootUri": project.as_uri(), "capabilities": capabilities},
        )
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
        )
        client.diagnostics(uri, version=1)
        answer = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]},
            },
        )
        (lazy,) = answer["result"]
        assert lazy["kind"] == "source.fixAll.debt-lints" and "edit" not in lazy
        resolved = client.request("codeAction/resolve", lazy)["result"]
        fixed = _apply(SOURCE, resolved["edit"]["changes"][uri])
        assert fixed == SOURCE.replace("pkg.old", "pkg.new")
    finally:
        client.proc.kill()
        client.proc.wait()
