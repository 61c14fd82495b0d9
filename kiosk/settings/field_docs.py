"""The docstring under each field of a settings dataclass, as that field's description in the
JSON schema (`kiosk config schema`, the configuration reference in docs/configuration.md).

pydantic's `use_attribute_docstrings` does the same, but it finds each class's source by
parsing the whole module again, once per class: 16 parses, about 100 ms of every start of
the station on these machines, for descriptions only the schema shows. This is pydantic's
`json_schema_extra` hook instead: the module is parsed once, when a schema is asked for.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
from functools import cache
from typing import Any


@cache
def _docstrings(module: str) -> dict[str, dict[str, str]]:
    """{class name: {field: docstring}} for the module's top-level classes."""
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = found.setdefault(node.name, {})
        for statement, after in zip(node.body, node.body[1:], strict=False):
            if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                fields[statement.target.id] = inspect.cleandoc(after.value.value)
    return found


def describe_fields(schema: dict[str, Any], cls: type) -> None:
    """Give each property of `cls`'s schema its field's docstring; a field declared again in
    a subclass takes the subclass's."""
    properties = schema.get("properties", {})
    for klass in reversed([k for k in cls.__mro__ if dataclasses.is_dataclass(k)]):
        for name, text in _docstrings(klass.__module__).get(klass.__qualname__, {}).items():
            if name in properties:
                properties[name]["description"] = text
