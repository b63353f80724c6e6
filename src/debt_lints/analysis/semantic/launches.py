"""How the program starts: ``__main__``, import time, the scripts it launches.

Answers *whether code runs only under* ``if __name__ == "__main__":``
(:meth:`LaunchModel.in_main_block`), *whether a function runs when the module is
imported* (:meth:`LaunchModel.runs_at_import`), and *what a file passes on the
command lines of the scripts it starts* (``_process_links``, the
``argv:SCRIPT:N`` links of :func:`~debt_lints.analysis.semantic.model.launch_links`).
"""

from __future__ import annotations

import ast
import re

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import last_name
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.semantic.bindings import _position
from debt_lints.analysis.semantic.calls import CallModel
from debt_lints.core.lazy import lazy_pattern


class LaunchModel(CallModel):
    """The program's start: ``__main__``, import time, the scripts it launches."""

    # --- the command lines of the scripts the project starts (issue 22) -------------------

    def _argv_source(self, node: ast.expr) -> str | None:
        """``argv:SCRIPT:N`` for ``sys.argv[N]`` read in the script ``SCRIPT`` (this
        file's base name): the value the command line that starts it gives."""
        index = self._argv_index(node)
        return None if index is None else f"argv:{self._script}:{index}"

    @property
    def _script(self) -> str:
        return self.ctx.relpath.rsplit("/", 1)[-1]

    def _argv_index(self, node: ast.AST) -> int | None:
        """``N`` for ``sys.argv[N]`` (a literal index from 1 on)."""
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and type(node.slice.value) is int
            and node.slice.value >= 1
            and self.ctx.resolve(node.value) == "sys.argv"
        ):
            return None
        return node.slice.value

    def _argv_rest(self, node: ast.AST) -> int | None:
        """``N`` for ``sys.argv[N:]`` (also starred): this script's arguments from
        ``N`` on, passed through to the script it starts."""
        if isinstance(node, ast.Starred):
            node = node.value
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Slice)
            and node.slice.upper is None
            and node.slice.step is None
            and self.ctx.resolve(node.value) == "sys.argv"
        ):
            return None
        lower = node.slice.lower
        if lower is None:
            return 0
        return lower.value if isinstance(lower, ast.Constant) and type(lower.value) is int else None

    def _process_links(self, call: ast.Call, out: set[tuple[str, str]]) -> None:
        command = call_arg(call, 0, "args")
        elements = self._command_elements(command, 0) if command is not None else None
        if not elements:
            return
        script: str | None = None
        start = 0
        for position, element in enumerate(elements):
            if script is None:
                script = _script_named(element)
                start = position
                continue
            index = position - start
            rest = self._argv_rest(element)
            if rest is not None:
                own = f"argv:{self._script}"
                for shift in range(_MAX_ARGV):
                    out.add((f"argv:{script}:{index + shift}", f"{own}:{rest + shift}"))
                return  # what follows has no known position
            if isinstance(element, ast.Starred):
                return
            value = self._argument_value(element)
            if value is not None:
                out.add((f"argv:{script}:{index}", value))

    def _command_elements(self, node: ast.expr, depth: int) -> list[ast.expr] | None:
        """The elements of a command list: ``[a, b] + sys.argv[1:]``, a name assigned
        one such list; ``None`` when it is built otherwise."""
        if depth > 4:
            return None
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            if len(defs) != 1 or defs[0].kind != "assign" or defs[0].value is None:
                return None
            return self._command_elements(defs[0].value, depth + 1)
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._command_elements(node.left, depth + 1)
            if left is None:
                return None
            if self._argv_rest(node.right) is not None:
                return [*left, node.right]
            right = self._command_elements(node.right, depth + 1)
            return None if right is None else left + right
        return None

    def _argument_value(self, element: ast.expr) -> str | None:
        """The value a command-line argument gives, as :meth:`launch_links` names it."""
        element = _unconverted(element)
        index = self._argv_index(element)
        if index is not None:
            return f"argv:{self._script}:{index}"
        here = f"arg:{self.ctx.relpath}"
        if isinstance(element, ast.Constant):
            text = str(element.value)
            return f"{here}:{text}" if _LITERAL_PORT_RE.fullmatch(text) else None
        if isinstance(element, ast.Name):
            defs = self.reaching(element)
            if not defs:
                return None
            where = ",".join(sorted("{}:{}".format(*_position(d)) for d in defs))
            return f"{here}:{element.id}@{where}"
        dotted = self.ctx.dotted(element) if isinstance(element, ast.Attribute) else None
        if dotted is None:
            return None
        if dotted.startswith("self.") and (cls := self._class_of(element)) is not None:
            dotted = f"{cls.name}.{dotted[5:]}"
        return f"{here}:{dotted}"

    def in_main_block(self, node: ast.AST) -> bool:
        """``node`` runs under ``if __name__ == "__main__":`` at the module's top level,
        or in a module-level test or demo function called only from there (``def
        test(): ...`` then ``if __name__ == "__main__": test()``; not ``main()``)."""
        if self._under_main(node):
            return True
        function = self.scope_of(node).node
        if (
            not isinstance(function, FUNCTIONS)
            or self.parents.get(function) is not self.tree
            or not _SELF_TEST_RE.match(function.name)
        ):
            return False
        calls = [c for c in self.call_sites(function.name) if isinstance(c.func, ast.Name)]
        return bool(calls) and all(self._under_main(c) for c in calls)

    def _under_main(self, node: ast.AST) -> bool:
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, ast.If)
                and self.parents.get(ancestor) is self.tree
                and isinstance(ancestor.test, ast.Compare)
                and isinstance(ancestor.test.left, ast.Name)
                and ancestor.test.left.id == "__name__"
                and any(
                    isinstance(c, ast.Constant) and c.value == "__main__"
                    for c in ancestor.test.comparators
                )
            ):
                return True
        return False

    def runs_at_import(self, function: ast.AST, depth: int = 0) -> bool:
        """Every call of ``function`` in this file runs when the module is imported,
        once per process: a module-level statement calls it, directly or through
        functions that themselves run only then (a method through ``self.``, an
        ``__init__`` through its class: ``log = GraphiteLogger()``). A call under
        ``if __name__ == "__main__":`` does not count: it starts the program, and
        a helper it calls is one other programs import too. ``False`` when this
        file never calls it (other modules' calls are not seen)."""
        if depth > 4 or not isinstance(function, FUNCTIONS):
            return False
        owner = self.parents.get(function)
        if isinstance(owner, ast.ClassDef) and function.name == "__init__":
            if self.parents.get(owner) is not self.tree:
                return False
            calls = [c for c in self.call_sites(owner.name) if isinstance(c.func, ast.Name)]
        else:
            calls = [c for c in self.call_sites(function.name) if self.function_of(c) is function]
        if not calls:
            return False
        for call in calls:
            caller = self.scope_of(call).node
            if caller is self.tree and not self._under_main(call):
                continue  # a ``__main__`` block is the program's start, not its import
            if isinstance(caller, FUNCTIONS) and self.runs_at_import(caller, depth + 1):
                continue
            return False
        return True


