"""The kind of rule that judges the repository as a whole (DL601-DL603).

Apart from :mod:`debt_lints.analysis.repograph` (what such a rule sees) so that the
engine can tell these rules apart without loading the repository's model: a
one-file check never builds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from debt_lints.core.model import Finding, Rule

if TYPE_CHECKING:
    from debt_lints.analysis.repograph import Repository


class ProjectRule(Rule):
    """A rule that judges the repository as a whole (import graph, copies).

    It visits no nodes. After every file was checked, the runner calls
    :meth:`check_project` once with the :class:`Repository`; each finding it
    returns names a module's root-relative path in ``Finding.path``, and is
    then treated like any other: noqa on its line, per-file ignores, the
    baseline. Its ``snippet`` is the finding's identity in the baseline (the
    module set of a cycle, the canonical copy of a duplicate), so unrelated
    edits to the file do not change it.
    """

    #: Needs the definitions' shapes (the runner collects them only then).
    needs_shapes: ClassVar[bool] = False
    #: Whole-repository rules are opt-in (``select = ["DL", "DL6"]``): a tree of
    #: scripts, or a library whose modules are used from outside, has no use for them.
    opt_in: ClassVar[bool] = True
    #: It visits nothing: no file's content decides whether it runs.
    evidence: ClassVar[tuple[bytes, ...] | None] = None

    def check_project(self, repository: Repository) -> Iterable[Finding]:
        """The findings of this rule over the whole repository."""
        return ()
