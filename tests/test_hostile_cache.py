"""A hostile cache: what a repository commits into ``.debt-lints-cache/`` never changes a result.

The review's repros (issue 28, N6 and N28 in ``hostile-round-3.md``): a forged
packed file committed with ``git add -f`` made ``check --ci`` pass on debt in
a fresh clone, a warning printed the cache key the forgery needed, and a
checksummed file of deeply nested JSON crashed every run.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.config import load_config
from debt_lints.running import cache, cachetrust
from debt_lints.running.runner import enabled_rules
from tests.gitutil import commit_all, git, init_repo, isolate_git

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"
ROOT = os.name != "nt" and hasattr(os, "geteuid") and os.geteuid() == 0


def check(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        code = main(["check", "--jobs", "1", "--output-format", "concise", *args, "."])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, out, err


def warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "warning" in line]


def public_key(repo: Path) -> str:
    """The cache key anyone can compute: versions, configuration, rules."""
    config = load_config(start=repo)
    return cache.cache_key(config.fingerprint(), [r.code for r in enabled_rules(config)])


def forged_files(repo: Path, attacker_secret: bytes) -> None:
    """Packed files claiming that ``a.py`` (as committed, with a DL201) has no findings.

    One under the attacker's own per-user key (what running debt-lints on the
    attacker's machine makes), one the way the review forged it (unkeyed
    digest, the public key as the name), at this schema and the previous one.
    """
    import hashlib

    entry = [None, cache.content_digest((repo / "a.py").read_bytes()), [], None, [], False]
    body = json.dumps({"a.py": entry}, separators=(",", ":")).encode("ascii")
    key = public_key(repo)
    for schema in (cache.SCHEMA, 5):
        directory = repo / cache.CACHE_DIR / f"v{schema}"
        directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        header = f"{schema} {key} {len(body)} {digest}\n".encode("ascii")
        (directory / key).write_bytes(cache.MAGIC + header + body)
    name = cache.file_name(key, attacker_secret)
    directory = repo / cache.CACHE_DIR / f"v{cache.SCHEMA}"
    (directory / name).write_bytes(cache._pack({"a.py": entry}, name, attacker_secret))


@pytest.fixture()
def hostile_pr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A repository whose last commit adds a DL201 and a forged cache (``git add -f``)."""
    isolate_git(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "upstream")
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    # The attacker runs debt-lints at home, with a per-user key of their own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker-cache"))
    check(repo, capsys)
    forged_files(repo, cachetrust.user_key(repo))
    commit_all(repo, "add a.py")
    git(repo, "add", "-f", cache.CACHE_DIR)
    git(repo, "commit", "-q", "-m", "cache")
    assert git(repo, "ls-files", cache.CACHE_DIR).count("\n") >= 4
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "runner-cache"))
    return repo


# --- N6: a forged cache is never trusted ------------------------------------------


