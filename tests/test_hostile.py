"""A hostile repository: every message printable, every bad input a clear exit 2.

debt-lints runs on pull requests from strangers. What such a repository
controls (file names, its configuration, its baseline) must never reach a
terminal or a CI log as something the terminal or the runner obeys, never
hang or exhaust the run, and never end in a traceback (issue 14).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"
INJECTED = "\n::error file=x.py,line=1::INJECTED\x1b[2J\x1b]0;title\x07"


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def baseline_with(repo: Path, **entry: object) -> Path:
    """A baseline holding one (stale) entry, with fields overridden by ``entry``."""
    data: dict[str, object] = {
        "path": "gone.py",
        "code": "DL201",
        "scope": "",
        "hash": "0" * 16,
        "line": 1,
    }
    data.update(entry)
    path = repo / "debt-lints-baseline.json"
    header = json.dumps({"format": "debt-lints-baseline", "version": 1})
    path.write_text(f"[{header}\n,{json.dumps(data)}\n]\n", encoding="utf-8")
    return path


def assert_printable(text: str, commands: bool = False) -> None:
    """No control character but the newline ending each line; no forged command."""
    for line in text.splitlines():
        assert line.isprintable(), repr(line)
        if commands:  # --format github: every line is one annotation of a real file
            assert line.startswith(("::warning file=new", "::error file=new")), repr(line)
        else:
            assert not line.startswith("::"), repr(line)


# --- 4. every message printable --------------------------------------------------


def test_baseline_scope_cannot_print_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "gone.py").write_text("x = 1\n", encoding="utf-8")
    baseline_with(tmp_path, scope=f"f{INJECTED}", path="gone.py")
    assert run(tmp_path, "check", "--ci", "--format", "github", "--no-cache", ".") == 4
    captured = capsys.readouterr()
    assert "INJECTED" in captured.err  # shown, escaped
    assert_printable(captured.err)
    assert_printable(captured.out)


def test_local_prune_message_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "gone.py").write_text("x = 1\n", encoding="utf-8")
    baseline_with(tmp_path, scope=f"f{INJECTED}")
    assert run(tmp_path, "check", "--no-cache", ".") == 0
    captured = capsys.readouterr()
    assert "removed 1 fixed finding" in captured.err
    assert_printable(captured.err)


@pytest.mark.skipif(sys.platform == "win32", reason="newlines in file names")
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_name_with_a_newline_cannot_forge_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    (tmp_path / "new\nx.py:9:1: DL999 forged\x1b[31m.py").write_text(BAD, encoding="utf-8")
    assert run(tmp_path, "check", "-q", "--no-cache", "--format", fmt, ".") == 1
    out = capsys.readouterr().out
    assert_printable(out, commands=fmt == "github")
    lines = out.splitlines()
    assert len(lines) == 2  # DL201 and DL202, each on its own line
    if fmt == "github":  # the newline travels as %0A, the ESC is shown
        shown = "file=new%0Ax.py%3A9%3A1%3A DL999 forged\\x1b[31m.py,"
    else:
        shown = "new\\x0ax.py:9:1: DL999 forged\\x1b[31m.py:"
    assert all(shown in line for line in lines), lines


def test_configuration_error_message_is_one_printable_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nbaseline = "bad\\u001b[2J\\nname.json"\n', encoding="utf-8"
    )
    (tmp_path / "bad\x1b[2J\nname.json").write_text("not json", encoding="utf-8")
    assert run(tmp_path, "check", ".") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert_printable(err)


# --- 3. guarded reads of the baseline and the configuration ---------------------


def run_subprocess(repo: Path, *args: str, timeout: float = 120) -> tuple[int, str, str]:
    """The CLI in a child process: a hang fails the test instead of stalling the suite."""
    import subprocess

    env = {**os.environ, "CI": ""}
    done = subprocess.run(
        [sys.executable, "-m", "debt_lints", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_baseline_fifo_is_refused_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    os.mkfifo(tmp_path / "debt-lints-baseline.json")
    code, _, err = run_subprocess(tmp_path, "check", "--no-cache", ".", timeout=60)
    assert code == 2, err
    assert "not a regular file" in err and "baseline" in err


def test_oversized_configuration_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.config import MAX_CONFIG_SIZE

    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    padding = "# " + "x" * 78 + "\n"
    text = "[tool.debt-lints]\n" + padding * (MAX_CONFIG_SIZE // len(padding) + 1)
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    assert "the limit for the configuration" in capsys.readouterr().err


# --- 5. every bad configuration is a clear exit 2 ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'tool.debt-lints.select = ["DL2"]\nbroken = = 1\n',
        '[tool]\ndebt-lints = { select = ["DL2"] }\n[broken\n',
        '[tool."debt-lints"]\nselect = ["DL2"\n',
    ],
    ids=["dotted", "inline", "quoted"],
)
def test_unparsable_pyproject_with_our_table_in_any_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "invalid TOML" in err


def test_unparsable_pyproject_of_another_tool_is_not_ours(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\ndependencies = ["debt-lints"]\n[broken\n', encoding="utf-8"
    )
    assert run(tmp_path, "check", "--no-cache", ".") == 0


@pytest.fixture()
def usual_recursion_limit() -> Iterator[None]:
    """The interpreter's default limit, whatever a library an earlier test ran set it to."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


