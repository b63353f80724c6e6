"""
HealthMonitor - polls every agent's health port and publishes a summary.

Already migrated: common/ utilities, CURVE on its server socket, sockets closed.
"""
import logging
import os
import socket
import time

import zmq

from common.config_manager import load_unified_config
from common_utils.env_loader import get_env
from common.utils.network_util import wait_for_service
from main_pc_code.security.zmq_auth import configure_secure_server

logger = logging.getLogger("HealthMonitor")


def port_is_open(host, port, timeout=1.0):
    """TCP probe of an agent's health port."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.settimeout(timeout)
        return probe.connect_ex((host, port)) == 0
    finally:
        probe.close()


class HealthMonitor:
    def __init__(self, port=None):
        self.config = load_unified_config()
        self.port = port or int(get_env("HEALTH_MONITOR_PORT", "5584"))
        self.context = zmq.Context()
        self.publisher = self.context.socket(zmq.PUB)
        configure_secure_server(self.publisher)
        self.publisher.bind(f"tcp://*:{self.port}")
        self.mainpc_host = os.environ.get("MAINPC_IP", "mainpc")
        self.running = True
        wait_for_service(self.mainpc_host, 6379, deadline_s=30.0)  # Redis up first

    def agents(self):
        for group in self.config.get("agent_groups", {}).values():
            for name, spec in group.items():
                yield name, spec.get("host", self.mainpc_host), spec["health_check_port"]

    def poll_once(self):
        summary = {}
        for name, host, port in self.agents():
            summary[name] = "up" if port_is_open(host, port) else "down"
        self.publisher.send_json({"time": time.time(), "agents": summary})
        return summary

    def run(self, interval=10.0):
        while self.running:
            down = [n for n, s in self.poll_once().items() if s == "down"]
            if down:
                logger.warning("agents down: %s", ", ".join(down))
            time.sleep(interval)

    def cleanup(self):
        self.running = False
        self.publisher.close(linger=0)
        self.context.term()
