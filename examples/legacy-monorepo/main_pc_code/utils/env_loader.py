"""Typed environment loader for MainPC (30+ variables in the original).

DEPRECATED: use common_utils.env_loader, which also reads the YAML fallback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_TRUE = {"1", "true", "yes", "on"}


def get_env(name: str, default: str | None = None) -> str | None:
    """The variable's value, or ``default``."""
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def get_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


@dataclass(frozen=True)
class MachineAddresses:
    mainpc: str
    pc2: str
    bind_address: str


def machine_addresses() -> MachineAddresses:
    """Where the two machines are. Falls back to a single-machine set-up."""
    return MachineAddresses(
        mainpc=os.environ.get("MAIN_PC_IP", "localhost"),
        pc2=os.environ.get("PC2_IP", "localhost"),
        bind_address=os.environ.get("BIND_ADDRESS", "0.0.0.0"),
    )


def is_docker() -> bool:
    return get_bool("RUNNING_IN_DOCKER") or os.path.exists("/.dockerenv")