DEEP_TOML = '[tool.debt-lints]\nselect = ["DL2"]\n[other]\nx = ' + "[" * 500 + "]" * 500 + "\n"


@pytest.mark.usefixtures("usual_recursion_limit")
def test_toml_nested_500_deep_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(DEEP_TOML, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    assert "nested too deeply" in capsys.readouterr().err


@pytest.mark.usefixtures("usual_recursion_limit")
def test_toml_nested_500_deep_through_a_host_configuration(tmp_path: Path) -> None:
    """flake8 and pylint (``--debt-lints-config``) and the language server's ``config``."""
    from debt_lints.hosts.session import HostSession

    deep = tmp_path / "deep.toml"
    deep.write_text(DEEP_TOML, encoding="utf-8")
    session = HostSession(str(deep), cwd=tmp_path)
    assert session.explicit_error is not None and "nested too deeply" in session.explicit_error
    result = session.check("x = 1\n", "a.py")
    assert result.problems() and "nested too deeply" in result.problems()[0]


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('baseline = "a\\u0000b"', "baseline"),
        ('select = [" "]', "select"),
        ('ignore = [""]', "ignore"),
        ('per-file-ignores = { "*.py" = [" "] }', "per-file-ignores"),
        ("[tool.debt-lints.report]\ncolour = true", "report"),
        ("[tool.debt-lints.typing]\nflags = 3", "typing"),
        ("[tool.debt-lints.typing]\npakages = []", "typing"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, key: str
) -> None:
    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f"[tool.debt-lints]\n{table}\n", encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and key in err, err


@pytest.mark.usefixtures("usual_recursion_limit")
def test_baseline_json_100000_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "debt-lints-baseline.json").write_text(
        "[" * 100_000 + "]" * 100_000, encoding="utf-8"
    )
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "debt-lints-baseline.json" in err and "nested too deeply" in err


def test_baseline_entry_with_a_50_kb_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    baseline_with(tmp_path, path="d/" * 25_000 + "a.py")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "debt-lints-baseline.json:2" in err and "longer than" in err
    assert len(err) < 1000


# --- 2. nothing inside the checked tree runs through configuration --------------

PLUGIN = """\
from pathlib import Path

from mypy.plugin import Plugin

Path(__file__).with_name("RAN").write_text("plugin ran")


def plugin(version: str) -> type[Plugin]:
    return Plugin
"""


