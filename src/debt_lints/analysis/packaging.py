"""What a project publishes: the packages its packaging metadata ships, read as data.

A project that builds a distribution (a wheel) ships some of its packages to
users outside the repository; their public modules are API that code nobody
here can see may import. This module reads the packaging metadata of one
folder, never running it:

- ``pyproject.toml`` (``tomllib``): the build backend's own table
  (``[tool.setuptools] packages`` / ``py-modules`` /
  ``[tool.setuptools.packages.find]``, ``[tool.hatch.build.targets.wheel]``
  ``packages`` / ``include`` / ``only-include``, ``[tool.poetry] packages``,
  ``[tool.flit.module] name``), else the backend's discovery from the
  project's name (hatchling, poetry, flit, pdm: ``<name>/`` or
  ``src/<name>/``; setuptools: a src layout's packages, or the one top-level
  package of a flat layout, as its auto-discovery does: two or more are
  refused by setuptools, so such a project publishes none);
- ``setup.cfg`` (``configparser``): ``[options] packages`` (a list, ``find:``
  or ``find_namespace:`` with ``[options.packages.find]``), ``package_dir``,
  ``py_modules``;
- ``setup.py`` (``ast``, never executed): the ``packages``, ``package_dir``
  and ``py_modules`` arguments of the ``setup()`` call, or of a dict literal
  passed to it as ``**kwargs``, when they are literals: lists and tuples of
  strings, ``+`` of them, both branches of a conditional expression, names
  bound once at module level to one of these, and ``find_packages()`` /
  ``find_namespace_packages()`` with literal arguments (evaluated over the
  file tree, as setuptools does). Anything else is computed: the answer is
  "cannot tell", and every package setuptools' discovery could find in the
  folder counts as published (a dead-code verdict must not rest on a guess).

A folder with no packaging metadata publishes nothing: an application.

This is the one reader of what a project publishes: DL602's ``public-api =
["auto"]`` asks which files ship (:meth:`Publication.ships`, through the
project index), and DL301's ``library`` option (:data:`LIBRARY`) is ``true``
by default when the configuration's folder ships anything
(:func:`publishes_distribution`).

What a project *needs* is read from the same files (:func:`declared_distributions`):
the distributions it declares, so that a module a declared distribution provides
counts as present in the project's own environment even where it is not installed.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from debt_lints.analysis.literals import last_name
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.model import Option
from debt_lints.core.record import FrozenRecord

#: Top-level folders setuptools' flat-layout discovery never ships
#: (``setuptools.discovery.FlatLayoutPackageFinder.DEFAULT_EXCLUDE``).
_FLAT_EXCLUDE = frozenset(
    {
        *("ci", "bin", "debian", "doc", "docs", "documentation", "manpages", "news"),
        *("newsfragments", "changelog", "test", "tests", "unit_test", "unit_tests"),
        *("example", "examples", "scripts", "tools", "util", "utils", "python", "build"),
        *("dist", "venv", "env", "requirements", "tasks", "fabfile", "site_scons"),
        *("benchmark", "benchmarks", "exercise", "exercises", "htmlcov"),
    }
)
_FIND_CALLS = frozenset({"find_packages", "find_namespace_packages"})
#: The most packages one walk lists (a pathological tree must not stall the run).
_MAX_PACKAGES = 20000
#: Packaging files larger than this are not read.
_MAX_BYTES = 1024 * 1024


class FileTree:
    """The files and folders below a root, listed once each, links left out (a link
    may lead out of the repository). The project index's module finder is one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listings: dict[str, dict[str, bool] | None] = {}

    def listing(self, directory: str) -> dict[str, bool] | None:
        """Entries of a real directory below the root: name -> is a directory (links left out)."""
        if directory in self._listings:
            return self._listings[directory]
        entries: dict[str, bool] | None = None
        parent, _, name = directory.rpartition("/")
        if directory != "." and self.listing(parent or ".") is None:
            entries = None
        elif directory != "." and not (self._listings.get(parent or ".") or {}).get(name):
            entries = None  # not a real directory of its parent
        else:
            where = self.root if directory == "." else self.root / directory
            try:
                with os.scandir(where) as it:
                    entries = {}
                    for entry in it:
                        try:
                            if entry.is_dir(follow_symlinks=False):
                                entries[entry.name] = True
                            elif entry.is_file(follow_symlinks=False):
                                entries[entry.name] = False
                        except OSError:
                            continue
            except OSError:
                entries = None
        self._listings[directory] = entries
        return entries

    def listed(self) -> dict[str, dict[str, bool] | None]:
        """Every directory listed so far and what it held: what the answers depend on."""
        return {
            d: dict(entries) if entries is not None else None
            for d, entries in self._listings.items()
        }

    def is_file(self, relpath: str) -> bool:
        """``relpath`` is a regular file reached through real directories below the root."""
        directory, _, name = relpath.rpartition("/")
        entries = self.listing(directory or ".")
        return entries is not None and entries.get(name) is False


class _Computed(Exception):
    """A packaging value that is not data (a call, a name bound twice...)."""


