"""The project index: what rules may know about the rest of the repository.

Every rule sees one file; some questions need the others (which file does
``import utils.path_manager`` reach when ``main_pc_code`` is on the import
path? does the base class in ``common/core/base_agent.py`` close this
socket?). The index answers them statically, from the file tree and from
per-file facts: nothing is imported or executed.

Two phases, as in type checkers:

1. **Per-file facts** (:class:`ModuleFacts`), extracted by
   :class:`FactsCollector` in the engine's single walk (the same walk as the
   rules; see :class:`debt_lints.engine.walk.Collector`) and stored in the file's
   cache entry (``FileResult.summary["facts"]``, JSON). They depend on the
   file's content only.
2. **The project phase**: a :class:`Project` built from the facts of the
   files checked in this run, reading any other file's facts on demand from
   disk (parsed by the same extraction, memoised), resolves across files.

API (stable: extend it, do not rename it)
-----------------------------------------

Facts (:mod:`debt_lints.index.facts`), frozen dataclasses with ``to_json`` /
``from_json`` (which returns ``None`` for any malformed input):

- ``ModuleFacts``: ``imports`` (:class:`ImportFact`), ``definitions`` (names
  bound at top level by ``def``/``class``/assignments), ``dunder_all``
  (literal ``__all__`` or ``None``) and ``dunder_all_dynamic``,
  ``main_guard``, ``only_imports`` (a re-export shim), ``classes``
  (:class:`ClassFact`: name, line, bases resolved through the module's
  imports, methods), ``functions`` (:class:`FunctionFact`: name, line,
  parameters), ``unparsable``; helpers ``class_named``,
  ``top_level_imports``, ``imported_names``, ``star_imports``.
- ``ImportFact``: ``module`` and ``level`` as written, ``names`` (``(name,
  asname)`` pairs of a ``from`` import), ``asname``, ``line``/``column`` and
  ``flags``: :data:`IN_FUNCTION` (deferred), :data:`TYPE_CHECKING_ONLY`,
  :data:`TRY_IMPORT` / :data:`FALLBACK` (``try``/``except ImportError``),
  :data:`MAIN_ONLY`, :data:`CONDITIONAL`, :data:`DYNAMIC`
  (``importlib.import_module`` / ``__import__`` with a literal name).

Queries (:class:`Project`, built with :func:`project_for` from a
:class:`~debt_lints.config.Config`, or ``Project(root, roots, facts)``):

- ``names_of(relpath)``: the file's dotted names, one per import root that
  holds it; ``find_module(name)`` -> :class:`Found` (kind module, package or
  namespace, its file, its search path); ``file_of(name)``;
  ``module_facts(name)``; ``facts(relpath)``.
- ``absolute(relpath, module, level)``: a relative import made absolute;
  ``resolve_import(relpath, fact)``: the project modules an import reaches;
  ``import_edges(relpath)``: ``(import, file)`` pairs, the import graph.
- ``defined_names(name)`` (definitions + imported names + star imports,
  followed), ``exported_names(name)`` (what ``import *`` binds),
  ``provides(name, attribute)`` (``from name import attribute`` works:
  ``True``/``False``/``None`` unknown), ``dunder_all(name)``,
  ``is_pure_reexport(name)``, ``reexported_from(name)``, ``is_module(name)``.
- ``publication(folders)``: what the packaging metadata (``pyproject.toml``,
  ``setup.cfg``, ``setup.py``, read as data) ships (:class:`Publication`,
  ``ships(relpath)``); ``public_api(relpath, tests)``: a public module of a
  published package (no ``_private`` part, not test code), which code outside
  the repository may import (the reader is :mod:`debt_lints.analysis.packaging`,
  which DL301's ``library`` option shares); ``declares(module)``: a distribution
  the project declares it needs provides ``module`` (DL003).
- ``base_classes(relpath, class_name)``: the project classes it inherits
  from, through any module, and whether every base could be followed;
  ``function_of(relpath, dotted)``; ``parsed(relpath)`` (tree and context,
  for rules that settle a deferred finding); ``known()`` (every file's facts).
- ``runs_once_at_start(relpath, qualname)``: the function runs only while a
  program starts, once per process (a program the packaging installs, a
  Django command, or every use of its name in the repository's Python files
  a direct call in such code, ``self.name``/``super().name`` matched by
  class; :mod:`debt_lints.analysis.callers`).

Deferred findings: a rule that needs the rest of the repository calls
``ctx.defer(node, question)`` in the walk (see
:class:`~debt_lints.analysis.context.ProjectView`); the run's project phase
(:func:`debt_lints.index.settle.settle`) calls the rule's
``settle(question, finding, project)``, which returns the finding to report
or ``None``. Questions are JSON, cached with the file; they are settled again
on every run, so a cached file's findings follow changes to the files they
depend on. A finding that one file shows and only the others may clear is
reported with ``ctx.report_unless(node, question)``: it stays unless the
rule's ``settle`` returns ``None`` for it (:func:`debt_lints.index.settle.withdrawn`),
so a file checked without a project keeps it.

Import roots (:mod:`debt_lints.index.roots`): the ``import-roots``
configuration key (``Config.resolved_import_roots()``), like ruff's ``src``:
directories relative to the configuration root that are on the import path at
run time; default ``["."]`` plus ``"src"`` when it exists. A name resolves as
Python's path finder resolves it: the first root holding it as a regular
package or module wins; namespace packages merge across roots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debt_lints.core.lazy import loader

if TYPE_CHECKING:
    from collections.abc import Mapping

    from debt_lints.config import Config
    from debt_lints.index.extract import FACTS_KEY, FactsCollector, facts_of_text
    from debt_lints.index.facts import (
        CONDITIONAL,
        DYNAMIC,
        FALLBACK,
        IN_FUNCTION,
        MAIN_ONLY,
        TRY_IMPORT,
        TYPE_CHECKING_ONLY,
        UNPARSABLE,
        ClassFact,
        FunctionFact,
        ImportFact,
        ModuleFacts,
    )
    from debt_lints.index.project import Project
    from debt_lints.index.roots import (
        MODULE,
        NAMESPACE,
        PACKAGE,
        Found,
        ModuleFinder,
        module_names,
    )

#: Where each name lives: a name loads its module on first use (PEP 562), so that
#: the walk's fact extraction does not import the resolution (``project``,
#: ``roots``) a run over a few files never reaches.
_WHERE = {
    **dict.fromkeys(("FACTS_KEY", "FactsCollector", "facts_of_text"), "extract"),
    **dict.fromkeys(
        (
            "CONDITIONAL",
            "DYNAMIC",
            "FALLBACK",
            "IN_FUNCTION",
            "MAIN_ONLY",
            "TRY_IMPORT",
            "TYPE_CHECKING_ONLY",
            "UNPARSABLE",
            "ClassFact",
            "FunctionFact",
            "ImportFact",
            "ModuleFacts",
        ),
        "facts",
    ),
    "Project": "project",
    **dict.fromkeys(
        ("MODULE", "NAMESPACE", "PACKAGE", "Found", "ModuleFinder", "module_names"), "roots"
    ),
}

__all__ = [
    "CONDITIONAL",
    "DYNAMIC",
    "FACTS_KEY",
    "FALLBACK",
    "IN_FUNCTION",
    "MAIN_ONLY",
    "MODULE",
    "NAMESPACE",
    "PACKAGE",
    "TRY_IMPORT",
    "TYPE_CHECKING_ONLY",
    "UNPARSABLE",
    "ClassFact",
    "FactsCollector",
    "Found",
    "FunctionFact",
    "ImportFact",
    "ModuleFacts",
    "ModuleFinder",
    "Project",
    "facts_from_summary",
    "facts_of_text",
    "module_names",
    "project_for",
]


def project_for(config: Config, facts: Mapping[str, ModuleFacts] | None = None) -> Project:
    """The project of a configuration: its root, its import roots, known facts."""
    from debt_lints.index.project import Project

    return Project(
        config.root,
        config.resolved_import_roots(),
        facts,
        max_file_size=config.max_file_size,
    )


def facts_from_summary(summary: Mapping[str, object] | None) -> ModuleFacts | None:
    """The facts stored in a file's summary (a ``FileResult`` or a cache entry), if valid."""
    if not summary:
        return None
    from debt_lints.index.extract import FACTS_KEY
    from debt_lints.index.facts import ModuleFacts

    return ModuleFacts.from_json(summary.get(FACTS_KEY))


__getattr__ = loader(__name__, _WHERE, globals())
