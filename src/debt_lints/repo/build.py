"""Build the :class:`~debt_lints.analysis.repograph.Repository` of a project from its facts.

Every Python file under the project root (excludes applied) is a module. Its
facts come from this run's walk or the cache when the run has them, and are
otherwise read from disk by the project index (parsed, never imported). Its
imports are resolved through the import roots by
:meth:`debt_lints.index.Project.resolve_import`. Entry points come from the
facts (``__main__`` blocks), file names, every ``pyproject.toml`` of the
project and the YAML files of the project (``module:function``, dotted
module names and ``*.py`` paths in their text).

Nothing here depends on the order in which files are given.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.analysis.repograph import ImportEdge, Module, Repository, Shapes

if TYPE_CHECKING:
    from debt_lints.index import ModuleFacts, Project

#: A reference to a module in configuration: ``pkg.mod:func`` / ``pkg.mod``.
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?=[:\s\"',\]}]|$)", re.M)
_ENTRY = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*:\s*[A-Za-z_]\w*")
#: A path to a Python file in configuration (``script_path: agents/x.py``).
_PY_PATH = re.compile(r"[\w./\\-]+\.py\b")
_WORD = re.compile(r"[A-Za-z_]\w*")
#: Files larger than this are not read (the engine's default size limit).
_MAX_TEXT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    """What the builder needs about one Python file."""

    facts: ModuleFacts | None
    #: Definitions, signature...; ``None`` when shapes were not collected.
    shapes: Shapes | None = None
    #: Dotted names the file's string literals spell.
    references: tuple[str, ...] = ()


def build(
    project: Project,
    python_files: Iterable[str],
    config_files: Iterable[str],
    facts_of: Callable[[str], FileFacts],
) -> Repository:
    """The repository over ``python_files`` (root-relative paths).

    ``facts_of(relpath)`` gives a file's facts (and shapes when wanted);
    ``config_files`` are YAML and ``pyproject.toml`` files to scan for
    entry points.
    """
    files = sorted(set(python_files))
    gathered = {relpath: facts_of(relpath) for relpath in files}
    names: dict[str, str] = {}
    #: Every dotted name that reaches a module -> the name it is shown by.
    aliases: dict[str, str] = {}
    # Files that their names really reach come first: a package wins over a sibling
    # module of the same name (``pkg/__init__.py`` over ``pkg.py``), as in Python,
    # whatever the order of the paths; a file no import reaches takes a name left free.
    reached = {relpath: module_names_reaching(project, relpath) for relpath in files}
    for real in (True, False):
        for relpath in files:
            reaching, really = reached[relpath]
            if really is real and reaching and reaching[0] not in aliases:
                names[relpath] = reaching[0]
                for alias in reaching:
                    aliases.setdefault(alias, reaching[0])
    config_files = sorted(set(config_files))
    referenced = _referenced(project.root, config_files, aliases, names)
    #: ``(module, attribute)`` that strings name (``"pkg.tags.local.LocalTagDB"``).
    named_classes: set[tuple[str, str]] = set()
    #: File name -> the modules of that name (a bare name joined to folders in code).
    by_base: dict[str, list[str]] = {}
    for relpath in names:
        by_base.setdefault(relpath.rpartition("/")[2], []).append(relpath)
    for relpath in files:
        own = names.get(relpath)
        for target, how in _string_references(
            relpath, gathered[relpath].references, aliases, names, by_base
        ):
            if target != own:
                referenced.setdefault(target, f"{how} in {relpath}")
        named_classes.update(_named_attributes(gathered[relpath].references, aliases))
        facts = gathered[relpath].facts
        if facts is not None and not facts.unparsable:
            for target in _sibling_imports(project, relpath, facts, names):
                if target != own:
                    referenced.setdefault(
                        target, f"imported by its bare name from its folder by {relpath}"
                    )
    for target, how in _alternatives(gathered, names, aliases, named_classes):
        referenced.setdefault(target, how)
    #: Folders whose packaging metadata says what the project publishes.
    packaging = {"."} | {
        path.rpartition("/")[0] or "."
        for path in [*files, *config_files]
        if path.rpartition("/")[2] in ("setup.py", "pyproject.toml")
    }
    publication = project.publication(packaging)
    modules: dict[str, Module] = {}
    edges: list[ImportEdge] = []
    unparsable_words: set[str] = set()
    for relpath, name in sorted(names.items(), key=lambda item: item[1]):
        found = gathered[relpath]
        facts = found.facts
        unparsable = facts is None or facts.unparsable
        shapes = found.shapes if found.shapes is not None else Shapes(0, ())
        entry = _entry_point(relpath, facts) or referenced.get(name)
        modules[name] = Module(
            name,
            relpath,
            shapes.lines,
            shapes.definitions,
            entry,
            unparsable,
            shapes.signature,
            shapes.generated,
            publication.ships(relpath),
            shim=not unparsable and facts is not None and facts.only_imports,
            shared=publication.shares(relpath),
        )
        if unparsable:
            unparsable_words.update(_words(project.root, relpath))
            continue
        assert facts is not None
        for fact in facts.imports:
            for target, alias in _targets(project, relpath, fact):
                imported = names.get(target)
                if imported is not None:
                    edges.append(
                        ImportEdge(
                            name, imported, fact.line, fact.column, fact.at_import_time, alias
                        )
                    )
    possibly = frozenset(n for n in modules if n.rpartition(".")[2] in unparsable_words)
    return Repository(modules, tuple(sorted(edges, key=_edge_key)), possibly)


def _edge_key(edge: ImportEdge) -> tuple[str, int, int, str]:
    return (edge.importer, edge.line, edge.column, edge.imported)


def module_names_reaching(project: Project, relpath: str) -> tuple[list[str], bool]:
    """The dotted names that reach ``relpath``, the one to show it by first.

    A name whose top package is a regular package (``debt_lints.adapters.cli`` under
    the ``src`` root) is shown before one through a namespace package
    (``src.debt_lints.adapters.cli`` under ``.``); otherwise import-root order decides.
    The flag is ``False`` when no import reaches the file (a module shadowed by a
    package of the same name, a file outside the import roots): the names are then
    the ones it would have.
    """
    from debt_lints.index import NAMESPACE

    reaching: list[tuple[bool, int, str]] = []
    for order, name in enumerate(project.names_of(relpath)):
        found = project.find_module(name)
        if found is None or found.relpath != relpath:
            continue
        top = project.find_module(name.partition(".")[0])
        reaching.append((top is not None and top.kind == NAMESPACE, order, name))
    if not reaching:
        fallback = project.names_of(relpath)
        return list(fallback[:1]), False
    return [name for _, _, name in sorted(reaching)], True


def _targets(project: Project, relpath: str, fact: object) -> list[tuple[str, str]]:
    """Files an import runs: the module itself, or the submodules a ``from`` names; each
    with the name the import binds to it when it renames it (``as``), else ``""``."""
    from debt_lints.index import ImportFact

    assert isinstance(fact, ImportFact)
    found = project.resolve_import(relpath, fact)
    if not found:
        return []
    if not fact.is_from:
        deepest = found[-1]
        return [(deepest.relpath, fact.asname or "")] if deepest.relpath else []
    base, subs = found[0], found[1:]
    renamed = {name: asname for name, asname in fact.names if asname and asname != name}
    out = [
        (sub.relpath, renamed.get(sub.name.rpartition(".")[2], "")) for sub in subs if sub.relpath
    ]
    sub_names = {sub.name.rpartition(".")[2] for sub in subs}
    if base.relpath and any(name == "*" or name not in sub_names for name, _ in fact.names):
        out.append((base.relpath, ""))
    return out


def _string_references(
    relpath: str,
    references: Iterable[str],
    aliases: Mapping[str, str],
    by_path: Mapping[str, str],
    by_base: Mapping[str, list[str]] | None = None,
) -> Iterable[tuple[str, str]]:
    """``(module, how)`` for each module a file's string literals name.

    A dotted name names the longest module it starts with (``pkg.mod.func``,
    ``pkg.mod.Class.method``: ``pkg.mod``), when that module's name has at least
    two parts (``"config.DEBUG"`` is too weak to name a top-level ``config``);
    a ``file:`` path names the file relative to the referring file's folder or
    to the root, and a bare file name that neither holds names every file of
    that name in the folders below the referring file's
    (``os.path.join(here, "fixtures", "spew.py")``: the folders are other
    strings); a ``prefix:`` (a computed name passed to ``import_module``)
    names every module whose name starts with it.
    """
    from debt_lints.repo.shapes import FILE_PREFIX, PREFIX_PREFIX

    folder = relpath.rpartition("/")[0]
    for reference in references:
        if reference.startswith(FILE_PREFIX):
            path = reference[len(FILE_PREFIX) :]
            for candidate in (_join(folder, path), path):
                if candidate is not None and candidate in by_path:
                    yield by_path[candidate], "named by path"
                    break
            else:
                if "/" in path or by_base is None:
                    continue
                below = f"{folder}/" if folder else ""
                for candidate in by_base.get(path, ()):
                    if candidate.startswith(below):
                        yield by_path[candidate], "named by its file name below the folder"
        elif reference.startswith(PREFIX_PREFIX):
            start = reference[len(PREFIX_PREFIX) :]
            for alias, name in aliases.items():
                if alias.startswith(start) and alias != start.rstrip("."):
                    yield name, "imported by a computed name"
        else:
            parts = reference.partition(":")[0].split(".")
            for end in range(len(parts), 1, -1):
                target = aliases.get(".".join(parts[:end]))
                if target is not None:
                    yield target, "named in a string"
                    break


def _named_attributes(
    references: Iterable[str], aliases: Mapping[str, str]
) -> set[tuple[str, str]]:
    """``(module, attribute)`` for each dotted string naming a project module's attribute."""
    out: set[tuple[str, str]] = set()
    from debt_lints.repo.shapes import FILE_PREFIX, PREFIX_PREFIX

    for reference in references:
        if reference.startswith((FILE_PREFIX, PREFIX_PREFIX)):
            continue
        dotted, _, attribute = reference.partition(":")
        if attribute:  # ``pkg.mod:Class``
            target = aliases.get(dotted)
            if target is not None:
                out.add((target, attribute))
            continue
        parts = dotted.split(".")
        for end in range(len(parts) - 1, 1, -1):
            target = aliases.get(".".join(parts[:end]))
            if target is not None:
                out.add((target, parts[end]))
                break
    return out


