"""Carrying out the migration: ``check --fix``, ``--diff``, shims and editor quick fixes.

Rules build their own fixes (:class:`~debt_lints.core.model.Fix`, text edits at
positions the parser gave, attached to the finding as ruff attaches a fix to
a diagnostic). This package sits above the runner and decides the rest:

- :mod:`~debt_lints.fixes.policy`: whether a fix is safe, from what it
  requires of other modules (:mod:`~debt_lints.fixes.modules`), and which
  fixes a run may apply (``--unsafe-fixes``, ``fixable``/``unfixable``);
- :mod:`~debt_lints.fixes.edits` and :mod:`~debt_lints.fixes.fixer`: apply
  the fixes of one file together, re-check to a fixed point, drop any fix
  whose result does not compile or creates a finding;
- :mod:`~debt_lints.fixes.session`: a whole run, files read and written
  below the root only, atomically, never over a file changed meanwhile;
- :mod:`~debt_lints.fixes.shims`: the compatibility modules the migration
  leaves in place of the old copies.
"""

from __future__ import annotations

from debt_lints.fixes.policy import FixPolicy, counts, resolve

__all__ = ["FixPolicy", "counts", "resolve"]
