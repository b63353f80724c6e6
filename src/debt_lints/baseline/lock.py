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

from debt_lints.baseline.store import BaselineError

#: How long to wait for another run to finish writing.
TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.05


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float = TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive write lock of the baseline at ``path``."""
    target = lock_path(path)
    try:
        # The configured baseline may live in a directory nobody created yet.
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BaselineError(f"{target.parent}: cannot create: {exc.strerror or exc}") from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _exclusive_create(target, timeout):
            yield
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BaselineError(f"{target}: cannot create the lock file: {exc.strerror}") from None
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
            try:
                current = os.stat(target)
            except FileNotFoundError:
                continue
            mine = os.fstat(fd)
            if (current.st_dev, current.st_ino) != (mine.st_dev, mine.st_ino):
                continue
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(target)
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
