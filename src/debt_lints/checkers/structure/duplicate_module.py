from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from debt_lints.analysis import similarity as minhash
from debt_lints.analysis.graphs import families
from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.analysis.repograph import Module, Repository, dead_part
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.model import Finding, Option, Severity

_OPTION = "canonical-roots"
#: The migration map (DL101's option): its targets are the copies to keep.
_MIGRATION_MAP = "deprecated-imports"
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
#: Two modules whose token shingles are this similar (estimated Jaccard) are copies
#: that drifted apart, though few of their definitions are still the same.
DRIFT_THRESHOLD = 0.5
#: A drifted copy shares at least this much code (normalised characters, about five
#: lines) in definitions of the same shape: modules alike only in form are templates.
MIN_SHARED_CODE = 100
#: :attr:`Module.entry_point` of a test file.
TEST_FILE = "test file"


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
class DriftPair:
    """Two modules whose code is similar though their definitions differ."""

    first: str
    second: str
    #: Estimated Jaccard similarity of their token shingles, 0 to 1.
    similarity: float


@dataclass(frozen=True)
class DefinitionDiff:
    """How a copy's top-level definitions compare with the canonical copy's."""

    #: Names defined in both.
    shared: tuple[str, ...]
    #: ``(copy's name, canonical name)``: the same code under another name.
    renamed: tuple[tuple[str, str], ...]
    only_here: tuple[str, ...]
    only_canonical: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    """Copies of one module: the canonical one first, then the others by name.

    When the evidence cannot tell which copy to keep, ``decided`` is ``False``
    and ``canonical`` is only the first of the live candidates by name: it is
    shown, never acted on (no migration-map entry, no "import that one").
    """

    canonical: str
    copies: tuple[str, ...]
    pairs: tuple[CopyPair, ...]
    decided: bool = True
    #: The evidence that chose the canonical copy, or why none could be chosen.
    why: str = ""
    #: Pairs of copies found by their similar code (copies that drifted).
    drift: tuple[DriftPair, ...] = ()

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
    `class Error(Exception): pass`) are left out of the count, and so are
    records: classes that only hold data (docstrings, field declarations of
    a dataclass, `NamedTuple`, attrs or pydantic model, `__slots__`, and an
    `__init__` that only calls its base's `__init__` and stores its
    parameters or plain values on `self`). Two modules of event or message
    records, one per connector, have the same shapes whenever their classes
    have as many fields, yet no code was copied; copied functions next to
    such records are still counted.
    Copies that drifted apart (helpers renamed, a retry added, definitions
    added, removed or reordered) are found by their code: two modules whose
    token shingles (runs of 10 normalised tokens) are at least 50% alike, by
    a MinHash estimate, are copies too when code was really copied: their
    definitions of equal shape amount to at least 100 normalised characters
    (about five lines). They are found through locality-sensitive hashing,
    without comparing every pair, so the search scales to millions of lines.
    Modules written from one skeleton are not copies: a definition whose
    name at least 4 modules of the package define (the package's protocol:
    `generate` and `exists` in every SCons tool module, the fixtures of a
    folder of tests) is no evidence, and two live test files are never
    copies of each other (a family of tests, one per backend, or test
    classes parametrised by the module under test), nor are the same file
    in two numbered steps of a tutorial under an examples or docs folder
    (`examples/stockquotes/phase2/viewer.py` and `phase3/viewer.py`;
    `step1`, `part-2`, `stage3`, `lesson4` ...): each step is a complete
    folder to read and run alone. Nor is equal code bound to other modules:
    when an import spelled alike from each module's package reaches a
    different module in each (`from .redis import RedisBackend` in two
    packages' `backends/__init__.py`, each loading its own siblings), or
    when each module binds one local name to a different module
    (`from ryu.ofproto import ofproto_v1_2 as ofproto` in one OpenFlow
    parser, `... ofproto_v1_3 as ofproto` in the next), and those two are
    not copies themselves, re-exporting one module from the other would hand
    its importers the other package's code. Nor is code written from one
    template whose definitions take other names from other modules
    (`ROUTE_FAMILY = RF_IPv4_UC` with `from ..bgp import RF_IPv4_UC` in one
    per-route-family table module, `RF_IPv6_UC` in the next): the names a
    top-level `from` import binds are part of a definition's shape, in the
    order they occur, so such definitions are not the same code. Imports that
    reach the same module (`from ..common import render` from two sibling
    packages) leave a copy a copy. A drifted
    copy is told to port what only it has into the copy to keep, and
    `debt-lints map` shows its similarity and
    which definitions are shared, renamed, or only in one copy. Generated
    modules (`*_pb2.py`, `*_pb2_grpc.py`, files whose first lines say
    "Generated by", "DO NOT EDIT" or `@generated`) are never copies: two gRPC
    stubs of different services have the same shape.
    Copies form families (a copy of a copy is in the same family). The copy to
    keep is chosen by evidence, never by name: never a copy in a backup,
    archive, trash or `old`/`*_old`/`deprecated` directory (or a backup file,
    `x_old.py`), nor one the migration map (`deprecated-imports`) deprecates;
    then the migration map's target, the only live copy, the copy with the
    most importers, `canonical-roots`, and the copy in the package its
    importers' siblings import from. When that leaves a tie, the finding says
    which copy to keep cannot be told, once per copy but one (a pair gets one
    finding, on the copy with fewer definitions, then fewer lines: where a
    merge moves the least code, not a verdict), and `debt-lints map` suggests
    no migration for the family. A copy in a dead directory is
    told to be deleted or excluded. A module is reported when at
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
    canonicalises to `["common", "common_utils"]`). The targets of
    `deprecated-imports` (DL101's migration map) are the copies to keep.

    ## Known limits
    A record is told by its body alone: a class of plain class attributes
    (constants, ORM columns `name = Column(String)`) or whose `__init__`
    converts or checks its arguments (`self.items = list(items)`, an `if`)
    counts as code, so two modules of such classes with as many fields are
    still reported. Two modules of a plugin family whose shared helper is outside the
    protocol and large enough (a copied `_parse_output` in two backends) are
    reported: that helper is a real copy, though the modules are not. Tutorial
    steps are told by their folders' names only (a numbered `phase`, `step`,
    `part`, `stage`, `lesson`, `chapter`, `exercise` or `lab` folder, the only
    difference between the two paths, below an `examples`, `docs`, `tutorials`,
    `samples` or `demos` folder): steps numbered otherwise, or standalone sample
    scripts that are variants of each other, are reported. A test
    file copied whole from another one is not reported either (its name says
    test file, like a family member's), unless it is in a dead directory or
    named like a backup. Definitions are compared whole, and a
    drifted copy is found by the code of its top-level definitions only
    (not module-level statements): a
    module that merged two others is not matched. A definition whose
    normalised form occurs in more than 32 modules is treated as boilerplate
    and is no evidence, and so is a band of signatures shared by more than 32
    modules. The similarity is an estimate (128 bins: about five points
    either way), and a pair is only compared when one of 32 bands of 4 bins
    is equal: a pair near 50% is found about nine times in ten, one at 60%
    almost always. Modules generated from one template whose only shared
    code is the protocol (the standard library's `encodings/cp*.py`) are
    not copies; two of them that also share a small helper of one shape
    (`hex_encode` and `base64_encode` in `encodings/hex_codec.py` and
    `base64_codec.py`, calling different functions) are reported: exclude
    them or add a `# noqa: DL603` on line 1. Dead directories are recognised by their names only
    (a live package named `old` counts as dead). Annotations count: a copy
    that only added type hints is
    not matched. Equal code is bound apart by its imports only (not by names
    it receives otherwise): modules that use different modules under their
    own names (`ofproto_v1_3.X`, `ofproto_v1_4.X`) or bind a name to another
    value at their top level (`UTIL = OFCtlUtil(ofproto_v1_4)`) are still
    copies, since other identifiers are normalised away; and a real copy
    that renamed what it imports (`from common.net import get_host` in one,
    `... import get_host_ip` in the other) is found only by the similarity of
    its code (a drifted copy), no longer definition by definition. A copy of a whole package
    whose imported siblings are too small to compare (under 30 lines or 3
    definitions) is taken for a module bound to other code and is not
    reported, unless it is in a dead directory. The whole repository is
    needed: the flake8 and pylint plugins do not report it.
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
            reported: tuple[str, ...] = family.copies
            kept = family.canonical
            if not family.decided:
                # No copy is the one to keep: every member but the largest live one is
                # reported (once), and told that the choice is the lead's.
                kept = largest(family.members, repository)
                reported = tuple(m for m in family.members if m != kept)
            for copy in reported:
                module = repository.modules[copy]
                other = kept
                canonical = repository.modules[other]
                shared, own = shared_with(module, canonical, repository)
                drifted = False
                if not is_copy(shared, own):
                    similar = minhash.similarity(module.signature, canonical.signature)
                    if similar < DRIFT_THRESHOLD:
                        continue
                    drifted = True
                    diff = compare_definitions(module, canonical)
                    counted = (
                        f"({round(100 * similar)}% similar: {len(diff.shared)} definitions "
                        f"shared, {len(diff.renamed)} renamed, {len(diff.only_here)} only here)"
                    )
                else:
                    counted = f"({shared} of {own} definitions shared)"
                dead = dead_part(module.relpath)
                if dead is not None:
                    advice = f"delete it, or exclude '{dead}'"
                elif family.decided and drifted:
                    advice = (
                        "port what only this copy has into that one, then import it"
                        " (debt-lints map shows the differences)"
                    )
                elif family.decided:
                    advice = "import that one and leave a re-export shim here (debt-lints shims)"
                else:
                    advice = (
                        f"which copy to keep cannot be told ({family.why}): choose one and map "
                        "the others to it in deprecated-imports"
                    )
                yield Finding(
                    path=module.relpath,
                    line=1,
                    column=1,
                    code=self.code,
                    name=self.name,
                    message=f"module is a {'drifted ' if drifted else ''}copy of '{other}' "
                    f"{counted}; {advice}",
                    severity=self.severity,
                    snippet=f"copy of {other}",
                )

    # --- the analysis, shared with `debt-lints map` ------------------------------------

    def families(self, repository: Repository) -> list[Family]:
        """Every family of copies, canonical copy first, sorted by canonical name."""
        pairs = copy_pairs(repository)
        by_members: dict[frozenset[str], CopyPair] = {
            frozenset((p.first, p.second)): p for p in pairs
        }
        drift = [
            d for d in drift_pairs(repository) if frozenset((d.first, d.second)) not in by_members
        ]
        # Equal code is no copy when its imports reach other modules: two packages'
        # `__init__.py` that load their own siblings (`from .redis import Backend`).
        linked = set(by_members) | {frozenset((d.first, d.second)) for d in drift}
        binding = ImportBinding(repository, frozenset(linked))
        pairs = [p for p in pairs if not binding.apart(p.first, p.second)]
        by_members = {frozenset((p.first, p.second)): p for p in pairs}
        drift = [d for d in drift if not binding.apart(d.first, d.second)]
        options = self.settings.as_dict()
        roots = self.settings.str_list(_OPTION) if _OPTION in options else ()
        migration = self.settings.str_map(_MIGRATION_MAP) if _MIGRATION_MAP in options else {}
        out: list[Family] = []
        edges = [(p.first, p.second) for p in pairs] + [(d.first, d.second) for d in drift]
        for group in families(edges):
            canonical, decided, why = choose_canonical(group, repository, roots, migration)
            copies = tuple(name for name in sorted(group) if name != canonical)
            inside = tuple(
                by_members[key] for key in sorted(by_members, key=sorted) if key <= set(group)
            )
            drifted = tuple(d for d in drift if d.first in group)
            out.append(Family(canonical, copies, inside, decided, why, drifted))
        out.sort(key=lambda f: f.canonical)
        return out


#: How :class:`ImportBinding` keys a module's imports: a relative spelling or a local name.
_K = TypeVar("_K")


class ImportBinding:
    """Which modules each module's imports reach, to tell equal code bound to other modules.

    Two modules of the same text are no copies when an import spelled alike
    relative to each one's package (``from .redis import Backend`` in
    ``rate_limits/backends/__init__.py`` and ``results/backends/__init__.py``)
    reaches a different module in each, and those two modules are not copies
    themselves (:meth:`apart`): each module hands out its own package's code, so
    re-exporting one from the other would change what its importers get.
    """

    def __init__(self, repository: Repository, linked: frozenset[frozenset[str]]) -> None:
        self.repository = repository
        #: Pairs of modules found to be copies (before this check).
        self.linked = linked
        self._imports: dict[str, set[str]] = {}
        #: Module -> the local names its imports bind to renamed modules, and those modules.
        self._aliases: dict[str, dict[str, str]] = {}
        for edge in repository.edges:
            self._imports.setdefault(edge.importer, set()).add(edge.imported)
            if edge.alias:
                self._aliases.setdefault(edge.importer, {})[edge.alias] = edge.imported

    def spelled(self, name: str) -> dict[tuple[int, str], str]:
        """``name``'s imported modules, keyed by how a relative import from its package
        spells them: ``(levels up, rest)``, ``(0, "redis")`` for ``from .redis import``."""
        module = self.repository.modules[name]
        package = name if module.relpath.rpartition("/")[2] == "__init__.py" else ""
        package = package or name.rpartition(".")[0]
        base = package.split(".") if package else []
        out: dict[tuple[int, str], str] = {}
        for target in self._imports.get(name, ()):
            parts = target.split(".")
            common = 0
            while common < min(len(base), len(parts)) and base[common] == parts[common]:
                common += 1
            out[(len(base) - common, ".".join(parts[common:]))] = target
        return out

    def apart(self, first: str, second: str) -> bool:
        """Whether an import spelled alike from each module's package reaches two
        different modules that are not copies: the two modules are bound to other code.

        A copy in a dead directory (a backup of a whole tree, whose siblings are
        backups too) is never apart: it is to be deleted whatever it imports.
        """
        modules = self.repository.modules
        if dead_part(modules[first].relpath) or dead_part(modules[second].relpath):
            return False
        # An import spelled alike, or one local name bound to another module in each
        # (`from proto import v1 as ofproto`, `... v2 as ofproto`: the same text then
        # uses each version's constants).
        return self._bound_apart(
            self.spelled(first), self.spelled(second), first, second
        ) or self._bound_apart(
            self._aliases.get(first, {}), self._aliases.get(second, {}), first, second
        )

    def _bound_apart(
        self, mine: Mapping[_K, str], theirs: Mapping[_K, str], first: str, second: str
    ) -> bool:
        """Whether one key reaches two different modules that are not copies."""
        for key, target in mine.items():
            other = theirs.get(key)
            if other is None or other == target or {target, other} & {first, second}:
                continue
            if frozenset((target, other)) not in self.linked:
                return True
        return False


def largest(members: Iterable[str], repository: Repository) -> str:
    """The live member with the most definitions, then lines (then the first by name):
    where an undecided family's finding points, never a verdict on which copy to keep."""
    modules = repository.modules
    pool = [m for m in sorted(members) if dead_part(modules[m].relpath) is None] or sorted(members)
    return max(pool, key=lambda m: (len(modules[m].definitions), modules[m].lines, -pool.index(m)))


def choose_canonical(
    group: Iterable[str],
    repository: Repository,
    roots: Iterable[str] = (),
    migration: Mapping[str, str] | None = None,
) -> tuple[str, bool, str]:
    """``(canonical, decided, why)``: the copy to keep, by evidence, never by name.

    Never a copy in a dead directory or file (backups, archives, trash,
    ``*_old``), nor a module the migration map deprecates. Then: the
    migration map's target; the only live copy; the copy with the most
    importers outside the family; among copies with as many importers, the
    first in ``canonical-roots``, then (when they are imported at all) the
    copy in the package that its importers' sibling modules import from most.
    When that leaves a tie, ``decided`` is ``False`` and ``why`` says which
    copies are tied and on what.
    """
    members = sorted(group)
    family = set(members)
    migration = migration or {}
    deprecated = {old.strip() for old in migration}
    targets = {new.strip() for new in migration.values() if new.strip()}
    modules = repository.modules
    live = [n for n in members if dead_part(modules[n].relpath) is None and n not in deprecated]
    if not live:
        return members[0], False, "every copy is in a backup directory or deprecated"
    mapped = [n for n in live if n in targets]
    if len(mapped) == 1:
        return mapped[0], True, "the migration map's target"
    if len(live) == 1:
        return live[0], True, "the only live copy"
    pool = mapped or live
    importers = {n: repository.importers(n) - family for n in pool}
    most = max(len(importers[n]) for n in pool)
    tied = [n for n in pool if len(importers[n]) == most]
    if len(tied) == 1:
        return tied[0], True, f"most importers ({most})"
    ranks = {n: canonical_rank(modules[n], roots) for n in tied}
    best = min(ranks.values())
    if list(ranks.values()).count(best) == 1 and best < len(tuple(roots)):
        return min(tied, key=ranks.__getitem__), True, "in canonical-roots"
    if not most:
        return tied[0], False, "nothing imports any live copy"
    packages = _sibling_packages(family, repository)
    score = {n: packages.get(n.rpartition(".")[0], 0) for n in tied}
    top = max(score.values())
    if top and list(score.values()).count(top) == 1:
        chosen = max(tied, key=score.__getitem__)
        return chosen, True, "in the package its importers' siblings use"
    names = ", ".join(f"'{n}'" for n in tied)
    return tied[0], False, f"{names} have as many importers ({most})"


def _sibling_packages(family: set[str], repository: Repository) -> Counter[str]:
    """Packages that the importers' sibling modules import from, with how many imports.

    A sibling is a module of the same package as a module that imports a copy
    of the family; the family's own members do not count.
    """
    importer_packages = {
        importer.rpartition(".")[0]
        for member in family
        for importer in repository.importers(member)
        if importer not in family
    }
    out: Counter[str] = Counter()
    for edge in repository.edges:
        if edge.imported in family or edge.importer in family:
            continue
        if edge.importer.rpartition(".")[0] in importer_packages:
            out[edge.imported.rpartition(".")[0]] += 1
    return out


def evidence(module: Module, repository: Repository | None = None) -> Counter[str]:
    """The shapes of the module's definitions large enough to show a copy.

    A generated module (protobuf and gRPC stubs) has none: two stubs of
    different services have the same shapes and are not copies. With the
    ``repository``, definitions named like its package's protocol
    (:meth:`Repository.protocol`: ``generate`` and ``exists`` in each of
    SCons's tool modules) are left out: modules written to one skeleton share
    them without being copies. Records (classes that only hold data) are left
    out too: they have no logic to copy.
    """
    if module.generated:
        return Counter()
    protocol = repository.protocol(module.name) if repository is not None else frozenset()
    return Counter(
        d.shape
        for d in module.definitions
        if d.size >= MIN_DEFINITION_SIZE and not d.record and d.name not in protocol
    )


def test_family(first: Module, second: Module) -> bool:
    """Two live test files: tests of one family (one per backend, parametrised test
    classes) written from one skeleton, never copies to merge."""
    return (
        first.entry_point == TEST_FILE
        and second.entry_point == TEST_FILE
        and dead_part(first.relpath) is None
        and dead_part(second.relpath) is None
    )


#: A numbered step of a tutorial: ``phase2``, ``step_3``, ``part-1``, ``lesson4``.
_STEP_RE = lazy_pattern(r"(?i)^(phase|step|part|stage|lesson|chapter|exercise|lab)[-_]?(\d+)$")
#: Folders that hold examples and documentation, where tutorials live.
_EXAMPLE_DIRS = frozenset(
    {
        "example",
        "examples",
        "doc",
        "docs",
        "tutorial",
        "tutorials",
        "sample",
        "samples",
        "demo",
        "demos",
    }
)


def tutorial_steps(first: Module, second: Module) -> bool:
    """The same file in two numbered steps of one tutorial under an examples or docs
    folder (``examples/stockquotes/phase2/viewer.py`` and ``phase3/viewer.py``): each
    step is a complete folder to read and run alone, a copy on purpose."""
    mine, theirs = first.relpath.split("/"), second.relpath.split("/")
    if len(mine) != len(theirs) or not any(p.lower() in _EXAMPLE_DIRS for p in mine[:-1]):
        return False
    if dead_part(first.relpath) is not None or dead_part(second.relpath) is not None:
        return False
    differ = [(a, b) for a, b in zip(mine, theirs, strict=True) if a != b]
    if len(differ) != 1:
        return False
    one, other = (_STEP_RE.match(part) for part in differ[0])
    return bool(one and other and one.group(1).lower() == other.group(1).lower())


def kept_apart(first: Module, second: Module) -> bool:
    """Modules alike by design, never copies of each other: a test family or the steps
    of a tutorial."""
    return test_family(first, second) or tutorial_steps(first, second)


def shared_code(first: Module, second: Module, repository: Repository) -> int:
    """How much code (normalised characters) ``first``'s evidence definitions share with
    ``second``'s by shape, under the same name or another."""
    theirs = evidence(second, repository)
    sizes = {d.shape: d.size for d in first.definitions}
    return sum(
        sizes[shape] * min(count, theirs[shape])
        for shape, count in evidence(first, repository).items()
    )


def drift_pairs(repository: Repository) -> list[DriftPair]:
    """Pairs of modules whose code is similar (:data:`DRIFT_THRESHOLD`), found by LSH.

    Only modules of at least :data:`MIN_LINES` lines and
    :data:`MIN_DEFINITIONS` definitions with a signature (not generated) are
    compared, and only when a band of their MinHash signatures is equal. A
    similar pair is a drifted copy only when code was copied: definitions
    outside the package's protocol, equal in shape, of at least
    :data:`MIN_SHARED_CODE` normalised characters together; two live test
    files are never copies (:func:`test_family`).
    """
    signatures = {
        name: module.signature
        for name, module in repository.modules.items()
        if module.signature
        and module.lines >= MIN_LINES
        and len(module.definitions) >= MIN_DEFINITIONS
    }
    out: list[DriftPair] = []
    modules = repository.modules
    for first, second in sorted(minhash.candidate_pairs(signatures, MAX_SHAPE_MODULES)):
        similar = minhash.similarity(signatures[first], signatures[second])
        if similar < DRIFT_THRESHOLD:
            continue
        one, other = modules[first], modules[second]
        if kept_apart(one, other):
            continue
        if shared_code(one, other, repository) < MIN_SHARED_CODE:
            continue  # alike in form only: a template, or shared boilerplate
        out.append(DriftPair(first, second, similar))
    return out


def compare_definitions(copy: Module, canonical: Module) -> DefinitionDiff:
    """Which of ``copy``'s definitions ``canonical`` has too, under the same or another name."""
    theirs = {d.name for d in canonical.definitions}
    mine = {d.name for d in copy.definitions}
    by_shape: dict[str, str] = {}
    for d in canonical.definitions:
        if d.size >= MIN_DEFINITION_SIZE and d.name not in mine:
            by_shape.setdefault(d.shape, d.name)
    shared = tuple(dict.fromkeys(d.name for d in copy.definitions if d.name in theirs))
    renamed: list[tuple[str, str]] = []
    only_here: list[str] = []
    for d in copy.definitions:
        if d.name in theirs:
            continue
        target = by_shape.pop(d.shape, None) if d.size >= MIN_DEFINITION_SIZE else None
        if target is not None:
            renamed.append((d.name, target))
        else:
            only_here.append(d.name)
    matched = set(shared) | {t for _, t in renamed}
    only_canonical = tuple(
        dict.fromkeys(d.name for d in canonical.definitions if d.name not in matched)
    )
    return DefinitionDiff(shared, tuple(renamed), tuple(dict.fromkeys(only_here)), only_canonical)


def is_copy(shared: int, own: int) -> bool:
    """Whether a module with ``own`` definitions, ``shared`` of them found in another
    module, is a copy of it (and could be replaced by it).

    A module that only *contains* a copy of a smaller module's definitions among
    many of its own is not a copy of it: it is in the family (the map shows it)
    but gets no finding and no migration-map entry.
    """
    return own > 0 and shared >= THRESHOLD * own


def shared_with(
    module: Module, other: Module, repository: Repository | None = None
) -> tuple[int, int]:
    """``(shared, own)``: how many of ``module``'s evidence definitions ``other`` has too."""
    mine, theirs = evidence(module, repository), evidence(other, repository)
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
        found = evidence(module, repository)
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
            if kept_apart(repository.modules[name], repository.modules[other]):
                continue
            if shared >= THRESHOLD * smaller:
                out.append(CopyPair(name, other, shared, smaller))
    return out
