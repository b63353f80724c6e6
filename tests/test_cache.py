"""The result cache: never trusted when wrong, never a crash, always healed by the next run.

Every damaged-cache case must give exactly the findings and exit status of
``--no-cache``, at most one warning, and a cache that answers every file on
the run after.
"""

from __future__ import annotations

import io
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.config import load_config
from debt_lints.core import safefs
from debt_lints.running import cache, cachetrust
from debt_lints.running.runner import enabled_rules, run

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"
GOOD = "import sys\nprint(sys.path)\n"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    for i in range(6):
        (root / "pkg" / f"bad{i}.py").write_text(BAD * (i + 1), encoding="utf-8")
        (root / "pkg" / f"good{i}.py").write_text(GOOD, encoding="utf-8")
    (root / "pkg" / "broken.py").write_text("def f(:\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(["check", "--jobs", "1", "--output-format", "concise", *args])
    out, err = capsys.readouterr()
    return code, out, [line for line in err.splitlines() if "warning" in line]


def packed_file(root: Path) -> Path:
    files = [p for p in (root / cache.CACHE_DIR / f"v{cache.SCHEMA}").iterdir()]
    assert len(files) == 1, files
    return files[0]


def assert_healthy(root: Path) -> None:
    """The cache loads cleanly and answers every file."""
    config = load_config(start=root)
    result = run(["."], config, enabled_rules(config), cache=True)
    assert result.warnings == []
    assert (result.checked, result.cached) == (0, len(result.files))


def test_cold_then_warm_is_identical(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = check(capsys, "--no-cache")
    assert not (project / cache.CACHE_DIR).exists()
    assert check(capsys) == expected
    assert check(capsys) == expected
    assert expected[0] == 1 and expected[1].count("DL201") == 21
    assert_healthy(project)


def test_cache_dir_is_tagged_and_ignored(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys)
    top = project / cache.CACHE_DIR
    assert (top / ".gitignore").read_text(encoding="ascii").splitlines()[-1] == "*"
    assert (
        (top / "CACHEDIR.TAG")
        .read_text(encoding="ascii")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_no_cache_neither_reads_nor_writes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check(capsys, "--no-cache")
    assert not (project / cache.CACHE_DIR).exists()


def test_clean_removes_the_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys)
    assert main(["clean"]) == 0
    assert not (project / cache.CACHE_DIR).exists()
    assert main(["clean"]) == 0  # nothing to remove is fine


def test_edit_is_seen(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys)
    (project / "pkg" / "good0.py").write_text(BAD, encoding="utf-8")
    (project / "pkg" / "bad0.py").write_text(GOOD, encoding="utf-8")
    assert check(capsys) == check(capsys, "--no-cache")


@pytest.mark.parametrize("racy_ns", [0, cache.RACY_NS], ids=["stat-trusted", "racy"])
def test_content_change_with_mtime_restored_is_detected(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    racy_ns: int,
) -> None:
    # With racy_ns=0 the stored stat key is trusted at once, so only the
    # ctime (changed by os.utime itself) can reveal the edit.
    monkeypatch.setattr(cache, "RACY_NS", racy_ns)
    target = project / "pkg" / "good1.py"
    edited = "import sys\nsys.path.append('/x')\n"
    original = "import sys\nprint(sys.path)\n#"
    original = original.ljust(len(edited) - 1, "x") + "\n"
    target.write_text(original, encoding="utf-8")
    before = os.stat(target)
    check(capsys)
    entry = cache.Cache.load(project, _key(project), cachetrust.user_key(project)).lookup(
        "pkg/good1.py", str(target)
    )
    assert entry is not None and (entry.stat is None) == bool(racy_ns)
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(target)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    code, out, _ = check(capsys)
    assert (code, out) == check(capsys, "--no-cache")[:2]
    assert "pkg/good1.py:2:1: DL201" in out


def _secret() -> bytes:
    return cachetrust.user_key(Path("/nonexistent-project"))


def _key(root: Path) -> str:
    config = load_config(start=root)
    return cache.cache_key(config.fingerprint(), [r.code for r in enabled_rules(config)])


# --- damaged caches -------------------------------------------------------------------


def _flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x10]) + data[offset + 1 :]


