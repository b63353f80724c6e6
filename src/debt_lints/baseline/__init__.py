"""The ratcheting baseline: known debt recorded in a committed file.

Public API (what ``check``, the output formats and ``report`` build on):

- :func:`identity_of` / :class:`Identity` — a finding's line-independent
  identity (path, rule, scope, hash of normalised tokens);
  ``Identity.fingerprint()`` is one opaque string for SARIF
  ``partialFingerprints``.
- :class:`Entry`, :class:`Baseline`, :func:`load`, :func:`parse`,
  :func:`dumps`, :class:`BaselineError` — the file format
  (``parse(text, source)`` reads a version from ``git show``).
- :func:`match` / :class:`MatchResult` — one-to-one matching of findings
  to entries (known, new, unmatched, moved).
- :class:`Coverage` — the (path, rule) pairs a run re-checked; only those
  entries can be stale or pruned (``Coverage.restrict``/``nothing`` for
  ``--changed-since``).
- :func:`check` / :class:`CheckOutcome` / :func:`finish` — the baseline
  applied to a :class:`~debt_lints.running.runner.RunResult`; :data:`EXIT_STALE`.

Submodules import only what they need; importing this package is cheap (its
names load on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debt_lints.core.lazy import loader

if TYPE_CHECKING:
    from debt_lints.baseline.coverage import Coverage
    from debt_lints.baseline.gate import (
        EXIT_STALE,
        CheckOutcome,
        baseline_file,
        check,
        coverage_of,
        finish,
        is_ci,
        locate,
    )
    from debt_lints.baseline.identity import Identity, identity_of
    from debt_lints.baseline.matching import MatchResult, match
    from debt_lints.baseline.store import (
        FORMAT_VERSION,
        Baseline,
        BaselineError,
        Entry,
        dumps,
        load,
        parse,
    )

#: Where each public name lives: the package imports a submodule on first use
#: (PEP 562), so a check without a baseline file never loads the gate.
_WHERE = {
    "Coverage": "coverage",
    **dict.fromkeys(
        (
            "EXIT_STALE",
            "CheckOutcome",
            "baseline_file",
            "check",
            "coverage_of",
            "finish",
            "is_ci",
            "locate",
        ),
        "gate",
    ),
    "Identity": "identity",
    "identity_of": "identity",
    "MatchResult": "matching",
    "match": "matching",
    **dict.fromkeys(
        ("FORMAT_VERSION", "Baseline", "BaselineError", "Entry", "dumps", "load", "parse"),
        "store",
    ),
}

__all__ = [
    "EXIT_STALE",
    "FORMAT_VERSION",
    "Baseline",
    "BaselineError",
    "CheckOutcome",
    "Coverage",
    "Entry",
    "Identity",
    "MatchResult",
    "baseline_file",
    "check",
    "coverage_of",
    "dumps",
    "finish",
    "identity_of",
    "is_ci",
    "load",
    "locate",
    "match",
    "parse",
]


__getattr__ = loader(__name__, _WHERE, globals())
