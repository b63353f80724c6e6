"""Project configuration: ``[tool.debt-lints]`` in ``pyproject.toml``.

Configuration is data: it is parsed with ``tomllib`` and validated key by
key. Nothing in it is ever imported or executed. Errors name the file and
the key and become exit status 2 in the CLI.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.record import FrozenRecord, replace
from debt_lints.core.settings import Settings

TABLE = "debt-lints"

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".debt-lints-cache",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "site-packages",
    "build",
    "dist",
    "_build",
    "buck-out",
    "*.egg-info",
)


class ConfigError(Exception):
    """Configuration that cannot be used; the message names file and key."""


class Key(FrozenRecord):
    """A top-level key of ``[tool.debt-lints]`` or of a feature's sub-table, declared once.

    ``type`` and ``default`` are the words the configuration reference shows;
    ``parse(value, where, root)`` validates a raw TOML value (``where`` names
    the file and key in its errors; ``root`` is the configuration's directory,
    for keys holding paths) and ``attr`` is the :class:`Config` field it sets. A feature
    sub-table (``[tool.debt-lints.typing]``) declares its keys with neither:
    its owner validates them.
    """

    __slots__ = ("attr", "default", "help", "name", "parse", "type")
    name: str
    type: str
    default: str
    help: str
    parse: Callable[[object, str, Path], object] | None
    attr: str

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        name: str,
        type: str,  # the field's name, as callers spell it
        default: str,
        help: str,  # the field's name, as callers spell it
        parse: Callable[[object, str, Path], object] | None = None,
        attr: str = "",
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "name", name)
        _set(self, "type", type)
        _set(self, "default", default)
        _set(self, "help", help)
        _set(self, "parse", parse)
        _set(self, "attr", attr)


def _plain(parse: Callable[[object, str], object]) -> Callable[[object, str, Path], object]:
    """A validator that needs no root, as a :attr:`Key.parse`."""
    return lambda value, where, _root: parse(value, where)


#: :attr:`Config.baseline` and :attr:`Config.max_file_size` where the configuration sets none.
DEFAULT_BASELINE = "debt-lints-baseline.json"
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class Config(FrozenRecord):
    """Everything a run needs to know, resolved and validated."""

    __slots__ = (
        "baseline",
        "exclude",
        "extend_exclude",
        "extends",
        "extra_tables",
        "fixable",
        "ignore",
        "import_roots",
        "max_file_size",
        "per_file_ignores",
        "requires_python",
        "respect_gitignore",
        "root",
        "select",
        "settings",
        "source",
        "unfixable",
        "unsafe_fixes",
    )
    #: Directory that relative paths (excludes, per-file-ignores, baseline) start from.
    root: Path
    #: The file the configuration came from, if any.
    source: Path | None
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    extend_exclude: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    settings: Settings
    #: Baseline file, relative to ``root`` unless absolute.
    baseline: str
    #: Files larger than this (bytes) get one finding instead of analysis.
    max_file_size: int
    #: Skip what ``.gitignore`` files ignore when walking folders.
    respect_gitignore: bool
    #: ``extend`` of the file the configuration came from, as written (``None``: none).
    extends: str | None
    #: ``[project] requires-python`` of the file the configuration came from.
    requires_python: str | None
    #: Codes whose fixes may be applied (``None``: every code), and codes never fixed.
    fixable: tuple[str, ...] | None
    unfixable: tuple[str, ...]
    #: ``unsafe-fixes``: ``None`` when not set (``--unsafe-fixes`` decides).
    unsafe_fixes: bool | None
    #: Sub-tables owned by features above the engine (e.g. ``typing``), raw.
    extra_tables: tuple[tuple[str, Mapping[str, object]], ...]
    #: ``import-roots``: directories on the import path at run time, relative to
    #: ``root`` (``"."`` is the root). ``None``: the default, ``["."]`` plus
    #: ``"src"`` when it exists (see :meth:`resolved_import_roots`).
    import_roots: tuple[str, ...] | None

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        root: Path,
        source: Path | None = None,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
        extend_exclude: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        settings: Settings | None = None,
        baseline: str = DEFAULT_BASELINE,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        respect_gitignore: bool = True,
        extends: str | None = None,
        requires_python: str | None = None,
        fixable: tuple[str, ...] | None = None,
        unfixable: tuple[str, ...] = (),
        unsafe_fixes: bool | None = None,
        extra_tables: tuple[tuple[str, Mapping[str, object]], ...] = (),
        import_roots: tuple[str, ...] | None = None,
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "root", root)
        _set(self, "source", source)
        _set(self, "select", select)
        _set(self, "ignore", ignore)
        _set(self, "exclude", exclude)
        _set(self, "extend_exclude", extend_exclude)
        _set(self, "per_file_ignores", per_file_ignores)
        _set(self, "settings", Settings() if settings is None else settings)
        _set(self, "baseline", baseline)
        _set(self, "max_file_size", max_file_size)
        _set(self, "respect_gitignore", respect_gitignore)
        _set(self, "extends", extends)
        _set(self, "requires_python", requires_python)
        _set(self, "fixable", fixable)
        _set(self, "unfixable", unfixable)
        _set(self, "unsafe_fixes", unsafe_fixes)
        _set(self, "extra_tables", extra_tables)
        _set(self, "import_roots", import_roots)

    def resolved_import_roots(self) -> tuple[str, ...]:
        """The import roots in effect: the configured ones, else ``.`` (and ``src``)."""
        if self.import_roots is not None:
            return self.import_roots
        try:
            has_src = (self.root / "src").is_dir() and not (self.root / "src").is_symlink()
        except OSError:
            has_src = False
        return (".", "src") if has_src else (".",)

    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude

    def is_excluded(self, relpath: str) -> bool:
        """True when a root-relative ``/`` path matches an exclude pattern.

        Like flake8 and ruff, a pattern matches the file or directory's base
        name, or its whole relative path.
        """
        return _exclude_matcher(self.all_excludes())(relpath)

    def is_excluded_anywhere(self, relpath: str) -> bool:
        """True when the path or one of its parent directories is excluded."""
        return _exclude_matcher(self.all_excludes(), nested=True)(relpath)

    def ignored_codes_for(self, relpath: str) -> tuple[str, ...]:
        """Codes or prefixes ignored for this root-relative path by ``per-file-ignores``."""
        out: list[str] = []
        pure = PurePosixPath(relpath)
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatchcase(relpath, pattern) or pure.match(pattern):
                out.extend(codes)
        return tuple(out)

    def table(self, name: str) -> Mapping[str, object]:
        for key, value in self.extra_tables:
            if key == name:
                return value
        return {}

    def with_overrides(self, **changes: object) -> Config:
        return replace(self, **changes)

    def fingerprint(self) -> str:
        """A stable text of everything that changes per-file results (cache keys)."""
        import json

        return json.dumps(
            {
                "select": list(self.select) if self.select is not None else None,
                "ignore": list(self.ignore),
                "per_file_ignores": [[p, list(c)] for p, c in self.per_file_ignores],
                "settings": self.settings.as_dict(),
                "max_file_size": self.max_file_size,
                "requires_python": self.requires_python,
            },
            sort_keys=True,
        )


@functools.lru_cache(maxsize=64)
def _exclude_matcher(patterns: tuple[str, ...], nested: bool = False) -> Callable[[str], bool]:
    """One compiled test for a whole exclude list (``fnmatch`` per pattern and
    path costs hundreds of thousands of calls on a baseline of a few thousand entries).

    ``nested`` also matches when any parent directory of the path matches.
    """
    if not patterns:
        return lambda relpath: False
    # A pattern without a wildcard matches only itself: a set look-up, and no
    # regular expression to compile for the defaults (``.git``, ``build``...),
    # which a one-file run would otherwise pay for on every start.
    literal = frozenset(p for p in patterns if not _is_glob(p))
    literal_paths = frozenset(p.rstrip("/") for p in literal)
    globs = [p for p in patterns if _is_glob(p)]
    names = _glob_matcher(globs, strip=False)
    paths = _glob_matcher(globs, strip=True)

    def excluded(relpath: str) -> bool:
        name = relpath.rsplit("/", 1)[-1]
        return (
            name in literal
            or relpath in literal_paths
            or names(name) is not None
            or paths(relpath) is not None
        )

    if not nested:
        return excluded

    # Answers per folder, shared by the files below it; a loop, not recursion:
    # a baseline path of 2,000 components must not exhaust the recursion limit.
    known: dict[str, bool] = {}

    def nested_excluded(relpath: str) -> bool:
        pending: list[str] = []  # the path and its parents, none excluded by itself
        path = relpath
        answer = False
        while True:
            found = known.get(path)
            if found is not None:
                answer = found
                break
            if excluded(path):
                answer = True
                known[path] = True
                break
            pending.append(path)
            head, sep, _ = path.rpartition("/")
            if not sep:
                break
            path = head
        if len(known) > 65536:
            known.clear()
        for path in pending:
            known[path] = answer
        return answer

    return nested_excluded


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _glob_matcher(patterns: Sequence[str], *, strip: bool) -> Callable[[str], object]:
    """``match`` of one regular expression for ``patterns`` (``fnmatch`` syntax), or
    a function that matches nothing when there are none."""
    if not patterns:
        return lambda text: None
    parts = (fnmatch.translate(p.rstrip("/") if strip else p) for p in patterns)
    return re.compile("|".join(parts)).match


#: Parsed TOML files by (path, mtime, size, inode); callers never modify them.
_PARSED: dict[tuple[str, int, int, int], dict[str, object]] = {}


#: A configuration file larger than this is refused unread (``/dev/zero``
#: behind a link, a generated monster): no real ``pyproject.toml`` comes close.
MAX_CONFIG_SIZE = 4 * 1024 * 1024


def read_guarded(
    path: Path, max_size: int, what: str, *, root: str | os.PathLike[str] | None = None
) -> bytes:
    """The bytes of a regular file the repository names, read as source files are.

    Through the repository boundary (:func:`debt_lints.core.boundary.read_bytes`):
    non-blocking open, regular files only (a FIFO or a device is refused, never
    read), at most ``max_size`` bytes, and with ``root`` never through a link
    that leaves it. Raises :class:`FileNotFoundError` when there is no such
    file and :class:`ConfigError` for anything else.
    """
    from debt_lints.core.boundary import SourceProblem, read_bytes

    if not os.path.lexists(path):
        raise FileNotFoundError(2, "No such file or directory", str(path))
    data = read_bytes(str(path), max_size, root=root)
    if isinstance(data, SourceProblem):
        message = data.message.replace("max-file-size", f"the limit for {what}")
        raise ConfigError(f"{display_path(path)}: cannot read {what}: {message}")
    return data


def _load_toml(path: Path, *, our_table_only: bool = False) -> dict[str, object]:
    """The TOML file at ``path``, parsed (once per version of it).

    ``our_table_only``: the caller wants ``[tool.debt-lints]`` (or a misspelling of
    it, :func:`_tool_table`) and nothing else; a file that cannot hold one
    (:func:`could_hold_our_table`) is then not parsed (``{}``), so that looking
    for the configuration through a project's other ``pyproject.toml`` files does
    not load the TOML parser for them.
    """
    try:
        # Discovery asks about the same files several times (which has our
        # table, which extends, requires-python): each version is parsed once.
        info = os.stat(path)
        key = (str(path.absolute()), info.st_mtime_ns, info.st_size, info.st_ino)
        cached = _PARSED.get(key)
        if cached is not None:
            return cached
        raw = read_guarded(path, MAX_CONFIG_SIZE, "the configuration")
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot read: {exc.strerror or exc}") from None
    if our_table_only and not could_hold_our_table(raw):
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data: dict[str, object] = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(
            f"{display_path(path)}: invalid TOML: arrays or tables nested too deeply"
        ) from None
    if len(_PARSED) > 256:
        _PARSED.clear()
    _PARSED[key] = data
    return data


def could_hold_our_table(raw: bytes) -> bool:
    """Whether the TOML text ``raw`` may define ``[tool.debt-lints]`` or one of the
    misspellings :func:`_tool_table` refuses, however it spells the key.

    A TOML key is written as is (``debt-lints``), quoted without escapes
    (``'debt-lints'``) or quoted with escapes (``"debt-lints"``, ``"\\u0064ebt-lints"``),
    whether in a table header, a dotted key (``tool.debt-lints.select``) or an
    inline table (``tool = {debt-lints = {...}}``). Every one of those names holds
    ``debt`` in some case, unless an escape (``\\u``, ``\\U``) spells a letter of it:
    a text with neither cannot hold the table. (Such a file that is not valid TOML
    was skipped before too: it does not mention the table, :func:`_mentions_table`.)
    """
    lowered = raw.lower()
    return b"debt" in lowered or b"\\u" in lowered


class MisspelledTable(ConfigError):
    """A ``[tool.debt_lints]``-like table: never read, so never silently ignored."""


#: Spellings of the table that look meant for debt-lints but are not its name.
_MISSPELLINGS = ("debt_lints", "debtlints", "debt-lint", "debt_lint", "Debt-Lints")


def _tool_table(data: Mapping[str, object], path: Path) -> Mapping[str, object] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    for name in _MISSPELLINGS:
        if name in tool:
            raise MisspelledTable(
                f"{display_path(path)}: [tool.{name}] is not read: the table is "
                f"[tool.{TABLE}] (with a hyphen); rename it"
            )
    table = tool.get(TABLE)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{display_path(path)}: [tool.{TABLE}] must be a table")
    return table


def find_config(
    start: Path, memo: ResolveMemo | None = None, *, bound: Path | None = None
) -> Path | None:
    """The nearest ``pyproject.toml`` with ``[tool.debt-lints]``, searching upward.

    A ``pyproject.toml`` that is a link is followed only inside the project
    (``bound``, the project root, for the folders below it; its own folder for
    one above it or when the root is not known yet): one that leaves is
    refused unread (:class:`ConfigError`), whatever the outside file holds.
    """
    current = start if start.is_dir() else start.parent
    try:
        current = current.resolve() if memo is None else memo.real(current)
    except OSError:
        return None
    for directory in (current, *current.parents):
        candidate = directory / "pyproject.toml"
        try:
            if not candidate.is_file():
                continue
        except OSError:
            continue
        if os.path.islink(candidate):
            inside = bound is not None and is_within(directory, bound)
            limit = bound if inside and bound is not None else directory
            inside_root(
                limit, candidate, f"{display_path(candidate)}: the configuration", memo=memo
            )
        try:
            found = _load_toml(candidate, our_table_only=True)
            if _tool_table(found, candidate) is not None:
                return candidate
        except MisspelledTable:
            raise
        except ConfigError:
            # A broken pyproject.toml that might be ours must not be skipped silently.
            with_table = _mentions_table(candidate)
            if with_table:
                raise
    return None


#: ``[tool.debt-lints]``, ``[tool."debt-lints".x]``, ``tool.debt-lints.select = ...``
#: (dotted keys) or ``debt-lints = {...}`` under ``[tool]`` (an inline table).
_TABLE_RE = lazy_pattern(
    rf"""tool\s*\.\s*["']?{re.escape(TABLE)}\b|^\s*["']?{re.escape(TABLE)}["']?\s*[.=]""", re.M
)


def _mentions_table(path: Path) -> bool:
    """Whether a ``pyproject.toml`` that does not load may hold our table.

    One that cannot be read at all may, so it counts: a configuration must
    never be skipped silently because it is broken.
    """
    try:
        data = read_guarded(path, MAX_CONFIG_SIZE, "the configuration")
    except (OSError, ConfigError):
        return True
    return _TABLE_RE.search(data.decode("utf-8", errors="replace")) is not None


# --- validation -----------------------------------------------------------------


def _str_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be an array of strings")
    return tuple(value)


def _str_map(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"{where} must be a table of strings")
    return dict(value)


def _dotted_name(text: str) -> bool:
    """A module name as an import statement spells it: identifiers joined by dots."""
    import keyword

    return all(part.isidentifier() and not keyword.iskeyword(part) for part in text.split("."))


#: An environment variable name as POSIX shells accept it.
_ENV_VAR = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _module_entry(key: str, value: str) -> str | None:
    if not _dotted_name(key.strip()):
        return f"{key!r} is not a module name (identifiers joined by dots)"
    if value.strip() and not _dotted_name(value.strip()):
        return f"{key!r} = {value!r}: the replacement is not a module name (or '' for none)"
    return None


def _env_var_entry(key: str, value: str) -> str | None:
    for name in (key, value):
        if not _ENV_VAR.match(name):
            return (
                f"{key!r} = {value!r}: {name!r} is not an environment variable name"
                " (letters, digits and _, not starting with a digit)"
            )
    return None


#: What the strings of an option must be (:attr:`Option.form`): a checker of one
#: entry (``None`` or the problem) and the words of the configuration reference.
#: Fixes write these values into code: configuration stays data.
FORMS: Mapping[str, tuple[Callable[[str, str], str | None], str]] = {
    "module-names": (
        _module_entry,
        'keys and values are module names (`a.b`); a value may be `""`',
    ),
    "env-var-names": (_env_var_entry, "keys and values match `[A-Za-z_][A-Za-z0-9_]*`"),
}


def _formed(value: dict[str, str], form: str, where: str) -> dict[str, str]:
    if not form:
        return value
    if form not in FORMS:  # pragma: no cover - a registry bug, caught by the meta-tests
        raise ConfigError(f"{where}: unknown form {form!r}")
    check = FORMS[form][0]
    for key, item in value.items():
        problem = check(key, item)
        if problem is not None:
            raise ConfigError(f"{where}: {problem}")
    return value


def _codes(value: object, where: str) -> tuple[str, ...]:
    from debt_lints.engine.registry import is_known_selector

    codes = tuple(c.strip().upper() for c in _str_list(value, where))
    for code in codes:
        if not code:
            # "" or " " is a prefix of every code: it would select (or
            # suppress) everything without saying so.
            raise ConfigError(f"{where}: a blank rule code")
        if not is_known_selector(code):
            raise ConfigError(f"{where}: unknown rule code or prefix {code!r}")
    return codes


def parse_codes(text: str, where: str) -> tuple[str, ...]:
    """Parse ``DL2,DL301`` (a CLI value) into validated selectors."""
    return _codes([c for c in text.split(",") if c.strip()], where)


#: Sub-tables owned by other layers, with the keys each accepts (checked on
#: every run, whatever the command; their owners validate the values).
FEATURE_KEYS: Mapping[str, frozenset[str]] = {
    "typing": frozenset({"packages", "paths", "flags", "mypy-config", "never-baseline"}),
    # The report has no settings yet: any key there is a typo or a wrong version.
    "report": frozenset(),
}
FEATURE_TABLES: frozenset[str] = frozenset(FEATURE_KEYS)


def load_config(
    start: Path | None = None,
    explicit: Path | None = None,
    cwd: Path | None = None,
) -> Config:
    """Find, read and validate the configuration that applies at ``start``.

    ``explicit`` (``--config``) wins, its relative paths starting at ``cwd``
    (``--config`` only supplies settings; where the project is comes from the
    paths checked); otherwise the nearest ``pyproject.toml`` with our table
    above ``start``, following its ``extend``; otherwise defaults rooted at
    ``cwd``. Commands that check several paths use
    :class:`debt_lints.discovery.ConfigResolver`, which answers per file.
    """
    cwd = cwd or Path.cwd()
    if explicit is not None:
        return load_file(explicit, root=cwd, explicit=True)
    path = find_config(start or cwd)
    if path is None:
        return default_config(cwd)
    return load_file(path)


def default_config(root: Path) -> Config:
    """The configuration of a tree without ``[tool.debt-lints]``, rooted at ``root``."""
    real_root = root.resolve()
    return Config(root=real_root, settings=_settings({}, "defaults", real_root))


#: The key that names a configuration to inherit from (ruff's ``extend``).
EXTEND_KEY = "extend"
#: Keys an ``extend`` does not pass on (paths of the project, see ``_resolved_table``).
_NOT_INHERITED = frozenset({"import-roots", "baseline"})


def load_file(
    path: Path,
    root: Path | None = None,
    *,
    explicit: bool = False,
    bound: Path | None = None,
    memo: ResolveMemo | None = None,
) -> Config:
    """The configuration in ``path``, merged over the ones it extends, validated.

    ``path`` is a ``pyproject.toml`` with ``[tool.debt-lints]``, or (an
    ``explicit`` file or an ``extend`` target) any TOML file with the keys at
    top level. Relative paths in it start at ``root`` (default: its folder).

    ``bound`` (the project root, for a file the repository holds): neither the
    file itself (a link) nor anything it extends may resolve outside it.
    ``memo`` (one per run, :class:`~debt_lints.discovery.ConfigResolver`'s):
    each file's resolved chain and each directory's real path are computed
    once, however many nested configurations extend one another.
    """
    memo = memo or ResolveMemo()
    if not path.is_file():
        raise ConfigError(f"{display_path(path)}: configuration file not found")
    if bound is not None:
        inside_root(bound, path, f"{display_path(path)}: the configuration", memo=memo)
    table = _resolved_table(path, explicit=explicit, bound=bound, memo=memo)
    config = _from_table(table, path, root or memo.real(path).parent, memo=memo)
    extended = _own_table(path, explicit=explicit).get(EXTEND_KEY)
    if isinstance(extended, str):
        config = config.with_overrides(extends=extended)
    project = _load_toml(path).get("project")
    wanted = project.get("requires-python") if isinstance(project, dict) else None
    return config.with_overrides(requires_python=wanted) if isinstance(wanted, str) else config


def syntax_note(config: Config) -> str:
    """What a "cannot parse" message adds: which Python parsed, what the project asks for.

    A file written for a newer Python (``type X = int`` read by 3.11) is a
    syntax error to an older one; the message says so rather than leave the
    user to guess.
    """
    running = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    if config.requires_python:
        return f" (parsed by {running}; requires-python is {config.requires_python!r})"
    return f" (parsed by {running})"


def _own_table(path: Path, *, explicit: bool) -> Mapping[str, object]:
    data = _load_toml(path)
    table = _tool_table(data, path)
    if table is None:
        if not explicit and path.name == "pyproject.toml":
            raise ConfigError(f"{display_path(path)}: no [tool.{TABLE}] table")
        # A dedicated file may hold the keys at top level (like ruff.toml).
        table = data
    return table


#: The longest chain of ``extend`` links followed; a longer one is refused.
MAX_EXTEND_CHAIN = 1000


class ResolveMemo:
    """What resolving configurations computes once per run: real paths and resolved chains.

    A directory's real path is resolved once and reused for everything
    below it, and a file's table merged over its ``extend`` chain once for
    every configuration that extends it: 400 nested directories that each
    extend their parent cost 400 steps, not 400 chains of 400 real paths.
    """

    def __init__(self) -> None:
        #: Real paths by the path as asked (absolute, as written).
        self._real: dict[str, str] = {}
        self.tables: dict[tuple[Path, bool, Path | None], Mapping[str, object]] = {}

    def real(self, path: str | Path) -> Path:
        """``os.path.realpath(path)``; only the components not seen before are looked up."""
        text = os.fspath(path)
        if "\0" in text:
            raise ValueError("embedded null byte")
        if os.name != "posix":  # pragma: no cover - drives and UNC paths: no shortcut
            return Path(os.path.realpath(text))
        if not os.path.isabs(text):
            text = os.path.join(os.getcwd(), text)
        # Up to the nearest folder already resolved, then down one component at a time.
        pending: list[tuple[str, str]] = []
        head = text
        while True:
            known = self._real.get(head)
            if known is not None:
                current = known
                break
            parent, name = os.path.split(head)
            if parent == head:
                current = head  # the file system's root
                break
            pending.append((head, name))
            head = parent
        for key, name in reversed(pending):
            if name == "..":
                current = os.path.dirname(current)  # ``current`` is real: no link to undo
            elif name not in ("", "."):
                candidate = os.path.join(current, name)
                # Only a link needs the full resolution; anything else is itself.
                islink = os.path.islink(candidate)
                current = os.path.realpath(candidate) if islink else candidate
            self._real[key] = current
        return Path(current)


def _resolved_table(
    path: Path, *, explicit: bool = True, bound: Path | None = None, memo: ResolveMemo
) -> Mapping[str, object]:
    """``path``'s table merged over the tables it extends (each validated on its own).

    A key set in a file replaces the inherited value, except ``extend-*``
    lists, which add to the inherited ones (as in ruff). The chain is followed
    with a loop, not recursion, up to :data:`MAX_EXTEND_CHAIN` links.
    """
    # Down the chain: each file's own table, validated alone first, so that an
    # error names the file that has the key.
    chain: list[tuple[Path, bool, Mapping[str, object]]] = []
    seen: set[Path] = set()
    current, current_explicit = path, explicit
    base: Mapping[str, object] | None = None
    while True:
        real = memo.real(current)
        cached = memo.tables.get((real, current_explicit, bound))
        if cached is not None:
            base = cached
            break
        if real in seen:
            cycle = " -> ".join(display_path(p) for p in (*(r for r, _, _ in chain), real))
            raise ConfigError(
                f"{display_path(path)}: {EXTEND_KEY}: the configurations extend each other "
                f"({cycle})"
            )
        if len(chain) >= MAX_EXTEND_CHAIN:
            raise ConfigError(
                f"{display_path(path)}: {EXTEND_KEY}: the chain of configurations is longer than "
                f"{MAX_EXTEND_CHAIN} files (it goes on at {display_path(current)})"
            )
        seen.add(real)
        own = _own_table(current, explicit=current_explicit)
        raw = own.get(EXTEND_KEY)
        own = {k: v for k, v in own.items() if k != EXTEND_KEY}
        _from_table(own, current, real.parent, memo=memo)
        chain.append((real, current_explicit, own))
        if raw is None:
            break
        if not isinstance(raw, str) or not raw:
            raise ConfigError(
                f"{display_path(current)}: {EXTEND_KEY} must be a non-empty string (a path)"
            )
        target = Path(raw).expanduser()
        if not target.is_absolute():
            target = real.parent / target
        if bound is not None:
            # A committed ``extend = "/etc/..."`` (or a link to outside) is never read.
            inside_root(bound, target, f"{display_path(current)}: {EXTEND_KEY}", memo=memo)
        if not target.is_file():
            raise ConfigError(
                f"{display_path(current)}: {EXTEND_KEY}: {display_path(target)} not found"
            )
        current, current_explicit = target, True
    # Up the chain: each table merged over what it extends, remembered for the run.
    for real, own_explicit, own in reversed(chain):
        base = own if base is None else _merged(base, own)
        memo.tables[(real, own_explicit, bound)] = base
    assert base is not None
    return base


def _merged(base: Mapping[str, object], own: Mapping[str, object]) -> Mapping[str, object]:
    # Directories of the project (``import-roots``, ``baseline``) are read from
    # the project root's configuration and are relative to the file they are
    # written in: another folder's file does not inherit them.
    merged = {k: v for k, v in base.items() if k not in _NOT_INHERITED}
    for key, value in own.items():
        inherited = merged.get(key)
        if key.startswith("extend-") and isinstance(inherited, list) and isinstance(value, list):
            merged[key] = [*inherited, *value]
        else:
            merged[key] = value
    return merged


def extend_chain(path: Path, *, explicit: bool = False) -> tuple[Path, ...]:
    """The files a loaded configuration extends, nearest first (``--show-settings``).

    Only for a configuration that loaded: its chain was validated then
    (no cycle, every target found); this only follows the ``extend`` keys.
    """
    out: list[Path] = []
    seen = {path.resolve()}
    current, current_explicit = path, explicit
    while len(out) < MAX_EXTEND_CHAIN:
        raw = _own_table(current, explicit=current_explicit).get(EXTEND_KEY)
        if not isinstance(raw, str) or not raw:
            break
        target = Path(raw).expanduser()
        if not target.is_absolute():
            target = current.resolve().parent / target
        if target.resolve() in seen:
            break
        seen.add(target.resolve())
        out.append(target)
        current, current_explicit = target, True
    return tuple(out)


def extends(path: Path) -> bool:
    """Whether the ``pyproject.toml`` at ``path`` has our table with an ``extend`` key."""
    try:
        table = _tool_table(_load_toml(path), path)
    except ConfigError:
        return False
    return table is not None and EXTEND_KEY in table


def _settings(table: Mapping[str, object], where: str, root: Path | None = None) -> Settings:
    from debt_lints.engine.registry import declared_options

    values: dict[str, object] = {}
    for name, option in declared_options().items():
        raw = table.get(name)
        if option.kind == "str-map":
            default = option.default
            assert isinstance(default, Mapping)
            if raw is None:
                values[name] = dict(default)
            else:
                found = _str_map(raw, f"{where}: {name}")
                values[name] = _formed(found, option.form, f"{where}: {name}")
        elif option.kind == "str-list":
            default = option.default
            assert isinstance(default, tuple)
            base = default if raw is None else _str_list(raw, f"{where}: {name}")
            extra_key = f"extend-{name}"
            extra = table.get(extra_key)
            if extra is not None:
                if not option.extendable:
                    raise ConfigError(f"{where}: unknown key {extra_key!r}")
                base = base + _str_list(extra, f"{where}: {extra_key}")
            values[name] = tuple(dict.fromkeys(base))
        elif option.kind == "bool":
            if raw is not None and not isinstance(raw, bool):
                raise ConfigError(f"{where}: {name} must be true or false")
            if raw is not None:
                values[name] = raw
            elif option.auto is not None and root is not None:
                values[name] = option.auto(root)
            else:
                values[name] = option.default
        else:  # pragma: no cover - a registry bug, caught by the meta-tests
            raise ConfigError(f"option {name!r} has unknown kind {option.kind!r}")
    return Settings(values)


def _from_table(
    table: Mapping[str, object], path: Path, root: Path, *, memo: ResolveMemo | None = None
) -> Config:
    from debt_lints.engine.registry import declared_options

    where = display_path(path)
    keys = {key.name: key for key in KEYS}
    option_keys: set[str] = set()
    for name, option in declared_options().items():
        option_keys.add(name)
        if option.extendable:
            option_keys.add(f"extend-{name}")
    changes: dict[str, object] = {}
    extra: list[tuple[str, Mapping[str, object]]] = []
    for name, raw in table.items():
        key = keys.get(name)
        if key is not None:
            assert key.parse is not None and key.attr, f"{name}: a top-level key parses itself"
            changes[key.attr] = key.parse(raw, f"{where}: {name}", root)
        elif name in FEATURE_TABLES:
            if not isinstance(raw, dict):
                raise ConfigError(f"{where}: {name} must be a table")
            for sub in raw:
                if sub not in FEATURE_KEYS[name]:
                    raise ConfigError(
                        f"{where}: {name}: unknown key {sub!r} in [tool.{TABLE}.{name}]"
                    )
            extra.append((name, raw))
        elif name not in option_keys:
            known = [*keys, *FEATURE_TABLES, *option_keys]
            raise ConfigError(
                f"{where}: unknown key {name!r} in [tool.{TABLE}]{_did_you_mean(name, known)}"
            )
    real_root = root.resolve() if memo is None else memo.real(root)
    config = Config(root=real_root, source=path, settings=_settings(table, where, real_root))
    return config.with_overrides(extra_tables=tuple(extra), **changes)


def _import_roots(value: object, where: str, root: Path) -> tuple[str, ...]:
    """Validated ``import-roots``: real directories below the root, as clean ``/`` paths."""
    out: dict[str, None] = {}
    for raw in _str_list(value, where):
        text = raw.strip().replace("\\", "/")
        parts = [p for p in text.split("/") if p not in ("", ".")]
        if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
            raise ConfigError(f"{where}: {raw!r} must be a path relative to {display_path(root)}")
        if ".." in parts:
            raise ConfigError(f"{where}: {raw!r} leads out of {display_path(root)}")
        clean = "/".join(parts) or "."
        directory = root.joinpath(*parts)
        try:
            real = all(not root.joinpath(*parts[: i + 1]).is_symlink() for i in range(len(parts)))
            is_dir = real and directory.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            raise ConfigError(f"{where}: {raw!r} is not a directory below {display_path(root)}")
        out.setdefault(clean, None)
    if not out:
        raise ConfigError(f"{where} must name at least one directory")
    return tuple(out)


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    """``; did you mean 'extend-exclude'?`` for a near miss, else ``""``."""
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-").lower(), sorted(set(known)), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _string(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false")
    return value


def _path_string(value: object, where: str) -> str:
    text = _string(value, where)
    if not text.isprintable():
        raise ConfigError(f"{where} must be a file name without control characters")
    return text


def _baseline(value: object, where: str, root: Path) -> str:
    text = _path_string(value, where)
    inside_root(root.resolve(), text, where)
    return text


def is_within(path: str | Path, root: str | Path) -> bool:
    """``path`` is ``root`` or below it: two normalised paths, compared as text.

    The same answer as ``root in path.parents``, without building every
    parent of a path 2,000 folders deep.
    """
    text, top = os.fspath(path), os.fspath(root)
    return text == top or text.startswith(top if top.endswith(os.sep) else top + os.sep)


def inside_root(
    root: Path, value: str | Path, where: str, *, memo: ResolveMemo | None = None
) -> Path:
    """``value`` (relative to ``root`` unless absolute), resolved; it must stay in ``root``.

    Links are resolved (a dangling one to where it points), so a configured
    path or a link planted on the way cannot lead debt-lints outside the
    project. Raises :class:`ConfigError` naming ``where`` otherwise.
    """
    path = Path(value)
    path = path if path.is_absolute() else root / path
    try:
        real = Path(os.path.realpath(path)) if memo is None else memo.real(path)
        real_root = Path(os.path.realpath(root)) if memo is None else memo.real(root)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{where}: {str(value)!r} cannot be resolved: {exc}") from None
    if not is_within(real, real_root):
        raise ConfigError(
            f"{where}: {str(value)!r} resolves to {real}, outside the project root {real_root}"
        )
    return real


def _positive_int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{where} must be a positive integer")
    return value


def _per_file_ignores(value: object, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of glob -> array of codes")
    out = []
    for pattern, codes in value.items():
        out.append((pattern, _codes(codes, f"{where}.{pattern!r}")))
    return tuple(out)


#: The top-level keys of ``[tool.debt-lints]`` other than the rules' options.
#: ``docs/configuration.md`` is generated from these declarations and from the
#: rules' :class:`~debt_lints.core.model.Option`\ s: a key is added here, once.
KEYS: tuple[Key, ...] = (
    Key(
        "select",
        "array of codes or prefixes",
        "all rules",
        "Run only these rules (`DL2` selects the DL2xx family, `ALL` every rule). "
        "The more specific of a matching `select` and `ignore` wins; at equal length, `ignore`.",
        _plain(_codes),
        "select",
    ),
    Key(
        "ignore",
        "array of codes or prefixes",
        "[]",
        "Skip these rules (codes or prefixes), in every file.",
        _plain(_codes),
        "ignore",
    ),
    Key(
        "per-file-ignores",
        "table of glob to array of codes",
        "{}",
        "Skip rules in the files matching a glob, relative to the configuration's directory "
        '(`{ "tests/*" = ["DL301"] }`).',
        _plain(_per_file_ignores),
        "per_file_ignores",
    ),
    Key(
        "exclude",
        "array of globs",
        "[" + ", ".join(f'"{pattern}"' for pattern in DEFAULT_EXCLUDE) + "]",
        "Files and directories never checked, replacing the default list. A pattern matches "
        "a base name or a path relative to the configuration's directory, as in flake8 and "
        "ruff; a path given on the command line is skipped too.",
        _plain(_str_list),
        "exclude",
    ),
    Key(
        "extend-exclude",
        "array of globs",
        "[]",
        "More files and directories never checked, added to `exclude`.",
        _plain(_str_list),
        "extend_exclude",
    ),
    Key(
        "baseline",
        "string (path)",
        f'"{DEFAULT_BASELINE}"',
        "The baseline file, relative to the configuration's directory; it must stay inside "
        "the project (a path or a link leading out of it is an error).",
        _baseline,
        "baseline",
    ),
    Key(
        "max-file-size",
        "positive integer (bytes)",
        f"{DEFAULT_MAX_FILE_SIZE} (10 MiB)",
        "A larger file is not analysed; it gets one DL001 finding saying so.",
        _plain(_positive_int),
        "max_file_size",
    ),
    Key(
        "fixable",
        "array of codes",
        '["DL"]',
        "The codes whose fixes `--fix` may apply (as in ruff).",
        _plain(_codes),
        "fixable",
    ),
    Key(
        "unfixable",
        "array of codes",
        "[]",
        "Codes whose fixes are never applied, even when `fixable` selects them.",
        _plain(_codes),
        "unfixable",
    ),
    Key(
        "unsafe-fixes",
        "boolean",
        "false",
        "Apply unsafe fixes with `--fix` as if `--unsafe-fixes` were given.",
        _plain(_bool),
        "unsafe_fixes",
    ),
    Key(
        "respect-gitignore",
        "boolean",
        "true",
        "Skip what `.gitignore` files (and `.git/info/exclude`) ignore when walking folders; "
        "a path named on the command line is checked anyway. `--no-respect-gitignore` "
        "turns it off for one run.",
        _plain(_bool),
        "respect_gitignore",
    ),
    Key(
        EXTEND_KEY,
        "string (path)",
        "none",
        "Another configuration file to inherit from (as in ruff): its keys apply unless "
        "this file sets them; `extend-*` lists add to the inherited ones (`import-roots` and "
        "`baseline`, read from the project root's configuration, are not inherited). "
        "Relative to this file's directory. A committed configuration can only extend "
        "a file inside the project (a path or a link leading out of it is an error).",
        _plain(_path_string),
        "extends",
    ),
    Key(
        "import-roots",
        "array of paths",
        '["."] (and "src" when it exists)',
        "Directories, relative to the configuration's directory, that are on the import "
        "path at run time (like ruff's `src`): an import resolves to the first root where "
        "its file exists (DL101, DL501, DL502, DL601-DL603).",
        _import_roots,
        "import_roots",
    ),
)


def _below(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` when both are absolute and normalised (``abspath``)
    and ``path`` is strictly below ``base``, on a system whose separator is ``/``:
    what ``Path(os.path.relpath(path, base)).as_posix()`` gives, without its cost
    (a warm run asks it twice per file). ``None``: ask ``relpath``."""
    if os.sep != "/" or not path.startswith(base) or len(path) <= len(base):
        return None
    if path.startswith("//"):
        return None  # POSIX keeps two leading slashes, which relpath folds
    if base == "/":
        return path[1:]
    return path[len(base) + 1 :] if path[len(base)] == "/" else None


def relpath_posix(path: Path | str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/``; unchanged (but ``/``) if outside."""
    p = os.path.abspath(path)
    below = _below(p, os.path.abspath(root))
    if below is not None:
        return below
    try:
        rel = os.path.relpath(p, root)
    except ValueError:  # different drives on Windows
        return Path(p).as_posix()
    if rel.startswith(".."):
        return Path(p).as_posix()
    return Path(rel).as_posix()


def display_path(path: Path | str, cwd: Path | None = None) -> str:
    """How a path is printed: relative to the current directory, with ``/``."""
    p = os.path.abspath(path)
    base = os.path.abspath(cwd or os.getcwd())
    below = _below(p, base)
    if below is not None:
        return below
    try:
        rel = os.path.relpath(p, base)
    except ValueError:
        return Path(p).as_posix()
    return Path(rel).as_posix()


def iter_code_list(text: str) -> Iterable[str]:
    return (c.strip().upper() for c in text.replace(" ", ",").split(",") if c.strip())
