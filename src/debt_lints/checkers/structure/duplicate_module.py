from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from debt_lints.analysis.graphs import families
from debt_lints.analysis.repograph import Module, ProjectRule, Repository
from debt_lints.core.model import Finding, Option, Severity

_OPTION = "canonical-roots"
#: A copy shares at least this share of the smaller module's definitions.
THRESHOLD = 0.8
#: Modules smaller than this are never compared (a few helpers match by chance).
MIN_DEFINITIONS = 3
MIN_LINES = 30
#: A definition whose normalised form is shorter than this (``def N(N): return N``
#: is 20) is too small to show that code was copied: it is left out of both sides.
MIN_DEFINITION_SIZE = 48
#: A definition shape found in more modules than this is boilerplate
#: (`class Error(Exception): pass`), not evidence of a copy.
MAX_SHAPE_MODULES = 32


@dataclass(frozen=True)
class CopyPair:
    """Two modules of which one is mostly a copy of the other."""

    first: str
    second: str
    #: Definitions of the smaller module found (by shape) in the other one.
    shared: int
    #: Definitions of the smaller module.
    smaller: int


@dataclass(frozen=True)
class Family:
    """Copies of one module: the canonical one first, then the others by name."""

    canonical: str
    copies: tuple[str, ...]
    pairs: tuple[CopyPair, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return (self.canonical, *self.copies)


class DuplicateModule(ProjectRule):
    """
    ## What it does
    Flags a module whose top-level functions and classes are mostly copies of
    another module's, at line 1 of each copy that is not canonical. Definitions
    are compared by a normalised form: identifiers, strings, docstrings,
    comments and formatting do not matter, so a copy whose functions were
    renamed or re-documented still matches. Two modules are copies when at
    least 80% of the smaller module's definitions have a match in the other
    one; modules with fewer than 3 definitions or 30 lines are never compared,
    and definitions too small to show a copy (`def name(x): return x + 1`,
    `class Error(Exception): pass`) are left out of the count.
    Copies form families (a copy of a copy is in the same family); the
    canonical copy of a family is the one with the most importers, ties broken
    by `canonical-roots`, then by dotted name. A module is reported when at
    least 80% of its own definitions are in the canonical copy: a large module
    that merely contains a copy of a small one's helpers is in the family
    (`debt-lints map` shows it, with its share) but is not called a copy.

    ## Why is this debt
    Copied utility modules drift apart: fixes land in one copy, callers import
    whichever copy their `sys.path` reaches first, and every copy must be read
    to know what a call does. The audit found seven utility families copied
    two or three times across `main_pc_code/utils`, `common/utils`,
    `common_utils` and `pc2_code/utils`. `debt-lints map` lists the families
    and `debt-lints map --write-config` turns them into `deprecated-imports`.

    ## Example
    ```python
    # file: common/utils/retry.py
    import time


    def retry(call, attempts=3):
        for attempt in range(attempts):
            try:
                return call()
            except OSError:
                time.sleep(2**attempt)
        return call()


    def backoff(attempt, base=0.5):
        delay = base * 2**attempt
        if delay > 30:
            delay = 30
        return delay


    class RetryError(Exception):
        def __init__(self, attempts):
            super().__init__(f"gave up after {attempts} attempts")
            self.attempts = attempts


    def with_retry(func):
        def wrapper(*args, **kwargs):
            return retry(lambda: func(*args, **kwargs))

        return wrapper


    # file: main_pc_code/utils/retry_utils.py
    import time


    def retry_call(fn, tries=3):
        for n in range(tries):
            try:
                return fn()
            except OSError:
                time.sleep(2**n)
        return fn()


    def compute_backoff(n, base=0.5):
        delay = base * 2**n
        if delay > 30:
            delay = 30
        return delay


    class RetryFailed(Exception):
        def __init__(self, tries):
            super().__init__(f"failed after {tries} tries")
            self.attempts = tries


    def retrying(fn):
        def wrapper(*args, **kwargs):
            return retry_call(lambda: fn(*args, **kwargs))

        return wrapper
    ```

    ## Use instead
    ```python
    # file: common/utils/retry.py
    import time


    def retry(call, attempts=3):
        for attempt in range(attempts):
            try:
                return call()
            except OSError:
                time.sleep(2**attempt)
        return call()


    def backoff(attempt, base=0.5):
        delay = base * 2**attempt
        if delay > 30:
            delay = 30
        return delay


    class RetryError(Exception):
        def __init__(self, attempts):
            super().__init__(f"gave up after {attempts} attempts")
            self.attempts = attempts


    def with_retry(func):
        def wrapper(*args, **kwargs):
            return retry(lambda: func(*args, **kwargs))

        return wrapper


    # file: main_pc_code/utils/retry_utils.py
    from common.utils.retry import RetryError, backoff, retry

    __all__ = ["RetryError", "backoff", "retry"]
    ```

    ## Options
    Opt-in: enabled by selecting `DL6` or the code (`select = ["DL", "DL6"]`),
    not by `DL` or `ALL`.
    `canonical-roots`: directories (or dotted prefixes), in order of
    preference, whose copies are canonical when importers are tied (the audit
    canonicalises to `["common", "common_utils"]`).

    ## Known limits
    Only whole top-level definitions are compared: a module that copied
    half of each function, or merged two modules into one, is not matched. A
    definition whose normalised form occurs in more than 32 modules is treated
    as boilerplate and is no evidence. Generated modules built from one
    template (the standard library's `encodings/cp*.py`) are reported as
    copies of each other, which they are: exclude them or add a `# noqa:
    DL603` on line 1. Annotations count: a copy that only added type hints is
    not matched. The whole repository is needed: the flake8 and pylint
    plugins do not report it.
    """

    code = "DL603"
    name = "duplicate-module"
    summary = "a module that is mostly a copy of another module"
    message = "module is a copy of another module; import the canonical copy and delete this one"
    severity = Severity.WARNING
    needs_shapes = True
    options = (
        Option(
            _OPTION,
            "str-list",
            (),
            "directories whose copies are canonical when importers are tied (DL603)",
        ),
    )

    def check_project(self, repository: Repository) -> Iterable[Finding]:
        for family in self.families(repository):
            canonical = repository.modules[family.canonical]
            for copy in family.copies:
                module = repository.modules[copy]
                shared, own = shared_with(module, canonical)
                if not is_copy(shared, own):
                    continue
                yield Finding(
                    path=module.relpath,
                    line=1,
                    column=1,
                    code=self.code,
                    name=self.name,
                    message=f"module is a copy of '{family.canonical}' ({shared} of {own} "
                    "definitions shared); import that one and leave a re-export shim here "
                    "(debt-lints shims)",
                    severity=self.severity,
                    snippet=f"copy of {family.canonical}",
                )

    # --- the analysis, shared with `debt-lints map` ------------------------------------

    def families(self, repository: Repository) -> list[Family]:
        """Every family of copies, canonical copy first, sorted by canonical name."""
        pairs = copy_pairs(repository)
        by_members: dict[frozenset[str], CopyPair] = {
            frozenset((p.first, p.second)): p for p in pairs
        }
        roots = self.settings.str_list(_OPTION) if _OPTION in self.settings.as_dict() else ()
        out: list[Family] = []
        for group in families((p.first, p.second) for p in pairs):
            canonical = min(
                group,
                key=lambda name: (
                    -len(repository.importers(name) - set(group)),
                    canonical_rank(repository.modules[name], roots),
                    name,
                ),
            )
            copies = tuple(name for name in group if name != canonical)
            inside = tuple(
                by_members[key] for key in sorted(by_members, key=sorted) if key <= set(group)
            )
            out.append(Family(canonical, copies, inside))
        out.sort(key=lambda f: f.canonical)
        return out


def evidence(module: Module) -> Counter[str]:
    """The shapes of the module's definitions large enough to show a copy."""
    return Counter(d.shape for d in module.definitions if d.size >= MIN_DEFINITION_SIZE)


def is_copy(shared: int, own: int) -> bool:
    """Whether a module with ``own`` definitions, ``shared`` of them found in another
    module, is a copy of it (and could be replaced by it).

    A module that only *contains* a copy of a smaller module's definitions among
    many of its own is not a copy of it: it is in the family (the map shows it)
    but gets no finding and no migration-map entry.
    """
    return own > 0 and shared >= THRESHOLD * own


def shared_with(module: Module, other: Module) -> tuple[int, int]:
    """``(shared, own)``: how many of ``module``'s evidence definitions ``other`` has too."""
    mine, theirs = evidence(module), evidence(other)
    shared = sum(min(count, theirs[shape]) for shape, count in mine.items())
    return shared, sum(mine.values())


def canonical_rank(module: Module, roots: Iterable[str]) -> int:
    """Position of the first of ``roots`` that holds ``module`` (past the end: none does)."""
    count = 0
    for count, root in enumerate(roots):
        prefix = root.strip("/")
        dotted = prefix.replace("/", ".")
        if module.relpath.startswith(prefix + "/") or module.name == dotted:
            return count
        if module.name.startswith(dotted + "."):
            return count
    return count + 1


def copy_pairs(repository: Repository) -> list[CopyPair]:
    """Every pair of modules that are copies, without comparing all pairs.

    Modules are indexed by the shapes of their definitions; only modules that
    share a shape are ever counted against each other, and a shape shared by
    more than :data:`MAX_SHAPE_MODULES` modules is skipped.
    """
    shapes: dict[str, Counter[str]] = {}
    for name, module in repository.modules.items():
        found = evidence(module)
        if sum(found.values()) >= MIN_DEFINITIONS and module.lines >= MIN_LINES:
            shapes[name] = found
    holders: dict[str, list[str]] = {}
    for name in sorted(shapes):
        for shape in shapes[name]:
            holders.setdefault(shape, []).append(name)
    out: list[CopyPair] = []
    for name in sorted(shapes):
        mine = shapes[name]
        counts: Counter[str] = Counter()
        for shape, count in mine.items():
            others = holders[shape]
            if len(others) > MAX_SHAPE_MODULES:
                continue
            for other in others:
                if other > name:
                    counts[other] += min(count, shapes[other][shape])
        for other, shared in sorted(counts.items()):
            smaller = min(sum(mine.values()), sum(shapes[other].values()))
            if shared >= THRESHOLD * smaller:
                out.append(CopyPair(name, other, shared, smaller))
    return out
