"""BLAKE2b, without ``import hashlib``.

``hashlib`` loads OpenSSL for the hashes debt-lints never uses: about 2 ms of a
one-file check, a twentieth of it. Every BLAKE2b debt-lints computes (the cache's
keys and MACs, the repository phase's memo, DL6 shapes, the container facts)
comes from here: CPython's ``_blake2``, which ``hashlib.blake2b`` is, or
``hashlib``'s on an interpreter without it.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's module
    from hashlib import blake2b

__all__ = ["blake2b"]
