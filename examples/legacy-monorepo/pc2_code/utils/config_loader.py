"""Thin YAML config loader for PC2 agents.

DEPRECATED: fully subsumed by common.config_manager; delete after migration.
"""
import os

import yaml

CONFIG_FILE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "config",
    "pc2_startup_config.yaml",
)


class Config:
    def __init__(self, path=CONFIG_FILE):
        self.path = path
        self.data = {}
        self.reload()

    def reload(self):
        with open(self.path, encoding="utf-8") as handle:
            self.data = yaml.safe_load(handle) or {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def service(self, name):
        for service in self.data.get("pc2_services", []):
            if service.get("name") == name:
                return service
        return {}


def load_config():
    return Config().data
