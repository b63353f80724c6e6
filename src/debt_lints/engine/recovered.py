"""What the engine walks a recovered tree with: the rules, without the collectors.

A file that does not parse keeps the facts of an unparsable file (what it
imports is not known: :meth:`Collector.unparsable`), so whatever the
collectors would extract from the tree :mod:`debt_lints.recovery` gives it is
thrown away. With the repository's collectors on (``DL6``), that extraction
costs more than the rules' walk of the tree: they do not ride it. The rules
are the same instances, so what they report is unchanged.
"""

from __future__ import annotations

import copy
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.engine.walk import RuleSet

#: Rule set -> (the dispatch table the view was made from, its size, the view).
_VIEWS: weakref.WeakKeyDictionary[RuleSet, tuple[object, int, RuleSet]] = (
    weakref.WeakKeyDictionary()
)


def without_collectors(rules: RuleSet) -> RuleSet:
    """``rules`` with no collector: the same rule instances, dispatch and settings.

    Made once per rule set (again if its dispatch table changed, as the walk's
    plans are), and ``rules`` itself when it has no collector.
    """
    if not rules.collectors:
        return rules
    known = _VIEWS.get(rules)
    if known is not None and known[0] is rules.dispatch and known[1] == len(rules.dispatch):
        return known[2]
    kinds = tuple(type(collector) for collector in rules.collectors)
    view = copy.copy(rules)
    view.collectors = ()
    view.instances = [rule for rule in rules.instances if not isinstance(rule, kinds)]
    view.dispatch = {}
    for node_type, visitors in rules.dispatch.items():
        kept = [(rule, visit) for rule, visit in visitors if not issubclass(rule, kinds)]
        if kept:
            view.dispatch[node_type] = kept
    view.yaml_visitors = [(r, v) for r, v in rules.yaml_visitors if not issubclass(r, kinds)]
    view.evidence = tuple((r, w) for r, w in rules.evidence if not issubclass(r, kinds))
    view.walk_plans = {}
    _VIEWS[rules] = (rules.dispatch, len(rules.dispatch), view)
    return view
