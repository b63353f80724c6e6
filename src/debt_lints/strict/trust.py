"""What the repository's configuration may make mypy do: report, nothing else.

mypy runs in-process and, configured to, imports plugins, runs another
interpreter (``--python-executable`` / ``python_executable``), installs
packages (``--install-types``), writes reports and its cache where told, reads
more arguments from ``@file`` and expands ``~`` and ``$VAR`` in paths. The
typing table (``flags``, ``mypy-config``) comes from the checked repository,
which may be a stranger's pull request, so mypy never sees it as written:

* ``flags`` are checked against one allow-list (:mod:`.mypy_options`) and
  passed on spelled in full, each value joined to its flag;
* the repository's mypy configuration is read as data (guarded, size-capped)
  and debt-lints writes the configuration mypy runs on, into a temporary
  directory outside the repository: the allow-listed options only (strictness,
  warnings, error codes, the target Python, per-module relaxations), values
  validated, paths resolved and written absolute. Outputs (reports,
  ``junit_xml``, ``cache_dir``), file lists, ``install_types`` and every
  unknown key are dropped;
* a value with ``@`` in front, ``~`` or ``$`` (but mypy's own
  ``$MYPY_CONFIG_FILE_DIR``, resolved here) is refused, as is a ``mypy_path``
  entry outside the root;
* a plugin must be a module of an installed package (``pydantic.mypy``), and
  no interpreter is named, unless the command line (``--allow-local-plugins``)
  says the user trusts the checkout.

A refusal is a :class:`~debt_lints.config.ConfigError`: one line, exit 2.
"""

from __future__ import annotations

import configparser
import io
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints.config import MAX_CONFIG_SIZE, ConfigError, inside_root, read_guarded
from debt_lints.strict import mypy_options as mo

ALLOW_OPTION = "--allow-local-plugins"
#: The one variable mypy defines for its configuration (the file's directory).
_CONFIG_DIR_VARIABLES = ("${MYPY_CONFIG_FILE_DIR}", "$MYPY_CONFIG_FILE_DIR")
#: A per-module section's module pattern (mypy: dotted names, ``*`` components).
_MODULE_PATTERN = re.compile(r"[A-Za-z0-9_*]+(\.[A-Za-z0-9_*]+)*")


class UntrustedCode(ConfigError):
    """The configuration would make mypy run code from the checked tree."""


@dataclass(frozen=True)
class MypySetup:
    """What mypy is given: allow-listed flags, and the configuration debt-lints wrote."""

    flags: tuple[str, ...] = ()
    #: The repository's mypy configuration it was built from (for messages).
    config_file: Path | None = None
    #: The INI text mypy reads (``None``: no configuration at all, ``--config-file=``).
    config_text: str | None = None


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
    """Where this interpreter's installed packages live (a ``.venv`` may sit in the root).

    The ``site-packages`` directories only: a plugin of the standard library
    (a module with effects on import) is no installed plugin.
    """
    import site
    import sysconfig

    paths = sysconfig.get_paths()
    found = [Path(paths[key]) for key in ("purelib", "platlib") if key in paths]
    found.extend(Path(p) for p in site.getsitepackages())
    found.extend(
        Path(entry)
        for entry in sys.path
        if os.path.basename(entry) in ("site-packages", "dist-packages")
    )
    return found


def _read_sections(path: Path) -> list[tuple[str, dict[str, object]]]:
    """The sections of a mypy configuration as mypy reads them: ``mypy`` and ``mypy-<modules>``.

    Read as data through the guarded reader; ``[[tool.mypy.overrides]]`` becomes
    one ``mypy-<module>`` section per module, as mypy's own parser does.
    """
    try:
        data = read_guarded(path, MAX_CONFIG_SIZE, "the mypy configuration")
    except FileNotFoundError:
        raise ConfigError(f"typing: mypy configuration {path} does not exist") from None
    text = data.decode("utf-8", errors="replace")
    if path.suffix.lower() == ".toml":
        return _toml_sections(path, text)
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        raise ConfigError(f"{path}: invalid mypy configuration: {exc}") from None
    return [
        (name, dict(parser.items(name)))
        for name in parser.sections()
        if name == "mypy" or name.startswith("mypy-")
    ]


def _toml_sections(path: Path, text: str) -> list[tuple[str, dict[str, object]]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        tool = tomllib.loads(text).get("tool", {})
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = tool.get("mypy") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return []
    sections: list[tuple[str, dict[str, object]]] = [
        ("mypy", {k: v for k, v in table.items() if k != "overrides"})
    ]
    overrides = table.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, dict) for o in overrides):
        raise ConfigError(f"{path}: tool.mypy.overrides must be an array of tables")
    for override in overrides:
        modules = override.get("module")
        if isinstance(modules, str):
            modules = [modules]
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            raise ConfigError(
                f"{path}: each [[tool.mypy.overrides]] needs module = a string or an "
                "array of strings"
            )
        values = {k: v for k, v in override.items() if k != "module"}
        sections.extend((f"mypy-{module}", values) for module in modules)
    return sections


