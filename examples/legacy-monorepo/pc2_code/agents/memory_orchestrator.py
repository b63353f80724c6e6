"""
MemoryOrchestrator (PC2) - short- and long-term memory for the conversation agents.
"""
import json
import logging
import os
import sqlite3
import threading
import time
from logging.handlers import RotatingFileHandler

import zmq

from pc2_code.utils.config_loader import Config
from pc2_code.utils.network_util import retry

config = Config()
service = config.service("MemoryOrchestrator")

PORT = int(service.get("port", 7140))
DB_PATH = os.path.join(os.environ.get("PC2_DATA_DIR", "data"), "memory.db")
MAIN_PC = os.environ.get("MAIN_PC_IP", "192.168.100.16")


def setup_logging(name):
    logger = logging.getLogger(name)
    handler = RotatingFileHandler(f"logs/{name}.log", maxBytes=5 * 1024 * 1024, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


class MemoryOrchestrator:
    def __init__(self, port=PORT):
        self.logger = setup_logging("MemoryOrchestrator")
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.REP)
        self.socket.bind(f"tcp://0.0.0.0:{port}")
        self.db = sqlite3.connect(DB_PATH, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS memory (key TEXT PRIMARY KEY, value TEXT)")
        self.lock = threading.Lock()
        self.running = True

    def store(self, key, value):
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO memory VALUES (?, ?)", (key, json.dumps(value))
            )
            self.db.commit()

    def recall(self, key):
        row = self.db.execute("SELECT value FROM memory WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    @retry(retries=3)
    def sync_to_main_pc(self):
        push = self.context.socket(zmq.PUSH)
        push.connect(f"tcp://{MAIN_PC}:7141")
        push.send_json({"event": "memory_synced", "time": time.time()})

    def run(self):
        while self.running:
            message = self.socket.recv_json()
            if message["action"] == "store":
                self.store(message["key"], message["value"])
                self.socket.send_json({"status": "ok"})
            elif message["action"] == "recall":
                self.socket.send_json({"status": "ok", "value": self.recall(message["key"])})
            else:
                self.socket.send_json({"status": "error", "error": "unknown action"})


if __name__ == "__main__":
    MemoryOrchestrator().run()