class Publication(FrozenRecord):
    """The packages and top-level modules a project ships, as root-relative paths."""

    __slots__ = ("companions", "modules", "packages", "shared", "sources", "uncertain")
    #: Folders of shipped packages (their direct ``.py`` files ship).
    packages: frozenset[str]
    #: Single ``.py`` files shipped as top-level modules (``py_modules``).
    modules: frozenset[str]
    #: Where each answer comes from (``"pyproject.toml: [tool.setuptools] packages"``,
    #: ``"setup.py: packages are computed; every package it could find"``).
    sources: tuple[str, ...]
    #: Folders whose metadata computes its packages: the answer is a conservative superset.
    uncertain: tuple[str, ...]
    #: The distributions released in lockstep with the published ones
    #: (:func:`lockstep_companions`), as ``"name (requirement)"``.
    companions: tuple[str, ...]
    #: The shipped package folders and module files of a distribution with a lockstep
    #: companion: its private modules are shared with the companion too.
    shared: frozenset[str]

    def __init__(  # noqa: PLR0917  # FrozenRecord pickles through positional fields
        self,
        packages: frozenset[str] = frozenset(),
        modules: frozenset[str] = frozenset(),
        sources: tuple[str, ...] = (),
        uncertain: tuple[str, ...] = (),
        companions: tuple[str, ...] = (),
        shared: frozenset[str] = frozenset(),
    ) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "packages", packages)
        _set(self, "modules", modules)
        _set(self, "sources", sources)
        _set(self, "uncertain", uncertain)
        _set(self, "companions", companions)
        _set(self, "shared", shared)

    def ships(self, relpath: str) -> bool:
        """Whether the file ``relpath`` is in the published distribution."""
        if relpath in self.modules:
            return True
        folder, _, name = relpath.rpartition("/")
        return name.endswith(".py") and folder in self.packages

    def shares(self, relpath: str) -> bool:
        """Whether the file ``relpath`` ships in a distribution released in lockstep with a
        companion distribution (:func:`lockstep_companions`), which may import it, private
        or not."""
        if relpath in self.shared:
            return True
        folder, _, name = relpath.rpartition("/")
        return name.endswith(".py") and folder in self.shared

    @property
    def publishes(self) -> bool:
        """Whether anything ships: the project builds a distribution others install."""
        return bool(self.packages or self.modules)

    def merged(self, other: Publication) -> Publication:
        return Publication(
            self.packages | other.packages,
            self.modules | other.modules,
            self.sources + other.sources,
            self.uncertain + other.uncertain,
            self.companions + other.companions,
            self.shared | other.shared,
        )


#: Files that hold packaging metadata.
PACKAGING_FILES = ("pyproject.toml", "setup.cfg", "setup.py")


def publication_of(finder: FileTree, folder: str = ".", *, first: bool = False) -> Publication:
    """What the packaging metadata in ``folder`` (root-relative, ``"."``: the root) ships.

    ``first``: stop at the first package found (enough to tell whether anything
    ships, without walking a large package's folders)."""
    entries = finder.listing(folder) or {}
    present = [name for name in PACKAGING_FILES if entries.get(name) is False]
    if not present:
        return Publication()
    reader = _Reader(finder, folder, limit=1 if first else _MAX_PACKAGES)
    found = reader.read(present)
    if first or not found.publishes:
        return found
    companions = lockstep_companions(finder, folder)
    if not companions:
        return found
    return Publication(
        found.packages,
        found.modules,
        found.sources,
        found.uncertain,
        companions,
        found.packages | found.modules,
    )


def publishes_distribution(root: Path) -> bool:
    """Whether the tree at ``root`` builds a distribution others install: its packaging
    metadata ships a package or a module (:func:`publication_of`). Never raises: an
    unreadable file says no, and a link is not followed (it may lead out of the
    repository)."""
    try:
        return publication_of(FileTree(root), first=True).publishes
    except (OSError, ValueError):
        return False


#: Library code: defaults in it are the API its users set (DL301, DL302).
LIBRARY = Option(
    "library",
    "bool",
    False,
    "whether the project is a library whose packages others import: a loopback default "
    "or an every-interface bind default in its packages is its users' to set, reported "
    "only where the project relies on it (DL301, DL302)",
    auto=publishes_distribution,
    auto_help="`true` when the packaging metadata of the configuration's folder "
    "(`pyproject.toml`, `setup.cfg`, `setup.py`, read as data) ships a package or a "
    'module, as DL602\'s `public-api = ["auto"]` reads it; else `false`',
)


