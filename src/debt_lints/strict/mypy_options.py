"""The mypy options a repository may set for the typing ratchet: one allow-list.

Everything here changes *what mypy reports* (strictness, warnings, the target
Python, error codes, per-module relaxations). Nothing here names a program to
run, a plugin to import, a file to write, or a file list: those options are
refused in ``[tool.debt-lints.typing] flags`` and dropped from the
repository's mypy configuration (``strict/trust.py``). The few options that
name a path or code (``mypy_path``, ``plugins``, ``python_executable``) have
their own kinds and are checked value by value.

Both spellings come from this one table: configuration keys
(:data:`CONFIG_OPTIONS`, with mypy's ``no_``/``allow_``/``disallow_``
inversions) and command-line flags (:data:`FLAGS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

#: Kinds of value, each validated by :func:`valid_value`.
BOOL = "bool"
VERSION = "version"
PLATFORM = "platform"
FOLLOW = "follow"
NAMES = "names"
CODES = "codes"
DOTTED = "dotted"
#: Checked by ``trust.py`` (they name paths or code), never by pattern alone.
PATHS = "paths"
PLUGINS = "plugins"
EXECUTABLE = "executable"
CONFIG = "config"


@dataclass(frozen=True)
class MypyOption:
    kind: str
    #: Valid in a per-module section (``[mypy-pkg.*]``, ``[[tool.mypy.overrides]]``).
    per_module: bool


_PER_MODULE_BOOLS = (
    "allow_redefinition",
    "allow_redefinition_new",
    "allow_redefinition_old",
    "allow_untyped_globals",
    "check_unreachable",
    "check_untyped_defs",
    "disallow_any_decorated",
    "disallow_any_explicit",
    "disallow_any_expr",
    "disallow_any_generics",
    "disallow_any_unimported",
    "disallow_incomplete_defs",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_decorators",
    "disallow_untyped_defs",
    "extra_checks",
    "follow_imports_for_stubs",
    "follow_untyped_imports",
    "ignore_errors",
    "ignore_missing_imports",
    "implicit_optional",
    "implicit_reexport",
    "local_partial_types",
    # Written by --write-mypy-config into [[tool.mypy.overrides]].
    "strict",
    "strict_concatenate",
    "strict_equality",
    "strict_equality_for_none",
    "strict_optional",
    "warn_no_return",
    "warn_return_any",
    "warn_unreachable",
    "warn_unused_ignores",
)
_GLOBAL_BOOLS = (
    "allow_empty_bodies",
    "disable_bytearray_promotion",
    "disable_memoryview_promotion",
    "no_site_packages",
    "no_silence_site_packages",
    "report_deprecated_as_note",
    "strict_bytes",
    "warn_incomplete_stub",
    "warn_redundant_casts",
)

CONFIG_OPTIONS: Final[dict[str, MypyOption]] = {
    **{key: MypyOption(BOOL, True) for key in _PER_MODULE_BOOLS},
    **{key: MypyOption(BOOL, False) for key in _GLOBAL_BOOLS},
    "follow_imports": MypyOption(FOLLOW, True),
    "always_true": MypyOption(NAMES, True),
    "always_false": MypyOption(NAMES, True),
    "disable_error_code": MypyOption(CODES, True),
    "enable_error_code": MypyOption(CODES, True),
    "python_version": MypyOption(VERSION, False),
    "platform": MypyOption(PLATFORM, False),
    "untyped_calls_exclude": MypyOption(DOTTED, False),
    "deprecated_calls_exclude": MypyOption(DOTTED, False),
    "enable_incomplete_feature": MypyOption(NAMES, False),
    "mypy_path": MypyOption(PATHS, False),
    "plugins": MypyOption(PLUGINS, False),
    "python_executable": MypyOption(EXECUTABLE, False),
}

_BOOL_FLAGS = (
    "--allow-any-generics",
    "--allow-any-unimported",
    "--allow-empty-bodies",
    "--allow-incomplete-defs",
    "--allow-redefinition",
    "--allow-redefinition-new",
    "--allow-redefinition-old",
    "--allow-subclassing-any",
    "--allow-untyped-calls",
    "--allow-untyped-decorators",
    "--allow-untyped-defs",
    "--allow-untyped-globals",
    "--check-unreachable",
    "--check-untyped-defs",
    "--disable-bytearray-promotion",
    "--disable-memoryview-promotion",
    "--disallow-any-decorated",
    "--disallow-any-explicit",
    "--disallow-any-expr",
    "--disallow-any-generics",
    "--disallow-any-unimported",
    "--disallow-empty-bodies",
    "--disallow-incomplete-defs",
    "--disallow-redefinition",
    "--disallow-redefinition-new",
    "--disallow-redefinition-old",
    "--disallow-subclassing-any",
    "--disallow-untyped-calls",
    "--disallow-untyped-decorators",
    "--disallow-untyped-defs",
    "--disallow-untyped-globals",
    "--extra-checks",
    "--follow-untyped-imports",
    "--ignore-missing-imports",
    "--implicit-optional",
    "--implicit-reexport",
    "--local-partial-types",
    "--no-check-unreachable",
    "--no-check-untyped-defs",
    "--no-extra-checks",
    "--no-implicit-optional",
    "--no-implicit-reexport",
    "--no-local-partial-types",
    "--no-report-deprecated-as-note",
    "--no-silence-site-packages",
    "--no-site-packages",
    "--no-strict-bytes",
    "--no-strict-equality",
    "--no-strict-equality-for-none",
    "--no-strict-optional",
    "--no-warn-incomplete-stub",
    "--no-warn-no-return",
    "--no-warn-redundant-casts",
    "--no-warn-return-any",
    "--no-warn-unreachable",
    "--no-warn-unused-ignores",
    "--report-deprecated-as-note",
    "--strict",
    "--strict-bytes",
    "--strict-concatenate",
    "--strict-equality",
    "--strict-equality-for-none",
    "--strict-optional",
    "--warn-incomplete-stub",
    "--warn-no-return",
    "--warn-redundant-casts",
    "--warn-return-any",
    "--warn-unreachable",
    "--warn-unused-ignores",
)

#: Command-line flags a repository may put in ``flags``, with the kind of
#: their value (``None``: the flag takes none).
FLAGS: Final[dict[str, str | None]] = {
    **dict.fromkeys(_BOOL_FLAGS),
    "--python-version": VERSION,
    "--platform": PLATFORM,
    "--follow-imports": FOLLOW,
    "--always-true": NAMES,
    "--always-false": NAMES,
    "--disable-error-code": CODES,
    "--enable-error-code": CODES,
    "--untyped-calls-exclude": DOTTED,
    "--deprecated-calls-exclude": DOTTED,
    "--enable-incomplete-feature": NAMES,
    # Checked by trust.py: an interpreter only with --allow-local-plugins; a
    # configuration file is read as data, like mypy-config.
    "--python-executable": EXECUTABLE,
    "--config-file": CONFIG,
}

_PATTERNS = {
    VERSION: re.compile(r"\d+\.\d+"),
    PLATFORM: re.compile(r"[A-Za-z0-9_.\-]+"),
    FOLLOW: re.compile(r"normal|silent|skip|error"),
    NAMES: re.compile(r"[A-Za-z_][A-Za-z0-9_]*"),
    CODES: re.compile(r"[a-z][a-z0-9\-]*"),
    DOTTED: re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"),
}


def list_items(value: str) -> list[str]:
    """The items of a comma-separated value, as mypy splits them."""
    return [item.strip() for item in value.split(",") if item.strip()]


def valid_value(kind: str, value: str) -> bool:
    """Whether ``value`` is a plain value of ``kind`` (lists: comma-separated)."""
    pattern = _PATTERNS.get(kind)
    if pattern is None:
        return False
    if kind in (NAMES, CODES, DOTTED):
        items = list_items(value)
        return bool(items) and all(pattern.fullmatch(item) for item in items)
    return pattern.fullmatch(value.strip()) is not None


def config_option(key: str) -> tuple[str, MypyOption] | None:
    """The allow-listed option ``key`` spells, with mypy's inversions; ``None`` if none."""
    if key in CONFIG_OPTIONS:
        return key, CONFIG_OPTIONS[key]
    for prefix, base in (("no_", key[3:]), ("allow_", "dis" + key), ("disallow_", key[3:])):
        option = CONFIG_OPTIONS.get(base)
        if key.startswith(prefix) and option is not None and option.kind == BOOL:
            return base, option
    return None


def flag_for(token: str) -> str | None:
    """The allow-listed flag ``token`` names (``--opt`` or ``--opt=V``), abbreviations included.

    mypy's parser accepts a unique prefix of a long option; one that is a
    unique prefix of an allow-listed flag is read as that flag (and passed on
    spelled in full), anything else is no allow-listed flag.
    """
    name = token.partition("=")[0]
    if name in FLAGS:
        return name
    if not name.startswith("--") or len(name) < 4:
        return None
    matches = [flag for flag in FLAGS if flag.startswith(name)]
    return matches[0] if len(matches) == 1 else None
