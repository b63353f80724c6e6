"""StreamingAgent - publishes transcripts; started as `python main_pc_code/agents/streaming_agent.py`.

Inherits BaseAgent's lifecycle, whose cleanup() closes only `self.socket` and
the health socket: the PUB socket below leaks (and `context.term()` would block
on it). The import below reaches main_pc_code/utils/path_manager.py because
main_pc_code is on the import path at run time (`import-roots`).
"""

import zmq

from common.core.base_agent import BaseAgent
from utils.path_manager import PathManager


class StreamingAgent(BaseAgent):
    def __init__(self, port, request_endpoint, publish_endpoint):
        super().__init__("StreamingAgent", port)
        # Closed by BaseAgent.cleanup(): not a leak.
        self.socket = self.context.socket(zmq.REP)
        self.socket.connect(request_endpoint)
        # Nothing in the hierarchy closes it.
        self.pub_socket = self.context.socket(zmq.PUB)
        self.pub_socket.connect(publish_endpoint)
        self.log_dir = PathManager.get_logs_dir()

    def publish(self, text):
        self.pub_socket.send_string(text)
