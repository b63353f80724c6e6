"""
SystemDigitalTwin - keeps the live model of both machines (GPU, RAM, agents).

Serves a ZMQ REP endpoint for the agents and a small HTTP API for the dashboard.
"""
import json
import logging
import os
import threading
import time

import redis
import zmq
from flask import Flask, jsonify, request

from main_pc_code.utils.env_loader import get_env
from common.core.base_agent import BaseAgent

logger = logging.getLogger("SystemDigitalTwin")

MAIN_PC_IP = os.environ.get("MAIN_PC_IP", "192.168.100.16")
PC2_IP = os.getenv("PC2_IP_ADDRESS", "192.168.100.17")
HTTP_PORT = int(os.environ.get("SDT_HTTP_PORT", "8220"))
ZMQ_PORT = int(os.environ.get("SDT_PORT", "7220"))

app = Flask(__name__)
twin_state = {"machines": {}, "agents": {}, "updated": 0.0}


@app.route("/health")
def health():
    return jsonify({"status": "ok", "updated": twin_state["updated"]})


@app.route("/api/v1/machines/<name>")
def machine(name):
    return jsonify(twin_state["machines"].get(name, {}))


@app.route("/api/v1/agents", methods=["POST"])
def register_agent():
    payload = request.get_json(force=True)
    twin_state["agents"][payload["name"]] = payload
    return jsonify({"registered": payload["name"]})


class SystemDigitalTwin(BaseAgent):
    def __init__(self, port=ZMQ_PORT):
        super().__init__(name="SystemDigitalTwin", port=port)
        self.redis = redis.Redis(host="localhost", port=6379, db=0)
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.REP)
        self.socket.bind(f"tcp://*:{port}")
        self.machines = {"mainpc": MAIN_PC_IP, "pc2": PC2_IP}

    def refresh(self):
        for name, address in self.machines.items():
            raw = self.redis.get(f"metrics:{name}")
            metrics = json.loads(raw) if raw else {}
            twin_state["machines"][name] = {"address": address, **metrics}
        twin_state["updated"] = time.time()

    def handle(self, message):
        if message.get("action") == "can_accept":
            vram = twin_state["machines"].get("mainpc", {}).get("vram_free_mb", 0)
            return {"accepted": vram > 2048, "reason": "vram" if vram <= 2048 else ""}
        if message.get("action") == "state":
            return twin_state
        return {"error": "unknown action"}

    def run(self):
        threading.Thread(target=self._serve_http, daemon=True).start()
        while True:
            self.refresh()
            if self.socket.poll(1000):
                self.socket.send_json(self.handle(self.socket.recv_json()))

    def _serve_http(self):
        debug = get_env("SDT_DEBUG", "false") == "true"
        app.run(host="0.0.0.0", port=HTTP_PORT, debug=debug)


if __name__ == "__main__":
    SystemDigitalTwin().run()
