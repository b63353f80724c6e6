"""
Environment loader with a YAML fallback (config/overrides/<machine>.yaml).

The canonical loader: MAINPC_IP / PC2_IP naming.
"""
import os

import yaml

_FALLBACK_FILE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "config", "overrides", "env.yaml"
)
_fallback = None


def _load_fallback():
    global _fallback
    if _fallback is None:
        try:
            with open(_FALLBACK_FILE, encoding="utf-8") as handle:
                _fallback = yaml.safe_load(handle) or {}
        except FileNotFoundError:
            _fallback = {}
    return _fallback


def get_env(name, default=None):
    """Environment first, then the YAML fallback, then ``default``."""
    value = os.environ.get(name)
    if value is not None:
        return value
    return _load_fallback().get(name, default)


def get_mainpc_ip():
    # Rollout fallback mapping (audit section 2): the old name is still read
    # until every launcher sets MAINPC_IP. Delete with the rename.
    return get_env("MAINPC_IP") or os.environ.get("MAIN_PC_IP")  # noqa: DL103


def get_pc2_ip():
    # This read PC2_IP_ADDRESS until the rename landed; the suppression stayed.
    return get_env("PC2_IP")  # noqa: DL103


def get_ip(machine):
    return {"mainpc": get_mainpc_ip, "pc2": get_pc2_ip}[machine]()