def typing_repo(tmp_path: Path, typing_table: str, mypy_ini: str | None = None) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "m.py").write_text("def f(x: int) -> int:\n    return x\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(
        f"[tool.debt-lints.typing]\n{typing_table}\n", encoding="utf-8"
    )
    if mypy_ini is not None:
        (repo / "mypy.ini").write_text(mypy_ini, encoding="utf-8")
    (repo / "evil_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (repo / "evil.sh").write_text("#!/bin/sh\necho ran > RAN\n", encoding="utf-8")
    (repo / "evil.sh").chmod(0o755)
    return repo


@pytest.mark.parametrize(
    ("table", "ini"),
    [
        ('mypy-config = "mypy.ini"', "[mypy]\nplugins = evil_plugin.py\n"),
        ('mypy-config = "mypy.ini"', "[mypy]\nplugins = evil_plugin\n"),
        ('mypy-config = "mypy.ini"', "[mypy]\npython_executable = ./evil.sh\n"),
        ('flags = ["--python-executable", "./evil.sh"]', None),
        ('flags = ["--python-exec=./evil.sh"]', None),
        ('flags = ["--config-file", "mypy.ini"]', "[mypy]\nplugins = evil_plugin.py:plugin\n"),
    ],
    ids=["plugin-file", "plugin-module", "ini-executable", "flag", "abbreviated", "flag-config"],
)
def test_repository_code_is_never_run_by_mypy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, ini: str | None
) -> None:
    pytest.importorskip("mypy")
    repo = typing_repo(tmp_path, table, ini)
    assert run(repo, "typing") == 2
    err = capsys.readouterr().err
    assert "inside the checked tree" in err and "--allow-local-plugins" in err
    assert len(err.splitlines()) == 1
    assert not (repo / "RAN").exists()


def test_the_command_line_may_allow_a_local_plugin(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    repo = typing_repo(tmp_path, 'mypy-config = "mypy.ini"', "[mypy]\nplugins = evil_plugin.py\n")
    assert run(repo, "typing", "--allow-local-plugins") == 0
    assert (repo / "RAN").exists()


def test_installed_plugins_keep_working(tmp_path: Path) -> None:
    """``pydantic.mypy``'s case: a plugin module of an installed package is no tree code."""
    pytest.importorskip("mypy")
    from debt_lints.strict.trust import check_mypy_trust

    ini = tmp_path / "mypy.ini"
    ini.write_text("[mypy]\nplugins = mypy.plugins.proper_plugin\n", encoding="utf-8")
    check_mypy_trust((), ini, tmp_path, [str(tmp_path)], allow_local=False)


@pytest.mark.parametrize(
    "table",
    [
        'flags = ["--cache-dir", "../outside"]',
        'flags = ["--junit-xml=../outside/j.xml"]',
        'flags = ["--install-types", "--non-interactive"]',
    ],
)
def test_mypy_writes_nothing_outside_and_installs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    pytest.importorskip("mypy")
    (tmp_path / "outside").mkdir()
    repo = typing_repo(tmp_path, table)
    assert run(repo, "typing") == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert list((tmp_path / "outside").iterdir()) == []


# --- also found -----------------------------------------------------------------


@pytest.mark.parametrize("decode", ["python", "text"])
@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xef\xbb\xbfx = 1\ny = 2\nz = 3 # \xff\n", 3, 9),
        (b"\xef\xbb\xbfab\xff\n", 1, 3),
    ],
)
def test_bom_and_an_invalid_byte_report_the_right_place(
    decode: str, data: bytes, line: int, column: int
) -> None:
    from debt_lints.core.source import SourceProblem, decode_python, decode_text

    problem = (decode_python if decode == "python" else decode_text)(data)
    assert isinstance(problem, SourceProblem)
    assert (problem.line, problem.column) == (line, column)
    assert "b'\\xff'" in problem.message


