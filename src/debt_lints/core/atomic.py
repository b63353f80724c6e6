"""Atomic file writes: a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class NotARegularFile(OSError):
    """The target exists and is a device, FIFO, socket or directory."""


def is_special_file(path: Path) -> bool:
    """True for an existing path that is not a regular file (``/dev/stdout``, a FIFO)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    The temporary file is flushed and fsynced, then renamed over ``path`` with
    ``os.replace``; an existing file's permission bits are kept. On any error
    the temporary file is removed and ``path`` is untouched.

    A symbolic link is written through (its target is replaced, the link
    stays). Anything that is not a regular file (``/dev/null``, a FIFO, a
    directory) is never replaced: that raises :class:`NotARegularFile`.

    Writing through links is right only for a path the *user* names
    (``--output-file``, the docs generators): for a path the checked
    repository controls (its baseline, its mypy configuration) a link is the
    repository's choice and may lead anywhere; use :func:`write_confined`.
    """
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        mode: int | None = None
    else:
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"{path}: not a regular file, not replaced")
        mode = stat.S_IMODE(info.st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_confined(root: Path, path: Path, data: bytes) -> None:
    """Atomically replace ``path``, a file below ``root``, following no link on the way.

    The counterpart of :func:`atomic_write_bytes` for paths the *repository*
    controls (the baseline, the mypy configuration): there, a link is the
    repository's choice, not the user's, so nothing is written through one.
    Every directory from ``root`` down is opened without following links
    (missing ones are created), and the final rename replaces the entry
    ``path`` itself. ``atomic_write_bytes``, which writes through a link on
    purpose, is only for paths the user names (``--output-file``).
    Raises :class:`~debt_lints.core.safefs.NotConfined` for a link in the way and
    :class:`ValueError` for a ``path`` outside ``root``.
    """
    from debt_lints.core.safefs import open_chain

    real_root = Path(os.path.realpath(root))
    parts = path.relative_to(real_root).parts
    if not parts:
        raise ValueError(f"{path}: not a file below {real_root}")
    with open_chain(real_root, parts[:-1], create=True, heal=False) as directory:
        directory.replace(parts[-1], data, fsync=True)
