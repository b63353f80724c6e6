"""Extracting a file's :class:`~debt_lints.index.facts.ModuleFacts` in the engine's walk.

:class:`FactsCollector` is an engine :class:`~debt_lints.engine.walk.Collector`: it
visits the import statements of the one walk the rules share, and reads the
module's top-level statements once when the walk ends. Dynamic imports
(``importlib.import_module("a.b")``) are looked for only in files whose text
names ``import_module`` or ``__import__``: a visitor on every call would
cost more than all the rest. Nothing is imported or executed.

:func:`facts_of_text` runs the same collector alone over a file read from disk,
so facts of a file that this run did not check (a base class in a directory
that was not named on the command line, a file a host plugin has not seen)
are exactly the facts the walk would have extracted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from debt_lints.analysis.context import FileContext
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.settings import Settings
from debt_lints.core.source import SourceProblem
from debt_lints.engine.walk import Collector, RuleSet, analyze_tree, parse_python
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

#: The key of the facts in a file's summary (:attr:`debt_lints.engine.walk.FileResult.summary`).
FACTS_KEY = "facts"

_IMPORT_MODULE = "importlib.import_module"
_DUNDER_IMPORT = frozenset({"__import__", "builtins.__import__", "importlib.__import__"})
_CALL_NAMES = frozenset({"import_module", "__import__"})
_IMPORT_ERRORS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
    | {f"builtins.{n}" for n in ("ImportError", "ModuleNotFoundError", "Exception")}
)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_WARN_CALLS = frozenset({"warnings.warn", "warnings.warn_explicit"})
#: Calls that, made at the top level of a module, make it a script.
_SCRIPT_CALLS = frozenset(
    {
        *("sys.exit", "asyncio.run", "unittest.main", "pytest.main", "os.system"),
        *("subprocess.run", "subprocess.call", "subprocess.check_call", "time.sleep"),
    }
)
#: Methods that, called at the top level, start something (``app.run()``, ``root.mainloop()``).
#: Cheap text tests before a file's loopback listeners are looked for.
_LOOPBACK_TEXT = ("localhost", "127.", "::1")
_LISTEN_TEXT = ("bind", "listen", "serve", "Server")
#: What follows a script's name when an argument comes after it, in a command template
#: (``daemon.py $PORT``) or a command list (``"daemon.py", str(port)``, ``"d.py"] + ``).
_LAUNCH_TAIL_RE = lazy_pattern(r"\s+[$%{\d]|[\"']\s*\)*\s*(?:[,+]|\]\s*\+)")
_SCRIPT_METHODS = frozenset({"run", "main", "start", "serve_forever", "mainloop", "exec_", "exec"})


class FactsCollector(Collector):
    """Collects one file's :class:`ModuleFacts` during the walk (see the module doc)."""

    code = "index"
    name = "project-facts"
    key = FACTS_KEY

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings or Settings())
        self._imports: list[ImportFact] = []

    def start(self, ctx: FileContext) -> None:
        self._imports = []

    def unparsable(self) -> object:
        return UNPARSABLE.to_json()

    # --- the walk ----------------------------------------------------------------------

    def visit_Import(self, node: ast.Import, ctx: FileContext) -> None:
        flags = _flags(node, ctx)
        line, column = _position(node, ctx)
        for alias in node.names:
            self._imports.append(ImportFact(alias.name, 0, (), alias.asname, line, column, flags))

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: FileContext) -> None:
        line, column = _position(node, ctx)
        names = tuple((alias.name, alias.asname) for alias in node.names)
        self._imports.append(
            ImportFact(node.module or "", node.level, names, None, line, column, _flags(node, ctx))
        )

    # --- the end of the file ---------------------------------------------------------

    def finish(self, tree: ast.AST, ctx: FileContext) -> object:
        found = self._imports
        self._imports = []
        # Dynamic imports need the called name: no visitor per call (calls are a
        # tenth of all nodes), but a look at the few files that can have one.
        if "import_module" in ctx.text or "__import__" in ctx.text:
            dynamic = [fact for fact in _dynamic_imports(tree, ctx) if fact is not None]
            if dynamic:
                found = sorted([*found, *dynamic], key=lambda f: (f.line, f.column))
        imports = tuple(found)
        if not isinstance(tree, ast.Module):
            return ModuleFacts(imports=imports).to_json()
        return module_facts(tree, imports, ctx).to_json()