def test_yaml_stream_of_many_documents_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document's scalars are sorted once, not the whole list again per document.

    Counted, not timed: every sort of the accumulated list reads each scalar's
    ``line`` once, so re-sorting per document reads it n(n+1)/2 times.
    ``bench/yaml_documents.py`` shows the time.
    """
    from debt_lints.analysis import yamlwalk
    from debt_lints.analysis.context import YamlScalar

    reads = 0

    class Counted(YamlScalar):
        def __getattribute__(self, name: str) -> object:
            nonlocal reads
            if name == "line":
                reads += 1
            return super().__getattribute__(name)

    monkeypatch.setattr(yamlwalk, "YamlScalar", Counted)
    documents = 2000
    found = yamlwalk.scalars("--- a\n" * documents)
    assert isinstance(found, list) and len(found) == documents
    assert [s.line for s in found] == list(range(1, documents + 1))
    assert reads < 5 * documents


def _child(repo: Path, args: list[str], *, stdout: int | None, close: str = "") -> tuple[int, str]:
    """Run the CLI with a given stdout (``close`` = ``">&-"`` or ``"2>&-"`` closes one)."""
    import subprocess

    command = [sys.executable, "-m", "debt_lints", *args]
    if close:
        command = ["sh", "-c", f'exec "$@" {close}', "sh", *command]
    done = subprocess.run(
        command,
        cwd=repo,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        env={**os.environ, "CI": ""},
        check=False,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


def _broken_pipe() -> int:
    """The write end of a pipe whose reader is already gone: every write is EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize(("source", "status"), [("x = 1\n", 0), (BAD, 1)])
def test_broken_pipe_keeps_the_run_status_and_prints_no_traceback(
    tmp_path: Path, source: str, status: int
) -> None:
    (tmp_path / "a.py").write_text(source, encoding="utf-8")
    pipe = _broken_pipe()
    try:
        code, err = _child(tmp_path, ["check", "--no-cache", "--format", "json", "."], stdout=pipe)
    finally:
        os.close(pipe)
    assert code == status, err
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_version_with_stdout_closed_or_broken(tmp_path: Path) -> None:
    code, err = _child(tmp_path, ["--version"], stdout=None, close=">&-")
    assert (code, err) == (0, "")
    pipe = _broken_pipe()
    try:
        code, err = _child(tmp_path, ["--version"], stdout=pipe)
    finally:
        os.close(pipe)
    assert (code, err) == (0, "")


