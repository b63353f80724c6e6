"""Imports: where an imported name is read, and values named from other modules.

Answers *which reads an import reaches* (:meth:`ImportModel.import_uses`),
*whether a read runs under a test that expects a deprecation warning*
(:meth:`ImportModel.expects_deprecation`, DL101), and *which other module's name
a value may be* (:meth:`ImportModel.imported_values`, qualified through the
imports; :meth:`ImportModel.top_level_bindings`, what a module binds at its top
level). Reading that name's value in its own file is the project's
(:mod:`debt_lints.analysis.semantic.project`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import last_name
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.semantic.bindings import _MAX_DEPTH, _imported
from debt_lints.analysis.semantic.calls import CallModel


class ImportModel(CallModel):
    """What an import binds and reaches; other modules' names a value may be."""

    # --- imports and the deprecation tests that use them (DL101) -----------------------------

    def import_uses(self, statement: ast.Import | ast.ImportFrom) -> list[ast.Name]:
        """The reads the names an import statement binds may reach (``[]`` for a star)."""
        self.scope_of(statement)  # analyse the scope the statement binds in
        out: list[ast.Name] = []
        for alias in statement.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name.split(".", 1)[0]
            d = self._defs.get((id(statement), name))
            if d is not None:
                out.extend(self.def_uses(d))
        return out

    def expects_deprecation(self, node: ast.AST) -> bool:
        """Whether ``node`` runs where a test expects a deprecation warning: in the body of
        ``with pytest.deprecated_call()``, ``with pytest.warns(DeprecationWarning)`` or
        ``with self.assertWarns(DeprecationWarning)``, or in a function that checks the
        warnings it raised by a call (``self.flushWarnings(...)``, trial's way,
        ``self.assertWarns(DeprecationWarning, f)``, ``pytest.deprecated_call(f)``).
        Silencing warnings (``warnings.catch_warnings()``) is not a check."""
        child: ast.AST = node
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, (ast.With, ast.AsyncWith))
                and child in ancestor.body
                and any(self._checks_deprecation(item.context_expr) for item in ancestor.items)
            ):
                return True
            if isinstance(ancestor, FUNCTIONS):
                return self._function_checks_deprecation(ancestor)
            if isinstance(ancestor, (ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def _function_checks_deprecation(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> bool:
        key = (id(function), "checks-deprecation")
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = any(
                isinstance(sub, ast.Call)
                and self._checks_deprecation(sub)
                and not self._is_with_item(sub)
                and self.scope_of(sub).node is function
                for sub in walk(function)
            )
        return found is True

    def _is_with_item(self, call: ast.Call) -> bool:
        return isinstance(self.parents.get(call), ast.withitem)

    def _checks_deprecation(self, node: ast.expr) -> bool:
        """A call that checks a deprecation warning was raised (see :meth:`expects_deprecation`)."""
        if not isinstance(node, ast.Call):
            return False
        last = last_name(node.func)
        if last in _WARNING_FLUSHES:
            return True
        if last in _WARNING_ASSERTS:
            category = node.args[0] if node.args else call_arg(node, 0, "expected_warning")
            return category is not None and _names_deprecation(category)
        return False

    def imported_values(self, node: ast.expr) -> tuple[str, ...]:
        """The names of other modules whose value ``node`` may have, through the imports,
        qualified (``config.net.BIND_ADDR`` for ``from config.net import BIND_ADDR`` or
        ``net.BIND_ADDR`` with ``import config.net as net``), followed as :meth:`origins`
        follows names: for the project index to read (:func:`imported_texts`)."""
        out: list[str] = []
        self._imported_names(node, out, 0, set())
        return tuple(dict.fromkeys(out))

    def _imported_names(self, node: ast.AST, out: list[str], depth: int, seen: set[int]) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "import" and isinstance(d.node, ast.ImportFrom):
                    qualified = self._qualified(node)
                    if qualified is not None:
                        out.append(qualified)
                elif d.kind == "assign" and d.value is not None:
                    self._imported_names(d.value, out, depth + 1, seen)
                elif d.kind == "param":
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            self._imported_names(value, out, depth + 1, seen)
        elif isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    if isinstance(assigned, ast.expr):
                        self._imported_names(assigned, out, depth + 1, seen)
            elif _imported(node, self.ctx):
                qualified = self._qualified(node)
                if qualified is not None:
                    out.append(qualified)  # settings.BIND_ADDR: a module's attribute
        elif isinstance(node, ast.IfExp):
            self._imported_names(node.body, out, depth + 1, seen)
            self._imported_names(node.orelse, out, depth + 1, seen)

    def _qualified(self, node: ast.expr) -> str | None:
        """``module.NAME`` that a read of another module's name refers to, through the
        imports (``None`` for a bare module or a name no import qualifies)."""
        resolved = self.ctx.resolve(node)
        return resolved if resolved is not None and "." in resolved else None

    def top_level_bindings(self, name: str) -> list[ast.stmt]:
        """The statements of the module's own top level that bind ``name``: plain,
        annotated and augmented assignments to it (not inside a block)."""
        out: list[ast.stmt] = []
        for statement in self.tree.body:
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                targets = [statement.target]
            else:
                continue
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                out.append(statement)
        return out


#: Calls that hand a test the warnings its code raised, to check (trial's ``flushWarnings``,
#: pytest's ``deprecated_call``, which needs no category).
_WARNING_FLUSHES = frozenset({"flushWarnings", "deprecated_call", "callDeprecated"})
#: Calls that check a warning of the category given first: ``pytest.warns(C)``,
#: ``self.assertWarns(C)``, ``self.assertWarnsRegex(C, ...)``.
_WARNING_ASSERTS = frozenset({"warns", "assertWarns", "assertWarnsRegex"})


def _names_deprecation(node: ast.expr) -> bool:
    """A warning category (or a tuple of them) that says deprecation: ``DeprecationWarning``,
    ``PendingDeprecationWarning``, a project's ``ScrapyDeprecationWarning`` or
    ``RemovedInDjango60Warning``."""
    if isinstance(node, ast.Tuple):
        return any(_names_deprecation(e) for e in node.elts)
    name = last_name(node) or ""
    return "Deprecat" in name or (name.startswith("Removed") and name.endswith("Warning"))