def test_forged_cache_in_a_fresh_clone_still_reports(
    hostile_pr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's PR 2: a fresh clone with a committed cache; ``check --ci`` reports the DL201."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(hostile_pr), str(clone))
    committed = {p: p.read_bytes() for p in (clone / cache.CACHE_DIR).rglob("*") if p.is_file()}
    code, out, err = check(clone, capsys, "--ci")
    assert code == 1 and "a.py:2:1: DL201" in out, (out, err)
    assert "All checks passed" not in out
    assert len(warnings(err)) == 1 and "git tracks files in" in err
    # A tracked cache directory is not written either: the clone stays clean.
    assert {p: p.read_bytes() for p in committed} == committed
    assert git(clone, "status", "--porcelain") == ""
    assert "Traceback" not in err


def test_forged_cache_outside_git_fails_its_keyed_checksum(
    hostile_pr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tarball of the tree (no git to say the cache is committed): the key alone refuses it."""
    import shutil

    tree = tmp_path / "tarball"
    shutil.copytree(hostile_pr, tree, ignore=shutil.ignore_patterns(".git"))
    # The attacker's file, renamed to where this user's cache would look.
    key = public_key(tree)
    directory = tree / cache.CACHE_DIR / f"v{cache.SCHEMA}"
    mine = cache.file_name(key, cachetrust.user_key(tree))
    theirs = [p for p in directory.iterdir() if p.name != key]
    assert len(theirs) == 1 and theirs[0].name != mine
    shutil.copy(theirs[0], directory / mine)
    code, out, err = check(tree, capsys, "--ci")
    assert code == 1 and "a.py:2:1: DL201" in out, (out, err)
    assert len(warnings(err)) == 1 and "checksum mismatch" in err
    # Rebuilt: the next run answers from a cache that verifies, without a warning.
    assert check(tree, capsys, "--ci")[:2] == (code, out)
    assert warnings(capsys.readouterr().err) == []


def test_name_and_checksum_depend_on_the_user_key(tmp_path: Path) -> None:
    key = "0" * 32
    one, two = os.urandom(32), os.urandom(32)
    assert cache.file_name(key, one) != cache.file_name(key, two)
    assert key not in cache.file_name(key, one)
    packed = cache._pack({"a.py": []}, "name", one)
    assert cache._unpack(packed, "name", one) == {"a.py": []}
    assert cache._unpack(packed, "name", two) == "checksum mismatch"
    # A file verifies only under its own name: it cannot be moved to another key's.
    assert cache._unpack(packed, "other", one) == "checksum mismatch"


def test_warnings_never_print_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's PR 1: make the cache unreadable and read the key in the warning."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    key = public_key(repo)
    name = cache.file_name(key, cachetrust.user_key(repo))
    directory = repo / cache.CACHE_DIR / f"v{cache.SCHEMA}"
    secret_hex = cachetrust.user_key(repo).hex()

    def assert_secret(err: str) -> None:
        assert len(warnings(err)) == 1, err
        for hidden in (key, name, secret_hex):
            assert hidden not in err

    import shutil

    directory.parent.mkdir()
    directory.symlink_to("/nonexistent")  # the review's repro
    assert_secret(check(repo, capsys)[2])
    shutil.rmtree(directory.parent)
    directory.mkdir(parents=True)
    os.mkfifo(directory / name)  # the real file unreadable: its name in an OSError
    assert_secret(check(repo, capsys)[2])
    shutil.rmtree(directory.parent)
    (directory / name / "x").mkdir(parents=True)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied", str(directory / name))

    monkeypatch.setattr(cache, "_replace_bytes", refuse)
    assert_secret(check(repo, capsys)[2])


def test_a_tracked_cache_directory_is_ignored_even_when_it_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cache git tracks is neither read nor written, whatever it holds (one warning)."""
    isolate_git(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "repo")
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    commit_all(repo, "a.py")
    forged_files(repo, cachetrust.user_key(repo))  # even with this user's own key
    git(repo, "add", "-f", cache.CACHE_DIR)
    before = {p: p.read_bytes() for p in (repo / cache.CACHE_DIR).rglob("*") if p.is_file()}
    code, out, err = check(repo, capsys)
    assert code == 1 and "DL201" in out
    assert warnings(err) == [
        f"debt-lints: warning: ignoring the cache: git tracks files in {repo / cache.CACHE_DIR}; "
        f"untrack them (git rm -r --cached {cache.CACHE_DIR})"
    ]
    assert {p: p.read_bytes() for p in before} == before
    git(repo, "rm", "-q", "-r", "--cached", cache.CACHE_DIR)
    # Untracked: the forged file fails nothing here (it has this user's key), so
    # this shows only that the cache is used again.
    assert check(repo, capsys)[2] == ""


@pytest.mark.parametrize("version", [2, 3, 4])
@pytest.mark.parametrize("where", ["", "sub/project/"])
def test_git_index_lists_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int, where: str
) -> None:
    """Each index version git writes, with the project at the top or in a subfolder."""
    isolate_git(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "repo")
    root = repo / where
    # Neighbours that share most of the name (index version 4 strips common prefixes).
    for name in (".debt-lints-cache-", ".debt-lints-cache.bak", ".debt-lints-cachf"):
        (root / name).mkdir(parents=True)
        (root / name / "f").write_text("x", encoding="utf-8")
    (root / "x" / cache.CACHE_DIR).mkdir(parents=True)  # someone else's, deeper
    (root / "x" / cache.CACHE_DIR / "f").write_text("x", encoding="utf-8")
    commit_all(repo, "neighbours")
    git(repo, "update-index", f"--index-version={version}")
    (root / cache.CACHE_DIR).mkdir()
    assert not cachetrust.tracked_cache(root, cache.CACHE_DIR)
    (root / cache.CACHE_DIR / "v6").mkdir()
    (root / cache.CACHE_DIR / "v6" / "f").write_text("x", encoding="utf-8")
    git(repo, "add", "-f", *(["-N"] if version == 3 else []), ".")
    git(repo, "update-index", f"--index-version={version}")
    data = (repo / ".git" / "index").read_bytes()
    assert int.from_bytes(data[4:8], "big") == version
    assert cachetrust.tracked_cache(root, cache.CACHE_DIR)


def test_git_index_of_a_worktree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path / "home")
    repo = init_repo(tmp_path / "repo")
    (repo / cache.CACHE_DIR).mkdir()
    (repo / cache.CACHE_DIR / "f").write_text("x", encoding="utf-8")
    git(repo, "add", "-f", ".")
    commit_all(repo, "tracked cache")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt" / ".git").is_file()
    assert cachetrust.tracked_cache(tmp_path / "wt", cache.CACHE_DIR)