def _alternatives(
    gathered: Mapping[str, FileFacts],
    names: Mapping[str, str],
    aliases: Mapping[str, str],
    named: set[tuple[str, str]],
) -> Iterable[tuple[str, str]]:
    """Modules defining another subclass of a project base class whose subclass a string
    names, in the same package: the alternatives a setting chooses from
    (``TAGDB = "pkg.tags.local.LocalTagDB"`` next to ``pkg.tags.redis.RedisTagDB``,
    both ``BaseTagDB``). A subclass in another package is not an alternative: a
    string naming one view must not make every view of the project used."""
    if not named:
        return
    by_name = {name: relpath for relpath, name in names.items()}
    #: base class -> (the named subclass, its package): alternatives sit next to it.
    bases: dict[str, tuple[str, str]] = {}
    for module, attribute in sorted(named):
        facts = gathered[by_name[module]].facts if module in by_name else None
        klass = facts.class_named(attribute) if facts is not None else None
        for base in klass.bases if klass is not None else ():
            if base.rpartition(".")[0] in aliases:  # a class of the project
                bases.setdefault(base, (f"{module}.{attribute}", module.rpartition(".")[0]))
    if not bases:
        return
    for relpath, found in gathered.items():
        facts = found.facts
        if facts is None or facts.unparsable or relpath not in names:
            continue
        package = names[relpath].rpartition(".")[0]
        for klass in facts.classes:
            chosen = next(
                (bases[b][0] for b in klass.bases if b in bases and bases[b][1] == package), None
            )
            if chosen is not None:
                yield names[relpath], f"an alternative to {chosen} (a subclass of the same base)"
                break


