"""``debt-lints map``: the audit's repository-wide sections, computed from the code.

Copied module families (with the canonical choice and how importers split
between the copies), import cycles, unused modules and directories of dead
copies, in text, markdown or JSON; and the ``deprecated-imports`` entries
that turn the families into a migration map (written by ``--write-config``).
The analyses are the rules' own (DL601-DL603), so ``map`` and ``check``
never disagree.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.analysis.repograph import (
    DEAD_FILES,
    Module,
    Repository,
    dead_part,
)

if TYPE_CHECKING:
    from debt_lints.core.settings import Settings


@dataclass(frozen=True)
class Copy:
    name: str
    relpath: str
    lines: int
    definitions: int
    #: Modules outside the family that import this copy.
    importers: tuple[str, ...]
    #: Shares with the canonical copy, in % of this copy's definitions (the
    #: canonical copy itself: 100).
    shared_definitions: int
    shared_names: int
    #: A copy of the canonical one that it could be replaced by (DL603 reports it,
    #: the migration map maps it); ``False`` for a module that only contains
    #: copies of the canonical copy's definitions among more of its own.
    replaceable: bool = True
    #: Estimated similarity of its code to the canonical copy's, in % (token
    #: shingles, MinHash): a copy that drifted is similar though its definitions differ.
    similarity: int = 100
    #: Definitions defined in both (by name), renamed (``copy's name -> canonical's``),
    #: only in this copy, only in the canonical copy: what a merge has to port.
    shared: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    only_here: tuple[str, ...] = ()
    only_canonical: tuple[str, ...] = ()


@dataclass(frozen=True)
class FamilyMap:
    canonical: str
    copies: tuple[Copy, ...]
    #: ``False`` when the evidence cannot tell which copy to keep (no map entry then).
    decided: bool = True
    #: The evidence that chose the canonical copy, or why none could be chosen.
    why: str = ""

    def split(self) -> list[tuple[str, int, int]]:
        """``(copy, importers, % of all importers)`` for each copy."""
        total = sum(len(c.importers) for c in self.copies)
        return [
            (c.name, len(c.importers), round(100 * len(c.importers) / total) if total else 0)
            for c in self.copies
        ]


@dataclass(frozen=True)
class CycleMap:
    members: tuple[str, ...]
    path: tuple[str, ...]


@dataclass(frozen=True)
class RepoMap:
    families: tuple[FamilyMap, ...]
    cycles: tuple[CycleMap, ...]
    unused: tuple[tuple[str, str], ...]
    dead_directories: tuple[str, ...]
    dead_files: tuple[str, ...]
    modules: int

    def deprecated_imports(self) -> dict[str, str]:
        """Each live non-canonical copy -> its canonical copy (the suggested migration map).

        Families whose copy to keep cannot be told get no entry, and copies in
        dead directories none either (they are deleted or excluded).
        """
        return {
            copy.name: family.canonical
            for family in self.families
            for copy in family.copies
            if family.decided
            and copy.name != family.canonical
            and copy.replaceable
            and dead_part(copy.relpath) is None  # a dead copy is deleted, not migrated
        }

    def extend_exclude(self) -> list[str]:
        return list(self.dead_directories)


def compute(repository: Repository, settings: Settings) -> RepoMap:
    """The map of ``repository``, using the rules' own analyses."""
    from debt_lints.analysis import similarity
    from debt_lints.checkers.structure.duplicate_module import (
        DuplicateModule,
        compare_definitions,
        is_copy,
        shared_with,
    )
    from debt_lints.checkers.structure.import_cycle import ImportCycle
    from debt_lints.checkers.structure.unused_module import UnusedModule

    modules = repository.modules
    families: list[FamilyMap] = []
    for family in DuplicateModule(settings).families(repository):
        members = set(family.members)
        canonical = modules[family.canonical]
        copies: list[Copy] = []
        for name in family.members:
            module = modules[name]
            shared, own = shared_with(module, canonical, repository)
            shared_defs = round(100 * shared / own) if own else 0
            shared_names = _shared_names(canonical, module)
            diff = compare_definitions(module, canonical)
            similar = (
                100
                if name == family.canonical
                else round(100 * similarity.similarity(module.signature, canonical.signature))
            )
            copies.append(
                Copy(
                    name,
                    module.relpath,
                    module.lines,
                    len(module.definitions),
                    tuple(sorted(repository.importers(name) - members)),
                    shared_defs,
                    shared_names,
                    name == family.canonical or is_copy(shared, own),
                    similar,
                    diff.shared,
                    diff.renamed,
                    diff.only_here,
                    diff.only_canonical,
                )
            )
        families.append(FamilyMap(family.canonical, tuple(copies), family.decided, family.why))
    cycles = tuple(CycleMap(c.members, c.path) for c in ImportCycle(settings).cycles(repository))
    unused = tuple((n, modules[n].relpath) for n in UnusedModule(settings).unused(repository))
    dead_dirs, dead_files = _dead(repository, {n for n, _ in unused}, families)
    return RepoMap(tuple(families), cycles, unused, dead_dirs, dead_files, len(modules))


