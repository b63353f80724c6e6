"""Socket helpers shared by all agents (the canonical ZMQ utilities)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import zmq
import zmq.auth

logger = logging.getLogger(__name__)

KEYS_DIR_VARIABLE = "ZMQ_CERTIFICATES_DIR"


def certificates_dir() -> str:
    """Where the CURVE certificates are mounted (a Docker secret in production)."""
    return os.environ.get(KEYS_DIR_VARIABLE, "certificates")


def apply_server_auth(sock: zmq.Socket[bytes], name: str = "server") -> None:
    """Make ``sock`` a CURVE server with the key pair ``<name>.key_secret``."""
    public, secret = zmq.auth.load_certificate(
        os.path.join(certificates_dir(), f"{name}.key_secret")
    )
    if secret is None:
        raise RuntimeError(f"{name}.key_secret holds no secret key")
    sock.curve_publickey = public
    sock.curve_secretkey = secret
    sock.curve_server = True


def create_socket(
    context: zmq.Context[zmq.Socket[bytes]],
    socket_type: int,
    endpoint: str,
    *,
    bind: bool = False,
    linger_ms: int = 0,
) -> zmq.Socket[bytes]:
    """A connected (or bound) socket; the caller owns it and must close it."""
    sock = context.socket(socket_type)
    sock.setsockopt(zmq.LINGER, linger_ms)
    if bind:
        apply_server_auth(sock)
        sock.bind(endpoint)
    else:
        sock.connect(endpoint)
    return sock


def safe_close(sock: zmq.Socket[bytes] | None, linger_ms: int = 0) -> None:
    """Close ``sock`` without blocking; tolerate ``None`` and closed sockets."""
    if sock is None or sock.closed:
        return
    sock.close(linger=linger_ms)


@contextmanager
def request_socket(
    context: zmq.Context[zmq.Socket[bytes]], endpoint: str, timeout_ms: int = 5000
) -> Iterator[zmq.Socket[bytes]]:
    """A REQ socket for one exchange, closed on exit."""
    sock = create_socket(context, zmq.REQ, endpoint)
    sock.setsockopt(zmq.RCVTIMEO, timeout_ms)
    try:
        yield sock
    finally:
        safe_close(sock)


def endpoint(host: str, port: int, transport: str = "tcp") -> str:
    """``tcp://host:port`` for a host name taken from configuration."""
    return f"{transport}://{host}:{port}"
