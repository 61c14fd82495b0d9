"""The constraints on settings fields: bounds, lengths, a pattern and a check by a function.
pydantic reads them (through their `__get_pydantic_core_schema__` hook) when it validates, as
it reads `annotated_types`' own (bounds and lengths become the same core schema, so the same
errors and JSON schema); without pydantic they are inert. The settings models thus import
neither pydantic nor `annotated_types`, which a running station would hold for nothing (1.1 MiB
with `typing_extensions`; docs/performance.md, "What an idle station holds").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Pattern:
    """The text must match this regular expression (anchored with ^ and $ where the whole text
    must match)."""

    regex: str

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        if schema.get("type") != "str":
            raise TypeError(f"Pattern constrains text, not {schema.get('type')}")
        return {**schema, "pattern": self.regex}


@dataclass(frozen=True)
class Check:
    """After the type and the other constraints, `func` checks the value: it returns it, or
    raises ValueError with a reason written for the person fixing the file."""

    func: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema  # only ever called while pydantic validates

        return core_schema.no_info_after_validator_function(self.func, handler(source))


@dataclass(frozen=True)
class Interval:
    """The number lies within these bounds (each one optional), as `annotated_types.Interval`."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        bounds = {"gt": self.gt, "ge": self.ge, "lt": self.lt, "le": self.le}
        return {**handler(source), **{k: v for k, v in bounds.items() if v is not None}}


@dataclass(frozen=True)
class Len:
    """The text or the list has at least `min_length` items, at most `max_length` (None: no
    upper bound), as `annotated_types.Len`."""

    min_length: int = 0
    max_length: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = dict(handler(source))
        if self.min_length > 0:
            schema["min_length"] = self.min_length
        if self.max_length is not None:
            schema["max_length"] = self.max_length
        return schema
