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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from debt_lints.config import MAX_CONFIG_SIZE, ConfigError, read_guarded

ALLOW_OPTION = "--allow-local-plugins"

#: mypy options (command line) and keys (configuration file) naming a file
#: mypy writes: they must stay inside the project root.
_OUTPUT_OPTIONS = (
    "--cache-dir",
    "--junit-xml",
    "--any-exprs-report",
    "--cobertura-xml-report",
    "--html-report",
    "--linecount-report",
    "--linecoverage-report",
    "--lineprecision-report",
    "--memory-xml-report",
    "--txt-report",
    "--xml-report",
    "--xslt-html-report",
    "--xslt-txt-report",
)
_OUTPUT_KEYS = tuple(option[2:].replace("-", "_") for option in _OUTPUT_OPTIONS)


class UntrustedCode(ConfigError):
    """The configuration would make mypy run code from the checked tree."""


def _long_option(token: str, option: str) -> str | None:
    """The value of ``option`` if ``token`` spells it (argparse accepts unique prefixes)."""
    name, _, value = token.partition("=")
    if len(name) >= 6 and option.startswith(name):
        return value if "=" in token else ""
    return None


def _flag_values(flags: Sequence[str], option: str) -> Iterator[str]:
    """Every value given to ``option`` in ``flags`` (``--opt V`` or ``--opt=V``)."""
    for index, token in enumerate(flags):
        value = _long_option(token, option)
        if value is None:
            continue
        if "=" in token:
            yield value
        elif index + 1 < len(flags):
            yield flags[index + 1]
        else:
            yield ""


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
) -> None:
    """Refuse what ``flags`` and ``config_file`` would make mypy run or write (module doc).

    ``root`` is the project root (mypy runs from there); ``checked`` are the
    paths being type-checked: a plugin or interpreter inside any of them is
    code of the checked tree.
    """
    trees = [root, *(Path(p) for p in checked)]
    files = [config_file] if config_file is not None else []
    for value in _flag_values(flags, "--config-file"):
        if value:
            files = [root / value]
    settings: dict[str, object] = {}
    for path in files:
        if not _inside(path, [root]):
            raise UntrustedCode(f"typing.flags: --config-file {path} is outside the project root")
        if path.is_file():
            settings.update(_config_values(path))
    if any(_long_option(token, "--install-types") is not None for token in flags) or str(
        settings.get("install_types", "")
    ).strip().lower() in ("true", "1", "yes", "on"):
        raise UntrustedCode(
            "typing: --install-types runs pip from the repository's configuration; "
            "install the stubs yourself"
        )
    for option, key in zip(_OUTPUT_OPTIONS, _OUTPUT_KEYS, strict=True):
        values = [*_flag_values(flags, option)]
        if key in settings:
            values.append(str(settings[key]))
        for value in values:
            if value and not _inside(root / value, [root]):
                raise UntrustedCode(
                    f"typing: mypy's {option} {value!r} is outside the project root; "
                    "nothing is written there"
                )
    if allow_local:
        return
    executables = [*_flag_values(flags, "--python-executable")]
    if "python_executable" in settings:
        executables.append(str(settings["python_executable"]))
    for value in executables:
        # A bare name is looked up on PATH, like a shell command; a path is the tree's.
        if value and (os.sep in value or "/" in value) and _inside(root / value, trees):
            raise UntrustedCode(
                f"typing: python-executable {value!r} is inside the checked tree; "
                f"debt-lints runs no code of the repository it checks (pass {ALLOW_OPTION} "
                "on the command line if you trust this checkout)"
            )
    config_dir = files[-1].parent if files else root
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
