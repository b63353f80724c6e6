"""Reading source files safely: bytes in, text or one clear problem out.

Decoding follows CPython (PEP 263 coding cookie, UTF-8 BOM, UTF-8 default),
so whatever CPython would accept is analysed and everything else becomes
exactly one DL001 finding with a position, never an exception.
"""

from __future__ import annotations

import codecs
import io

# Reading lives at the repository boundary; re-exported for the callers that
# decode what they read.
from debt_lints.core.boundary import SourceProblem, read_bytes, read_stream
from debt_lints.core.lazy import lazy_pattern

__all__ = ["SourceProblem", "decode_python", "decode_text", "read_bytes", "read_stream"]

# PEP 263: a coding cookie is a comment on line 1 or 2 naming the encoding.
_COOKIE_RE = lazy_pattern(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

#: Byte-order marks of encodings that Python source can never be in.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


#: Byte-order marks ``tokenize.detect_encoding`` reads (UTF-8) or refuses (the others).
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def decode_python(data: bytes) -> str | SourceProblem:
    """Decode Python source bytes as CPython would."""
    second = data.find(b"\n", data.find(b"\n") + 1)
    if not data.startswith(_BOMS) and b"coding" not in data[: second if second >= 0 else None]:
        # No byte-order mark and no coding cookie in the two lines detect_encoding
        # reads: UTF-8, as it would find, and any bad byte is what it would refuse
        # (``_encoding_problem`` reports it so). Most files: tokenize, which a
        # file without a noqa comment has no other use for, is not imported.
        return _decode(data, "utf-8")
    return _decode_detected(data)


def _decode_detected(data: bytes) -> str | SourceProblem:
    """:func:`decode_python` by ``tokenize.detect_encoding`` (PEP 263, byte-order marks)."""
    import tokenize

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
