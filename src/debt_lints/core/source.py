"""Reading source files safely: bytes in, text or one clear problem out.

Decoding follows CPython (PEP 263 coding cookie, UTF-8 BOM, UTF-8 default),
so whatever CPython would accept is analysed and everything else becomes
exactly one DL001 finding with a position, never an exception.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from typing import BinaryIO

# PEP 263: a coding cookie is a comment on line 1 or 2 naming the encoding.
_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

#: Byte-order marks of encodings that Python source can never be in.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class SourceProblem:
    """Why a file could not be read or decoded, and where (1-based)."""

    message: str
    line: int = 1
    column: int = 1


def read_bytes(path: str, max_size: int | None = None) -> bytes | SourceProblem:
    """Read a regular file without ever blocking on a FIFO or device.

    The file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the
    open descriptor, so a path that is swapped for a FIFO between the walk
    and the read cannot hang the run. A file over ``max_size`` bytes is not
    read at all; one that grows past it while being read (a log being
    written) is cut off at ``max_size + 1`` bytes and reported the same way,
    so memory stays bounded.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
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


def decode_python(data: bytes) -> str | SourceProblem:
    """Decode Python source bytes as CPython would."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return _encoding_problem(data, str(exc.msg or exc))
    except (LookupError, UnicodeError, ValueError) as exc:  # pragma: no cover - defensive
        return SourceProblem(f"cannot decode: {exc}")
    return _decode(data, encoding)


def _encoding_problem(data: bytes, detail: str) -> SourceProblem:
    """A clear message, at the right place, for what ``detect_encoding`` refused."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return SourceProblem(
                f"cannot decode: the file is {name} (it starts with a {name} byte-order mark);"
                " Python source must be UTF-8 or declare an ASCII-compatible encoding"
            )
    cookie = _find_cookie(data)
    if cookie is not None:
        line, column, name = cookie
        if data.startswith(codecs.BOM_UTF8):
            return SourceProblem(
                f"cannot decode: the UTF-8 byte-order mark conflicts with the coding cookie"
                f" {name!r}; remove one of them",
                line,
                column,
            )
        try:
            codecs.lookup(name)
        except LookupError:
            return SourceProblem(f"cannot decode: unknown encoding {name!r}", line, column)
    # No usable cookie and the first lines are not UTF-8: report the first bad byte.
    problem = _decode(data, "utf-8")
    if isinstance(problem, SourceProblem):
        return problem
    return SourceProblem(f"cannot decode: {detail}")


def _find_cookie(data: bytes) -> tuple[int, int, str] | None:
    head = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    for number, line in enumerate(head.split(b"\n", 2)[:2], start=1):
        match = _COOKIE_RE.match(line)
        if match:
            name = match.group(1).decode("ascii", errors="replace")
            return number, match.start(1) + 1, name
        if not line.lstrip(b" \t\f").startswith(b"#") and line.strip():
            return None  # PEP 263: a cookie on line 2 only counts after a comment line
    return None


def decode_text(data: bytes) -> str | SourceProblem:
    """Decode a YAML file: UTF-8, or UTF-16/UTF-32 with a byte-order mark (YAML 1.2, 5.2)."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return _decode(data, name.lower(), hint="re-encode as UTF-8")
    return _decode(data, "utf-8-sig", hint="re-encode as UTF-8")


def _decode(
    data: bytes, encoding: str, hint: str = "add a coding cookie or re-encode as UTF-8"
) -> str | SourceProblem:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start
        if data.startswith(codecs.BOM_UTF8) and codecs.lookup(encoding).name == "utf-8-sig":
            # The utf-8-sig decoder strips the BOM first and counts from after it.
            start += len(codecs.BOM_UTF8)
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        # Characters, not bytes, as editors count: the part of the line before
        # the bad byte decoded fine.
        try:
            before = data[line_start:start].decode(encoding, errors="replace")
        except Exception:  # a codec without "replace" support (idna): count bytes
            before = "?" * (start - line_start)
        column = len(before.lstrip("\ufeff")) + 1
        shown = "utf-8" if encoding == "utf-8-sig" else encoding
        return SourceProblem(
            f"cannot decode as {shown}: invalid byte {data[start : start + 1]!r} ({hint})",
            line,
            column,
        )
    except LookupError as exc:  # "'base64' is not a text encoding"
        return SourceProblem(f"cannot decode as {encoding}: {exc}")
    except Exception as exc:
        # A cookie can name any registered codec ("undefined", "idna", a
        # codec some installed package registers); whatever it raises is the
        # file's problem, not a crash of the run.
        return SourceProblem(f"cannot decode as {encoding}: {type(exc).__name__}: {exc}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