JSON_BAD_SELECT = ["check", "--select", "NOPE", "--format", "json", "."]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_closed_stderr_never_puts_error_text_into_stdout(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-m", "debt_lints", *JSON_BAD_SELECT],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""


def test_unreadable_directory_is_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Simulated (the tests may run as root, who reads every directory)."""
    import errno

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("x = 1\n", encoding="utf-8")
    locked = str(tmp_path / "sub")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path: object = ".") -> object:
        if os.path.abspath(str(path)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]  # passthrough

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.abspath(str(path)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]  # passthrough

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    for given in (".", "sub"):
        assert (
            run(tmp_path, "check", "-q", "--format", "concise", "--no-cache", "-j", "1", given) == 1
        )
        out = capsys.readouterr().out
        assert out.splitlines() == ["sub:1:1: DL001 cannot read directory: Permission denied"]


def test_directory_deeper_than_the_path_limit_is_one_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for level in range(25):  # 25 x 202 characters: past PATH_MAX (4096)
            name = f"{level:02d}" + "d" * 200
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        handle = os.open("z.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(handle, b"x = 1\n")
        os.close(handle)
    finally:
        os.close(fd)
    assert run(tmp_path, "check", "-q", "--format", "concise", "--no-cache", "-j", "1", ".") == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and "DL001 path longer than the operating system" in out


# --- the language server -----------------------------------------------------


def _lsp_client(cwd: Path) -> object:
    from tests.test_lsp import Client

    return Client(cwd)


def _initialize(client: object, root: Path) -> None:
    client.request(  # type: ignore[attr-defined]  # tests.test_lsp.Client
        "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
    )
    client.notify("initialized", {})  # type: ignore[attr-defined]


def _shutdown(client: object) -> None:
    assert client.request("shutdown", None)["result"] is None  # type: ignore[attr-defined]
    client.notify("exit", None)  # type: ignore[attr-defined]
    client.proc.wait(timeout=30)  # type: ignore[attr-defined]


def _open(client: object, uri: str, text: str) -> list[dict[str, object]]:
    client.notify(  # type: ignore[attr-defined]
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    found: list[dict[str, object]] = client.diagnostics(uri, version=1)  # type: ignore[attr-defined]
    return found


def test_lsp_survives_malformed_headers(tmp_path: Path) -> None:
    client = _lsp_client(tmp_path)
    stdin = client.proc.stdin  # type: ignore[attr-defined]
    try:
        stdin.write(b'Content-Length: -5\r\n\r\n{"jsonrpc": "2.0", "method": "x"}')
        stdin.write(b"Content-Length: nope\n\n{}")
        stdin.flush()
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            }
        ).encode()
        stdin.write(b"Content-Length: %d\n\n" % len(body) + body)  # LF-only framing
        stdin.flush()
        answer = client.wait(lambda m: m.get("id") == 1)  # type: ignore[attr-defined]
        assert answer["result"]["serverInfo"]["name"] == "debt-lints"
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_lsp_did_save_of_an_unopened_fifo_or_device(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        for uri in ((tmp_path / "pipe.py").as_uri(), "file:///dev/zero.py", "file:///dev/zero"):
            client.notify(  # type: ignore[attr-defined]
                "textDocument/didSave", {"textDocument": {"uri": uri}}
            )
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


def test_lsp_buffer_over_max_file_size(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.debt-lints]\nmax-file-size = 100\n", encoding="utf-8"
    )
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        (diagnostic,) = _open(client, (tmp_path / "big.py").as_uri(), BAD * 10)
        assert diagnostic["code"] == "DL001" and "over max-file-size" in str(diagnostic["message"])
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


def test_lsp_configuration_that_cannot_load_is_a_dl000(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(DEEP_TOML, encoding="utf-8")
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        (diagnostic,) = _open(client, (tmp_path / "a.py").as_uri(), "x = 1\n")
        assert diagnostic["code"] == "DL000"
        assert "could not check this file" in str(diagnostic["message"])
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


def test_lsp_nul_in_uri_is_no_syntax_error(tmp_path: Path) -> None:
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        assert _open(client, tmp_path.as_uri() + "/a%00b.py", "x = 1\n") == []
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


def test_lsp_publishing_splits_the_buffer_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing was O(findings x lines): ``document.lines`` re-split per diagnostic."""
    from lsprotocol import types
    from pygls.workspace import TextDocument

    from debt_lints.adapters.lsp import build_server

    splits = 0
    original = TextDocument.lines

    def counted(self: TextDocument) -> list[str]:
        nonlocal splits
        splits += 1
        return original.fget(self)  # type: ignore[no-any-return, attr-defined]  # property

    monkeypatch.setattr(TextDocument, "lines", property(counted))
    server = build_server()
    published: list[types.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)
    from pygls.workspace import Workspace

    server.protocol._workspace = Workspace(None)  # what initialize would set up
    uri = "file:///nowhere/many.py"
    text = "import sys\n" + "sys.path.append('x')\n" * 300
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
    server.workspace.put_text_document(item)
    handler = server.protocol.fm.features[types.TEXT_DOCUMENT_DID_OPEN]
    handler(types.DidOpenTextDocumentParams(text_document=item))
    assert len(published) == 1 and len(published[0].diagnostics) >= 300
    assert splits <= 3


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_report_shows_baseline_names_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    baseline_with(tmp_path, path="d\x1b[2J/x.py", scope=f"f{INJECTED}", reason=f"r{INJECTED}")
    assert run(tmp_path, "report", "--no-history", "--format", fmt) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("::") for line in out.splitlines())


def test_lsp_initialize_with_a_deep_configuration_answers(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text(DEEP_TOML, encoding="utf-8")
    client = _lsp_client(tmp_path)
    try:
        answer = client.request(  # type: ignore[attr-defined]
            "initialize",
            {
                "processId": None,
                "rootUri": tmp_path.as_uri(),
                "capabilities": {},
                "initializationOptions": {"config": str(tmp_path / "deep.toml")},
            },
        )
        assert answer["result"]["serverInfo"]["name"] == "debt-lints"
        client.notify("initialized", {})  # type: ignore[attr-defined]
        (diagnostic,) = _open(client, (tmp_path / "a.py").as_uri(), "x = 1\n")
        assert diagnostic["code"] == "DL000" and "nested too deeply" in str(diagnostic["message"])
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]


