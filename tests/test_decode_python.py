"""``decode_python`` without ``tokenize`` decodes exactly what ``detect_encoding`` decodes.

A file with no byte-order mark and no ``coding`` in its first two lines is
decoded as UTF-8 directly (issue 27: a one-file check then imports no
``tokenize``); everything else goes through ``tokenize.detect_encoding``. Both
ways must give the same text, or the same problem at the same place.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_lints.core.source import _decode_detected, decode_python

SAMPLES = [
    b"",
    b"x = 1\n",
    b"x = 1",
    b"\n\n\n",
    b"x = '\xc3\xa9'\n",
    b"x = 1\r\ny = 2\r\n",
    b"x = 1\ry = '\xe9'\r",  # old Mac line ends: one "line" for detect_encoding
    b"\xe9 = 1\n",  # a bad byte on line 1
    b"# comment\n\xff\n",  # on line 2
    b"x = 1\ny = 2\nz = '\xe9'\n",  # on line 3
    b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
    b"#!/usr/bin/env python\n# coding=cp1252\nx = '\x80'\n",
    b"x = 1\n# coding: latin-1\ny = '\xe9'\n",  # a cookie after code: not one
    b"# coding: latin-1\n",
    b"# coding: nonsense\nx = 1\n",
    b"# vim: set fileencoding=utf-8 :\n",
    b"decoding = 1\n",  # 'coding' in code, not in a comment
    b"x = 1\n\ny = '\xe9'  # coding: latin-1\n",
    codecs.BOM_UTF8 + b"x = '\xc3\xa9'\n",
    codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n",
    codecs.BOM_UTF8 + b"\xff\n",
    codecs.BOM_UTF16_LE + "x = 1\n".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "x = 1\n".encode("utf-16-be"),
    codecs.BOM_UTF32_LE + "x = 1\n".encode("utf-32-le"),
    codecs.BOM_UTF32_BE + "x = 1\n".encode("utf-32-be"),
    "x = 1\n".encode("utf-16-le"),
    b"x = 1\x00\n",
    b"\xed\xa0\x80 = 1\n",  # a lone surrogate, encoded
]


@pytest.mark.parametrize("data", SAMPLES)
def test_decoding_without_tokenize_gives_what_detect_encoding_gives(data: bytes) -> None:
    assert decode_python(data) == _decode_detected(data)


_PIECES = st.sampled_from(
    [
        b"x = 1",
        b"# comment",
        b"# coding: latin-1",
        b"# -*- coding: utf-8 -*-",
        b"coding",
        b"\xe9",
        b"\xc3\xa9",
        b"\xff",
        b"\x80",
        b"\n",
        b"\r\n",
        b"\r",
        b" ",
        b"\x00",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(b"".join))
def test_any_mix_of_cookies_marks_and_bad_bytes_decodes_alike(data: bytes) -> None:
    assert decode_python(data) == _decode_detected(data)


def test_decoding_a_plain_file_imports_no_tokenize() -> None:
    script = (
        "import sys\n"
        "from debt_lints.core.source import decode_python\n"
        "assert decode_python(b'x = 1\\n') == 'x = 1\\n'\n"
        "print('tokenize' in sys.modules)\n"
        "decode_python(b'# coding: latin-1\\nx = 1\\n')\n"
        "print('tokenize' in sys.modules)\n"
    )
    import debt_lints

    src = str(Path(debt_lints.__file__).resolve().parent.parent)
    done = subprocess.run(  # without site, whose .pth files may import anything
        [sys.executable, "-S", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
