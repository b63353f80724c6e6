"""
Config loader for MainPC agents: YAML or JSON file, overridden by command-line flags.

DEPRECATED: use common.config_manager.load_unified_config().
"""
import argparse
import json
import os
import sys

import yaml

sys.path.append(os.path.join(os.path.dirname(__file__), ".."))
from utils.path_manager import PathManager  # resolves only through the sys.path hack above

DEFAULT_CONFIG = "/home/haymayndz/AI_System_Monorepo/main_pc_code/config/startup_config.yaml"


def parse_agent_args(argv=None):
    parser = argparse.ArgumentParser(description="MainPC agent")
    parser.add_argument("--config", default=os.environ.get("CONFIG_FILE", DEFAULT_CONFIG))
    parser.add_argument("--port", type=int)
    parser.add_argument("--host")
    parser.add_argument("--debug", action="store_true")
    args, _unknown = parser.parse_known_args(argv)
    return args


def _read(path):
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".json"):
            return json.load(handle)
        return yaml.safe_load(handle) or {}


def load_config(path=None, argv=None):
    """Load the agent configuration; flags win over the file."""
    args = parse_agent_args(argv)
    config_path = path or args.config
    if not os.path.isabs(config_path):
        config_path = str(PathManager.get_config_dir() / config_path)
    config = _read(config_path) if os.path.exists(config_path) else {}
    for key in ("port", "host", "debug"):
        value = getattr(args, key)
        if value:
            config[key] = value
    return config
