"""Resources handed to project helpers (``analysis.resources``): which call may be a
project function or constructor, and what the project phase reads of it."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.resources import (
    HelperCall,
    constructed_class,
    function_scope,
    helper_call,
)
from tests.test_index_packaging import tree as repository


def _helper(source: str, argument: str = "handler") -> HelperCall | None:
    """``helper_call`` for the first load of ``argument`` in the file's first function,
    as DL502 asks it (the walk has recorded the module's imports only)."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = FileContext("pkg/plugin/__init__.py", "pkg/plugin/__init__.py", source, "pkg.plugin")
    ctx.is_package = True
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            ctx.add_import(statement)
    function = next(s for s in tree.body if isinstance(s, ast.FunctionDef))
    scope = function_scope(function)
    name = next(
        n
        for n in scope.nodes
        if isinstance(n, ast.Name) and n.id == argument and isinstance(n.ctx, ast.Load)
    )
    return helper_call(name, scope.parents, ctx)


def test_a_module_imported_further_down_the_function_qualifies_the_callee() -> None:
    found = _helper(
        """
        def factory(port):
            handler = make()
            from . import virtual
            return virtual.VirtualPrinter(port, seriallog_handler=handler)
        """
    )
    assert found == HelperCall("pkg.plugin.virtual.VirtualPrinter", -1, "seriallog_handler")


def test_a_name_imported_further_down_the_function_qualifies_the_callee() -> None:
    found = _helper(
        """
        def factory(port):
            handler = make()
            if port:
                from .virtual import VirtualPrinter as Printer
            return Printer(port, handler)
        """
    )
    assert found == HelperCall("pkg.plugin.virtual.VirtualPrinter", 1)


def test_imports_of_other_scopes_or_bound_twice_do_not_qualify() -> None:
    # A nested function's import binds in the nested function only.
    assert (
        _helper(
            """
            def factory(port):
                handler = make()
                def later():
                    from . import virtual
                return virtual.VirtualPrinter(handler)
            """
        )
        is None
    )
    # Two imports bind the name differently: which one runs is not known.
    assert (
        _helper(
            """
            def factory(port):
                handler = make()
                if port:
                    from . import virtual
                else:
                    from . import fake as virtual
                return virtual.VirtualPrinter(handler)
            """
        )
        is None
    )


def test_a_constructor_is_read_as_its_own_init_past_self(tmp_path: Path) -> None:
    project = repository(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/printers.py": (
                "class Printer:\n"
                "    def __init__(self, port, handler=None):\n"
                "        self.port = port\n"
                "class Inherits(Printer):\n"
                "    pass\n"
                "def helper(handler):\n"
                "    pass\n"
            ),
            "pkg/app.py": "",
        },
    )
    built = constructed_class("pkg/app.py", ["pkg.printers.Printer", 1, ""], project)
    assert built is not None
    call, located, init, _, _ = built
    assert located == ("pkg/printers.py", "Printer")
    assert call.parameter(init) == "handler"  # position 1 of the call, 2 of __init__
    built = constructed_class("pkg/app.py", ["pkg.printers.Printer", -1, "handler"], project)
    assert built is not None and built[0].parameter(built[2]) == "handler"
    # An inherited __init__ is not followed; a function is no class.
    assert constructed_class("pkg/app.py", ["pkg.printers.Inherits", 1, ""], project) is None
    assert constructed_class("pkg/app.py", ["pkg.printers.helper", 0, ""], project) is None
    assert constructed_class("pkg/app.py", ["serial.Serial", 0, ""], project) is None
