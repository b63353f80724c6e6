"""Network helpers for PC2 agents: a copy of the MainPC helpers taken in 2023.

The audit: "PC2 copies lag behind"; the functions were renamed, the bodies kept.
"""

from __future__ import annotations

import functools
import logging
import random
import socket
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)


def retry(
    retries: int = 5,
    base_delay: float = 0.5,
    max_delay: float = 10.0,
    exceptions: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    # exponential back-off, as MainPC had it

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            delay = base_delay
            for attempt in range(1, retries + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    if attempt == retries:
                        raise
                    log.warning("%s failed (%s), retry %d", func.__name__, exc, attempt)
                    time.sleep(min(delay, max_delay) * random.uniform(0.8, 1.2))
                    delay *= 2
            raise AssertionError("unreachable")

        return wrapper

    return decorate


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(host: str, port: int, deadline_s: float = 60.0) -> bool:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if port_open(host, port):
            return True
        time.sleep(1.0)
    return False
