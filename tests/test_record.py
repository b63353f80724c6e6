"""``core.record``: value classes that behave as the dataclasses they replace.

Each test builds the same class twice, once with ``@dataclass`` and once as a
record, and compares what callers can see: construction, ``repr``, equality,
hashing, immutability, pickling and copying.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from debt_lints.core.record import (
    FrozenInstanceError,
    FrozenRecord,
    OrderedFrozenRecord,
    Record,
    fields,
    replace,
)


@dataclasses.dataclass(frozen=True)
class FrozenData:
    name: str
    size: int = 0
    note: str = dataclasses.field(default="", compare=False)


class Frozen(FrozenRecord):
    __slots__ = ("name", "note", "size")
    _uncompared = ("note",)
    name: str
    size: int
    note: str

    def __init__(self, name: str, size: int = 0, note: str = "") -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "note", note)


@dataclasses.dataclass
class MutableData:
    items: list[int]
    label: str = ""


class Mutable(Record):
    __slots__ = ("items", "label")
    items: list[int]
    label: str

    def __init__(self, items: list[int], label: str = "") -> None:
        self.items = items
        self.label = label


class OtherFrozen(FrozenRecord):
    __slots__ = ("name", "note", "size")
    _uncompared = ("note",)
    name: str
    size: int
    note: str

    def __init__(self, name: str, size: int = 0, note: str = "") -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "note", note)


def test_a_frozen_record_shows_compares_and_hashes_as_its_dataclass() -> None:
    cases = [("a", 1, "x"), ("a", 1, "y"), ("a", 2, "x"), ("b", 1, "x")]
    for one in cases:
        record, data = Frozen(*one), FrozenData(*one)
        assert repr(record) == repr(data).replace("FrozenData(", "Frozen(")
        assert hash(record) == hash(data)  # the hash of the compared fields' tuple
        assert record.__match_args__ == data.__match_args__  # type: ignore[attr-defined]
        for other in cases:
            assert (record == Frozen(*other)) == (data == FrozenData(*other))
    assert Frozen("a", 1, "x") == Frozen("a", 1, "y")  # ``note`` is not compared
    assert Frozen("a") != OtherFrozen("a")  # another class, even with the same fields
    assert Frozen("a").__eq__(("a", 0)) is NotImplemented


def test_a_frozen_record_refuses_assignment_and_survives_pickle_and_copy() -> None:
    record = Frozen("a", 3, "n")
    with pytest.raises(FrozenInstanceError):
        record.size = 4  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del record.name  # type: ignore[misc]
    for again in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert again == record
        assert (again.name, again.size, again.note) == ("a", 3, "n")


def test_a_mutable_record_compares_as_its_dataclass_and_is_unhashable() -> None:
    record, data = Mutable([1], "x"), MutableData([1], "x")
    assert repr(record) == repr(data).replace("MutableData(", "Mutable(")
    assert record == Mutable([1], "x")
    assert record != Mutable([2], "x")
    record.label = "y"
    assert record.label == "y"
    with pytest.raises(TypeError):
        hash(record)
    with pytest.raises(TypeError):
        hash(data)


def test_a_slot_without_an_annotation_is_refused() -> None:
    with pytest.raises(TypeError, match="annotation"):

        class Broken(Record):
            __slots__ = ("a", "b")
            a: int


@dataclasses.dataclass(frozen=True, order=True)
class OrderedData:
    path: str
    line: int = 0
    note: str = dataclasses.field(default="", compare=False)


class Ordered(OrderedFrozenRecord):
    __slots__ = ("line", "note", "path")
    _uncompared = ("note",)
    path: str
    line: int
    note: str

    def __init__(self, path: str, line: int = 0, note: str = "") -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "note", note)


class OtherOrdered(Ordered):
    __slots__ = ()


def test_an_ordered_record_orders_as_its_dataclass() -> None:
    cases = [("a", 2, "x"), ("a", 1, "y"), ("b", 0, "x"), ("a", 1, "x"), ("A", 9, "z")]
    for one in cases:
        for other in cases:
            record, data = Ordered(*one), OrderedData(*one)
            than, data_than = Ordered(*other), OrderedData(*other)
            assert (record < than) == (data < data_than)
            assert (record <= than) == (data <= data_than)
            assert (record > than) == (data > data_than)
            assert (record >= than) == (data >= data_than)
    records = sorted(Ordered(*one) for one in cases)
    datas = sorted(OrderedData(*one) for one in cases)
    assert [(r.path, r.line, r.note) for r in records] == [(d.path, d.line, d.note) for d in datas]
    with pytest.raises(TypeError):
        _ = Ordered("a") < OtherOrdered("b")  # another class: no order, as a dataclass
    with pytest.raises(TypeError):
        _ = Ordered("a") < ("b", 0)


def test_replace_and_fields_work_as_the_dataclasses_functions() -> None:
    record, data = Frozen("a", 1, "x"), FrozenData("a", 1, "x")
    changed = replace(record, size=5)
    assert type(changed) is Frozen
    assert (changed.name, changed.size, changed.note) == ("a", 5, "x")
    assert (record.name, record.size) == ("a", 1)  # the original is unchanged
    assert repr(changed) == repr(dataclasses.replace(data, size=5)).replace(
        "FrozenData(", "Frozen("
    )
    mutable = Mutable([1], "x")
    assert replace(mutable, label="y") == Mutable([1], "y")
    with pytest.raises(TypeError, match="no field 'colour'"):
        replace(record, colour="red")
    assert fields(record) == fields(Frozen) == tuple(f.name for f in dataclasses.fields(data))
