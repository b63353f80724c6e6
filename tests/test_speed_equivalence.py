"""The fast ways compute exactly what the plain definitions do (issue 27).

Signatures and shapes are cached with each file's facts and compared with
freshly computed ones, so a faster way to compute them must give the same
values bit for bit: here against the straightforward per-shingle,
per-pattern definitions they replaced. Paths relative to the root and the
current directory (asked twice per file by a warm run) take a shortcut that
must agree with ``os.path.relpath``.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_lints.analysis import similarity
from debt_lints.repo import shapes

_TOKEN = re.compile(r"\w+|[^\w\s]")
_MASK = (1 << 64) - 1


def reference_signature(texts: list[str]) -> tuple[int, ...]:
    """One tuple hash per shingle, mixed, the minimum kept per bin, one at a time."""
    hashes: set[int] = set()
    for text in texts:
        ids = [zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in _TOKEN.findall(text)]
        size = similarity.SHINGLE
        hashes.update(hash(tuple(ids[i : i + size])) for i in range(len(ids) - size + 1))
    if len(hashes) < similarity.MIN_SHINGLES:
        return ()
    bins = [similarity.EMPTY] * similarity.BINS
    low = similarity.BINS - 1
    for raw in hashes:
        value = raw & _MASK
        value ^= value >> 29
        value = (value * 0xBF58476D1CE4E5B9) & _MASK
        slot = value & low
        rest = (value >> (similarity.BINS.bit_length() - 1)) & similarity.EMPTY
        bins[slot] = min(bins[slot], rest)
    return tuple(bins)


_KEYWORDS = "|".join(sorted(keyword.kwlist, key=len, reverse=True))
_PLAIN = (
    (
        re.compile(
            r"(?i:[rbuf]{0,2})(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""
            r"|'(?:\\.|[^\\'\n])*'|\"(?:\\.|[^\\\"\n])*\")",
            re.DOTALL,
        ),
        "S",
    ),
    (re.compile(r"#[^\n]*"), ""),
    (re.compile(r"(?m)^[ \t]*S[ \t]*$"), ""),
    (re.compile(rf"\b(?!(?:{_KEYWORDS})\b)[^\W\d]\w*"), "N"),
    (re.compile(r",(\s*[)\]}])"), r"\1"),
)


def reference_normal_form(source: str) -> str:
    text = source
    for pattern, replacement in _PLAIN:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


SAMPLE = '''
class Retry:
    """Retries a call."""

    def __init__(self, attempts=3, delay=0.5):
        self.attempts = attempts
        self.delay = delay

    def run(self, func, *args, **kwargs):
        last = None
        for attempt in range(self.attempts):
            try:
                return func(*args, **kwargs)
            except OSError as exc:  # transient
                last = exc
                time.sleep(self.delay * (attempt + 1))
        raise RuntimeError(f"gave up after {self.attempts} attempts") from last


async def fetch(session, url, *, timeout=10):
    async with session.get(url, timeout=timeout) as response:
        if response.status != 200:
            raise ValueError(b"bad status" + str(response.status).encode())
        return await response.json()
'''

#: Python-like text: keywords, names, numbers, strings with prefixes, comments, brackets.
_PIECES = st.sampled_from(
    [
        *keyword.kwlist,
        *("x", "name_1", "_private", "Ünïcode", "rb", "bu", "f", "u", "R"),
        *("0", "12", "3.5", "'s'", '"d"', "r'\\d'", 'b"x"', "f'{a}'", "'''doc'''"),
        *('"""a\nb"""', "'unterminated", "# note", "(", ")", "[", "]", "{", "}", ",", ":"),
        # Quotes escaped, doubled or tripled, inside and at the end of each kind of string.
        *("'''", '"""', "''", "\\'", '\\"', "'a\\'b'", "'''a'''''", '"""\\""""', "'''x\\'''"),
        *(" ", "  ", "\n", "\n    ", "\t", "=", ".", "+", "\\", "\x0c", "\u2028", "é"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=200).map("".join), max_size=6))
def test_signature_is_the_per_shingle_definition(texts: list[str]) -> None:
    assert similarity.signature(texts) == reference_signature(texts)


def test_signature_of_real_code_is_the_per_shingle_definition() -> None:
    texts = [shapes._normal_form(SAMPLE * n)[1] for n in range(1, 4)]
    expected = reference_signature(texts)
    assert expected  # enough shingles for a signature
    assert similarity.signature(texts) == expected
    # Tokens never seen before (numbers) go through the slow path, with the same result.
    fresh = [f"{text} {' '.join(str(10**12 + i) for i in range(40))}" for text in texts]
    assert similarity.signature(fresh) == reference_signature(fresh)


def test_signature_is_the_same_when_chunks_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the table's size, a chunk's ids are computed each time: the same signature."""
    texts = [shapes._normal_form(SAMPLE * n)[1] for n in range(1, 4)]
    expected = reference_signature(texts)
    monkeypatch.setattr(similarity, "_chunk_ids", similarity._ChunkIds())
    monkeypatch.setattr(similarity, "_KEPT_CHUNKS", 3)
    assert similarity.signature(texts) == expected
    assert similarity.signature(texts) == expected
    assert len(similarity._chunk_ids) == 3


