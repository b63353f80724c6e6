from __future__ import annotations

import ast
from collections.abc import Iterator

from debt_lints.analysis.context import FUNCTIONS, FileContext, ProjectView, is_test_path
from debt_lints.analysis.patterns import call_arg, env_accesses, runs_as_program
from debt_lints.analysis.semantic import (
    FROM_CALLER,
    FROM_CWD,
    FROM_DATA_DIR,
    FROM_INPUT,
    FROM_LOCATION,
    FROM_OTHER,
    FROM_SYS_PATH,
    model_of,
    module_model,
)
from debt_lints.core.model import Calls, Finding, Rule, Severity

#: Calls that put a folder on the path, and the position of the folder among their arguments.
_ADDERS = {"sys.path.insert": 1, "sys.path.append": 0, "sys.path.extend": 0, "site.addsitedir": 0}
#: Mutators that only take entries out: they put no folder on the path.
_REMOVERS = frozenset({"sys.path.remove", "sys.path.pop", "sys.path.clear"})
#: The last name of every call this rule can report: sys.path's adders,
#: addsitedir, and the environment writes of ``patterns.env_accesses``.
_CALLED_NAMES = frozenset(
    {"insert", "append", "extend", "addsitedir", "putenv", "setdefault", "update", "__setitem__"}
)
#: Where a folder comes from when the user chooses it: a parameter, the command
#: line, a setting, the working directory the user started in.
_USER_GIVEN = frozenset({FROM_CALLER, FROM_CWD, FROM_INPUT, FROM_SYS_PATH})
#: Where a plugin or site folder that a loader's callers name may be: the user's
#: choice, or a tool's configuration or data location (``/usr/share/tool``,
#: ``~/.tool``, ``%AppData%\\tool``), as opposed to the code's own layout, a
#: relative path, or a checkout in the home folder or below ``/opt``.
_PLUGIN_PLACES = _USER_GIVEN | {FROM_LOCATION}
#: What the program may put on the path outside its import time: what the user chose,
#: and folders of the data location the platform gives the program
#: (``user_data_dir("app")``), where it installs the user's plugins at run time.
_NOT_THE_CODES = _USER_GIVEN | {FROM_DATA_DIR}
#: The question of an addition of another module's value (``sys.path.append(DEPS)``
#: with ``from app.const import DEPS``) outside import time.
_ADDED_OUTSIDE_IMPORT = "added outside import time"


