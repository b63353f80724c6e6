"""JSON logging with buffered rotation: one handler per logger, attached once."""

from __future__ import annotations

import json
import logging
import logging.handlers
import queue

from common.utils.path_manager import PathManager

_records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
_listener: logging.handlers.QueueListener | None = None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "logger": record.name,
            "level": record.levelname,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def _start_listener() -> None:
    """One rotating file for the process, written by a background thread."""
    global _listener
    if _listener is not None:
        return
    target = logging.handlers.RotatingFileHandler(
        PathManager.get_logs_dir() / "agents.jsonl", maxBytes=50 * 1024 * 1024, backupCount=5
    )
    target.setFormatter(JsonFormatter())
    _listener = logging.handlers.QueueListener(_records, target)
    _listener.start()


def get_json_logger(name: str, level: int = logging.INFO) -> logging.Logger:
    """A logger that writes JSON through the shared queue; safe to call repeatedly."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        _start_listener()
        logger.addHandler(logging.handlers.QueueHandler(_records))
        logger.setLevel(level)
    return logger


def stop_logging() -> None:
    """Flush and close the shared file (call once at shutdown)."""
    global _listener
    if _listener is not None:
        _listener.stop()
        for handler in _listener.handlers:
            handler.close()
        _listener = None
