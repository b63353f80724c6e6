"""Error reporting to the central error bus (no MainPC equivalent)."""

from __future__ import annotations

import logging
import os
import time
import traceback
from typing import Any

import zmq

logger = logging.getLogger(__name__)

ERROR_BUS_HOST = os.environ.get("ERROR_BUS_HOST", "error-bus")
ERROR_BUS_PORT = int(os.environ.get("ERROR_BUS_PORT", "7150"))


class ErrorSeverity:
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"


class ErrorPublisher:
    """Publishes structured error reports; close() releases the socket."""

    def __init__(self, agent_name: str) -> None:
        self.agent_name = agent_name
        self.context: Any = zmq.Context.instance()
        self.socket = self.context.socket(zmq.PUB)
        self.socket.connect(f"tcp://{ERROR_BUS_HOST}:{ERROR_BUS_PORT}")

    def report(
        self, message: str, severity: str = ErrorSeverity.ERROR, **details: Any
    ) -> dict[str, Any]:
        payload = {
            "agent": self.agent_name,
            "severity": severity,
            "message": message,
            "time": time.time(),
            "details": details,
        }
        self.socket.send_multipart([b"ERROR", repr(payload).encode()])
        return payload

    def report_exception(self, exc: BaseException) -> dict[str, Any]:
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return self.report(str(exc), ErrorSeverity.ERROR, traceback=trace)

    def close(self) -> None:
        self.socket.close(linger=0)

    def __enter__(self) -> ErrorPublisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
