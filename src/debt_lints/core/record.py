"""Value classes that cost nothing to define: what ``@dataclass`` gives, without its start-up.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` (and, frozen, ``__setattr__``/``__delattr__``) as source text and
compiles it when the module is imported: about 0.35 ms a class, a third of
what debt-lints itself spends starting a one-file check when every class on
that path was one. The classes a one-file check defines at import are
:class:`Record` subclasses instead: each writes its ``__slots__`` and its
``__init__`` (compiled with its module, as any function), and the base gives
the rest, as ``@dataclass(eq=True)`` does:

- ``repr``: ``Name(field=value, ...)``, the fields in order (``_unshown``: left out);
- equality: an instance of the same class whose compared fields are equal
  (``_uncompared``: left out, as ``field(compare=False)``), else ``NotImplemented``;
- a mutable record is unhashable, as a dataclass with ``eq=True``; a
  :class:`FrozenRecord` hashes the tuple of its compared fields, refuses
  assignment (:class:`FrozenInstanceError`) and pickles through its
  ``__init__`` (every field, in order, positionally);
- order (:class:`OrderedFrozenRecord`, ``order=True``): ``<``, ``<=``, ``>``, ``>=``
  compare the tuples of the compared fields of two instances of the same class;
- :func:`replace` and :func:`fields` stand for :func:`dataclasses.replace` and
  :func:`dataclasses.fields`: ``__init__`` takes every field by its name.

The fields are the ``__slots__`` of the class and its bases, bases first, each in
the order of the class's annotations (every slot has one).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar, TypeVar


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a :class:`FrozenRecord` (``dataclasses.FrozenInstanceError``)."""


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[object, ...]]:
    """The values of ``names`` as a tuple, even for one name (``attrgetter`` gives it bare)."""
    if not names:
        return lambda record: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return attrgetter(*names)


class Record:
    """A mutable value class: ``__repr__`` and ``__eq__`` over its fields, unhashable."""

    __slots__ = ()
    #: Every field, in order (set for each subclass).
    _fields: ClassVar[tuple[str, ...]] = ()
    #: Fields left out of equality and the hash.
    _uncompared: ClassVar[tuple[str, ...]] = ()
    #: Fields left out of the ``repr``.
    _unshown: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[Callable[[Any], tuple[object, ...]]] = staticmethod(_getter(()))
    _shown: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            declared = klass.__dict__.get("__slots__", ())
            slots = {declared} if isinstance(declared, str) else set(declared)
            # Not inspect.get_annotations: importing inspect is what this module avoids.
            annotations = klass.__dict__.get("__annotations__", {})  # noqa: RUF063
            own = [name for name in annotations if name in slots]
            if len(own) != len(slots):
                raise TypeError(f"{klass.__qualname__}: give every slot an annotation")
            fields.extend(own)
        cls._fields = tuple(fields)
        cls._compared = staticmethod(_getter(tuple(f for f in fields if f not in cls._uncompared)))
        cls._shown = tuple(f for f in fields if f not in cls._unshown)
        setattr(cls, "__match_args__", cls._fields)  # noqa: B010  # as @dataclass sets it

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__qualname__}({values})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) == compared(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value: unhashable


class FrozenRecord(Record):
    """An immutable value class: hashable, assignment refused after ``__init__``.

    ``__init__`` sets each field with ``object.__setattr__`` (as ``@dataclass(frozen=True)``
    does) and takes every field, in order, positionally: pickling and copying call it.
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # hashable again, as frozen
        return hash(self.__class__._compared(self))

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), tuple(getattr(self, name) for name in self._fields))


class OrderedFrozenRecord(FrozenRecord):
    """A :class:`FrozenRecord` with order, as ``@dataclass(frozen=True, order=True)``."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) < compared(other)
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) <= compared(other)
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) > compared(other)
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) >= compared(other)
        return NotImplemented


R = TypeVar("R", bound=Record)


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    """The names of the fields of a record (or record class), in order."""
    return record._fields


def replace(record: R, /, **changes: Any) -> R:
    """A copy of ``record`` with ``changes`` (field names), as :func:`dataclasses.replace`."""
    values = {name: getattr(record, name) for name in record._fields}
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{type(record).__qualname__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    make: Callable[..., R] = type(record)
    return make(**values)