def _script_named(node: ast.expr) -> str | None:
    """``daemon.py`` for a command element naming a Python script: ``"daemon.py"``,
    ``"tools/daemon.py"``, ``str(Path(__file__).parent / "daemon.py")``,
    ``os.path.join(here, "daemon.py")``."""
    node = _unconverted(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        node = node.right
    elif isinstance(node, ast.Call) and last_name(node.func) == "join" and node.args:
        node = node.args[-1]
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    text = node.value.replace("\\", "/")
    return text.rsplit("/", 1)[-1] if text.endswith(".py") else None


#: How many passed-through arguments :meth:`SemanticModel.launch_links` links.
_MAX_ARGV = 10
#: A command template's placeholder, or a literal port, as one argument.
_PLACEHOLDER_RE = lazy_pattern(r"\$\{?\w+\}?|\{\w+\}|%\(\w+\)[sd]|\d{2,5}")
_LITERAL_PORT_RE = lazy_pattern(r"\d{2,5}")
_COMMAND_SEPARATORS = frozenset({"&&", "||", ";", "|", ">", ">>", "<", "2>&1", "&"})


def _unconverted(node: ast.expr) -> ast.expr:
    """``node`` without the ``int(...)``/``str(...)`` conversions around it: a port
    read as ``int(sys.argv[1])`` is the value of ``sys.argv[1]``."""
    found = node
    while (
        isinstance(found, ast.Call)
        and len(found.args) == 1
        and last_name(found.func) in {"int", "str"}
    ):
        found = found.args[0]
    return found


#: A module's own test or demo function: ``test``, ``_test``, ``selftest``, ``demo_server``.
_SELF_TEST_RE = lazy_pattern(r"^_*(?:self_?)?(?:test|demo|example)(?:_|$)", re.I)


def _template_links(text: str, relpath: str, out: set[tuple[str, str]]) -> None:
    tokens = text.split()
    for position, token in enumerate(tokens):
        if not token.endswith(".py"):
            continue
        script = token.replace("\\", "/").rsplit("/", 1)[-1]
        for index, argument in enumerate(tokens[position + 1 :], 1):
            if argument in _COMMAND_SEPARATORS:
                break
            if _PLACEHOLDER_RE.fullmatch(argument):
                out.add((f"argv:{script}:{index}", f"arg:{relpath}:{argument}"))