#: The distribution name at the start of a PEP 508 requirement (its ``names`` grammar).
_REQUIREMENT_RE = lazy_pattern(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
#: ``setup()`` arguments and ``setup.cfg`` options that declare requirements.
_REQUIRES = ("install_requires", "extras_require", "tests_require")
#: The most requirement files one folder's ``requirements/`` contributes.
_MAX_REQUIREMENT_FILES = 64


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 does (``Foo_Bar.baz`` -> ``foo-bar-baz``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(finder: FileTree, folder: str = ".") -> frozenset[str]:
    """The distributions the project in ``folder`` declares it needs, PEP 503-normalised.

    Read as data, never run: ``pyproject.toml`` (``[project] dependencies`` and
    ``optional-dependencies``, ``[dependency-groups]``, ``[tool.poetry]``'s
    dependency tables), ``setup.cfg`` (``[options] install_requires`` /
    ``tests_require``, ``[options.extras_require]``), ``setup.py`` (literal
    ``install_requires`` / ``extras_require`` / ``tests_require`` values of
    ``setup()``, of a dict literal, or assigned into a dict by key: a computed
    list is not read), ``requirements*.txt`` and ``requirements/*.txt`` (option
    lines, URLs and paths left out), and a source distribution's ``PKG-INFO``
    (``Requires-Dist``). Development, test and optional requirements count:
    the team's environment is where the code runs and is checked.
    """
    reader = _Reader(finder, folder)
    entries = finder.listing(folder) or {}
    names: set[str] = set()
    if entries.get("pyproject.toml") is False:
        pyproject = reader.pyproject()
        names.update(_pyproject_requirements(pyproject))
    if entries.get("setup.cfg") is False:
        names.update(_setup_cfg_requirements(reader._text(reader._where("setup.cfg"))))
    if entries.get("setup.py") is False:
        names.update(_setup_py_requirements(reader._text(reader._where("setup.py"))))
    files = sorted(
        n for n, is_dir in entries.items() if not is_dir and fnmatch.fnmatch(n, "requirements*.txt")
    )
    folder_of_requirements = _join(folder, "requirements")
    if entries.get("requirements") is True:
        inner = finder.listing(folder_of_requirements) or {}
        files += sorted(
            f"requirements/{n}" for n, is_dir in inner.items() if not is_dir and n.endswith(".txt")
        )[:_MAX_REQUIREMENT_FILES]
    for name in files:
        names.update(_requirements_txt(reader._text(reader._where(name))))
    if entries.get("PKG-INFO") is False:
        names.update(_pkg_info_requirements(reader._text(reader._where("PKG-INFO"))))
    return frozenset(canonical_name(n) for n in names)


#: Entry-point groups whose targets start a process (``pip`` writes a launcher for each).
_SCRIPT_GROUPS = ("console_scripts", "gui_scripts")
#: ``name = module:attribute [extras]`` of an entry point (the extras left out).
_ENTRY_POINT_RE = lazy_pattern(r"^\s*[^=\s][^=]*?\s*=\s*([\w.]+)\s*:\s*([\w.]+)")


def program_entry_points(finder: FileTree, folder: str = ".") -> frozenset[tuple[str, str]]:
    """``(module, attribute)`` of every program the packaging of ``folder`` installs: the
    function a console or GUI script's launcher calls once, when the process starts.

    Read as data, never run: ``pyproject.toml`` (``[project.scripts]``,
    ``[project.gui-scripts]``, ``[tool.poetry.scripts]``), ``setup.cfg``
    (``[options.entry_points]`` ``console_scripts`` / ``gui_scripts``, and pbr's
    ``[entry_points]``) and
    ``setup.py`` (the literal ``console_scripts`` / ``gui_scripts`` lists of an
    ``entry_points`` dict, also one filled key by key, or an ``entry_points`` string in
    ``setup.cfg``'s form).
    Other entry-point groups are plugins a host may call any number of times.
    """
    reader = _Reader(finder, folder)
    entries = finder.listing(folder) or {}
    specs: list[str] = []
    if entries.get("pyproject.toml") is False:
        pyproject = reader.pyproject()
        project = _table(pyproject, "project")
        for key in ("scripts", "gui-scripts"):
            specs += [f"_ = {v}" for v in _table(project, key).values() if isinstance(v, str)]
        for value in _table(pyproject, "tool", "poetry", "scripts").values():
            reference = value.get("reference") if isinstance(value, dict) else value
            if isinstance(reference, str):
                specs.append(f"_ = {reference}")
    if entries.get("setup.cfg") is False:
        text = reader._text(reader._where("setup.cfg"))
        # setuptools reads [options.entry_points]; pbr (OpenStack, ryu) reads [entry_points].
        specs += _ini_entry_points(text, "options.entry_points")
        specs += _ini_entry_points(text, "entry_points")
    if entries.get("setup.py") is False:
        specs += _setup_py_entry_points(reader._text(reader._where("setup.py")))
    found: set[tuple[str, str]] = set()
    for spec in specs:
        match = _ENTRY_POINT_RE.match(spec)
        if match is not None:
            found.add((match.group(1), match.group(2)))
    return frozenset(found)


def _ini_entry_points(text: str | None, section: str | None) -> list[str]:
    """The script entry points of an INI text: ``[section]``'s ``console_scripts`` /
    ``gui_scripts`` values (``setup.cfg``), or, with no section, the lines of the
    ``[console_scripts]`` / ``[gui_scripts]`` sections (``setup(entry_points="...")``)."""
    if text is None:
        return []
    import configparser

    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return []
    out: list[str] = []
    if section is not None:
        if parser.has_section(section):
            for group in _SCRIPT_GROUPS:
                out += parser[section].get(group, "").splitlines()
        return out
    for group in _SCRIPT_GROUPS:
        if parser.has_section(group):
            out += [f"{name} = {value}" for name, value in parser[group].items()]
    return out


def _setup_py_entry_points(text: str | None) -> list[str]:
    """Literal script entry points in ``setup.py``: the ``console_scripts`` and
    ``gui_scripts`` values of a dict literal (``entry_points={...}``, through names bound
    once) or of a dict filled key by key (``eps["console_scripts"] = [...]``, ``+=``,
    ``.extend([...])``, ``.append("...")``), or an ``entry_points`` string in
    ``setup.cfg``'s form."""
    if text is None:
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    bindings = _bindings(tree)
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in _SCRIPT_GROUPS:
                    out += _literal_strings(value, bindings)
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            # A dict filled key by key: ``entry_points["console_scripts"] = [...]``
            # (or ``+= [...]``) before it is handed to setup().
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_script_group_item(t) for t in targets):
                out += _literal_strings(node.value, bindings)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "extend"}
            and _script_group_item(node.func.value)
        ):
            # ``entry_points["console_scripts"].extend([...])``, on one platform say.
            for argument in node.args:
                out += _literal_strings(argument, bindings)
        elif isinstance(node, ast.keyword) and node.arg == "entry_points":
            try:
                value = _resolve(node.value, bindings)
            except _Computed:
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out += _ini_entry_points(value.value, None)
    return out


def _script_group_item(node: ast.expr) -> bool:
    """``x["console_scripts"]`` (or ``"gui_scripts"``): a script group of an entry-point dict."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value in _SCRIPT_GROUPS
    )


def provided_by(module: str, distributions: frozenset[str]) -> bool:
    """Whether one of ``distributions`` (normalised) provides ``module``, by name: a
    distribution named like its top-level package (``kombu``, ``typing-extensions``)
    or like one of its dotted parents (``zope.interface``, ``google-cloud-storage``
    for ``google.cloud.storage``). Names that differ from the import name
    (``PyYAML`` for ``yaml``, ``pyzmq`` for ``zmq``) are not mapped: that needs the
    installed distribution's file list."""
    parts = module.split(".")
    return any(canonical_name(".".join(parts[: i + 1])) in distributions for i in range(len(parts)))


