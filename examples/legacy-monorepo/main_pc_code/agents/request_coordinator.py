"""
RequestCoordinator - routes user requests to the model agents on MainPC.

Critical-path agent: still imports the MainPC PathManager and ConfigLoader.
"""
import json
import os
import sys
import threading
import time
from collections import deque

import zmq

MAIN_PC_CODE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if MAIN_PC_CODE not in sys.path:
    sys.path.insert(0, MAIN_PC_CODE)

from main_pc_code.utils.path_manager import PathManager
from main_pc_code.utils.config_loader import load_config
from main_pc_code.utils.log_manager import get_logger
from common.core.base_agent import BaseAgent

logger = get_logger("RequestCoordinator")
config = load_config()

DEFAULT_PORT = int(config.get("request_coordinator_port", 26002))
SDT_HOST = config.get("sdt_host", "localhost")
SDT_PORT = int(config.get("sdt_port", 7220))
MAX_QUEUE = 100


class RequestCoordinator(BaseAgent):
    """Receives requests on a REP socket and dispatches them by priority."""

    def __init__(self, port=DEFAULT_PORT):
        super().__init__(name="RequestCoordinator", port=port)
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.REP)
        self.socket.setsockopt(zmq.RCVTIMEO, 1000)
        self.socket.bind(f"tcp://*:{port}")

        self.interrupt_socket = self.context.socket(zmq.SUB)
        self.interrupt_socket.connect(f"tcp://localhost:{port + 100}")
        self.interrupt_socket.setsockopt(zmq.SUBSCRIBE, b"")

        self.queue = deque(maxlen=MAX_QUEUE)
        self.lock = threading.Lock()
        self.running = True
        self.request_log = os.path.join(PathManager.get_logs_dir(), "requests.jsonl")

    def _query_digital_twin(self, request):
        """Ask SystemDigitalTwin whether the GPU can take the request."""
        sdt = self.context.socket(zmq.REQ)
        sdt.setsockopt(zmq.RCVTIMEO, 5000)
        sdt.connect(f"tcp://{SDT_HOST}:{SDT_PORT}")
        sdt.send_json({"action": "can_accept", "request": request})
        return sdt.recv_json()

    def _record(self, request):
        with open(self.request_log, "a", encoding="utf-8") as log_file:
            log_file.write(json.dumps(request) + "\n")

    def handle_request(self, request):
        if request.get("action") == "health_check":
            return {"status": "ok", "queue": len(self.queue)}
        verdict = self._query_digital_twin(request)
        if not verdict.get("accepted"):
            return {"status": "rejected", "reason": verdict.get("reason", "busy")}
        with self.lock:
            self.queue.append(request)
        self._record(request)
        return {"status": "queued", "position": len(self.queue)}

    def run(self):
        logger.info("RequestCoordinator listening on port %s", self.port)
        while self.running:
            try:
                request = self.socket.recv_json()
            except zmq.Again:
                continue
            try:
                response = self.handle_request(request)
            except Exception as exc:  # keep serving: one bad request must not kill the agent
                logger.exception("request failed")
                response = {"status": "error", "error": str(exc)}
            self.socket.send_json(response)
            time.sleep(0.01)


if __name__ == "__main__":
    agent = RequestCoordinator()
    try:
        agent.run()
    except KeyboardInterrupt:
        pass
    finally:
        agent.cleanup()