class SysPathInjection(Rule):
    """
    ## What it does
    Flags code that puts a folder on the import path at run time:
    `sys.path.insert`, `append` and `extend`, `sys.path += ...`,
    `sys.path = ...`, item and slice assignment, `site.addsitedir(...)`, the
    same through `from sys import path` or `import sys as s`, and setting
    `PYTHONPATH` through `os.environ` or `os.putenv`. At import time every
    such change is reported; inside a function, and where the file runs as
    the program (under `if __name__ == "__main__":`, or anywhere in a script
    whose name is no module name, `bin/carbon-cache.py`), a change whose
    folder comes from the code's own layout (`__file__`, a written path such
    as `"../.."`, another module's constant, a call the model cannot follow).

    ## Why is this debt
    A module that edits `sys.path` imports differently depending on where it
    is started from, hides circular imports, and breaks in containers and
    multi-stage images where the directory layout differs. The audit found
    `sys.path.insert(0, MAIN_PC_CODE)` in utilities that every agent imports,
    and import chains that only resolve through such injections.

    ## Example
    ```python
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from utils.path_manager import PathManager
    ```

    ## Use instead
    ```python
    # pip install -e . once; the package then imports from anywhere.
    from common.utils.path_manager import PathManager
    ```

    ## Options
    None.

    ## Known limits
    Reading `sys.path` (`print(sys.path)`, `if p not in sys.path`) is fine and
    not reported. Not reported either, as they put no folder of the code's
    layout on the path for good:

    * taking entries out or reordering: `sys.path.remove`, `pop`, `clear`,
      `del sys.path[i]`, `sys.path.append(sys.path.pop(0))`, a filtered copy,
      restoring a saved copy (`saved = sys.path[:]`, `list(sys.path)`,
      `sys.path.copy()`, then `sys.path[:] = saved`), also a copy another
      module of the project took at its top level, bound there once
      (`sys.path = sys_path` after `from pkg.globals import sys_path`, or
      `= pkg_globals.sys_path`, where `pkg/globals.py` does `sys_path =
      sys.path[:]`; told in the project phase, so a file checked alone keeps
      the finding), deleting `PYTHONPATH`;
    * a temporary entry: a function that also takes entries off the path
      (in `finally`, after a `yield`, by `addCleanup(sys.path.remove, ...)`),
      or a method whose class does so in another method (`setUp`/`tearDown`,
      `__enter__`/`__exit__`);
    * test infrastructure: a change inside a function of a test module
      (`test_*.py`, `*_test.py`, `tests.py`, `conftest.py`, anything under a
      `test`, `tests` or `testing` folder: the `test-files` option's default,
      as DL301 and DL401 read it); at import time a test module is reported;
    * a folder the user chose, inside a function or where the file runs as
      the program (a `__main__` block, a script that cannot be imported,
      such as `bin/run-graphite-devel-server.py` with its `--libs` option):
      a parameter (the caller's choice: a locustfile's folder, `--path`, a
      configured base folder), the command line (`sys.argv[1:]`,
      `parse_args()`, also as a dictionary: `vars(parser.parse_args())`),
      a setting (with no default, or a default that is
      the working directory or a configuration location; also an attribute
      of an instance of the program's configuration class, named `*Config`,
      `*Configuration`, `*Settings`, `*Options` or `*Conf`:
      `self.cfg = Config()`, then `self.cfg.chdir`), or the working
      directory (`os.getcwd()`, `""`, `"."`) as `python -m` itself does. The
      folder is followed through names, loops, `self` attributes and this
      file's functions by the semantic model; a helper that wraps
      `sys.path.insert(0, folder)` for callers in other modules is not seen,
      since those callers are not followed;
    * a folder of the data location the program asks the platform for,
      inside a function or where the file runs as the program: appdirs' and
      platformdirs' `user_data_dir("app")`, `site_data_dir`, `user_config_dir`
      and the other `user_*`/`site_*` folders (`*_path` too), or those
      attributes of `PlatformDirs(...)`/`AppDirs(...)`, joined with further
      parts that do not climb (`..`), also when another module of the
      project binds it once at its top level (`DEPS =
      os.path.join(user_data_dir("bot", "bot_modules"), "site-packages")`,
      told in the project phase): the program installs the user's plugins
      and their requirements there at run time (`pip install --target`),
      nothing can be installed in its place. At import time it is reported
      as any change. The same place written out (`~/.local/share/app`) is
      judged as a written location (below), and a project's own wrapper
      around those libraries is not followed;
    * a loader of the user's plugin or site folders: inside a function, a
      folder that comes from a parameter and that the function looks for
      before putting it on the path (`if not os.path.exists(site_dir):
      return`), when this file's callers name only the user's choice or a
      tool's configuration or data location, written out whole through
      joins, names, parameters and loops: a system data or configuration
      folder (`/usr/share/tool`, `/usr/local/share/tool`, `/etc/tool`,
      `/Library/Application Support/Tool`, `C:\\ProgramData\\tool`), a
      package manager's own prefix (MacPorts' `/opt/local`, Fink's `/sw`,
      Homebrew's `/opt/homebrew`, Solaris' `/opt/sfw`, pkgsrc, Nix), a
      dot-folder or configuration folder of the home (`~/.tool`,
      `Path.home() / ".tool"`, `~/.local/share/tool`,
      `~/Library/Application Support/Tool`, `$HOME/.tool`), or a place an
      environment variable names (`%AppData%`, `%LocalAppData%`,
      `$XDG_DATA_HOME`, also with a default that is such a place), as SCons
      loads `site_scons`. Still reported: the same loader fed the code's own
      layout (`__file__`), a relative written path (`"../lib"`), one
      machine's folder (`/home/dev/monorepo`, `/srv/app`: DL202's default
      roots), a folder of the home that is no configuration folder
      (`~/AI_System_Monorepo/main_pc_code`, `Path.home() / "monorepo"`),
      any other absolute folder (`/opt/<app>/lib`, `C:\\Tools\\lib`), a
      setting whose default is such a folder or the code's own layout
      (`os.environ.get("MAIN_PC_CODE", "/opt/ai_system/main_pc_code")`, the
      audit's debt: inside a function too, not only through a loader), a
      loader that does not look for its folder, and a search written inside
      one function with no caller (`if os.path.isdir("/usr/share/app"):
      sys.path.insert(0, ...)`). Not seen: a checkout kept in a
      configuration location (`~/.myapp/src`, `/usr/share/myapp/lib`
      holding the project's own packages) is silent, since the rule does
      not compare the folder's names with the checked repository's
      top-level folders and packages; a place built in a function the
      model cannot follow (another module's helper) is not written out and
      only the places that are written out decide;
    * a Sphinx `conf.py` (one that sets `extensions`, `master_doc`,
      `root_doc`, `html_theme`, `templates_path` or `source_suffix` at module
      level, also inside `try`/`if` blocks), its `setup(app)` hook included:
      the documentation tool's configuration, which puts the checkout on the
      path for autodoc.

    Setting `PYTHONPATH` in a copied environment for a child process
    (`env = os.environ.copy(); env["PYTHONPATH"] = ...`) is not reported: it
    does not change this process's imports. A list object that aliases
    `sys.path` under another name is not followed.
    """

    code = "DL201"
    evidence = (b"sys", b"pythonpath", b"addsitedir")
    wanted_calls = Calls(names=_CALLED_NAMES, imported=True)
    name = "sys-path-injection"
    summary = "sys.path or PYTHONPATH is modified at run time"
    message = "sys.path is modified at runtime; install the package (pip install -e .) instead"
    severity = Severity.ERROR

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        # Most calls in a tree are none of these: decide on the attribute or
        # name before resolving anything (this visitor runs on every call).
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr not in _CALLED_NAMES:
                return
        elif type(func) is ast.Name:
            if func.id not in ctx.aliases:
                return  # only an imported name can be site.addsitedir or os.putenv
        else:
            return
        name = ctx.resolve(func)
        if name in _REMOVERS:
            return  # taking entries out puts no folder on the path
        if name in _ADDERS:
            folder = call_arg(node, _ADDERS[name])
            if _is_debt(node, folder, ctx):
                _report_addition(node, folder, ctx)
            return
        for access in env_accesses(node, ctx):
            if access.kind == "write" and access.name == "PYTHONPATH" and _is_debt(node, None, ctx):
                ctx.report(node, _PYTHONPATH_MESSAGE)

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        for target in node.targets:
            self._check_target(target, node, node.value, ctx)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: FileContext) -> None:
        self._check_target(node.target, node, node.value, ctx, augmented=True)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        if node.value is not None:
            self._check_target(node.target, node, node.value, ctx)

    def _check_target(
        self,
        target: ast.AST,
        statement: ast.stmt,
        value: ast.expr | None,
        ctx: FileContext,
        augmented: bool = False,
    ) -> None:
        # The statement being visited, not the target, tells the context: the
        # engine records a target's parent only after the statement's visitors ran.
        kind = type(target)
        if kind is ast.Name:
            # ``path = [...]`` after ``from sys import path`` rebinds a local
            # name; only ``path += [...]`` changes the list itself.
            if augmented and ctx.resolve(target) == "sys.path" and _is_debt(statement, value, ctx):
                ctx.report(target)
            return
        if kind is ast.Attribute:
            if ctx.resolve(target) == "sys.path" and _is_debt(statement, value, ctx):
                _report(target, value, ctx)
            return
        if kind is ast.Tuple or kind is ast.List:
            assert isinstance(target, (ast.Tuple, ast.List))
            for element in target.elts:
                self._check_target(element, statement, None, ctx)
            return
        if kind is ast.Starred:
            assert isinstance(target, ast.Starred)
            self._check_target(target.value, statement, None, ctx)
            return
        if kind is ast.Subscript:
            assert isinstance(target, ast.Subscript)
            if ctx.resolve(target.value) == "sys.path":
                if _is_debt(statement, value, ctx):
                    _report(target, value, ctx)
                return
            for access in env_accesses(target, ctx):
                if (
                    access.kind == "write"
                    and access.name == "PYTHONPATH"
                    and _is_debt(statement, value, ctx)
                ):
                    ctx.report(target, _PYTHONPATH_MESSAGE)

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Withdraw ``sys.path = NAME`` where the module that binds ``NAME`` took it as a
        copy of the path (``sys_path = sys.path[:]``): a restore, made in another module."""
        if not (
            isinstance(question, list)
            and len(question) in (2, 3)
            and all(isinstance(part, str) for part in question)
        ):
            return finding
        module, name = question[:2]
        model = module_model(module, project)
        sources = model.module_path_sources(name) if model is not None else None
        if sources is None:
            return finding
        if question[2:] == [_ADDED_OUTSIDE_IMPORT]:
            # Added in a function or by the program: a folder of the program's data location.
            return None if sources <= _NOT_THE_CODES else finding
        return None if sources <= {FROM_SYS_PATH} else finding


_PYTHONPATH_MESSAGE = "PYTHONPATH is set at runtime; install the package (pip install -e .) instead"


def _report(target: ast.AST, value: ast.expr | None, ctx: FileContext) -> None:
    """Report a change of ``sys.path`` itself; one that puts another module's name there
    is withdrawn in the project phase if that module took the name as a copy of the path."""
    model = model_of(ctx)
    imported = model.imported_value(value) if model is not None and value is not None else None
    if imported is None:
        ctx.report(target)
    else:
        ctx.report_unless(target, list(imported))


def _report_addition(node: ast.Call, folder: ast.expr | None, ctx: FileContext) -> None:
    """Report an addition to the path; one outside import time of another module's value
    is withdrawn in the project phase if that module binds it to a folder of the
    program's data location (``DEPS = os.path.join(user_data_dir("app"), "site-packages")``)."""
    model = model_of(ctx)
    imported = model.imported_value(folder) if model is not None and folder is not None else None
    outside = ctx.enclosing_function(node) is not None or runs_as_program(node, ctx)
    if imported is None or not outside:
        ctx.report(node)
    else:
        ctx.report_unless(node, [*imported, _ADDED_OUTSIDE_IMPORT])


