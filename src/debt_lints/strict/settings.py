"""``[tool.debt-lints.typing]``: what the strict-typing ratchet checks and how."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from debt_lints.config import FEATURE_KEYS, Config, ConfigError, Key, inside_root

#: Error codes that hide other errors when baselined: a file with a syntax
#: error is not type-checked at all, and a module that cannot be found turns
#: everything imported from it into ``Any``.
DEFAULT_NEVER_BASELINE: tuple[str, ...] = ("syntax", "import-not-found")

#: The keys of ``[tool.debt-lints.typing]``, for the configuration reference
#: (``docs/configuration.md``); :func:`typing_settings` validates them, and the
#: generator checks they are the names ``config.FEATURE_KEYS`` accepts.
KEYS: tuple[Key, ...] = (
    Key(
        "paths",
        "array of paths",
        "the project root",
        "What mypy checks, relative to the configuration's directory.",
    ),
    Key("packages", "array of dotted names", "[]", "Or the packages to check, by name."),
    Key(
        "flags",
        "array of strings",
        "[]",
        "Extra mypy flags, after debt-lints' own, from an allow-list: strictness, warning "
        "and error-code flags, `--python-version`, `--platform`, `--always-true`/"
        "`--always-false`, `--follow-imports` (no outputs, no `@file`, no interpreter; "
        "[docs/typing.md](typing.md)).",
    ),
    Key(
        "mypy-config",
        "string (path)",
        "none (`--config-file=`)",
        "A mypy configuration to respect: its allow-listed options (per-module "
        "relaxations, `mypy_path` inside the root, installed plugins) are copied into the "
        "configuration debt-lints writes for mypy; without it mypy runs with no "
        "configuration file, so nothing can hide a strict error.",
    ),
    Key(
        "never-baseline",
        "array of mypy error codes",
        "[" + ", ".join(f'"{code}"' for code in DEFAULT_NEVER_BASELINE) + "]",
        "Error codes that always fail and are never recorded in the baseline: they hide "
        "other errors.",
    ),
)
_KEYS = FEATURE_KEYS["typing"]


@dataclass(frozen=True)
class TypingSettings:
    """Validated ``[tool.debt-lints.typing]``."""

    packages: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    mypy_config: Path | None = None
    never_baseline: tuple[str, ...] = DEFAULT_NEVER_BASELINE
    #: Set by the command line only (``--allow-local-plugins``), never by the
    #: repository: run mypy plugins and interpreters found inside the checkout.
    allow_local_plugins: bool = False


def typing_settings(config: Config) -> TypingSettings:
    """Read and validate the typing table of ``config`` (empty table: defaults)."""
    table: Mapping[str, object] = config.table("typing")
    where = f"{config.source or 'configuration'}: typing"
    for key in table:
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} in [tool.debt-lints.typing]")

    def str_list(key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}.{key} must be an array of strings")
        return tuple(value)

    mypy_config = table.get("mypy-config")
    if mypy_config is not None and (
        not isinstance(mypy_config, str) or not mypy_config or not mypy_config.isprintable()
    ):
        raise ConfigError(f"{where}.mypy-config must be a non-empty file name")
    return TypingSettings(
        packages=str_list("packages"),
        paths=str_list("paths"),
        flags=str_list("flags"),
        # Read by mypy and rewritten by --write-mypy-config: never outside the root.
        mypy_config=(
            inside_root(config.root, mypy_config, f"{where}.mypy-config")
            if isinstance(mypy_config, str)
            else None
        ),
        never_baseline=str_list("never-baseline", DEFAULT_NEVER_BASELINE),
    )
