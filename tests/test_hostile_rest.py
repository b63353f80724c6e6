"""Hostile input, round 3 (issue 28): the defects outside the walk, the cache, typing and fixes.

Each test reproduces one repro of ``hostile-round-3.md`` (N7, N11-N16,
N18-N21, N25-N27, N29, N30) and asserts the refusal, the bound or the
correct answer.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_hostile import _initialize, _lsp_client, _shutdown, run

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


# --- N12, N13: map --write-config reads guarded, writes only inside the root -----


def _copied_family(repo: Path) -> None:
    """``legacy/helpers.py``, a copy of ``common/helpers.py``: map suggests one entry."""
    (repo / ".git").mkdir(parents=True)
    for package in ("common", "legacy"):
        (repo / package).mkdir()
        (repo / package / "__init__.py").write_text("", encoding="utf-8")
    helpers = "\n\n".join(
        f"def {n}(items):\n    total = 0\n    for item in items:\n"
        f"        if item > {i}:\n            total += item * {i}\n"
        f"        else:\n            total -= item\n    return total + {i}\n"
        for i, n in enumerate("abcd")
    )
    (repo / "common" / "helpers.py").write_text(helpers, encoding="utf-8")
    (repo / "legacy" / "helpers.py").write_text(helpers, encoding="utf-8")
    (repo / "use.py").write_text("from common.helpers import a\n", encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_n12_map_write_config_refuses_a_fifo_pyproject_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _copied_family(tmp_path)
    os.mkfifo(tmp_path / "pyproject.toml")
    assert run(tmp_path, "map", "--write-config") == 2
    assert "not a regular file (a FIFO); not read" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_n12_write_config_reads_the_file_guarded(tmp_path: Path) -> None:
    from debt_lints.config import ConfigError
    from debt_lints.repo.report import write_config

    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="not a regular file"):
        write_config(tmp_path / "pyproject.toml", {"legacy.helpers": "common.helpers"})


@pytest.mark.parametrize(
    "text",
    [
        '[tool]\ndebt-lints = { select = ["DL"] }\n',
        "[tool.debt-lints]\n[other]\nx = " + "[" * 300 + "]" * 300 + "\n",
    ],
    ids=["inline-table", "300-deep-array"],
)
def test_n12_map_write_config_on_a_file_tomlkit_cannot_edit_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    _copied_family(tmp_path)
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", "-q", "use.py") == 0  # check accepts it
    capsys.readouterr()
    assert run(tmp_path, "map", "--write-config") == 2
    err = capsys.readouterr().err
    assert "cannot update the file automatically" in err and "internal error" not in err
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == text


def test_n13_map_write_config_never_writes_the_parent_folders_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "sib" / "pyproject.toml"
    repo = tmp_path / "sib" / "repo"
    _copied_family(repo)
    parent.write_text("[tool.debt-lints]\n", encoding="utf-8")
    assert run(repo, "map", "--write-config") == 2
    err = capsys.readouterr().err
    assert "outside the project root" in err and "internal error" not in err
    assert parent.read_text(encoding="utf-8") == "[tool.debt-lints]\n"
    assert not (repo / "pyproject.toml").exists()


def test_n13_map_write_config_never_writes_through_a_link_out_of_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    _copied_family(repo)
    victim = tmp_path / "victim.toml"
    victim.write_text("x = 1\n", encoding="utf-8")
    (repo / "pyproject.toml").symlink_to(victim)
    assert run(repo, "map", "--write-config") == 2
    assert "outside the project root" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "x = 1\n"
    assert (repo / "pyproject.toml").is_symlink()


# --- N15: a deep chain of star imports ---------------------------------------------


def test_n15_a_thousand_deep_star_import_chain_is_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { "old" = "s0" }\n', encoding="utf-8"
    )
    for i in range(999):
        (tmp_path / f"s{i}.py").write_text(f"from s{i + 1} import *\n", encoding="utf-8")
    (tmp_path / "s999.py").write_text("def f(): pass\n", encoding="utf-8")
    (tmp_path / "old.py").write_text("def f(): pass\n", encoding="utf-8")
    (tmp_path / "u.py").write_text("from old import f\n", encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", "--select", "DL101", "u.py") == 1
    out, err = capsys.readouterr()
    assert "u.py:1:1: DL101" in out and "internal error" not in err
    # The chain is followed to its end: s0 is known to provide f (a fix, not
    # "does not define f" nor "whether s0 defines f is not known"). old's f is
    # its own object, so the fix is unsafe (issue 24) and --unsafe-fixes applies it.
    assert (
        run(tmp_path, "check", "--no-cache", "--select", "DL101", "--output-format", "json", "u.py")
        == 1
    )
    out, err = capsys.readouterr()
    assert '"applicability": "unsafe"' in out and "defines f" not in out, out
    assert "internal error" not in err
    args = ("check", "--no-cache", "--select", "DL101", "--fix", "--unsafe-fixes", "u.py")
    assert run(tmp_path, *args) == 0
    assert (tmp_path / "u.py").read_text(encoding="utf-8") == "from s0 import f\n"


def test_n15_star_names_keep_their_meaning(tmp_path: Path) -> None:
    from debt_lints.index.project import Project

    files = {
        "a.py": "from b import *\nfrom c import *\n_private = 1\nown = 2\n",
        "b.py": "__all__ = ['listed']\nlisted = 1\nhidden = 2\n",
        "c.py": "from a import *\nfrom d import *\nc_name = 1\n_c_private = 2\n",
        "d.py": "d_name = 1\n",
        "e.py": "x = 1\nfrom d import *\nfrom missing import *\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = Project(tmp_path, (".",))
    assert project.defined_names("a") == {"_private", "own", "listed", "c_name", "d_name"}
    assert project.exported_names("c") == {"c_name", "d_name", "own", "listed"}
    assert project.exported_names("b") == {"listed"}
    assert project.defined_names("e") is None
    for i in range(3000):
        (tmp_path / f"s{i}.py").write_text(f"from s{i + 1} import *\n", encoding="utf-8")
    (tmp_path / "s3000.py").write_text("_x = 1\ndeep = 1\n", encoding="utf-8")
    project = Project(tmp_path, (".",))
    assert project.defined_names("s0") == {"deep"}
    assert project.provides("s0", "deep") is True


# --- N16: standard input is bounded by max-file-size ---------------------------------


class _Counting(io.RawIOBase):
    """An endless stream of newlines (``/dev/zero`` as valid source) counting what is read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.read_bytes > 50_000_000:  # far past any limit: the read is unbounded
            raise AssertionError("standard input read without a bound")
        size = len(buffer)
        buffer[:size] = b"\n" * size
        self.read_bytes += size
        return size