def _other_version(root: Path, path: Path) -> None:
    """A valid file of another schema (a newer debt-lints wrote it): digest intact."""
    data = path.read_bytes()
    this, other = f"{cache.SCHEMA} ".encode(), f"{cache.SCHEMA + 1} ".encode()
    assert data.startswith(cache.MAGIC + this)
    path.write_bytes(data.replace(cache.MAGIC + this, cache.MAGIC + other, 1))


def _other_key(root: Path, path: Path) -> None:
    body = cache._unpack(path.read_bytes(), path.name, _secret())
    assert isinstance(body, dict)
    path.write_bytes(cache._pack(body, "f" * 32, _secret()))


def _crafted_entry(root: Path, path: Path) -> None:
    """A file whose digest matches but whose entries have the wrong shape."""
    body = cache._unpack(path.read_bytes(), path.name, _secret())
    assert isinstance(body, dict)
    for key in body:
        body[key] = [None, "x", [[1, 2, 3]], None]
    path.write_bytes(cache._pack(body, path.name, _secret()))


def _wrong_findings(root: Path, path: Path) -> None:
    """Findings edited by hand: the digest no longer matches."""
    path.write_bytes(path.read_bytes().replace(b'"DL201"', b'"DL999"'))


def _file_to_dir(root: Path, path: Path) -> None:
    path.unlink()
    (path / "inner").mkdir(parents=True)


def _dir_to_file(root: Path, path: Path) -> None:
    top = root / cache.CACHE_DIR
    shutil.rmtree(top)
    top.write_text("not a directory", encoding="utf-8")


def _dangling_link(root: Path, path: Path) -> None:
    top = root / cache.CACHE_DIR
    shutil.rmtree(top)
    top.symlink_to(root / "nowhere")


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "zero-length": lambda root, path: path.write_bytes(b""),
    "random-bytes": lambda root, path: path.write_bytes(random.Random(7).randbytes(4096)),
    "header-only": lambda root, path: path.write_bytes(path.read_bytes().split(b"\n", 2)[0]),
    "other-schema": _other_version,
    "other-key": _other_key,
    "crafted-entry": _crafted_entry,
    "edited-findings": _wrong_findings,
    "file-replaced-by-directory": _file_to_dir,
    "directory-replaced-by-file": _dir_to_file,
    "directory-is-dangling-link": _dangling_link,
}


