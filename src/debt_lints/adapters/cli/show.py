"""``check --show-settings`` and ``check --show-files``: what a run would use, without running it.

As ruff's options of the same names: which configuration file (and the files
it extends), which project root (and why), which baseline and cache, and the
resolved settings apply to a file; and which files a run would check, each
with its configuration. Nothing is checked and nothing is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.config import Config
    from debt_lints.discovery import Project


def show_settings(project: Project, paths: Sequence[str], output_format: str) -> str:
    """The settings of each of ``paths`` (a file, or a folder: its files), as text or JSON."""
    reports = [_settings_of(project, path) for path in paths]
    if output_format == "json":
        return json.dumps(reports if len(reports) > 1 else reports[0], indent=2) + "\n"
    return "\n".join(_settings_text(report) for report in reports)


def show_files(project: Project, paths: Sequence[str], output_format: str) -> str:
    """The files a run over ``paths`` would check, each with its configuration."""
    from debt_lints.config import display_path
    from debt_lints.running.files import iter_files

    rows = [
        (display_path(source.path), _config_name(source.config or project.config, project))
        for source in iter_files(paths, project)
    ]
    if output_format == "json":
        listed = [{"path": path, "configuration": config} for path, config in rows]
        return json.dumps(listed, indent=2) + "\n"
    width = max((len(path) for path, _ in rows), default=0)
    lines = [f"{path:<{width}}  {config}" for path, config in rows]
    counts: dict[str, int] = {}
    for _, config in rows:
        counts[config] = counts.get(config, 0) + 1
    by_config = ", ".join(f"{config}: {n}" for config, n in counts.items())
    files = "file" if len(rows) == 1 else "files"
    lines.append(f"{len(rows)} {files} would be checked" + (f" ({by_config})" if rows else ""))
    return "\n".join(lines) + "\n"


def _config_name(config: Config, project: Project) -> str:
    """How a configuration is named: its file (from the current directory), or why none."""
    from debt_lints.config import display_path

    if project.resolver.explicit is not None:
        source = project.resolver.explicit.source
        return f"--config {display_path(source)}" if source is not None else "--config"
    if config.source is None:
        return "defaults (no [tool.debt-lints] table)"
    return display_path(config.source)


def _settings_of(project: Project, path: str) -> dict[str, object]:
    from debt_lints.adapters.cli import UsageError
    from debt_lints.baseline.gate import baseline_file
    from debt_lints.baseline.store import BaselineError
    from debt_lints.config import display_path, extend_chain, relpath_posix
    from debt_lints.engine.registry import matches
    from debt_lints.running.cache import CACHE_DIR
    from debt_lints.running.files import skip_reason

    absolute = Path(os.path.abspath(path))
    if not os.path.lexists(absolute):
        raise UsageError(f"{path}: no such file or directory")
    is_dir = absolute.is_dir()
    config = project.config_for(absolute)
    local = relpath_posix(absolute, config.root)
    chain = () if config.source is None else extend_chain(config.source, explicit=True)
    root_config = project.config
    baseline_path: Path | None = None
    try:
        baseline_path = baseline_file(root_config)
        baseline_note = "exists" if baseline_path.is_file() else "not created yet"
    except BaselineError as exc:
        baseline_note = str(exc)
    rules = project.rules_for(config)
    ignored = () if is_dir else config.ignored_codes_for(local)
    report: dict[str, object] = {
        "path": display_path(absolute),
        "kind": "folder" if is_dir else "file",
        "configuration": _config_name(config, project),
        "extends": [display_path(p) for p in chain],
        "project_root": display_path(project.root),
        "project_root_reason": project.root_reason or "given",
        "baseline": display_path(baseline_path) if baseline_path is not None else None,
        "baseline_state": baseline_note,
        "cache": display_path(project.root / CACHE_DIR),
    }
    if not is_dir:
        report["checked_when_named"] = skip_reason(path, project, named=True) or "yes"
        report["checked_in_a_walk"] = skip_reason(path, project, named=False) or "yes"
    report["rules"] = [r.code for r in rules if not matches(r.code, ignored)]
    report["per_file_ignores"] = list(ignored)
    report["settings"] = _resolved(config, project)
    return report


def _resolved(config: Config, project: Project) -> dict[str, object]:
    """Every key of ``[tool.debt-lints]`` with the value in effect (defaults included)."""
    from debt_lints.config import KEYS

    out: dict[str, object] = {}
    for key in KEYS:
        if not key.attr or key.attr == "extends":
            continue
        value = getattr(config, key.attr)
        if key.attr == "import_roots":
            value = config.resolved_import_roots()
        elif key.attr == "per_file_ignores":
            value = {pattern: list(codes) for pattern, codes in value}
        elif key.attr == "unsafe_fixes" and value is None:
            value = False
        elif key.attr in ("select", "fixable") and value is None:
            value = ["DL"]  # the default: every rule
        elif key.attr == "respect_gitignore":
            value = project.respect_gitignore
        out[key.name] = _plain(value)
    if project.select is not None:
        out["select"] = list(project.select)  # --select replaces the configured one
    if project.ignore:
        out["ignore"] = [*_as_list(out.get("ignore")), *project.ignore]
    if project.extend_select:
        base = out.get("select")
        out["select"] = [*(_as_list(base) if base is not None else ["DL"]), *project.extend_select]
    out.update(config.settings.as_dict())
    for name, table in config.extra_tables:
        out[name] = _plain(table)
    return out


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    return value


def _settings_text(report: Mapping[str, object]) -> str:
    from debt_lints.analysis.context import terminal_safe

    extends = report["extends"]
    assert isinstance(extends, list)
    rules = report["rules"]
    assert isinstance(rules, list)
    lines = [
        f"Settings for {report['path']}" + (" (its files)" if report["kind"] == "folder" else ""),
        f"  configuration:   {report['configuration']}",
        f"  extends:         {' -> '.join(extends) if extends else '(nothing)'}",
        f"  project root:    {report['project_root']} ({report['project_root_reason']})",
        f"  baseline:        {report['baseline']} ({report['baseline_state']})",
        f"  cache:           {report['cache']}",
    ]
    if report["kind"] == "file":
        lines += [
            f"  checked when named on the command line: {report['checked_when_named']}",
            f"  checked when its folder is walked:     {report['checked_in_a_walk']}",
        ]
    ignored = report["per_file_ignores"]
    assert isinstance(ignored, list)
    lines.append(f"  rules:           {' '.join(map(str, rules)) or '(none)'}")
    if ignored:
        lines.append(f"  per-file-ignores: {', '.join(map(str, ignored))}")
    lines += ["", "# the settings in effect, defaults included", "[tool.debt-lints]"]
    settings = report["settings"]
    assert isinstance(settings, dict)
    tables = {k: v for k, v in settings.items() if isinstance(v, dict) and _is_table(k)}
    for key, value in settings.items():
        if key not in tables:
            lines.append(f"{key} = {_toml(value)}")
    for name, table in tables.items():
        lines += ["", f"[tool.debt-lints.{name}]"]
        lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    return "".join(terminal_safe(line) + "\n" for line in lines)


def _is_table(key: str) -> bool:
    from debt_lints.config import FEATURE_TABLES

    return key in FEATURE_TABLES


def _toml(value: object) -> str:
    """A value as TOML writes it (the settings are strings, numbers, booleans, lists, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    return json.dumps(str(value))
