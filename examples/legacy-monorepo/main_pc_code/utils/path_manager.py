"""
Centralised path management for MainPC agents (caching, ENV overrides).

DEPRECATED: use common.utils.path_manager. Kept until every agent is migrated.
"""
import os
import sys
from pathlib import Path

MAIN_PC_CODE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MAIN_PC_CODE)

# config_loader imports this module too: a circular import (audit, section 3).
from utils.config_loader import load_config  # noqa: E402

_cache = {}


class PathManager:
    """Resolves project paths, with environment overrides and a cache."""

    @staticmethod
    def get_project_root():
        if "project_root" not in _cache:
            root = os.environ.get("PROJECT_ROOT")
            _cache["project_root"] = Path(root) if root else Path(MAIN_PC_CODE).parent
        return _cache["project_root"]

    @staticmethod
    def get_main_pc_code():
        return Path(MAIN_PC_CODE)

    @staticmethod
    def get_models_dir():
        return Path(os.environ.get("MODELS_DIR", "/mnt/models"))

    @staticmethod
    def get_logs_dir():
        logs = PathManager.get_project_root() / "logs"
        os.makedirs(logs, exist_ok=True)
        return logs

    @staticmethod
    def get_config_dir():
        return Path(os.environ.get("CONFIG_DIR", PathManager.get_main_pc_code() / "config"))

    @staticmethod
    def resolve_path(relative):
        path = Path(relative)
        if path.is_absolute():
            return path
        return PathManager.get_project_root() / path

    @staticmethod
    def get_configured_dir(key):
        return PathManager.resolve_path(load_config().get(key, "."))

    @staticmethod
    def clear_cache():
        _cache.clear()
