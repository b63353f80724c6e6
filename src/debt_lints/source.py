"""Reading source files safely: bytes in, text or one clear problem out.

Decoding follows CPython (PEP 263 coding cookie, UTF-8 BOM, UTF-8 default),
so whatever CPython would accept is analysed and everything else becomes
exactly one DL001 finding with a position, never an exception.
"""

from __future__ import annotations

import io
import os
import stat
import tokenize
from dataclasses import dataclass


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
    and the read cannot hang the run.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return SourceProblem("no such file or directory (it may have vanished during the run)")
    except IsADirectoryError:
        return SourceProblem("is a directory, not a file")
    except OSError as exc:
        return SourceProblem(f"cannot read file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return SourceProblem("not a regular file (FIFO, socket or device); skipped")
        if max_size is not None and info.st_size > max_size:
            return SourceProblem(
                f"file is {info.st_size} bytes, over max-file-size ({max_size}); not analysed"
            )
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return SourceProblem(f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)


def decode_python(data: bytes) -> str | SourceProblem:
    """Decode Python source bytes as CPython would."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return SourceProblem(f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}")
    return _decode(data, encoding)


def decode_text(data: bytes) -> str | SourceProblem:
    """Decode a non-Python text file (YAML): UTF-8, with or without BOM."""
    return _decode(data, "utf-8-sig")


def _decode(data: bytes, encoding: str) -> str | SourceProblem:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = exc.start - line_start + 1
        return SourceProblem(
            f"cannot decode as {encoding}: invalid byte {data[exc.start : exc.start + 1]!r}"
            " (add a coding cookie or re-encode as UTF-8)",
            line,
            column,
        )
    except LookupError:
        return SourceProblem(f"unknown encoding {encoding!r}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