@pytest.mark.parametrize("per_bin", [similarity._PER_BIN, 1, 10**6])
@pytest.mark.parametrize("tokens", [700, 3000, 20000])
def test_signature_of_many_shingles_is_the_per_shingle_definition(
    monkeypatch: pytest.MonkeyPatch, per_bin: int, tokens: int
) -> None:
    """Many shingles: only the values below a bound are sorted; with one value per
    bin expected below it, some bin has none and every value is sorted; with a
    bound above every value, all are (the same minimum per bin each time)."""
    import random

    monkeypatch.setattr(similarity, "_PER_BIN", per_bin)
    rng = random.Random(tokens)
    words = ["N", "S", "(", ")", ":", "=", ",", ".", "if", "return", "for", "in", "+", "1"]
    texts = [" ".join(rng.choice(words) for _ in range(tokens)) for _ in range(2)]
    expected = reference_signature(texts)
    assert len(expected) == similarity.BINS and similarity.EMPTY not in expected
    assert similarity.signature(texts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=300).map("".join))
def test_normal_form_is_the_per_pattern_definition(source: str) -> None:
    digest, text = shapes._normal_form(source)
    assert text == reference_normal_form(source)
    assert (
        digest == hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    )


def test_keyword_trie_matches_exactly_the_keywords() -> None:
    pattern = re.compile(rf"(?:{shapes._KEYWORDS})\Z")
    assert all(pattern.match(word) for word in keyword.kwlist)
    prefixes = {word[:i] for word in keyword.kwlist for i in range(1, len(word))}
    longer = {word + "x" for word in keyword.kwlist}
    for word in (prefixes | longer) - set(keyword.kwlist):
        assert not pattern.match(word), word


_PART = st.sampled_from(["a", "b", "pkg", "x.py", "..", ".", "", "é", "a b", "-"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PART, max_size=5), st.lists(_PART, max_size=5), st.booleans())
def test_relative_paths_take_the_fast_way_to_the_same_answer(
    root: list[str], below: list[str], relative: bool
) -> None:
    import os
    from pathlib import Path

    from debt_lints.config import display_path, relpath_posix

    base = Path("/" + "/".join(root))
    path = "/".join(below) if relative else f"{base}/{'/'.join(below)}"

    def slow(target: str, start: str) -> str:
        absolute = os.path.abspath(target)
        rel = os.path.relpath(absolute, os.path.abspath(start))
        return Path(rel).as_posix()

    expected = slow(path, str(base))
    if not relative:
        assert display_path(path, base) == expected
    if not expected.startswith(".."):
        assert relpath_posix(path, base) == expected


def reference_excluded(patterns: tuple[str, ...], relpath: str) -> bool:
    """The plain definition: ``fnmatch`` of the base name or the whole path, per pattern."""
    import fnmatch

    name = relpath.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(relpath, p.rstrip("/"))
        for p in patterns
    )


_PART = st.sampled_from(["build", "Build", "a", "b.py", ".git", "x.egg-info", "docs", "a.b"])
_PATTERN = st.sampled_from(
    ["build", "docs/", "a/b.py", "*.egg-info", "[ab]*", "?.b", "a.b", "", "x*y", "Build"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATTERN, max_size=5), st.lists(_PART, min_size=1, max_size=4))
def test_exclude_matcher_is_fnmatch(patterns: list[str], parts: list[str]) -> None:
    from debt_lints.config import _exclude_matcher

    relpath = "/".join(parts)
    assert _exclude_matcher(tuple(patterns))(relpath) == reference_excluded(
        tuple(patterns), relpath
    )
    nested = any(
        reference_excluded(tuple(patterns), "/".join(parts[:i])) for i in range(1, len(parts) + 1)
    )
    assert _exclude_matcher(tuple(patterns), nested=True)(relpath) == nested


def test_patterns_without_wildcards_compile_no_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default excludes are names: a run that only needs them compiles nothing
    (compiling the whole list was a few milliseconds of every one-file run)."""
    import re

    from debt_lints.config import DEFAULT_EXCLUDE, _exclude_matcher

    names = tuple(p for p in DEFAULT_EXCLUDE if "*" not in p)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"compiled {args}")

    monkeypatch.setattr(re, "compile", refuse)
    matches = _exclude_matcher((*names, "dist/"), nested=True)
    assert matches("a/.git/b.py") and matches("dist/x.py") and not matches("src/a.py")


def test_package_fingerprint_is_the_relpath_listing() -> None:
    """The cache key's listing of debt-lints' modules, against ``os.path.relpath``."""
    import os

    from debt_lints import package_root
    from debt_lints.running.cache import package_fingerprint

    root = package_root()
    parts = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                info = os.stat(os.path.join(directory, name))
                rel = os.path.relpath(os.path.join(directory, name), root)
                parts.append(f"{rel}:{info.st_size}:{info.st_mtime_ns}")
    assert package_fingerprint() == "\n".join(parts)
    assert "engine/walk.py:" in package_fingerprint()
