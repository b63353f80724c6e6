"""File operations confined to a directory the repository cannot redirect.

A checked repository controls every name below its root: it can commit a
symbolic link where debt-lints expects its cache directory, its lock file or
one of its temporaries. Everything debt-lints creates, rewrites or deletes
below the root therefore goes through directory file descriptors opened with
``O_NOFOLLOW`` one component at a time, and acts on names *relative to* such
a descriptor: a link anywhere in the chain is never followed, so nothing
outside the directory it was opened from is read, written or removed.

Where the platform has no ``dir_fd`` support (Windows), the same checks are
made with ``lstat`` on paths; that leaves a race with a concurrent attacker
on the same machine, which is outside the threat model (a committed tree).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

#: What ``os.access`` supports here (``faccessat``'s flags).
_ACCESS_AT = os.access in os.supports_dir_fd
_ACCESS_EFFECTIVE = os.access in os.supports_effective_ids
_ACCESS_NOFOLLOW = os.access in os.supports_follow_symlinks

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC
HAVE_DIR_FD = (
    os.open in os.supports_dir_fd
    and os.unlink in os.supports_dir_fd
    and os.mkdir in os.supports_dir_fd
    and os.scandir in os.supports_fd
)


class NotConfined(OSError):
    """A name below the directory is not what debt-lints may act on (a link, a device)."""


class Dir:
    """A directory reached from a trusted root without following any link.

    ``fd`` is ``None`` on platforms without ``dir_fd`` support, where ``path``
    is used after ``lstat`` checks instead.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None

    def __enter__(self) -> Dir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- names inside this directory ------------------------------------------------

    def _where(self, name: str) -> tuple[str, int | None]:
        if not name or "/" in name or name in (".", "..") or os.sep in name:
            raise ValueError(f"not a plain file name: {name!r}")
        if self.fd is None:  # pragma: no cover - platforms without dir_fd
            return str(self.path / name), None
        return name, self.fd

    def lstat(self, name: str) -> os.stat_result | None:
        where, fd = self._where(name)
        try:
            return os.stat(where, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def read_regular(self, name: str, max_size: int) -> bytes | None:
        """The bytes of a regular file ``name``; ``None`` if it does not exist.

        A link, FIFO, device or directory raises :class:`NotConfined`; a file
        larger than ``max_size`` raises it too. The open never blocks.
        """
        fh = self.open_regular(name, max_size)
        if fh is None:
            return None
        with fh:
            data = fh.read(max_size + 1)
        if len(data) > max_size:
            raise NotConfined(f"{self.path / name}: larger than {max_size} bytes")
        return data

    def open_regular(self, name: str, max_size: int) -> BinaryIO | None:
        """A regular file ``name`` open for reading (its parts), checked as
        :meth:`read_regular` checks it; ``None`` if it does not exist."""
        where, fd = self._where(name)
        flags = os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK
        if fd is None:  # pragma: no cover - platforms without dir_fd
            info = self.lstat(name)
            if info is None:
                return None
            if not stat.S_ISREG(info.st_mode):
                raise NotConfined(f"{self.path / name}: not a regular file")
        try:
            handle = os.open(where, flags, dir_fd=fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise NotConfined(f"{self.path / name}: {exc.strerror or exc}") from exc
        fh = os.fdopen(handle, "rb")
        try:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise NotConfined(f"{self.path / name}: not a regular file")
            if info.st_size > max_size:
                raise NotConfined(f"{self.path / name}: larger than {max_size} bytes")
        except BaseException:
            fh.close()
            raise
        return fh

    def replace(self, name: str, data: bytes, *, fsync: bool = False) -> None:
        """Write ``data`` to a new temporary file here and rename it over ``name``.

        The rename replaces a regular file or a link *itself*, never a link's
        target. A directory in the way raises (``IsADirectoryError``). With
        ``fsync`` the data and the directory entry are flushed to disk.

        An existing regular file is replaced as an editor saves it, not as a
        rename would leave it: one the user may not write, or that has no
        write permission bit at all (read-only, even for root), is refused
        with ``PermissionError`` (``EACCES``) and left untouched; its owner
        and group are kept (the replacement is given them, and when that is
        not permitted the file is refused rather than handed to another
        owner); its permission bits are kept, less setuid and setgid (as the
        kernel drops them when a file is written). A hard link is split from
        its twins: the other names keep the old content.
        """
        found = self.lstat(name)
        old = found if found is not None and stat.S_ISREG(found.st_mode) else None
        mode = stat.S_IMODE(old.st_mode) & ~(stat.S_ISUID | stat.S_ISGID) if old else None
        if old is not None:
            self._check_writable(name, old)
        import secrets  # a write: a run that finds its cache up to date makes none

        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        where, fd = self._where(tmp)
        handle = os.open(
            where, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o666, dir_fd=fd
        )
        try:
            with os.fdopen(handle, "wb") as fh:
                if old is not None:
                    self._keep_owner(fh.fileno(), name, old)
                if mode is not None and hasattr(os, "fchmod"):
                    os.fchmod(fh.fileno(), mode)
                fh.write(data)
                if fsync:
                    fh.flush()
                    os.fsync(fh.fileno())
            target, _ = self._where(name)
            os.replace(where, target, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(where, dir_fd=fd)
            raise
        if fsync and self.fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self.fd)

    def _check_writable(self, name: str, old: os.stat_result) -> None:
        where, fd = self._where(name)
        denied = not stat.S_IMODE(old.st_mode) & 0o222
        if not denied and _ACCESS_AT:
            try:
                denied = not os.access(
                    where,
                    os.W_OK,
                    dir_fd=fd,
                    effective_ids=_ACCESS_EFFECTIVE,
                    follow_symlinks=not _ACCESS_NOFOLLOW,
                )
            except (OSError, NotImplementedError):  # pragma: no cover - platform-dependent
                denied = False
        if denied:
            raise PermissionError(
                errno.EACCES, "read-only (not writable by you)", str(self.path / name)
            )

    def _keep_owner(self, handle: int, name: str, old: os.stat_result) -> None:
        if not hasattr(os, "fchown"):
            return  # pragma: no cover - Windows
        mine = os.fstat(handle)
        if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid):
            return
        try:
            os.fchown(handle, old.st_uid, old.st_gid)
        except PermissionError as exc:
            raise PermissionError(
                errno.EACCES,
                "owned by another user or group; replacing it would change its owner",
                str(self.path / name),
            ) from exc

    def open_lock(self, name: str) -> int:
        """A descriptor of the lock file ``name`` here, created if missing, never via a link."""
        where, fd = self._where(name)
        flags = os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK
        try:
            handle = os.open(where, flags, 0o644, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):
                raise NotConfined(f"{self.path / name}: a symbolic link") from exc
            raise
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise NotConfined(f"{self.path / name}: not a regular file")
        return handle

    def same_entry(self, name: str, handle: int) -> bool:
        """Whether ``name`` here is still the file open as ``handle``."""
        info = self.lstat(name)
        mine = os.fstat(handle)
        return info is not None and (info.st_dev, info.st_ino) == (mine.st_dev, mine.st_ino)

    def unlink(self, name: str) -> None:
        """Remove the entry ``name`` itself (a link is removed, never followed)."""
        where, fd = self._where(name)
        os.unlink(where, dir_fd=fd)

    def remove_tree(self, name: str) -> None:
        """Remove the real directory ``name`` and what it holds, following no link."""
        import shutil

        info = self.lstat(name)
        if info is None:
            return
        if not stat.S_ISDIR(info.st_mode):
            self.unlink(name)
            return
        if sys.version_info >= (3, 11) and self.fd is not None:
            shutil.rmtree(name, dir_fd=self.fd)
        else:  # pragma: no cover - Python 3.10, or no dir_fd support
            # Checked above to be a real directory; rmtree never follows links inside.
            shutil.rmtree(self.path / name)

    def entries(self) -> Iterator[tuple[str, os.stat_result]]:
        """``(name, lstat)`` of every entry; links are reported, not followed."""
        target: int | str = self.fd if self.fd is not None else str(self.path)
        with os.scandir(target) as it:
            for entry in it:
                with contextlib.suppress(OSError):
                    yield entry.name, entry.stat(follow_symlinks=False)

    def subdir(self, name: str, *, create: bool = False, heal: bool = False) -> Dir:
        """The real directory ``name`` inside this one.

        ``create`` makes it when missing. ``heal`` first removes whatever
        non-directory stands there (a file, or a link, which is removed and
        never followed); without it such an entry raises :class:`NotConfined`.
        """
        path = self.path / name
        where, fd = self._where(name)
        for _ in range(3):
            info = self.lstat(name)
            if info is None:
                if not create:
                    raise FileNotFoundError(2, "No such directory", str(path))
                with contextlib.suppress(FileExistsError):
                    os.mkdir(where, 0o777, dir_fd=fd)
                continue
            if not stat.S_ISDIR(info.st_mode):
                if not heal:
                    kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a directory"
                    raise NotConfined(f"{path}: {kind}")
                self.unlink(name)
                continue
            if fd is None:  # pragma: no cover - platforms without dir_fd
                return Dir(path, None)
            try:
                return Dir(path, os.open(where, _DIR_FLAGS, dir_fd=fd))
            except FileNotFoundError:
                continue
            except OSError as exc:
                # ELOOP/ENOTDIR: replaced by a link between lstat and open.
                raise NotConfined(f"{path}: {exc.strerror or exc}") from exc
        raise NotConfined(f"{path}: keeps changing")


def open_root(root: Path) -> Dir:
    """The trusted starting directory (the project root chosen by the user)."""
    if not HAVE_DIR_FD:  # pragma: no cover - platforms without dir_fd
        return Dir(root, None)
    flags = os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC
    return Dir(root, os.open(root, flags))


def open_chain(root: Path, parts: Sequence[str], *, create: bool, heal: bool) -> Dir:
    """``root/parts[0]/parts[1]/...``, each component a real directory below ``root``."""
    current = open_root(root)
    try:
        for part in parts:
            child = current.subdir(part, create=create, heal=heal)
            current.close()
            current = child
    except BaseException:
        current.close()
        raise
    return current
