"""debt-lints: lint rules that turn a technical-debt audit into an enforced clean-up.

Importing this package is cheap: the engine, YAML and the host plugins load
only when a command needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__version__ = "0.2.0"


def package_root() -> Path:
    """The ``debt_lints`` package directory (``src/debt_lints`` in a checkout)."""
    from pathlib import Path

    return Path(__file__).resolve().parent