def module_facts(
    tree: ast.Module, imports: tuple[ImportFact, ...], ctx: FileContext
) -> ModuleFacts:
    """The facts of a module whose imports were collected by the walk."""
    scan = _TopLevel(ctx)
    scan.run(tree.body)
    aliases = _aliases(imports)
    classes = tuple(
        ClassFact(
            node.name,
            node.lineno,
            tuple(_base_name(base, aliases, scan.definitions, ctx) for base in node.bases),
            tuple(
                s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
            ),
        )
        for node in scan.classes
    )
    return ModuleFacts(
        imports=imports,
        definitions=tuple(scan.definitions),
        dunder_all=tuple(scan.dunder_all) if scan.dunder_all is not None else None,
        dunder_all_dynamic=scan.dunder_all_dynamic,
        main_guard=scan.main_guard,
        only_imports=scan.only_imports and scan.has_import,
        script=scan.script or bool(ctx.lines and ctx.lines[0].startswith("#!")),
        classes=classes,
        functions=tuple(scan.functions),
        loopback_ports=_loopback_ports(tree, ctx),
        launch_links=_launch_links(tree, ctx),
    )


def _loopback_ports(tree: ast.Module, ctx: FileContext) -> tuple[str, ...]:
    """Where the module's own loopback listeners take their ports from (DL301's
    project phase asks). The semantic model is built only for a file whose text
    names a loopback host and a way to listen: the rules' walk has usually built
    it already for the same file."""
    text = ctx.text
    if not any(host in text for host in _LOOPBACK_TEXT) or not any(
        word in text for word in _LISTEN_TEXT
    ):
        return ()
    from debt_lints.analysis.semantic import may_listen_on_loopback, model_of

    if not may_listen_on_loopback(text):
        return ()
    if ctx.tree is None:
        ctx.tree = tree
    model = model_of(ctx)
    return tuple(sorted(model.loopback_listen_sources())) if model is not None else ()


def _launch_links(tree: ast.Module, ctx: FileContext) -> tuple[tuple[str, str], ...]:
    """What the module says about the command lines of the scripts it starts (DL301's
    project phase asks), for a file whose text names a script followed by an argument
    (``"daemon.py", str(port)``, ``"daemon.py"] + sys.argv[1:]``, ``daemon.py $PORT``).
    The semantic model is built only for a file that starts a process."""
    if not _names_a_launch(ctx.text):
        return ()
    from debt_lints.analysis.semantic import launch_links

    if ctx.tree is None:
        ctx.tree = tree
    return tuple(sorted(launch_links(ctx, tree)))


def _names_a_launch(text: str) -> bool:
    """``name.py`` followed by an argument, found from each ``.py`` in the text (a
    regular expression searched from every word character costs more than the
    rest of the facts)."""
    find, match = text.find, _LAUNCH_TAIL_RE.match
    at = find(".py")
    while at != -1:
        if at and (text[at - 1].isalnum() or text[at - 1] == "_") and match(text, at + 3):
            return True
        at = find(".py", at + 3)
    return False


def facts_of_text(text: str, path: str, relpath: str) -> ModuleFacts:
    """The facts of a file's decoded source, extracted as the walk extracts them."""
    return parse_for_project(text, path, relpath)[0]


def parse_for_project(
    text: str, path: str, relpath: str
) -> tuple[ModuleFacts, tuple[ast.Module, FileContext] | None]:
    """The facts of a file, and its tree with a context that knows its imports and parents.

    The walk is the engine's, with no rule: only the collector runs.
    """
    tree = parse_python(text, path)
    if isinstance(tree, SourceProblem):
        return UNPARSABLE, None
    collector = FactsCollector()
    rules = RuleSet([], Settings(), collectors=[collector])
    ctx = FileContext(path, relpath, text)
    collector.start(ctx)
    analyze_tree(tree, ctx, rules, [])
    raw = collector.finish(tree, ctx)
    return ModuleFacts.from_json(raw) or UNPARSABLE, (tree, ctx)


