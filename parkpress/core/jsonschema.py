"""JSON Schemas of a site's files, derived from the declarations core/schema.py validates with.

Editors (VS Code's YAML and TOML extensions, any JSON Schema tool) use them to complete field
names and flag a mistake as it is typed.  They are derived, never written by hand: a field
added to a schema dict appears in its JSON Schema at once, and a converter without a JSON
fragment is an error here, not a silent ``{}``.  The build stays the judge — a JSON Schema
cannot know the site's own keys (parks, industries) or whether a file exists.

May import: parkpress.core.schema.
"""

from __future__ import annotations

from collections.abc import Callable

from parkpress.core.schema import Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(schema: dict[str, Field], title: str, description: str) -> dict:
    """The JSON Schema of a document whose fields ``schema`` declares."""
    return {"$schema": DIALECT, "title": title, "description": description, **_object(schema)}


def _object(schema: dict[str, Field]) -> dict:
    properties = {name: _property(field) for name, field in schema.items()}
    required = [name for name, field in schema.items() if field.required]
    return {"type": "object", "properties": properties, **({"required": required} if required else {}), "additionalProperties": False}


def _property(field: Field) -> dict:
    fragment = fragment_of(field.convert)
    if isinstance(field.default, (bool, int, float, str)):
        return {**fragment, "default": field.default}
    return fragment


def fragment_of(convert: Callable) -> dict:
    """The JSON Schema of the values ``convert`` accepts; LookupError if it does not say."""
    nested = getattr(convert, "schema", None)
    if nested is not None:
        return _object(nested)
    items = getattr(convert, "item_schema", None)
    if items is not None:
        return {"type": "array", "items": _object(items)}
    tables = getattr(convert, "table_schema", None)
    if tables is not None:
        return {"type": "object", "propertyNames": fragment_of(convert.key), "additionalProperties": _object(tables)}
    fragment = getattr(convert, "json", None)
    if fragment is None:
        raise LookupError(f"the converter {convert.__qualname__} declares no JSON Schema: mark it with @schema.described({{…}})")
    return fragment
