"""What the repository's configuration may make mypy run: nothing of its own.

mypy runs in-process and, configured to, imports plugins (``plugins =
evil_plugin.py`` or a module name), runs another interpreter
(``--python-executable`` / ``python_executable``), installs packages
(``--install-types``) and writes reports and its cache where told. The typing
table (``flags``, ``mypy-config``) comes from the checked repository, which may
be a stranger's pull request, so before mypy starts every such setting is
checked:

* a plugin or an executable that resolves inside the project root is refused,
  unless the command line (``--allow-local-plugins``) says the user trusts the
  checkout; plugins of installed packages (``pydantic.mypy``) keep working;
* ``--install-types`` is refused (it runs pip);
* a report, cache or other output mypy would write outside the root is refused.

A refusal is a :class:`~debt_lints.config.ConfigError`: one line, exit 2.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints.config import MAX_CONFIG_SIZE, ConfigError, inside_root, read_guarded

ALLOW_OPTION = "--allow-local-plugins"

#: mypy configuration keys naming a file mypy writes: they must stay inside the project root.
_OUTPUT_KEYS = (
    "cache_dir",
    "junit_xml",
    "any_exprs_report",
    "cobertura_xml_report",
    "html_report",
    "linecount_report",
    "linecoverage_report",
    "lineprecision_report",
    "memory_xml_report",
    "txt_report",
    "xml_report",
    "xslt_html_report",
    "xslt_txt_report",
)


class UntrustedCode(ConfigError):
    """The configuration would make mypy run code from the checked tree."""


@dataclass(frozen=True)
class MypySetup:
    """What mypy is given: the flags checked against the allow-list, and the configuration."""

    flags: tuple[str, ...] = ()
    config_file: Path | None = None


def _refuse_expansion(value: str, where: str) -> None:
    """mypy expands ``@file`` arguments, ``~`` and ``$VAR``: a checked value holds none of them."""
    if value.startswith("@"):
        raise UntrustedCode(
            f"{where}: {value!r} is an argument file; mypy would read more flags from it, "
            "so debt-lints refuses it (list the flags themselves)"
        )
    if "~" in value or "$" in value:
        raise UntrustedCode(
            f"{where}: {value!r} holds '~' or '$', which mypy would expand to a place "
            "outside what debt-lints checked; spell the path inside the project"
        )


def check_flags(
    flags: Sequence[str], root: Path, trees: Sequence[Path], *, allow_local: bool
) -> MypySetup:
    """``[tool.debt-lints.typing] flags`` checked against the allow-list (``mypy_options``).

    Every flag is passed on spelled in full, a value joined to its flag with
    ``=``, so no token mypy sees can be read as an argument file. A
    ``--config-file`` is not passed on: it names the configuration to read,
    like ``mypy-config``.
    """
    from debt_lints.strict import mypy_options as mo

    out: list[str] = []
    config_file: Path | None = None
    where = "typing.flags"
    index = 0
    while index < len(flags):
        token = flags[index]
        index += 1
        if token.startswith("@"):
            _refuse_expansion(token, where)
        flag = mo.flag_for(token)
        if flag is None:
            raise UntrustedCode(
                f"{where}: {token!r} is not a mypy flag a repository may set; allowed are "
                "strictness, warning and error-code flags, --python-version, --platform, "
                "--always-true/--always-false and --follow-imports (docs/typing.md)"
            )
        kind = mo.FLAGS[flag]
        if kind is None:
            if "=" in token:
                raise UntrustedCode(f"{where}: {flag} takes no value ({token!r})")
            out.append(flag)
            continue
        if "=" in token:
            value = token.partition("=")[2]
        elif index < len(flags):
            value = flags[index]
            index += 1
        else:
            raise UntrustedCode(f"{where}: {flag} needs a value")
        _refuse_expansion(value, f"{where}: {flag}")
        if kind == mo.CONFIG:
            config_file = inside_root(root, value, f"{where}: {flag}")
            continue
        if kind == mo.EXECUTABLE:
            _check_executable(value, root, trees, allow_local=allow_local)
        elif not mo.valid_value(kind, value):
            raise UntrustedCode(f"{where}: {flag} {value!r} is not a valid value")
        out.append(f"{flag}={value}")
    return MypySetup(tuple(out), config_file)


def _check_executable(value: str, root: Path, trees: Sequence[Path], *, allow_local: bool) -> None:
    """An interpreter for mypy to run: only when the command line allows it."""
    if allow_local:
        return
    inside = (os.sep in value or "/" in value) and _inside(root / value, trees)
    if inside:
        raise UntrustedCode(
            f"typing: python-executable {value!r} is inside the checked tree; "
            f"debt-lints runs no code of the repository it checks (pass {ALLOW_OPTION} "
            "on the command line if you trust this checkout)"
        )
    raise UntrustedCode(
        f"typing: python-executable {value!r} names a program for mypy to run, which a "
        f"repository's configuration cannot choose (pass {ALLOW_OPTION} on the command "
        "line if you trust this checkout)"
    )


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    real = Path(os.path.realpath(path))
    for root in roots:
        top = Path(os.path.realpath(root))
        if real == top or top in real.parents:
            return True
    return False


def _installed() -> list[Path]:
    """Where this interpreter's installed packages live (a ``.venv`` may sit in the root)."""
    import sysconfig

    paths = sysconfig.get_paths()
    return [Path(paths[key]) for key in ("purelib", "platlib", "stdlib") if key in paths]