def _is_debt(node: ast.AST, value: ast.expr | None, ctx: FileContext) -> bool:
    """Whether the change at ``node`` (putting ``value`` on the path) is the debt:
    not a reordering or a restored copy, not a Sphinx ``conf.py``, not test set-up,
    not undone again, not a folder the user chose."""
    model = model_of(ctx)
    sources = (
        model.path_sources(value)
        if model is not None and value is not None
        else frozenset({FROM_OTHER})
    )
    if sources <= {FROM_SYS_PATH}:
        return False  # what was on the path already: a reordering or a restored copy
    function = ctx.enclosing_function(node)
    if function is None:
        if _is_sphinx_conf(ctx):
            return False
        if not runs_as_program(node, ctx):
            return True  # at import time, every importer gets it
        # The program's own top level: a folder the user gave is the user's choice.
        return not sources <= _NOT_THE_CODES
    if is_test_path(ctx.relpath) or _is_sphinx_conf(ctx):
        return False  # a test of module or plugin loading, a Sphinx hook, sets its path up
    if _takes_back(function, ctx) or _paired_clean_up(function, ctx):
        return False  # a temporary entry: the same function or its class takes it off
    if sources <= _NOT_THE_CODES:
        return False  # the user's choice, or the program's data location
    # A loader of the user's plugin or site folder: nothing can be installed in its place.
    return not (
        FROM_CALLER in sources
        and sources <= _PLUGIN_PLACES
        and model is not None
        and value is not None
        and model.folder_looked_for(value)
    )


