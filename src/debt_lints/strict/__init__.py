"""The strict-typing ratchet: ``mypy --strict`` errors as findings, per-module strictness.

Public API: :func:`run_typing` (mypy over the targets, findings + per-module
facts), :func:`typing_settings` (``[tool.debt-lints.typing]``),
:func:`write_mypy_config` (strict overrides for strict-clean modules).

The names load on first use (PEP 562): every ``check`` validates the typing
settings through :mod:`debt_lints.strict.settings`, and must not pay for
importing the mypy runner when ``--typing`` is not given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debt_lints.core.lazy import loader

if TYPE_CHECKING:
    from debt_lints.strict.mypy_config import read_block, write_mypy_config
    from debt_lints.strict.mypy_run import (
        ModuleInfo,
        MypyUnavailable,
        TypingRun,
        is_typing_code,
        mypy_code,
        run_typing,
    )
    from debt_lints.strict.settings import TypingSettings, typing_settings

_WHERE = {
    "read_block": "mypy_config",
    "write_mypy_config": "mypy_config",
    "ModuleInfo": "mypy_run",
    "MypyUnavailable": "mypy_run",
    "TypingRun": "mypy_run",
    "is_typing_code": "mypy_run",
    "mypy_code": "mypy_run",
    "run_typing": "mypy_run",
    "TypingSettings": "settings",
    "typing_settings": "settings",
}

__all__ = [
    "ModuleInfo",
    "MypyUnavailable",
    "TypingRun",
    "TypingSettings",
    "is_typing_code",
    "mypy_code",
    "read_block",
    "run_typing",
    "typing_settings",
    "write_mypy_config",
]


__getattr__ = loader(__name__, _WHERE, globals())
