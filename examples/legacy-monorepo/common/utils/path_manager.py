"""Project paths, Docker-agnostic: everything is relative to the project or set by ENV."""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


class PathManager:
    """The canonical path helper (the MainPC copy's ENV overrides were merged in)."""

    @staticmethod
    def get_project_root() -> Path:
        override = os.environ.get("PROJECT_ROOT")
        return Path(override) if override else _PROJECT_ROOT

    @staticmethod
    def get_config_dir() -> Path:
        override = os.environ.get("CONFIG_DIR")
        return Path(override) if override else PathManager.get_project_root() / "config"

    @staticmethod
    def get_models_dir() -> Path:
        """Where the model weights are mounted (a volume in docker-compose)."""
        override = os.environ.get("MODELS_DIR")
        return Path(override) if override else PathManager.get_project_root() / "models"

    @staticmethod
    def get_logs_dir() -> Path:
        logs = Path(os.environ.get("LOG_DIR", str(PathManager.get_project_root() / "logs")))
        logs.mkdir(parents=True, exist_ok=True)
        return logs

    @staticmethod
    def get_data_dir() -> Path:
        override = os.environ.get("DATA_DIR")
        return Path(override) if override else PathManager.get_project_root() / "data"