def _config_values(path: Path) -> Mapping[str, object]:
    """The global ``[mypy]`` settings of a mypy configuration file (INI or TOML)."""
    data = read_guarded(path, MAX_CONFIG_SIZE, "the mypy configuration").decode(
        "utf-8", errors="replace"
    )
    if path.suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            tool = tomllib.loads(data).get("tool", {})
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        table = tool.get("mypy", {}) if isinstance(tool, dict) else {}
        return table if isinstance(table, dict) else {}
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(data, source=str(path))
    except configparser.Error as exc:
        raise ConfigError(f"{path}: invalid mypy configuration: {exc}") from None
    section = "mypy" if parser.has_section("mypy") else None
    return dict(parser.items(section)) if section else {}


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return []


def _plugin_location(plugin: str, config_dir: Path, search: Sequence[str]) -> Path | None:
    """Where mypy would import ``plugin`` from, found without importing anything."""
    from importlib.machinery import PathFinder

    name = plugin
    if ":" in os.path.basename(name):
        name = name.rsplit(":", 1)[0]
    if name.endswith(".py"):
        # As mypy: a file path, relative to the configuration file's directory.
        return config_dir / name
    top = name.split(".", 1)[0]
    if not top.isidentifier():
        return None
    spec = PathFinder.find_spec(top, list(search))
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("built-in", "frozen", "namespace"):
        return Path(spec.origin)
    locations = list(spec.submodule_search_locations or [])
    return Path(locations[0]) if locations else None


def check_mypy_trust(
    flags: Sequence[str],
    config_file: Path | None,
    root: Path,
    checked: Sequence[str],
    *,
    allow_local: bool,
) -> MypySetup:
    """Refuse what ``flags`` and ``config_file`` would make mypy run or write (module doc).

    ``root`` is the project root (mypy runs from there); ``checked`` are the
    paths being type-checked: a plugin or interpreter inside any of them is
    code of the checked tree. Returns what mypy is to be given.
    """
    trees = [root, *(Path(p) for p in checked)]
    setup = check_flags(flags, root, trees, allow_local=allow_local)
    if setup.config_file is not None:
        config_file = setup.config_file
    settings: dict[str, object] = {}
    if config_file is not None and config_file.is_file():
        settings.update(_config_values(config_file))
    if str(settings.get("install_types", "")).strip().lower() in ("true", "1", "yes", "on"):
        raise UntrustedCode(
            "typing: --install-types runs pip from the repository's configuration; "
            "install the stubs yourself"
        )
    for key in _OUTPUT_KEYS:
        value = str(settings.get(key, ""))
        if value and not _inside(root / value, [root]):
            raise UntrustedCode(
                f"typing: mypy's {key} {value!r} is outside the project root; "
                "nothing is written there"
            )
    result = MypySetup(setup.flags, config_file)
    if allow_local:
        return result
    if "python_executable" in settings:
        _check_executable(str(settings["python_executable"]), root, trees, allow_local=False)
    config_dir = config_file.parent if config_file is not None else root
    # The root first: run as ``python -m debt_lints`` from there, it is on the
    # import path, and a module name that a file of the tree provides is tree code.
    search = [str(root), *(entry for entry in sys.path if entry not in ("", "."))]
    for plugin in _as_list(settings.get("plugins")):
        location = _plugin_location(plugin, config_dir, search)
        if location is None or _inside(location, _installed()):
            continue  # mypy reports what it cannot import; installed packages are trusted
        if _inside(location, trees):
            raise UntrustedCode(
                f"typing: mypy plugin {plugin!r} is inside the checked tree ({location}); "
                f"debt-lints runs no code of the repository it checks (pass {ALLOW_OPTION} "
                "on the command line if you trust this checkout)"
            )
    return result
