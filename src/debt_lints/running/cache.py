"""The per-file result cache in ``.debt-lints-cache/`` at the project root.

Layout and why:

* one *packed* file per cache key (``.debt-lints-cache/v1/<key>``), holding
  the entries of every file checked under that key. A warm run over 2,000
  files reads one file and, when nothing changed, writes nothing; a run with
  one change rewrites one file of a few hundred kilobytes. One file per
  source file would cost thousands of opens on a warm run and thousands of
  renames on a cold one. The key covers the cache schema, the debt-lints
  version and source (a changed rule module invalidates everything, which
  matters for editable installs), the Python version (``ast`` differs
  between versions), the configuration fingerprint and the selected rules;
  switching between two configurations therefore does not thrash, and the
  few most recently written keys are kept.
* an entry is keyed by the file's root-relative path (a moved or copied
  repository still hits) and validated by a *stat key* (size, mtime, ctime,
  inode) and a content hash. A matching stat key is trusted without reading
  the file: restoring the mtime of an edited file (``os.utime``) still
  changes its ctime, which user space cannot set. When the stat key differs
  the file is read and hashed, and a matching hash keeps the findings (after
  ``git checkout`` or ``touch``). A file modified within the last
  :data:`RACY_NS` before it was looked at has no stat key stored, so an edit
  within the filesystem's timestamp granularity cannot hide (git's "racily
  clean" rule); such files are hashed on the next run.
* the packed file starts with a header naming the schema, the lengths of
  an *index* and of a body, and a keyed BLAKE2 MAC of the file's name, the
  schema, the lengths and the index, under the per-user key of
  :mod:`debt_lints.running.cachetrust`; the file's name is a MAC of the cache
  key under the same key. The index maps each root-relative path to where
  its entry lies in the body and to the entry's own keyed MAC, so a run over
  a few files (a pre-commit hook, an editor) reads the header, the index and
  those entries only, never the whole file, and still uses nothing that does
  not verify. A repository
  can commit files into ``.debt-lints-cache/`` but cannot know that key, so
  it can neither guess the name nor forge a file that verifies; a directory
  that git tracks is not used at all. Anything that does not match exactly
  (zero length, truncation, a flipped bit, random bytes, a file of another
  version, a file made with another key) is ignored as a whole; an entry
  whose MAC fails when it is read makes the rest of the file ignored too
  (only entries that verified were used). Index and entries are JSON, never
  pickle. Warnings name the
  cache directory, never the file: its name is derived from the key.
* writes go to a temporary file in the same directory, renamed over the old
  one, so concurrent runs see an old or a new file, never a mix; the last
  writer wins, and entries it did not know are simply recomputed later.
  No fsync: a file torn by a power cut fails its digest and is rebuilt.

Every problem with the cache costs at most one warning and never changes a
run's findings or exit status.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from debt_lints import __version__, package_root
from debt_lints.core.digest import blake2b
from debt_lints.core.record import FrozenRecord, Record, replace

try:
    # What hmac.compare_digest falls back to, without hmac (which imports hashlib).
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - an interpreter without CPython's module
    from hmac import compare_digest  # type: ignore[no-redef]  # the same comparison

if TYPE_CHECKING:
    from debt_lints.core import safefs

CACHE_DIR = ".debt-lints-cache"
#: 2: a finding row ends with its fix (JSON text, "" for none); 3: partial files;
#: 4: both; 5: per-directory configuration (a file keyed by its configuration's rules,
#: notebooks never cached, facts from the project root's view); 6: names and
#: checksums keyed with the per-user key (a committed cache cannot verify); 7: an
#: index by path and a MAC per entry (a one-file run reads only its entry).
SCHEMA = 7
MAGIC = b"debt-lints-cache\n"
#: Files changed this recently are "racy": their stat key is not trusted later.
RACY_NS = 2_000_000_000
#: How many packed files (distinct configurations) are kept.
KEEP_KEYS = 8
#: A run over at most this many files reads the entries it needs one by one;
#: a larger one reads the packed file whole.
FEW_FILES = 32
#: Temporary files older than this were left by a killed run and are removed.
STALE_TMP_SECONDS = 3600

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by debt-lints.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Automatically created by debt-lints.\n*\n"

#: (size, mtime_ns, ctime_ns, inode).
StatKey = tuple[int, int, int, int]
#: A finding without its path: line, column, code, end_line, end_column,
#: name, message, severity, scope, snippet, fix (JSON text, "" for none).
FindingRow = tuple[int, int, str, int, int, str, str, str, str, str, str]
_ROW_TYPES = (int, int, str, int, int, str, str, str, str, str, str)
#: JSON-ready per-file facts that whole-program checks may need later (the
#: module's imports, its top-level names ...). Nothing fills it yet; it is
#: stored and returned as is, so adding a producer needs no schema change.
FileSummary = Mapping[str, object]


class Entry(FrozenRecord):
    """What the cache knows about one file."""

    __slots__ = ("digest", "findings", "partial", "stat", "summary", "suppressed")
    #: ``None`` when the file was racy: confirm by hash next time.
    stat: StatKey | None
    digest: str
    findings: tuple[FindingRow, ...]
    summary: FileSummary | None
    #: Findings hidden by ``noqa`` comments (the baseline still counts them).
    suppressed: tuple[FindingRow, ...]
    #: The file did not parse; its findings come from the recovered part (schema 3).
    partial: bool

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        stat: StatKey | None,
        digest: str,
        findings: tuple[FindingRow, ...],
        summary: FileSummary | None = None,
        suppressed: tuple[FindingRow, ...] = (),
        partial: bool = False,
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "stat", stat)
        _set(self, "digest", digest)
        _set(self, "findings", findings)
        _set(self, "summary", summary)
        _set(self, "suppressed", suppressed)
        _set(self, "partial", partial)


def content_digest(data: bytes) -> str:
    """The content hash that confirms an entry (BLAKE2b, 128 bits)."""
    return blake2b(data, digest_size=16).hexdigest()


def stat_key(path: str, now_ns: int | None = None) -> StatKey | None:
    """The fast-check key of ``path``; ``None`` if it cannot be trusted (racy or unstatable).

    On Windows ``st_ctime`` is the creation time, which restoring an edited
    file's mtime does not change: there the content hash always decides.
    """
    if os.name == "nt":  # pragma: no cover - Windows only
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    now = time.time_ns() if now_ns is None else now_ns
    if now - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def package_fingerprint() -> str:
    """Names, sizes and mtimes of debt-lints' own modules.

    A rule edited in an editable install changes results without a version
    bump; this makes such an edit invalidate the cache (about 0.1 ms).
    """
    root = os.fspath(package_root())
    parts: list[str] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        # The walk's folders are ``root`` joined with names: the path from the root
        # is a slice (``os.path.relpath`` per module was most of a warm run's key).
        below = directory[len(root) + 1 :]
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with contextlib.suppress(OSError):
                    info = os.stat(path)
                    rel = os.path.join(below, name) if below else name
                    parts.append(f"{rel}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def cache_key(config_fingerprint: str, codes: Iterable[str]) -> str:
    """The key of one packed file: everything that changes per-file results."""
    material = "\0".join(
        (
            f"schema {SCHEMA}",
            f"debt-lints {__version__}",
            f"{sys.implementation.name} {sys.version_info[:3]}",
            config_fingerprint,
            ",".join(sorted(codes)),
            package_fingerprint(),
        )
    )
    return blake2b(material.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


def file_name(key: str, secret: bytes) -> str:
    """The packed file's name for ``key``: a MAC under the per-user key."""
    mac = blake2b(key.encode("ascii"), digest_size=16, key=secret, person=b"dl-cache-name")
    return mac.hexdigest()