def test_n16_endless_standard_input_is_read_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.debt-lints]\nmax-file-size = 100000\n", encoding="utf-8"
    )
    raw = _Counting()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    status = run(tmp_path, "check", "--no-cache", "-")
    out = capsys.readouterr().out
    assert status == 1 and "DL001 input is over max-file-size (100000 bytes)" in out
    assert raw.read_bytes <= 100001 + 2 * io.DEFAULT_BUFFER_SIZE


def test_n16_standard_input_over_max_file_size_is_one_dl001(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.debt-lints]\nmax-file-size = 1000\n", encoding="utf-8"
    )
    bad = "import sys\nsys.path.insert(0, '/srv/app')\n" * 20000  # 600 kB of findings
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bad.encode())))
    assert run(tmp_path, "check", "--no-cache", "--output-format", "concise", "-") == 1
    (line,) = capsys.readouterr().out.splitlines()[:-1] or [""]
    assert line.startswith("-:1:1: DL001 input is over max-file-size (1000 bytes)")


# --- N27: closed standard input ----------------------------------------------------


def test_n27_closed_standard_input_is_a_clear_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(  # the review's repro: debt-lints check - <&-
        ["sh", "-c", 'exec "$0" -m debt_lints check --no-cache - <&-', sys.executable],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "debt-lints: error: '-': standard input is closed; there is nothing to check"
    )


# --- N14, N30: extend chains, nested and long ---------------------------------------


def _nested_extends(root: Path, depth: int) -> Path:
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    directory = root
    for i in range(depth):
        directory = directory / f"n{i}"
        directory.mkdir()
        (directory / "pyproject.toml").write_text(
            '[tool.debt-lints]\nextend = "../pyproject.toml"\n', encoding="utf-8"
        )
    (directory / "m.py").write_text("import sys\nsys.path.insert(0, '/srv/app')\n")
    return directory


