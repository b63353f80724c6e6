"""The strict-typing findings under the baseline, with strictness that only spreads.

mypy findings are matched against the same baseline file as lint findings,
by the same line-independent identity. Two kinds of finding are never
covered by the baseline and always count as new:

- codes in ``never-baseline`` (by default ``syntax`` and ``import-not-found``,
  which hide other errors when accepted);
- any error in a module that has reached strictness: it is listed in the
  generated ``[[tool.mypy.overrides]]`` block, so it stays strict-clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from debt_lints.baseline import gate as baseline_gate
from debt_lints.baseline.coverage import Coverage
from debt_lints.baseline.store import load
from debt_lints.config import Config
from debt_lints.core.model import Finding
from debt_lints.running.files import SourcePath
from debt_lints.running.runner import RunResult
from debt_lints.strict.mypy_config import read_block
from debt_lints.strict.mypy_run import TypingRun, is_typing_code, run_typing
from debt_lints.strict.settings import TypingSettings, typing_settings


@dataclass
class TypingOutcome:
    """What the typing gate decided."""

    run: TypingRun = field(default_factory=TypingRun)
    new: list[Finding] = field(default_factory=list)
    known: list[Finding] = field(default_factory=list)
    #: The baseline comparison, when a baseline exists (for ``finish``).
    outcome: baseline_gate.CheckOutcome | None = None
    #: Findings no baseline may ever cover (``never-baseline`` codes, modules
    #: listed as strict): why ``typing`` fails after ``baseline add --typing``.
    forced: list[Finding] = field(default_factory=list)


def never_recorded(forced: Sequence[Finding], settings: TypingSettings) -> str | None:
    """Why some strict-typing findings are not (and cannot be) in the baseline, or ``None``.

    ``55 mypy errors can never be recorded in the baseline: 55 import-not-found
    (never-baseline in [tool.debt-lints.typing]): ...``.
    """
    if not forced:
        return None
    from collections import Counter

    never = frozenset(settings.never_baseline)
    by_name = Counter(f.name for f in forced if f.name in never)
    strict = len(forced) - sum(by_name.values())
    parts = [f"{count} {name}" for name, count in sorted(by_name.items(), key=lambda kv: -kv[1])]
    why = []
    if by_name:
        why.append(
            f"{', '.join(parts)} (never-baseline in [tool.debt-lints.typing]: such an "
            "error hides others; install the missing package or its stubs, or tell mypy to "
            "ignore it, e.g. ignore_missing_imports for that module)"
        )
    if strict:
        why.append(f"{strict} in modules listed as strict, which must stay strict-clean")
    total = len(forced)
    errors = "mypy error" if total == 1 else "mypy errors"
    return (
        f"{total} {errors} can never be recorded in the baseline, so 'debt-lints typing' "
        f"fails until they are fixed: {'; '.join(why)}"
    )


def strict_modules(settings: TypingSettings, config: Config) -> frozenset[str]:
    """Modules listed in the generated strict block (they must stay strict-clean)."""
    target = settings.mypy_config or (config.root / "pyproject.toml")
    from debt_lints.config import MAX_CONFIG_SIZE
    from debt_lints.core.boundary import read_bytes

    data = read_bytes(str(target), MAX_CONFIG_SIZE, root=config.root)
    if not isinstance(data, bytes):
        return frozenset()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return frozenset()
    return frozenset(read_block(text) or ())


def as_run_result(run: TypingRun) -> RunResult:
    """The typing run in the shape the baseline gate reads."""
    files = [SourcePath(info.path, rel) for rel, info in sorted(run.modules.items()) if info.parsed]
    return RunResult(findings=list(run.findings), files=files)


def split(
    run: TypingRun, config: Config, settings: TypingSettings
) -> tuple[list[Finding], list[Finding]]:
    """(findings that are always new, findings the baseline may cover)."""
    locked_modules = strict_modules(settings, config)
    never = frozenset(settings.never_baseline)
    modules = run.by_display_path()
    forced: list[Finding] = []
    candidates: list[Finding] = []
    for finding in run.findings:
        info = modules.get(finding.path)
        if finding.name in never or (info is not None and info.module in locked_modules):
            forced.append(finding)
        else:
            candidates.append(finding)
    return forced, candidates


def apply_baseline(
    run: TypingRun,
    config: Config,
    settings: TypingSettings,
    *,
    use_baseline: bool = True,
) -> TypingOutcome:
    """Split the typing findings into new and known debt."""
    everything = sorted(run.findings, key=Finding.sort_key)
    if not use_baseline:
        return TypingOutcome(run, new=everything)
    path = baseline_gate.baseline_file(config)
    baseline = load(path)
    if baseline is None:
        return TypingOutcome(run, new=everything)
    forced, candidates = split(run, config, settings)
    result = as_run_result(run)
    result.findings = candidates
    located = baseline_gate.locate(result, config)
    coverage = typing_coverage(run, baseline_codes=[e.code for e in baseline.entries])
    outcome = baseline_gate.compare(baseline, located, config, coverage, path)
    new = sorted([*outcome.new, *forced], key=Finding.sort_key)
    return TypingOutcome(run, new=new, known=outcome.known, outcome=outcome, forced=forced)


def targets(paths: Sequence[str], settings: TypingSettings, root: Path) -> list[str]:
    """Paths given on the command line, else the configured ones, else the project root."""
    if paths:
        return list(paths)
    out = [str(root / p) for p in settings.paths]
    out.extend(str(root / p.replace(".", "/")) for p in settings.packages)
    return out or [str(root)]


def typing_gate(
    paths: Sequence[str], config: Config, settings: TypingSettings, *, use_baseline: bool
) -> TypingOutcome:
    """Run mypy on the typing targets and apply the baseline (no pruning: see ``finish``)."""
    run = run_typing(targets(paths, settings, config.root), config, settings)
    return apply_baseline(run, config, settings, use_baseline=use_baseline)


def typing_coverage(run: TypingRun, baseline_codes: Sequence[str] = ()) -> Coverage:
    """The (module, mypy code) pairs a typing run re-checked.

    Every mypy code counts as run on every module mypy analysed; a module that
    no longer parses was not analysed, so its entries are kept.
    """
    codes = {f.code for f in run.findings} | {c for c in baseline_codes if is_typing_code(c)}
    files = frozenset(rel for rel, info in run.modules.items() if info.parsed)
    return Coverage(files=files, codes=frozenset(codes))


def with_typing(
    result: RunResult, config: Config, paths: Sequence[str], *, allow_local_plugins: bool = False
) -> tuple[RunResult, Coverage, list[str], str | None]:
    """``result`` plus the typing findings the baseline may record (``baseline create
    --typing``), the coverage of both parts, the problems of the mypy run, and
    what was left out and why (:func:`never_recorded`).

    Findings that are always new (``never-baseline`` codes, strict modules)
    are left out: recording them would accept what can never be accepted.
    """
    settings = replace(typing_settings(config), allow_local_plugins=allow_local_plugins)
    run = run_typing(targets(paths, settings, config.root), config, settings)
    forced, candidates = split(run, config, settings)
    typing_result = as_run_result(run)
    known_paths = {source.relpath for source in result.files}
    merged = RunResult(
        findings=sorted([*result.findings, *candidates], key=Finding.sort_key),
        internal_errors=list(result.internal_errors),
        files=[*result.files, *(s for s in typing_result.files if s.relpath not in known_paths)],
        rules=result.rules,
        suppressed=list(result.suppressed),
    )
    current = load(baseline_gate.baseline_file(config))
    codes = [e.code for e in current.entries] if current is not None else []
    coverage = baseline_gate.coverage_of(result, config, paths).with_part(
        typing_coverage(run, baseline_codes=codes)
    )
    return merged, coverage, list(run.problems), never_recorded(forced, settings)


def strict_regressions(config: Config, ref: str) -> list[str]:
    """Modules listed as strict at git ``ref`` that the current block no longer lists.

    A module whose file is gone is not a regression (deleted code is not
    less typed). Used by ``debt-lints ratchet --base REF``.
    """
    from debt_lints.baseline.ratchet import show_at_ref

    settings = typing_settings(config)
    target = settings.mypy_config or (config.root / "pyproject.toml")
    if not target.exists():
        return []
    before = read_block(show_at_ref(target, ref) or "") or []
    now = set(strict_modules(settings, config))
    return [module for module in sorted(set(before) - now) if _module_exists(config.root, module)]


def _module_exists(root: Path, module: str) -> bool:
    parts = module.split(".")
    for base in (root, root / "src", root / "lib"):
        stem = base.joinpath(*parts)
        if any(
            p.exists()
            for p in (stem.with_suffix(".py"), stem.with_suffix(".pyi"), stem / "__init__.py")
        ):
            return True
    return False
