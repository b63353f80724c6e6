"""Whole-repository analyses: the rules that need every module at once, and the map.

The runner calls :func:`project_findings` after every file was checked when a
:class:`~debt_lints.analysis.project_rule.ProjectRule` (DL601-DL603) is enabled. The
repository is always the whole project under the configuration root, even
when only a few files were named (pre-commit passes the staged files): the
findings are then computed on the whole project and reported only for the
files named. Facts of files that were not checked in this run come from the
cache when it has them, and are otherwise read from disk by the project index.

``debt-lints map`` (:mod:`debt_lints.repo.report`) renders the same
analysis as the audit's sections.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.analysis.repograph import Repository

#: Files of the repository scanned for entry points (besides ``pyproject.toml``).
CONFIG_SUFFIXES = (".yaml", ".yml")

if TYPE_CHECKING:
    from debt_lints.config import Config
    from debt_lints.core.model import Finding, Rule
    from debt_lints.engine.walk import InternalError
    from debt_lints.index import Project


def wants_shapes(rules: Sequence[type[Rule]]) -> bool:
    """Some enabled rule compares definitions (the shapes collector must ride the walk)."""
    return any(issubclass(r, ProjectRule) and r.needs_shapes for r in rules)


def repository_for(
    config: Config,
    files: Iterable[str],
    summaries: Mapping[str, Mapping[str, object] | None],
    *,
    shapes: bool,
    cached: Callable[[str], Mapping[str, object] | None] | None = None,
    project: Project | None = None,
) -> Repository:
    """The repository of ``config``'s project.

    ``files`` are the root-relative paths of every file of the project (the
    runner walks the root); ``summaries`` the per-file summaries this run
    produced (``FileResult.summary``); other files' facts come from
    ``cached(relpath)`` (the cache) or from disk. ``project``: the project
    index to build it with (the caller reads what its finder listed).
    """
    from debt_lints.index import facts_from_summary, project_for
    from debt_lints.repo import shapes as shape_facts
    from debt_lints.repo.build import FileFacts, build

    if project is None:
        project = project_for(config)
    files = sorted(set(files))
    python = [f for f in files if f.endswith(".py")]
    configuration = [f for f in files if f.endswith(CONFIG_SUFFIXES)]
    directories = {f.rpartition("/")[0] for f in files} | {""}
    for directory in sorted(directories):
        candidate = f"{directory}/pyproject.toml" if directory else "pyproject.toml"
        if (config.root / candidate).is_file() and not (config.root / candidate).is_symlink():
            configuration.append(candidate)

    def facts_of(relpath: str) -> FileFacts:
        summary = summaries.get(relpath)
        if summary is None and cached is not None:
            summary = cached(relpath)
        facts = facts_from_summary(summary)
        found = shape_facts.from_json(summary.get(shape_facts.SHAPES_KEY)) if summary else None
        if facts is None:
            facts = project.facts(relpath)
        if shapes and found is None and facts is not None and not facts.unparsable:
            parsed = project.parsed(relpath)
            if parsed is not None:
                tree, ctx = parsed
                found = shape_facts.shapes_of(tree, ctx.lines, relpath)
        raw = summary.get(shape_facts.REFERENCES_KEY) if summary else None
        if isinstance(raw, list) and all(isinstance(r, str) for r in raw):
            references = tuple(raw)
        elif facts is not None and not facts.unparsable:
            parsed = project.parsed(relpath)
            references = (
                tuple(shape_facts.references_in(parsed[0], parsed[1].parents or None))
                if parsed
                else ()
            )
        else:
            references = ()
        if facts is not None:
            project.add(relpath, facts)
        return FileFacts(facts, found, references)

    return build(project, python, configuration, facts_of)


def project_findings(
    config: Config,
    rules: Sequence[Rule],
    repository: Repository,
) -> tuple[list[Finding], list[InternalError], list[Finding]]:
    """The findings of the enabled project rules (paths root-relative), noqa applied,
    and those a ``noqa`` comment hid (still debt: the baseline keeps their entries)."""
    from debt_lints.engine.walk import InternalError, _describe

    findings: list[Finding] = []
    errors: list[InternalError] = []
    for rule in rules:
        if not isinstance(rule, ProjectRule):
            continue
        try:
            findings.extend(rule.check_project(repository))
        except Exception as exc:  # a bug in a rule must not stop the run
            errors.append(InternalError(".", f"{rule.code} ({rule.name})", _describe(exc)))
    kept, hidden = _apply_noqa(config, findings)
    return kept, errors, hidden


def _apply_noqa(config: Config, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Split off the findings that a ``# noqa`` on their line or a file exemption suppresses."""
    from debt_lints.analysis.context import split_lines
    from debt_lints.engine import noqa
    from debt_lints.repo.build import read_text

    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for relpath in sorted(by_file):
        text = read_text(config.root, relpath, python=True)
        if text is None or "noqa" not in text.lower():
            # No comment can suppress anything: tokenizing the file to find its comments
            # (pure Python on 3.11) cost more than the whole-repository rules on a large
            # repository, whose copies and dead modules are reported in thousands of files.
            kept.extend(by_file[relpath])
            continue
        lines = split_lines(text)
        try:
            tree: ast.Module | None = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None  # the tokenizer reads it all, as before
        done = noqa.suppress(
            by_file[relpath], lines, lambda line: line, comments=noqa.python_comments(lines, tree)
        )
        kept.extend(done.kept)
        hidden.extend(done.suppressed)
    return kept, hidden
