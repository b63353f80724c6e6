"""Which configuration applies to a file, and where the project is.

Configuration is hierarchical, as in ruff: a file is checked with the
configuration of the nearest ``pyproject.toml`` above it that has a
``[tool.debt-lints]`` table (a package of a monorepo can have its own); that
table may inherit another one with ``extend = "../pyproject.toml"``.
``--config FILE`` replaces discovery: its settings apply to every file.

A run has one *project root*, where the cache and the baseline live and from
which baseline paths are counted. It is found from the paths checked, never
from ``--config``: starting at the deepest folder holding all of them and
going up to the repository's top level (the folder with ``.git``), the
outermost folder with a ``pyproject.toml`` whose ``[tool.debt-lints]`` does
not ``extend`` another configuration (a configuration that extends one
belongs to that one's project), or else the repository's top level itself.
Outside a repository, the nearest such folder; failing that, the nearest
folder with any ``pyproject.toml``; failing that, the current directory when
it holds the paths, else the deepest folder holding them. The same paths
give the same root whatever their order, checking a package alone gives the
root checking the repository gives, and every host (the CLI, flake8, pylint,
bandit, the language server) resolves configuration through
:class:`ConfigResolver`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from debt_lints.config import (
    Config,
    ConfigError,
    ResolveMemo,
    default_config,
    extends,
    find_config,
    is_within,
    load_file,
    relpath_posix,
)
from debt_lints.core.record import Record, replace

if TYPE_CHECKING:
    from debt_lints.core.model import Rule

_T = TypeVar("_T")


def enabled_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> tuple[type[Rule], ...]:
    """Rules enabled by the configuration, then narrowed by command-line selectors.

    As in ruff, a command-line ``--select`` replaces the configured one and
    ``--ignore`` adds to the configured ignores.
    """
    from debt_lints.engine.registry import load

    return tuple(load(code) for code in enabled_codes(config, select, ignore))


def enabled_codes(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> tuple[str, ...]:
    """The codes of :func:`enabled_rules`, read from the catalogue: no rule is imported."""
    from debt_lints.engine.registry import selected_codes

    chosen_select = select if select is not None else config.select
    return selected_codes(chosen_select, (*config.ignore, *ignore))


class ConfigResolver:
    """Maps files and folders to their :class:`Config`, cached per folder.

    ``explicit`` is a ``--config`` file: its settings then apply everywhere,
    relative paths in it starting at ``root`` (the project root). Folders
    sharing one ``pyproject.toml`` share one ``Config`` object, so callers may
    cache per configuration with ``id(config)``.
    """

    def __init__(
        self,
        root: Path,
        explicit: Path | None = None,
        *,
        fixed: Config | None = None,
        adjust: Callable[[Config], Config] | None = None,
    ) -> None:
        self.root = root
        # ``adjust``: the command line's ``--exclude``/``--extend-exclude``,
        # applied to every configuration of the run alike.
        self._adjust = adjust or (lambda config: config)
        self._explicit: Config | None = fixed
        #: Real paths and resolved ``extend`` chains, computed once for the resolver's life.
        self._memo = ResolveMemo()
        if explicit is not None:
            self._explicit = self._adjust(
                load_file(explicit, root=root, explicit=True, memo=self._memo)
            )
        self._by_dir: dict[str, Config | ConfigError] = {}
        self._by_file: dict[Path, Config] = {}
        self._defaults: Config | None = None

    @property
    def explicit(self) -> Config | None:
        return self._explicit

    def for_path(self, path: str | os.PathLike[str]) -> Config:
        """The configuration of a file (or folder); raises :class:`ConfigError`."""
        if self._explicit is not None:
            return self._explicit
        absolute = Path(os.path.abspath(path))
        # A file that does not exist (yet): an unsaved buffer, a mistyped
        # path. Its nearest existing folder decides, the current one at worst.
        directory = absolute if _is_dir(absolute) else absolute.parent
        while not _is_dir(directory) and directory != directory.parent:
            directory = directory.parent
        return self.for_dir(directory)

    def for_dir(self, directory: Path) -> Config:
        """The configuration of files directly in ``directory``."""
        if self._explicit is not None:
            return self._explicit
        key = str(directory)
        found = self._by_dir.get(key)
        if found is None:
            try:
                found = self._discover(directory)
            except ConfigError as exc:
                found = exc
            self._by_dir[key] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def _discover(self, directory: Path) -> Config:
        path = find_config(directory, self._memo, bound=self.root)
        if path is None:
            if self._defaults is None:
                self._defaults = self._adjust(default_config(self.root))
            return self._defaults
        config = self._by_file.get(path)
        if config is None:
            # A file inside the project may not lead out of it (a link, an
            # ``extend``); one above the root (found from a root without
            # one) stays within its own directory.
            absolute = Path(os.path.abspath(path))
            inside = is_within(absolute.parent, self.root)
            bound = self.root if inside else absolute.parent
            loaded = load_file(path, bound=bound, memo=self._memo)
            config = self._by_file[path] = self._adjust(loaded)
        return config

    def configs(self) -> list[Config]:
        """The distinct configurations resolved so far."""
        out: dict[int, Config] = {}
        if self._explicit is not None:
            out[id(self._explicit)] = self._explicit
        for found in self._by_dir.values():
            if isinstance(found, Config):
                out.setdefault(id(found), found)
        return list(out.values())


def _common_dir(paths: Iterable[str], cwd: Path) -> Path:
    dirs = []
    for given in paths:
        absolute = Path(os.path.abspath(cwd / given))
        dirs.append(absolute if _is_dir(absolute) else absolute.parent)
    if not dirs:
        return cwd
    try:
        return Path(os.path.commonpath([str(d) for d in dirs]))
    except ValueError:  # different drives on Windows
        return cwd


def project_root(paths: Sequence[str], cwd: Path | None = None) -> Path:
    """The project root of a run over ``paths`` (see the module docstring)."""
    return project_root_and_reason(paths, cwd)[0]


def project_root_and_reason(paths: Sequence[str], cwd: Path | None = None) -> tuple[Path, str]:
    """The project root of a run over ``paths``, and why that folder (``--show-settings``)."""
    cwd = (cwd or Path.cwd()).resolve()
    start = _common_dir(paths, cwd)
    with contextlib.suppress(OSError):
        start = start.resolve()
    any_pyproject: Path | None = None
    # Folders with a table of their own (no ``extend``), nearest first.
    tables: list[Path] = []
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if _is_file(candidate):
            any_pyproject = any_pyproject or directory
            if find_config(directory, bound=directory) == candidate and not extends(candidate):
                tables.append(directory)
        if os.path.lexists(directory / ".git"):
            # Inside a repository the outermost table wins: a package's own
            # table is a project of its own only when no folder above it (up
            # to the repository's top) has one, so checking the package alone
            # (a pre-commit run with only its files staged) finds the same
            # root, and baseline, as checking the whole repository. A table
            # that excludes the folder (an example, a vendored project) does
            # not claim it: checking the repository never checks it.
            claiming = _outermost_claiming(tables, start)
            if claiming is not None:
                return claiming, (
                    "the outermost folder of the git repository whose pyproject.toml has a "
                    "[tool.debt-lints] table without extend that does not exclude the paths"
                )
            return directory, "the top level of the git repository (.git)"
    if tables:
        return tables[0], "its pyproject.toml has a [tool.debt-lints] table without extend"
    if any_pyproject is not None:
        return any_pyproject, "the nearest folder with a pyproject.toml (none has our table)"
    if start == cwd or cwd in start.parents:
        return cwd, "the current directory (no pyproject.toml or .git above the paths)"
    # Paths outside the current directory are not its project: their files would be
    # outside the root (no whole-repository rule could see them).
    return start, (
        "the deepest folder holding the paths (no pyproject.toml or .git above them, "
        "and the current directory does not hold them)"
    )


def _outermost_claiming(tables: Sequence[Path], start: Path) -> Path | None:
    """The outermost of ``tables`` (folders with a table, nearest first) whose
    configuration does not exclude ``start``; ``None`` without tables."""
    for directory in reversed(tables):
        if directory == start:
            return directory
        try:
            config = load_file(directory / "pyproject.toml", bound=directory)
        except ConfigError:
            return directory  # the run reports the broken file; it is still the root
        local = relpath_posix(start, directory)
        if not config.is_excluded_anywhere(local):
            return directory
    return None


def _is_dir(path: Path) -> bool:
    """``path.is_dir()``, ``False`` for a path the OS refuses (longer than its limit)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


