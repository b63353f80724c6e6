"""TieredResponder (PC2): answers from cache, the small model or the large model.

Migrated agent: unified config, canonical helpers, CURVE, sockets closed.
"""

from __future__ import annotations

import logging
import time
import zmq

from common.config_manager import agent_spec, load_unified_config
from common.utils.logger_util import get_json_logger
from common.utils.network_util import retry_with_backoff
from common_utils.zmq_helper import apply_server_auth, endpoint, request_socket

logger: logging.Logger = get_json_logger("TieredResponder")

FAST_PATH_WORDS = frozenset({"hi", "hello", "thanks", "bye"})


class TieredResponder:
    def __init__(self) -> None:
        config = load_unified_config()
        spec = agent_spec(config, "TieredResponder")
        self.port = int(spec.get("port", 7100))
        self.model_host = str(spec.get("model_host", "model-manager"))
        self.model_port = int(spec.get("model_port", 5570))
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.REP)
        apply_server_auth(self.socket)
        self.socket.bind(f"tcp://*:{self.port}")
        self.cache: dict[str, str] = {}
        self.running = True

    def classify(self, text: str) -> str:
        words = set(text.lower().split())
        if words <= FAST_PATH_WORDS:
            return "fast"
        return "large" if len(text) > 200 else "small"

    @retry_with_backoff(retries=3)
    def ask_model(self, text: str, tier: str) -> str:
        address = endpoint(self.model_host, self.model_port)
        with request_socket(self.context, address) as sock:
            sock.send_json({"action": "generate", "tier": tier, "prompt": text})
            reply = sock.recv_json()
        return str(reply.get("text", "")) if isinstance(reply, dict) else ""

    def respond(self, text: str) -> str:
        if text in self.cache:
            return self.cache[text]
        tier = self.classify(text)
        answer = "Hello!" if tier == "fast" else self.ask_model(text, tier)
        self.cache[text] = answer
        return answer

    def run(self) -> None:
        while self.running:
            if not self.socket.poll(1000):
                continue
            started = time.monotonic()
            request = self.socket.recv_json()
            text = str(request.get("text", "")) if isinstance(request, dict) else ""
            self.socket.send_json({"text": self.respond(text)})
            logger.info("answered in %.3fs", time.monotonic() - started)

    def close(self) -> None:
        self.running = False
        self.socket.close(linger=0)
        self.context.term()
