"""BaseAgent: the lifecycle every agent inherits (socket, health endpoint, cleanup)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import zmq

from common.utils.logger_util import get_json_logger
from common_utils.zmq_helper import apply_server_auth, safe_close


class BaseAgent:
    """Binds the agent's health port (CURVE-secured) and releases everything in cleanup()."""

    def __init__(self, name: str, port: int, health_port: int | None = None) -> None:
        self.name = name
        self.port = port
        self.health_port = health_port if health_port is not None else port + 1
        self.logger: logging.Logger = get_json_logger(name)
        self.context: Any = zmq.Context.instance()
        self.socket: Any = None
        self.health_socket = self.context.socket(zmq.REP)
        apply_server_auth(self.health_socket)
        self.health_socket.bind(f"tcp://*:{self.health_port}")
        self.started = time.time()
        self._health_thread = threading.Thread(target=self._serve_health, daemon=True)
        self._health_thread.start()

    def _serve_health(self) -> None:
        while not self.health_socket.closed:
            try:
                if self.health_socket.poll(1000):
                    self.health_socket.recv()
                    self.health_socket.send_json(self.health_status())
            except zmq.ZMQError:
                break

    def health_status(self) -> dict[str, Any]:
        return {"agent": self.name, "status": "ok", "uptime": time.time() - self.started}

    def cleanup(self) -> None:
        """Close the agent's sockets; subclasses call super().cleanup() last."""
        safe_close(self.socket)
        safe_close(self.health_socket)
        self.logger.info("%s stopped", self.name)
