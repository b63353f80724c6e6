"""Finding the files to check: a walk that never follows a loop or hangs."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints.config import Config, relpath_posix
from debt_lints.engine import PYTHON_SUFFIXES, YAML_SUFFIXES

CHECKED_SUFFIXES = PYTHON_SUFFIXES + YAML_SUFFIXES


@dataclass(frozen=True)
class SourcePath:
    """A file to check: where it is on disk, and how it is named to the user."""

    #: Path as given or found (used to open the file).
    path: str
    #: Relative to the project root, with ``/`` (excludes, ignores, baseline).
    relpath: str


def is_checked_name(name: str) -> bool:
    return name.endswith(CHECKED_SUFFIXES)


def iter_files(paths: Sequence[str], config: Config) -> Iterator[SourcePath]:
    """The files under ``paths`` to check, each real file once, in sorted order.

    Directories are walked without following symbolic links to directories
    (so a link loop cannot trap the walk); default and configured excludes
    prune whole subtrees. A path given explicitly is checked unless it
    matches a configured exclude (as pre-commit users expect); a missing
    explicit path is reported as a file that cannot be read.
    """
    seen: set[tuple[int, int]] = set()
    # Symbolic links to files found by the walk wait until the end, so that a
    # file reached both directly and through a link is reported under its
    # real path (stable when the link goes away), once.
    links: list[tuple[SourcePath, tuple[int, int]]] = []
    for given in paths:
        given_rel = relpath_posix(given, config.root)
        try:
            info = os.stat(given)
        except OSError:
            yield SourcePath(given, given_rel)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(given, config, seen, links)
        else:
            if given_rel != "." and _excluded_explicit(given_rel, config):
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            yield SourcePath(given, given_rel)
    for link, key in links:
        if key not in seen:
            seen.add(key)
            yield link


def _excluded_explicit(relpath: str, config: Config) -> bool:
    parts = relpath.split("/")
    return any(config.is_excluded("/".join(parts[: i + 1])) for i in range(len(parts)))


def _walk(
    top: str,
    config: Config,
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
            yield SourcePath(directory, relpath_posix(directory, config.root))
            continue
        subdirs = []
        for entry in entries:
            path = entry.path if directory != "." else entry.name
            rel = relpath_posix(path, config.root)
            if config.is_excluded(rel):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(path)
                    continue
                if not is_checked_name(entry.name):
                    continue
                info = os.stat(path)  # follows a symlink to a file
            except OSError:
                if entry.is_symlink():
                    continue  # dangling link: nothing to check
                yield SourcePath(path, rel)
                continue
            if not stat.S_ISREG(info.st_mode):
                continue  # a link to a directory (not followed), a FIFO, a device
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            if entry.is_symlink():
                links.append((SourcePath(path, rel), key))
                continue
            seen.add(key)
            yield SourcePath(path, rel)
        stack.extend(reversed(subdirs))


def root_relative(path: str | Path, config: Config) -> str:
    return relpath_posix(path, config.root)