#: A lockstep pin keeps to the project's own release series: its first two release
#: numbers (``2026.11`` of ``2026.11.0``, ``5.7`` of ``5.7.2``).
_SERIES = 2
#: An environment marker that names an extra (``; extra == "bundle"``).
_EXTRA = lazy_pattern(r"\bextra\b")
#: A release number beyond any real one, to stand for the last release of a series.
_LAST = 999999


def own_release(finder: FileTree, folder: str = ".") -> str | None:
    """The version the project in ``folder`` releases, when its metadata says it as
    data: a source distribution's ``PKG-INFO`` (``Version``), ``pyproject.toml``'s
    ``[project] version``, ``setup.cfg``'s ``[metadata] version``, a literal
    ``setup(version=...)`` in ``setup.py``, the literal ``__version__`` of the module an
    ``attr:`` names (``[tool.setuptools.dynamic]``, ``setup.cfg``), or the version file
    setuptools-scm or hatch-vcs wrote (``version_file``, ``write_to``, ``version-file``:
    present once the checkout was installed). A version only the VCS knows (a fresh
    checkout) is ``None``; so is one a function computes."""
    reader = _Reader(finder, folder)
    entries = finder.listing(folder) or {}
    attr: str | None = None
    written: list[str] = []
    if entries.get("PKG-INFO") is False:
        found = _pkg_info_values(reader._text(reader._where("PKG-INFO")), "version")
        if found:
            return found[0]
    if entries.get("pyproject.toml") is False:
        pyproject = reader.pyproject()
        version = _table(pyproject, "project").get("version")
        if isinstance(version, str):
            return version
        dynamic = _table(pyproject, "tool", "setuptools", "dynamic", "version").get("attr")
        attr = dynamic if isinstance(dynamic, str) else None
        scm = _table(pyproject, "tool", "setuptools_scm")
        vcs = _table(pyproject, "tool", "hatch", "build", "hooks", "vcs")
        for value in (scm.get("version_file"), scm.get("write_to"), vcs.get("version-file")):
            if isinstance(value, str):
                written.append(value)
    if entries.get("setup.cfg") is False:
        version = _setup_cfg_option(reader._text(reader._where("setup.cfg")), "metadata", "version")
        if version and version.startswith("attr:"):
            attr = attr or version.removeprefix("attr:").strip()
        elif version and not version.startswith("file:"):
            return version
    if entries.get("setup.py") is False:
        versions = set(_setup_py_strings(reader._text(reader._where("setup.py")), ("version",)))
        if len(versions) == 1:
            return versions.pop()
    if attr is not None and "." in attr:
        module, _, name = attr.rpartition(".")
        path = module.replace(".", "/")
        for base in ("", "src/"):
            for candidate in (f"{base}{path}.py", f"{base}{path}/__init__.py"):
                found_version = _assigned_string(reader, candidate, (name,))
                if found_version is not None:
                    return found_version
    for relpath in written:
        found_version = _assigned_string(reader, relpath, ("__version__", "version"))
        if found_version is not None:
            return found_version
    return None


def _assigned_string(reader: _Reader, relpath: str, names: tuple[str, ...]) -> str | None:
    """The string literal a module-level assignment binds to one of ``names`` in the
    Python file ``relpath`` of the reader's folder (``__version__ = version = "1.2"``),
    read with ``ast``, never run; ``None`` when there is none."""
    where = _join(reader.folder, relpath)
    if not reader.finder.is_file(where):
        return None
    text = reader._text(where)
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            return value.value
    return None


def core_requirements(finder: FileTree, folder: str = ".") -> tuple[str, ...]:
    """The requirements (PEP 508 lines) the project in ``folder`` cannot be installed
    without: ``PKG-INFO``'s ``Requires-Dist`` but those of an extra, ``pyproject.toml``'s
    ``[project] dependencies``, ``setup.cfg``'s ``install_requires`` and a literal
    ``setup(install_requires=...)``. Optional, development and test requirements are
    left out; so are poetry's tables (their versions are not PEP 440 specifiers)."""
    reader = _Reader(finder, folder)
    entries = finder.listing(folder) or {}
    lines: list[str] = []
    if entries.get("PKG-INFO") is False:
        lines += _pkg_info_values(reader._text(reader._where("PKG-INFO")), "requires-dist")
    if entries.get("pyproject.toml") is False:
        project = _table(reader.pyproject(), "project")
        lines += _strings(project.get("dependencies"))
    if entries.get("setup.cfg") is False:
        text = reader._text(reader._where("setup.cfg"))
        lines += (_setup_cfg_option(text, "options", "install_requires") or "").splitlines()
    if entries.get("setup.py") is False:
        lines += _setup_py_strings(reader._text(reader._where("setup.py")), ("install_requires",))
    kept = (line.strip() for line in lines if not _EXTRA.search(line.partition(";")[2]))
    return tuple(dict.fromkeys(line for line in kept if line))


def lockstep_companions(finder: FileTree, folder: str = ".") -> tuple[str, ...]:
    """The distributions the project in ``folder`` is released in lockstep with, as
    ``"name (requirement)"``: a requirement it cannot be installed without
    (:func:`core_requirements`) that admits its own release (:func:`own_release`) and
    no release outside that release's series (``dask >=2026.11.0,<2026.11.1`` or
    ``dask ==2026.11.*`` in ``distributed`` 2026.11.0). The two are one product in
    two distributions, released together because each relies on the other's
    internals: the companion may import this project's private modules.
    A pin to another version (``vine ==5.1.0`` in ``kombu`` 5.7.0), a bound open on
    one side (``kombu >=5.7.0`` in ``celery`` 5.7.0) and an extra's pin (a bundle
    of add-ons) are not lockstep."""
    release = own_release(finder, folder)
    if release is None:
        return ()
    found: dict[str, str] = {}
    for line in core_requirements(finder, folder):
        name = in_lockstep(line, release)
        if name is not None:
            found.setdefault(name, f"{name} ({line})")
    return tuple(found.values())


