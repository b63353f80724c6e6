"""What the host adapters share: configuration per file, rule sets, one call into the engine.

flake8, pylint, bandit and the language server hand debt-lints one file at a
time, as text they have already read (from disk, from standard input or from an
editor's buffer). :class:`HostSession` turns such a file into findings exactly
as ``debt-lints check`` would: the nearest ``[tool.debt-lints]`` above the
file (or an explicit configuration file), its ``select``/``ignore``,
``exclude`` and ``per-file-ignores``, and the engine's ``# noqa`` handling.
Nothing here imports a host; each adapter stays a few lines of translation.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from debt_lints.config import Config, ConfigError, load_config, relpath_posix
from debt_lints.engine import FileResult, InternalError, RuleSet, check_python_tree, check_source
from debt_lints.index import Project, facts_from_summary, project_for
from debt_lints.model import Finding
from debt_lints.registry import matches
from debt_lints.runner import enabled_rules


@dataclass
class HostResult:
    """What checking one file inside a host produced."""

    findings: list[Finding] = field(default_factory=list)
    #: Rules that raised on this file (bugs in debt-lints, never the user's).
    internal_errors: list[InternalError] = field(default_factory=list)
    #: Why the configuration for this file could not be used, if it could not.
    config_error: str | None = None

    def problems(self) -> list[str]:
        """One line per reason this file was not (completely) checked."""
        out = [f"configuration error: {self.config_error}"] if self.config_error else []
        out.extend(f"internal error in {e.rule}: {e.detail}" for e in self.internal_errors)
        return out


class HostSession:
    """The state of one host run: configurations found and rule sets built, cached.

    ``config_file`` is an explicit configuration (a TOML file with a
    ``[tool.debt-lints]`` table, or with its keys at top level), as
    ``debt-lints check --config``; without it each file uses the nearest
    ``pyproject.toml`` with ``[tool.debt-lints]`` above it. ``skip`` lists
    codes this host never reports (flake8 reports syntax errors itself).
    """

    def __init__(
        self,
        config_file: str | None = None,
        skip: Iterable[str] = (),
        cwd: Path | None = None,
    ) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        self.skip = frozenset(skip)
        self._explicit: Config | ConfigError | None = None
        if config_file:
            try:
                self._explicit = load_config(explicit=Path(config_file), cwd=self.cwd)
            except ConfigError as exc:
                self._explicit = exc
        self._by_dir: dict[str, Config | ConfigError] = {}
        self._by_source: dict[str, Config] = {}
        self._rulesets: dict[tuple[int, frozenset[str] | None], RuleSet] = {}
        self._projects: dict[int, Project] = {}

    @property
    def explicit_error(self) -> str | None:
        """The error of an unusable explicit configuration file, if any."""
        return str(self._explicit) if isinstance(self._explicit, ConfigError) else None

    def absolute(self, filename: str) -> Path:
        """Where ``filename`` (as the host names it) is, relative paths from ``cwd``."""
        return self.cwd / filename

    def config_for(self, filename: str) -> Config:
        """The configuration that applies to ``filename``; raises :class:`ConfigError`."""
        found = self._explicit if self._explicit is not None else self._discover(filename)
        if isinstance(found, ConfigError):
            raise found
        return found

    def _discover(self, filename: str) -> Config | ConfigError:
        # A file given on standard input may be named "stdin", "-" or a path
        # that does not exist yet (an unsaved buffer): start from the nearest
        # existing directory, which is the current one at worst.
        directory = self.absolute(filename).parent
        while not directory.is_dir() and directory != directory.parent:
            directory = directory.parent
        key = str(directory)
        cached = self._by_dir.get(key)
        if cached is None:
            try:
                config = load_config(start=directory, cwd=self.cwd)
            except ConfigError as exc:
                cached = exc
            else:
                # Directories sharing one pyproject.toml share one Config (and rule set).
                source = str(config.source) if config.source else f"defaults:{config.root}"
                cached = self._by_source.setdefault(source, config)
            self._by_dir[key] = cached
        return cached

    def ruleset(self, config: Config, only: frozenset[str] | None = None) -> RuleSet:
        """The rules the configuration enables, minus ``skip``, within ``only`` if given."""
        key = (id(config), only)
        ruleset = self._rulesets.get(key)
        if ruleset is None:
            rules = [
                r
                for r in enabled_rules(config)
                if r.code not in self.skip and (only is None or r.code in only)
            ]
            from debt_lints.index import FactsCollector

            ruleset = self._rulesets[key] = RuleSet(
                rules, config.settings, collectors=[FactsCollector()]
            )
        return ruleset

    def project(self, config: Config) -> Project:
        """The project index of a configuration, kept for the session.

        The host hands over one file at a time: the facts of the other files
        are read from disk when a question needs them (parsed, never
        imported), and read again when they change.
        """
        project = self._projects.get(id(config))
        if project is None:
            project = self._projects[id(config)] = project_for(config)
        else:
            project.refresh()
        return project

    def check(
        self,
        source: str | bytes,
        filename: str,
        *,
        tree: ast.AST | None = None,
        only: frozenset[str] | None = None,
        noqa: bool = True,
    ) -> HostResult:
        """Check one file's content as ``debt-lints check`` would.

        ``source`` is what the host read (bytes are decoded as CPython does).
        ``tree``, when given, must be ``ast.parse(source)``: the host's own
        parse is reused. ``only`` narrows the rules to the codes the host
        will show. Never raises for anything the file or its configuration
        contains.
        """
        result = HostResult()
        try:
            config = self.config_for(filename)
        except ConfigError as exc:
            result.config_error = str(exc)
            return result
        relpath = relpath_posix(self.absolute(filename), config.root)
        if _excluded(relpath, config):
            return result
        ruleset = self.ruleset(config, only)
        if not ruleset.rule_types:
            return result
        if tree is not None and isinstance(source, str):
            text = source[1:] if source.startswith("\ufeff") else source
            checked = check_python_tree(tree, text, filename, relpath, ruleset, noqa=noqa)
        else:
            checked = check_source(source, filename, relpath, ruleset)
        if checked.deferred:
            self._settle(checked, relpath, config, ruleset)
        ignored = config.ignored_codes_for(relpath)
        result.findings = [
            f
            for f in checked.findings
            if f.code not in self.skip and not (ignored and matches(f.code, ignored))
        ]
        result.internal_errors = checked.internal_errors
        return result

    def _settle(self, checked: FileResult, relpath: str, config: Config, rules: RuleSet) -> None:
        """Decide the findings that depend on other files, as ``debt-lints check`` does."""
        from debt_lints.index.settle import rules_by_code, settle

        project = self.project(config)
        facts = facts_from_summary(checked.summary)
        if facts is not None:
            project.add(relpath, facts)  # the host's text, which may differ from the disk
        findings, errors = settle(checked.deferred, rules_by_code(rules.instances), project)
        checked.findings.extend(findings)
        checked.findings.sort(key=Finding.sort_key)
        checked.internal_errors.extend(errors)


def _excluded(relpath: str, config: Config) -> bool:
    """Whether ``debt-lints check`` would skip this file, even when named explicitly."""
    parts = relpath.split("/")
    return any(config.is_excluded("/".join(parts[: i + 1])) for i in range(len(parts)))


def doc_url(code: str) -> str | None:
    """A link to a rule's documentation page, when the docs are next to the package.

    An editable install (the README's set-up) has ``docs/rules/`` in the
    checkout; a wheel does not, and then there is no page to link.
    """
    page = Path(__file__).resolve().parents[2] / "docs" / "rules" / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def internal_error_text(exc: BaseException) -> str:
    """One line describing an exception raised by an adapter's own code."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"