def test_damaged_git_index_is_not_tracked(tmp_path: Path) -> None:
    for data in (b"", b"DIRC", b"DIRC\0\0\0\4\0\0\0\5\xff", os.urandom(4096), b"DIRC\0\0\0\x09"):
        assert not cachetrust.index_lists(data, b".debt-lints-cache/")
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".git" / "index")  # never blocks
    assert not cachetrust.tracked_cache(tmp_path, cache.CACHE_DIR)


# --- the per-user key ---------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (repo / "a.py").write_text(BAD, encoding="utf-8")
    return repo


def test_key_is_private_and_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    user_cache = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache))
    repo = _project(tmp_path)
    assert check(repo, capsys)[2] == ""
    key_file = user_cache / "debt-lints" / cachetrust.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) & 0o077 == 0
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary left
    text = key_file.read_text(encoding="ascii")
    assert len(bytes.fromhex(text.strip())) == 32
    # The same key on the next run: the cache answers.
    assert check(repo, capsys)[2] == ""
    assert key_file.read_text(encoding="ascii") == text
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert check(repo, capsys)[2] == ""
    assert (tmp_path / "home" / ".cache" / "debt-lints" / cachetrust.KEY_FILE).is_file()


def _refused(repo: Path, capsys: pytest.CaptureFixture[str], why: str) -> None:
    """No cache used or written, one warning saying ``why``, the findings of ``--no-cache``."""
    expected = check(repo, capsys, "--no-cache")
    if (repo / cache.CACHE_DIR).exists():
        import shutil

        shutil.rmtree(repo / cache.CACHE_DIR)
    code, out, err = check(repo, capsys)
    assert (code, out) == expected[:2]
    assert len(warnings(err)) == 1 and why in err, err
    assert "running without the cache" in err
    assert not (repo / cache.CACHE_DIR).exists()


