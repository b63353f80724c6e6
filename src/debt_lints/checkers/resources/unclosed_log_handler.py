from __future__ import annotations

import ast
import sys

from debt_lints.analysis.callers import OTHER, name_uses, qualified_name
from debt_lints.analysis.context import FileContext, ProjectView
from debt_lints.analysis.resources import (
    BaseFacts,
    ClassFacts,
    FileMemo,
    Function,
    HelperCall,
    Release,
    Use,
    UsePolicy,
    Verdicts,
    bases_release,
    binding,
    call_name_mentions,
    class_chain,
    class_refs,
    classify,
    closes_something,
    constructed_class,
    decorator_mentions,
    function_scope,
    helper_call,
    module_of,
    names_in,
    project_helper_uses,
    same_file_helper_uses,
    self_name,
    top_level_classes,
    walk_methods,
)
from debt_lints.analysis.semantic import model_of
from debt_lints.core.model import Calls, Finding, Rule, Severity
from debt_lints.core.record import replace
from debt_lints.core.settings import Settings

#: Handlers that hold a file or a socket open from creation until ``close()``.
#: ``HTTPHandler`` and ``SMTPHandler`` open a connection per record and close
#: it; ``StreamHandler`` does not own its stream: none of them leak.
_HANDLERS = frozenset(
    {
        "logging.FileHandler",
        "logging.handlers.RotatingFileHandler",
        "logging.handlers.TimedRotatingFileHandler",
        "logging.handlers.WatchedFileHandler",
        "logging.handlers.SocketHandler",
        "logging.handlers.DatagramHandler",
        "logging.handlers.SysLogHandler",
        "concurrent_log_handler.ConcurrentRotatingFileHandler",
    }
)
#: Last components of :data:`_HANDLERS`, to skip other calls cheaply (a name bound
#: by ``from logging import FileHandler as FH`` is an import alias and still resolved).
_SHORT_NAMES = frozenset(name.rsplit(".", 1)[1] for name in _HANDLERS)
_CACHES = frozenset({"functools.cache", "functools.lru_cache"})
_CLEANUP_WORDS = ("cleanup", "clean_up", "close", "shutdown", "teardown", "release", "dispose")
_ATTACH = frozenset({"addHandler"})
_POLICY = UsePolicy(
    closing_methods=frozenset({"removeHandler"}),
    neutral_methods=frozenset({"addHandler"}),
)


class _ClassFacts(ClassFacts):
    __slots__ = ("attached",)
    #: ``self.<attr>`` passed to ``addHandler`` somewhere in the class.
    attached: set[str]

    def __init__(self, *, foreign: bool = False, damaged: bool = False) -> None:
        super().__init__(foreign=foreign, damaged=damaged)
        self.attached = set()