def test_n14_nested_extends_read_and_resolve_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints import config

    depth = 120
    deepest = _nested_extends(tmp_path, depth)
    calls = {"tables": 0, "lstat": 0}
    own_table, lstat = config._own_table, os.lstat

    def counting_table(path: Path, *, explicit: bool) -> Any:
        calls["tables"] += 1
        return own_table(path, explicit=explicit)

    def counting_lstat(path: Any, *args: Any, **kwargs: Any) -> Any:
        calls["lstat"] += 1
        return lstat(path, *args, **kwargs)

    monkeypatch.setattr(config, "_own_table", counting_table)
    monkeypatch.setattr(os, "lstat", counting_lstat)
    assert run(tmp_path, "check", "--no-cache", "--no-baseline", "-q") == 1
    assert f"{deepest.relative_to(tmp_path).as_posix()}/m.py:2:" in capsys.readouterr().out
    # Each file's chain is resolved once (not once per directory below it), and
    # each folder's real path once (not once per path through it): linear.
    assert calls["tables"] <= 4 * (depth + 1)
    assert calls["lstat"] <= 10 * (depth + 1)


def test_n14_resolve_memo_agrees_with_realpath(tmp_path: Path) -> None:
    from debt_lints.config import ResolveMemo

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "a" / "b" / "f").write_text("", encoding="utf-8")
    memo = ResolveMemo()
    for text in (
        "a/b/f",
        "link/b/f",
        "link/b/../../a/./b//f",
        "link/up/link/b",
        "a/up/a/up/link/b/missing/x",
        "loop/x",
        "link/",
        ".",
    ):
        path = tmp_path / text
        assert memo.real(path) == Path(os.path.realpath(path)), text
        assert memo.real(path) == Path(os.path.realpath(path)), text  # from the memo
    cwd = os.getcwd()
    os.chdir(tmp_path / "link")
    try:
        assert memo.real("b/../b/f") == Path(os.path.realpath("b/../b/f"))
    finally:
        os.chdir(cwd)


def _extend_chain(root: Path, length: int) -> None:
    (root / "pyproject.toml").write_text(
        "[tool.debt-lints]\nextend = 'c0.toml'\n", encoding="utf-8"
    )
    for i in range(length):
        (root / f"c{i}.toml").write_text(f"extend = 'c{i + 1}.toml'\n", encoding="utf-8")
    (root / f"c{length}.toml").write_text("max-file-size = 12345\n", encoding="utf-8")
    (root / "a.py").write_text("x = 1\n", encoding="utf-8")


def test_n30_a_long_extend_chain_is_refused_with_a_clear_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _extend_chain(tmp_path, 3000)
    assert run(tmp_path, "check", "--no-cache", "a.py") == 2
    err = capsys.readouterr().err
    assert "extend: the chain of configurations is longer than 1000 files" in err
    assert "pyproject.toml" in err and "invalid TOML" not in err


def test_n30_a_chain_under_the_limit_is_followed_to_its_end(tmp_path: Path) -> None:
    from debt_lints.config import load_file

    _extend_chain(tmp_path, 990)
    assert load_file(tmp_path / "pyproject.toml").max_file_size == 12345


# --- N29: a pyproject.toml link that leaves the root is refused unread --------------


@pytest.mark.parametrize(
    "outside",
    ["[tool.debt-lints\nbroken =", "[project]\nname = 'x'\n", "[tool.debt-lints]\n"],
    ids=["broken", "without-table", "with-table"],
)
def test_n29_pyproject_link_out_of_the_root_is_refused_before_it_is_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    outside: str,
) -> None:
    from debt_lints import config

    victim = tmp_path / "victim" / "secret.toml"
    victim.parent.mkdir()
    victim.write_text(outside, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "pyproject.toml").symlink_to(victim)
    opened: list[str] = []
    read_guarded = config.read_guarded

    def recording(path: Path, max_size: int, what: str) -> bytes:
        opened.append(os.path.realpath(path))
        return read_guarded(path, max_size, what)

    monkeypatch.setattr(config, "read_guarded", recording)
    assert run(repo, "check", "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "outside the project root" in err and "invalid TOML" not in err
    assert str(victim) not in opened


# --- N21: a baseline path of 2,000 components ---------------------------------------


@pytest.mark.parametrize("ci", [False, True], ids=["check", "check-ci"])
def test_n21_a_2000_component_baseline_path_does_not_abort_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ci: bool
) -> None:
    from tests.test_hostile import baseline_with

    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nextend-exclude = ["vendor"]\n', encoding="utf-8"
    )
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    path = "d/" * 2000 + "x.py"
    assert len(path) < 4096
    baseline_with(tmp_path, path=path)
    status = run(tmp_path, "check", "--no-cache", *(["--ci"] if ci else []), ".")
    err = capsys.readouterr().err
    assert status != 3 and "internal error" not in err
    # The entry was weighed (stale under --ci, pruned otherwise), not skipped.
    assert ("the baseline is stale: 1 entry" if ci else "removed 1 fixed finding") in err