class Project(Record):
    """One run's project: its root, its configurations, the command line's selection.

    ``select`` replaces every configuration's ``select`` and ``ignore`` adds
    to its ``ignore`` (as in ruff); ``rules`` (a library caller's fixed rule
    list) replaces both.
    """

    __slots__ = (
        "_codes_by_config",
        "_rules_by_config",
        "extend_select",
        "gitignore",
        "ignore",
        "resolver",
        "root",
        "root_reason",
        "rules",
        "select",
    )
    root: Path
    resolver: ConfigResolver
    select: Sequence[str] | None
    ignore: Sequence[str]
    rules: Sequence[type[Rule]] | None
    #: ``--extend-select``: added to whichever ``select`` applies to a file.
    extend_select: Sequence[str]
    #: ``--no-respect-gitignore`` (``False``); ``None``: the project's ``respect-gitignore``.
    gitignore: bool | None
    #: Why ``root`` is the project root (:func:`project_root_and_reason`); "" when given.
    root_reason: str
    _rules_by_config: dict[int, tuple[type[Rule], ...]]
    _codes_by_config: dict[int, tuple[str, ...]]

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        root: Path,
        resolver: ConfigResolver,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        rules: Sequence[type[Rule]] | None = None,
        extend_select: Sequence[str] = (),
        gitignore: bool | None = None,
        root_reason: str = "",
        _rules_by_config: dict[int, tuple[type[Rule], ...]] | None = None,
    ) -> None:
        self.root = root
        self.resolver = resolver
        self.select = select
        self.ignore = ignore
        self.rules = rules
        self.extend_select = extend_select
        self.gitignore = gitignore
        self.root_reason = root_reason
        self._rules_by_config = {} if _rules_by_config is None else _rules_by_config
        self._codes_by_config: dict[int, tuple[str, ...]] = {}

    @classmethod
    def discover(
        cls,
        paths: Sequence[str],
        explicit: Path | None = None,
        cwd: Path | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        *,
        extend_select: Sequence[str] = (),
        adjust: Callable[[Config], Config] | None = None,
    ) -> Project:
        """The project of a run over ``paths`` (``explicit``: ``--config``)."""
        root, reason = project_root_and_reason(paths, cwd)
        resolver = ConfigResolver(root, explicit, adjust=adjust)
        return cls(root, resolver, select, ignore, extend_select=extend_select, root_reason=reason)

    @classmethod
    def single(cls, config: Config, rules: Sequence[type[Rule]] | None = None) -> Project:
        """A project where ``config`` applies to every file (library callers, tests)."""
        return cls(config.root, ConfigResolver(config.root, fixed=config), rules=rules)

    @property
    def config(self) -> Config:
        """The project's own configuration (the baseline file, option hashes).

        That is the configuration at the project root, with paths from the root.
        """
        config = self.resolver.for_dir(self.root)
        return config if config.root == self.root else replace(config, root=self.root)

    @property
    def respect_gitignore(self) -> bool:
        return self.config.respect_gitignore if self.gitignore is None else self.gitignore

    def config_for(self, path: str | os.PathLike[str]) -> Config:
        return self.resolver.for_path(path)

    def relpath(self, path: str | os.PathLike[str]) -> str:
        """``path`` relative to the project root, with ``/``."""
        return relpath_posix(os.fspath(path), self.root)

    def rules_for(self, config: Config) -> tuple[type[Rule], ...]:
        """The rules that run on the files ``config`` applies to."""
        if self.rules is not None:
            return tuple(self.rules)
        return self._per_config(self._rules_by_config, config, enabled_rules)

    def codes_for(self, config: Config) -> tuple[str, ...]:
        """The codes of :meth:`rules_for`, without importing a rule (unless given as classes)."""
        if self.rules is not None:
            return tuple(rule.code for rule in self.rules)
        return self._per_config(self._codes_by_config, config, enabled_codes)

    def _per_config(
        self,
        table: dict[int, _T],
        config: Config,
        compute: Callable[[Config, Sequence[str] | None, Sequence[str]], _T],
    ) -> _T:
        """``compute(config, select, ignore)`` once per configuration, kept in ``table``."""
        key = id(config)
        found = table.get(key)
        if found is None:
            found = table[key] = compute(config, self._select_for(config), self.ignore)
        return found

    def _select_for(self, config: Config) -> Sequence[str] | None:
        """The command line's ``--select`` (else ``None``), with ``--extend-select``."""
        select = self.select
        if self.extend_select:
            base = select if select is not None else config.select
            select = (*(base if base is not None else ("DL",)), *self.extend_select)
        return select

    def all_rules(self) -> tuple[type[Rule], ...]:
        """Every rule some configuration of the run enabled, in registry order."""
        seen: dict[str, type[Rule]] = {}
        for config in self.resolver.configs() or [self.config]:
            for rule in self.rules_for(config):
                seen.setdefault(rule.code, rule)
        return tuple(sorted(seen.values(), key=lambda r: r.code))

    def excluded(self, relpath: str) -> bool:
        """Whether a project-relative path is excluded by its configuration."""
        absolute = self.root / relpath
        config = self.config_for(absolute)
        local = relpath_posix(absolute, config.root)
        return local != "." and config.is_excluded_anywhere(local)

    def ignored_codes_for(self, relpath: str) -> tuple[str, ...]:
        """``per-file-ignores`` of a project-relative path, from its configuration."""
        absolute = self.root / relpath
        config = self.config_for(absolute)
        return config.ignored_codes_for(relpath_posix(absolute, config.root))
