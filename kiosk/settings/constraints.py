"""Two constraints on settings fields that `annotated_types` has no words for: a pattern and a
check by a function. pydantic reads them (through its `__get_pydantic_core_schema__` hook)
when it validates; without pydantic they are inert, so the settings models import no pydantic.
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