def test_n21_nested_excludes_keep_their_meaning() -> None:
    from debt_lints.config import _exclude_matcher

    matches = _exclude_matcher(("build", "*.gen.py"), nested=True)
    assert matches("a/build/x.py") and matches("build") and matches("a/b/c.gen.py")
    assert not matches("a/b/x.py") and not matches("builder/x.py")
    assert matches("d/" * 3000 + "build/x.py") and matches("build/" + "d/" * 3000 + "x.py")
    assert not matches("d/" * 3000 + "x.py")
    assert matches("a/build/y.py") and not matches("a/b/y.py")  # answers from the memo


# --- N18, N19: notebooks -------------------------------------------------------------


def _notebook(path: Path, *sources: object) -> None:
    import json

    cells = [{"cell_type": "code", "metadata": {}, "source": s} for s in sources]
    path.write_text(json.dumps({"cells": cells, "nbformat": 4}), encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100000 + "]" * 100000, "JSON nested too deeply"),
        (
            '{"cells":[{"cell_type":"code","source":[1,2]}]}',
            "the source of cell 1 is not a list of strings",
        ),
    ],
    ids=["deep", "source-not-strings"],
)
def test_n18_malformed_notebook_shapes_are_dl001_not_internal_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (tmp_path / "bad.ipynb").write_text(text, encoding="utf-8")
    _notebook(tmp_path / "good.ipynb", "import sys\nsys.path.insert(0, '/srv/app')\n")
    assert run(tmp_path, "check", "--no-cache", "--output-format", "concise", ".") == 1
    out, err = capsys.readouterr()
    assert "internal error" not in out + err
    assert f"bad.ipynb:1:1: DL001 cannot read notebook: {message}" in out
    assert "good.ipynb:cell 1:2:1: DL201" in out


def test_n19_notebook_cells_split_where_python_splits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _notebook(
        tmp_path / "nb.ipynb",
        ["s = 'a\u2028b'\n", "t = 'c\x85d'\n"],
        ["x = 1 \x0c\n", "import sys\n", "sys.path.insert(0, '/srv/app')\n"],
    )
    assert run(tmp_path, "check", "--no-cache", "--output-format", "json", "nb.ipynb") == 1
    import json

    found = json.loads(capsys.readouterr().out)
    assert {(f["code"], f.get("cell"), f["line"]) for f in found} == {
        ("DL201", 2, 3),
        ("DL202", 2, 3),
    }


# --- N11: shims --write never writes a shim that does not compile or import ---------


