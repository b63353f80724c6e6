"""Colour for the terminal formats: when to use it, and the few styles they use.

Colour is on when the output is a terminal, as ruff, pytest and CPython do it:
``NO_COLOR`` (https://no-color.org) set to anything but ``""`` turns it off,
then ``FORCE_COLOR`` set to anything but ``""`` turns it on even into a pipe
or a file, and ``TERM=dumb`` turns it off. ``NO_COLOR`` wins over
``FORCE_COLOR``, as in CPython 3.13's own colour handling.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

BOLD = "1"
RED = "1;31"
BLUE = "1;34"
CYAN = "36"
DIM = "2"


def use_color(stream: TextIO | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output written to ``stream`` (``None``: a file) gets ANSI colours."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", ""):
        return True
    if env.get("TERM", "") == "dumb" or stream is None:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def paint(text: str, style: str, color: bool) -> str:
    """``text`` in ``style`` (an SGR parameter string) when ``color`` is on."""
    if not color or not text:
        return text
    return f"\x1b[{style}m{text}\x1b[0m"
