"""The values an expression can take: folding, texts, elements, settings, defaults.

Answers *what text a string expression can take* (:meth:`ValueModel.texts`:
f-strings, ``%``, ``.format``, ``+``, ``.join``, the case/strip methods,
names, ``self`` attributes, parameters, this file's functions' results),
*which element of an unpacked value a name receives* (``_elements``),
*which expressions a value may come from* (:meth:`ValueModel.origins`),
*which keys a mapping holds* (:meth:`ValueModel.mapping_entries`), *which
setting a value is read from* (:meth:`ValueModel.setting`,
:meth:`ValueModel.setting_behind`), and *the value with every setting at its
default* (:meth:`ValueModel.default_value`, :meth:`ValueModel.default_truth`,
:meth:`ValueModel.default_path`). An unknown part is :data:`HOLE`; an unknown
value :data:`UNKNOWN_VALUE`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import product
from typing import NamedTuple

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.declared_options import declared_option
from debt_lints.analysis.literals import HOLE, last_name
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.patterns import call_arg, env_accesses
from debt_lints.analysis.semantic.bindings import (
    _CONTAINER,
    _EACH,
    _MAX_DEPTH,
    Def,
    _element_of,
    _Path,
    _path_to,
)
from debt_lints.analysis.semantic.calls import _OMITTED, CallModel, _argument_for, _generates
from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.record import FrozenRecord

#: What :meth:`SemanticModel.default_value` returns when the default cannot be told.
UNKNOWN_VALUE: object = type("_Unknown", (), {"__repr__": lambda self: "UNKNOWN_VALUE"})()
#: Methods of a mapping that leave it as it is.
_READ_ONLY_MAPPING = frozenset({"get", "keys", "values", "items", "copy"})
_MAX_TEXTS = 24


class Text(FrozenRecord):
    """One value a string expression can take, unknown parts as :data:`HOLE`."""

    __slots__ = ("source", "text")
    text: str
    #: The setting (environment variable, configuration key, ``parameter x``) whose
    #: default this value is, or ``None`` when it is written in the code.
    source: str | None

    def __init__(self, text: str, source: str | None = None) -> None:
        object.__setattr__(self, "text", text)  # frozen: as @dataclass(frozen=True) sets it
        object.__setattr__(self, "source", source)

    @property
    def known(self) -> bool:
        return HOLE not in self.text


_UNKNOWN_TEXT = Text(HOLE)
_STR_METHODS = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip"})
_CONVERTERS: dict[str, Callable[[object], object]] = {
    "int": int,  # type: ignore[dict-item]  # applied to folded constants; errors are caught
    "bool": bool,
    "str": str,
    "float": float,  # type: ignore[dict-item]  # applied to folded constants; errors are caught
}
_PERCENT_RE = lazy_pattern(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[sdirfxXg]|%%")
_BRACE_RE = lazy_pattern(r"\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


class ValueModel(CallModel):
    """The values an expression can take, and their values by default."""

    # --- values ---------------------------------------------------------------------------------

    def texts(self, node: ast.expr) -> tuple[Text, ...]:
        """Every text the string expression ``node`` can take (unknown parts :data:`HOLE`)."""
        return tuple(self._texts(node, 0, frozenset()))

    def _texts(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[Text]:
        if depth > _MAX_DEPTH or id(node) in seen:
            return [_UNKNOWN_TEXT]
        if self._text_calls:  # inside a call: the parameters have this call's values
            return _dedupe(self._texts_of(node, depth + 1, seen | {id(node)}))
        key = (id(node), "texts")
        cached = self._memo.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]  # only lists of Text are stored
        out = _dedupe(self._texts_of(node, depth + 1, seen | {id(node)}))
        self._memo[key] = out
        return out

    def _texts_of(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[Text]:
        if isinstance(node, ast.Constant):
            constant = node.value
            if isinstance(constant, str):
                return [Text(constant)]
            if isinstance(constant, (int, float)) and not isinstance(constant, bool):
                return [Text(str(constant))]
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.JoinedStr):
            pieces: list[list[Text]] = []
            for piece in node.values:
                if isinstance(piece, ast.Constant):
                    pieces.append([Text(str(piece.value))])
                elif isinstance(piece, ast.FormattedValue) and piece.format_spec is None:
                    pieces.append(self._texts(piece.value, depth, seen))
                else:
                    pieces.append([_UNKNOWN_TEXT])
            return _concat(pieces)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                return _concat(
                    [self._texts(node.left, depth, seen), self._texts(node.right, depth, seen)]
                )
            if isinstance(node.op, ast.Mod):
                return self._percent(node, depth, seen)
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.IfExp):
            return self._texts(node.body, depth, seen) + self._texts(node.orelse, depth, seen)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return self._or(node, depth, seen)
        if isinstance(node, ast.Name):
            return self._name_texts(node, depth, seen)
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                return self._attr_texts(cls, node.attr, depth, seen)
            option = self._declared_option(node)
            if option is not None:  # tornado's options.address: the user's, or the default
                name, default = option
                defaults = self._texts(default, depth, seen) if default is not None else []
                return [_UNKNOWN_TEXT, *(Text(t.text, name) for t in defaults)]
            return [_UNKNOWN_TEXT]
        if isinstance(node, ast.Call):
            return self._call_texts(node, depth, seen)
        return [_UNKNOWN_TEXT]

    def _declared_option(self, node: ast.Attribute) -> tuple[str, ast.expr | None] | None:
        """A setting declared in an option registry and read by attribute, when the
        namespace's name is the imported one (:mod:`.declared_options`)."""
        owner = node.value
        if not isinstance(owner, ast.Name) or owner.id not in self.ctx.aliases:
            return None
        defs = self.reaching(owner)
        if any(d.kind != "import" for d in defs):
            return None  # a parameter or a local named like the namespace
        return declared_option(node, self.ctx)

    def _name_texts(self, node: ast.Name, depth: int, seen: frozenset[int]) -> list[Text]:
        defs = self.reaching(node)
        if not defs:
            return [_UNKNOWN_TEXT]
        out: list[Text] = []
        for d in defs:
            out.extend(self._def_texts(d, depth, seen))
        return out

    def _def_texts(self, d: Def, depth: int, seen: frozenset[int]) -> list[Text]:
        if d.kind == "assign" and d.value is not None:
            return self._texts(d.value, depth, seen)
        if d.kind == "param":
            return self._param_texts(d, depth, seen)
        if d.kind == "element" and d.value is not None:
            elements, known = self._elements(d.value, d.path)
            return self._elements_texts(elements, known, depth, seen)
        return [_UNKNOWN_TEXT]

    def _elements_texts(
        self, elements: list[ast.expr], known: bool, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        out = [] if known else [_UNKNOWN_TEXT]
        for element in elements:
            out += self._texts(element, depth, seen)
        return out or [_UNKNOWN_TEXT]

    def _param_texts(self, d: Def, depth: int, seen: frozenset[int]) -> list[Text]:
        """A parameter: its default (what callers rely on), the arguments of this
        file's own calls, and whatever other callers pass; inside a call whose result is
        read (:meth:`_result_texts`), that call's argument."""
        if self._text_calls and self._text_calls[-1][0] is d.scope.node:
            function, call = self._text_calls[-1]
            argument = _argument_for(call, function, d.name, self._bound(function, call))
            if argument is None:
                return [_UNKNOWN_TEXT]  # *args, **kwargs: not known
            if argument is _OMITTED:
                return self._texts(d.value, depth, seen) if d.value is not None else []
            return self._texts(argument, depth, seen)
        out = [_UNKNOWN_TEXT]
        if d.value is not None:
            out += [
                Text(t.text, t.source or f"parameter {d.name}")
                for t in self._texts(d.value, depth, seen)
            ]
        for argument in self._arguments(d):
            out += self._texts(argument, depth, seen)
        return out

    def _result_texts(self, call: ast.Call, depth: int, seen: frozenset[int]) -> list[Text] | None:
        """What a function of this file returns for ``call`` (``endpoint("*", 5555)``
        where ``endpoint`` returns ``"tcp://%s:%d" % (host, port)``): its returned
        values, its parameters taking this call's arguments. ``None`` for another
        callable, a generator, a coroutine, or a function already being read (recursion)."""
        function = self.function_of(call)
        if (
            not isinstance(function, ast.FunctionDef)
            or len(self._text_calls) >= _MAX_CALL_CONTEXTS
            or any(entered is function for entered, _ in self._text_calls)
        ):
            return None
        returned = self._returned(function)
        if not returned or _generates(function):
            return None
        self._text_calls.append((function, call))
        try:
            return [t for value in returned for t in self._texts(value, depth, seen)]
        finally:
            self._text_calls.pop()

    def _attr_texts(
        self, cls: ast.ClassDef, attr: str, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        values = self.attribute_values(cls, attr)
        if not values:
            return [_UNKNOWN_TEXT]
        out: list[Text] = []
        for value in values:
            if isinstance(value, ast.expr):
                out.extend(self._texts(value, depth, seen))
            else:  # self.host, self.port = address(): the element the attribute receives
                elements: list[ast.expr] = []
                known = self._attribute_elements(value, cls, attr, elements, depth=0, seen=set())
                out.extend(self._elements_texts(elements, known, depth, seen))
        return out

    # --- unpacking: the element a name or an attribute receives --------------------------------

    def _elements(self, value: ast.expr, path: _Path) -> tuple[list[ast.expr], bool]:
        """The expressions the element of ``value`` that ``path`` picks may be, and
        whether that is all it may be: through tuple and list displays, names, ``self``
        attributes, parameters (their default and this file's arguments, not all
        known), a conditional expression, and this file's functions that return a
        display (``return "0.0.0.0", 80``). Anything else is unknown: an element of a
        value the model does not know is never guessed."""
        out: list[ast.expr] = []
        known = self._pick(value, path, out, 0, set())
        return out, known

    def _pick(
        self,
        value: ast.AST,
        path: _Path,
        out: list[ast.expr],
        depth: int,
        seen: set[tuple[int, _Path]],
    ) -> bool:
        if not path:
            if isinstance(value, ast.expr):
                out.append(value)
                return True
            return False
        if depth > _MAX_DEPTH:
            return False
        if (id(value), path) in seen:
            return True  # followed already, or a cycle that adds nothing
        seen.add((id(value), path))
        deeper = depth + 1
        pick, rest = path[0], path[1:]
        if isinstance(value, _CONTAINER) and pick is _EACH:  # each item in turn
            known = True
            for item in value.elts:
                if isinstance(item, ast.Starred):  # the items of *others are the items of others
                    known = self._pick(item.value, path, out, deeper, seen) and known
                else:
                    known = self._pick(item, rest, out, deeper, seen) and known
            return known
        if isinstance(value, (ast.Tuple, ast.List)) and pick is not None:
            element = _element_of(value, pick)
            return element is not None and self._pick(element, rest, out, deeper, seen)
        if isinstance(value, ast.IfExp):
            body = self._pick(value.body, path, out, deeper, seen)
            return self._pick(value.orelse, path, out, deeper, seen) and body
        if isinstance(value, ast.Name):
            defs = self.reaching(value)
            known = bool(defs)
            for d in defs:
                if d.kind == "assign" and d.value is not None:
                    known = self._pick(d.value, path, out, deeper, seen) and known
                elif d.kind == "element" and d.value is not None:
                    known = self._pick(d.value, d.path + path, out, deeper, seen) and known
                else:
                    known = False  # other callers' arguments, an import, an exception ...
                    if d.kind == "param":
                        for passed in [d.value, *self._arguments(d)]:
                            if passed is not None:
                                self._pick(passed, path, out, deeper, seen)
            return known
        if isinstance(value, ast.Attribute):
            cls = self._self_class(value)
            values = self.attribute_values(cls, value.attr) if cls is not None else []
            known = bool(values)
            for assigned in values:
                if isinstance(assigned, ast.expr):
                    known = self._pick(assigned, path, out, deeper, seen) and known
                elif cls is not None:
                    elements: list[ast.expr] = []
                    known = (
                        self._attribute_elements(
                            assigned, cls, value.attr, elements, depth=deeper, seen=seen
                        )
                        and known
                    )
                    for element in elements:
                        known = self._pick(element, path, out, deeper, seen) and known
            return known
        if isinstance(value, ast.Call):
            function = self.function_of(value)
            if function is None or not self._returns_plainly(function):
                return False
            returned = self._returned(function)
            known = bool(returned)
            for result in returned:
                known = self._pick(result, path, out, deeper, seen) and known
            return known
        return False

    def _attribute_elements(
        self,
        statement: ast.AST,
        cls: ast.ClassDef,
        attr: str,
        out: list[ast.expr],
        *,
        depth: int,
        seen: set[tuple[int, _Path]],
    ) -> bool:
        """``self.host, self.port = address()``: the element of the assigned value that
        ``self.<attr>`` receives (:meth:`_pick`); ``False`` when it is not known."""
        if not isinstance(statement, ast.Assign):
            return False  # a loop's or a with's target, an augmented assignment
        known = False
        for target in statement.targets:
            for sub in walk(target):
                if (
                    isinstance(sub, ast.Attribute)
                    and sub.attr == attr
                    and isinstance(sub.ctx, ast.Store)
                    and self._self_class(sub) is cls
                ):
                    path = _path_to(target, sub)
                    if path is None:
                        return False  # *self.rest: a list of what is left
                    known = self._pick(statement.value, path, out, depth, seen)
                    if not known:
                        return False
        return known

    def _percent(self, node: ast.BinOp, depth: int, seen: frozenset[int]) -> list[Text]:
        patterns = self._texts(node.left, depth, seen)
        right = node.right
        args: list[ast.expr] = list(right.elts) if isinstance(right, ast.Tuple) else [right]
        if isinstance(right, ast.Dict) or any(isinstance(a, ast.Starred) for a in args):
            return [
                Text(
                    _PERCENT_RE.sub(lambda m: "%" if m.group() == "%%" else HOLE, p.text), p.source
                )
                for p in patterns
            ]
        filled = [self._texts(a, depth, seen) for a in args]
        out: list[Text] = []
        for pattern in patterns:
            for combo in _bounded_product(filled):
                parts = iter(combo)

                def fill(match: re.Match[str], parts: Iterator[Text] = parts) -> str:
                    if match.group() == "%%":
                        return "%"
                    item = next(parts, None)
                    return item.text if item is not None else HOLE

                out.append(Text(_PERCENT_RE.sub(fill, pattern.text), _source([pattern, *combo])))
        return out

    def _format(
        self, call: ast.Call, receiver: ast.expr, depth: int, seen: frozenset[int]
    ) -> list[Text]:
        patterns = self._texts(receiver, depth, seen)
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return [
                Text(
                    _BRACE_RE.sub(
                        lambda m: (
                            m.group()[0]
                            if m.group(1) is None and m.group() in ("{{", "}}")
                            else HOLE
                        ),
                        p.text,
                    ),
                    p.source,
                )
                for p in patterns
            ]
        positional = [self._texts(a, depth, seen) for a in call.args]
        named = {k.arg: self._texts(k.value, depth, seen) for k in call.keywords if k.arg}
        out: list[Text] = []
        keys = list(named)
        for pattern in patterns:
            for combo in _bounded_product([*positional, *(named[k] for k in keys)]):
                pos = list(combo[: len(positional)])
                kw = dict(zip(keys, combo[len(positional) :], strict=True))
                counter = iter(range(len(pos) + 100))

                def fill(
                    match: re.Match[str],
                    pos: list[Text] = pos,
                    kw: dict[str, Text] = kw,
                    counter: Iterator[int] = counter,
                ) -> str:
                    whole = match.group()
                    if whole in ("{{", "}}"):
                        return whole[0]
                    field = (match.group(1) or "").split(".", 1)[0].split("[", 1)[0]
                    if not field:
                        index = next(counter)
                        return pos[index].text if index < len(pos) else HOLE
                    if field.isdigit():
                        return pos[int(field)].text if int(field) < len(pos) else HOLE
                    return kw[field].text if field in kw else HOLE

                out.append(Text(_BRACE_RE.sub(fill, pattern.text), _source([pattern, *combo])))
        return out

    def _or(self, node: ast.BoolOp, depth: int, seen: frozenset[int]) -> list[Text]:
        out: list[Text] = []
        setting = None
        for value in node.values:
            found = self.setting(value)
            if found is not None:
                setting = found[0]
            for t in self._texts(value, depth, seen):
                if t.text == "":
                    continue  # falsy: the next operand is used
                out.append(
                    Text(t.text, t.source or (setting if value is not node.values[0] else None))
                )
        return out or [_UNKNOWN_TEXT]

    def _call_texts(self, node: ast.Call, depth: int, seen: frozenset[int]) -> list[Text]:
        found = self.setting(node)
        if found is not None:
            name, default = found
            out = [_UNKNOWN_TEXT]
            if default is not None:
                out += [Text(t.text, name) for t in self._texts(default, depth, seen)]
            return out
        result = self._result_texts(node, depth, seen)
        if result is not None:
            return result
        func = node.func
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return self._texts(node.args[0], depth, seen)
        if not isinstance(func, ast.Attribute):
            return [_UNKNOWN_TEXT]
        method = func.attr
        if method == "format":
            return self._format(node, func.value, depth, seen)
        if method in _STR_METHODS and not node.args:
            return [
                Text(getattr(t.text, method)(), t.source) if t.known else t
                for t in self._texts(func.value, depth, seen)
            ]
        if method == "replace" and len(node.args) >= 2:
            olds = self._texts(node.args[0], depth, seen)
            news = self._texts(node.args[1], depth, seen)
            out = []
            for t in self._texts(func.value, depth, seen):
                for old, new in _bounded_product([olds, news]):
                    if old.known and old.text and old.text != HOLE:
                        out.append(Text(t.text.replace(old.text, new.text), t.source))
                    else:
                        out.append(_UNKNOWN_TEXT)
            return out
        if (
            method == "join"
            and len(node.args) == 1
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            seps = self._texts(func.value, depth, seen)
            items = [self._texts(e, depth, seen) for e in node.args[0].elts]
            out = []
            for sep in seps:
                for combo in _bounded_product(items):
                    out.append(Text(sep.text.join(c.text for c in combo), _source(combo)))
            return out
        return [_UNKNOWN_TEXT]

    def origins(self, node: ast.expr) -> list[ast.expr]:
        """The expressions whose value ``node`` may have: itself, or, through names,
        ``self`` attributes and parameters (their default and this file's arguments),
        every assigned expression that may reach it, and the element an unpacking
        gives (:meth:`_elements`). Unknown sources are left out."""
        out: list[ast.expr] = []
        self._origins(node, out, 0, set())
        return out

    def _origins(self, node: ast.AST, out: list[ast.expr], depth: int, seen: set[int]) -> None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ast.Name):
            for d in self.reaching(node):
                if d.kind == "assign" and d.value is not None:
                    self._origins(d.value, out, depth + 1, seen)
                elif d.kind == "element" and d.value is not None:
                    for element in self._elements(d.value, d.path)[0]:
                        self._origins(element, out, depth + 1, seen)
                elif d.kind == "param":
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            self._origins(value, out, depth + 1, seen)
            return
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is not None:
                for assigned in self.attribute_values(cls, node.attr):
                    elements: list[ast.expr] = []
                    if isinstance(assigned, ast.expr):
                        elements.append(assigned)
                    else:  # self.host, self.port = address()
                        self._attribute_elements(
                            assigned, cls, node.attr, elements, depth=0, seen=set()
                        )
                    for element in elements:
                        self._origins(element, out, depth + 1, seen)
                return
        if isinstance(node, ast.IfExp):  # "" if address is None else address: either branch
            self._origins(node.body, out, depth + 1, seen)
            self._origins(node.orelse, out, depth + 1, seen)
            return
        if isinstance(node, ast.BoolOp):  # address or DEFAULT_ADDRESS: either operand
            for value in node.values:
                self._origins(value, out, depth + 1, seen)
            return
        if isinstance(node, ast.expr):
            out.append(node)

    def mapping_entries(self, node: ast.expr) -> dict[str, list[ast.expr]] | None:
        """The keys a mapping may hold, each with the values it may have, when they can
        all be known: every value ``node`` may have is a dict display or ``dict(k=v)``
        with literal keys (``d = {"address": a, "port": p}``, ``{**base, "port": 0}``
        when ``base`` is known too) and no read of a name on the way may change it
        (``d[k] = v``, ``d.update(...)``, ``configure(d)``). ``None`` when they cannot
        (a parameter, a loop variable, a call's result, ``merge(d, {...})``)."""
        return self._mapping_entries(node, 0, set())

    def _mapping_entries(
        self, node: ast.expr, depth: int, seen: set[Def]
    ) -> dict[str, list[ast.expr]] | None:
        if depth > _MAX_DEPTH:
            return None
        pairs: list[tuple[str | None, ast.expr]] = []
        if isinstance(node, ast.Dict):
            for written, value in zip(node.keys, node.values, strict=True):
                if written is None:
                    pairs.append((None, value))  # {**other, ...}
                elif isinstance(written, ast.Constant) and isinstance(written.value, str):
                    pairs.append((written.value, value))
                else:
                    return None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
            and not node.args
            and not self.reaching(node.func)  # the builtin
        ):
            pairs = [(kw.arg, kw.value) for kw in node.keywords]
        elif isinstance(node, ast.Name):
            defs = self.reaching(node)
            if not defs:
                return None
            merged: dict[str, list[ast.expr]] = {}
            for d in defs:
                if d in seen:
                    return None  # d = {**d, ...} in a loop: it grows as it goes
                if d.kind != "assign" or d.value is None or self._mapping_changed(d):
                    return None
                inner = self._mapping_entries(d.value, depth + 1, seen | {d})
                if inner is None:
                    return None
                for found, values in inner.items():
                    merged.setdefault(found, []).extend(values)
            return merged
        else:
            return None
        entries: dict[str, list[ast.expr]] = {}
        for key, value in pairs:
            if key is not None:
                entries.setdefault(key, []).append(value)
                continue
            inner = self._mapping_entries(value, depth + 1, seen)
            if inner is None:
                return None
            for inner_key, values in inner.items():
                entries.setdefault(inner_key, []).extend(values)
        return entries

    def _mapping_changed(self, d: Def) -> bool:
        """Whether a read of ``d`` may change the mapping or hand it where it may be
        changed: only spreads (``f(**d)``), item reads and read-only methods leave it."""
        for read in self.def_uses(d):
            parent = self.parents.get(read)
            if isinstance(parent, ast.keyword) and parent.arg is None:
                continue
            if isinstance(parent, ast.Dict) and any(
                key is None and value is read
                for key, value in zip(parent.keys, parent.values, strict=True)
            ):
                continue  # {**d, "port": 0}: copied
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _READ_ONLY_MAPPING:
                continue
            return True
        return False

    def setting_behind(self, node: ast.expr) -> str | None:
        """The setting a flag is read from: ``SECURE_ZMQ`` for ``os.getenv("SECURE_ZMQ",
        "0").strip().lower()``, ``int(os.getenv(...))`` or a name assigned such a read."""
        for _ in range(10):
            if isinstance(node, ast.Name):
                defs = self.reaching(node)
                if len(defs) != 1 or defs[0].kind != "assign" or defs[0].value is None:
                    return None
                node = defs[0].value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _STR_METHODS
                and not node.args
            ):
                node = node.func.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _CONVERTERS
                and len(node.args) == 1
            ):
                node = node.args[0]
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
                node = node.values[0]
            else:
                break
        found = self.setting(node)
        return found[0] if found is not None else None

    def setting(self, node: ast.expr) -> tuple[str, ast.expr | None] | None:
        """``("BIND_ADDRESS", <default>)`` for a read of a setting: ``os.environ.get``,
        ``os.getenv`` (default ``None`` when there is none), a project helper whose name
        contains ``env`` (``get_env("X", "d")``), a configuration ``.get("key", "d")``,
        and a mapping's ``.setdefault("key", "d")`` or ``.pop("key", "d")``: the value the
        configuration (or the caller's keywords) holds, else the default it fills in."""
        read = self._key_read(node) if isinstance(node, ast.Call) else None
        if read is None:
            return None
        if read.reader is None:
            return read.keys[0], read.default
        lowered = read.reader.lower()
        if "env" in lowered or (lowered.startswith("get") and read.default is not None):
            return read.keys[0], read.default
        if read.method and lowered in _DEFAULTING_METHODS and read.default is not None:
            return read.keys[0], read.default
        return None

    def _key_read(self, node: ast.expr) -> _KeyRead | None:
        """A read by key: of the environment (``os.environ["X"]``, ``os.getenv("X",
        "d")``; ``reader`` is ``None``) or a call whose arguments start with literal
        keys (``config.get("key", "d")``, ``CONF.get("main", "port")``,
        ``get_env("X")``). :meth:`setting` and :meth:`port_sources` judge which
        readers count."""
        env = _environment_read(node, self.ctx)
        if isinstance(env, tuple):
            return _KeyRead(None, (env[0],), env[1], False)
        if env or not isinstance(node, ast.Call):
            return None  # an environment write, or a read of a name not written here
        reader = last_name(node.func)
        keys = tuple(_leading_strings(node.args))
        if reader is None or not keys:
            return None
        default = call_arg(node, 1, "default")
        if default is None:
            default = call_arg(node, 1, "fallback")
        return _KeyRead(reader, keys, default, isinstance(node.func, ast.Attribute))

    # --- defaults -------------------------------------------------------------------------------

    def default_value(self, node: ast.expr) -> object:
        """The value ``node`` has with every setting at its default, or :data:`UNKNOWN_VALUE`.

        Constants, tuples of them, ``not``, ``and``/``or``, one comparison, the
        case/strip methods and ``int``/``bool``/``str``/``float`` of such values;
        a setting's default (``None`` for ``os.getenv("X")``); a name whose
        reaching assignments all agree; a call of this file's function without
        arguments, by what it returns on its default path.
        """
        return self._default(node, 0)

    def _default(self, node: ast.AST, depth: int) -> object:
        if depth > _MAX_DEPTH:
            return UNKNOWN_VALUE
        key = (id(node), "default")
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = UNKNOWN_VALUE  # in progress: a cycle reads unknown
        value: object = UNKNOWN_VALUE
        if isinstance(node, ast.Constant):
            value = node.value
        elif isinstance(node, ast.Name):
            defs = self.reaching(node)
            values = [
                self._default(d.value, depth + 1)
                if d.kind == "assign" and d.value is not None
                else UNKNOWN_VALUE
                for d in defs
            ]
            if values and all(v is not UNKNOWN_VALUE and v == values[0] for v in values):
                value = values[0]
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [self._default(e, depth + 1) for e in node.elts]
            if not any(i is UNKNOWN_VALUE for i in items):
                value = tuple(items)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self._default(node.operand, depth + 1)
            value = UNKNOWN_VALUE if operand is UNKNOWN_VALUE else not operand
        elif isinstance(node, ast.BoolOp):
            items = [self._default(v, depth + 1) for v in node.values]
            if not any(i is UNKNOWN_VALUE for i in items):
                value = items[0]
                for item in items[1:]:
                    value = (value and item) if isinstance(node.op, ast.And) else (value or item)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            value = _compare(
                node.ops[0],
                self._default(node.left, depth + 1),
                self._default(node.comparators[0], depth + 1),
            )
        elif isinstance(node, ast.Call):
            value = self._call_default(node, depth)
        self._memo[key] = value
        return value

    def _call_default(self, node: ast.Call, depth: int) -> object:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS and not node.args:
            inner = self._default(func.value, depth + 1)
            return getattr(inner, func.attr)() if isinstance(inner, str) else UNKNOWN_VALUE
        if isinstance(func, ast.Name) and func.id in _CONVERTERS and len(node.args) == 1:
            inner = self._default(node.args[0], depth + 1)
            if inner is UNKNOWN_VALUE:
                return UNKNOWN_VALUE
            try:
                return _CONVERTERS[func.id](inner)
            except (TypeError, ValueError):
                return UNKNOWN_VALUE
        found = self.setting(node)
        if found is not None:
            default = found[1]
            return None if default is None else self._default(default, depth + 1)
        function = self.function_of(node) if not node.args and not node.keywords else None
        if function is None:
            return UNKNOWN_VALUE
        path = self.default_path(function.body, depth + 1)
        if not path or not isinstance(path[-1], ast.Return) or path[-1].value is None:
            return UNKNOWN_VALUE
        if any(isinstance(n, ast.Return) for s in path[:-1] for n in walk(s)):
            return UNKNOWN_VALUE  # an ``if`` that cannot be judged may return first
        return self._default(path[-1].value, depth + 1)

    def default_truth(self, test: ast.expr) -> bool | None:
        """Whether ``test`` holds with every setting at its default; ``None``: cannot tell."""
        value = self.default_value(test)
        return None if value is UNKNOWN_VALUE else bool(value)

    def default_path(self, body: list[ast.stmt], depth: int = 0) -> list[ast.stmt]:
        """The statements of ``body`` that run with every setting at its default, up to
        the first ``return``/``raise``; an ``if`` whose test is unknown is kept whole."""
        out: list[ast.stmt] = []
        for statement in body:
            if isinstance(statement, ast.If) and depth < _MAX_DEPTH:
                value = self._default(statement.test, depth + 1)
                if value is not UNKNOWN_VALUE:
                    taken = statement.body if value else statement.orelse
                    out.extend(self.default_path(taken, depth + 1))
                    if out and isinstance(out[-1], (ast.Return, ast.Raise)):
                        return out
                    continue
            out.append(statement)
            if isinstance(statement, (ast.Return, ast.Raise)):
                return out
        return out


