"""Unified configuration: one loader for MainPC (agent_groups) and PC2 (pc2_services)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from common.utils.path_manager import PathManager

MAINPC_CONFIG = "startup_config.yaml"
PC2_CONFIG = "pc2_startup_config.yaml"


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data if isinstance(data, dict) else {}


def _normalise_pc2(services: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """PC2 lists its services; MainPC groups them by name. Use MainPC's shape."""
    return {str(s["name"]): {k: v for k, v in s.items() if k != "name"} for s in services}


@lru_cache(maxsize=1)
def load_unified_config() -> dict[str, Any]:
    """Both machines' configuration; ``CONFIG_DIR`` overrides the directory."""
    config_dir = Path(os.environ.get("CONFIG_DIR", str(PathManager.get_config_dir())))
    mainpc = _read_yaml(config_dir / MAINPC_CONFIG)
    pc2 = _read_yaml(config_dir / PC2_CONFIG)
    groups: dict[str, Any] = dict(mainpc.get("agent_groups", {}))
    groups["pc2_services"] = _normalise_pc2(pc2.get("pc2_services", []))
    overrides = _read_yaml(config_dir / "overrides" / f"{os.environ.get('MACHINE', 'mainpc')}.yaml")
    return {
        "hosts": {**mainpc.get("hosts", {}), **overrides.get("hosts", {})},
        "ports": mainpc.get("ports", {}),
        "agent_groups": groups,
    }


def agent_spec(config: dict[str, Any], name: str) -> dict[str, Any]:
    """The configuration block of one agent, wherever it is declared."""
    for group in config.get("agent_groups", {}).values():
        if name in group:
            spec = group[name]
            return dict(spec) if isinstance(spec, dict) else {}
    return {}
