"""Running the engine over many files and collecting the results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from debt_lints.config import Config, display_path
from debt_lints.engine import FileResult, InternalError, RuleSet, check_file
from debt_lints.files import SourcePath, iter_files
from debt_lints.model import Finding, Rule
from debt_lints.registry import matches, selected


@dataclass
class RunResult:
    """Findings of a whole run, sorted, plus what went wrong inside debt-lints."""

    findings: list[Finding] = field(default_factory=list)
    internal_errors: list[InternalError] = field(default_factory=list)
    files: list[SourcePath] = field(default_factory=list)
    rules: tuple[type[Rule], ...] = ()


def enabled_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> tuple[type[Rule], ...]:
    """Rules enabled by the configuration, then narrowed by command-line selectors.

    As in ruff, a command-line ``--select`` replaces the configured one and
    ``--ignore`` adds to the configured ignores.
    """
    chosen_select = select if select is not None else config.select
    return selected(chosen_select, (*config.ignore, *ignore))


def check_one(source: SourcePath, config: Config, rules: RuleSet) -> FileResult:
    """Check one file and apply ``per-file-ignores``."""
    result = check_file(
        display_path(source.path), source.relpath, rules, max_size=config.max_file_size
    )
    ignored = config.ignored_codes_for(source.relpath)
    if ignored:
        result.findings = [f for f in result.findings if not matches(f.code, ignored)]
    return result


def run(paths: Sequence[str], config: Config, rules: Sequence[type[Rule]]) -> RunResult:
    """Check every file under ``paths``."""
    ruleset = RuleSet(rules, config.settings)
    out = RunResult(rules=tuple(rules))
    for source in iter_files(paths, config):
        out.files.append(source)
        result = check_one(source, config, ruleset)
        out.findings.extend(result.findings)
        out.internal_errors.extend(result.internal_errors)
    out.findings.sort(key=Finding.sort_key)
    return out
