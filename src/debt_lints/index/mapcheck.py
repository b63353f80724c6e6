"""The migration map checked against the repository (DL003).

A ``deprecated-imports`` entry whose replacement exists neither in the
project (the index, through the import roots) nor in the environment
(:mod:`debt_lints.index.environment`, found on disk, never imported), and
that no distribution the project declares provides (its packaging metadata
and requirement files: the module resolves in the project's own
environment), is reported once, on the configuration file, at the entry's
line.
"""

from __future__ import annotations

import re
from pathlib import Path

from debt_lints.config import Config, display_path
from debt_lints.core.model import Finding, Severity
from debt_lints.index.environment import installed
from debt_lints.index.project import Project

#: The code and name of the rule (``checkers/general/missing_replacement.py``).
CODE, NAME = "DL003", "missing-replacement"
OPTION = "deprecated-imports"


def missing_replacements(config: Config, project: Project) -> list[tuple[str, str]]:
    """``(deprecated, replacement)`` of every entry whose replacement exists nowhere."""
    table = config.settings.str_map(OPTION)
    out = []
    for raw_old, raw_new in table.items():
        old, new = raw_old.strip(), raw_new.strip()
        if not new or old == new:
            continue  # no replacement: nothing to find
        if project.find_module(new) is None and not installed(new) and not project.declares(new):
            out.append((old, new))
    return out


def map_findings(config: Config, project: Project) -> list[Finding]:
    """The DL003 findings of ``config``: on its file, one per entry that points nowhere."""
    if config.source is None:
        return []
    missing = missing_replacements(config, project)
    if not missing:
        return []
    text = _text(config.source)
    path = display_path(config.source)
    out = []
    for old, new in missing:
        line = _line_of(text, old)
        out.append(
            Finding(
                path=path,
                line=line,
                column=1,
                code=CODE,
                name=NAME,
                message=f'{OPTION}: "{old}" = "{new}": {new} does not exist in the project'
                " or the environment; fix the entry, or write the module first",
                severity=Severity.WARNING,
                snippet=f"{OPTION} {old} = {new}",
            )
        )
    return out


def _text(path: Path) -> str:
    from debt_lints.config import ConfigError, read_guarded

    try:
        return read_guarded(path, 1 << 20, "the configuration").decode("utf-8", "replace")
    except (OSError, ConfigError):
        return ""


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is written as a TOML key (quoted or bare), else 1."""
    pattern = re.compile(r'(?m)^[ \t{,]*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*=")
    inline = re.compile(r'["\']' + re.escape(key) + r'["\']\s*=')
    found = pattern.search(text) or inline.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1
