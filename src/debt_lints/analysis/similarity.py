"""Near-duplicate modules at the scale of a monorepo: token shingles, MinHash and LSH.

A copy that drifted (renamed identifiers, a retry added here, a helper
removed there, definitions reordered) no longer has the same definitions as
its original, but still shares most of its *token shingles*: runs of
:data:`SHINGLE` consecutive tokens of the normalised source (identifiers and
strings replaced by placeholders, so renaming does not matter). The Jaccard
similarity of two modules' shingle sets is estimated from a fixed-size
MinHash signature (one-permutation hashing: one hash per shingle, the
minimum kept in each of :data:`BINS` bins), and candidate pairs are found by
locality-sensitive hashing (bands of :data:`ROWS` bins): modules are only
compared when a band of their signatures is equal, so the work grows with
the number of modules, not with its square (SourcerCC and jscpd index for
the same reason). A band shared by more than ``max_bucket`` modules is
boilerplate and is skipped.

Everything here is pure, deterministic and stable across runs (signatures
are cached with a file's facts): tokens are hashed with CRC-32, shingles
with Python's hash of a tuple of integers, which is not randomised.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence

#: Tokens per shingle: long enough that generic runs (``N = N ( N )``) are rare.
SHINGLE = 10
#: Bins of a signature, and bins per LSH band.
BINS = 128
ROWS = 4
#: A signature's value for an empty bin.
EMPTY = 0xFFFFFFFF
#: Fewer shingles than this: too little code to tell a copy.
MIN_SHINGLES = 64
_TOKEN = re.compile(r"\w+|[^\w\s]")
_BIN_BITS = BINS.bit_length() - 1
_MASK = (1 << 64) - 1
_token_ids: dict[str, int] = {}


def _token_id(token: str) -> int:
    found = _token_ids.get(token)
    if found is None:
        found = zlib.crc32(token.encode("utf-8", "surrogatepass"))
        if len(_token_ids) < 65536:  # numbers make the vocabulary open-ended
            _token_ids[token] = found
    return found


def signature(texts: Iterable[str]) -> tuple[int, ...]:
    """The MinHash signature of normalised source texts (one per definition).

    Shingles never span two texts, so reordering definitions changes
    nothing. Empty when there are fewer than :data:`MIN_SHINGLES` shingles.
    """
    hashes: set[int] = set()
    for text in texts:
        ids = [_token_id(t) for t in _TOKEN.findall(text)]
        hashes.update(hash(tuple(ids[i : i + SHINGLE])) for i in range(len(ids) - SHINGLE + 1))
    if len(hashes) < MIN_SHINGLES:
        return ()
    bins = [EMPTY] * BINS
    low = BINS - 1
    for raw in hashes:
        value = raw & _MASK
        value ^= value >> 29  # mix the tuple hash's low bits before binning
        value = (value * 0xBF58476D1CE4E5B9) & _MASK
        slot = value & low
        rest = (value >> _BIN_BITS) & EMPTY
        bins[slot] = min(bins[slot], rest)
    return tuple(bins)


def similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures (0 to 1)."""
    if len(first) != BINS or len(second) != BINS:
        return 0.0
    used = equal = 0
    for a, b in zip(first, second, strict=True):
        if a == EMPTY and b == EMPTY:
            continue
        used += 1
        equal += a == b
    return equal / used if used else 0.0


def candidate_pairs(
    signatures: Mapping[str, Sequence[int]], max_bucket: int = 32
) -> set[tuple[str, str]]:
    """Pairs of names (sorted within the pair) whose signatures share a band.

    A band whose bins are all empty is no evidence; a band shared by more
    than ``max_bucket`` signatures is boilerplate and yields no pair.
    """
    buckets: dict[tuple[int, ...], list[str]] = {}
    for name in sorted(signatures):
        sig = signatures[name]
        if len(sig) != BINS:
            continue
        for band in range(0, BINS, ROWS):
            rows = tuple(sig[band : band + ROWS])
            if all(v == EMPTY for v in rows):
                continue
            buckets.setdefault((band, *rows), []).append(name)
    out: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > max_bucket:
            continue
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                out.add((first, second))
    return out
