"""Nothing outside the repository is deleted, changed or created, whatever it commits.

A repository controls every name below its root, symbolic links included
(git stores them). Each test here plants links where debt-lints keeps its own
files and asserts that a run leaves everything outside the repository exactly
as it was: same entries, same bytes, same modification times.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.running import cache

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")

Snapshot = dict[str, tuple[str, bytes, int]]


def snapshot(top: Path, skip: Path | None = None) -> Snapshot:
    """Every entry below ``top`` (not following links): kind, bytes, mtime."""
    seen: Snapshot = {}
    for directory, dirnames, filenames in os.walk(top):
        if skip is not None and Path(directory) == skip.parent:
            dirnames[:] = [d for d in dirnames if Path(directory, d) != skip]
        for name in dirnames + filenames:
            path = Path(directory, name)
            info = path.lstat()
            rel = str(path.relative_to(top))
            if path.is_symlink():
                seen[rel] = ("link", os.readlink(path).encode(), info.st_mtime_ns)
            elif path.is_dir():
                seen[rel] = ("dir", b"", info.st_mtime_ns)
            else:
                seen[rel] = ("file", path.read_bytes(), info.st_mtime_ns)
    return seen


def run_check(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(["check", "--jobs", "1", *args])
    finally:
        os.chdir(cwd)


def make_outside(top: Path, count: int = 10) -> None:
    """Directories and files that must survive (old mtimes, so a pruner would pick them)."""
    for i in range(count):
        sub = top / f"p{i:02d}"
        sub.mkdir(parents=True)
        (sub / "precious.txt").write_text(f"keep {i}\n", encoding="utf-8")
        os.utime(sub / "precious.txt", (1_000_000 + i, 1_000_000 + i))
        os.utime(sub, (1_000_000 + i, 1_000_000 + i))


def test_cache_link_to_the_parent_deletes_nothing(tmp_path: Path) -> None:
    """The reported attack: ``.debt-lints-cache/v1 -> ../..`` made the pruner delete siblings."""
    sib = tmp_path / "sib"
    make_outside(sib)
    evil = sib / "evil"
    (evil / cache.CACHE_DIR).mkdir(parents=True)
    (evil / cache.CACHE_DIR / f"v{cache.SCHEMA}").symlink_to("../..")
    (evil / "a.py").write_text("x = 1\n", encoding="utf-8")
    before = snapshot(sib, skip=evil)
    assert run_check(evil, ".") == 0
    assert snapshot(sib, skip=evil) == before
    # The link was replaced by a real cache directory of debt-lints' own.
    v1 = evil / cache.CACHE_DIR / f"v{cache.SCHEMA}"
    assert v1.is_dir() and not v1.is_symlink()
    assert run_check(evil, ".") == 0


@pytest.mark.parametrize("link", [cache.CACHE_DIR, f"{cache.CACHE_DIR}/v{cache.SCHEMA}"])
def test_cache_directory_linked_outside(tmp_path: Path, link: str) -> None:
    outside = tmp_path / "outside"
    make_outside(outside, 12)
    # Files that look like packed cache files and temporaries of a killed run.
    for name in ("0" * 32, "f" * 32, ".stale.tmp", "CACHEDIR.TAG", ".gitignore"):
        (outside / name).write_text("theirs\n", encoding="utf-8")
        os.utime(outside / name, (1_000_000, 1_000_000))
    repo = tmp_path / "repo"
    (repo / link).parent.mkdir(parents=True, exist_ok=True)
    (repo / "bad.py").write_text(BAD, encoding="utf-8")
    (repo / link).symlink_to(outside)
    before = snapshot(outside)
    assert run_check(repo, ".") == 1
    assert run_check(repo, ".") == 1
    assert snapshot(outside) == before


def test_files_inside_the_cache_linked_outside(tmp_path: Path) -> None:
    """The packed file, the markers and a stale temporary as links: none is followed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "bad.py").write_text(BAD, encoding="utf-8")
    assert run_check(repo, ".") == 1
    top = repo / cache.CACHE_DIR
    directory = top / f"v{cache.SCHEMA}"
    (packed,) = [p for p in directory.iterdir() if not p.name.startswith(".")]
    targets = {
        packed: outside / "packed",
        top / "CACHEDIR.TAG": outside / "tag",
        top / ".gitignore": outside / "ignore",
        directory / ".old.tmp": outside / "tmp",
    }
    for link, target in targets.items():
        target.write_text("theirs\n", encoding="utf-8")
        os.utime(target, (1_000_000, 1_000_000))
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    # Older packed files beyond the number kept, as links to outside files.
    for i in range(cache.KEEP_KEYS + 2):
        target = outside / f"old{i}"
        target.write_text("theirs\n", encoding="utf-8")
        (directory / f"{i:032x}").symlink_to(target)
    before = snapshot(outside)
    (repo / "bad.py").write_text(BAD * 2, encoding="utf-8")  # forces a write
    assert run_check(repo, ".") == 1
    assert snapshot(outside) == before
    assert run_check(repo, ".") == 1
    assert snapshot(outside) == before


def test_clean_removes_a_link_not_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    make_outside(outside, 3)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / cache.CACHE_DIR).symlink_to(outside)
    before = snapshot(outside)
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["clean"]) == 0
    finally:
        os.chdir(cwd)
    assert not os.path.lexists(repo / cache.CACHE_DIR)
    assert snapshot(outside) == before


# --- the baseline, its lock and its temporaries ----------------------------------

BASELINE = "debt-lints-baseline.json"


