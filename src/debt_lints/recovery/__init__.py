"""Error recovery for Python files that do not parse: a tree for the rest of the file.

A file with a syntax error gets its DL001 from the engine; every other rule
then runs on :func:`recover`'s tree, an ordinary ``ast.Module`` with the
original file's line numbers and columns, in which each statement outside the
damage sits in the scope it has in the file. Pure parsing: nothing here knows
about rules or findings.
"""

from __future__ import annotations

from debt_lints.recovery.repair import MAX_ATTEMPTS, MAX_PARSED_CHARS, Recovery, recover

__all__ = ["MAX_ATTEMPTS", "MAX_PARSED_CHARS", "Recovery", "recover"]