def test_no_key_can_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read-only HOME (here: a file where the folder belongs): run uncached, one warning."""
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "sub"))
    _refused(_project(tmp_path), capsys, "cannot keep the per-user cache key")


def test_key_inside_the_checked_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """HOME is the checkout (some CI images): the repository could have committed the key."""
    repo = _project(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))
    _refused(repo, capsys, "inside the checked folder")


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes and owners")
@pytest.mark.parametrize("damage", ["link", "group-readable", "other-owner", "damaged", "fifo"])
def test_untrustworthy_key_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    user_cache = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache))
    key_file = user_cache / "debt-lints" / cachetrust.KEY_FILE
    key_file.parent.mkdir(parents=True)
    good = os.urandom(32).hex() + "\n"
    if damage == "link":
        (tmp_path / "elsewhere").write_text(good, encoding="ascii")
        (tmp_path / "elsewhere").chmod(0o600)
        key_file.symlink_to(tmp_path / "elsewhere")
    elif damage == "fifo":
        os.mkfifo(key_file, 0o600)
    else:
        key_file.write_text("not hex\n" if damage == "damaged" else good, encoding="ascii")
        key_file.chmod(0o640 if damage == "group-readable" else 0o600)
        if damage == "other-owner":
            if not ROOT:
                pytest.skip("only root can give a file away")
            os.chown(key_file, 65534, 65534)
    reason = {
        "link": "symbolic link",
        "group-readable": "read by others",
        "other-owner": "another user",
        "damaged": "damaged",
        "fifo": "not a regular file",
    }[damage]
    _refused(_project(tmp_path), capsys, reason)


def test_concurrent_first_runs_agree_on_one_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is published with a hard link: a second creator keeps the first key."""
    directory = tmp_path / "xdg" / "debt-lints"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = directory / cachetrust.KEY_FILE
    cachetrust._create_key(directory, path)
    first = path.read_bytes()
    cachetrust._create_key(directory, path)
    assert path.read_bytes() == first
    assert sorted(p.name for p in directory.iterdir()) == [cachetrust.KEY_FILE]


def test_key_creation_in_a_subprocess_uses_the_users_cache_folder(tmp_path: Path) -> None:
    """The command line, as CI runs it: the key goes to $XDG_CACHE_HOME, nowhere else."""
    import sys

    repo = _project(tmp_path)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "ci-cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", "--ci", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1 and "DL201" in proc.stdout, proc.stderr
    assert (tmp_path / "ci-cache" / "debt-lints" / cachetrust.KEY_FILE).is_file()


# --- N28: an authentic cache that cannot be decoded --------------------------------


def _plant(repo: Path, payload: bytes, *, index: bool = False) -> None:
    """Replace the packed file by one whose ``a.py`` entry is ``payload`` (or, with
    ``index``, whose index is ``payload``), under valid MACs: a writer bug, a leaked key."""
    key = public_key(repo)
    secret = cachetrust.user_key(repo)
    name = cache.file_name(key, secret)
    path = repo / cache.CACHE_DIR / f"v{cache.SCHEMA}" / name
    if index:
        mac = cache._mac(name, len(payload), 0, payload, secret)
        header = f"{cache.SCHEMA} {len(payload)} 0 ".encode("ascii") + mac + b"\n"
        path.write_bytes(cache.MAGIC + header + payload)
    else:
        mac_of_entry = cache._entry_mac(payload, secret)
        path.write_bytes(cache._pack_blobs({"a.py": (payload, mac_of_entry)}, name, secret))
    assert cache._unpack(path.read_bytes(), name, secret) != "checksum mismatch"


def _nested_summary(depth: int) -> bytes:
    summary = "[" * depth + "]" * depth
    return f'[null,"x",[],{{"deep":{summary}}},[],false]'.encode("ascii")


@pytest.mark.parametrize(
    ("payload", "index"),
    [
        pytest.param(b"[" * 200_000 + b"]" * 200_000, False, id="review-repro"),
        pytest.param(b"[" * 200_000 + b"]" * 200_000, True, id="in-the-index"),
        pytest.param(
            b'{"a.py":' + b"[" * 200_000 + b"]" * 200_000 + b"}", True, id="in-an-index-row"
        ),
        pytest.param(_nested_summary(200_000), False, id="in-a-summary"),
        pytest.param(b'"\xff\xfe"', False, id="not-utf-8"),
        pytest.param(b'{"a.py": "\xff\xfe"}', True, id="not-utf-8-index"),
    ],
)
def test_undecodable_cache_is_one_warning_and_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: bytes, index: bool
) -> None:
    repo = _project(tmp_path)
    expected = check(repo, capsys, "--no-cache")
    check(repo, capsys)
    _plant(repo, payload, index=index)
    code, out, err = check(repo, capsys)
    assert (code, out) == expected[:2], err
    assert len(warnings(err)) == 1 and "bad payload" in err, err
    assert "Traceback" not in err
    # Rebuilt: the next run is clean and answers from the cache.
    assert check(repo, capsys) == (code, out, "")