#: Mapping methods that read a key and fall back to (and, for ``setdefault``, store)
#: their second argument: ``config.setdefault("host", "localhost")``,
#: ``kwargs.pop("host", "localhost")``.
_DEFAULTING_METHODS = frozenset({"setdefault", "pop"})


class _KeyRead(NamedTuple):
    """A read of a setting by key (:meth:`SemanticModel._key_read`)."""

    #: The reading call's name (``get``, ``getint``, ``get_env``); ``None`` for the
    #: environment.
    reader: str | None
    #: The literal keys the read starts with: ``("NAME",)``, ``("main", "port")``.
    keys: tuple[str, ...]
    default: ast.expr | None
    #: Called as a method (``config.get``), not as a function (``get_env``).
    method: bool


def _environment_read(node: ast.expr, ctx: FileContext) -> tuple[str, ast.expr | None] | bool:
    """``("NAME", <default>)`` when ``node`` reads the environment variable ``NAME``
    (``os.environ.get``, ``os.getenv``, ``os.environ["NAME"]``); ``True`` when it
    touches the environment otherwise (a write, a name that is no literal), ``False``
    when it does not touch it. The first access ``env_accesses`` finds decides."""
    for access in env_accesses(node, ctx):
        if access.kind == "read" and access.name is not None:
            return access.name, access.default
        return True
    return False


