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
import sys
import zlib
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import chain, compress, repeat
from operator import and_, gt

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
_MIX = 0xBF58476D1CE4E5B9
#: The bits of a mixed value that make its bin and its rest.
_PACKED = (EMPTY << _BIN_BITS) | (BINS - 1)
_token_ids: dict[str, int] = {}
#: Every ASCII character that is neither a word character nor white space, spaced out:
#: an ASCII text split on white space then gives the tokens :data:`_TOKEN` finds.
_SPACED = str.maketrans(
    {c: f" {c} " for c in map(chr, range(128)) if not (c.isalnum() or c == "_" or c.isspace())}
)
#: Each hash sits in a lane of 128 bits of one integer (the mixing's product fits).
_LANE = 16
#: Values per bin expected below the bound of :func:`_smallest_per_bin` (measured best:
#: a bin has none below it about once in 3,000, a file one time in 23).
_PER_BIN = 8
_masks: dict[bytes, tuple[int, int]] = {}
#: Masks of up to this many lanes are kept (and cut to the length needed).
_KEPT_LANES = 1 << 15


def _tokens(text: str) -> list[str]:
    """``_TOKEN.findall(text)``: in C by :meth:`str.translate` and a split for ASCII."""
    if text.isascii():
        return text.translate(_SPACED).split()
    return _TOKEN.findall(text)


def _token_id(token: str) -> int:
    found = _token_ids.get(token)
    if found is None:
        found = zlib.crc32(token.encode("utf-8", "surrogatepass"))
        if len(_token_ids) < 65536:  # numbers make the vocabulary open-ended
            _token_ids[token] = found
    return found


class _ChunkIds(dict[str, tuple[int, ...]]):
    """The token ids of a run of text without white space, computed on first use.

    The tokens of a text are those of its white-space-separated chunks in order
    (a token never holds white space), and a normalised text is made of few
    distinct chunks (``N(N,N):``, ``N.N=N``): each chunk is split and its tokens
    hashed once, then looked up, instead of every token of every text.
    """

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids = tuple(map(_token_id, _tokens(chunk)))
        if len(self) < _KEPT_CHUNKS:  # names and numbers make the chunks open-ended
            self[chunk] = ids
        return ids


#: At most this many chunks are kept (a few megabytes; the standard library has 22,000).
_KEPT_CHUNKS = 1 << 15
_chunk_ids = _ChunkIds()


def signature(texts: Iterable[str]) -> tuple[int, ...]:
    """The MinHash signature of normalised source texts (one per definition).

    Shingles never span two texts, so reordering definitions changes
    nothing. Empty when there are fewer than :data:`MIN_SHINGLES` shingles.

    The per-shingle work runs in C (the token ids of each chunk of text looked
    up, see :class:`_ChunkIds`; ``map``/``zip`` over the ids, one tuple hash per
    shingle; the mixing on all hashes at once, see :func:`_smallest_per_bin`),
    and each bin's minimum is picked by a sort instead of a Python loop with
    ``min``: the same signature as hashing shingle by shingle, several times faster.
    """
    hashes: set[int] = set()
    chunk_ids = _chunk_ids.__getitem__
    for text in texts:
        ids = list(chain.from_iterable(map(chunk_ids, text.split())))
        if len(ids) < SHINGLE:
            continue
        # zip(ids, ids[1:], ...) yields the same tuples as ids[i : i + SHINGLE].
        hashes.update(map(hash, zip(*[ids[k:] for k in range(SHINGLE)], strict=False)))
    if len(hashes) < MIN_SHINGLES:
        return ()
    return _smallest_per_bin(hashes)


def _mask(lanes: int, low: bytes) -> int:
    """The integer whose ``lanes`` lanes each hold ``low`` (little-endian), then zeros."""
    pattern = low + bytes(_LANE - len(low))
    kept = _masks.get(low)
    if kept is not None and kept[0] >= lanes:
        return kept[1]  # an AND keeps only the shorter operand's length
    mask = int.from_bytes(pattern * lanes, "little")
    if lanes <= _KEPT_LANES:
        _masks[low] = (lanes, mask)
    return mask


_LOW_64 = b"\xff" * 8
#: The packed bits of a mixed value (:data:`_PACKED`), little-endian.
_LOW_PACKED = _PACKED.to_bytes((_PACKED.bit_length() + 7) // 8, "little")


def _smallest_per_bin(hashes: Collection[int]) -> tuple[int, ...]:
    """For each bin, the smallest rest of the mixed hashes that fall in it.

    ``value = (raw & 2**64-1)``, ``value ^= value >> 29``, ``value *= _MIX``
    (modulo 2**64); its low bits are the bin, the 32 bits above the rest.
    The mixing is done on every hash at once: one integer holds them in lanes of
    128 bits (the product of two 64-bit values fits in one), so a shift, two
    masks and one multiplication mix them all in C. Then, when there are many,
    only the values below a bound where each bin expects a few (:data:`_PER_BIN`)
    are sorted: when every bin has one below it, its smallest is among them;
    otherwise every value is sorted.
    """
    count = len(hashes)
    lanes = array("q", bytes(_LANE * count))
    lanes[::2] = array("q", list(hashes))  # two's complement: the raw hash modulo 2**64
    if sys.byteorder == "big":
        lanes.byteswap()
    mixed = int.from_bytes(lanes, "little")
    # A shift brings the next lane's low bits into this lane's top: masked before
    # the product, which would carry them into the next lane.
    mixed = ((mixed ^ (mixed >> 29)) & _mask(count, _LOW_64)) * _MIX
    mixed &= _mask(count, _LOW_PACKED)
    words = array("Q", mixed.to_bytes(_LANE * count, "little"))
    if sys.byteorder == "big":
        words.byteswap()
    packed = words[::2].tolist()  # (rest << _BIN_BITS) | bin, for each hash
    smallest: dict[int, int] = {}
    bound = (_PACKED + 1) * BINS * _PER_BIN // count
    if bound <= _PACKED:  # some values are above it
        few = list(compress(packed, map(gt, repeat(bound), packed)))
        few.sort(reverse=True)  # a dict keeps the last value per key: the smallest
        smallest = dict(zip(map(and_, few, repeat(BINS - 1)), few, strict=True))
    if len(smallest) < BINS:  # few values, or a bin without one below the bound
        packed.sort(reverse=True)
        smallest = dict(zip(map(and_, packed, repeat(BINS - 1)), packed, strict=True))
    bins = [EMPTY] * BINS
    for slot, value in smallest.items():
        bins[slot] = value >> _BIN_BITS
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