def _shim_project(root: Path, new_module: str) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { "old.mod" = "new.mod" }\n', encoding="utf-8"
    )
    for package in ("old", "new"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("", encoding="utf-8")
    (root / "new" / "mod.py").write_text(new_module, encoding="utf-8")
    old = root / "old" / "mod.py"
    old.write_text("def f():\n    return 1\n", encoding="utf-8")
    return old


def _imports(root: Path, module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", f"import {module}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_n11_a_stale_all_entry_is_left_out_and_the_shim_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _shim_project(tmp_path, '__all__ = ["f", "gone"]\n\n\ndef f():\n    return 2\n')
    assert run(tmp_path, "shims", "--write") == 0
    err = capsys.readouterr().err
    assert "old/mod.py: replaced by a shim of new.mod" in err
    assert "left out of the shim: 'gone'" in err
    assert "gone" not in old.read_text(encoding="utf-8")
    done = _imports(tmp_path, "old.mod")
    assert done.returncode == 0, done.stderr


def test_n11_a_name_that_is_no_identifier_never_reaches_the_shim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _shim_project(
        tmp_path, '__all__ = ["f", "not-valid name", "class"]\n\n\ndef f():\n    return 2\n'
    )
    assert run(tmp_path, "shims", "--write") == 0
    assert "left out of the shim: 'not-valid name', 'class'" in capsys.readouterr().err
    compile(old.read_text(encoding="utf-8"), str(old), "exec")
    assert _imports(tmp_path, "old.mod").returncode == 0


def test_n11_a_shim_that_would_not_compile_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.fixes import shims

    old = _shim_project(tmp_path, "def f():\n    return 2\n")
    before = old.read_text(encoding="utf-8")
    render = shims.render
    monkeypatch.setattr(shims, "render", lambda *a: render(*a) + "def broken(:\n")
    assert run(tmp_path, "shims", "--write") == 0
    err = capsys.readouterr().err
    assert "not written: the generated shim does not compile" in err
    assert old.read_text(encoding="utf-8") == before


# --- N20: the language server and a path past PATH_MAX ------------------------------


def test_n20_a_document_past_path_max_gets_its_diagnostics(tmp_path: Path) -> None:
    from tests.test_hostile import _open

    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL2", "DL6"]\n', encoding="utf-8"
    )
    deep = "/".join(["d" * 203] * 25)
    uri = f"{tmp_path.as_uri()}/{deep}/x.py"
    assert len(uri) > 4096
    client = _lsp_client(tmp_path)
    try:
        _initialize(client, tmp_path)
        found = _open(client, uri, "import sys\nsys.path.insert(0, '/srv/app')\n")
        assert sorted(d["code"] for d in found) == ["DL201", "DL202"]
        _shutdown(client)
    finally:
        client.proc.kill()  # type: ignore[attr-defined]
    assert not any(
        m.get("method") == "window/showMessage"
        for m in list(client.inbox.queue)  # type: ignore[attr-defined]
    )


# --- N25: output injection ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["concise", "full"])
def test_n25_a_file_name_never_starts_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from tests.test_hostile import BAD, assert_printable

    (tmp_path / "::error file=x.py,line=1::INJ.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "  ::warning::SPACED.py").write_text(BAD, encoding="utf-8")
    assert run(tmp_path, "check", "--no-cache", "--output-format", fmt, ".") == 1
    captured = capsys.readouterr()
    assert "INJ.py" in captured.out and "SPACED.py" in captured.out
    assert_printable(captured.out)
    assert not any(line.lstrip().startswith("::") for line in captured.out.splitlines())
    assert "\\x3a:error file=x.py,line=1::INJ.py:2:1: DL201" in captured.out


def test_n25_diff_headers_quote_file_names_as_git_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.debt-lints]\ndeprecated-imports = { "old.mod" = "new.mod" }\n', encoding="utf-8"
    )
    for package in ("old", "new"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "new" / "mod.py").write_text("def f(): pass\n", encoding="utf-8")
    # A re-export: the fix is safe, so --diff shows it.
    (tmp_path / "old" / "mod.py").write_text("from new.mod import f\n", encoding="utf-8")
    name = "a\n::error::x\x1b[2J\u00e9.py"
    (tmp_path / name).write_text("from old.mod import f\n", encoding="utf-8")
    run(tmp_path, "check", "--no-cache", "--no-baseline", "--diff", "--select", "DL101", ".")
    out = capsys.readouterr().out
    quoted = '"a/a\\n::error::x\\033[2J\\303\\251.py"'
    assert f"--- {quoted}\n" in out
    assert f"+++ {quoted.replace('a/a', 'b/a', 1)}\n" in out
    assert "\x1b" not in out
    assert "+from new.mod import f\n" in out


def test_n25_git_quoted_matches_git() -> None:
    from debt_lints.analysis.context import git_quoted

    assert git_quoted("a/plain name.py") == "a/plain name.py"
    assert git_quoted('a/q"b\\c\td.py') == '"a/q\\"b\\\\c\\td.py"'
    assert git_quoted("a/\udcff.py") == '"a/\\377.py"'


# --- N26: rules and rule on a broken pipe --------------------------------------------


@pytest.mark.parametrize("args", [["rules"], ["rules", "--format", "json"], ["rule", "DL201"]])
def test_n26_rules_and_rule_exit_0_when_the_reader_went_away(args: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before anything is written: EPIPE at once
    try:
        done = subprocess.run(
            [sys.executable, "-m", "debt_lints", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