def _join(folder: str, path: str) -> str | None:
    """``folder/path`` with ``..`` resolved; ``None`` when it leaves the root."""
    parts: list[str] = [p for p in folder.split("/") if p]
    for part in path.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _sibling_imports(
    project: Project, relpath: str, facts: ModuleFacts, by_path: Mapping[str, str]
) -> Iterable[str]:
    """Modules of ``relpath``'s folder that an absolute import reaches by their bare name.

    ``from xyzzy import plugh`` that no import root resolves, next to
    ``xyzzy.py``: the file runs with its folder on ``sys.path`` (a script, a
    Sphinx extension of a documentation folder, Python 2's implicit relative
    imports), so the import reaches the sibling. A standard-library name is not
    followed.
    """
    folder = relpath.rpartition("/")[0]
    for fact in facts.imports:
        if fact.level or not fact.module:
            continue
        head = fact.module.partition(".")[0]
        if head in sys.stdlib_module_names:
            continue  # ``import json`` next to a ``json.py``: the standard library's, mostly
        sibling = f"{folder}/{head}" if folder else head
        for candidate in (f"{sibling}.py", f"{sibling}/__init__.py"):
            if candidate in by_path and candidate != relpath:
                if not project.resolve_import(relpath, fact):
                    yield by_path[candidate]
                break


#: Top-level names of a Sphinx configuration (``conf.py``).
_SPHINX_NAMES = frozenset(
    {"extensions", "master_doc", "root_doc", "html_theme", "templates_path", "source_suffix"}
)


