"""What the index knows about one file: plain, frozen, JSON-ready facts.

Facts depend on the file's content only (never on the configuration, the
import roots or other files), so they are cached with the file's results and
reused whatever the rest of the repository does. Everything that depends on
other files is computed by :class:`debt_lints.index.Project` from these facts.

The JSON form is compact (lists, not objects) and validated field by field
when read back: a cache entry that does not have exactly the expected shape
is ignored, never trusted in part.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TypeVar

from debt_lints.core.record import FrozenRecord

T = TypeVar("T")
#: How a frozen record's ``__init__`` sets its fields (as ``@dataclass(frozen=True)``).
_set = object.__setattr__

#: Bumped when the shape of :meth:`ModuleFacts.to_json` changes.
FACTS_VERSION = 4

#: Where an import sits (:attr:`ImportFact.flags`).
IN_FUNCTION = "function"
"""Inside a function or lambda: runs when the function is called (a deferred import)."""
TYPE_CHECKING_ONLY = "type-checking"
"""Under ``if TYPE_CHECKING:``: never runs."""
TRY_IMPORT = "try"
"""In the body of a ``try`` that catches ``ImportError`` (the preferred import)."""
FALLBACK = "fallback"
"""In an ``except ImportError:`` handler (the import used when the first one fails)."""
MAIN_ONLY = "main"
"""Under ``if __name__ == "__main__":``."""
DYNAMIC = "dynamic"
"""``importlib.import_module("a.b")`` or ``__import__("a.b")`` with a literal name."""
CONDITIONAL = "conditional"
"""Under another ``if`` (or ``match``): may not run."""

ALL_FLAGS = frozenset(
    {IN_FUNCTION, TYPE_CHECKING_ONLY, TRY_IMPORT, FALLBACK, MAIN_ONLY, DYNAMIC, CONDITIONAL}
)


class ImportFact(FrozenRecord):
    """One imported module, as written.

    ``import a.b, c as d`` gives two facts (``a.b``; ``c`` bound to ``d``);
    ``from ..x import y as z`` gives one, with ``level=2``, ``module="x"``
    and ``names=(("y", "z"),)``. ``names`` is empty for a plain ``import``
    and holds ``("*", None)`` for a star import.
    """

    __slots__ = ("asname", "column", "flags", "level", "line", "module", "names")
    module: str
    level: int
    names: tuple[tuple[str, str | None], ...]
    #: The name a plain ``import a.b as c`` binds (``c``); ``None`` binds ``a``.
    asname: str | None
    line: int
    column: int
    flags: frozenset[str]

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        module: str,
        level: int = 0,
        names: tuple[tuple[str, str | None], ...] = (),
        asname: str | None = None,
        line: int = 1,
        column: int = 1,
        flags: frozenset[str] = frozenset(),
    ) -> None:
        _set(self, "module", module)
        _set(self, "level", level)
        _set(self, "names", names)
        _set(self, "asname", asname)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "flags", flags)

    @property
    def is_from(self) -> bool:
        """``from ... import ...`` (or a relative import)."""
        return bool(self.names) or self.level > 0

    @property
    def at_import_time(self) -> bool:
        """Runs when the module is imported (not deferred, not for type checkers only)."""
        return not self.flags & {IN_FUNCTION, TYPE_CHECKING_ONLY, MAIN_ONLY}

    def bound_names(self) -> tuple[str, ...]:
        """The names this import binds where it is (``*`` excluded)."""
        if self.flags & {DYNAMIC}:
            return ()
        if not self.names:
            return (self.asname or self.module.partition(".")[0],)
        return tuple(asname or name for name, asname in self.names if name != "*")

    def to_json(self) -> list[object]:
        return [
            self.module,
            self.level,
            [[n, a] for n, a in self.names],
            self.asname,
            self.line,
            self.column,
            sorted(self.flags),
        ]

    @classmethod
    def from_json(cls, raw: object) -> ImportFact | None:
        if not (isinstance(raw, list) and len(raw) == 7):
            return None
        module, level, names, asname, line, column, flags = raw
        if not (
            isinstance(module, str)
            and type(level) is int
            and type(line) is int
            and type(column) is int
            and (asname is None or isinstance(asname, str))
            and isinstance(names, list)
            and isinstance(flags, list)
        ):
            return None
        known = _flags_of(flags)
        if known is None:
            return None
        pairs: list[tuple[str, str | None]] = []
        for pair in names:
            if not (
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and (pair[1] is None or isinstance(pair[1], str))
            ):
                return None
            pairs.append((_intern(pair[0]), None if pair[1] is None else _intern(pair[1])))
        return cls(
            _intern(module),
            level,
            tuple(pairs),
            None if asname is None else _intern(asname),
            line,
            column,
            known,
        )


class ClassFact(FrozenRecord):
    """A class defined at module level (also under ``if`` and ``try``).

    ``bases`` are the base expressions as dotted names, resolved through the
    module's top-level imports (``zmq.Context``; ``common.core.base_agent.BaseAgent``
    for ``from common.core.base_agent import BaseAgent``); a base defined in
    the same module keeps its bare name; a base that is not a dotted name
    (``make_base()``) is ``"?"``. ``Base[T]`` is ``Base``.
    """

    __slots__ = ("bases", "line", "methods", "name")
    name: str
    line: int
    bases: tuple[str, ...]
    #: Methods defined directly in the body (``def`` and ``async def``).
    methods: tuple[str, ...]

    def __init__(
        self, name: str, line: int, bases: tuple[str, ...] = (), methods: tuple[str, ...] = ()
    ) -> None:
        _set(self, "name", name)
        _set(self, "line", line)
        _set(self, "bases", bases)
        _set(self, "methods", methods)

    def to_json(self) -> list[object]:
        return [self.name, self.line, list(self.bases), list(self.methods)]

    @classmethod
    def from_json(cls, raw: object) -> ClassFact | None:
        if not (isinstance(raw, list) and len(raw) == 4):
            return None
        name, line, bases, methods = raw
        if not (isinstance(name, str) and type(line) is int):
            return None
        if not (_str_list(bases) and _str_list(methods)):
            return None
        return cls(_intern(name), line, tuple(map(_intern, bases)), tuple(map(_intern, methods)))


class FunctionFact(FrozenRecord):
    """A function defined at module level: its name, line and parameters in order."""

    __slots__ = ("line", "name", "params")
    name: str
    line: int
    params: tuple[str, ...]

    def __init__(self, name: str, line: int, params: tuple[str, ...] = ()) -> None:
        _set(self, "name", name)
        _set(self, "line", line)
        _set(self, "params", params)

    def to_json(self) -> list[object]:
        return [self.name, self.line, list(self.params)]

    @classmethod
    def from_json(cls, raw: object) -> FunctionFact | None:
        if not (isinstance(raw, list) and len(raw) == 3):
            return None
        name, line, params = raw
        if not (isinstance(name, str) and type(line) is int and _str_list(params)):
            return None
        return cls(_intern(name), line, tuple(map(_intern, params)))


class ModuleFacts(FrozenRecord):
    """Everything the index extracts from one Python file in the engine's walk."""

    __slots__ = (
        "classes",
        "definitions",
        "dunder_all",
        "dunder_all_dynamic",
        "functions",
        "imports",
        "launch_links",
        "loopback_ports",
        "main_guard",
        "only_imports",
        "script",
        "unparsable",
    )
    imports: tuple[ImportFact, ...]
    #: Names the module binds at top level by ``def``, ``class``, assignment,
    #: ``for``/``with`` targets (imports excluded: see :meth:`imported_names`).
    definitions: tuple[str, ...]
    #: ``__all__`` when it is a literal list or tuple of strings (``+=`` and
    #: ``.extend``/``.append`` of literals included); ``None`` when there is none.
    dunder_all: tuple[str, ...] | None
    #: ``__all__`` is built in a way the index cannot read (``None`` does not say it).
    dunder_all_dynamic: bool
    #: The module has an ``if __name__ == "__main__":`` block.
    main_guard: bool
    #: Top-level code is only imports, ``__all__``, a docstring, ``warnings.warn``
    #: calls and ``pass`` (also inside ``if``/``try``): a re-export shim.
    only_imports: bool
    #: A script: a shebang line, or top-level code that runs something (``main()``,
    #: ``print(...)``, ``while True:``) outside an ``if __name__ == "__main__":`` block.
    script: bool
    classes: tuple[ClassFact, ...]
    functions: tuple[FunctionFact, ...]
    #: Where the ports of the module's own listeners on loopback come from
    #: (:meth:`~debt_lints.analysis.semantic.SemanticModel.loopback_listen_sources`:
    #: ``env:NAME``, ``config:SECTION/KEY``, ``const:module.NAME``), sorted.
    loopback_ports: tuple[str, ...]
    #: What the module says about the command lines of the scripts it starts: pairs of
    #: one value (:meth:`~debt_lints.analysis.semantic.SemanticModel.launch_links`:
    #: ``argv:SCRIPT:N`` and the value given there), sorted.
    launch_links: tuple[tuple[str, str], ...]
    #: The file could not be parsed: nothing above is known.
    unparsable: bool

    def __init__(  # noqa: PLR0917  # the signature the dataclass had
        self,
        imports: tuple[ImportFact, ...] = (),
        definitions: tuple[str, ...] = (),
        dunder_all: tuple[str, ...] | None = None,
        dunder_all_dynamic: bool = False,
        main_guard: bool = False,
        only_imports: bool = False,
        script: bool = False,
        classes: tuple[ClassFact, ...] = (),
        functions: tuple[FunctionFact, ...] = (),
        loopback_ports: tuple[str, ...] = (),
        launch_links: tuple[tuple[str, str], ...] = (),
        unparsable: bool = False,
    ) -> None:
        _set(self, "imports", imports)
        _set(self, "definitions", definitions)
        _set(self, "dunder_all", dunder_all)
        _set(self, "dunder_all_dynamic", dunder_all_dynamic)
        _set(self, "main_guard", main_guard)
        _set(self, "only_imports", only_imports)
        _set(self, "script", script)
        _set(self, "classes", classes)
        _set(self, "functions", functions)
        _set(self, "loopback_ports", loopback_ports)
        _set(self, "launch_links", launch_links)
        _set(self, "unparsable", unparsable)

    # --- queries ---------------------------------------------------------------------

    def class_named(self, name: str) -> ClassFact | None:
        """The top-level class ``name`` (the first one, if defined twice)."""
        for klass in self.classes:  # a handful per module: no index kept (memory)
            if klass.name == name:
                return klass
        return None

    def top_level_imports(self) -> tuple[ImportFact, ...]:
        """Imports that bind a name of the module (not in a function, not dynamic)."""
        return tuple(i for i in self.imports if not i.flags & {IN_FUNCTION, DYNAMIC})

    def imported_names(self) -> tuple[str, ...]:
        """Names bound at top level by imports (``*`` excluded)."""
        out: dict[str, None] = {}
        for fact in self.top_level_imports():
            for name in fact.bound_names():
                out[name] = None
        return tuple(out)

    def star_imports(self) -> tuple[ImportFact, ...]:
        return tuple(i for i in self.top_level_imports() if any(name == "*" for name, _ in i.names))

    # --- JSON --------------------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        return {
            "v": FACTS_VERSION,
            "imports": [i.to_json() for i in self.imports],
            "defs": list(self.definitions),
            "all": list(self.dunder_all) if self.dunder_all is not None else None,
            "all_dynamic": self.dunder_all_dynamic,
            "main": self.main_guard,
            "only_imports": self.only_imports,
            "script": self.script,
            "classes": [c.to_json() for c in self.classes],
            "functions": [f.to_json() for f in self.functions],
            "unparsable": self.unparsable,
            "lports": list(self.loopback_ports),
            "launch": [list(pair) for pair in self.launch_links],
        }

    @classmethod
    def from_json(cls, raw: object) -> ModuleFacts | None:
        """Facts from :meth:`to_json`'s output; ``None`` unless every field has its shape."""
        if not isinstance(raw, Mapping) or raw.get("v") != FACTS_VERSION:
            return None
        imports = _items(raw.get("imports"), ImportFact.from_json)
        classes = _items(raw.get("classes"), ClassFact.from_json)
        functions = _items(raw.get("functions"), FunctionFact.from_json)
        defs = raw.get("defs")
        lports = raw.get("lports")
        dunder_all = raw.get("all")
        flags = [
            raw.get(k) for k in ("all_dynamic", "main", "only_imports", "unparsable", "script")
        ]
        if imports is None or classes is None or functions is None or not _str_list(defs):
            return None
        if not _str_list(lports):
            return None
        launch = raw.get("launch")
        if not (
            isinstance(launch, list) and all(_str_list(pair) and len(pair) == 2 for pair in launch)
        ):
            return None
        if dunder_all is not None and not _str_list(dunder_all):
            return None
        if not all(isinstance(f, bool) for f in flags):
            return None
        assert isinstance(defs, list) and isinstance(lports, list)
        return cls(
            imports=tuple(imports),
            definitions=tuple(map(_intern, defs)),
            dunder_all=tuple(dunder_all) if isinstance(dunder_all, list) else None,
            dunder_all_dynamic=bool(flags[0]),
            main_guard=bool(flags[1]),
            only_imports=bool(flags[2]),
            classes=tuple(classes),
            functions=tuple(functions),
            unparsable=bool(flags[3]),
            script=bool(flags[4]),
            loopback_ports=tuple(map(_intern, lports)),
            launch_links=tuple((_intern(a), _intern(b)) for a, b in launch),
        )