def _as_text(value: object, where: str) -> str:
    """A TOML or INI value as the INI text mypy would read (lists comma-joined)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (str, int, float)):
        text = str(value)
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = ",".join(str(v) for v in value)
    else:
        raise ConfigError(f"{where}: expected a string, a boolean or an array of strings")
    # INI values may go on over several lines: mypy splits lists on commas and strips.
    text = " ".join(line.strip() for line in text.splitlines()).strip()
    if not text.isprintable():
        raise ConfigError(f"{where}: {text!r} holds control characters")
    return text


def _sanitize(config_file: Path, root: Path, trees: Sequence[Path], *, allow_local: bool) -> str:
    """The configuration mypy runs on, built from the allow-listed options of ``config_file``."""
    config_dir = Path(os.path.realpath(config_file)).parent
    out: dict[str, dict[str, str]] = {"mypy": {}}
    for read_name, section in _read_sections(config_file):
        per_module = read_name != "mypy"
        name = read_name
        if per_module:
            patterns = [part.strip() for part in read_name[len("mypy-") :].split(",")]
            if not all(_MODULE_PATTERN.fullmatch(p) for p in patterns):
                raise ConfigError(
                    f"{config_file}: [{read_name}]: module patterns are dotted names, "
                    "with '*' components"
                )
            name = "mypy-" + ",".join(patterns)
        kept = out.setdefault(name, {})
        for key, raw in section.items():
            found = mo.config_option(key)
            if found is None or (per_module and not found[1].per_module):
                continue  # not on the allow-list: outputs, file lists, display, unknown
            kind = found[1].kind
            where = f"typing: {config_file.name} [{name}] {key}"
            value = _as_text(raw, where)
            if kind == mo.PATHS:
                value = _mypy_path(value, config_dir, root, where)
            elif kind == mo.PLUGINS:
                value = _plugins(value, config_dir, root, trees, where, allow_local=allow_local)
            else:
                _refuse_expansion(value, where)
                if kind == mo.EXECUTABLE:
                    _check_executable(value, root, trees, allow_local=allow_local)
                    value = _written_path(Path(os.path.abspath(root / value)), where)
                elif kind == mo.BOOL:
                    state = configparser.RawConfigParser.BOOLEAN_STATES.get(value.lower())
                    if state is None:
                        raise ConfigError(f"{where}: {value!r} is not a boolean")
                    value = "True" if state else "False"
                elif not mo.valid_value(kind, value):
                    raise ConfigError(f"{where}: {value!r} is not a valid value")
            kept[key] = value
    writer = configparser.RawConfigParser()
    for name, values in out.items():
        writer.add_section(name)
        for key, value in values.items():
            writer.set(name, key, value)
    buffer = io.StringIO()
    writer.write(buffer)
    return buffer.getvalue()


def _written_path(path: Path, where: str) -> str:
    """An absolute path as it can be written for mypy: nothing it would split or expand."""
    text = str(path)
    if any(c in text for c in ",:$~@") or not text.isprintable():
        raise ConfigError(f"{where}: {text!r} cannot be passed to mypy safely")
    return text


def _mypy_path(value: str, config_dir: Path, root: Path, where: str) -> str:
    """``mypy_path`` entries inside the root, resolved and written absolute."""
    entries = []
    for raw in re.split("[,:]", value):
        entry = raw.strip()
        for variable in _CONFIG_DIR_VARIABLES:
            entry = entry.replace(variable, str(config_dir))
        if not entry:
            continue
        _refuse_expansion(entry, where)
        # Relative entries are relative to the working directory: the root.
        entries.append(_written_path(inside_root(root, entry, where), where))
    return ",".join(entries)


def _plugins(
    value: str,
    config_dir: Path,
    root: Path,
    trees: Sequence[Path],
    where: str,
    *,
    allow_local: bool,
) -> str:
    """Plugins of installed packages, or any with ``--allow-local-plugins`` (written absolute)."""
    # The root first: run as ``python -m debt_lints`` from there, it is on the
    # import path, and a module name that a file of the tree provides is tree code.
    search = [str(root), *(entry for entry in sys.path if entry not in ("", "."))]
    kept = []
    for plugin in mo.list_items(value):
        _refuse_expansion(plugin, where)
        name, colon, entry_point = plugin.rpartition(":") if ":" in plugin else (plugin, "", "")
        if entry_point and not entry_point.isidentifier():
            raise ConfigError(f"{where}: {plugin!r} is not a plugin name")
        if name.endswith(".py"):
            # mypy reads a plugin file relative to its configuration file's directory.
            location: Path | None = config_dir / name
            name = _written_path(Path(os.path.abspath(config_dir / name)), where)
        elif mo.valid_value(mo.DOTTED, name):
            location = _plugin_location(name, config_dir, search)
        else:
            raise ConfigError(f"{where}: {plugin!r} is not a plugin name")
        kept.append(name + colon + entry_point)
        if allow_local:
            continue
        if location is not None and _inside(location, _installed()):
            continue  # installed packages are the user's, not the repository's
        if location is not None and _inside(location, trees):
            raise UntrustedCode(
                f"typing: mypy plugin {plugin!r} is inside the checked tree ({location}); "
                f"debt-lints runs no code of the repository it checks (pass {ALLOW_OPTION} "
                "on the command line if you trust this checkout)"
            )
        raise UntrustedCode(
            f"typing: mypy plugin {plugin!r} is no module of an installed package; "
            f"debt-lints imports no other plugin (pass {ALLOW_OPTION} on the command line "
            "if you trust this checkout)"
        )
    return ",".join(kept)


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
    """What mypy is given for ``flags`` and ``config_file`` (module doc); refusals raise.

    ``root`` is the project root (mypy runs from there); ``checked`` are the
    paths being type-checked: a plugin or interpreter inside any of them is
    code of the checked tree.
    """
    trees = [root, *(Path(p) for p in checked)]
    setup = check_flags(flags, root, trees, allow_local=allow_local)
    if setup.config_file is not None:
        config_file = setup.config_file
    if config_file is None:
        return setup
    text = _sanitize(config_file, root, trees, allow_local=allow_local)
    return MypySetup(setup.flags, config_file, text)