#: Calls of this file's functions whose result :meth:`SemanticModel.texts` reads, nested.
_MAX_CALL_CONTEXTS = 4


def _compare(op: ast.cmpop, left: object, right: object) -> object:
    if left is UNKNOWN_VALUE or right is UNKNOWN_VALUE:
        return UNKNOWN_VALUE
    try:
        if isinstance(op, ast.Eq):
            return left == right
        if isinstance(op, ast.NotEq):
            return left != right
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (tuple, str)):
            inside = left in right
            return inside if isinstance(op, ast.In) else not inside
    except TypeError:
        return UNKNOWN_VALUE
    return UNKNOWN_VALUE


def _dedupe(texts: list[Text]) -> list[Text]:
    out = list(dict.fromkeys(texts))
    if len(out) > _MAX_TEXTS:
        out = [*out[: _MAX_TEXTS - 1], _UNKNOWN_TEXT]
    return out


def _bounded_product(lists: list[list[Text]]) -> Iterator[tuple[Text, ...]]:
    for count, combo in enumerate(product(*lists)):
        if count >= _MAX_TEXTS:
            return
        yield combo


def _concat(pieces: list[list[Text]]) -> list[Text]:
    return [
        Text("".join(t.text for t in combo), _source(combo)) for combo in _bounded_product(pieces)
    ]


def _source(texts: Iterable[Text]) -> str | None:
    return next((t.source for t in texts if t.source is not None), None)


def _leading_strings(args: list[ast.expr]) -> list[str]:
    """The literal strings an argument list starts with."""
    out: list[str] = []
    for arg in args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            break
        out.append(arg.value)
    return out