UNPARSABLE = ModuleFacts(unparsable=True)


#: One frozenset per distinct combination of flags, shared by every fact (memory).
_FLAG_SETS: dict[frozenset[str], frozenset[str]] = {}
#: The flags of each list of them already read, as :meth:`ImportFact.to_json` writes
#: them (sorted, each once: at most 128 lists; a handful recur in every file).
_FLAG_LISTS: dict[tuple[object, ...], frozenset[str]] = {(): frozenset()}


def _flags_of(flags: list[object]) -> frozenset[str] | None:
    """The flags of a list read back, ``None`` unless each is a known flag."""
    written = tuple(flags)
    try:
        return _FLAG_LISTS[written]
    except KeyError:
        pass
    except TypeError:  # an unhashable item
        return None
    if not all(isinstance(f, str) and f in ALL_FLAGS for f in flags):
        return None
    names = [f for f in flags if isinstance(f, str)]
    key = frozenset(names)
    found = _FLAG_SETS.setdefault(key, key)
    if names == sorted(key):
        _FLAG_LISTS[written] = found
    return found


#: Names repeat across modules (``os``, ``self``, ``BaseAgent``): keep one copy.
_intern = sys.intern


_ONLY_STR = frozenset({str})


def _str_list(value: object) -> bool:
    return isinstance(value, list) and _ONLY_STR.issuperset(map(type, value))


def _items(raw: object, decode: Callable[[object], T | None]) -> list[T] | None:
    if not isinstance(raw, list):
        return None
    out: list[T] = []
    for item in raw:
        value = decode(item)
        if value is None:
            return None
        out.append(value)
    return out
