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
import functools
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debt_lints import discovery, package_root
from debt_lints.config import Config, ConfigError, load_file, relpath_posix
from debt_lints.core.model import Finding
from debt_lints.discovery import ConfigResolver, project_root
from debt_lints.discovery import Project as DiscoveredProject
from debt_lints.engine.registry import matches
from debt_lints.engine.walk import (
    FileResult,
    InternalError,
    RuleSet,
    check_python_tree,
    check_source,
)
from debt_lints.index import Project, facts_from_summary, project_for
from debt_lints.running.runner import explain_syntax_errors

LOG = logging.getLogger(__name__)


@dataclass
class HostResult:
    """What checking one file inside a host produced."""

    findings: list[Finding] = field(default_factory=list)
    #: Rules that raised on this file (bugs in debt-lints, never the user's).
    internal_errors: list[InternalError] = field(default_factory=list)
    #: Findings the project's baseline records (with ``use_baseline``): not reported.
    known: list[Finding] = field(default_factory=list)
    #: Why the configuration for this file could not be used, if it could not.
    config_error: str | None = None
    #: With ``settle=False``: the findings the project phase would decide, undecided.
    deferred: list[Finding] = field(default_factory=list)

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
    ``pyproject.toml`` with ``[tool.debt-lints]`` above it, through the same
    :class:`~debt_lints.discovery.ConfigResolver` as ``debt-lints check``.
    ``skip`` lists codes this host never reports (flake8 reports syntax
    errors itself). With ``use_baseline``, findings the project's baseline
    records are not reported (as ``debt-lints check`` does); they are in
    :attr:`HostResult.known`.
    """

    def __init__(
        self,
        config_file: str | None = None,
        skip: Iterable[str] = (),
        cwd: Path | None = None,
        *,
        use_baseline: bool = False,
    ) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        self.skip = frozenset(skip)
        self.config_file = Path(config_file) if config_file else None
        self._explicit_error: ConfigError | None = None
        if self.config_file is not None:
            try:
                load_file(self.cwd / self.config_file, root=self.cwd, explicit=True)
            except ConfigError as exc:
                self._explicit_error = exc
        self.baseline: BaselineFilter | None = BaselineFilter() if use_baseline else None
        self._roots: dict[str, Path] = {}
        self._resolvers: dict[Path, ConfigResolver | ConfigError] = {}
        self._rulesets: dict[tuple[int, frozenset[str] | None, bool], RuleSet] = {}
        self._projects: dict[int, Project] = {}

    @property
    def explicit_error(self) -> str | None:
        """The error of an unusable explicit configuration file, if any."""
        return str(self._explicit_error) if self._explicit_error is not None else None

    def absolute(self, filename: str) -> Path:
        """Where ``filename`` (as the host names it) is, relative paths from ``cwd``."""
        return self.cwd / filename

    def project_root(self, filename: str) -> Path:
        """The project root of ``filename``, as ``debt-lints check`` finds it."""
        directory = self.absolute(filename).parent
        key = str(directory)
        root = self._roots.get(key)
        if root is None:
            root = self._roots[key] = project_root([str(directory)], self.cwd)
        return root

    def _resolver(self, root: Path) -> ConfigResolver:
        found = self._resolvers.get(root)
        if found is None:
            try:
                explicit = self.cwd / self.config_file if self.config_file else None
                found = ConfigResolver(root, explicit)
            except ConfigError as exc:
                found = exc
            self._resolvers[root] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def config_for(self, filename: str) -> Config:
        """The configuration that applies to ``filename``; raises :class:`ConfigError`."""
        if self._explicit_error is not None:
            raise self._explicit_error
        return self._resolver(self.project_root(filename)).for_path(self.absolute(filename))

    def project_config(self, filename: str) -> Config:
        """The configuration of ``filename``'s project (its baseline file)."""
        return self.discovery_project(filename).config

    def discovery_project(self, filename: str) -> DiscoveredProject:
        """``filename``'s project, as ``debt-lints check`` finds it; raises :class:`ConfigError`."""
        root = self.project_root(filename)
        return DiscoveredProject(root, self._resolver(root))

    def ruleset(
        self, config: Config, only: frozenset[str] | None = None, *, collect: bool = True
    ) -> RuleSet:
        """The rules the configuration enables, minus ``skip``, within ``only`` if given.

        ``collect``: the walk also extracts the file's facts for the project index.
        """
        key = (id(config), only, collect)
        ruleset = self._rulesets.get(key)
        if ruleset is None:
            rules = [
                r
                for r in discovery.enabled_rules(config)
                if r.code not in self.skip and (only is None or r.code in only)
            ]
            from debt_lints.index import FactsCollector

            ruleset = self._rulesets[key] = RuleSet(
                rules,
                config.settings,
                collectors=[FactsCollector()] if collect else [],
                root=config.root,
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
        settle: bool = True,
    ) -> HostResult:
        """Check one file's content as ``debt-lints check`` would.

        ``source`` is what the host read (bytes are decoded as CPython does).
        ``tree``, when given, must be ``ast.parse(source)``: the host's own
        parse is reused. ``only`` narrows the rules to the codes the host
        will show. ``settle=False`` leaves the findings that depend on other
        files undecided (in :attr:`HostResult.deferred`) and the project index
        untouched: the text is not the file's (the language server's partial
        checks). Never raises for anything the file or its configuration
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
        ruleset = self.ruleset(config, only, collect=settle)
        if not ruleset.rule_types:
            return result
        if tree is not None and isinstance(source, str):
            text = source[1:] if source.startswith("\ufeff") else source
            checked = check_python_tree(tree, text, filename, relpath, ruleset, noqa=noqa)
        else:
            checked = check_source(source, filename, relpath, ruleset)
        if checked.deferred and settle:
            self._settle(checked, filename, ruleset)
        else:
            result.deferred = [finding for finding, _ in checked.deferred]
        if any(f.fix is not None and f.fix.requirement is not None for f in checked.findings):
            checked.findings = self._settle_fixes(checked.findings, filename, config)
        ignored = config.ignored_codes_for(relpath)
        result.findings = [
            f
            for f in checked.findings
            if f.code not in self.skip and not (ignored and matches(f.code, ignored))
        ]
        result.findings = explain_syntax_errors(result.findings, config)
        result.internal_errors = checked.internal_errors
        if self.baseline is not None and result.findings:
            result.findings, result.known = self.split_known(filename, result.findings)
        return result

    def _settle(self, checked: FileResult, filename: str, rules: RuleSet) -> None:
        """Decide the findings that depend on other files, as ``debt-lints check`` does.

        The project index is the project root's (one per project, whatever
        nested configuration the file has), paths relative to that root.
        """
        from debt_lints.index.settle import rules_by_code, settle, withdrawn

        project_config = self.project_config(filename)
        relpath = relpath_posix(self.absolute(filename), project_config.root)
        project = self.project(project_config)
        facts = facts_from_summary(checked.summary)
        if facts is not None:
            project.add(relpath, facts)  # the host's text, which may differ from the disk
        by_code = rules_by_code(rules.instances)
        findings, errors = settle(checked.deferred, by_code, project)
        checked.findings.extend(findings)
        gone, withdraw_errors = withdrawn(checked.deferred, by_code, project)
        for finding in gone:  # reported in the walk, withdrawn by the whole repository
            if finding in checked.findings:
                checked.findings.remove(finding)
        errors.extend(withdraw_errors)
        checked.findings.sort(key=Finding.sort_key)
        checked.internal_errors.extend(errors)

    def _settle_fixes(
        self, findings: list[Finding], filename: str, config: Config
    ) -> list[Finding]:
        """The fixes settled as ``debt-lints check`` settles them (``fixes.resolve``).

        A fix that would break the code is removed and the finding's message
        says why (a replacement that does not exist: DL003's entry, seen from
        the import), in every host, as in the CLI.
        """
        from debt_lints.fixes import FixPolicy, resolve
        from debt_lints.fixes.modules import IndexModules

        try:
            project = self.project(self.project_config(filename))
        except ConfigError:
            return findings
        policy = FixPolicy(unsafe=True, fixable=config.fixable, unfixable=config.unfixable)
        return resolve(findings, IndexModules(project), policy)

    def split_known(
        self, filename: str, findings: list[Finding]
    ) -> tuple[list[Finding], list[Finding]]:
        """``(new, known)``: the findings of ``filename`` its project's baseline records."""
        root = self.project_root(filename)
        relpath = relpath_posix(self.absolute(filename), root)
        try:
            config = self.project_config(filename)
        except ConfigError:
            return findings, []
        return (self.baseline or BaselineFilter())(config, relpath, findings)


