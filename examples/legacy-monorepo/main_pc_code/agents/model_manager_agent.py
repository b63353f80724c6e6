"""
ModelManagerAgent - loads and unloads GGUF models according to VRAM budget.
"""
import glob
import logging
import os
import time

import zmq

from common.core.base_agent import BaseAgent
from common.utils.path_manager import PathManager

logger = logging.getLogger("ModelManagerAgent")

MODELS_DIR = "/mnt/models"
FALLBACK_MODELS_DIR = "/home/haymayndz/AI_System_Monorepo/models"
VRAM_BUDGET_MB = int(os.environ.get("VRAM_BUDGET_MB", "20000"))
PC2_HOST = os.environ.get("PC2_IP", "pc2")


class ModelManagerAgent(BaseAgent):
    def __init__(self, port=5570):
        super().__init__(name="ModelManagerAgent", port=port)
        self.loaded = {}
        self.context = zmq.Context()
        self.status_pub = self.context.socket(zmq.PUB)
        self.status_pub.connect(f"tcp://{PC2_HOST}:7150")

    def available_models(self):
        models_dir = MODELS_DIR if os.path.isdir(MODELS_DIR) else FALLBACK_MODELS_DIR
        return sorted(glob.glob(os.path.join(models_dir, "*.gguf")))

    def cache_dir(self):
        # The canonical helper: resolved from MODELS_DIR or the project layout.
        return os.path.join(PathManager.get_models_dir(), "cache")

    def load(self, name, size_mb):
        used = sum(self.loaded.values())
        if used + size_mb > VRAM_BUDGET_MB:
            self.unload_oldest()
        self.loaded[name] = size_mb
        self.status_pub.send_json({"event": "loaded", "model": name, "time": time.time()})

    def unload_oldest(self):
        if not self.loaded:
            return
        name = next(iter(self.loaded))
        del self.loaded[name]
        self.status_pub.send_json({"event": "unloaded", "model": name})

    def notify_pc2(self, event):
        """One-shot notification; the socket is closed whatever happens."""
        sock = self.context.socket(zmq.REQ)
        try:
            sock.setsockopt(zmq.LINGER, 0)
            sock.connect(f"tcp://{PC2_HOST}:7140")
            sock.send_json(event)
            return sock.poll(2000) and sock.recv_json()
        finally:
            sock.close()

    def cleanup(self):
        self.status_pub.close(linger=0)
        super().cleanup()
