"""Cross-module questions: other files' values, read through the project index.

Answers *what a module-level name of another project module may be*
(:func:`imported_texts`), *where a value handed to another module's function
goes there* (:func:`helper_parameter_uses`), and gives that module's model
(:func:`module_model`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import ProjectView
from debt_lints.analysis.resources import helper_function
from debt_lints.analysis.semantic.model import SemanticModel, model_for
from debt_lints.analysis.semantic.uses import RETURNED
from debt_lints.analysis.semantic.values import Text


def helper_parameter_uses(
    relpath: str, raw_calls: list[object], project: ProjectView
) -> list[frozenset[str]] | None:
    """Where the value goes in each project function it was handed to
    (:meth:`SemanticModel.uses_through_helpers`, as rows ``[HelperCall JSON, the uses of
    the call's result in relpath]``), asked of that function's own file; what it
    returns goes where the caller uses the result. ``None`` when one of them is not a
    module-level function of the project that can be read."""
    out: list[frozenset[str]] = []
    for raw in raw_calls:
        if not (isinstance(raw, list) and len(raw) == 2 and isinstance(raw[1], list)):
            return None
        found = helper_function(relpath, raw[0], project)
        if found is None:
            return None
        helper, function, tree, ctx = found
        result = frozenset(str(use) for use in raw[1])
        uses = model_for(tree, ctx).parameter_uses(function, helper)
        if uses is None:
            return None
        out.append(uses - {RETURNED} | result if RETURNED in uses else uses)
    return out


def imported_texts(relpath: str, qualified: str, project: ProjectView) -> list[Text] | None:
    """The texts the module-level name ``qualified`` (:meth:`SemanticModel.imported_values`
    of ``relpath``) may have, read from its module's own file: every top-level
    assignment of the name there. ``None`` when the module is not the project's, cannot
    be read, or does not assign the name at its top level (a re-export, a function)."""
    module, _, name = qualified.rpartition(".")
    model = module_model(module, project)
    values = [
        statement.value
        for statement in (model.top_level_bindings(name) if model is not None else ())
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None
    ]
    if model is None or not values:
        return None
    return [t for value in values for t in model.texts(value)]


def module_model(module: str, project: ProjectView) -> SemanticModel | None:
    """The model of the project's module ``module`` (its file read through the project
    index); ``None`` when it is not a module of the project or cannot be read."""
    relpath = project.file_of(module) if module else None
    parsed = project.parsed(relpath) if relpath is not None else None
    return model_for(*parsed) if parsed is not None else None