class BaselineFilter:
    """Splits a file's findings into new and known debt with the project's baseline.

    The baseline file is re-read when its modification time changes, so
    ``debt-lints baseline create`` or a ratchet run shows up without a
    restart (in the language server). A broken baseline file makes every
    finding new (and is logged). Only the entries of the file's own path are
    matched: the rename pass of ``debt-lints check`` (entries of a deleted
    file matching a new one) needs the whole tree, which one file does not give.
    ``config`` is the project's configuration (its root and ``baseline``).
    """

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[int, Any]] = {}

    def _entries(self, config: Config, relpath: str) -> list[Any] | None:
        from debt_lints.baseline import BaselineError, baseline_file, load

        try:
            path = baseline_file(config)
            stamp = path.stat().st_mtime_ns
        except (OSError, BaselineError) as exc:  # none, or one leading outside the root
            if isinstance(exc, BaselineError):
                LOG.warning("%s", exc)
            return None
        cached = self._cache.get(path)
        if cached is None or cached[0] != stamp:
            try:
                baseline = load(path)
            except BaselineError as exc:
                LOG.warning("%s", exc)
                baseline = None
            cached = self._cache[path] = (stamp, baseline)
        baseline = cached[1]
        if baseline is None:
            return None
        return [entry for entry in baseline.entries if entry.path == relpath]

    def __call__(
        self, config: Config, relpath: str, findings: list[Finding]
    ) -> tuple[list[Finding], list[Finding]]:
        from debt_lints.baseline import identity_of, match

        entries = self._entries(config, relpath)
        if not entries:
            return findings, []
        result = match(entries, [(f, identity_of(f, relpath)) for f in findings])
        known = [finding for finding, _ in result.known]
        return sorted(result.new, key=Finding.sort_key), sorted(known, key=Finding.sort_key)


def _excluded(relpath: str, config: Config) -> bool:
    """Whether ``debt-lints check`` would skip this file, even when named explicitly."""
    parts = relpath.split("/")
    return any(config.is_excluded("/".join(parts[: i + 1])) for i in range(len(parts)))


@functools.cache
def doc_url(code: str) -> str | None:
    """A link to a rule's documentation page, when the docs are next to the package.

    An editable install (the README's set-up) has ``docs/rules/`` in the
    checkout; a wheel does not, and then there is no page to link.
    """
    page = package_root().parents[1] / "docs" / "rules" / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def internal_error_text(exc: BaseException) -> str:
    """One line describing an exception raised by an adapter's own code."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"
