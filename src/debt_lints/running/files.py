"""Finding the files to check: a walk that never follows a loop or hangs.

Each folder is walked with the configuration that applies to it
(:mod:`debt_lints.discovery`): its ``exclude``/``extend-exclude`` prune whole
subtrees, with paths counted from that configuration's folder. ``.gitignore``
files (and ``.git/info/exclude``) are respected as git reads them, from the
repository's top level down, unless ``respect-gitignore`` is off
(``--no-respect-gitignore``); they are read once per folder, through the
repository boundary, and matched with git's wildmatch rules in linear time
(:mod:`debt_lints.core.gitignore`); git itself is never run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.config import DEFAULT_EXCLUDE, Config, relpath_posix
from debt_lints.core.boundary import SourceProblem, confined_target, read_text_lines
from debt_lints.core.record import FrozenRecord
from debt_lints.discovery import Project
from debt_lints.engine.walk import NOTEBOOK_SUFFIXES, PYTHON_SUFFIXES, YAML_SUFFIXES

if TYPE_CHECKING:
    from debt_lints.core.gitignore import IgnoreFile

CHECKED_SUFFIXES = PYTHON_SUFFIXES + YAML_SUFFIXES + NOTEBOOK_SUFFIXES

#: ``.gitignore`` and ``.git/info/exclude`` larger than this are not read (1 MiB;
#: real ones are a few kB): every line is matched against every name.
MAX_IGNORE_FILE_SIZE = 1 << 20


class SourcePath(FrozenRecord):
    """A file to check: where it is on disk, and how it is named to the user."""

    __slots__ = ("config", "local_path", "path", "relpath")
    _uncompared = ("local_path", "config")
    _unshown = ("config",)
    #: Path as given or found (used to open the file).
    path: str
    #: Relative to the project root, with ``/`` (baseline, cache).
    relpath: str
    #: Relative to its configuration's folder (excludes, ``per-file-ignores``,
    #: module names); ``None``: the same as ``relpath``.
    local_path: str | None
    #: The configuration the file is checked with (``None``: the run's only one).
    config: Config | None

    def __init__(
        self,
        path: str,
        relpath: str,
        local_path: str | None = None,
        config: Config | None = None,
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "path", path)
        _set(self, "relpath", relpath)
        _set(self, "local_path", local_path)
        _set(self, "config", config)

    @property
    def local(self) -> str:
        return self.relpath if self.local_path is None else self.local_path


def is_checked_name(name: str) -> bool:
    return name.endswith(CHECKED_SUFFIXES)


class _GitIgnores:
    """The ``.gitignore`` rules in force in each folder, read once per folder."""

    def __init__(self, top: Path | None) -> None:
        #: The repository's top level (rules are counted from there), if any.
        self.top = top
        self._by_dir: dict[str, tuple[tuple[str, IgnoreFile], ...]] = {}
        #: Whether git would never enter a folder (it or one above is ignored).
        self._dirs: dict[str, bool] = {}

    @classmethod
    def find(cls, start: Path) -> _GitIgnores:
        for directory in (start, *start.parents):
            if os.path.lexists(directory / ".git"):
                return cls(directory)
        return cls(None)

    def _read(self, directory: Path, names: Sequence[str]) -> IgnoreFile | None:
        # Imported here: a run over the files it is given walks no folder.
        from debt_lints.core.gitignore import IgnoreFile

        assert self.top is not None
        lines: list[str] = []
        for name in names:
            # Through the repository boundary: a FIFO, a device, a link out of the
            # repository or a file over the limit is not read, and its rules do
            # not apply (more files are checked, never fewer).
            found = read_text_lines(directory / name, MAX_IGNORE_FILE_SIZE, root=self.top)
            if not isinstance(found, SourceProblem):
                lines.extend(found)
        # A line git cannot use matches nothing; the others still apply.
        rules = IgnoreFile(lines)
        return rules if rules else None

    def _below_top(self, directory: Path) -> list[Path] | None:
        """``directory`` and its parents up to (not including) the top; ``None`` if not below it."""
        chain = []
        current = directory
        while current != self.top:
            if current.parent == current:
                return None
            chain.append(current)
            current = current.parent
        return chain

    def rules(self, directory: Path) -> tuple[tuple[str, IgnoreFile], ...]:
        """``(folder below the top, rules)`` of each ``.gitignore`` above and in ``directory``."""
        if self.top is None:
            return ()
        found = self._by_dir.get(str(directory))
        if found is not None:
            return found
        chain = self._below_top(directory)
        if chain is None:
            return ()
        # From the top down (iteratively: a checkout can be deeper than the
        # recursion limit), each folder's rules after its parent's.
        folders = [self.top, *reversed(chain)]
        inherited: tuple[tuple[str, IgnoreFile], ...] = ()
        for folder in folders:
            cached = self._by_dir.get(str(folder))
            if cached is not None:
                inherited = cached
                continue
            names = (".git/info/exclude", ".gitignore") if folder == self.top else (".gitignore",)
            rules = self._read(folder, names)
            if rules is not None:
                rel = relpath_posix(folder, self.top)
                inherited = (*inherited, ("" if rel == "." else rel + "/", rules))
            self._by_dir[str(folder)] = inherited
        return inherited

    def _own(self, directory: Path, name: str, is_dir: bool) -> bool:
        """Whether the rules in force in ``directory`` ignore ``name`` (the deepest match wins)."""
        rules = self.rules(directory)
        if not rules:
            return False
        assert self.top is not None
        rel = relpath_posix(directory / name, self.top)
        for prefix, spec in reversed(rules):
            found = spec.match(rel[len(prefix) :], is_dir)
            if found is not None:
                return found
        return False

    def _entered(self, directory: Path) -> bool:
        """Whether git would walk into ``directory``: no folder from the top down to it is ignored.

        The walk prunes ignored folders itself; this matters when it starts
        below the top (``check build/x`` with ``build/`` ignored).
        """
        known = self._dirs.get(str(directory))
        if known is not None:
            return not known
        chain = self._below_top(directory)
        if chain is None:
            return True
        ignored = False
        pending = []
        for folder in chain:
            cached = self._dirs.get(str(folder))
            if cached is not None:
                ignored = cached
                break
            pending.append(folder)
        for folder in reversed(pending):
            ignored = ignored or self._own(folder.parent, folder.name, True)
            self._dirs[str(folder)] = ignored
        return not ignored

    def ignored(self, directory: Path, name: str, is_dir: bool) -> bool:
        """Whether git ignores ``name`` in ``directory``."""
        if self.top is None:
            return False
        return not self._entered(directory) or self._own(directory, name, is_dir)


def gitignored(project: Project) -> Callable[[str], bool]:
    """``relpath -> True`` when walking ``project`` skips that file for ``.gitignore``.

    Never with ``respect-gitignore`` off (``--no-respect-gitignore``). The
    baseline calls such a file's entries no longer checked, as an excluded
    file's (a file named on the command line is checked anyway).
    """
    if not project.respect_gitignore:
        return lambda relpath: False
    gitignores = _GitIgnores.find(project.root)

    def ignored(relpath: str) -> bool:
        absolute = project.root / relpath
        return gitignores.ignored(absolute.parent, absolute.name, False)

    return ignored


def iter_files(paths: Sequence[str], target: Config | Project) -> Iterator[SourcePath]:
    """The files under ``paths`` to check, each real file once, in sorted order.

    Directories are walked without following symbolic links to directories
    (so a link loop cannot trap the walk); default and configured excludes
    and ``.gitignore`` prune whole subtrees. A link to a file outside the
    project root is yielded but never read: the reader makes it one DL001
    (:data:`debt_lints.core.boundary.OUTSIDE_ROOT`). A path given explicitly is
    checked unless it matches a configured exclude (as pre-commit users
    expect); a missing explicit path is reported as a file that cannot be read.
    """
    project = target if isinstance(target, Project) else Project.single(target)
    seen: set[tuple[int, int]] = set()
    # Symbolic links to files found by the walk wait until the end, so that a
    # file reached both directly and through a link is reported under its
    # real path (stable when the link goes away), once.
    links: list[tuple[SourcePath, tuple[int, int]]] = []
    gitignores: _GitIgnores | None = None
    for given in paths:
        try:
            info = os.stat(given)
        except OSError:
            yield _source(project, given)
            continue
        if stat.S_ISDIR(info.st_mode):
            if gitignores is None:
                gitignores = (
                    _GitIgnores.find(Path(os.path.abspath(given)))
                    if project.respect_gitignore
                    else _GitIgnores(None)
                )
            yield from _walk(given, project, gitignores, seen, links)
        else:
            source = _source(project, given)
            if source.local != "." and _config(source).is_excluded_anywhere(source.local):
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            yield source
    for link, key in links:
        if key not in seen:
            seen.add(key)
            yield link


def _config(source: SourcePath) -> Config:
    assert source.config is not None
    return source.config


def _source(project: Project, path: str, config: Config | None = None) -> SourcePath:
    config = config or project.config_for(path)
    relpath = project.relpath(path)
    local = relpath if config.root == project.root else relpath_posix(path, config.root)
    return SourcePath(path, relpath, local, config)


def _walk(
    top: str,
    project: Project,
    gitignores: _GitIgnores,
    seen: set[tuple[int, int]],
    links: list[tuple[SourcePath, tuple[int, int]]],
) -> Iterator[SourcePath]:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:
            continue  # vanished during the run: nothing to check in it
        except OSError:
            # Unreadable, or deeper than the OS path limit: never skipped
            # silently. Yielded as a path, it becomes one DL001 naming the
            # reason, as a file that cannot be read does.
            yield _source(project, directory)
            continue
        absolute = Path(os.path.abspath(directory))
        config = project.config_for(absolute)
        subdirs = []
        for entry in entries:
            path = entry.path if directory != "." else entry.name
            source = _source(project, path, config)
            if config.is_excluded(source.local):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and not is_checked_name(entry.name):
                    continue
                if gitignores.ignored(absolute, entry.name, is_dir):
                    continue
                if is_dir:
                    subdirs.append(path)
                    continue
                info = os.stat(path)  # follows a symlink to a file
            except OSError:
                if entry.is_symlink():
                    continue  # dangling link: nothing to check
                yield source
                continue
            if not stat.S_ISREG(info.st_mode):
                continue  # a link to a directory (not followed), a FIFO, a device
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            if entry.is_symlink():
                if confined_target(path, project.root) is None:
                    # A link out of the project (to /proc/self/environ, ~/.netrc):
                    # named, never read (one DL001 from the reader).
                    yield source
                    continue
                links.append((source, key))
                continue
            seen.add(key)
            yield source
        stack.extend(reversed(subdirs))


def root_relative(path: str | Path, config: Config) -> str:
    return relpath_posix(path, config.root)


def skip_reason(path: str, project: Project, *, named: bool) -> str | None:
    """Why ``check`` would not check the file ``path``; ``None``: it would.

    ``named``: the file is given on the command line (only a configured
    exclude skips it); else it is found by walking the project, as
    :func:`iter_files` walks: each folder's configuration judges its entries,
    then ``.gitignore``. For ``--show-settings``: the same decisions as the
    walk, and the pattern or file that made them.
    """
    absolute = Path(os.path.abspath(path))
    if not is_checked_name(absolute.name):
        return "not a Python, YAML or notebook file"
    relpath = project.relpath(absolute)
    if relpath == absolute.as_posix():
        return "outside the project root"
    if named:
        config = project.config_for(absolute)
        local = relpath_posix(absolute, config.root)
        pattern = _matching_exclude(config, local, nested=True)
        return None if pattern is None else _excluded_by(pattern, config, project)
    # From the project root down, each entry judged by its folder's configuration.
    parts = relpath.split("/")
    for depth in range(len(parts)):
        entry = project.root.joinpath(*parts[: depth + 1])
        config = project.config_for(entry.parent)
        pattern = _matching_exclude(config, relpath_posix(entry, config.root), nested=False)
        if pattern is not None:
            return _excluded_by(pattern, config, project)
    if project.respect_gitignore:
        gitignores = _GitIgnores.find(project.root)
        if gitignores.ignored(absolute.parent, absolute.name, False):
            return "ignored by .gitignore (named on the command line, it is checked)"
    return None


def _matching_exclude(config: Config, local: str, *, nested: bool) -> str | None:
    for pattern in config.all_excludes():
        single = config.with_overrides(exclude=(pattern,), extend_exclude=())
        if (single.is_excluded_anywhere if nested else single.is_excluded)(local):
            return pattern
    return None


def _excluded_by(pattern: str, config: Config, project: Project) -> str:
    where = "the default exclude"
    if pattern in config.extend_exclude or (
        config.source is not None and pattern not in DEFAULT_EXCLUDE
    ):
        source = project.relpath(config.source) if config.source is not None else "--config"
        where = f"exclude/extend-exclude of {source}"
    return f"excluded by {pattern!r} ({where})"
