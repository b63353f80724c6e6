"""``core.lazy.lazy_pattern``: a module-level pattern compiled on first use, used as compiled."""

from __future__ import annotations

import re

import pytest

from debt_lints.core import lazy
from debt_lints.core.lazy import lazy_pattern


def test_a_lazy_pattern_compiles_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    compile = re.compile

    def counting(text: str, flags: int = 0) -> re.Pattern[str]:
        calls.append(text)
        return compile(text, flags)

    monkeypatch.setattr(lazy.re, "compile", counting)
    found = lazy_pattern(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    assert calls == []
    assert found.match("Ab-12") is not None
    assert len(calls) == 1
    assert found.match("x") is None
    assert found.sub("#", "a-1 b-2") == "# #"  # another method: asked for once
    assert found.sub("#", "c-3") == "#"
    assert len(calls) == 2


def test_a_lazy_pattern_answers_as_the_compiled_pattern() -> None:
    text = r"(?P<word>[a-z]+)-(\d+)"
    lazy_one, compiled = lazy_pattern(text, re.I), re.compile(text, re.I)
    for subject in ("Ab-12 cd-3", "", "x-", "--1"):
        assert lazy_one.findall(subject) == compiled.findall(subject)
        assert lazy_one.split(subject) == compiled.split(subject)
        assert [m.span() for m in lazy_one.finditer(subject)] == [
            m.span() for m in compiled.finditer(subject)
        ]
    assert (lazy_one.pattern, lazy_one.flags, lazy_one.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groupindex,
    )
    assert repr(lazy_one) == repr(compiled)
    data = lazy_pattern(rb"^#.*coding[:=]\s*([-\w.]+)")
    found = data.match(b"# -*- coding: latin-1 -*-")
    assert found is not None and found.group(1) == b"latin-1"


def test_a_lazy_pattern_survives_a_copy() -> None:
    import copy

    for copied in (copy.copy(lazy_pattern("a+")), copy.deepcopy(lazy_pattern("a+"))):
        found = copied.match("aab")
        assert found is not None and found.group() == "aa"
