"""pydantic's side of the settings: validating the layered values into the frozen dataclasses
of `kiosk.settings.models`, and the JSON schema `kiosk config schema` prints.

Only this module imports pydantic; a running station reaches it in a child process only
(`kiosk.settings.apart`).
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from kiosk.settings.models import Settings

__all__ = ["ValidationError", "json_schema", "validate", "validate_json"]

T = TypeVar("T")


@cache
def _adapter(model: type[T]) -> TypeAdapter[T]:
    return TypeAdapter(model)


def validate_json(text: str) -> Settings:
    """The whole configuration, from the merged layers as JSON; strictly: a string is never
    turned into a number. Raises pydantic's ValidationError."""
    return _adapter(Settings).validate_json(text, strict=True)


def validate(model: type[T], values: Any) -> T:
    """One section from Python values, as a person would write it in a file."""
    return _adapter(model).validate_python(values)


def json_schema() -> dict[str, Any]:
    """The JSON schema of the whole configuration, with every field's description."""
    return _adapter(Settings).json_schema()
