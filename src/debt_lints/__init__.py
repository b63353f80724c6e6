"""debt-lints: lint rules that turn a technical-debt audit into an enforced clean-up.

Importing this package is cheap: the engine, YAML and the host plugins load
only when a command needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

#: Between releases the version is the next one's ``.dev0`` (PEP 440), so a
#: checkout past a release never reports itself as that release.
__version__ = "0.3.0.dev0"


def package_root() -> Path:
    """The ``debt_lints`` package directory (``src/debt_lints`` in a checkout)."""
    from pathlib import Path

    return Path(__file__).resolve().parent
