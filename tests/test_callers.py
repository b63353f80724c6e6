"""Where a function is used from (``analysis.callers``) and whether it runs once, when a
program starts (``Project.runs_once_at_start``): what DL502 asks of the whole repository."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from debt_lints.analysis.callers import (
    CALLER,
    IMPORT,
    OTHER,
    PROGRAM,
    name_uses,
    qualified_name,
    started_by_framework,
)
from debt_lints.analysis.context import FileContext
from debt_lints.analysis.semantic import model_of
from tests.test_index_packaging import tree as repository


def uses(source: str, name: str = "setup", relpath: str = "pkg/mod.py") -> list[tuple[str, str]]:
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = FileContext(relpath, relpath, source)
    ctx.tree = tree
    assert model_of(ctx) is not None  # completes the parents
    return [(use.kind, use.caller or "") for use in name_uses(name, tree, ctx)]


def test_each_kind_of_use() -> None:
    found = uses(
        """
        from pkg.log import setup

        setup()                          # the module's own top level

        class Config:
            setup()                      # a top-level class body

            def start(self):
                self.setup()             # a method

        def main():
            if True:
                setup()                  # a function, under a condition
            for _ in range(3):
                setup()                  # repeated
            while True:
                setup()                  # repeated
            [setup() for _ in ()]        # repeated
            atexit.register(setup)       # handed on
            getattr(obj, "setup")()      # by its name
            def inner():
                setup()                  # nested: nothing outside names it
            for item in setup():         # the loop's iterable: evaluated once
                pass

        if __name__ == "__main__":
            main()
            setup()                      # the program's start
        """
    )
    assert found == [
        (IMPORT, ""),
        (IMPORT, ""),
        (CALLER, "Config.start"),
        (CALLER, "main"),
        (OTHER, ""),
        (OTHER, ""),
        (OTHER, ""),
        (OTHER, ""),
        (OTHER, ""),
        (OTHER, ""),
        (CALLER, "main"),
        (PROGRAM, ""),
    ]


def test_an_aliased_import_and_a_stored_name_are_other_uses() -> None:
    assert uses("from pkg.log import setup as configure\nconfigure()\n") == [(OTHER, "")]
    assert uses("obj.setup = None\n") == [(OTHER, "")]
    # the definition and a plain import are no uses; nor is a docstring mentioning it
    assert uses('def setup():\n    "call setup() once"\nfrom pkg import setup\n') == []


def test_a_string_that_names_the_function_is_an_other_use() -> None:
    found = uses(
        """
        \"\"\"Call setup() once.\"\"\"
        __all__ = ["setup"]
        LOGGING = {"handlers": {"file": {"()": "pkg.log.setup"}}}
        PLUGINS = ["log = pkg.log:setup"]
        TITLE = "setup"
        NOTE = "run setup"
        """
    )
    assert found == [(OTHER, ""), (OTHER, ""), (OTHER, "")]


@pytest.mark.parametrize("relpath", ["pkg/__main__.py", "bin/run-worker.py"])
def test_the_top_level_of_a_program_file_is_the_programs_start(relpath: str) -> None:
    assert uses("setup()\n", relpath=relpath) == [(PROGRAM, "")]


def test_qualified_names_of_what_other_modules_can_name() -> None:
    source = "def f():\n    def g(): pass\nclass C:\n    def m(self): pass\n"
    tree = ast.parse(source)
    ctx = FileContext("m.py", "m.py", source)
    ctx.tree = tree
    assert model_of(ctx) is not None
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert qualified_name(functions["f"], ctx) == "f"
    assert qualified_name(functions["m"], ctx) == "C.m"
    assert qualified_name(functions["g"], ctx) is None


def test_a_django_command_handle_starts_a_process() -> None:
    assert started_by_framework("app/management/commands/run.py", "Command.handle")
    assert not started_by_framework("app/management/commands/run.py", "Command.add_arguments")
    assert not started_by_framework("app/commands/run.py", "Command.handle")


# --- the whole repository ---------------------------------------------------------------


HELPER = "def setup_logging():\n    pass\n"


@pytest.mark.parametrize(
    ("files", "once"),
    [
        ({}, False),  # no use in the repository: API others call at will
        (
            {
                "run.py": "from log import setup_logging\nif __name__ == '__main__':\n"
                "    setup_logging()\n"
            },
            True,
        ),
        # through main(), which only the __main__ block calls
        (
            {
                "run.py": "from log import setup_logging\ndef main():\n    setup_logging()\n"
                "if __name__ == '__main__':\n    main()\n"
            },
            True,
        ),
        # main() that nothing calls is just a function
        ({"run.py": "from log import setup_logging\ndef main():\n    setup_logging()\n"}, False),
        # another module's top level: a library helper called at import
        ({"app.py": "from log import setup_logging\nsetup_logging()\n"}, False),
        # the module's own top level runs once
        ({"log.py": HELPER + "setup_logging()\n"}, True),
        # a program's start and a request handler
        (
            {
                "run.py": "from log import setup_logging\nif __name__ == '__main__':\n"
                "    setup_logging()\n",
                "web.py": "from log import setup_logging\ndef handle(request):\n"
                "    setup_logging()\n",
            },
            False,
        ),
        # a use in a file that does not parse cannot be read
        (
            {
                "run.py": "from log import setup_logging\nif __name__ == '__main__':\n"
                "    setup_logging()\n",
                "broken.py": "setup_logging(\n",
            },
            False,
        ),
        # two functions that call each other, and nothing else
        (
            {
                "loop.py": "from log import setup_logging\ndef a():\n    setup_logging()\n    b()\n"
                "def b():\n    a()\n"
            },
            False,
        ),
    ],
    ids=[
        "unused",
        "main-block",
        "through-main",
        "uncalled-main",
        "import-time-elsewhere",
        "own-top-level",
        "and-a-handler",
        "unparsable",
        "cycle",
    ],
)
def test_runs_once_at_start(tmp_path: Path, files: dict[str, str], once: bool) -> None:
    project = repository(tmp_path, {"log.py": HELPER, **files})
    assert project.runs_once_at_start("log.py", "setup_logging") is once


def test_programs_the_packaging_installs_and_folders_left_out(tmp_path: Path) -> None:
    project = repository(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "w"\n[project.scripts]\nw = "w.cli:main"\n',
            "w/__init__.py": "",
            "w/cli.py": "from w.log import setup_logging\ndef main():\n    setup_logging()\n",
            "w/log.py": HELPER,
            # an environment and hidden folders are not the project
            "venv/pyvenv.cfg": "",
            "venv/lib/site.py": "from w.log import setup_logging\nfor _ in []:\n"
            "    setup_logging()\n",
            ".tox/x.py": "from w.log import setup_logging\nfor _ in []:\n    setup_logging()\n",
        },
    )
    assert project.runs_once_at_start("w/cli.py", "main")
    assert project.runs_once_at_start("w/log.py", "setup_logging")
    # a dunder runs as Python calls it (``__init__``: once per instance)
    assert not project.runs_once_at_start("w/log.py", "__init__")


def owners(source: str, name: str = "setup") -> list[str | None]:
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = FileContext("pkg/mod.py", "pkg/mod.py", source)
    ctx.tree = tree
    assert model_of(ctx) is not None
    return [use.owner and f"{use.owner}:{use.receiver}" for use in name_uses(name, tree, ctx)]


def test_a_use_on_the_methods_own_instance_or_class_names_its_class() -> None:
    found = owners(
        """
        class A:
            def run(self):
                self.setup()                 # A
            @classmethod
            def make(cls):
                cls.setup()                  # A
            def other(this, x):
                x.setup()                    # another object: unknown
                this.setup()                 # A (the first parameter, whatever its name)
            @staticmethod
            def helper(self):
                self.setup()                 # a static method's first argument: unknown
            def rebound(self, other):
                self = other
                self.setup()                 # unknown
            def nested(self):
                def inner():
                    self.setup()             # a nested function: unknown
                return lambda: self.setup()  # a lambda: unknown
            def up(self):
                super().setup()              # A, through super()
                super(A, self).setup()       # A, through super()
                super(B, self).setup()       # another class's super: unknown

        def free(self):
            self.setup()                     # not a method: unknown
        """
    )
    assert found == [
        *["A:self", "A:self", None, "A:self", None, None, None, None],
        *["A:super", "A:super", None, None],
    ]


def test_an_import_in_a_class_body_binds_a_class_attribute() -> None:
    found = uses(
        """
        from pkg.log import setup            # not a use

        class A:
            from pkg.log import setup        # a use: `self.setup()` calls it
        """
    )
    assert found == [(OTHER, "")]


def _two_classes(call: str) -> dict[str, str]:
    return {
        "pyproject.toml": '[project]\nname = "w"\n[project.scripts]\nw = "w.cli:main"\n',
        "w/__init__.py": "",
        "w/cli.py": "from w.server import Server\ndef main():\n    Server().init_app(1)\n",
        "w/server.py": "class Server:\n    def init_app(self, app):\n        pass\n",
        "w/ext.py": "from w.server import Server\n" + call,
    }


@pytest.mark.parametrize(
    ("call", "once"),
    [
        # another class's constructor calls its own init_app, once per instance
        (
            "class Login:\n    def __init__(self, app):\n        self.init_app(app)\n"
            "    def init_app(self, app):\n        pass\n",
            True,
        ),
        # ... or a base's, which is still not Server's
        (
            "class Base:\n    def init_app(self, app):\n        pass\n"
            "class Login(Base):\n    def __init__(self, app):\n        self.init_app(app)\n",
            True,
        ),
        # a subclass of Server calls Server's init_app per instance
        (
            "class Sub(Server):\n    def __init__(self, app):\n        self.init_app(app)\n",
            False,
        ),
        # a mixin that does not define init_app: self may be anything
        (
            "class Mixin:\n    def __init__(self, app):\n        self.init_app(app)\n",
            False,
        ),
        # an unknown receiver is matched by name, as before
        (
            "class Login:\n    def __init__(self, app, other):\n        other.init_app(app)\n"
            "    def init_app(self, app):\n        pass\n",
            False,
        ),
    ],
    ids=["own-method", "own-base", "subclass", "mixin", "unknown-receiver"],
)
def test_self_calls_match_the_class_family(tmp_path: Path, call: str, once: bool) -> None:
    project = repository(tmp_path, _two_classes(call))
    assert project.runs_once_at_start("w/server.py", "Server.init_app") is once


def test_a_base_of_the_methods_class_calling_it_on_self_is_a_use(tmp_path: Path) -> None:
    files = _two_classes("")
    files["w/server.py"] = (
        "class Base:\n    def __init__(self):\n        self.init_app(1)\n"
        "class Server(Base):\n    def init_app(self, app):\n        pass\n"
    )
    project = repository(tmp_path, files)
    assert not project.runs_once_at_start("w/server.py", "Server.init_app")


@pytest.mark.parametrize(
    ("call", "once"),
    [
        # super() in Server.init_app is a base's init_app, never Server's own
        ("", True),
        # ... but a subclass's super() reaches Server's, per instance
        (
            "class Sub(Server):\n    def __init__(self, app):\n        super().init_app(app)\n",
            False,
        ),
    ],
    ids=["own-super", "subclass-super"],
)
def test_super_calls_reach_the_bases_only(tmp_path: Path, call: str, once: bool) -> None:
    files = _two_classes(call)
    files["w/server.py"] = (
        "from ext import Extension\n"
        "class Server(Extension):\n    def init_app(self, app):\n"
        "        super().init_app(app)\n"
    )
    project = repository(tmp_path, files)
    assert project.runs_once_at_start("w/server.py", "Server.init_app") is once


def test_self_and_super_never_call_a_module_function(tmp_path: Path) -> None:
    files = _two_classes(
        "def init_app(app):\n    pass\n"
        "class Login(Server):\n    def __init__(self, app):\n        self.init_app(app)\n"
        "        super().init_app(app)\n"
        "def setup(app):\n    init_app(app)\n"
    )
    files["w/cli.py"] = "from w.ext import setup\ndef main():\n    setup(1)\n"
    project = repository(tmp_path, files)
    assert project.runs_once_at_start("w/ext.py", "init_app")
    # ... unless a class binds it as an attribute
    files["w/ext.py"] += "class Bound:\n    init_app = staticmethod(init_app)\n"
    project = repository(tmp_path, files)
    assert not project.runs_once_at_start("w/ext.py", "init_app")


def test_a_call_from_its_own_body_runs_only_while_it_runs(tmp_path: Path) -> None:
    files = _two_classes(
        "_ldap = Server()\n"
        "def init_app(app, config):\n    if config:\n        _ldap.init_app(app)\n"
    )
    files["w/cli.py"] = "from w import ext\ndef main():\n    ext.init_app(1, 2)\n"
    project = repository(tmp_path, files)
    # `_ldap.init_app` in init_app may be init_app itself (by name): it adds no other entry
    assert project.runs_once_at_start("w/ext.py", "init_app")
    assert project.runs_once_at_start("w/server.py", "Server.init_app")


def test_a_program_the_packaging_names_through_a_reexport(tmp_path: Path) -> None:
    project = repository(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "w"\n[project.scripts]\nw = "w.__main__:main"\n',
            "w/__init__.py": "",
            "w/__main__.py": "from w.cli import main\nif __name__ == '__main__':\n    main()\n",
            "w/cli.py": "from w.log import setup_logging\ndef main():\n    setup_logging()\n"
            "def report(rows):\n    return {'main': rows}\n",
            "w/log.py": HELPER,
        },
    )
    # the string 'main' (a data key) would make main's own uses unclear
    assert project.runs_once_at_start("w/cli.py", "main")
    assert project.runs_once_at_start("w/log.py", "setup_logging")
