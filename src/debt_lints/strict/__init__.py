"""The strict-typing ratchet: ``mypy --strict`` errors as findings, per-module strictness.

Public API: :func:`run_typing` (mypy over the targets, findings + per-module
facts), :func:`typing_settings` (``[tool.debt-lints.typing]``),
:func:`write_mypy_config` (strict overrides for strict-clean modules).
"""

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