#: Settings only a Sphinx configuration sets (``sphinx-quickstart`` writes them).
_SPHINX_SETTINGS = frozenset(
    {"extensions", "master_doc", "root_doc", "html_theme", "templates_path", "source_suffix"}
)


def _is_sphinx_conf(ctx: FileContext) -> bool:
    """A Sphinx configuration: a ``conf.py`` that sets ``extensions`` (or another setting
    only Sphinx reads) at module level, also inside ``if``/``try``/``with`` blocks."""
    if ctx.relpath.rpartition("/")[2] != "conf.py" or ctx.tree is None:
        return False
    found = ctx.memo.get("DL201:sphinx-conf")
    if found is None:
        found = ctx.memo["DL201:sphinx-conf"] = any(
            isinstance(target, ast.Name) and target.id in _SPHINX_SETTINGS
            for statement in _module_level(ctx.tree.body)
            for target in _assigned(statement)
        )
    return found is True


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run at import time: the body and its blocks, not functions."""
    for statement in body:
        yield statement
        if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(statement, field, None)
            if isinstance(inner, list):
                yield from _module_level(inner)
        for handler in getattr(statement, "handlers", ()):
            yield from _module_level(handler.body)


def _assigned(statement: ast.stmt) -> list[ast.expr]:
    if isinstance(statement, ast.Assign):
        return statement.targets
    if isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        return [statement.target]
    return []


def _takes_back(function: ast.AST, ctx: FileContext) -> bool:
    """Whether ``function`` takes entries off the path again: ``sys.path.remove``/``pop``
    (called, or handed to ``addCleanup``), ``del sys.path[i]``, or a saved copy put back."""
    memo = ctx.memo.setdefault(SysPathInjection.code, {})
    assert isinstance(memo, dict)
    found = memo.get(function)
    if found is None:
        found = memo[function] = any(_undoes(sub, ctx) for sub in ast.walk(function))
    return found is True


def _undoes(node: ast.AST, ctx: FileContext) -> bool:
    if isinstance(node, ast.Attribute):
        return ctx.resolve(node) in _REMOVERS  # called or registered as a clean-up
    if isinstance(node, ast.Delete):
        return any(
            isinstance(t, ast.Subscript) and ctx.resolve(t.value) == "sys.path"
            for t in node.targets
        )
    if isinstance(node, ast.Assign) and any(
        ctx.resolve(t.value if isinstance(t, ast.Subscript) else t) == "sys.path"
        for t in node.targets
    ):
        model = model_of(ctx)
        return model is not None and model.path_sources(node.value) <= {FROM_SYS_PATH}
    return False


def _paired_clean_up(function: ast.AST, ctx: FileContext) -> bool:
    """A method whose class takes entries off the path in another method
    (``setUp``/``tearDown``, ``__enter__``/``__exit__``, ``start``/``stop``)."""
    owner = ctx.parent(function)
    if not isinstance(owner, ast.ClassDef):
        return False
    return any(
        method is not function and isinstance(method, FUNCTIONS) and _takes_back(method, ctx)
        for method in owner.body
    )
