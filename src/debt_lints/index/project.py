"""The project phase: questions about the whole repository, answered from per-file facts.

A :class:`Project` knows the configuration root, the import roots and the
facts of the files checked in this run. Facts of any other file are read on
demand, from disk, by the same extraction the walk uses (parsed, never
imported or executed), and memoised for the run; so the CLI, which has
every checked file's facts already, and a host plugin, which sees one file at
a time, answer every question the same way.
"""

from __future__ import annotations

import ast
import builtins
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.index.facts import UNPARSABLE, ImportFact, ModuleFacts
from debt_lints.index.roots import MODULE, Found, ModuleFinder, module_names

if TYPE_CHECKING:
    from debt_lints.analysis.callers import NameUse
    from debt_lints.analysis.context import FileContext
    from debt_lints.analysis.packaging import Publication

_Parsed = tuple[ast.Module, "FileContext"]
_BUILTINS = frozenset(dir(builtins))
#: How many re-exports a base class name is followed through.
_MAX_REEXPORTS = 8

#: How many files :meth:`Project.loopback_listeners` reads around one file at most.
_MAX_NEAR_FILES = 5000

#: The key prefix of a script argument's same-value group in a listener table.
_SAME_VALUE = "="

#: How many Python files :meth:`Project.runs_once_at_start` searches for a name at most
#: (a larger repository: "cannot tell").
_MAX_SEARCHED_FILES = 20000
#: How many callers deep :meth:`Project.runs_once_at_start` follows a function's uses.
_MAX_CALLER_DEPTH = 6
#: Folders never searched for uses: an environment's installed packages, not the project.
_FOREIGN_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages"})


def _connected(links: Mapping[str, set[str]], start: str) -> set[str]:
    """Everything ``links`` joins to ``start``, itself included."""
    group = {start}
    stack = [start]
    while stack:
        for other in links.get(stack.pop(), ()):
            if other not in group:
                group.add(other)
                stack.append(other)
    return group


#: Files larger than this are not read for facts (the engine's default limit).
DEFAULT_MAX_SIZE = 10 * 1024 * 1024


