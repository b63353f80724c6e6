"""Validated values of the rule options (``deprecated-imports`` ...)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class Settings:
    """Rule option values, already validated against each option's kind.

    Rules read them with :meth:`str_map` and :meth:`str_list`; the engine
    never hands a rule a value of the wrong shape.
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, object] | None = None) -> None:
        self._values: Mapping[str, object] = MappingProxyType(dict(values or {}))

    def str_map(self, name: str) -> Mapping[str, str]:
        value = self._values.get(name, {})
        assert isinstance(value, Mapping)
        return value

    def str_list(self, name: str) -> tuple[str, ...]:
        value = self._values.get(name, ())
        assert isinstance(value, tuple)
        return value

    def flag(self, name: str) -> bool:
        value = self._values.get(name, False)
        assert isinstance(value, bool)
        return value

    def as_dict(self) -> dict[str, object]:
        """A plain, picklable and JSON-ready copy (for workers and cache keys)."""
        out: dict[str, object] = {}
        for key, value in sorted(self._values.items()):
            if isinstance(value, Mapping):
                out[key] = dict(sorted(value.items()))
            elif isinstance(value, tuple):
                out[key] = list(value)
            else:
                out[key] = value
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(repr(self.as_dict()))

    def __repr__(self) -> str:
        return f"Settings({self.as_dict()!r})"