# --- where an import sits ------------------------------------------------------------


def _position(node: ast.stmt | ast.expr, ctx: FileContext) -> tuple[int, int]:
    return node.lineno, ctx.char_column(node.lineno, node.col_offset) + 1


_NO_FLAGS: frozenset[str] = frozenset()


def _dynamic_imports(tree: ast.AST, ctx: FileContext) -> Iterator[ImportFact | None]:
    # The walk recorded every node's parent: its keys are the tree's nodes,
    # and iterating a dict is much cheaper than ast.walk.
    call = ast.Call
    for node in list(ctx.parents):
        if type(node) is not call:
            continue
        assert isinstance(node, ast.Call)
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if last not in _CALL_NAMES and last not in ctx.aliases:
            continue
        called = ctx.resolve(func)
        if called == _IMPORT_MODULE:
            yield _import_module_fact(node, ctx)
        elif called in _DUNDER_IMPORT:
            yield _dunder_import_fact(node, ctx)


def _flags(node: ast.AST, ctx: FileContext) -> frozenset[str]:
    if isinstance(ctx.parents.get(node), ast.Module):
        return _NO_FLAGS  # most imports: at the top of the module
    flags: set[str] = set()
    child = node
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, _FUNCTION_SCOPES):
            flags.add(IN_FUNCTION)
        elif isinstance(ancestor, ast.If):
            in_body = any(item is child for item in ancestor.body)
            if _is_type_checking(ancestor.test, ctx):
                if in_body:
                    flags.add(TYPE_CHECKING_ONLY)
            elif _is_main_test(ancestor.test):
                flags.add(MAIN_ONLY if in_body else CONDITIONAL)
            else:
                flags.add(CONDITIONAL)
        elif isinstance(ancestor, ast.IfExp | ast.match_case | ast.While):
            flags.add(CONDITIONAL)
        elif isinstance(ancestor, _TRY_TYPES):
            body: list[ast.stmt] = getattr(ancestor, "body", [])
            handlers: list[ast.ExceptHandler] = getattr(ancestor, "handlers", [])
            if any(item is child for item in body) and any(
                _catches_import_error(h, ctx) for h in handlers
            ):
                flags.add(TRY_IMPORT)
        elif isinstance(ancestor, ast.ExceptHandler) and _catches_import_error(ancestor, ctx):
            flags.add(FALLBACK)
        child = ancestor
    return frozenset(flags)


_TRY_TYPES: tuple[type[ast.AST], ...] = (ast.Try,)
if hasattr(ast, "TryStar"):  # Python 3.11+
    _TRY_TYPES = (ast.Try, ast.TryStar)


def _is_type_checking(test: ast.expr, ctx: FileContext) -> bool:
    name = ctx.resolve(test)
    return name in {"TYPE_CHECKING", "typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"}


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return has_name and has_main


def _catches_import_error(handler: ast.ExceptHandler, ctx: FileContext) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ctx.resolve(kind) in _IMPORT_ERRORS for kind in kinds)


# --- dynamic imports -------------------------------------------------------------------