class UnclosedLogHandler(Rule):
    """
    ## What it does
    Flags a logging handler that holds a file or a socket
    (`logging.FileHandler`, `RotatingFileHandler`, `TimedRotatingFileHandler`,
    `WatchedFileHandler`, `SocketHandler`, `DatagramHandler`, `SysLogHandler`,
    `ConcurrentRotatingFileHandler`, through any import alias), or a class of
    the project that inherits from one of them, directly or through project
    bases in any module (`class CleaningTimedRotatingFileHandler(
    logging.handlers.TimedRotatingFileHandler)`), when it is
    created inside a function or method, attached with `addHandler`, and
    neither closed (`handler.close()`), removed (`logger.removeHandler(handler)`)
    nor handed on in that function or, for a method, in its class or a base
    class (in any module of the project). A handler created straight inside the
    `addHandler(...)` call is flagged the same way. Handlers created at module
    level are fine: there is one per process, and so are handlers made in a
    function that only the module's own top-level code calls (directly, or
    through the `__init__` of a class instantiated there: `log =
    GraphiteLogger()`), as the semantic model tells. So are handlers made in a
    function (or a method) that runs once, when a program starts, as the whole
    repository shows: a console or GUI script the packaging at the root of
    the repository installs (`[project.scripts]`, `console_scripts` in
    `setup.py` or in `setup.cfg`, setuptools' `[options.entry_points]` or
    pbr's `[entry_points]`), a Django management command's
    `Command.handle`, or a function every use of which in the repository is a
    direct call, outside loops, in such code, in a `__main__` block (a
    `__main__.py`, a script whose name is no module name) or in its own
    module's top-level code (`main()` calling `setup_logging()`, with
    `if __name__ == "__main__": main()`).

    ## Why is this debt
    Each call of such a function (each instance of such a class) opens the log
    file again and attaches one more handler to the same named logger: every
    record is then written N times, and N descriptors stay open until the
    process dies. The audit found 9 files that open log handlers without ever
    closing them, most in `setup_logger()`-style helpers called by every agent.

    ## Example
    ```python
    import logging
    from logging.handlers import RotatingFileHandler


    def setup_logger(name, log_file):
        logger = logging.getLogger(name)
        handler = RotatingFileHandler(log_file, maxBytes=10_000_000, backupCount=5)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        return logger
    ```

    ## Use instead
    ```python
    import logging
    from logging.handlers import RotatingFileHandler


    def setup_logger(name, log_file):
        logger = logging.getLogger(name)
        if not logger.handlers:  # attach once per process
            handler = RotatingFileHandler(log_file, maxBytes=10_000_000, backupCount=5)
            logger.addHandler(handler)
        return logger
    ```

    ## Options
    None.

    ## Known limits
    A function that looks at the logger's existing handlers (`logger.handlers`,
    `logger.hasHandlers()`) or is memoised with `functools.cache`/`lru_cache`
    is assumed to attach its handler once, and is not reported; so is code that
    clears handlers wholesale (`for h in logger.handlers[:]: ...`,
    `logger.handlers.clear()`, `logging.shutdown()`). Handlers given to
    `logging.basicConfig(handlers=[...])` or `dictConfig` are owned by logging
    and not reported. A project's own handler class is seen when its name ends
    in `Handler`, as logging's do, and its bases can be followed through the
    project's modules to one of the handlers above; a class named otherwise, a
    subclass of `logging.Handler` that opens its file itself, and any project
    class in a file checked alone (its bases are in other files) are not seen.
    `HTTPHandler` and `SMTPHandler` (a connection per record) and
    `StreamHandler` (it does not own its stream) hold nothing open and are not
    reported. Whether a function runs once at start-up is read from its
    uses by name (`x.setup_logger()` is a use of every `setup_logger`), except
    where the receiver is the method's own `self` or `cls`, or `super()`:
    `self.init_app(app)` in a class that (or whose project base) defines
    `init_app` is a use of that class's method and its bases' and subclasses'
    only, `super().init_app(app)` one of a base's only, and neither is a use
    of a module-level function (binding one to a class is a use of its own);
    a mixin's `self.init_app` (its class does not define it) is matched by
    name, and a subclass inheriting from two classes, ordering the other
    class's method first, is not seen. A call of a function from its own body
    adds no caller. A program the packaging names through a re-export
    (`pkg.__main__:main` where `__main__` imports `main`) is the function
    imported. A
    function the repository never uses is API its users may call at will, and
    is reported; so is one used from ordinary code (a request handler, a loop,
    a callback, a string naming it, `"app.log.setup"` for a logging factory,
    another module's import-time code, where helpers are called by every
    module), a constructor or other dunder method (`__init__` runs once
    per instance, whoever builds it), and one whose uses cannot all be read (a
    file that does not parse names it, more than 20,000 Python files). A call
    through a computed name (`getattr(obj, name)()`), a use from a non-Python
    file, another framework's command (a `click` command, a worker pool's
    initializer) and a program that runs its start-up twice in one process
    are not seen. A framework hook the project runs once per process by a
    computed name (`call_plugin(StartupPlugin, "on_startup")`) and also from an
    event callback (a plugin's `"enabled"` lifecycle callback) is reported:
    whether that event can fire for a given class (OctoPrint never enables a
    plugin that needs a restart while running) is the framework's rule, not
    something the code shows. The programs are read from the packaging as data: a
    `setup.py`'s `console_scripts` and `gui_scripts` count when they are
    literal lists, in a dict literal or in a dict filled key by key
    (`eps["gui_scripts"] = [...]`, `eps["console_scripts"].extend([...])`);
    lists a function builds are not seen. Checked alone, without the rest of the repository (a
    notebook), the file's finding stays. As for unclosed sockets, base
    classes are followed through every module of the project (a base that
    cannot be followed keeps the class unchecked for its attributes; a
    cleanup through `getattr(self, name)` releases the names it can be
    seen to reach, and one that closes over
    names that cannot be followed is reported as uncertain), and a handler
    passed to a function of the
    project is followed into it: a helper that only attaches it
    (`logger.addHandler(handler)`, even behind `if handler not in
    logger.handlers`) or only configures it does not take it over. So is a
    handler passed to a project class (`VirtualPrinter(settings,
    seriallog_handler=handler)`, here or in another module, also through a
    module the function imports further down), into the class's own
    `__init__`: one that only attaches it does not take it over, unless a
    method of the class (or of a base in the same file) clears its logger's
    handlers wholesale, or a base in another module might; an inherited
    `__init__` (a dataclass's, a base's) is not followed. A handler
    stored on `self` and passed to such a helper is still assumed handed on,
    and so is one copied to another name or captured by a nested function.
    In a file that does not parse, what recovery could not keep whole (a
    statement whose receiver became a template placeholder,
    `${X}.removeHandler(h)`, or the rest of a class swallowed by a bracket
    never closed) may close anything: a function with lost text reports none
    of its handlers, and a class with lost text in it or in a base of the same
    file none of its attributes.
    """

    code = "DL502"
    evidence = (b"handler",)
    # A project's own handler classes are named as logging's are (``...Handler``).
    wanted_calls = Calls(names=_SHORT_NAMES, suffixes=("Handler",), imported=True)
    name = "unclosed-log-handler"
    summary = "a file or socket log handler is attached in a function and never closed"
    message = "log handler is never closed; create it once at module level, or close and remove it"
    severity = Severity.WARNING

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._functions: FileMemo[ast.AST, Verdicts] = FileMemo()
        self._classes: FileMemo[ast.AST, _ClassFacts] = FileMemo()
        #: ``[_START_UP, relpath, qualified name]`` of a function that may run once per
        #: process, for the project index to tell (``None``: its own file shows otherwise).
        self._start_up: FileMemo[ast.AST, list[object] | None] = FileMemo()
        #: Base classes read by :meth:`settle`: (tree id, name) -> (tree, facts).
        self._bases = BaseFacts(self._compute_class_facts)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if short is None or (
            short not in _SHORT_NAMES and short not in ctx.aliases and not short.endswith("Handler")
        ):
            return  # cheap exit for the vast majority of calls
        made = _maybe_handler(func, ctx)
        if made is None:
            return
        function = ctx.enclosing_function(node)
        if function is None:
            return
        verdicts = self._functions.get(ctx, function, lambda: self._analyse(function, ctx))
        leaked = node in verdicts.leaked
        if leaked:
            message = verdicts.leaked[node]
            question: list[object] | None = None
        elif node in verdicts.deferred:
            question = verdicts.deferred[node]
            raw = (
                question[4]
                if question[0] == _HELPERS
                else _attribute_message(str(question[1]), str(question[2]), question[3] is True)
            )
            assert isinstance(raw, str)
            message = raw
        else:
            return
        # Unless the repository shows that it runs once, when a program starts.
        start = self._start_up.get(ctx, function, lambda: _start_up_question(function, ctx))
        if start is not None:
            question = [*start, question]
        if made not in _HANDLERS:  # a project class: the index says whether it is a handler
            ctx.defer(node, [_HANDLER_CLASS, ctx.relpath, made, question], message)
        elif question is None:
            ctx.report(node, message)
        elif leaked:
            ctx.report_unless(node, question, message)
        else:
            ctx.defer(node, question, message)

    def _analyse(self, function: Function, ctx: FileContext) -> Verdicts:
        verdicts = Verdicts()
        if any(_decorator_name(d, ctx) in _CACHES for d in function.decorator_list):
            return verdicts
        if ctx.text_lost_in(function):
            return verdicts  # the lost text may close, remove or hand on any handler
        model = model_of(ctx)
        if model is not None and model.runs_at_import(function):
            return verdicts  # set up once per process, as a module-level handler is
        scope = function_scope(function)
        if _touches_handlers(scope.nodes, ctx):
            return verdicts
        klass = ctx.parent(function)
        me = self_name(function) if isinstance(klass, ast.ClassDef) else None
        facts = self._class_facts(klass, ctx) if isinstance(klass, ast.ClassDef) else None
        if facts is not None and (facts.releases_everything or facts.damaged):
            return verdicts

        local: dict[ast.Call, tuple[str, ...]] = {}
        inline: list[ast.Call] = []
        stored: list[tuple[ast.Call, str]] = []
        for node in scope.nodes:
            if not (isinstance(node, ast.Call) and _maybe_handler(node.func, ctx) is not None):
                continue
            parent = scope.parents.get(node)
            if _is_add_handler_arg(node, parent):
                inline.append(node)
                continue
            bound = binding(node, parent)
            if bound is None:
                continue
            if bound.names and not bound.attributes:
                local[node] = bound.names
            elif len(bound.attributes) == 1 and not bound.names:
                target = bound.attributes[0]
                if isinstance(target.value, ast.Name) and target.value.id == me:
                    stored.append((node, target.attr))
        if not (local or inline or stored):
            return verdicts

        names = {name for bound in local.values() for name in bound}
        attached: set[str] = set()
        handled = set(scope.shared) | (names & scope.captured)
        #: Names handed only to functions that may be project helpers (the index decides).
        helpers: dict[str, list[HelperCall]] = {}
        for name in names_in(scope.nodes):
            if name.id not in names:
                continue
            if _is_add_handler_arg(name, scope.parents.get(name)):
                attached.add(name.id)
                continue
            use = classify(name, scope.parents, ctx, _POLICY)
            if use is Use.NEUTRAL:
                continue
            helper = helper_call(name, scope.parents, ctx) if use is Use.ESCAPE else None
            if helper is not None and "." not in helper.callee:
                # A function of this file: read it now, no need for the index.
                uses = same_file_helper_uses(helper, function, ctx, _POLICY, _ATTACH)
                if uses is None and _is_own_class(helper.callee, function, ctx):
                    helpers.setdefault(name.id, []).append(helper)  # its __init__, later
                elif uses is None or uses - {Use.NEUTRAL.value, "attach"}:
                    handled.add(name.id)
                elif "attach" in uses:
                    attached.add(name.id)
            elif helper is not None:
                helpers.setdefault(name.id, []).append(helper)
            else:
                handled.add(name.id)

        for call in inline:
            kind = (_maybe_handler(call.func, ctx) or "").rpartition(".")[2] or "log handler"
            verdicts.leaked[call] = (
                f"{kind} attached here is never closed; create it once at module level,"
                " or close and remove it"
            )
        for call, bound_names in local.items():
            if any(n in handled for n in bound_names):
                continue
            message = (
                f"log handler {bound_names[0]} is never closed; create it once at module"
                " level, or close and remove it"
            )
            is_attached = any(n in attached for n in bound_names)
            calls = [c.to_json() for n in bound_names for c in helpers.get(n, ())]
            if calls:
                verdicts.deferred[call] = [_HELPERS, ctx.relpath, is_attached, calls, message]
            elif is_attached:
                verdicts.leaked[call] = message
        for call, attr in stored:
            if facts is None or attr not in facts.attached or attr in facts.handled:
                continue
            assert isinstance(klass, ast.ClassDef)
            if facts.foreign:
                verdicts.deferred[call] = [ctx.relpath, klass.name, attr, facts.uncertain]
            else:
                verdicts.leaked[call] = _attribute_message(klass.name, attr, facts.uncertain)
        return verdicts

    # --- the project phase -----------------------------------------------------------

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report ``self.<attr>`` unless a base class in another module closes or removes it.

        Also: a handler handed to project functions that only attach it (or
        only look at it) is reported, as if attached in place.
        """
        if isinstance(question, list) and len(question) == 4 and question[0] == _HANDLER_CLASS:
            _, relpath, made, inner = question
            if not (isinstance(relpath, str) and isinstance(made, str)):
                return None
            bases = project.external_bases(relpath, made)
            if bases is None or not _HANDLERS.intersection(bases):
                return None  # no project class, or one that holds no file or socket
            return finding if inner is None else self.settle(inner, finding, project)
        if isinstance(question, list) and len(question) == 4 and question[0] == _START_UP:
            _, relpath, qualname, inner = question
            if not (isinstance(relpath, str) and isinstance(qualname, str)):
                return None
            decided = finding if inner is None else self.settle(inner, finding, project)
            if decided is None or project.runs_once_at_start(relpath, qualname):
                return None
            return decided
        if isinstance(question, list) and len(question) == 5 and question[0] == _HELPERS:
            return self._settle_helpers(question, finding, project)
        if not (isinstance(question, list) and len(question) == 4):
            return None
        relpath, class_name, attr, uncertain = question
        if not (all(isinstance(v, str) for v in question[:3]) and isinstance(uncertain, bool)):
            return None

        def judge(facts: _ClassFacts) -> Release:
            if facts.releases_everything or facts.damaged or attr in facts.handled:
                return Release.RELEASED
            return Release.UNCERTAIN if facts.uncertain else Release.NOT_RELEASED

        verdict = bases_release(project, relpath, class_name, self._bases, judge)
        if verdict is Release.RELEASED:
            return None
        if verdict is Release.UNCERTAIN or uncertain:
            message = _attribute_message(class_name, attr, uncertain=True)
            return replace(finding, message=message)
        return finding

    def _settle_helpers(
        self, question: list[object], finding: Finding, project: ProjectView
    ) -> Finding | None:
        """Report a handler handed only to project functions or constructors that attach
        it or merely use it; a class whose methods release handlers wholesale (or that a
        base may release them in) takes over what its ``__init__`` attaches."""
        _, relpath, attached, raw_calls, _ = question
        if not (isinstance(relpath, str) and isinstance(raw_calls, list)):
            return None
        uses = project_helper_uses(relpath, raw_calls, project, _POLICY, _ATTACH, constructors=True)
        if uses is None or any(u - {Use.NEUTRAL.value, "attach"} for u in uses):
            return None  # not a project function, or one that takes the handler over
        for raw in raw_calls:
            built = constructed_class(relpath, raw, project)
            if built is None:
                continue
            facts = self._bases.get((built[3], built[4]), built[1][1])
            if facts is None or facts.foreign or facts.damaged or facts.releases_everything:
                return None
        return finding if attached or any("attach" in u for u in uses) else None

    def _class_facts(self, klass: ast.ClassDef, ctx: FileContext) -> _ClassFacts:
        return self._classes.get(ctx, klass, lambda: self._compute_class_facts(klass, ctx))

    @staticmethod
    def _compute_class_facts(klass: ast.ClassDef, ctx: FileContext) -> _ClassFacts:
        module = module_of(klass, ctx)
        classes = top_level_classes(module) if module is not None else {}
        chain, foreign = class_chain(klass, classes, ctx)
        facts = _ClassFacts(foreign=foreign, damaged=any(ctx.text_lost_in(c) for c in chain))
        methods = walk_methods(chain)
        refs = class_refs(methods, ctx, chain)
        facts.releases_everything = (
            any(closes_something(m, _POLICY) for m in refs.wholesale)
            or any(call_name_mentions(c, ctx, _CLEANUP_WORDS) for c in refs.self_passed)
            or any(decorator_mentions(c, _CLEANUP_WORDS) for c in chain)
            or any(decorator_mentions(m.method, _CLEANUP_WORDS) for m in methods)
            or any(_touches_handlers(m.nodes, ctx) for m in methods)
        )
        for attr, mentions in refs.refs.items():
            for ref in mentions:
                if isinstance(ref.node, ast.Attribute) and not isinstance(ref.node.ctx, ast.Load):
                    continue
                if _is_add_handler_arg(ref.node, ref.parents.get(ref.node)):
                    facts.attached.add(attr)
                elif classify(ref.node, ref.parents, ctx, _POLICY) is not Use.NEUTRAL:
                    facts.handled.add(attr)
        # ``getattr(self, name)`` over names that cannot be followed: joining or logging
        # the value releases nothing; closing or handing it on may release anything.
        facts.uncertain = any(
            classify(ref.node, ref.parents, ctx, _POLICY) is not Use.NEUTRAL for ref in refs.dynamic
        )
        return facts


#: First item of a question about project helpers (the other kind names a file first).
_HELPERS = "helpers"
#: First item of a question about a function that may run once, when a program starts.
_START_UP = "start-up"
#: First item of a question about a class of the project that may be a log handler.
_HANDLER_CLASS = "handler-class"


def _maybe_handler(func: ast.expr, ctx: FileContext) -> str | None:
    """The qualified name of the class a call of ``func`` makes, when it may be a log
    handler that holds a file or a socket: one of :data:`_HANDLERS`, or a class of the
    project named as handlers are (``CleaningTimedRotatingFileHandler``, here or through
    the imports), whose bases the project index tells. ``None`` for anything else: a
    method of some object, a standard-library class that is not in :data:`_HANDLERS`
    (``logging.StreamHandler``)."""
    made = ctx.resolve(func)
    if made is None or made in _HANDLERS:
        return made
    if not made.endswith("Handler") or made.partition(".")[0] in sys.stdlib_module_names:
        return None
    dotted = ctx.dotted(func) or ""
    if "." in dotted and dotted.partition(".")[0] not in ctx.aliases:
        return None  # self.SomeHandler(...), an attribute of some object
    return made


def _start_up_question(function: Function, ctx: FileContext) -> list[object] | None:
    """``[_START_UP, relpath, qualified name]`` when other modules may show that
    ``function`` runs once per process (:meth:`ProjectView.runs_once_at_start`): a
    top-level function or a method of a top-level class, not a dunder (``__init__``
    runs per instance), that its own file does not hand on or call repeatedly."""
    qualname = qualified_name(function, ctx)
    if qualname is None or function.name.startswith("__") or model_of(ctx) is None:
        return None  # (the model completes the file's parents, which the uses are read by)
    assert ctx.tree is not None
    if any(use.kind == OTHER for use in name_uses(function.name, ctx.tree, ctx)):
        return None
    return [_START_UP, ctx.relpath, qualname]


def _is_own_class(name: str, near: ast.AST, ctx: FileContext) -> bool:
    """``name`` is a class defined at the top level of the file ``near`` is in."""
    module = module_of(near, ctx)
    return module is not None and name in top_level_classes(module)


def _attribute_message(class_name: str, attr: str, uncertain: bool = False) -> str:
    if uncertain:
        return (
            f"self.{attr} is attached but not closed by name by {class_name} or its bases,"
            " and may not be closed at all: a cleanup closes attributes through"
            " getattr(self, name) with names that cannot be followed; close and remove it"
            " by name in cleanup()"
        )
    return (
        f"self.{attr} is attached but never closed by {class_name} or its bases;"
        " close and remove it in cleanup()"
    )


def _is_add_handler_arg(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr == "addHandler"
        and node in parent.args
    )


def _decorator_name(decorator: ast.expr, ctx: FileContext) -> str | None:
    return ctx.resolve(decorator.func if isinstance(decorator, ast.Call) else decorator)


def _touches_handlers(nodes: list[ast.AST], ctx: FileContext) -> bool:
    """The code checks, iterates or clears the logger's handlers, or shuts logging down.

    Such code attaches its handler once (``if not logger.handlers:``) or
    releases handlers wholesale (``for h in logger.handlers[:]: h.close()``).
    """
    for node in nodes:
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"handlers", "hasHandlers"}
            and ctx.resolve(node) != "logging.handlers"  # the module, not a logger's list
        ):
            return True
        if isinstance(node, ast.Call) and ctx.resolve(node.func) == "logging.shutdown":
            return True
    return False