def stale_baseline() -> str:
    """A valid baseline whose one entry matches nothing (a local check prunes it)."""
    import json

    header = json.dumps({"format": "debt-lints-baseline", "version": 1})
    entry = json.dumps(
        {"path": "gone.py", "code": "DL201", "scope": "", "hash": "0" * 16, "line": 1}
    )
    return f"[{header}\n,{entry}\n]\n"


def clean_repo(top: Path) -> Path:
    repo = top / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "gone.py").write_text("x = 2\n", encoding="utf-8")
    return repo


def test_baseline_linked_outside_is_neither_read_nor_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CI", raising=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "theirs.json").write_text(stale_baseline(), encoding="utf-8")
    repo = clean_repo(tmp_path)
    (repo / BASELINE).symlink_to(outside / "theirs.json")
    before = snapshot(outside)
    assert run_check(repo, "--no-cache", ".") == 2
    err = capsys.readouterr().err
    assert "outside the project root" in err and len(err.splitlines()) == 1
    assert snapshot(outside) == before


def test_dangling_baseline_link_creates_nothing_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = clean_repo(tmp_path)
    (repo / BASELINE).symlink_to(outside / "new.json")
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["baseline", "create"]) == 2
    finally:
        os.chdir(cwd)
    assert "outside the project root" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_baseline_link_inside_the_root_is_used_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    repo = clean_repo(tmp_path)
    (repo / "conf").mkdir()
    (repo / "conf" / "real.json").write_text(stale_baseline(), encoding="utf-8")
    (repo / BASELINE).symlink_to("conf/real.json")
    assert run_check(repo, "--no-cache", ".") == 0  # pruned: the stale entry is gone
    assert (repo / BASELINE).is_symlink()
    assert "gone.py" not in (repo / "conf" / "real.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["../outside/b.json", "linked/b.json", "/tmp/b.json"])
def test_configured_baseline_outside_the_root_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = clean_repo(tmp_path)
    (repo / "linked").symlink_to(outside)
    (repo / "pyproject.toml").write_text(
        f'[tool.debt-lints]\nbaseline = "{value}"\n', encoding="utf-8"
    )
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["baseline", "create"]) == 2
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "baseline" in err and "outside the project root" in err
    assert list(outside.iterdir()) == []


def test_lock_file_linked_outside_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A committed ``.debt-lints-baseline.json.lock`` link: the lock would create its target."""
    monkeypatch.delenv("CI", raising=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim").write_text("keep\n", encoding="utf-8")
    repo = clean_repo(tmp_path)
    (repo / BASELINE).write_text(stale_baseline(), encoding="utf-8")
    (repo / f".{BASELINE}.lock").symlink_to(outside / "created")
    before = snapshot(outside)
    # The check passed; the prune cannot take the lock: a warning, not a failure.
    assert run_check(repo, "--no-cache", ".") == 0
    assert "warning" in capsys.readouterr().err
    assert snapshot(outside) == before
    assert "gone.py" in (repo / BASELINE).read_text(encoding="utf-8")


def test_baseline_directory_linked_outside_receives_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default baseline name inside a linked directory (``--config`` rooted there)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = clean_repo(tmp_path)
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    (repo / "cfg").symlink_to(outside)
    (repo / "pyproject.toml").write_text(
        '[tool.debt-lints]\nbaseline = "cfg/debt.json"\n', encoding="utf-8"
    )
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["baseline", "add", "--reason", "x"]) == 2
    finally:
        os.chdir(cwd)
    assert list(outside.iterdir()) == []


# --- the mypy cache and --write-mypy-config -------------------------------------


def test_mypy_cache_linked_outside_receives_nothing(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    outside = tmp_path / "outside"
    make_outside(outside, 2)
    repo = tmp_path / "repo"
    (repo / cache.CACHE_DIR).mkdir(parents=True)
    (repo / cache.CACHE_DIR / "mypy").symlink_to(outside)
    (repo / "m.py").write_text("def f(x: int) -> int:\n    return x\n", encoding="utf-8")
    before = snapshot(outside)
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["typing"]) == 0
    finally:
        os.chdir(cwd)
    assert snapshot(outside) == before
    assert not (repo / cache.CACHE_DIR / "mypy").is_symlink()


def test_write_mypy_config_never_writes_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("mypy")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mypy.toml").write_text("[tool.mypy]\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "m.py").write_text("def f(x: int) -> int:\n    return x\n", encoding="utf-8")
    (repo / "mypy.toml").symlink_to(outside / "mypy.toml")
    (repo / "pyproject.toml").write_text(
        '[tool.debt-lints.typing]\nmypy-config = "mypy.toml"\n', encoding="utf-8"
    )
    before = snapshot(outside)
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert main(["typing", "--write-mypy-config"]) == 2
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert "mypy-config" in err and "outside the project root" in err
    assert snapshot(outside) == before


def test_read_only_checkout_prune_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clean local check with a stale entry on a read-only file system: exit 0."""
    import errno

    monkeypatch.delenv("CI", raising=False)
    repo = clean_repo(tmp_path)
    (repo / BASELINE).write_text(stale_baseline(), encoding="utf-8")
    real_open = os.open

    def read_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).endswith(".lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]  # passthrough

    monkeypatch.setattr(os, "open", read_only)
    assert run_check(repo, "--no-cache", ".") == 0
    err = capsys.readouterr().err
    assert "warning" in err and "Read-only file system" in err
    assert "gone.py" in (repo / BASELINE).read_text(encoding="utf-8")
