"""
Service discovery over ZMQ (synchronous, exponential back-off).

DEPRECATED: use common.service_mesh.client (async HTTP with a circuit breaker).
"""
import logging
import os
import time

import zmq

logger = logging.getLogger(__name__)

DISCOVERY_ENDPOINT = os.environ.get("SERVICE_DISCOVERY_ENDPOINT", "tcp://localhost:7120")
MAX_RETRIES = 5


def get_zmq_connection_string(port, host="localhost"):
    """Endpoint of an agent's port on a host."""
    return f"tcp://{host}:{port}"


def discover_service(name, timeout_ms=2000):
    """Ask the discovery service where ``name`` runs; retries with back-off."""
    context = zmq.Context.instance()
    delay = 0.5
    for attempt in range(1, MAX_RETRIES + 1):
        sock = context.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.RCVTIMEO, timeout_ms)
        try:
            sock.connect(DISCOVERY_ENDPOINT)
            sock.send_json({"action": "discover", "name": name})
            reply = sock.recv_json()
            if reply.get("status") == "ok":
                return reply["service"]
        except zmq.Again:
            logger.warning("discovery of %s timed out (attempt %d)", name, attempt)
        finally:
            sock.close()
        time.sleep(delay)
        delay *= 2
    return None


def register_service(name, port, host=None):
    sock = zmq.Context.instance().socket(zmq.REQ)
    sock.setsockopt(zmq.RCVTIMEO, 2000)
    sock.connect(DISCOVERY_ENDPOINT)
    sock.send_json({"action": "register", "name": name, "host": host, "port": port})
    return sock.recv_json().get("status") == "ok"
