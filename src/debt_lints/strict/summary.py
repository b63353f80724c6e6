"""How far strict typing has spread, per top-level package, for ``report --typing``.

Counts come from the source (functions and fully annotated functions, by
the AST) and from the baseline (a module is strict-clean when it parses and
the baseline holds no ``mypy[...]`` entry for it). The gate keeps the
committed baseline equal to the real debt, so no mypy run is needed here;
``debt-lints typing --modules`` shows mypy's live view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from debt_lints.baseline.gate import TYPING_OPTION
from debt_lints.baseline.store import Entry
from debt_lints.config import Config
from debt_lints.strict.mypy_run import collect_modules, is_typing_code


@dataclass
class PackageTyping:
    """Strictness of one top-level package (or top-level module)."""

    modules: int = 0
    strict_clean: int = 0
    functions: int = 0
    annotated: int = 0


@dataclass
class TypingSummary:
    """Strictness per top-level package, and in total."""

    packages: dict[str, PackageTyping] = field(default_factory=dict)
    #: ``False`` when the baseline does not hold the strict-typing debt (made
    #: without ``--typing``): then nobody knows which modules are strict-clean.
    measured: bool = True

    @property
    def total(self) -> PackageTyping:
        out = PackageTyping()
        for stats in self.packages.values():
            out.modules += stats.modules
            out.strict_clean += stats.strict_clean
            out.functions += stats.functions
            out.annotated += stats.annotated
        return out

    def headline(self) -> str:
        """``22/36 modules strict-clean, 51/119 functions annotated``."""
        total = self.total
        if not self.measured:
            return (
                f"strict-clean modules not measured (the baseline holds no strict-typing "
                f"debt: record it with 'debt-lints baseline add --typing --reason \"adopt "
                f"mypy --strict\"', which ratchet accepts), "
                f"{total.annotated}/{total.functions} functions annotated"
            )
        return (
            f"{total.strict_clean}/{total.modules} modules strict-clean, "
            f"{total.annotated}/{total.functions} functions annotated"
        )

    def clean_ratio(self, stats: PackageTyping) -> str:
        """``3/7``, or ``not measured``."""
        return f"{stats.strict_clean}/{stats.modules}" if self.measured else "not measured"

    def as_json(self) -> dict[str, object]:
        def one(stats: PackageTyping) -> dict[str, int | None]:
            return {
                "modules": stats.modules,
                "strict_clean": stats.strict_clean if self.measured else None,
                "functions": stats.functions,
                "annotated": stats.annotated,
            }

        return {
            "total": one(self.total),
            "packages": {name: one(stats) for name, stats in sorted(self.packages.items())},
        }


def typing_summary(
    paths: Sequence[str],
    config: Config,
    entries: Iterable[Entry],
    options: Iterable[tuple[str, str]] = (),
) -> TypingSummary:
    """The summary for the modules under ``paths``, judged against ``entries``.

    ``options`` is the baseline's header: it says whether the baseline was
    recorded with ``--typing``. A baseline recorded without it has no typing
    entry for any module, which says nothing about their strictness.
    """
    entries = list(entries)
    with_debt = {e.path for e in entries if is_typing_code(e.code)}
    modules, _, _ = collect_modules(paths, config)
    recorded = any(code == TYPING_OPTION for code, _ in options)
    summary = TypingSummary(measured=recorded or bool(with_debt))
    for relpath, info in sorted(modules.items()):
        if not info.module:
            continue
        package = info.module.split(".", 1)[0]
        stats = summary.packages.setdefault(package, PackageTyping())
        stats.modules += 1
        stats.functions += info.functions
        stats.annotated += info.annotated
        if summary.measured and info.parsed and relpath not in with_debt:
            stats.strict_clean += 1
    return summary
