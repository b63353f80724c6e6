"""The semantic model of one file, as rules get it.

:class:`SemanticModel` is every family of questions together (each family's
module says which questions it answers); :func:`model_of` builds it once per
file, the first time a rule asks, and :func:`model_for` for another file the
project index parsed. :func:`launch_links` is here because it may build the model.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.literals import last_name
from debt_lints.analysis.nodes import of_type, walk
from debt_lints.analysis.semantic.commandline import CommandLineModel
from debt_lints.analysis.semantic.endpoints import EndpointModel
from debt_lints.analysis.semantic.launches import _template_links
from debt_lints.analysis.semantic.paths import PathModel
from debt_lints.analysis.semantic.probes import ProbeModel
from debt_lints.analysis.semantic.uses import (
    _PROCESS_STARTERS,
    _may_start_processes,
    _starts_process,
)


class SemanticModel(EndpointModel, PathModel, ProbeModel, CommandLineModel):
    """Scopes, bindings, reaching definitions, values and uses of one module."""

    def launch_links(self) -> frozenset[tuple[str, str]]:
        """:func:`launch_links` of this file (its model is this one)."""
        return launch_links(self.ctx, self.tree, self)


def launch_links(
    ctx: FileContext, tree: ast.AST, model: SemanticModel | None = None
) -> frozenset[tuple[str, str]]:
    """What a file says about the command lines of the scripts it starts: pairs
    of one value, ``argv:SCRIPT:N`` (the ``N``-th argument of the script
    ``SCRIPT``, by base name) and the value given there. In a process start
    (``Popen([sys.executable, "daemon.py", str(PORT)])``, ``[..., "x.py"] +
    sys.argv[1:]``, followed through one assignment of the list) the value is
    this file's own argument (``argv:``, passed through), a binding (the same
    reaching definitions of a name), an attribute or a literal port; in a command
    template (``"$PYTHON $DIR/daemon_build.py $PORT $OUT"``, a build rule's or
    a shell line's text) a placeholder (``$PORT``, ``${PORT}``, ``{port}``,
    ``%(port)s``) or a literal port. Values other than ``argv:`` are this
    file's: ``arg:RELPATH:...``. Two scripts given one value share it.

    The calls and strings are picked from the walk's parent map (:func:`of_type`),
    not by a walk; ``model`` (the file's semantic model, :func:`model_of` when
    ``None``) is built only when a call starts a process: a template needs none.
    """
    nodes: Collection[ast.AST] = ctx.parents or walk(tree)
    out: set[tuple[str, str]] = set()
    aliases = ctx.aliases
    # The names a call's chain can start from to resolve to a process start
    # (``subprocess.run``, ``os.execv``, ``sp.Popen``, ``spawnv`` from os): any
    # other call starts one only by its own name (``Popen``).
    heads = {head for head, target in aliases.items() if _may_start_processes(target)}
    heads.update(head for head in ("os", "subprocess") if head not in aliases)
    attribute, name_type = ast.Attribute, ast.Name
    for node in of_type(nodes, ast.Call):
        func = node.func
        name = last_name(func)
        if name is None:
            continue
        if name not in _PROCESS_STARTERS:
            head = func
            while isinstance(head, attribute):
                head = head.value
            if not isinstance(head, name_type) or head.id not in heads:
                continue
        if _starts_process(name, ctx.resolve(func) or name):
            if model is None:
                model = model_of(ctx)
                if model is None:
                    break  # no tree to build it from
            model._process_links(node, out)
    for constant in of_type(nodes, ast.Constant):
        value = constant.value
        if isinstance(value, str) and ".py " in value:
            _template_links(value, ctx.relpath, out)
    return frozenset(out)


_KEY = "semantic"


def model_for(tree: ast.Module, ctx: FileContext) -> SemanticModel:
    """The model of another file the project index parsed (``ProjectView.parsed``: its
    context holds no tree), built once and kept with that context."""
    found = ctx.memo.get(_KEY)
    if found is None:
        found = ctx.memo[_KEY] = SemanticModel(tree, ctx)
    assert isinstance(found, SemanticModel)
    return found


def model_of(ctx: FileContext) -> SemanticModel | None:
    """The file's semantic model, built on first use and shared by every rule."""
    found = ctx.memo.get(_KEY)
    if found is None:
        if ctx.tree is None:
            return None
        found = ctx.memo[_KEY] = SemanticModel(ctx.tree, ctx)
    assert isinstance(found, SemanticModel)
    return found