def _arg(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        dotted = node.value.lstrip(".")
        if dotted and not all(part.isidentifier() for part in dotted.split(".")):
            return None
        return node.value
    return None


def _import_module_fact(call: ast.Call, ctx: FileContext) -> ImportFact | None:
    arg = _arg(call, 0, "name")
    name = _literal(arg)
    if arg is None or name is None or not name.strip("."):
        return None
    line, column = _position(arg, ctx)
    flags = _flags(call, ctx) | {DYNAMIC}
    level = len(name) - len(name.lstrip("."))
    if not level:
        return ImportFact(name, 0, (), None, line, column, flags)
    package = _arg(call, 1, "package")
    if isinstance(package, ast.Constant) and isinstance(package.value, str):
        # importlib.util.resolve_name: level 1 is the package itself.
        bits = package.value.rsplit(".", level - 1)
        if len(bits) < level or not package.value:
            return None
        return ImportFact(f"{bits[0]}.{name[level:]}", 0, (), None, line, column, flags)
    own = (
        isinstance(package, ast.Name)
        and (package.id == "__package__" or (package.id == "__name__" and ctx.is_package))
    ) or (package is not None and ctx.dotted(package) == "__spec__.parent")
    if own:
        return ImportFact(name[level:], level, (), None, line, column, flags)
    return None


def _dunder_import_fact(call: ast.Call, ctx: FileContext) -> ImportFact | None:
    arg = _arg(call, 0, "name")
    name = _literal(arg)
    if arg is None or name is None or name.startswith("."):
        return None
    level_arg = _arg(call, 4, "level")
    level: object = 0
    if level_arg is not None:
        level = level_arg.value if isinstance(level_arg, ast.Constant) else None
    if not isinstance(level, int) or isinstance(level, bool) or level < 0:
        return None
    if not name and not level:
        return None
    names: tuple[tuple[str, str | None], ...] = ()
    fromlist = _arg(call, 3, "fromlist")
    if isinstance(fromlist, ast.List | ast.Tuple):
        names = tuple(
            (item.value, None)
            for item in fromlist.elts
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        )
    line, column = _position(arg, ctx)
    return ImportFact(name, level, names, None, line, column, _flags(call, ctx) | {DYNAMIC})


# --- the top level ---------------------------------------------------------------------


class _TopLevel:
    """One pass over the module's top-level statements (into ``if``, ``try``, ``with``...)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.definitions: dict[str, None] = {}
        self.dunder_all: list[str] | None = None
        self.dunder_all_dynamic = False
        self.main_guard = False
        self.only_imports = True
        self.script = False
        self.has_import = False
        self.classes: list[ast.ClassDef] = []
        self.functions: list[FunctionFact] = []

    def run(self, body: list[ast.stmt]) -> None:
        stack = list(reversed(body))
        while stack:
            statement = stack.pop()
            for child in reversed(self._statement(statement)):
                stack.append(child)

    def _define(self, target: ast.AST) -> None:
        for name in _target_names(target):
            self.definitions.setdefault(name, None)

    def _statement(self, node: ast.stmt) -> list[ast.stmt]:
        """Record ``node``; return the statements nested in it that are still top level."""
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.only_imports = False
            self.definitions.setdefault(node.name, None)
            args = node.args
            params = [a.arg for a in (*args.posonlyargs, *args.args)]
            if args.vararg:
                params.append("*" + args.vararg.arg)
            params.extend(a.arg for a in args.kwonlyargs)
            if args.kwarg:
                params.append("**" + args.kwarg.arg)
            self.functions.append(FunctionFact(node.name, node.lineno, tuple(params)))
            return []
        if isinstance(node, ast.ClassDef):
            self.only_imports = False
            self.definitions.setdefault(node.name, None)
            self.classes.append(node)
            return []
        if isinstance(node, ast.Import | ast.ImportFrom):
            self.has_import = True
            return []
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                self._all(node)
                return []
            self.only_imports = False
            for target in targets:
                self._define(target)
            return []
        if isinstance(node, ast.Expr):
            if not self._harmless_expression(node.value):
                self.only_imports = False
                self.script = self.script or self._runs_something(node.value)
            return []
        if isinstance(node, ast.If):
            if _is_main_test(node.test):
                self.main_guard = True
                self.only_imports = False
                return []
            return [*node.body, *node.orelse]
        if isinstance(node, _TRY_TYPES):
            handlers = [s for h in getattr(node, "handlers", []) for s in h.body]
            return [
                *getattr(node, "body", []),
                *handlers,
                *getattr(node, "orelse", []),
                *getattr(node, "finalbody", []),
            ]
        if isinstance(node, ast.Pass | ast.Delete):
            return []
        self.only_imports = False
        if isinstance(node, ast.For | ast.AsyncFor):
            self._define(node.target)
            return [*node.body, *node.orelse]
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    self._define(item.optional_vars)
            return list(node.body)
        if isinstance(node, ast.While):
            self.script = True  # a loop at the top level: a daemon or a polling script
            return [*node.body, *node.orelse]
        return []

    def _runs_something(self, value: ast.expr) -> bool:
        """A call that does a script's work: ``main()``, ``print(...)``, ``app.run()``."""
        if isinstance(value, ast.Await):
            return True
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if isinstance(func, ast.Name):
            # main(), print(...), run(); a private helper (``_add_method(...)`` in
            # crypt) sets a library module up rather than doing a script's work.
            return not func.id.startswith("_")
        if isinstance(func, ast.Attribute) and func.attr in _SCRIPT_METHODS:
            return True
        return self.ctx.resolve(func) in _SCRIPT_CALLS

    def _harmless_expression(self, value: ast.expr) -> bool:
        """A docstring, ``warnings.warn(...)``, or ``__all__.extend/append`` of literals."""
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return True
        if not isinstance(value, ast.Call):
            return False
        if self.ctx.resolve(value.func) in _WARN_CALLS:
            return True
        func = value.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "__all__"
            and func.attr in {"extend", "append"}
            and len(value.args) == 1
        ):
            items = [value.args[0]] if func.attr == "append" else _literal_items(value.args[0])
            strings = _strings(items) if items is not None else None
            if strings is None or self.dunder_all is None:
                self.dunder_all_dynamic = True
            else:
                self.dunder_all.extend(strings)
            return True
        return False

    def _all(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        items = _literal_items(node.value) if node.value is not None else None
        strings = _strings(items) if items is not None else None
        if strings is None:
            self.dunder_all_dynamic = True
            if self.dunder_all is None:
                self.dunder_all = []
            return
        if isinstance(node, ast.AugAssign):
            if self.dunder_all is None:
                self.dunder_all_dynamic = True
                self.dunder_all = []
            self.dunder_all.extend(strings)
        else:
            self.dunder_all = list(strings)


def _literal_items(node: ast.expr) -> list[ast.expr] | None:
    if isinstance(node, ast.List | ast.Tuple):
        return list(node.elts)
    return None


def _strings(items: list[ast.expr]) -> list[str] | None:
    out = []
    for item in items:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return None
        out.append(item.value)
    return out


def _target_names(target: ast.AST) -> Iterator[str]:
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Tuple | ast.List):
            stack.extend(reversed(node.elts))
        elif isinstance(node, ast.Starred):
            stack.append(node.value)


# --- base classes ----------------------------------------------------------------------


def _aliases(imports: tuple[ImportFact, ...]) -> dict[str, str]:
    """Top-level name -> what it names; relative targets keep their leading dots."""
    out: dict[str, str] = {}
    for fact in imports:
        if fact.flags & {IN_FUNCTION, DYNAMIC, TYPE_CHECKING_ONLY}:
            continue
        if not fact.is_from:
            if fact.asname:
                out.setdefault(fact.asname, fact.module)
            else:
                head = fact.module.partition(".")[0]
                out.setdefault(head, head)
            continue
        base = "." * fact.level + fact.module
        for name, asname in fact.names:
            if name == "*":
                continue
            joined = f"{base}.{name}" if fact.module else f"{base}{name}"
            out.setdefault(asname or name, joined)
    return out


def _base_name(
    base: ast.expr, aliases: dict[str, str], local: dict[str, None], ctx: FileContext
) -> str:
    if isinstance(base, ast.Subscript):  # Generic[T], Base[int]
        base = base.value
    dotted = ctx.dotted(base)
    if dotted is None:
        return "?"
    head, _, rest = dotted.partition(".")
    if head in local or head not in aliases:
        return dotted
    target = aliases[head]
    return f"{target}.{rest}" if rest else target
