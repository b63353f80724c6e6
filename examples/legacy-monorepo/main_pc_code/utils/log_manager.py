"""
LogManager - structured JSON logging with metrics for MainPC agents (551 LOC originally).

DEPRECATED: use common.utils.logger_util (buffered rotation, one handler per logger).
"""
import json
import logging
import os
import time
from logging.handlers import RotatingFileHandler

from main_pc_code.utils.path_manager import PathManager

LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps(
            {
                "time": self.formatTime(record),
                "logger": record.name,
                "level": record.levelname,
                "message": record.getMessage(),
            }
        )


def get_logger(name, level=logging.INFO):
    """Logger with a rotating file under logs/ (called by every agent at import)."""
    logger = logging.getLogger(name)
    log_file = os.path.join(PathManager.get_logs_dir(), f"{name}.log")
    handler = RotatingFileHandler(log_file, maxBytes=10 * 1024 * 1024, backupCount=5)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    return logger


class LogManager:
    """Per-agent manager: JSON log file, error log and message counters."""

    def __init__(self, agent_name):
        self.agent_name = agent_name
        self.logger = logging.getLogger(f"agent.{agent_name}")
        logs_dir = PathManager.get_logs_dir()
        self.json_handler = RotatingFileHandler(
            os.path.join(logs_dir, f"{agent_name}.jsonl"), maxBytes=50 * 1024 * 1024
        )
        self.json_handler.setFormatter(JsonFormatter())
        self.logger.addHandler(self.json_handler)
        self.counts = {"info": 0, "warning": 0, "error": 0}
        self.started = time.time()

    def log(self, level, message, **fields):
        self.counts[level] = self.counts.get(level, 0) + 1
        # Rotation is checked on every write (the audit's 4 % CPU).
        self.json_handler.shouldRollover(logging.makeLogRecord({"msg": message}))
        getattr(self.logger, level)(message, extra={"fields": fields})

    def metrics(self):
        return {"uptime": time.time() - self.started, **self.counts}