def _shared_names(canonical: Module, copy: Module) -> int:
    """% of ``copy``'s top-level definition names that the canonical copy defines too."""
    mine = [d.name for d in copy.definitions]
    if not mine:
        return 0
    theirs = {d.name for d in canonical.definitions}
    return round(100 * sum(1 for name in mine if name in theirs) / len(mine))


def _dead(
    repository: Repository, unused: set[str], families: list[FamilyMap]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Directories named like dead copies, and backup files that are dead or copies."""
    copies = {c.name for f in families for c in f.copies if c.name != f.canonical}
    directories: set[str] = set()
    files: list[str] = []
    for name, module in sorted(repository.modules.items()):
        parts = module.relpath.split("/")
        dead = dead_part(module.relpath)
        if dead is not None and dead != module.relpath:
            directories.add(dead)
        filename = parts[-1].lower()
        if any(fnmatch.fnmatchcase(filename, p) for p in DEAD_FILES) and (
            name in unused or name in copies
        ):
            files.append(module.relpath)
    return tuple(sorted(directories)), tuple(files)


# --- rendering ---------------------------------------------------------------------


def to_json(repo_map: RepoMap) -> str:
    data = {
        "modules": repo_map.modules,
        "families": [
            {
                "canonical": f.canonical,
                "decided": f.decided,
                "why": f.why,
                "copies": [
                    {
                        "module": c.name,
                        "path": c.relpath,
                        "lines": c.lines,
                        "definitions": c.definitions,
                        "importers": list(c.importers),
                        "shared_definitions_percent": c.shared_definitions,
                        "shared_names_percent": c.shared_names,
                        "replaceable": c.replaceable,
                        "similarity_percent": c.similarity,
                        "definitions_shared": list(c.shared),
                        "definitions_renamed": [list(pair) for pair in c.renamed],
                        "definitions_only_here": list(c.only_here),
                        "definitions_only_in_canonical": list(c.only_canonical),
                    }
                    for c in f.copies
                ],
                "importer_split": [
                    {"module": n, "importers": k, "percent": p} for n, k, p in f.split()
                ],
            }
            for f in repo_map.families
        ],
        "cycles": [{"modules": list(c.members), "cycle": list(c.path)} for c in repo_map.cycles],
        "unused": [{"module": n, "path": p} for n, p in repo_map.unused],
        "dead_directories": list(repo_map.dead_directories),
        "dead_files": list(repo_map.dead_files),
        "suggested": {
            "deprecated-imports": repo_map.deprecated_imports(),
            "extend-exclude": repo_map.extend_exclude(),
        },
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def to_text(repo_map: RepoMap, markdown: bool = False) -> str:
    from debt_lints.analysis.context import printable
    from debt_lints.checkers.structure.duplicate_module import DRIFT_THRESHOLD

    out: list[str] = []
    h = "## " if markdown else ""
    bullet = "- " if markdown else "  "

    def code(text: str) -> str:
        return f"`{text}`" if markdown else text

    out.append(f"{'# ' if markdown else ''}Repository map ({repo_map.modules} modules)")
    out.append("")
    out.append(f"{h}Copied modules: {len(repo_map.families)} families")
    for family in repo_map.families:
        out.append("")
        if family.decided:
            out.append(f"{bullet}family of {code(family.canonical)} (canonical: {family.why})")
        else:
            out.append(
                f"{bullet}family of {code(family.canonical)} (no copy to keep can be chosen:"
                f" {family.why}; choose one)"
            )
        for c in family.copies:
            if c.name == family.canonical:
                mark = "canonical" if family.decided else "undecided"
            elif c.replaceable:
                mark = "copy"
            elif c.similarity >= round(100 * DRIFT_THRESHOLD):
                mark = "drifted copy"
            else:
                mark = "contains copied definitions"
            out.append(
                f"{bullet}  {code(c.relpath)}: {mark}, {c.lines} lines, {c.definitions} "
                f"definitions, {c.shared_definitions}% shared definitions, "
                f"{c.shared_names}% shared names, {c.similarity}% similar code, "
                f"{len(c.importers)} importers"
            )
            if c.name == family.canonical:
                continue
            renamed = [f"{code(a)} -> {code(b)}" for a, b in c.renamed]
            for label, names in (
                ("shared", [code(n) for n in c.shared]),
                ("renamed", renamed),
                ("only here", [code(n) for n in c.only_here]),
                ("only in the canonical copy", [code(n) for n in c.only_canonical]),
            ):
                if names:
                    out.append(f"{bullet}    {label}: {', '.join(names)}")
        split = ", ".join(f"{code(n)} {k} ({p}%)" for n, k, p in family.split())
        out.append(f"{bullet}  importers: {split}")
    out.append("")
    out.append(f"{h}Import cycles: {len(repo_map.cycles)}")
    for cycle in repo_map.cycles:
        out.append(f"{bullet}{code(' -> '.join(cycle.path))}")
    out.append("")
    out.append(f"{h}Unused modules: {len(repo_map.unused)}")
    for _, relpath in repo_map.unused:
        out.append(f"{bullet}{code(relpath)}")
    out.append("")
    dead = len(repo_map.dead_directories) + len(repo_map.dead_files)
    # Every section says its count, so an empty one reads as "none", not as cut off.
    out.append(f"{h}Dead copies: {dead}")
    for directory in repo_map.dead_directories:
        out.append(f"{bullet}{code(directory + '/')}")
    for relpath in repo_map.dead_files:
        out.append(f"{bullet}{code(relpath)}")
    if repo_map.dead_directories:
        entries = ", ".join(json.dumps(d) for d in repo_map.dead_directories)
        out.append(f"{bullet}hide them: {code(f'extend-exclude = [{entries}]')}")
    suggested = repo_map.deprecated_imports()
    out.append("")
    if suggested:
        out.append(
            f"{h}Suggested migration map: {len(suggested)} "
            f"{'entry' if len(suggested) == 1 else 'entries'} (debt-lints map --write-config)"
        )
    else:
        out.append(f"{h}Suggested migration map: 0 (no live copy has a copy to keep)")
    for old, new in sorted(suggested.items()):
        out.append(f"{bullet}{code(f'{json.dumps(old)} = {json.dumps(new)}')}")
    return "\n".join(printable(line) for line in out) + "\n"


# --- --write-config ----------------------------------------------------------------


def write_config(path: Path, entries: Mapping[str, str]) -> list[str]:
    """Add ``entries`` to ``deprecated-imports`` in ``path``; the keys added, in order.

    Existing entries, comments and formatting are kept (tomlkit). The new
    text is validated as a debt-lints configuration before it replaces the
    file atomically; a file that already maps a module keeps its mapping.
    """
    from debt_lints.config import MAX_CONFIG_SIZE, ConfigError, display_path, read_guarded
    from debt_lints.core.atomic import atomic_write_text

    try:
        # Guarded as every configuration read: a FIFO or /dev/zero is refused unread.
        raw = read_guarded(path, MAX_CONFIG_SIZE, "the configuration")
    except FileNotFoundError:
        raw = b""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{display_path(path)}: cannot update: not UTF-8 ({exc.reason})"
        ) from None
    try:
        added, new_text = _edited(text, entries)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        # tomlkit cannot edit every valid file (``debt-lints = {...}`` inline
        # under ``[tool]``, arrays nested past its limit): say so, touch nothing.
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ConfigError(
            f"{display_path(path)}: cannot update the file automatically ({reason}); "
            "add the suggested deprecated-imports by hand"
        ) from None
    if not added:
        return []
    _validate(new_text, path)
    atomic_write_text(path, new_text)
    return added


def _edited(text: str, entries: Mapping[str, str]) -> tuple[list[str], str]:
    """The keys of ``entries`` added to ``text``'s ``deprecated-imports``, and the new text."""
    import tomlkit
    from tomlkit.items import InlineTable

    document = tomlkit.parse(text)
    tool = document.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        document["tool"] = tool
    table = tool.get("debt-lints")
    if table is None:
        table = tomlkit.table()
        tool["debt-lints"] = table
    current = table.get("deprecated-imports")
    missing = sorted(old for old in entries if current is None or old not in current)
    if not missing:
        return [], text
    if current is None or isinstance(current, InlineTable):
        # A map grows to thousands of entries: one a line, in a table of its
        # own, never an ever longer inline table (its entries are kept).
        sub = tomlkit.table()
        for old, new in (current or {}).items():
            sub[old] = new
        for old in missing:
            sub[old] = entries[old]
        sub.add(tomlkit.nl())
        table["deprecated-imports"] = sub
    else:
        for old in missing:
            current[old] = entries[old]
    return missing, tomlkit.dumps(document)


def _validate(text: str, path: Path) -> None:
    """Refuse to write a file the configuration loader would reject (raises ConfigError)."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    from debt_lints.config import ConfigError, _from_table, display_path

    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # pragma: no cover - tomlkit writes valid TOML
        raise ConfigError(
            f"{display_path(path)}: the updated file would not parse: {exc}"
        ) from None
    tool = data.get("tool", {})
    table = tool.get("debt-lints", {}) if isinstance(tool, dict) else {}
    _from_table(table, path, path.parent)