def test_unreadable_pyproject_is_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Simulated EACCES (the tests may run as root): it may hold our table, so it is an error."""
    import errno
    import io

    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.debt-lints]\nselect = ["DL5"]\n', "utf-8")
    denied = str(tmp_path / "pyproject.toml")
    real_os_open, real_io_open = os.open, io.open

    def refuse(path: object) -> None:
        if os.path.abspath(str(path)) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def os_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        refuse(path)
        return real_os_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]  # passthrough

    def io_open(path: object, *args: object, **kwargs: object) -> object:
        refuse(path)
        return real_io_open(path, *args, **kwargs)  # type: ignore[call-overload]  # passthrough

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    assert run(tmp_path, "check", "--no-cache", "--jobs", "1", ".") == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "Permission denied" in err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_baseline_linked_to_dev_zero_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "debt-lints-baseline.json").symlink_to("/dev/zero")
    assert run(tmp_path, "check", "--no-cache", ".") == 2
    assert "outside the project root" in capsys.readouterr().err


def test_special_baseline_inside_the_root_is_refused_unread(tmp_path: Path) -> None:
    """The guarded read itself: a device reached without leaving the root is not read."""
    from debt_lints.baseline.store import BaselineError, load

    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    with pytest.raises(BaselineError, match="not a regular file"):
        load(Path("/dev/zero"))


# --- per-directory configuration stays inside the repository ---------------------


@pytest.mark.parametrize("spelling", ["absolute", "relative"])
def test_extend_leading_outside_the_repository_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "base.toml").write_text('ignore = ["DL"]\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    target = str(outside / "base.toml") if spelling == "absolute" else "../outside/base.toml"
    (repo / "pyproject.toml").write_text(
        f"[tool.debt-lints]\nextend = {json.dumps(target)}\n", encoding="utf-8"
    )
    assert run(repo, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert "extend" in err and "outside the project root" in err, err


def test_nested_pyproject_linked_outside_the_repository_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.toml").write_text('[tool.debt-lints]\nignore = ["DL"]\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pkg").mkdir()
    (repo / "pkg" / "a.py").write_text(BAD, encoding="utf-8")
    (repo / "pkg" / "pyproject.toml").symlink_to(outside / "evil.toml")
    assert run(repo, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "outside the project root" in err, err
    # Without the link, the same file finds the debt the outside file would hide.
    (repo / "pkg" / "pyproject.toml").unlink()
    assert run(repo, "check", "--no-cache", "--output-format", "concise", ".") == 1
    assert "DL201" in capsys.readouterr().out


def _monorepo_with(tmp_path: Path) -> Path:
    repo = tmp_path / "work" / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "pkg").mkdir()
    (repo / "pkg" / "x.py").write_text(BAD, encoding="utf-8")
    # A valid configuration outside the repository: followed, it would apply silently.
    (tmp_path / "work" / "outside.toml").write_text('select = ["DL3"]\n', encoding="utf-8")
    return repo


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside.toml"])
def test_a_committed_extend_never_reads_outside_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    repo = _monorepo_with(tmp_path)
    (repo / "pkg" / "pyproject.toml").write_text(
        f'[tool.debt-lints]\nextend = "{target}"\n', encoding="utf-8"
    )
    assert run(repo, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "extend" in err and "outside the project root" in err, err
    assert "Traceback" not in err and "root:" not in err  # /etc/passwd was not read
    from debt_lints.hosts.session import HostSession

    result = HostSession(cwd=repo).check(BAD, "pkg/x.py")
    assert result.config_error is not None and "outside the project root" in result.config_error


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_pyproject_linked_outside_the_repository_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _monorepo_with(tmp_path)
    elsewhere = tmp_path / "work" / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL3"]\n', encoding="utf-8"
    )
    (repo / "pkg" / "pyproject.toml").symlink_to(elsewhere / "pyproject.toml")
    assert run(repo, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "outside the project root" in err, err
    assert "Traceback" not in err
