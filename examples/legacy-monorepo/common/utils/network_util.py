"""Network helpers: the one retry decorator every agent should use, and TCP probes."""

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

logger = logging.getLogger(__name__)


def retry_with_backoff(
    retries: int = 5,
    base_delay: float = 0.5,
    max_delay: float = 10.0,
    exceptions: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Retry the decorated call with exponential back-off and jitter."""

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
                    logger.warning("%s failed (%s), retry %d", func.__name__, exc, attempt)
                    time.sleep(min(delay, max_delay) * random.uniform(0.8, 1.2))
                    delay *= 2
            raise AssertionError("unreachable")

        return wrapper

    return decorate


def is_port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_service(host: str, port: int, deadline_s: float = 60.0) -> bool:
    """Poll until the service accepts connections or the deadline passes."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if is_port_open(host, port):
            return True
        time.sleep(1.0)
    return False