def test_entry_too_deep_to_encode_is_a_warning(tmp_path: Path) -> None:
    """A summary nested past the encoder's limit: the save warns, nothing is written."""
    repo = _project(tmp_path)
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    store = cache.Cache.load(repo, public_key(repo), cachetrust.user_key(repo))
    store.put("a.py", cache.Entry(None, "x", (), {"deep": deep}))
    store.save()
    assert store.warning is not None and "cannot be encoded" in store.warning
    assert not (repo / cache.CACHE_DIR).exists()


# --- authentic but nonsense entries ---------------------------------------------------

#: The DL201 debt-lints reports for ``BAD``, as a cache row.
GOOD_ROW: list[object] = [
    2,
    1,
    "DL201",
    2,
    31,
    "sys-path-injection",
    "m",
    "warning",
    "",
    "",
    "",
]


def _row(**change: object) -> list[object]:
    fields = ("line", "column", "code", "end_line", "end_column", "name", "", "severity")
    row = list(GOOD_ROW)
    for key, value in change.items():
        row[fields.index(key) if key != "fix" else 10] = value
    return row


NONSENSE = {
    "unknown-code": _row(code="ZZ999"),
    "line-10**9": _row(line=10**9, end_line=10**9),
    "negative-column": _row(column=-5),
    "zero-line": _row(line=0),
    "column-past-the-file": _row(end_column=10**6),
    "name-of-another-rule": _row(name="hardcoded-loopback"),
    "unknown-severity": _row(severity="fatal"),
}


@pytest.mark.parametrize("trusted_stat", [False, True], ids=["by-hash", "by-stat"])
@pytest.mark.parametrize("name", sorted(NONSENSE))
def test_nonsense_entry_is_never_used(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    trusted_stat: bool,
) -> None:
    """A verified entry whose findings debt-lints cannot have written is recomputed."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    repo = _project(tmp_path)
    expected = check(repo, capsys, "--no-cache")
    check(repo, capsys)
    source = repo / "a.py"
    digest = cache.content_digest(source.read_bytes())
    stat_key = cache.stat_key(str(source)) if trusted_stat else None
    assert (stat_key is not None) == trusted_stat
    entry = [stat_key and list(stat_key), digest, [NONSENSE[name]], None, [], False]
    _plant(repo, json.dumps(entry, separators=(",", ":")).encode("ascii"))
    code, out, err = check(repo, capsys)
    assert (code, out) == expected[:2], err
    assert len(warnings(err)) == 1 and "malformed entry" in err, err
    assert check(repo, capsys) == (code, out, "")


def test_fix_nested_too_deep_is_dropped_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _project(tmp_path)
    expected = check(repo, capsys, "--no-cache")
    check(repo, capsys)
    digest = cache.content_digest((repo / "a.py").read_bytes())
    entry = [None, digest, [_row(fix="[" * 100_000)], None, [], False]
    _plant(repo, json.dumps(entry, separators=(",", ":")).encode("ascii"))
    code, out, err = check(repo, capsys)
    assert code == expected[0] and "Traceback" not in err and "DL201" in out


@pytest.mark.parametrize("whole", [True, False], ids=["whole", "few"])
def test_header_lengths_too_long_to_be_numbers_are_a_bad_header(whole: bool) -> None:
    """Lengths of thousands of digits (int() refuses them) are refused, not a crash."""
    import io

    digits = b"9" * 5000
    data = cache.MAGIC + b"%d " % cache.SCHEMA + digits + b" 1 " + b"a" * 64 + b"\n"
    opened = cache._open_packed(io.BytesIO(data), len(data), "n", b"k" * 32, whole=whole)
    assert opened in ("bad header", "truncated header")