def in_lockstep(requirement: str, release: str) -> str | None:
    """The distribution ``requirement`` pins to ``release``'s series, or ``None``: it
    needs no extra, admits ``release`` and no release of another series (probed on
    both sides of it). Neither line is trusted: what is not PEP 508 / PEP 440 is no pin."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    try:
        required = Requirement(requirement)
        own = Version(release)
    except (InvalidRequirement, InvalidVersion):
        return None
    if required.marker is not None and "extra" in str(required.marker):
        return None
    specifier = required.specifier
    if not specifier or not specifier.contains(own, prereleases=True):
        return None
    major, minor = (*own.release, 0)[:_SERIES]
    outside = [f"{major}.{minor + 1}", f"{major + 1}"]
    if minor > 0:
        outside.append(f"{major}.{minor - 1}.{_LAST}")
    elif major > 0:
        outside.append(f"{major - 1}.{_LAST}.{_LAST}")
    if any(specifier.contains(version, prereleases=True) for version in outside):
        return None
    return canonical_name(required.name)


def _setup_cfg_option(text: str | None, section: str, option: str) -> str | None:
    """One option of ``setup.cfg`` (``None``: missing, or the file does not parse)."""
    if text is None:
        return None
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return None
    if not parser.has_section(section):
        return None
    value = parser[section].get(option)
    return value.strip() if value is not None else None


def _requirement_name(text: str) -> str | None:
    """The distribution a PEP 508 requirement line names, or ``None`` (an option, a URL
    or a path, a comment, an empty line)."""
    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith(("#", "-", ".", "/")) or "://" in text.split()[0]:
        return None
    match = _REQUIREMENT_RE.match(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip()
    if rest and rest[0] not in "[(<>=!~;@,":
        return None  # not a requirement (a path, a stray word)
    return match.group(1)


def _strings(value: object) -> list[str]:
    """The strings of a TOML requirement list (tables in it, like PEP 735's
    ``include-group``, left out)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _pyproject_requirements(pyproject: Mapping[str, object]) -> list[str]:
    lines: list[str] = []
    project = _table(pyproject, "project")
    lines += _strings(project.get("dependencies"))
    for extra in _table(project, "optional-dependencies").values():
        lines += _strings(extra)
    for group in _table(pyproject, "dependency-groups").values():
        lines += _strings(group)
    names = [n for n in map(_requirement_name, lines) if n is not None]
    poetry = _table(pyproject, "tool", "poetry")
    tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies")]
    tables += [
        _table(group, "dependencies")
        for group in _table(poetry, "group").values()
        if isinstance(group, dict)
    ]
    for table in tables:
        names += [key for key in table if key.lower() != "python"]
    return names


def _setup_cfg_requirements(text: str | None) -> list[str]:
    if text is None:
        return []
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return []
    values: list[str] = []
    if parser.has_section("options"):
        values += [parser["options"].get(key, "") for key in ("install_requires", "tests_require")]
    if parser.has_section("options.extras_require"):
        values += list(parser["options.extras_require"].values())
    names = []
    for value in values:
        for line in value.splitlines():
            name = _requirement_name(line)
            if name is not None:
                names.append(name)
    return names


def _setup_py_requirements(text: str | None) -> list[str]:
    """The distributions the literal requirement strings of ``setup.py`` name."""
    names = []
    for line in _setup_py_strings(text, _REQUIRES):
        name = _requirement_name(line)
        if name is not None:
            names.append(name)
    return names


def _setup_py_strings(text: str | None, keys: Iterable[str]) -> list[str]:
    """The literal strings ``setup.py`` gives ``setup()`` as ``keys``: keyword arguments
    of a call, keys of a dict literal, or assignments into a dict by key."""
    if text is None:
        return []
    keys = frozenset(keys)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    bindings = _bindings(tree)
    values: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            values += [k.value for k in node.keywords if k.arg in keys]
        elif isinstance(node, ast.Dict):
            values += [
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value in keys
            ]
        elif isinstance(node, ast.Assign):
            values += [
                node.value
                for t in node.targets
                if isinstance(t, ast.Subscript)
                and isinstance(t.slice, ast.Constant)
                and t.slice.value in keys
            ]
    return [line for value in values for line in _literal_strings(value, bindings)]


def _literal_strings(node: ast.expr, bindings: Mapping[str, ast.expr | None]) -> list[str]:
    """The strings of a literal requirement value: lists, tuples, a dict's values,
    ``+`` and both branches of a conditional, through names bound once; a call or
    anything else computed gives none."""
    out: list[str] = []
    pending = [node]
    for _ in range(10000):
        if not pending:
            break
        current = pending.pop()
        try:
            current = _resolve(current, bindings)
        except _Computed:
            continue
        if isinstance(current, ast.Constant) and isinstance(current.value, str):
            out.append(current.value)
        elif isinstance(current, (ast.List, ast.Tuple, ast.Set)):
            pending += current.elts
        elif isinstance(current, ast.Dict):
            pending += current.values
        elif isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pending += [current.left, current.right]
        elif isinstance(current, ast.IfExp):
            pending += [current.body, current.orelse]
    return out


def _requirements_txt(text: str | None) -> list[str]:
    if text is None:
        return []
    names = []
    for line in text.replace("\\\n", " ").splitlines():
        name = _requirement_name(line)
        if name is not None:
            names.append(name)
    return names


def _pkg_info_requirements(text: str | None) -> list[str]:
    """The distributions ``Requires-Dist`` of core metadata names."""
    names = []
    for value in _pkg_info_values(text, "requires-dist"):
        name = _requirement_name(value)
        if name is not None:
            names.append(name)
    return names


