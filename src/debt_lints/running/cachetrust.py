"""Why a result cache found in a repository can be believed: a per-user key, and git's index.

The cache lives in ``.debt-lints-cache/`` at the project root, that is inside
the repository being checked. A hostile pull request can commit files there
(``git add -f``), so nothing in it may be trusted because of what it *says*.
Two checks make a committed cache worthless:

* **a per-user key** (:func:`user_key`): 32 random bytes created once, mode
  0600, outside every repository (``$XDG_CACHE_HOME/debt-lints/cache-key``,
  else ``~/.cache/debt-lints/cache-key``). The packed file's name and its
  checksum are keyed BLAKE2b MACs under it: a repository can neither predict
  where the file is looked for nor write one that verifies. A key file that is
  a link, not owned by the user, readable by others, or inside the checked
  folder is refused; when no key can be created or read (a read-only HOME in
  CI), the run is not cached at all, with one warning: nothing persisted is
  trusted without the key.
* **git's index** (:func:`tracked_cache`): when git tracks anything under the
  cache directory, the directory came from the repository; it is neither
  read nor written (one warning). The index file is searched, git is not run:
  a warm run stays as fast as before (under a millisecond for a few thousand
  files).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

KEY_FILE = "cache-key"
#: 32 random bytes as hex, and a newline.
_KEY_HEX = 64
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: git's index is read up to this size (a 100,000-file repository has ~10 MB).
MAX_INDEX_BYTES = 256 * 1024 * 1024

#: Keys read in this process, by the key file's path (the language server
#: runs many checks).
_KEYS: dict[str, bytes] = {}


class NoKey(Exception):
    """No trustworthy per-user key: the cache is not used (the message says why)."""


def key_dir() -> Path | None:
    """Where the per-user key lives: the user's cache folder, never a repository's."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / "debt-lints"
    if os.name == "nt":  # pragma: no cover - Windows only
        local = os.environ.get("LOCALAPPDATA", "")
        if local and os.path.isabs(local):
            return Path(local) / "debt-lints"
    home = os.path.expanduser("~")
    if not home or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "debt-lints"