def open_caches(
    root: Path, keys: Iterable[str], *, few: bool = False
) -> tuple[list[Cache], str | None]:
    """The caches of ``keys`` under ``root``, or none and why (one line, without any key).

    No cache is used when git tracks the cache directory (the repository
    supplied it) or when there is no per-user key to verify it with. ``few``:
    the run looks up a few files, whose entries are read one by one.
    """
    from debt_lints.running import cachetrust

    top = cache_dir(root)
    if os.path.lexists(top) and cachetrust.tracked_cache(root, CACHE_DIR):
        return [], (
            f"ignoring the cache: git tracks files in {top}; "
            f"untrack them (git rm -r --cached {CACHE_DIR})"
        )
    try:
        secret = cachetrust.user_key(root)
    except cachetrust.NoKey as exc:
        return [], f"running without the cache: {exc}"
    keys = list(keys)
    stores = []
    for key in keys:
        store = Cache.load(root, key, secret, few=few)
        store.siblings = frozenset(keys) - {key}
        stores.append(store)
    return stores, None


def _reason(exc: OSError, name: str) -> str:
    """What went wrong, without the packed file's name (an ``OSError`` may hold the path)."""
    return (exc.strerror or str(exc)).replace(name, "<cache file>")


class Cache(Record):
    """The loaded entries of one key, and the changes to write back."""

    __slots__ = (
        "_body",
        "_body_at",
        "_body_len",
        "_file",
        "_index",
        "_touched",
        "dirty",
        "entries",
        "key",
        "root",
        "secret",
        "siblings",
        "warning",
    )
    root: Path
    key: str
    #: The per-user key (:func:`debt_lints.running.cachetrust.user_key`).
    secret: bytes
    entries: dict[str, Entry]
    #: At most one line: what went wrong with the cache, for the user.
    warning: str | None
    dirty: bool
    #: Keys of the other caches of the same run (one per configuration of a
    #: monorepo): never pruned by this one's save.
    siblings: frozenset[str]
    #: The verified index: root-relative path -> (offset in the body, length, MAC).
    _index: dict[str, tuple[int, int, str]]
    #: The body, when read whole; else entries are read from ``_file`` at ``_body_at``.
    _body: bytes | None
    _file: BinaryIO | None
    _body_at: int
    _body_len: int
    _touched: set[str]

    def __init__(self, root: Path, key: str, secret: bytes) -> None:
        self.root = root
        self.key = key
        self.secret = secret
        self.entries = {}
        self.warning = None
        self.dirty = False
        self.siblings = frozenset()
        self._index = {}
        self._body = None
        self._file = None
        self._body_at = 0
        self._body_len = 0
        self._touched = set()

    @property
    def name(self) -> str:
        """The packed file's name: unpredictable without the per-user key."""
        return file_name(self.key, self.secret)

    @property
    def path(self) -> Path:
        """Where the packed file is (never shown to the user: its name is keyed)."""
        return cache_dir(self.root) / f"v{SCHEMA}" / self.name

    @property
    def where(self) -> Path:
        """The cache directory, as warnings name it."""
        return cache_dir(self.root)

    def warn(self, message: str) -> None:
        if self.warning is None:
            self.warning = message

    # --- reading ------------------------------------------------------------------

    @classmethod
    def load(cls, root: Path, key: str, secret: bytes, *, few: bool = False) -> Cache:
        """Load the packed file for ``key``; a missing or bad file is an empty cache.

        The header and the index are read and verified; the body is read whole,
        or, with ``few`` (a run over a few files), each entry when it is looked
        up. The cache directory and the file are reached without following
        links (:mod:`debt_lints.core.safefs`): a repository that commits a
        link there cannot make debt-lints read, or later write, anything
        outside it.
        """
        from debt_lints.core import safefs

        cache = cls(root, key, secret)
        cache.dirty = True
        name = cache.name
        try:
            with safefs.open_chain(root, _CHAIN, create=False, heal=False) as directory:
                fh = directory.open_regular(name, MAX_CACHE_BYTES)
        except FileNotFoundError:
            return cache
        except OSError as exc:
            cache.warn(f"ignoring unreadable cache in {cache.where}: {_reason(exc, name)}")
            return cache
        if fh is None:
            return cache
        try:
            size = os.fstat(fh.fileno()).st_size
            opened = _open_packed(fh, size, name, secret, whole=not few)
        except OSError as exc:
            fh.close()
            cache.warn(f"ignoring unreadable cache in {cache.where}: {_reason(exc, name)}")
            return cache
        if isinstance(opened, str):
            fh.close()
            if opened:
                cache.warn(f"ignoring corrupt cache in {cache.where} ({opened}); rebuilding it")
            return cache
        cache._index, cache._body_at, cache._body_len, cache._body = opened
        if cache._body is None:
            cache._file = fh
        else:
            fh.close()
        cache.dirty = False
        return cache

    def close(self) -> None:
        """Let go of the packed file (a run over a few files keeps it open)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _blob(self, where: tuple[int, int, str]) -> bytes | None:
        """The bytes of one entry, verified by its MAC; ``None`` if they do not verify."""
        offset, length, mac = where
        if self._body is not None:
            blob = self._body[offset : offset + length]
        elif self._file is not None:
            try:
                blob = os.pread(self._file.fileno(), length, self._body_at + offset)
            except OSError:
                return None
        else:
            return None
        if len(blob) != length or not compare_digest(_entry_mac(blob, self.secret), mac):
            return None
        return blob

    def _corrupt(self, reason: str) -> None:
        """The packed file is damaged: nothing more is read from it (what verified stays)."""
        self.warn(f"ignoring corrupt cache in {self.where} ({reason}); rebuilding it")
        self._index.clear()
        self._body = None
        self.close()
        self.dirty = True

    def lookup(self, relpath: str, path: str, max_size: int | None = None) -> Entry | None:
        """The entry for ``relpath`` if it still describes the file at ``path``.

        The stat key decides alone when it matches; otherwise the content hash
        does (and the entry's stat key is refreshed).
        """
        self._touched.add(relpath)
        entry = self._entry(relpath)
        if entry is None:
            return None
        now = time.time_ns()
        current = stat_key(path, now)
        if current is not None and entry.stat == current:
            return entry if self._plausible(relpath, entry, current[0]) else None
        from debt_lints.core.source import read_bytes

        data = read_bytes(path, max_size, root=self.root)
        if isinstance(data, bytes) and content_digest(data) == entry.digest:
            if not self._plausible(relpath, entry, len(data)):
                return None
            if current != entry.stat:
                entry = replace(entry, stat=current)
                self.put(relpath, entry)
            return entry
        self.forget(relpath)
        return None

    def _plausible(self, relpath: str, entry: Entry, size: int) -> bool:
        if plausible(entry, size):
            return True
        self.warn(f"ignoring a malformed entry in the cache in {self.where}")
        self.forget(relpath)
        return False

    def _entry(self, relpath: str) -> Entry | None:
        entry = self.entries.get(relpath)
        if entry is not None:
            return entry
        where = self._index.get(relpath)
        if where is None:
            return None
        blob = self._blob(where)
        if blob is None:
            self._corrupt("an entry does not verify")
            return None
        import json

        try:
            raw = json.loads(blob)
        except (ValueError, RecursionError):
            # RecursionError: arrays nested thousands deep (the MAC matched, so a
            # writer bug or a leaked key); a crash here would repeat on every run.
            self._corrupt("bad payload")
            return None
        entry = _decode_entry(raw)
        if entry is None:
            # The MAC matched, so this is a writer bug or a crafted file.
            self.warn(f"ignoring a malformed entry in the cache in {self.where}")
            self._index.pop(relpath, None)
            self.dirty = True
            return None
        self.entries[relpath] = entry
        return entry

    def memo(self, name: str) -> Entry | None:
        """A result of the whole run stored under ``name`` (:meth:`remember`), unverified:
        its ``digest`` says what it was computed from, for the caller to compare."""
        return self._entry(MEMO_PREFIX + name)

    def remember(self, name: str, entry: Entry) -> None:
        """Store a result of the whole run (the whole-repository phase's) under ``name``."""
        self.put(MEMO_PREFIX + name, entry)

    # --- writing ------------------------------------------------------------------

    def put(self, relpath: str, entry: Entry) -> None:
        self._touched.add(relpath)
        self.entries[relpath] = entry
        self.dirty = True

    def forget(self, relpath: str) -> None:
        """Drop a file's entry (its result must not be reused)."""
        self._touched.add(relpath)
        had_entry = self.entries.pop(relpath, None) is not None
        if self._index.pop(relpath, None) is not None or had_entry:
            self.dirty = True

    def save(self) -> None:
        """Write the cache back if anything changed; problems become the warning.

        The packed file is then read whole (its other entries are carried over
        as they are); a run that changed nothing writes and reads no more.
        """
        try:
            if self.dirty:
                self._save()
        finally:
            self.close()

    def _save(self) -> None:
        import json

        if self._body is None and self._file is not None and self._index:
            try:
                self._body = os.pread(self._file.fileno(), self._body_len, self._body_at)
            except OSError:
                self._body = b""
        blobs: dict[str, tuple[bytes, str]] = {}
        for relpath, where in self._index.items():
            if relpath in self.entries or relpath in self._touched:
                continue
            # An entry not looked at in this run is kept while its file exists,
            # so that checking one file does not evict the others.
            if not os.path.exists(self.root / relpath):
                continue
            offset, length, mac = where
            blob = self._body[offset : offset + length] if self._body is not None else b""
            if len(blob) == length:
                blobs[relpath] = (blob, mac)  # verified when a later run reads it
        try:
            for relpath, entry in self.entries.items():
                blob = json.dumps(_encode_entry(entry), separators=(",", ":")).encode("ascii")
                blobs[relpath] = (blob, _entry_mac(blob, self.secret))
        except (ValueError, RecursionError):
            self.warn(f"cannot write cache in {self.where}: an entry cannot be encoded")
            return
        data = _pack_blobs(blobs, self.name, self.secret)
        try:
            self._write(data)
        except OSError as exc:
            self.warn(f"cannot write cache in {self.where}: {_reason(exc, self.name)}")

    def _write(self, data: bytes) -> None:
        from debt_lints.core import safefs

        # ``heal`` replaces a file or a link where a cache directory belongs:
        # the entry itself is removed, a link is never followed.
        with safefs.open_chain(self.root, _CHAIN[:1], create=True, heal=True) as top:
            for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
                info = top.lstat(name)
                if info is None or not stat.S_ISREG(info.st_mode):
                    if info is not None and stat.S_ISDIR(info.st_mode):
                        top.remove_tree(name)
                    top.replace(name, text.encode("ascii"))
            with top.subdir(_CHAIN[1], create=True, heal=True) as directory:
                _replace_bytes(directory, self.name, data)
                keep = {self.name, *(file_name(key, self.secret) for key in self.siblings)}
                _prune(directory, keep=frozenset(keep))


#: Where results of a whole run are kept in the index: never a root-relative path (no
#: file's path starts with a slash), and never carried over by :meth:`Cache.save` unless
#: the run read or rewrote it (no file exists there).
MEMO_PREFIX = "//"
#: The cache directory below the root, one component at a time.
_CHAIN = (CACHE_DIR, f"v{SCHEMA}")
#: A packed file larger than this is not read (a 2,000-file tree packs to ~300 kB).
MAX_CACHE_BYTES = 256 * 1024 * 1024


def _replace_bytes(directory: safefs.Dir, name: str, data: bytes) -> None:
    """Write through a temporary file and rename it over ``name`` in ``directory``."""
    info = directory.lstat(name)
    if info is not None and stat.S_ISDIR(info.st_mode):
        # A real directory where our file belongs, inside our own cache directory.
        directory.remove_tree(name)
    directory.replace(name, data)


def _prune(directory: safefs.Dir, keep: frozenset[str]) -> None:
    """Drop packed files beyond the :data:`KEEP_KEYS` newest, and stale temporaries.

    Only regular files directly inside the real cache directory are removed;
    links, directories and anything else are left alone.
    """
    now = time.time()
    packed: list[tuple[float, str]] = []
    with contextlib.suppress(OSError):
        for name, info in directory.entries():
            if not stat.S_ISREG(info.st_mode):
                continue
            if name.endswith(".tmp"):
                if now - info.st_mtime > STALE_TMP_SECONDS:
                    with contextlib.suppress(OSError):
                        directory.unlink(name)
            elif name not in keep:
                packed.append((info.st_mtime, name))
    packed.sort(reverse=True)
    for _, name in packed[max(KEEP_KEYS - len(keep), 0) :]:
        with contextlib.suppress(OSError):
            current = directory.lstat(name)
            if current is not None and stat.S_ISREG(current.st_mode):
                directory.unlink(name)


# --- the packed format -------------------------------------------------------------


#: The longest header a packed file of this schema can have.
_MAX_HEADER = len(MAGIC) + 128


def _mac(name: str, index_len: int, body_len: int, index: bytes, secret: bytes) -> bytes:
    """The keyed checksum of a packed file: its name, schema, lengths and index.

    The index holds each entry's own MAC (:func:`_entry_mac`), so this one
    vouches for every entry without covering the body.
    """
    mac = blake2b(digest_size=32, key=secret, person=b"dl-cache-index")
    mac.update(f"{SCHEMA} {name} {index_len} {body_len}\n".encode("ascii"))
    mac.update(index)
    return mac.hexdigest().encode("ascii")


def _entry_mac(blob: bytes, secret: bytes) -> str:
    """The keyed checksum of one entry's bytes."""
    return blake2b(blob, digest_size=16, key=secret, person=b"dl-cache-entry").hexdigest()


def _pack_blobs(blobs: Mapping[str, tuple[bytes, str]], name: str, secret: bytes) -> bytes:
    """A packed file of entries already encoded: path -> (JSON bytes, their MAC)."""
    import json

    index: dict[str, list[object]] = {}
    parts: list[bytes] = []
    offset = 0
    for relpath, (blob, entry_mac) in blobs.items():
        index[relpath] = [offset, len(blob), entry_mac]
        parts.append(blob)
        offset += len(blob)
    head = json.dumps(index, separators=(",", ":")).encode("ascii")
    header = f"{SCHEMA} {len(head)} {offset} ".encode("ascii")
    header += _mac(name, len(head), offset, head, secret) + b"\n"
    return b"".join((MAGIC, header, head, *parts))


def _pack(payload: Mapping[str, object], name: str, secret: bytes) -> bytes:
    """A packed file of ``payload`` (path -> JSON-ready entry)."""
    import json

    blobs = {}
    for relpath, raw in payload.items():
        blob = json.dumps(raw, separators=(",", ":")).encode("ascii")
        blobs[relpath] = (blob, _entry_mac(blob, secret))
    return _pack_blobs(blobs, name, secret)


def _open_packed(
    fh: BinaryIO, size: int, name: str, secret: bytes, *, whole: bool
) -> tuple[dict[str, tuple[int, int, str]], int, int, bytes | None] | str:
    """The verified index of the packed file ``fh`` (of ``size`` bytes), where its body
    starts, the body's length and (``whole``) the body; or why not (``""``: a valid
    file of another schema).

    Reads the header and the index only, unless ``whole``.
    """
    data = fh.read(size + 1 if whole else _MAX_HEADER)
    if not data.startswith(MAGIC):
        return "no header" if data else "empty file"
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        return "truncated header"
    fields = data[len(MAGIC) : end].split(b" ")
    if fields and fields[0] != str(SCHEMA).encode():
        return ""
    if len(fields) != 4 or not all(f.isdigit() and len(f) <= 20 for f in fields[1:3]):
        return "bad header"
    index_len, body_len, mac = int(fields[1]), int(fields[2]), fields[3]
    body_at = end + 1 + index_len
    if size != body_at + body_len or (whole and len(data) != size):
        return "truncated"
    head = data[end + 1 : body_at]
    if not whole:
        if len(head) < index_len:
            head += fh.read(index_len - len(head))
        if len(head) != index_len:
            return "truncated"
    if not compare_digest(_mac(name, index_len, body_len, head, secret), mac):
        return "checksum mismatch"
    index = _decode_index(head, body_len)
    if index is None:
        return "bad payload"
    return index, body_at, body_len, (data[body_at:] if whole else None)


def _decode_index(head: bytes, body_len: int) -> dict[str, tuple[int, int, str]] | None:
    """Validate the JSON index; ``None`` if any part has the wrong shape."""
    import json

    try:
        raw = json.loads(head)
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    index: dict[str, tuple[int, int, str]] = {}
    for relpath, where in raw.items():
        if not (isinstance(where, list) and len(where) == 3):
            return None
        offset, length, mac = where
        if type(offset) is not int or type(length) is not int or not isinstance(mac, str):
            return None
        if offset < 0 or length < 0 or offset + length > body_len:
            return None
        index[relpath] = (offset, length, mac)
    return index


def _unpack(data: bytes, name: str, secret: bytes) -> dict[str, object] | str:
    """Every entry of a packed file as JSON values, or why not (``""``: another schema).

    What a full read verifies, all at once (tools and tests; a run reads
    entries as it needs them).
    """
    import io
    import json

    opened = _open_packed(io.BytesIO(data), len(data), name, secret, whole=True)
    if isinstance(opened, str):
        return opened
    index, _, _, body = opened
    assert body is not None
    out: dict[str, object] = {}
    for relpath, (offset, length, mac) in index.items():
        blob = body[offset : offset + length]
        if _entry_mac(blob, secret) != mac:
            return "an entry does not verify"
        try:
            out[relpath] = json.loads(blob)
        except (ValueError, RecursionError):
            return "bad payload"
    return out


def _encode_entry(entry: Entry) -> list[object]:
    return [
        list(entry.stat) if entry.stat is not None else None,
        entry.digest,
        [list(row) for row in entry.findings],
        dict(entry.summary) if entry.summary is not None else None,
        [list(row) for row in entry.suppressed],
        entry.partial,
    ]


def _decode_entry(raw: object) -> Entry | None:
    """Validate one JSON entry; ``None`` if any part has the wrong shape."""
    if not isinstance(raw, list) or len(raw) != 6:
        return None
    stat, digest, rows, summary, hidden, partial = raw
    if type(partial) is not bool:
        return None
    if stat is not None and not (
        isinstance(stat, list) and len(stat) == 4 and all(type(v) is int for v in stat)
    ):
        return None
    if not isinstance(digest, str) or not isinstance(rows, list) or not isinstance(hidden, list):
        return None
    if summary is not None and not isinstance(summary, dict):
        return None
    findings: list[FindingRow] = []
    for row in rows:
        row_tuple = decode_row(row)
        if row_tuple is None:
            return None
        findings.append(row_tuple)
    suppressed: list[FindingRow] = []
    for row in hidden:
        row_tuple = decode_row(row)
        if row_tuple is None:
            return None
        suppressed.append(row_tuple)
    stat_tuple: StatKey | None = None
    if stat is not None:
        stat_tuple = (stat[0], stat[1], stat[2], stat[3])
    return Entry(stat_tuple, digest, tuple(findings), summary, tuple(suppressed), partial)


def decode_row(row: object) -> FindingRow | None:
    """A finding row from JSON, or ``None`` if it is not one debt-lints could have written.

    Beyond the row's exact shape: a registered rule's code with that rule's
    name, a known severity, 1-based positions (ends 0 when unknown). How far
    the positions may go depends on the file: :func:`plausible`.
    """
    if not isinstance(row, list) or len(row) != len(_ROW_TYPES):
        return None
    for value, kind in zip(row, _ROW_TYPES, strict=True):
        if type(value) is not kind:
            return None
    if row[0] < 1 or row[1] < 1 or row[3] < 0 or row[4] < 0:
        return None
    if _rule_names().get(row[2]) != row[5] or row[7] not in _SEVERITIES:
        return None
    return (
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10]
    )  # fmt: skip


_SEVERITIES = frozenset({"error", "warning", "info"})


@functools.cache
def _rule_names() -> dict[str, str]:
    """``{code: name}`` of every registered rule (what a cached finding may name)."""
    from debt_lints.engine.registry import catalogue

    return {code: entry[0] for code, entry in catalogue().items()}


def plausible(entry: Entry, size: int) -> bool:
    """Whether every position of ``entry`` fits in a file of ``size`` bytes.

    A file of ``size`` bytes has at most ``size + 1`` lines and columns (a
    character is at least one byte): a finding at line 10**9 of a small file
    is not one debt-lints wrote for it.
    """
    limit = size + 1
    return all(
        row[0] <= limit and row[1] <= limit and row[3] <= limit and row[4] <= limit
        for row in (*entry.findings, *entry.suppressed)
    )


def remove(root: Path) -> bool:
    """Delete the cache directory under ``root``; ``True`` if something was removed.

    A link in its place is removed itself; nothing it points to is touched.
    """
    from debt_lints.core import safefs

    with safefs.open_root(root) as top:
        if top.lstat(CACHE_DIR) is None:
            return False
        top.remove_tree(CACHE_DIR)
        return True
