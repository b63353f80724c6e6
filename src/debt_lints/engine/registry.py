"""The one registry of rules, from which everything else is derived.

Rules are discovered from the modules under :mod:`debt_lints.checkers`: one
rule class per module. The CLI's rule list, the host plugins (pylint, flake8,
bandit), the generated docs and the baseline's keys all come from here.

What configuration and selection need (each rule's code, module, options and
evidence) is also generated into :mod:`debt_lints.engine.catalogue`, so that
validating a configuration and choosing the rules import no rule, and a run
imports only the rules it selected (:func:`load`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from functools import cache

from debt_lints.core.model import CODE_RE, NAME_RE, Option, Rule

#: Codes that were once used and must never be reused: code -> former name.
RETIRED: dict[str, str] = {}
#: Codes reserved for the machinery, never given to a rule: code -> meaning.
RESERVED: dict[str, str] = {
    "DL000": "debt-lints could not check this file (host plugins' internal error)",
}


class RegistryError(Exception):
    """The rule catalogue itself is inconsistent (a bug in debt-lints)."""


def _discover() -> list[type[Rule]]:
    import pkgutil

    import debt_lints.checkers as package

    found: list[type[Rule]] = []
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        if not info.ispkg:
            found.append(_rule_of(info.name))
    return found


def _rule_of(module_name: str) -> type[Rule]:
    """The one rule class the module ``module_name`` defines."""
    module = importlib.import_module(module_name)
    rules = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, Rule)
        and obj is not Rule
        and obj.__module__ == module.__name__
    ]
    if len(rules) != 1:
        raise RegistryError(f"{module_name} must define exactly one rule, found {len(rules)}")
    return rules[0]


def catalogue() -> Mapping[str, tuple[str, str, bool, tuple[bytes, ...] | None, tuple[str, ...]]]:
    """``code -> (name, module, opt_in, evidence, option names)`` of every rule, no rule imported.

    Generated from the registry (:mod:`debt_lints.engine.catalogue`); a test
    keeps the two equal.
    """
    from debt_lints.engine.catalogue import RULES

    return RULES


@cache
def load(code: str) -> type[Rule]:
    """The rule ``code`` of the catalogue, importing its module only."""
    entry = catalogue().get(code)
    if entry is None:
        raise RegistryError(f"no rule {code!r} in the catalogue")
    rule = _rule_of(entry[1])
    if rule.code != code:
        raise RegistryError(
            f"the catalogue places {code} in {entry[1]}, which defines {rule.code}: "
            "run python -m debt_lints.devtools.generate"
        )
    return rule


def declared_options() -> Mapping[str, Option]:
    """Every rule option by key, from the catalogue (no rule imported)."""
    from debt_lints.engine.catalogue import OPTIONS

    return OPTIONS


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule, sorted by code. Validated once."""
    rules = sorted(_discover(), key=lambda r: r.code)
    codes: set[str] = set()
    names: set[str] = set()
    for rule in rules:
        if not CODE_RE.match(rule.code):
            raise RegistryError(f"{rule.__name__}: bad code {rule.code!r}")
        if not NAME_RE.match(rule.name):
            raise RegistryError(f"{rule.code}: bad name {rule.name!r}")
        if rule.code in codes or rule.name in names:
            raise RegistryError(f"{rule.code}: duplicate code or name")
        if rule.code in RESERVED:
            raise RegistryError(f"{rule.code} is reserved and cannot be a rule's code")
        if rule.code in RETIRED:
            raise RegistryError(f"{rule.code} is retired and cannot be reused")
        codes.add(rule.code)
        names.add(rule.name)
    return tuple(rules)


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}


def lookup(code_or_name: str) -> type[Rule] | None:
    """Find a rule by code (``DL201``, any case) or name (``sys-path-injection``)."""
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None


def all_options() -> dict[str, Option]:
    """Every rule option by key. Two rules may share an option (same object)."""
    options: dict[str, Option] = {}
    for rule in all_rules():
        for option in rule.options:
            existing = options.get(option.name)
            if existing is not None and existing != option:
                raise RegistryError(f"option {option.name!r} declared twice, differently")
            options[option.name] = option
    return options


def matches(code: str, patterns: Iterable[str]) -> bool:
    """True when ``code`` is selected by any pattern (a code or a prefix; ``ALL``)."""
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def is_known_selector(pattern: str) -> bool:
    """A selector is valid when it is ``ALL`` or a prefix of at least one code."""
    if pattern == "ALL":
        return True
    return any(code.startswith(pattern) for code in catalogue())


def selected(select: Iterable[str] | None, ignore: Iterable[str]) -> tuple[type[Rule], ...]:
    """The rules enabled by ``select`` (default: all) minus ``ignore``.

    As in flake8 and ruff, the more specific of a matching select and ignore
    prefix wins; at equal length, ignore wins. An ``opt_in`` rule (DL601-DL603)
    needs a select of three characters or more (``DL6``): ``DL`` and ``ALL``
    do not enable it.
    """
    return tuple(load(code) for code in selected_codes(select, ignore))


def selected_codes(select: Iterable[str] | None, ignore: Iterable[str]) -> tuple[str, ...]:
    """The codes :func:`selected` enables, in code order, read from the catalogue."""
    select = list(select) if select is not None else ["DL"]
    ignore = list(ignore)
    chosen = []
    for code, (_, _, opt_in, _, _) in sorted(catalogue().items()):
        best_select = _specificity(code, select)
        best_ignore = _specificity(code, ignore)
        if opt_in and best_select < 3:
            continue
        if best_select >= 0 and best_select > best_ignore:
            chosen.append(code)
    return tuple(chosen)


def _specificity(code: str, patterns: Iterable[str]) -> int:
    """Length of the longest pattern matching ``code`` (``ALL`` counts 0); -1 if none."""
    return max(
        (0 if p == "ALL" else len(p) for p in patterns if p == "ALL" or code.startswith(p)),
        default=-1,
    )
