"""The folders a program asks the platform for its own data: appdirs and platformdirs.

``user_data_dir("app")`` is ``~/.local/share/app`` on Linux,
``~/Library/Application Support/app`` on macOS and ``%LocalAppData%\\app`` on
Windows; ``site_data_dir`` the system-wide equivalent. The program fills such a
folder at run time (downloads, caches, the plugins a user installs); it never
holds a checkout of the program's own code. The semantic model reads a path
built on one as coming from :data:`~debt_lints.analysis.semantic.FROM_DATA_DIR`.
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FileContext

_LIBRARIES = ("appdirs", "platformdirs")
#: The kinds of folder both libraries give, as functions and as attributes of their
#: ``AppDirs``/``PlatformDirs`` objects (``*_path``: platformdirs' ``Path`` spellings).
_KINDS = ("data", "config", "cache", "state", "log", "runtime")
_FOLDERS = frozenset(
    f"{scope}_{kind}_{form}"
    for scope in ("user", "site")
    for kind in _KINDS
    for form in ("dir", "path")
)
_FUNCTIONS = frozenset(f"{library}.{name}" for library in _LIBRARIES for name in _FOLDERS)
_CLASSES = frozenset(
    f"{library}.{name}" for library in _LIBRARIES for name in ("AppDirs", "PlatformDirs")
)


def is_data_dir_call(call: ast.Call, ctx: FileContext) -> bool:
    """``user_data_dir("app")``, ``platformdirs.site_config_path(...)`` ..."""
    return ctx.resolve(call.func) in _FUNCTIONS


def data_dir_attribute(node: ast.Attribute) -> bool:
    """``dirs.user_data_dir``: an attribute named like a folder of ``AppDirs`` (the
    caller checks what ``dirs`` is with :func:`is_dirs_object`)."""
    return node.attr in _FOLDERS


def is_dirs_object(call: ast.Call, ctx: FileContext) -> bool:
    """``PlatformDirs("app", "team")``, ``appdirs.AppDirs("app")``."""
    return ctx.resolve(call.func) in _CLASSES