def _pkg_info_values(text: str | None, header: str) -> list[str]:
    """The values of ``header`` (lower case) in core metadata: the headers, up to the
    first empty line."""
    if text is None:
        return []
    values = []
    for line in text.splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == header:
            values.append(value.strip())
    return values


def _join(folder: str, path: str) -> str:
    path = path.strip().strip("/").removeprefix("./")
    if folder in ("", "."):
        return path or "."
    return f"{folder}/{path}" if path and path != "." else folder


def _normalised_name(name: str) -> str:
    """A distribution name as a module name (``Foo-Bar.baz`` -> ``foo_bar_baz``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


class _Reader:
    def __init__(self, finder: FileTree, folder: str, limit: int = _MAX_PACKAGES) -> None:
        self.finder = finder
        self.folder = folder
        #: The most packages one walk lists.
        self.limit = limit
        self.packages: set[str] = set()
        self.modules: set[str] = set()
        self.sources: list[str] = []
        self.uncertain = False

    def _where(self, name: str) -> str:
        return name if self.folder == "." else f"{self.folder}/{name}"

    def pyproject(self) -> Mapping[str, object]:
        """The folder's ``pyproject.toml`` (:func:`_toml`)."""
        return _toml(self._text(self._where("pyproject.toml")))

    def read(self, present: list[str]) -> Publication:
        texts = {name: self._text(self._where(name)) for name in present}
        pyproject = _toml(texts.get("pyproject.toml"))
        project = pyproject.get("project")
        project = project if isinstance(project, dict) else {}
        tool = pyproject.get("tool")
        tool = tool if isinstance(tool, dict) else {}
        system = pyproject.get("build-system")
        backend = system.get("build-backend") if isinstance(system, dict) else None
        backend = backend if isinstance(backend, str) else ""
        name = project.get("name")
        poetry = tool.get("poetry")
        if not isinstance(name, str) and isinstance(poetry, dict):
            name = poetry.get("name")
        name = _normalised_name(name) if isinstance(name, str) else None
        if backend.startswith("hatchling"):
            self._hatch(tool, name)
        elif backend.startswith("poetry") or (not backend and isinstance(poetry, dict)):
            self._poetry(poetry if isinstance(poetry, dict) else {}, name)
        elif backend.startswith("flit"):
            self._flit(tool, name)
        elif backend.startswith("pdm"):
            self._by_name(name, "pyproject.toml: pdm's discovery by the project name")
        elif backend.startswith("setuptools") or "setup.py" in texts or "setup.cfg" in texts:
            self._setuptools(texts, tool, bool(project))
        elif project:  # no build backend named: pip builds it with setuptools
            self._setuptools(texts, tool, True)
        return Publication(
            frozenset(self.packages),
            frozenset(self.modules),
            tuple(self.sources),
            (self.folder,) if self.uncertain else (),
        )

    def _text(self, relpath: str) -> str | None:
        """A packaging file's text, read without following links out of the root."""
        from debt_lints.core import safefs
        from debt_lints.core.source import SourceProblem, decode_python

        directory, _, name = relpath.rpartition("/")
        parts = [p for p in directory.split("/") if p]
        try:
            with safefs.open_chain(self.finder.root, parts, create=False, heal=False) as where:
                data = where.read_regular(name, _MAX_BYTES)
        except (OSError, ValueError, safefs.NotConfined):
            return None
        if data is None:
            return None
        text = decode_python(data)
        return None if isinstance(text, SourceProblem) else text

    # --- backends ----------------------------------------------------------------------

    def _hatch(self, tool: Mapping[str, object], name: str | None) -> None:
        wheel = _table(tool, "hatch", "build", "targets", "wheel")
        paths: list[str] = []
        for key in ("packages", "only-include", "include"):
            value = wheel.get(key)
            if isinstance(value, list):
                paths.extend(v for v in value if isinstance(v, str))
        if paths:
            for path in paths:
                self._tree(_join(self.folder, path.rstrip("/*")))
            self.sources.append("pyproject.toml: [tool.hatch.build.targets.wheel]")
            return
        self._by_name(name, "pyproject.toml: hatchling's discovery by the project name")

    def _poetry(self, poetry: Mapping[str, object], name: str | None) -> None:
        packages = poetry.get("packages")
        if isinstance(packages, list) and packages:
            for item in packages:
                if not isinstance(item, dict) or not isinstance(item.get("include"), str):
                    continue
                base = item.get("from")
                where = _join(self.folder, base) if isinstance(base, str) else self.folder
                self._tree(_join(where, str(item["include"]).rstrip("/*")))
            self.sources.append("pyproject.toml: [tool.poetry] packages")
            return
        self._by_name(name, "pyproject.toml: poetry's discovery by the project name")

    def _flit(self, tool: Mapping[str, object], name: str | None) -> None:
        module = _table(tool, "flit", "module").get("name")
        chosen = _normalised_name(module) if isinstance(module, str) else name
        self._by_name(chosen, "pyproject.toml: flit's module")

    def _by_name(self, name: str | None, how: str) -> None:
        if not name:
            return
        for base in (self.folder, _join(self.folder, "src")):
            if self.finder.is_file(f"{_join(base, name)}/__init__.py"):
                self._tree(_join(base, name))
                self.sources.append(how)
                return
            if self.finder.is_file(f"{_join(base, name)}.py"):
                self.modules.add(f"{_join(base, name)}.py")
                self.sources.append(how)
                return

    def _setuptools(
        self, texts: Mapping[str, str | None], tool: Mapping[str, object], project: bool
    ) -> None:
        found = False
        package_dir: dict[str, str] = {}
        setuptools = _table(tool, "setuptools")
        if setuptools:
            raw_dir = setuptools.get("package-dir")
            if isinstance(raw_dir, dict):
                package_dir.update({k: v for k, v in raw_dir.items() if isinstance(v, str)})
            packages = setuptools.get("packages")
            if isinstance(packages, list):
                self._named([p for p in packages if isinstance(p, str)], package_dir)
                found = True
            elif isinstance(packages, dict) and isinstance(packages.get("find"), dict):
                find = packages["find"]
                # ``namespaces = false``: only folders with an ``__init__.py`` (find_packages)
                self._find(find, package_dir, namespaces=find.get("namespaces") is not False)
                found = True
            modules = setuptools.get("py-modules")
            if isinstance(modules, list):
                self._py_modules([m for m in modules if isinstance(m, str)], package_dir)
                found = True
            if found:
                self.sources.append("pyproject.toml: [tool.setuptools]")
        cfg = texts.get("setup.cfg")
        if cfg is not None and self._setup_cfg(cfg, package_dir):
            found = True
        setup = texts.get("setup.py")
        if setup is not None:
            known = self._setup_py(setup, package_dir)
            if known is None:  # computed: every package its discovery could find
                self.uncertain = True
                self._discover(package_dir, everything=True)
                self.sources.append(
                    "setup.py: packages are computed; every package of the folder counts"
                )
                return
            found = found or known
        if not found and (project or setup is not None):
            self._discover(package_dir, everything=False)

    def _setup_cfg(self, text: str, package_dir: dict[str, str]) -> bool:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except (configparser.Error, ValueError):
            return False
        if not parser.has_section("options"):
            return False
        options = parser["options"]
        raw_dir = options.get("package_dir", "")
        for line in raw_dir.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                package_dir[key.strip()] = value.strip()
        found = False
        packages = options.get("packages", "").strip()
        if packages.startswith(("find:", "find_namespace:")):
            find: dict[str, object] = {}
            if parser.has_section("options.packages.find"):
                section = parser["options.packages.find"]
                for key in ("where", "include", "exclude"):
                    if key in section:
                        values = [v.strip() for v in re.split(r"[,\n]", section[key])]
                        find[key] = [v for v in values if v]
            if isinstance(find.get("where"), list):
                where = find["where"]
                assert isinstance(where, list)
                find["where"] = where[:1]
            self._find(find, package_dir, namespaces=packages.startswith("find_namespace:"))
            found = True
        elif packages:
            names = [v.strip() for v in re.split(r"[,\n]", packages) if v.strip()]
            self._named(names, package_dir)
            found = True
        modules = options.get("py_modules", "").strip()
        if modules:
            self._py_modules([v.strip() for v in re.split(r"[,\n]", modules) if v.strip()], {})
            found = True
        if found:
            self.sources.append("setup.cfg: [options] packages")
        return found

    def _setup_py(self, text: str, package_dir: dict[str, str]) -> bool | None:
        """``True``: ``setup()`` names its packages; ``False``: it does not (discovery);
        ``None``: they are computed."""
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        bindings = _bindings(tree)
        arguments: dict[str, ast.expr] = {}
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and last_name(node.func) == "setup"
        ]
        if not calls:
            return False
        unread = False
        for call in calls:
            for keyword in call.keywords:
                if keyword.arg is not None:
                    arguments[keyword.arg] = keyword.value
                    continue
                # ``**kwargs``: a dict literal we can read, else the packages may be in it
                try:
                    value = _resolve(keyword.value, bindings)
                except _Computed:
                    value = None
                if not isinstance(value, ast.Dict):
                    unread = True
                    continue
                for key, item in zip(value.keys, value.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        arguments[key.value] = item
                    elif key is None:
                        unread = True
        if unread and "packages" not in arguments:
            return None  # (``packages=`` beside ``**kwargs``: the kwargs cannot repeat it)
        try:
            if "package_dir" in arguments:
                raw = _resolve(arguments["package_dir"], bindings)
                if not isinstance(raw, ast.Dict):
                    raise _Computed
                for key, item in zip(raw.keys, raw.values, strict=True):
                    value = _resolve(item, bindings)
                    if not (
                        isinstance(key, ast.Constant)
                        and isinstance(key.value, str)
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        raise _Computed
                    package_dir[key.value] = value.value
            found = False
            if "packages" in arguments:
                self._named(self._names(arguments["packages"], bindings, package_dir), package_dir)
                found = True
            if "py_modules" in arguments:
                self._py_modules(
                    self._names(arguments["py_modules"], bindings, package_dir), package_dir
                )
                found = True
        except _Computed:
            return None
        if found:
            self.sources.append("setup.py: setup(packages=...)")
        return found

    def _names(
        self, node: ast.expr, bindings: Mapping[str, ast.expr | None], package_dir: dict[str, str]
    ) -> list[str]:
        """The strings a literal packaging value holds (every branch of a conditional)."""
        node = _resolve(node, bindings)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out: list[str] = []
            for item in node.elts:
                value = _resolve(item, bindings)
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    out.append(value.value)
                else:
                    raise _Computed
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._names(node.left, bindings, package_dir) + self._names(
                node.right, bindings, package_dir
            )
        if isinstance(node, ast.IfExp):
            return self._names(node.body, bindings, package_dir) + self._names(
                node.orelse, bindings, package_dir
            )
        if isinstance(node, ast.Call) and last_name(node.func) in _FIND_CALLS:
            find: dict[str, object] = {}
            names = ("where", "exclude", "include")
            for position, arg in enumerate(node.args[:3]):
                find[names[position]] = _literal(arg, bindings)
            for keyword in node.keywords:
                if keyword.arg not in names:
                    raise _Computed
                find[keyword.arg] = _literal(keyword.value, bindings)
            where = find.get("where")
            if isinstance(where, str):
                find["where"] = [where]
            return self._found(
                find, package_dir, namespaces=last_name(node.func) == "find_namespace_packages"
            )
        raise _Computed

    # --- package lookup ---------------------------------------------------------------

    def _directory_of(self, package: str, package_dir: Mapping[str, str]) -> str:
        """The folder of a dotted package, through ``package_dir``."""
        parts = package.split(".")
        for cut in range(len(parts), -1, -1):
            prefix = ".".join(parts[:cut])
            if prefix in package_dir:
                base = _join(self.folder, package_dir[prefix])
                return _join(base, "/".join(parts[cut:]))
        return _join(self.folder, "/".join(parts))

    def _named(self, packages: Iterable[str], package_dir: Mapping[str, str]) -> None:
        for package in packages:
            self.packages.add(self._directory_of(package, package_dir))

    def _py_modules(self, modules: Iterable[str], package_dir: Mapping[str, str]) -> None:
        for module in modules:
            head, _, last = module.rpartition(".")
            if head:
                base = self._directory_of(head, package_dir)
            else:
                base = _join(self.folder, package_dir.get("", "."))
            self.modules.add(f"{_join(base, last)}.py")

    def _find(
        self, find: Mapping[str, object], package_dir: dict[str, str], *, namespaces: bool
    ) -> None:
        self._named(self._found(find, package_dir, namespaces=namespaces), package_dir)

    def _found(
        self, find: Mapping[str, object], package_dir: dict[str, str], *, namespaces: bool
    ) -> list[str]:
        """``find_packages(where, exclude, include)`` over the file tree (setuptools' walk)."""
        where_list = find.get("where")
        where = where_list[0] if isinstance(where_list, list) and where_list else "."
        if not isinstance(where, str):
            raise _Computed
        include = _patterns(find.get("include"), ("*",))
        exclude = _patterns(find.get("exclude"), ())
        if where not in (".", ""):
            package_dir.setdefault("", where)
        start = _join(self.folder, where)
        out: list[str] = []
        pending: list[tuple[str, str]] = [(start, "")]
        while pending and len(out) < self.limit:
            directory, dotted = pending.pop()
            for entry, is_dir in sorted((self.finder.listing(directory) or {}).items()):
                if not is_dir or "." in entry or not entry.isidentifier():
                    continue
                child = entry if directory == "." else f"{directory}/{entry}"
                package = f"{dotted}.{entry}" if dotted else entry
                inner = self.finder.listing(child) or {}
                if not namespaces and inner.get("__init__.py") is not False:
                    continue
                if _matches(package, include) and not _matches(package, exclude):
                    out.append(package)
                if f"{package}*" in exclude or f"{package}.*" in exclude:
                    continue
                pending.append((child, package))
        return out

    def _tree(self, directory: str) -> None:
        """Every folder below ``directory`` (a path shipped whole)."""
        if self.finder.is_file(directory) and directory.endswith(".py"):
            self.modules.add(directory)
            return
        pending = [directory]
        while pending and len(self.packages) < self.limit:
            current = pending.pop()
            entries = self.finder.listing(current)
            if entries is None:
                continue
            self.packages.add(current)
            pending.extend(f"{current}/{name}" for name, is_dir in entries.items() if is_dir)

    def _discover(self, package_dir: dict[str, str], *, everything: bool) -> None:
        """setuptools' automatic discovery: a src layout's packages, else the flat layout's
        top-level packages (refused when there are several, unless ``everything``: the
        conservative answer when the metadata computes its packages)."""
        src = _join(self.folder, "src")
        if "" in package_dir or self.finder.listing(src) is not None:
            where = package_dir.get("", "src")
            self._find({"where": [where]}, package_dir, namespaces=not everything)
            self.sources.append("setuptools' discovery of the src layout")
            return
        top = [
            name
            for name, is_dir in sorted((self.finder.listing(self.folder) or {}).items())
            if is_dir
            and name.isidentifier()
            and name not in _FLAT_EXCLUDE
            and not name.startswith(("_", "."))
            and self.finder.is_file(f"{_join(self.folder, name)}/__init__.py")
        ]
        if len(top) == 1 or (everything and top):
            found = self._found({"include": [f"{t}*" for t in top]}, package_dir, namespaces=False)
            self._named([*top, *found], package_dir)
            if not everything:
                self.sources.append("setuptools' discovery of the flat layout")


@functools.lru_cache(maxsize=8)
def _toml(text: str | None) -> Mapping[str, object]:
    """``pyproject.toml``'s tables, ``{}`` when absent or broken; parsed once per text
    (the requirement names, the programs, the version, the dependencies and the
    publication each ask it). Read-only: the answer is shared."""
    if text is None:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except (ValueError, RecursionError):
        return {}  # the configuration's own loader reports a broken pyproject.toml


def _table(root: Mapping[str, object], *keys: str) -> dict[str, object]:
    current: object = root
    for key in keys:
        if not isinstance(current, dict):
            return {}
        current = current.get(key)
    return current if isinstance(current, dict) else {}


def _bindings(tree: ast.Module) -> dict[str, ast.expr | None]:
    """Names bound once in ``setup.py`` and their value (``None``: bound more than once)."""
    bindings: dict[str, ast.expr | None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    # bound twice: no single value
                    bindings[target.id] = None if target.id in bindings else node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            bindings[node.target.id] = None
    return bindings


def _resolve(node: ast.expr, bindings: Mapping[str, ast.expr | None]) -> ast.expr:
    """A name bound once at module level, followed to its value (a few steps)."""
    for _ in range(8):
        if not isinstance(node, ast.Name):
            return node
        value = bindings.get(node.id)
        if value is None:
            raise _Computed
        node = value
    raise _Computed


def _literal(node: ast.expr, bindings: Mapping[str, ast.expr | None]) -> object:
    node = _resolve(node, bindings)
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise _Computed from None


def _patterns(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _Computed


def _matches(package: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(package, pattern) for pattern in patterns)