def _tool_file(filename: str, facts: ModuleFacts) -> str | None:
    """Why a tool runs this file by its name or path (``None``: nothing says so)."""
    defined = set(facts.definitions)
    if filename == "setup.py":
        return "setup.py (run by pip and setuptools)"
    if filename in ("noxfile.py", "fabfile.py", "dodo.py"):
        return f"{filename} (run by its task runner)"
    if filename == "conf.py" and defined & _SPHINX_NAMES:
        return "Sphinx configuration (conf.py)"
    if filename == "env.py" and any(i.module.startswith("alembic") for i in facts.imports):
        return "Alembic environment (env.py)"
    if {"revision", "down_revision"} <= defined:
        return "Alembic migration (revision, down_revision)"
    for function in facts.functions:
        if function.name == "plugin" and len(function.params) == 1:
            return "mypy plugin (def plugin(version))"
    return None


def _entry_point(relpath: str, facts: ModuleFacts | None) -> str | None:
    filename = relpath.rpartition("/")[2]
    if filename == "__init__.py":
        return "package __init__"
    if filename == "__main__.py":
        return "__main__.py"
    if filename == "conftest.py" or (
        filename.endswith(".py") and (filename.startswith("test_") or filename.endswith("_test.py"))
    ):
        return "test file"
    if facts is not None and facts.main_guard:
        return "__main__ block"
    if facts is not None and facts.script:
        return "script (a shebang or top-level code)"
    if facts is not None:
        return _tool_file(filename, facts)
    return None


def _referenced(
    root: Path,
    config_files: list[str],
    aliases: Mapping[str, str],
    names: Mapping[str, str],
) -> dict[str, str]:
    """Modules named by configuration: shown module name -> where.

    ``aliases`` maps every dotted name of a module to the name it is shown
    by; ``names`` each module's file to that name.
    """
    out: dict[str, str] = {}
    for relpath in config_files:
        text = read_text(root, relpath)
        if text is None:
            continue
        if relpath.rpartition("/")[2] == "pyproject.toml":
            for name in _pyproject_entry_points(text):
                if name in aliases:
                    out.setdefault(aliases[name], f"entry point in {relpath}")
            continue
        where = f"named in {relpath}"
        for match in _ENTRY.finditer(text):
            if match.group(1) in aliases:
                out.setdefault(aliases[match.group(1)], where)
        for match in _DOTTED.finditer(text):
            if match.group() in aliases:
                out.setdefault(aliases[match.group()], where)
        for match in _PY_PATH.finditer(text):
            path = match.group().replace("\\", "/").lstrip("./")
            for module_path, name in names.items():
                if module_path == path or module_path.endswith("/" + path):
                    out.setdefault(name, where)
    return out


def _pyproject_entry_points(text: str) -> list[str]:
    """Modules of ``[project.scripts]``, ``gui-scripts``, ``entry-points`` and poetry's scripts."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError):
        return []  # the configuration's own loader reports a broken pyproject.toml
    values: list[object] = []
    project = data.get("project")
    if isinstance(project, dict):
        for key in ("scripts", "gui-scripts"):
            table = project.get(key)
            if isinstance(table, dict):
                values.extend(table.values())
        groups = project.get("entry-points")
        if isinstance(groups, dict):
            for table in groups.values():
                if isinstance(table, dict):
                    values.extend(table.values())
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    scripts = poetry.get("scripts") if isinstance(poetry, dict) else None
    if isinstance(scripts, dict):
        for value in scripts.values():
            values.append(value.get("reference") if isinstance(value, dict) else value)
    out: list[str] = []
    for value in values:
        if isinstance(value, str):
            out.append(value.partition(":")[0].strip().partition(" ")[0])
    return out


def read_text(root: Path, relpath: str, *, python: bool = False) -> str | None:
    """A file's text, read without following links out of the root; ``None`` if it cannot be."""
    from debt_lints.core import safefs
    from debt_lints.core.source import SourceProblem, decode_python, decode_text

    directory, _, name = relpath.rpartition("/")
    parts = [p for p in directory.split("/") if p]
    try:
        with safefs.open_chain(root, parts, create=False, heal=False) as where:
            data = where.read_regular(name, _MAX_TEXT_BYTES)
    except (OSError, ValueError):
        return None
    if data is None:
        return None
    text = decode_python(data) if python else decode_text(data)
    if isinstance(text, SourceProblem):
        return data.decode("utf-8", "replace") if python else None
    return text


def _words(root: Path, relpath: str) -> set[str]:
    """The identifiers in an unparsable file's text (the modules it might import)."""
    text = read_text(root, relpath, python=True)
    return set(_WORD.findall(text)) if text is not None else set()