def _assert_same_as_no_cache(
    root: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path, Path], None]
) -> None:
    expected = check(capsys, "--no-cache")
    check(capsys)
    damage(root, packed_file(root))
    code, out, warnings = check(capsys)
    assert (code, out) == expected[:2]
    assert len(warnings) <= 1, warnings
    assert_healthy(root)


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_cache(project: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    _assert_same_as_no_cache(project, capsys, DAMAGE[name])


def _damage_offsets(good: bytes, every: int | None) -> list[int]:
    """Every ``every``-th byte offset; without it, each byte of the header line
    (magic, schema, key, length, digest) and sixteen spread over the payload."""
    if every is not None:
        return list(range(0, len(good), every))
    header = good.index(b"\n") + 1
    step = max(1, (len(good) - header) // 16)
    return sorted({*range(0, header + 1), *range(header, len(good), step)})


@pytest.mark.parametrize("kind", ["truncated", "bit-flipped"])
def test_damage_at_sampled_offsets(
    project: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    _damage_everywhere(project, capsys, kind, None)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["truncated", "bit-flipped"])
def test_damage_at_every_20_byte_offset(
    project: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    _damage_everywhere(project, capsys, kind, 20)


def _damage_everywhere(
    project: Path, capsys: pytest.CaptureFixture[str], kind: str, every: int | None
) -> None:
    expected = check(capsys, "--no-cache")
    check(capsys)
    path = packed_file(project)
    good = path.read_bytes()
    offsets = _damage_offsets(good, every)
    assert len(offsets) > 20
    for offset in offsets:
        path.write_bytes(good[:offset] if kind == "truncated" else _flip(good, offset))
        code, out, warnings = check(capsys)
        assert (code, out) == expected[:2], offset
        assert len(warnings) <= 1, (offset, warnings)
        # The run rewrote a healthy file with the same entries as before the
        # damage (stat keys aside: they stop being racy), so the next offset
        # damages a good file.
        assert _entries(path.read_bytes(), path.name) == _entries(good, path.name)


def _entries(data: bytes, key: str) -> dict[str, object]:
    raw = cache._unpack(data, key, _secret())
    assert isinstance(raw, dict)
    return {name: entry[1:] for name, entry in raw.items()}


def test_unwritable_cache(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = check(capsys, "--no-cache")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "_replace_bytes", refuse)
        code, out, warnings = check(capsys)
        assert (code, out) == expected[:2]
        assert len(warnings) == 1 and "cannot write cache" in warnings[0]
    check(capsys)
    assert_healthy(project)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_read_only_directory(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = check(capsys, "--no-cache")
    check(capsys)
    (project / "pkg" / "good2.py").write_text(BAD, encoding="utf-8")
    expected = check(capsys, "--no-cache")
    directory = packed_file(project).parent
    directory.chmod(0o500)
    try:
        code, out, warnings = check(capsys)
    finally:
        directory.chmod(0o700)
    assert (code, out) == expected[:2] and len(warnings) == 1


def test_moved_repository(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    expected = check(capsys, "--no-cache")
    check(capsys)
    moved = tmp_path / "elsewhere" / "proj"
    shutil.copytree(project, moved, copy_function=shutil.copy2)
    shutil.rmtree(project)
    os.chdir(moved)
    code, out, warnings = check(capsys)
    assert (code, out, warnings) == (expected[0], expected[1], [])
    assert_healthy(moved)


def test_checking_one_file_keeps_the_others(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check(capsys)
    (project / "pkg" / "bad3.py").write_text(GOOD, encoding="utf-8")
    assert check(capsys, "pkg/bad3.py")[0] == 0
    assert_healthy(project)


def test_deleted_files_are_dropped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys)
    (project / "pkg" / "bad1.py").unlink()
    (project / "pkg" / "good1.py").write_text(BAD, encoding="utf-8")  # forces a write
    check(capsys)
    raw = cache._unpack(packed_file(project).read_bytes(), packed_file(project).name, _secret())
    assert isinstance(raw, dict)
    assert "pkg/bad1.py" not in raw and "pkg/good1.py" in raw


def test_configuration_change_uses_another_key(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check(capsys)
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.debt-lints]\nignore = ["DL201"]\n', encoding="utf-8")
    code, out, _ = check(capsys)
    assert (code, out) == check(capsys, "--no-cache")[:2]
    assert "DL201" not in out
    assert len(list((project / cache.CACHE_DIR / f"v{cache.SCHEMA}").iterdir())) == 2


def test_cli_select_uses_another_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys)
    assert check(capsys, "--select", "DL001") == check(capsys, "--select", "DL001", "--no-cache")


def _run_in_child(argv: list[str]) -> tuple[int, str, str]:
    """``debt-lints`` in a forked process, output captured (cheaper than a new interpreter)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_concurrent_runs(project: Path) -> None:
    """Eight runs at once, fifty times, while files change: no crash, same output."""
    import multiprocessing

    argv = ["check", "--jobs", "1"]
    reference = _run_in_child([*argv, "--no-cache"])
    with multiprocessing.get_context("fork").Pool(8) as pool:
        for iteration in range(50):
            if iteration % 5 == 0:
                # Change a file so that every run has something to write.
                target = project / "pkg" / f"good{iteration % 6}.py"
                target.write_text(GOOD + f"# {iteration}\n", encoding="utf-8")
                reference = _run_in_child([*argv, "--no-cache"])
            for code, out, err in pool.map(_run_in_child, [argv] * 8, chunksize=1):
                assert (code, out) == reference[:2], err
                assert "Traceback" not in err
                assert err.count("warning") <= 1, err
    leftovers = [p for p in packed_file(project).parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
    assert_healthy(project)


# --- a run over one file reads one entry ---------------------------------------------


@pytest.fixture()
def big_project(project: Path) -> Path:
    """More files than a run reads one by one (``cache.FEW_FILES``)."""
    for i in range(cache.FEW_FILES + 8):
        (project / "pkg" / f"more{i}.py").write_text(BAD * 3 + GOOD * 20, encoding="utf-8")
    return project


def _one_file_run(root: Path) -> tuple[int, int, list[str]]:
    config = load_config(start=root)
    result = run(["pkg/bad0.py"], config, enabled_rules(config), cache=True)
    return result.checked, result.cached, result.warnings


def test_a_one_file_run_reads_its_entry_not_the_whole_cache(
    big_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(capsys)  # writes the cache of every file
    path = packed_file(big_project)
    size = path.stat().st_size
    read = []
    real_open, real_pread = safefs.Dir.open_regular, os.pread

    def counting_open(self: object, name: str, max_size: int) -> object:
        fh = real_open(self, name, max_size)
        if fh is None or name != path.name:
            return fh
        real_read = fh.read

        def counted(n: int = -1) -> bytes:
            data = real_read(n)
            read.append(len(data))
            return data

        fh.read = counted  # type: ignore[method-assign]  # a spy on this handle only
        return fh

    def counting_pread(fd: int, n: int, offset: int) -> bytes:
        data = real_pread(fd, n, offset)
        read.append(len(data))
        return data

    monkeypatch.setattr(safefs.Dir, "open_regular", counting_open)
    monkeypatch.setattr(os, "pread", counting_pread)
    assert _one_file_run(big_project) == (0, 1, [])
    assert 0 < sum(read) < size / 2
    # A whole-tree run reads it all.
    read.clear()
    config = load_config(start=big_project)
    result = run(["."], config, enabled_rules(config), cache=True)
    assert result.cached == len(result.files) and sum(read) >= size


def test_a_damaged_entry_of_another_file_is_not_read_by_a_one_file_run(
    big_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each entry is verified on its own: one file's run neither reads nor trusts the
    others, and the run that reads the damaged entry ignores the file and rebuilds it."""
    expected = check(capsys, "--no-cache")
    check(capsys)
    path = packed_file(big_project)
    data = path.read_bytes()
    opened = cache._open_packed(io.BytesIO(data), len(data), path.name, _secret(), whole=True)
    assert not isinstance(opened, str)
    index, body_at, _, _ = opened
    offset, length, _ = index["pkg/more3.py"]
    at = body_at + offset + length // 2
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    assert _one_file_run(big_project) == (0, 1, [])
    code, out, warnings = check(capsys)
    assert (code, out) == expected[:2]
    assert len(warnings) == 1 and "corrupt cache" in warnings[0], warnings
    assert check(capsys) == expected
    assert_healthy(big_project)


def test_the_cache_hashes_and_compares_as_hashlib_and_hmac_do() -> None:
    """The cache takes BLAKE2b and the digest comparison from the modules hashlib and
    hmac take them from (start-up: no OpenSSL); the results are theirs."""
    import hashlib
    import hmac

    assert cache.blake2b is hashlib.blake2b
    for data in (b"", b"x = 1\n", bytes(range(256)) * 40):
        assert cache.content_digest(data) == hashlib.blake2b(data, digest_size=16).hexdigest()
    for a, b in (("ab", "ab"), ("ab", "ac"), ("ab", "abc"), (b"\x00", b"\x00"), (b"a", b"b")):
        assert cache.compare_digest(a, b) == hmac.compare_digest(a, b)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cache.compare_digest("é", "é")  # as hmac: only ASCII text
    with pytest.raises(TypeError):
        hmac.compare_digest("é", "é")
