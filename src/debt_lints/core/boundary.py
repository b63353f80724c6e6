"""The repository boundary: the one way debt-lints reads a file the repository controls.

A checked repository decides every name below its root: it can commit a FIFO
where a source file or a ``.gitignore`` is expected, a link to ``/dev/zero``,
or a link to ``/proc/self/environ`` or ``~/.netrc``. Every read of such a file
(sources, notebooks, YAML, configurations, baselines, ``.gitignore`` and
``.git/info/exclude``) goes through :func:`read_bytes`, which:

* opens with ``O_NONBLOCK`` and judges the *open descriptor* with ``fstat``:
  a FIFO, socket, device or directory is refused unread, so nothing can hang;
* reads at most ``max_size + 1`` bytes, so nothing can exhaust memory;
* given the project ``root``, never opens a path whose real location (links
  resolved) leaves the root: a link the repository commits cannot make
  debt-lints read, hash or print anything outside it. The descriptor that is
  read is checked to be the very file that was judged inside the root, so a
  link swapped in between cannot redirect the read either.

``tests/test_boundary.py`` fails when code under ``src/`` opens a file in
another way without a reason on its allow-list.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from debt_lints.core.record import FrozenRecord

#: The one message for a path that leads out of the project (nothing was read).
OUTSIDE_ROOT = "symbolic link to a file outside the project; not read"


class SourceProblem(FrozenRecord):
    """Why a file could not be read or decoded, and where (1-based)."""

    __slots__ = ("column", "line", "message")
    message: str
    line: int
    column: int

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "message", message)
        _set(self, "line", line)
        _set(self, "column", column)


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def confined_target(path: str, root: str | os.PathLike[str]) -> str | None:
    """The real path ``path`` reads from, or ``None`` when that leaves ``root``.

    ``root`` is the project root. A path the user names outside the root (it
    is not the repository's doing) is confined to its own folder instead, so
    a link there cannot lead elsewhere either.
    """
    lexical = os.path.normpath(os.path.abspath(path))
    real_root = os.path.realpath(root)
    if not (_within(lexical, os.path.abspath(root)) or _within(lexical, real_root)):
        real_root = os.path.realpath(os.path.dirname(lexical))
    real = os.path.realpath(path)
    return real if _within(real, real_root) else None


def read_bytes(
    path: str,
    max_size: int | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
) -> bytes | SourceProblem:
    """Read a regular file without ever blocking on a FIFO or device.

    The file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the
    open descriptor, so a path that is swapped for a FIFO between the walk
    and the read cannot hang the run. A file over ``max_size`` bytes is not
    read at all; one that grows past it while being read (a log being
    written) is cut off at ``max_size + 1`` bytes and reported the same way,
    so memory stays bounded. With ``root``, a path whose real location is
    outside it is never opened (:data:`OUTSIDE_ROOT`).
    """
    target: str | None = None
    if root is not None:
        target = confined_target(path, root)
        if target is None:
            return SourceProblem(OUTSIDE_ROOT)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            return SourceProblem("broken symbolic link: its target does not exist")
        return SourceProblem("no such file or directory (it may have vanished during the run)")
    except IsADirectoryError:
        return SourceProblem("is a directory, not a file")
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return SourceProblem(
                "path longer than the operating system allows (deeper than its path limit); "
                "not read"
            )
        kind = "directory" if os.path.isdir(path) else "file"
        return SourceProblem(f"cannot read {kind}: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if target is not None and not _same_file(info, target):
            # A link changed between the check and the open: what is open is
            # not the file judged inside the root.
            return SourceProblem(OUTSIDE_ROOT)
        if stat.S_ISDIR(info.st_mode):
            # The walk hands over a directory it could not list.
            try:
                os.listdir(fd)
            except OSError as exc:
                return SourceProblem(f"cannot read directory: {exc.strerror or exc}; not checked")
        if not stat.S_ISREG(info.st_mode):
            return SourceProblem(f"not a regular file ({_kind(info.st_mode)}); not read")
        if max_size is not None and info.st_size > max_size:
            return _too_big(info.st_size, max_size)
        limit = None if max_size is None else max_size + 1
        chunks = []
        size = 0
        while limit is None or size < limit:
            want = 1 << 20 if limit is None else min(1 << 20, limit - size)
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if max_size is not None and size > max_size:
            return _too_big(size, max_size)
        return b"".join(chunks)
    except OSError as exc:
        return SourceProblem(f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)


def _same_file(info: os.stat_result, target: str) -> bool:
    try:
        other = os.stat(target)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino)


def read_text_lines(
    path: Path, max_size: int, *, root: str | os.PathLike[str]
) -> list[str] | SourceProblem:
    """The lines of a small text file the repository controls (``.gitignore``).

    Read through :func:`read_bytes`; a UTF-8 byte-order mark is skipped, bytes
    that are not UTF-8 are kept as ``surrogateescape`` (as Python spells file
    names), and a ``\\r`` before each ``\\n`` is dropped, as git does.
    """
    data = read_bytes(str(path), max_size, root=root)
    if isinstance(data, SourceProblem):
        return data
    text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_stream(stream: BinaryIO, max_size: int) -> bytes | SourceProblem:
    """Read a stream (standard input) as :func:`read_bytes` reads a file: bounded.

    At most ``max_size + 1`` bytes are read, in chunks, so ``/dev/zero`` on
    standard input costs no more memory than the largest file allowed; a
    stream longer than ``max_size`` is the same problem as a file over it.
    """
    chunks = []
    size = 0
    limit = max_size + 1
    while size < limit:
        chunk = stream.read(min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_size:
        # The rest is never read: its length is unknown, only that it is too long.
        return SourceProblem(f"input is over max-file-size ({max_size} bytes); not analysed")
    return b"".join(chunks)


def _too_big(size: int, max_size: int) -> SourceProblem:
    return SourceProblem(
        f"file is {size} bytes, over max-file-size ({max_size} bytes); not analysed"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"