class Project:
    """Module names, module lookup and per-module queries over one repository."""

    def __init__(
        self,
        root: Path,
        roots: Sequence[str],
        facts: Mapping[str, ModuleFacts] | None = None,
        *,
        max_file_size: int | None = None,
    ) -> None:
        self.root = root
        self.roots = tuple(roots)
        self.finder = ModuleFinder(root, self.roots)
        self.max_file_size = max_file_size or DEFAULT_MAX_SIZE
        self._facts: dict[str, ModuleFacts] = dict(facts or {})
        self._raw: dict[str, object] = {}
        self._listed_at = float("-inf")
        #: ``base_classes`` answers, until facts change.
        self._bases: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], bool]] = {}
        #: Files read on demand: their stat key when read, their facts, tree and context.
        self._disk: dict[
            str, tuple[tuple[int, int, int] | None, ModuleFacts | None, _Parsed | None]
        ] = {}
        #: :meth:`publication` answers, per set of folders.
        self._publications: dict[tuple[str, ...], Publication] = {}
        self._declared: frozenset[str] | None = None
        #: :meth:`loopback_listeners` tables: top-level folder -> source -> files.
        self._listeners: dict[str, dict[str, list[str]]] = {}
        #: :meth:`runs_once_at_start` answers, and the files that mention a name.
        self._at_start: dict[tuple[str, str], bool] = {}
        #: Whether the answer being worked out met a cycle or the depth limit.
        self._cut = False
        self._mentions: dict[str, tuple[str, ...] | None] = {}
        self._entry_points: frozenset[tuple[str, str]] | None = None
        #: How many files were parsed on demand (for benchmarks and tests).
        self.loaded_from_disk = 0

    def refresh(self, max_age: float = 1.0) -> None:
        """Forget directory listings older than ``max_age`` seconds (files come and go).

        A long-lived session (a language server) calls it before each file;
        a host run over many files re-lists at most once a second. Facts read
        from disk are kept, and re-read when their file changed.
        """
        import time

        now = time.monotonic()
        if now - self._listed_at < max_age:
            return
        self._listed_at = now
        self.finder = ModuleFinder(self.root, self.roots)
        self._bases.clear()
        self._publications.clear()
        self._listeners.clear()
        self._forget_uses()
        self._entry_points = None

    # --- facts ---------------------------------------------------------------------------

    def add(self, relpath: str, facts: ModuleFacts) -> None:
        """Facts of a file, as this run's walk (or the cache) produced them."""
        # A memoised answer can only depend on a file that was read before.
        if (relpath in self._facts or relpath in self._disk) and self._facts.get(relpath) != facts:
            self._bases.clear()
        self._facts[relpath] = facts
        self._raw.pop(relpath, None)
        self._listeners.clear()

    def forget(self, relpath: str) -> None:
        """Drop the facts this run has of ``relpath``: the next question reads the file again."""
        self._facts.pop(relpath, None)
        self._raw.pop(relpath, None)
        self._disk.pop(relpath, None)
        self._bases.clear()
        self._listeners.clear()
        self._forget_uses()

    def add_raw(self, relpath: str, raw: object) -> None:
        """Facts of a file in their JSON form, decoded only if a question needs them.

        A run holds every file's summary anyway; decoding all of them would
        double that memory for the few files a question reaches.
        """
        self._raw[relpath] = raw
        self._facts.pop(relpath, None)
        self._bases.clear()
        self._listeners.clear()

    def known(self) -> Iterable[tuple[str, ModuleFacts]]:
        """Every file whose facts this run knows (decoding any still in JSON form)."""
        for relpath in list(self._raw):
            self.facts(relpath)
        yield from self._facts.items()

    def facts(self, relpath: str) -> ModuleFacts | None:
        """The facts of the file ``relpath``; read from disk when this run has none.

        ``None`` when the file does not exist below the root (or only through
        a symbolic link), cannot be read, or is too large. A file that does
        not parse has :data:`~debt_lints.index.facts.UNPARSABLE` facts.
        """
        if relpath in self._facts:
            return self._facts[relpath]  # from this run's walk or the cache
        if relpath in self._raw:
            decoded = ModuleFacts.from_json(self._raw.pop(relpath))
            if decoded is not None:
                self._facts[relpath] = decoded
                return decoded
        return self._from_disk(relpath)[0]

    def parsed(self, relpath: str) -> _Parsed | None:
        """The file's tree and a context that knows its imports and parents (read on demand)."""
        return self._from_disk(relpath)[1]

    def _from_disk(self, relpath: str) -> tuple[ModuleFacts | None, _Parsed | None]:
        stat = self._stat(relpath)
        entry = self._disk.get(relpath)
        if entry is None or entry[0] != stat:  # never read, or changed since
            entry = self._disk[relpath] = (stat, *self._read(relpath))
        return entry[1], entry[2]

    def _stat(self, relpath: str) -> tuple[int, int, int] | None:
        try:
            info = os.lstat(self.root / relpath)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns, info.st_ino)

    def _read(self, relpath: str) -> tuple[ModuleFacts | None, _Parsed | None]:
        if not self.finder.is_file(relpath):
            return None, None
        from debt_lints.core import safefs
        from debt_lints.core.source import SourceProblem, decode_python
        from debt_lints.index.extract import parse_for_project

        directory, _, name = relpath.rpartition("/")
        parts = [p for p in directory.split("/") if p] if directory else []
        try:
            with safefs.open_chain(self.root, parts, create=False, heal=False) as where:
                data = where.read_regular(name, self.max_file_size)
        except (OSError, safefs.NotConfined):
            return None, None
        if data is None:
            return None, None
        self.loaded_from_disk += 1
        text = decode_python(data)
        if isinstance(text, SourceProblem):
            return UNPARSABLE, None
        return parse_for_project(text, str(self.root / relpath), relpath)

    # --- the project's own loopback listeners ---------------------------------------------

    def loopback_listeners(self, relpath: str, sources: Sequence[str]) -> tuple[str, ...]:
        """The files near ``relpath`` whose own loopback listeners take their port from
        one of ``sources`` (see :class:`~debt_lints.analysis.context.ProjectView`).

        Near: the tree of the file's top-level folder, hidden folders left out (a
        file at the root: the root's own files). The same files are read whatever
        the run checked, so a host that sees one file answers as the CLI does.
        """
        top = relpath.split("/", 1)[0] if "/" in relpath else "."
        table = self._listeners.get(top)
        if table is None:
            table = self._listeners[top] = self._listener_table(top)
        found: dict[str, None] = {}
        for source in sources:
            kind, _, key = source.partition(":")
            wanted = [source]
            if kind == "argv":  # the values the project's own command lines give it too
                wanted += table.get(f"{_SAME_VALUE}{source}", ())
            if kind == "config" and "/" in key:
                wanted.append(f"config:{key.split('/', 1)[1]}")  # written with no section
            for want in wanted:
                for other in table.get(want, ()):
                    if other != relpath:
                        found[other] = None
            if kind == "config" and "/" not in key:
                for listed, files in table.items():
                    if listed.startswith("config:") and listed.endswith(f"/{key}"):
                        found.update((f, None) for f in files if f != relpath)
        return tuple(sorted(found))

    def calls_from_own_state(self, relpath: str, name: str, position: int, keyword: str) -> bool:
        """Whether the project calls the module-level function or class ``name`` of
        ``relpath``, and every use of it is a call that hands its parameter
        (``position``-th argument, ``-1`` keyword only, or ``keyword=``) a value read
        back from a file the caller's own file writes with this machine's pid or own
        port (see :class:`~debt_lints.analysis.context.ProjectView`)."""
        files = self._files_mentioning(name)
        modules = self.names_of(relpath)
        if not files or not modules:
            return False
        from debt_lints.analysis.own_state import calls_from_own_state
        from debt_lints.analysis.semantic import model_for

        qualified = frozenset(f"{module}.{name}" for module in modules)
        called = False
        for path in files:
            parsed = self.parsed(path)
            if parsed is None:
                return False  # it may call it: unknown
            tree, ctx = parsed
            found = calls_from_own_state(
                model_for(tree, ctx),
                qualified,
                name if path == relpath else None,
                position,
                keyword,
            )
            if found is False:
                return False
            called = called or found is True
        return called

    def _listener_table(self, top: str) -> dict[str, list[str]]:
        """Source -> the files whose loopback listeners take their port from it; and,
        under :data:`_SAME_VALUE`, a script's argument -> the other scripts' arguments
        the project's command lines give the same value (the files' launch links,
        joined: ``run_daemon.py $PORT``, ``daemon_build.py $PORT`` and
        ``Popen([.., "daemon.py"] + sys.argv[1:])`` in ``run_daemon.py``)."""
        table: dict[str, list[str]] = {}
        links: dict[str, set[str]] = {}
        stack = [top]
        budget = _MAX_NEAR_FILES
        while stack and budget > 0:
            directory = stack.pop()
            entries = self.finder.listing(directory)
            for name, is_dir in sorted((entries or {}).items()):
                path = name if directory == "." else f"{directory}/{name}"
                if is_dir:
                    if directory != "." and not name.startswith(".") and name != "__pycache__":
                        stack.append(path)
                elif name.endswith(".py") and budget > 0:
                    budget -= 1
                    facts = self.facts(path)
                    for source in facts.loopback_ports if facts is not None else ():
                        table.setdefault(source, []).append(path)
                    for a, b in facts.launch_links if facts is not None else ():
                        links.setdefault(a, set()).add(b)
                        links.setdefault(b, set()).add(a)
        for start in list(links):
            if start.startswith("argv:") and f"{_SAME_VALUE}{start}" not in table:
                group = _connected(links, start)
                argvs = sorted(g for g in group if g.startswith("argv:"))
                for member in argvs:
                    table[f"{_SAME_VALUE}{member}"] = argvs
        return table

    # --- functions that run once, when a program starts ------------------------------------

    def runs_once_at_start(self, relpath: str, qualname: str) -> bool:
        """Whether the function ``qualname`` (``f``, or ``C.f`` for a method) of
        ``relpath`` runs only while a program starts, once per process.

        It does when the packaging installs it as a program (a console or GUI
        script's target), when a framework calls it to start a process (a Django
        command's ``handle``), or when the repository uses it and every use is a
        direct call, outside loops, in such code: a ``__main__`` block, its own
        module's top-level code, or a function that itself runs once at start
        (followed through :data:`_MAX_CALLER_DEPTH` callers). Uses are found by
        name in every Python file of the repository
        (:func:`debt_lints.analysis.callers.name_uses`), except that ``self.name``
        in a method is matched by class (:meth:`_may_call`), whatever the run
        checked, so a host that sees one file answers as the CLI does. A function
        nothing in the repository uses is not one: it is API others may call at
        will. So is a dunder method, which Python calls (``__init__`` once per
        instance), and any function whose uses cannot all be read (a file that
        does not parse mentions it, or the repository is too large to search).
        """
        return self._runs_at_start(relpath, qualname, ())

    def _runs_at_start(
        self, relpath: str, qualname: str, seen: tuple[tuple[str, str], ...]
    ) -> bool:
        """:meth:`runs_once_at_start`, asked while following the callers ``seen``.

        A cycle back into ``seen`` or the depth limit answers no *for this
        question only* (:attr:`_cut`); every other answer holds for every
        question and is kept (so a function is judged once, whatever the order
        its uses are met in).
        """
        key = (relpath, qualname)
        known = self._at_start.get(key)
        if known is not None:
            return known
        if key in seen or len(seen) >= _MAX_CALLER_DEPTH:
            self._cut = True
            return False
        outer, self._cut = self._cut, False
        answer = self._all_uses_at_start(relpath, qualname, (*seen, key))
        if answer or not self._cut:
            self._at_start[key] = answer
        self._cut = self._cut or outer
        return answer

    def _all_uses_at_start(
        self, relpath: str, qualname: str, seen: tuple[tuple[str, str], ...]
    ) -> bool:
        from debt_lints.analysis.callers import (
            CALLER,
            IMPORT,
            PROGRAM,
            name_uses,
            started_by_framework,
        )

        if (relpath, qualname) in self._programs() or started_by_framework(relpath, qualname):
            return True
        name = qualname.rpartition(".")[2]
        if name.startswith("__"):
            return False
        files = self._files_mentioning(name)
        if files is None:
            return False
        used = False
        for path in files:
            parsed = self.parsed(path)
            if parsed is None:
                return False  # a use that cannot be read may be any use
            for use in name_uses(name, *parsed):
                if use.owner is not None and not self._may_call((relpath, qualname), use, path):
                    continue  # ``self.name`` of a class unrelated to the function's
                if use.kind == CALLER and (path, use.caller) == (relpath, qualname):
                    continue  # a call from its own body runs only while it runs
                used = True
                if use.kind == PROGRAM or (use.kind == IMPORT and path == relpath):
                    continue
                if (
                    use.kind == CALLER
                    and use.caller is not None
                    and self._runs_at_start(path, use.caller, seen)
                ):
                    continue
                return False
        return used

    def _may_call(self, target: tuple[str, str], use: NameUse, path: str) -> bool:
        """Whether ``use``, ``self.name`` (``cls.name``) or ``super().name`` in a method
        of the class ``use.owner`` of ``path``, may be the function ``target`` (file,
        qualified name).

        A module-level function never is: binding it to a class or an instance is
        a use of its own (``m = staticmethod(f)``, ``self.m = f``). ``self.name`` may
        be a method of the owner, of one of its project bases or of a project
        subclass (the instance may be one); ``super().name`` one of a project base
        only. It is none other when the owner (for ``super()``, one of its project
        bases) defines ``name`` with ``def``: the attribute is that method or an
        override. Otherwise (a mixin's ``self.name``, a name inherited from a base
        that cannot be followed) it may be any method of that name.
        """
        from debt_lints.analysis.callers import SUPER

        assert use.owner is not None
        owner = (path, use.owner)
        name = use.node.attr if isinstance(use.node, ast.Attribute) else ""
        target_path, qualname = target
        target_class = qualname.rpartition(".")[0]
        through_super = use.receiver == SUPER
        if not target_class or (through_super and (target_path, target_class) == owner):
            return False  # (``super()`` skips the owner's own methods)
        bases = self.base_classes(path, use.owner)[0]
        family = bases if through_super else (owner, *bases)
        if (target_path, target_class) in family or (
            not through_super and owner in self.base_classes(target_path, target_class)[0]
        ):
            return True
        for class_path, class_name in family:
            facts = self.facts(class_path)
            found = facts.class_named(class_name) if facts is not None else None
            if found is not None and name in found.methods:
                return False
        return True

    def _programs(self) -> frozenset[tuple[str, str]]:
        """``(file, qualified name)`` of the functions the root's packaging installs as
        programs, also where the module it names imports the function from another
        (followed through re-exports)."""
        if self._entry_points is None:
            from debt_lints.analysis.packaging import program_entry_points

            found = set()
            for module, attribute in program_entry_points(self.finder):
                target = self.file_of(module)
                if target is not None:
                    found.add((target, attribute))
                # ``pkg.__main__:main`` where ``__main__`` imports ``main`` from elsewhere
                origin = self._qualified(f"{module}.{attribute}", 0, _is_function)
                if origin is not None:
                    found.add(origin)
            self._entry_points = frozenset(found)
        return self._entry_points

    def _files_mentioning(self, name: str) -> tuple[str, ...] | None:
        """The Python files below the root whose text holds ``name`` as a word (hidden
        folders, caches and environments left out); ``None`` past :data:`_MAX_SEARCHED_FILES`."""
        if name in self._mentions:
            return self._mentions[name]
        import re

        word = re.compile(rb"(?<![\w])" + re.escape(name.encode()) + rb"(?![\w])")
        found: list[str] | None = []
        budget = _MAX_SEARCHED_FILES
        stack = ["."]
        while stack and found is not None:
            directory = stack.pop()
            entries = self.finder.listing(directory) or {}
            if directory != "." and "pyvenv.cfg" in entries:
                continue  # a virtual environment
            for entry, is_dir in sorted(entries.items()):
                path = entry if directory == "." else f"{directory}/{entry}"
                if is_dir:
                    if not entry.startswith(".") and entry not in _FOREIGN_FOLDERS:
                        stack.append(path)
                    continue
                if not entry.endswith((".py", ".pyw")):
                    continue
                budget -= 1
                if budget < 0:
                    found = None
                    break
                data = self._bytes(path)
                if data is not None and word.search(data):
                    found.append(path)
        result = tuple(found) if found is not None else None
        self._mentions[name] = result
        return result

    def _bytes(self, relpath: str) -> bytes | None:
        from debt_lints.core import safefs

        directory, _, name = relpath.rpartition("/")
        parts = [p for p in directory.split("/") if p] if directory else []
        try:
            with safefs.open_chain(self.root, parts, create=False, heal=False) as where:
                return where.read_regular(name, self.max_file_size)
        except (OSError, safefs.NotConfined):
            return None

    def _forget_uses(self) -> None:
        self._at_start.clear()
        self._mentions.clear()

    # --- what the project publishes -------------------------------------------------------

    def publication(self, folders: Iterable[str] = (".",)) -> Publication:
        """What the packaging metadata (``pyproject.toml``, ``setup.cfg``, ``setup.py``)
        of ``folders`` (root-relative; the root by default) ships, read as data
        (:mod:`debt_lints.analysis.packaging`). Memoised per set of folders."""
        from debt_lints.analysis.packaging import Publication, publication_of

        key = tuple(sorted(set(folders)))
        found = self._publications.get(key)
        if found is None:
            found = Publication()
            for folder in key:
                found = found.merged(publication_of(self.finder, folder))
            self._publications[key] = found
        return found

    def declares(self, module: str) -> bool:
        """Whether a distribution the project declares it needs provides ``module``, by
        name (the packaging metadata and requirement files of the root, read as data:
        :func:`debt_lints.analysis.packaging.declared_distributions`). Memoised."""
        from debt_lints.analysis.packaging import declared_distributions, provided_by

        if self._declared is None:
            self._declared = declared_distributions(self.finder)
        return provided_by(module, self._declared)

    def public_api(
        self,
        relpath: str,
        tests: Sequence[str] | None = None,
        folders: Iterable[str] = (".",),
    ) -> bool:
        """Whether ``relpath`` is a public module of a package the project publishes:
        shipped by its packaging metadata (:meth:`publication`), with no private
        component in its name (``_impl``, ``_vendor/``) and not test code (a
        ``tests`` glob, by default the ``test-files`` option's default, matches it).
        Code outside the repository may import it: its users are not all here."""
        from debt_lints.analysis.context import TEST_FILES, path_matches, private_part

        if tests is None:
            default = TEST_FILES.default
            assert isinstance(default, tuple)
            tests = default
        if not self.publication(folders).ships(relpath) or private_part(relpath):
            return False
        return not path_matches(relpath, tuple(tests))

    # --- names and lookup ------------------------------------------------------------------

    def names_of(self, relpath: str) -> tuple[str, ...]:
        """The dotted names of ``relpath``, one per import root that holds it, in root order."""
        return module_names(relpath, self.roots)

    def find_module(self, name: str) -> Found | None:
        """Where ``import name`` leads (module, package or namespace package), or ``None``."""
        return self.finder.find(name)

    def file_of(self, name: str) -> str | None:
        """The file ``import name`` runs (``None`` for a namespace package or no module)."""
        found = self.finder.find(name)
        return found.relpath if found is not None else None

    def module_facts(self, name: str) -> ModuleFacts | None:
        """The facts of the module ``name`` resolves to, if it is a project file."""
        relpath = self.file_of(name)
        return self.facts(relpath) if relpath is not None else None

    def package_of(self, relpath: str) -> str | None:
        """``__package__`` of the file, imported through the outermost root that holds it.

        The outermost root gives the longest name, so that a relative import
        that works in any way of running the file resolves.
        """
        names = self.names_of(relpath)
        if not names:
            return None
        name = max(names, key=lambda n: n.count("."))
        if relpath.endswith(("/__init__.py", "/__init__.pyi")) or relpath in {
            "__init__.py",
            "__init__.pyi",
        }:
            return name
        return name.rpartition(".")[0]

    def absolute(self, relpath: str, module: str, level: int) -> str | None:
        """The absolute name of ``module`` imported with ``level`` dots from ``relpath``.

        Resolved from the file's own package (``importlib``'s rule: level 1 is
        the package itself); ``None`` when the import climbs above the
        top-level package, which fails at run time.
        """
        if level <= 0:
            return module or None
        package = self.package_of(relpath)
        bits = package.split(".") if package else []
        if level > len(bits):
            return None
        base = bits[: len(bits) - (level - 1)]
        if module:
            base.append(module)
        return ".".join(base) or None

    def resolve_import(self, relpath: str, fact: ImportFact) -> tuple[Found, ...]:
        """The project modules an import in ``relpath`` reaches.

        ``import a.b`` reaches ``a`` and ``a.b``; ``from a import b, c``
        reaches ``a`` and, when they are modules, ``a.b`` and ``a.c``.
        Modules outside the project (installed packages, the standard
        library) are left out.
        """
        base = self.absolute(relpath, fact.module, fact.level)
        if base is None:
            return ()
        out: list[Found] = []
        if not fact.is_from:
            parts = base.split(".")
            for i in range(1, len(parts) + 1):
                found = self.finder.find(".".join(parts[:i]))
                if found is None:
                    break
                out.append(found)
            return tuple(out)
        found = self.finder.find(base)
        if found is None:
            return ()
        out.append(found)
        if found.search:
            for name, _ in fact.names:
                if name != "*":
                    sub = self.finder.find(f"{base}.{name}")
                    if sub is not None:
                        out.append(sub)
        return tuple(out)

    def import_edges(self, relpath: str) -> tuple[tuple[ImportFact, str], ...]:
        """``(import, file it runs)`` for every import of ``relpath`` that reaches a project file.

        One edge per module reached (``import a.b`` runs ``a/__init__.py`` and
        ``a/b.py``); namespace packages have no file and give no edge. The
        import graph that cycle and unused-module checks walk.
        """
        facts = self.facts(relpath)
        if facts is None:
            return ()
        out: list[tuple[ImportFact, str]] = []
        for fact in facts.imports:
            for found in self.resolve_import(relpath, fact):
                if found.relpath is not None and found.relpath != relpath:
                    out.append((fact, found.relpath))
        return tuple(out)

    # --- what a module provides --------------------------------------------------------------

    def defined_names(self, name: str) -> frozenset[str] | None:
        """Every name ``from name import X`` can take from the module's own namespace.

        Its top-level definitions, the names its top-level imports bind, and
        what its star imports bring (followed through project modules).
        ``None`` when that cannot be known: the module is not a project file,
        does not parse, or star-imports a module the index cannot read.
        """
        return self._star_names(name, public=False)

    def exported_names(self, name: str) -> frozenset[str] | None:
        """What ``from name import *`` binds: a static ``__all__``, else the public names."""
        return self._star_names(name, public=True)

    def _star_names(self, top: str, *, public: bool) -> frozenset[str] | None:
        """:meth:`defined_names` (or :meth:`exported_names`), following star imports.

        Iterative, with an explicit stack: a committed chain of a thousand
        modules each star-importing the next must not exhaust the interpreter's
        recursion limit. ``None`` anywhere in the chain makes the answer ``None``.
        """
        seen: set[str] = set()
        stack: list[tuple[set[str], list[str | None], bool]] = []
        pushed, value = self._open_star(top, public, seen, stack)
        while stack:
            names, sources, public_names = stack[-1]
            if not pushed:
                if value is None:
                    return None
                names |= value  # the answer of the module the top frame star-imports
            if not sources:
                stack.pop()
                pushed = False
                value = frozenset(n for n in names if not (public_names and n.startswith("_")))
            else:
                source = sources.pop()
                if not source:
                    return None
                pushed, value = self._open_star(source, True, seen, stack)
        return value

    def _open_star(
        self,
        name: str,
        public: bool,
        seen: set[str],
        stack: list[tuple[set[str], list[str | None], bool]],
    ) -> tuple[bool, frozenset[str] | None]:
        """Either the names of ``name`` at once (``False, names``), or its frame pushed."""
        if public:
            facts = self.module_facts(name)
            if facts is not None and facts.dunder_all is not None:
                return False, None if facts.dunder_all_dynamic else frozenset(facts.dunder_all)
        if name in seen:
            return False, frozenset()  # an import cycle adds nothing new
        seen.add(name)
        relpath = self.file_of(name)
        found = self.facts(relpath) if relpath is not None else None
        if found is None or found.unparsable or relpath is None:
            return False, None
        names = set(found.definitions) | set(found.imported_names())
        # Reversed: popped from the end, the star imports are followed in order.
        sources = [self.absolute(relpath, s.module, s.level) for s in found.star_imports()]
        stack.append((names, sources[::-1], public))
        return True, None

    def provides(self, name: str, attribute: str) -> bool | None:
        """Whether ``from name import attribute`` works: a defined name or a submodule.

        ``None`` when the index cannot tell (see :meth:`defined_names`).
        """
        found = self.finder.find(name)
        if found is None:
            return None
        if found.search and self.finder.find(f"{name}.{attribute}") is not None:
            return True
        if found.relpath is None:
            return False  # a namespace package has no names of its own
        defined = self.defined_names(name)
        if defined is None:
            return None
        return attribute in defined

    def dunder_all(self, name: str) -> tuple[str, ...] | None:
        """The module's literal ``__all__`` (``None``: none, dynamic, or not a project file)."""
        facts = self.module_facts(name)
        if facts is None or facts.dunder_all is None or facts.dunder_all_dynamic:
            return None
        return facts.dunder_all

    def is_pure_reexport(self, name: str) -> bool:
        """The module only imports (and re-exports) names: a shim, safe to point elsewhere.

        Its top level holds imports, ``__all__``, a docstring, ``warnings.warn``
        calls and ``pass``, nothing else (see
        :attr:`~debt_lints.index.facts.ModuleFacts.only_imports`).
        """
        facts = self.module_facts(name)
        return facts is not None and not facts.unparsable and facts.only_imports

    def reexported_from(self, name: str) -> tuple[str, ...]:
        """The absolute names of the modules the module's top-level imports read from."""
        relpath = self.file_of(name)
        facts = self.facts(relpath) if relpath is not None else None
        if facts is None or relpath is None:
            return ()
        out: dict[str, None] = {}
        for fact in facts.top_level_imports():
            source = self.absolute(relpath, fact.module, fact.level)
            if source:
                out.setdefault(source, None)
        return tuple(out)

    def origin(self, module: str, attribute: str) -> tuple[str, str] | None:
        """Where the object ``from module import attribute`` gives is defined.

        Followed through the project's re-exports (``from x import a as b``,
        plain imports, star imports) to ``(relpath, name)`` of the module
        that defines it; ``("module", dotted)`` for a submodule or a module
        bound by ``import``; ``("", "pkg.mod.name")`` for a name taken from
        a module outside the project (the same text is the same object).
        ``None`` when it cannot be told (no such name, a file that does not
        parse, a namespace package, too many hops). Two names with the same
        origin are the same object; two with different origins are not
        known to be.
        """
        return self._origin(module, attribute, 0)

    def _origin(self, module: str, attribute: str, depth: int) -> tuple[str, str] | None:
        if depth > _MAX_REEXPORTS:
            return None
        found = self.finder.find(module)
        if found is None:
            return ("", f"{module}.{attribute}")
        facts = self.facts(found.relpath) if found.relpath is not None else None
        if facts is not None and facts.unparsable:
            return None
        if facts is not None and found.relpath is not None:
            if attribute in facts.definitions:
                return (found.relpath, attribute)
            for fact in facts.top_level_imports():
                if not fact.is_from:
                    if fact.asname == attribute:
                        return ("module", fact.module)
                    if fact.asname is None and fact.module.partition(".")[0] == attribute:
                        return ("module", attribute)
                    continue
                for name, asname in fact.names:
                    if name != "*" and (asname or name) == attribute:
                        source = self.absolute(found.relpath, fact.module, fact.level)
                        if not source:
                            return None
                        return self._origin(source, name, depth + 1)
        if found.search and self.finder.find(f"{module}.{attribute}") is not None:
            return ("module", f"{module}.{attribute}")
        if facts is None or found.relpath is None:
            return None
        for star in facts.star_imports():
            source = self.absolute(found.relpath, star.module, star.level)
            if source and self.provides(source, attribute):
                return self._origin(source, attribute, depth + 1)
        return None

    def imports_at_import_time(self, module: str, target: str) -> bool | None:
        """Whether importing ``module`` imports ``target`` (directly or through others).

        The import-time graph of DL601 (imports in functions, under
        ``TYPE_CHECKING`` or only under ``if __name__ == "__main__":`` are
        not edges), walked from ``module``'s file. ``None`` when either is
        not a project file.
        """
        start, goal = self.file_of(module), self.file_of(target)
        if start is None or goal is None:
            return None
        seen = {start}
        queue = [start]
        while queue:
            current = queue.pop()
            for fact, reached in self.import_edges(current):
                if not fact.at_import_time or reached in seen:
                    continue
                if reached == goal:
                    return True
                seen.add(reached)
                queue.append(reached)
        return False

    def is_module(self, name: str) -> bool:
        """``name`` is a plain module (a ``.py`` file, not a package)."""
        found = self.finder.find(name)
        return found is not None and found.kind == MODULE

    # --- classes -----------------------------------------------------------------------------

    def base_classes(self, relpath: str, name: str) -> tuple[tuple[tuple[str, str], ...], bool]:
        """The project classes the class ``name`` of ``relpath`` inherits from, nearest first.

        Every base is followed through any module of the project (re-exports
        included) and a cycle of bases ends the walk. The flag is ``False``
        when some base cannot be followed to a project class: an installed
        package, a file that does not parse or is missing, a computed base.
        Standard-library and builtin bases are left out and keep the flag.
        """
        memo = self._bases.get((relpath, name))
        if memo is not None:
            return memo
        answer = self._base_classes(relpath, name)
        self._bases[(relpath, name)] = answer
        return answer

    def _base_classes(self, relpath: str, name: str) -> tuple[tuple[tuple[str, str], ...], bool]:
        out: list[tuple[str, str]] = []
        complete = True
        seen = {(relpath, name)}
        queue = [(relpath, name)]
        while queue:
            current, class_name = queue.pop(0)
            facts = self.facts(current)
            klass = facts.class_named(class_name) if facts is not None else None
            if facts is None or klass is None:
                complete = False
                continue
            for base in klass.bases:
                target = self._class_target(current, facts, base)
                if target == _STANDARD:
                    continue
                if target is None:
                    complete = False
                    continue
                if target not in seen:
                    seen.add(target)
                    out.append(target)
                    queue.append(target)
        return tuple(out), complete

    def class_of(self, relpath: str, dotted: str) -> tuple[str, str] | None:
        """The top-level project class ``dotted`` names, seen from ``relpath``.

        A bare name is a class of ``relpath`` itself; a dotted one
        (``printers.virtual.VirtualPrinter``, as the file's imports resolve it) is
        followed through the project's modules and their re-exports.
        """
        if "." in dotted:
            return self._qualified_class(dotted, 0)
        facts = self.facts(relpath)
        return (relpath, dotted) if facts is not None and _is_class(facts, dotted) else None

    def external_bases(self, relpath: str, dotted: str) -> tuple[str, ...] | None:
        """The bases from outside the project (standard library, builtins, installed
        packages) of the project class ``dotted`` names in ``relpath`` and of every
        project class it inherits from, as their modules import them
        (``logging.handlers.TimedRotatingFileHandler``).

        A bare name is a class of ``relpath`` itself; a dotted one is followed
        through the project's modules and re-exports. ``None`` when ``dotted``
        names no project class. A base that cannot be followed and is no dotted
        name (``make_base()``) is not listed.
        """
        start = self.class_of(relpath, dotted)
        if start is None:
            return None
        out: list[str] = []
        for current, name in (start, *self.base_classes(*start)[0]):
            facts = self.facts(current)
            klass = facts.class_named(name) if facts is not None else None
            if facts is None or klass is None:
                continue
            for base in klass.bases:
                target = self._class_target(current, facts, base)
                if target == _STANDARD or (target is None and base != "?"):
                    out.append(base)
        return tuple(out)

    def _class_target(self, relpath: str, facts: ModuleFacts, base: str) -> tuple[str, str] | None:
        if base == "?":
            return None
        level = len(base) - len(base.lstrip("."))
        if level:
            module, _, attr = base[level:].rpartition(".")
            package = self.absolute(relpath, module, level)
            return self._qualified_class(f"{package}.{attr}", 0) if package else None
        if "." not in base:
            if facts.class_named(base) is not None:
                return (relpath, base)
            for star in facts.star_imports():
                source = self.absolute(relpath, star.module, star.level)
                if source and self.provides(source, base):
                    return self._qualified_class(f"{source}.{base}", 0)
            return _STANDARD if base in _BUILTINS else None
        if (
            base.partition(".")[0] in sys.stdlib_module_names
            and self.file_of(base.partition(".")[0]) is None
        ):
            return _STANDARD
        return self._qualified_class(base, 0)

    def _qualified_class(self, dotted: str, depth: int) -> tuple[str, str] | None:
        """The project class a dotted name (``pkg.mod.Class``) names, through re-exports."""
        return self._qualified(dotted, depth, _is_class)

    def function_of(self, relpath: str, dotted: str) -> tuple[str, str] | None:
        """The module-level project function ``dotted`` names, seen from ``relpath``.

        A bare name is a function of ``relpath`` itself; a dotted one
        (``common.log.attach``, as the file's imports resolve it) is followed
        through the project's modules and their re-exports.
        """
        if "." not in dotted:
            facts = self.facts(relpath)
            return (relpath, dotted) if facts is not None and _is_function(facts, dotted) else None
        return self._qualified(dotted, 0, _is_function)

    def _qualified(
        self, dotted: str, depth: int, defines: Callable[[ModuleFacts, str], bool]
    ) -> tuple[str, str] | None:
        module, _, attr = dotted.rpartition(".")
        relpath = self.file_of(module) if module else None
        if relpath is None or depth > _MAX_REEXPORTS:
            return None
        facts = self.facts(relpath)
        if facts is None:
            return None
        if defines(facts, attr):
            return (relpath, attr)
        for fact in facts.top_level_imports():
            for name, asname in fact.names:
                if (asname or name) == attr and name != "*":
                    source = self.absolute(relpath, fact.module, fact.level)
                    if not source:
                        return None
                    return self._qualified(f"{source}.{name}", depth + 1, defines)
        for star in facts.star_imports():
            source = self.absolute(relpath, star.module, star.level)
            if source and self.provides(source, attr):
                return self._qualified(f"{source}.{attr}", depth + 1, defines)
        return None


def _is_class(facts: ModuleFacts, name: str) -> bool:
    return facts.class_named(name) is not None


def _is_function(facts: ModuleFacts, name: str) -> bool:
    return any(f.name == name for f in facts.functions)


#: A base that is a builtin or comes from the standard library.
_STANDARD = ("", "")
