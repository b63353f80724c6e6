"""The baseline file: one JSON document, one entry per line, merge-friendly.

Layout (``FORMAT_VERSION`` 1)::

    [{"format": "debt-lints-baseline", "version": 1}
    ,{"path": "pkg/a.py", "code": "DL201", "scope": "setup", "hash": "3f0c...", "line": 12}
    ,{"path": "pkg/b.py", "code": "DL201", "scope": "", "hash": "9a41...", "line": 3, "reason": "x"}
    ]

It is a valid JSON array whose first element is the header. Every entry sits
on its own line and *starts* with its comma, so adding or removing an entry
changes exactly one line: two branches that remove different entries merge
without touching each other's lines, and a ``merge=union`` merge still gives
valid JSON. Entries are sorted; the body has no timestamps and no tool
versions, so the same debt always gives the same bytes. ``line`` is only a
hint for telling identical occurrences apart (it is not rewritten when code
moves); ``reason`` is recorded by ``debt-lints baseline add``; ``"suppressed":
true`` marks known debt that a ``noqa`` comment now hides (still debt: a
suppression is not a fix, see ``docs/baseline.md``).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.baseline.identity import HASH_LENGTH, Identity
from debt_lints.config import ConfigError
from debt_lints.core.model import is_finding_code

FORMAT_NAME = "debt-lints-baseline"
FORMAT_VERSION = 1

_HASH_RE = re.compile(rf"^[0-9a-f]{{{HASH_LENGTH}}}$")
OPTION_HASH_LENGTH = 8
_OPTION_HASH_RE = re.compile(rf"^[0-9a-f]{{{OPTION_HASH_LENGTH}}}$")
_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(\s|$)", re.M)
_ENTRY_KEYS = frozenset({"path", "code", "scope", "hash", "line", "reason", "suppressed"})
_REQUIRED_KEYS = ("path", "code", "hash")
#: Far above any real baseline (100,000 entries are about 15 MB), far below
#: what would exhaust memory: ``/dev/zero`` or a generated file is refused.
MAX_BASELINE_SIZE = 256 * 1024 * 1024
#: Longer than any path an operating system accepts (PATH_MAX is 4096 on Linux).
MAX_PATH_LENGTH = 4096


class BaselineError(ConfigError):
    """A baseline file that cannot be used; the message names the file and the problem.

    A subclass of :class:`~debt_lints.config.ConfigError`, so the CLI turns it
    into one line on stderr and exit status 2, and nothing is written.
    """


@dataclass(frozen=True, order=True)
class Entry:
    """One known occurrence of one finding.

    Field order is the file's sort order: by path, then the line hint, then
    the identity, so an entry list reads like the files it describes.
    """

    path: str
    line: int
    code: str
    scope: str
    hash: str
    reason: str = ""
    #: A ``noqa`` comment hides this debt (it is not part of the identity).
    suppressed: bool = False

    @property
    def identity(self) -> Identity:
        return Identity(self.path, self.code, self.scope, self.hash)

    def with_path(self, path: str) -> Entry:
        return Entry(
            path, self.line, self.code, self.scope, self.hash, self.reason, self.suppressed
        )

    def with_suppressed(self, suppressed: bool) -> Entry:
        return Entry(
            self.path, self.line, self.code, self.scope, self.hash, self.reason, suppressed
        )

    def to_line(self) -> str:
        """The entry as it appears in the file (without the leading comma)."""
        data: dict[str, object] = {
            "path": self.path,
            "code": self.code,
            "scope": self.scope,
            "hash": self.hash,
            "line": self.line,
        }
        if self.reason:
            data["reason"] = self.reason
        if self.suppressed:
            data["suppressed"] = True
        return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))

    def describe(self) -> str:
        """``path:line: CODE (in scope)``, for messages to the user."""
        from debt_lints.analysis.context import terminal_safe

        where = f" in {self.scope}" if self.scope else ""
        # Path and scope come from the baseline file, which the repository controls.
        return terminal_safe(f"{self.path}:{self.line}: {self.code}{where}")


@dataclass(frozen=True)
class Baseline:
    """The entries of a baseline file, sorted."""

    entries: tuple[Entry, ...] = ()
    #: Where it was read from, for messages (``None`` for one built in memory).
    source: str | None = field(default=None, compare=False)
    #: Rule code -> hash of the rule's option values when its entries were
    #: recorded (header ``"options"``); see :func:`option_hashes`.
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        entries: Iterable[Entry],
        source: str | None = None,
        options: Mapping[str, str] | None = None,
    ) -> Baseline:
        return cls(tuple(sorted(entries)), source, tuple(sorted((options or {}).items())))

    def option_map(self) -> dict[str, str]:
        return dict(self.options)

    def __len__(self) -> int:
        return len(self.entries)

    def paths(self) -> frozenset[str]:
        return frozenset(e.path for e in self.entries)


def dumps(baseline: Baseline | Iterable[Entry], options: Mapping[str, str] | None = None) -> str:
    """The file's text: deterministic for the same entries, whatever their order.

    ``options`` (rule code -> option hash) goes into the header; by default
    a :class:`Baseline`'s own.
    """
    if isinstance(baseline, Baseline):
        entries: tuple[Entry, ...] = baseline.entries
        if options is None:
            options = baseline.option_map()
    else:
        entries = tuple(baseline)
    head: dict[str, object] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if options:
        head["options"] = dict(sorted(options.items()))
    header = json.dumps(head)
    lines = [f"[{header}\n"]
    lines.extend(f",{entry.to_line()}\n" for entry in sorted(entries))
    lines.append("]\n")
    return "".join(lines)


def parse(text: str, source: str) -> Baseline:
    """Validate and read a baseline's text. ``source`` names it in errors.

    Raises :class:`BaselineError` for anything that is not a well-formed
    baseline of a version this release reads.
    """
    if not text.strip():
        raise BaselineError(f"{source}: the baseline file is empty (truncated?)")
    marker = _CONFLICT_RE.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise BaselineError(
            f"{source}:{line}: unresolved merge conflict marker; resolve it (or see "
            "docs/baseline.md for the merge driver)"
        )
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        # A cut-off file fails at its end, or inside a string it cut (the
        # error then points at the string's start): either way it no longer
        # ends with the closing bracket of the document.
        end = text.rstrip()
        truncated = exc.pos >= len(end) or not end.endswith(("]", "}"))
        hint = " (truncated?)" if truncated else ""
        raise BaselineError(f"{source}:{exc.lineno}: not valid JSON{hint}: {exc.msg}") from None
    except ValueError as exc:
        raise BaselineError(f"{source}: {exc}") from None
    except RecursionError:
        message = "not a debt-lints baseline (JSON nested too deeply)"
        raise BaselineError(f"{source}: {message}") from None
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        raise BaselineError(
            f"{source}: not a debt-lints baseline (expected a JSON array "
            "whose first element is the header)"
        )
    options = _check_header(data[0], source)
    lines = text.splitlines()
    canonical = len(lines) == len(data) + 1
    entries = []
    for index, raw in enumerate(data[1:], start=1):
        where = f"{source}:{index + 1}" if canonical else f"{source}: entry {index}"
        entries.append(_entry(raw, where))
    return Baseline.of(entries, source, options)


def _no_duplicate_keys(pairs: Sequence[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _check_header(header: dict[str, object], source: str) -> dict[str, str]:
    if header.get("format") != FORMAT_NAME:
        raise BaselineError(f"{source}: not a debt-lints baseline (no {FORMAT_NAME!r} header)")
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise BaselineError(
            f"{source}: baseline format version {version!r} is not supported by this "
            f"debt-lints (it reads version {FORMAT_VERSION}); upgrade debt-lints"
        )
    unknown = sorted(set(header) - {"format", "version", "options"})
    if unknown:
        raise BaselineError(f"{source}:1: unknown header key {unknown[0]!r}")
    options = header.get("options", {})
    if not isinstance(options, dict) or not all(
        isinstance(code, str)
        and is_finding_code(code)
        and isinstance(value, str)
        and _OPTION_HASH_RE.match(value)
        for code, value in options.items()
    ):
        raise BaselineError(
            f"{source}:1: header 'options' must map rule codes to {OPTION_HASH_LENGTH} hex digits"
        )
    return dict(options)


def _entry(raw: object, where: str) -> Entry:
    # The common case (a well-formed entry) in one pass; anything else goes
    # through the checks below, one by one, for a precise message.
    if type(raw) is dict and raw.keys() <= _ENTRY_KEYS:
        path, code, hash_ = raw.get("path"), raw.get("code"), raw.get("hash")
        scope, reason, line = raw.get("scope", ""), raw.get("reason", ""), raw.get("line", 1)
        suppressed = raw.get("suppressed", False)
        if (
            type(suppressed) is bool
            and type(path) is str
            and type(code) is str
            and type(hash_) is str
            and type(scope) is str
            and type(reason) is str
            and type(line) is int
            and line >= 1
            and path_problem(path) is None
            and is_finding_code(code)
            and _HASH_RE.match(hash_)
        ):
            return Entry(path, line, code, scope, hash_, reason, suppressed)
    return _checked_entry(raw, where)


def _checked_entry(raw: object, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise BaselineError(f"{where}: an entry must be a JSON object")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise BaselineError(f"{where}: unknown key {unknown[0]!r}")
    for key in _REQUIRED_KEYS:
        if key not in raw:
            raise BaselineError(f"{where}: missing {key!r}")
    values: dict[str, str] = {}
    for key in ("path", "code", "hash", "scope", "reason"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise BaselineError(f"{where}: {key!r} must be a string")
        values[key] = value
    suppressed = raw.get("suppressed", False)
    if not isinstance(suppressed, bool):
        raise BaselineError(f"{where}: 'suppressed' must be true or false")
    line = raw.get("line", 1)
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        raise BaselineError(f"{where}: 'line' must be a positive integer")
    problem = path_problem(values["path"])
    if problem:
        raise BaselineError(f"{where}: path {values['path'][:200]!r} {problem}")
    if not is_finding_code(values["code"]):
        raise BaselineError(f"{where}: {values['code']!r} is not a rule code")
    if not _HASH_RE.match(values["hash"]):
        raise BaselineError(f"{where}: 'hash' must be {HASH_LENGTH} lowercase hex digits")
    return Entry(
        path=values["path"],
        line=line,
        code=values["code"],
        scope=values["scope"],
        hash=values["hash"],
        reason=values["reason"],
        suppressed=suppressed,
    )


@functools.lru_cache(maxsize=65536)  # a baseline names each file once per entry
def path_problem(path: str) -> str | None:
    """Why ``path`` cannot be a baseline path (relative, ``/``, inside the root), or ``None``."""
    if not path:
        return "is empty"
    if len(path) > MAX_PATH_LENGTH:
        return f"is longer than {MAX_PATH_LENGTH} characters"
    if "\\" in path:
        return "must use '/' as separator"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "must be relative to the project root"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "must stay inside the project root (no '..', '.' or empty parts)"
    return None


def load(path: Path) -> Baseline | None:
    """The baseline at ``path``, or ``None`` when there is none.

    Raises :class:`BaselineError` when it exists but cannot be read or is
    not a valid baseline.
    """
    from debt_lints.config import read_guarded

    try:
        # Never blocks on a FIFO, never reads a device, bounded in size.
        data = read_guarded(path, MAX_BASELINE_SIZE, "the baseline")
    except FileNotFoundError:
        return None
    except ConfigError as exc:
        raise BaselineError(str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: the baseline is not UTF-8 ({exc.reason})") from None
    return parse(text, str(path))


def save(
    path: Path,
    entries: Iterable[Entry],
    options: Mapping[str, str] | None = None,
    *,
    root: Path | None = None,
) -> None:
    """Write the baseline atomically (the caller holds :func:`~debt_lints.baseline.lock.locked`).

    With ``root`` (the project's), nothing on the way from it is followed if
    it is a link: the file is replaced below the root or not at all. Without
    it (``baseline merge``, on the files git names) the directory of ``path``
    is the trusted start.
    """
    from debt_lints.core.atomic import write_confined

    _remove_stale_temporaries(path)
    if root is None:
        root = Path(os.path.realpath(path.parent))
        path = root / path.name
    try:
        write_confined(root, path, dumps(entries, options).encode("utf-8"))
    except (OSError, ValueError) as exc:
        raise BaselineError(
            f"{path}: cannot write the baseline: "
            f"{getattr(exc, 'strerror', None) or exc}; the file is unchanged"
        ) from None


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of writers that were killed before their rename.

    The caller holds the baseline's lock, so no live writer owns one; without
    this, every killed write would leave a ``.<name>.*.tmp`` file behind.
    """
    import contextlib
    import glob

    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        # OSError: another cleaner got there first, or a read-only directory.
        with contextlib.suppress(OSError):
            stale.unlink()
