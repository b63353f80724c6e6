"""An exclusive lock for read-modify-write of the baseline by concurrent runs.

Two ``debt-lints check`` runs (an editor integration and a pre-commit hook)
may both prune. Each takes the lock, re-reads the file, applies *its own
change* to what it finds there and writes atomically, so neither loses the
other's update. The lock is ``fcntl.flock`` on ``.<name>.lock`` beside the
baseline (released by the kernel if the process dies, so a killed run never
leaves a stale lock); the lock file is removed on release. Where ``fcntl``
does not exist the lock file is created with ``O_CREAT | O_EXCL``.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from debt_lints.baseline.store import BaselineError

#: How long to wait for another run to finish writing.
TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.05


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(
    path: Path, timeout: float = TIMEOUT_SECONDS, *, root: Path | None = None
) -> Iterator[None]:
    """Hold the exclusive write lock of the baseline at ``path``.

    ``path`` is below ``root`` (the project root; by default its own
    directory): the directories on the way are opened without following a
    link (missing ones are created: the configured baseline may live in a
    directory nobody created yet), and the lock file is created with
    ``O_NOFOLLOW``, so a link the repository plants there is refused, never
    followed to create or truncate a file outside it.
    """
    from debt_lints.core.safefs import open_chain

    target = lock_path(Path(os.path.abspath(path)))
    parts: tuple[str, ...] = ()
    try:
        if root is None:
            base = Path(os.path.realpath(target.parent))
        else:
            base = Path(os.path.realpath(root))
            parts = target.parent.relative_to(base).parts
        directory = open_chain(base, parts, create=True, heal=False)
    except (OSError, ValueError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise BaselineError(f"{target.parent}: cannot create: {detail}") from None
    with directory:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            with _exclusive_create(target, timeout):
                yield
            return
        with _flocked(path, target, directory, fcntl, timeout):
            yield


@contextlib.contextmanager
def _flocked(
    path: Path, target: Path, directory: Any, fcntl: Any, timeout: float
) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = directory.open_lock(target.name)
        except OSError as exc:
            detail = getattr(exc, "strerror", None) or exc
            raise BaselineError(f"{target}: cannot create the lock file: {detail}") from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise BaselineError(
                            f"{path}: another debt-lints run is writing the baseline "
                            f"(waited {timeout:.0f}s for {target})"
                        ) from None
                    time.sleep(_POLL_SECONDS)
            # The holder before us may have removed the file we locked: only a
            # lock on the file that is still at ``target`` counts.
            if not directory.same_entry(target.name, fd):
                continue
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    directory.unlink(target.name)
            return
        finally:
            os.close(fd)


@contextlib.contextmanager
def _exclusive_create(target: Path, timeout: float) -> Iterator[None]:  # pragma: no cover
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise BaselineError(
                    f"{target} exists: another debt-lints run is writing the baseline "
                    "(remove the file if no other run is active)"
                ) from None
            time.sleep(_POLL_SECONDS)
    os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(target)
