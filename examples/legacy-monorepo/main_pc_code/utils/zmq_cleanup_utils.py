"""
ZMQ cleanup utilities for MainPC agents: linger handling, agent-wide cleanup, decorators.

DEPRECATED: use common_utils.zmq_helper (keep the linger logic when porting).
"""
import functools
import logging

import zmq

logger = logging.getLogger(__name__)

DEFAULT_LINGER_MS = 0
SOCKET_ATTRIBUTES = ("socket", "pub_socket", "sub_socket", "health_socket", "interrupt_socket")


def cleanup_zmq_socket(sock, linger=DEFAULT_LINGER_MS):
    """Close one socket without blocking on unsent messages."""
    if sock is None or sock.closed:
        return
    try:
        sock.setsockopt(zmq.LINGER, linger)
        sock.close()
    except zmq.ZMQError as exc:
        logger.warning("error closing socket: %s", exc)


def cleanup_zmq_context(context, linger=DEFAULT_LINGER_MS):
    """Destroy a context and every socket it still owns."""
    if context is None or context.closed:
        return
    try:
        context.destroy(linger=linger)
    except zmq.ZMQError as exc:
        logger.warning("error destroying context: %s", exc)


def cleanup_agent_zmq_resources(agent):
    """Close the usual socket attributes of an agent, then its context."""
    for name in SOCKET_ATTRIBUTES:
        cleanup_zmq_socket(getattr(agent, name, None))
    cleanup_zmq_context(getattr(agent, "context", None))


def with_zmq_cleanup(method):
    """Decorator for an agent's run(): always release its ZMQ resources."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        finally:
            cleanup_agent_zmq_resources(self)

    return wrapper