def user_key(root: Path) -> bytes:
    """The per-user cache key, created on first use; :class:`NoKey` when there is none.

    ``root`` is the checked folder: a key file inside it could have been
    committed, so it is refused.
    """
    directory = key_dir()
    if directory is None:
        raise NoKey("no home folder to keep the per-user cache key in")
    path = directory / KEY_FILE
    if _inside(path, root):
        raise NoKey(f"the per-user cache key folder {directory} is inside the checked folder")
    known = _KEYS.get(str(path))
    if known is not None:
        return known
    try:
        key = _read_key(path)
        if key is None:
            _create_key(directory, path)
            key = _read_key(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise NoKey(f"cannot keep the per-user cache key in {directory}: {reason}") from exc
    if key is None:  # removed between the create and the read: give up for this run
        raise NoKey(f"the per-user cache key in {directory} vanished")
    _KEYS[str(path)] = key
    return key


def _inside(path: Path, root: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _read_key(path: Path) -> bytes | None:
    """The key in ``path``; ``None`` if there is no file. Raises ``OSError`` if it is not ours."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise OSError(f"{path.name} is a symbolic link; remove it") from exc
        raise
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file; remove it")
        if hasattr(os, "geteuid"):
            if info.st_uid != os.geteuid():
                raise OSError(f"{path.name} belongs to another user; remove it")
            if info.st_mode & 0o077:
                raise OSError(f"{path.name} can be read by others; remove it")
        text = fh.read(_KEY_HEX + 2)
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except ValueError:
        key = b""
    if len(key) * 2 != _KEY_HEX:
        raise OSError(f"{path.name} is damaged; remove it")
    return key


def _create_key(directory: Path, path: Path) -> None:
    """Write a new key to ``path`` unless another process just did (never replaced)."""
    import secrets  # once per user: every other run reads the key

    os.makedirs(directory, mode=0o700, exist_ok=True)
    tmp = directory / f".{KEY_FILE}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_hex(_KEY_HEX // 2).encode("ascii") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        # A hard link publishes the complete file and fails if one exists:
        # two first runs at once agree on the key that was there first.
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links
            if not os.path.lexists(path):
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# --- git's index ---------------------------------------------------------------------


def tracked_cache(root: Path, name: str) -> bool:
    """Whether git tracks anything under ``root/name/`` (the cache directory).

    Reads the index of the repository holding ``root`` (``.git/index``, or a
    worktree's through its ``.git`` file); no index, an unreadable or unknown
    one is "not tracked" (the keyed checksum still guards the contents).
    """
    found = _git_dir(root)
    if found is None:
        return False
    top, git_dir = found
    from debt_lints.core.source import read_bytes

    data = read_bytes(str(git_dir / "index"), MAX_INDEX_BYTES)
    if not isinstance(data, bytes):
        return False
    rel = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    return index_lists(data, f"{prefix}{name}/".encode("utf-8", "surrogateescape"))


def _git_dir(root: Path) -> tuple[Path, Path] | None:
    """``(worktree top, git directory)`` of the repository holding ``root``."""
    from debt_lints.core.source import read_bytes

    for directory in (root, *root.parents):
        dot_git = directory / ".git"
        try:
            info = os.lstat(dot_git)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            return directory, dot_git
        if stat.S_ISREG(info.st_mode):
            # A worktree or a submodule: "gitdir: <path>".
            data = read_bytes(str(dot_git), 4096)
            if not isinstance(data, bytes) or not data.startswith(b"gitdir: "):
                return None
            target = data[len(b"gitdir: ") :].strip().decode("utf-8", "surrogateescape")
            return directory, directory / target
        return None
    return None


def index_lists(data: bytes, prefix: bytes) -> bool:
    """Whether the git index ``data`` has an entry whose path starts with ``prefix``.

    Versions 2 and 3 store each path whole after a 16-bit flags field whose
    low 12 bits are the path's length: a byte search, confirmed by that field,
    finds an entry without walking thousands of them. Version 4 compresses
    each path against the previous one, so it is walked.
    """
    if len(data) < 12 or data[:4] != b"DIRC":
        return False
    version = int.from_bytes(data[4:8], "big")
    if version in (2, 3):
        start = 12
        while (at := data.find(prefix, start)) >= 0:
            if _entry_path_at(data, at):
                return True
            start = at + 1
        return False
    if version == 4:
        count = int.from_bytes(data[8:12], "big")
        return any(_walk_v4(data, count, prefix, hash_size) for hash_size in (20, 32))
    return False


def _entry_path_at(data: bytes, at: int) -> bool:
    """Whether an index entry's path starts at offset ``at``.

    The flags before it must give the length of a NUL-free path ending in a
    NUL (a path longer than 0xFFF bytes has 0xFFF there); version 3's extended
    flags, when present, sit between them and use only their two known bits.
    """
    for flags_at in (at - 2, at - 4):
        if flags_at < 12:
            continue
        flags = int.from_bytes(data[flags_at : flags_at + 2], "big")
        if flags_at == at - 4:
            extended = int.from_bytes(data[at - 2 : at], "big")
            if not flags & 0x4000 or extended & ~0x6000:
                continue
        length = flags & 0xFFF
        if data.find(b"\0", at, at + length) >= 0:
            continue
        if length == 0xFFF or data[at + length : at + length + 1] == b"\0":
            return True
    return False


def _walk_v4(data: bytes, count: int, prefix: bytes, hash_size: int) -> bool:
    """Walk a version 4 index; ``False`` as soon as it does not parse with ``hash_size``."""
    pos, previous = 12, b""
    try:
        for _ in range(count):
            pos += 40 + hash_size
            flags = int.from_bytes(data[pos : pos + 2], "big")
            pos += 4 if flags & 0x4000 else 2
            byte = data[pos]
            pos += 1
            strip = byte & 0x7F
            while byte & 0x80:
                byte = data[pos]
                pos += 1
                strip = ((strip + 1) << 7) | (byte & 0x7F)
            end = data.index(b"\0", pos)
            if strip > len(previous):
                return False
            path = previous[: len(previous) - strip] + data[pos:end]
            if (flags & 0xFFF) != min(len(path), 0xFFF):
                return False
            if path.startswith(prefix):
                return True
            previous, pos = path, end + 1
    except (IndexError, ValueError):
        return False
    return False
