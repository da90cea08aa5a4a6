"""Checks every call against the spec: parameter names, types, required ones, documented limits.

Driven by spec/bot_api.json alone: nothing here names a method. A value that arrived as text
(query strings and forms carry nothing else) counts as the number or flag it spells, as it does
for Telegram. Limits counted "after entities parsing" are left to the formatter, which parses.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from . import wording
from .apispec import SPEC, FieldSpec, ObjectSpec
from .errors import too_large
from .media import image_size
from .params import Params, UploadedFile

SCALARS = frozenset({"Integer", "String", "Boolean", "Float"})
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_FLOAT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_FLAGS = {"true": True, "false": False, "1": True, "0": False}
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_NO = object()  # "this alternative does not fit"


def check_call(method: ObjectSpec, params: Params) -> None:
    """Refuse a call whose parameters break the spec; the handler sees only valid ones."""
    attached = {v[len("attach://"):] for v in params.values.values()
                if isinstance(v, str) and v.startswith("attach://")}
    for name in [*params.values, *params.files]:
        if name not in method.fields and name not in attached:
            raise wording.refusal(wording.UNKNOWN_PARAMETER.format(name=name, version=SPEC.version))
    if any(len(part.data) > SPEC.upload_limit for part in params.files.values()):
        raise too_large()
    for field in method.fields.values():
        value = params.files.get(field.name, params.values.get(field.name))
        if value is None:
            if field.required:
                raise wording.refusal(wording.MISSING.get(field.name)
                                      or wording.REQUIRED.format(name=field.name))
            continue
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.files.get(value[len("attach://"):], value)
        if value != "":  # Telegram reads an empty parameter as one not given
            _check_parameter(method, field, value)


def _check_parameter(method: ObjectSpec, field: FieldSpec, value: Any) -> None:
    if isinstance(value, UploadedFile):
        if "InputFile" not in field.types:
            raise wording.refusal(wording.TOP_TYPE.format(name=field.name,
                                                          kind=" or ".join(field.types)))
        _check_upload(field, value)
        return
    for kind in field.types:
        if kind in SCALARS:
            normal = _scalar(kind, value, nested=False)
            if normal is not _NO:
                _check_limits(method, field, normal, "")
                return
    structured = [k for k in field.types if k not in SCALARS and k != "InputFile"]
    if not structured:
        raise wording.refusal(wording.TOP_TYPE.format(name=field.name,
                                                      kind=" or ".join(field.types)))
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            message = wording.BAD_JSON.get(field.name, f"Can't parse {field.name} JSON object")
            raise wording.refusal(message) from None
    _check_structured(method, field, structured, value, "")


def _scalar(kind: str, value: Any, *, nested: bool) -> Any:
    """value as the scalar kind if it can be read as one, else _NO (see the module docstring).

    Inside JSON objects Telegram wants JSON numbers and flags (a string may spell an integer,
    and a number may stand for a string); top-level parameters may spell anything as text.
    """
    if kind == "String":
        if isinstance(value, bool):
            return _NO if nested else str(value).lower()
        return str(value) if isinstance(value, str | int | float) else _NO
    if kind == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INTEGER.match(value):
            return int(value)
        return _NO
    if kind == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if not nested and isinstance(value, str) and _FLOAT.match(value):
            return float(value)
        return _NO
    if isinstance(value, bool):  # Boolean
        return value
    if not nested and isinstance(value, int) and value in (0, 1):
        return bool(value)
    if not nested and isinstance(value, str) and value.strip().lower() in _FLAGS:
        return _FLAGS[value.strip().lower()]
    return _NO


def _check_limits(owner: ObjectSpec, field: FieldSpec, value: Any, prefix: str) -> None:
    limits, key = field.limits, f"{owner.name}.{field.name}"
    # Telegram's own words for a limit come from tdlib or its servers, past the parsing
    # whose prefix ("Can't parse BotCommand: ") only the spec's defaults carry.
    words = wording.LIMIT.get(key)
    length = limits.length
    if length is not None and not length.after_parsing and isinstance(value, str):
        size = length.measure(value)
        if not length.low <= size <= length.high:
            if words:
                _refuse("", words[0] if size < length.low else words[1])
            _refuse(prefix, wording.LENGTH.format(name=field.name, low=length.low, high=length.high,
                                            unit=length.unit))
    if limits.range is not None and isinstance(value, int):
        low, high = limits.range
        if not low <= value <= high:
            if words:
                _refuse("", words[1] if value > high else words[0])
            _refuse(prefix, wording.RANGE.format(name=field.name, low=low, high=high))
    if limits.one_of is not None and isinstance(value, str) and value not in limits.one_of:
        parent_key = f"{owner.parent}.{field.name}"
        _refuse(prefix, wording.CHOICE.get(key) or wording.CHOICE.get(parent_key)
                or wording.NOT_A_CHOICE.format(name=field.name, value=value))
    if limits.language_code and isinstance(value, str) and value and not _LANGUAGE.match(value):
        _refuse("", wording.LANGUAGE_CODE)


def _refuse(prefix: str, message: str) -> NoReturn:
    raise wording.refusal(prefix + message)


def _check_structured(
    owner: ObjectSpec, field: FieldSpec, kinds: list[str], value: Any, prefix: str
) -> None:
    arrays = [k for k in kinds if k.startswith("Array of ")]
    if arrays:
        _check_array(owner, field, arrays[0].removeprefix("Array of "), value, prefix)
        return
    objects = [k for k in kinds if SPEC.kind(k) is not None]
    if len(objects) > 1:  # reply_markup: one of four keyboards, told apart by their fields
        if not isinstance(value, dict):
            _refuse(prefix, wording.MARKUP_NOT_OBJECT)
        chosen = _choose(objects, value)
        if chosen is None:
            _refuse(prefix, wording.BAD_JSON.get(field.name,
                                                 f"Can't parse {field.name} JSON object"))
        objects = [chosen]
    kind = SPEC.kind(objects[0]) if objects else None
    if kind is None:
        return  # a type outside the subset: nothing known to check
    if isinstance(value, dict) and _lacks_required(kind, value):
        other = _other_kind(value)
        if other is not None and other != kind.name:  # a keyboard where only inline ones go
            _refuse(prefix, wording.WRONG_KIND.get(kind.name, f"{kind.name} expected"))
    check_object(kind, value, prefix, field.name)


def _lacks_required(kind: ObjectSpec, value: dict[str, Any]) -> bool:
    return any(f.required and f.name not in value for f in kind.fields.values())


def _choose(names: list[str], value: dict[str, Any]) -> str | None:
    """Which of several object types value is: the first whose required fields it has."""
    for name in names:
        kind = SPEC.kind(name)
        if kind is None or kind.subtypes:
            return name
        needed = [f for f in kind.fields.values() if f.required]
        if all(f.name in value for f in needed):
            return name
    return None


def _other_kind(value: dict[str, Any]) -> str | None:
    """A type of the spec that value clearly is (it has all that type's required fields)."""
    for name, kind in SPEC.types.items():
        needed = [f.name for f in kind.fields.values() if f.required]
        if needed and all(n in value for n in needed):
            return name
    return None


def _check_array(
    owner: ObjectSpec, field: FieldSpec, item_kind: str, value: Any, prefix: str
) -> None:
    if not isinstance(value, list):
        _refuse(prefix, wording.ARRAY_EXPECTED.get(field.name)
                or wording.NESTED_TYPE["Array"].format(name=field.name))
    limit = field.limits.max_items
    if limit is not None and len(value) > limit:
        words = wording.LIMIT.get(f"{owner.name}.{field.name}")
        if words:
            _refuse("", words[1])
        _refuse(prefix, wording.TOO_MANY.format(name=field.name, high=limit))
    inner = item_kind.removeprefix("Array of ")
    for item in value:
        if inner != item_kind:  # an array of arrays: a keyboard's rows
            if not isinstance(item, list):
                key = f"{owner.name}.{field.name}"
                _refuse(prefix, wording.ARRAY_OF_ARRAYS.get(key)
                        or wording.NESTED_TYPE["Array"].format(name=field.name))
            for cell in item:
                _check_item(owner, field, inner, cell, prefix)
        else:
            _check_item(owner, field, inner, item, prefix)


def _check_item(owner: ObjectSpec, field: FieldSpec, kind: str, item: Any, prefix: str) -> None:
    if kind in SCALARS:
        normal = _scalar(kind, item, nested=True)
        if normal is _NO:
            _refuse(prefix, wording.NESTED_TYPE[kind].format(name=field.name))
        if field.limits.update_types and normal not in SPEC.update_types:
            _refuse(prefix, wording.NOT_A_CHOICE.format(name=field.name, value=normal))
        return
    _check_structured(owner, field, [kind], item, prefix)


def check_object(kind: ObjectSpec, value: Any, prefix: str = "", name: str = "") -> None:
    """Refuse an object that is not what the spec says a kind is (fields, types, limits)."""
    prefix = wording.PREFIX.get(kind.name) or wording.PREFIX.get(kind.parent or "") or prefix
    if kind.accepts_string and isinstance(value, str):
        return
    if not isinstance(value, dict):
        _refuse(prefix, wording.NOT_OBJECT.get(kind.name)
                or wording.NESTED_TYPE["Object"].format(name=name or kind.name))
    if kind.subtypes:
        if "type" not in value:
            _refuse(prefix, wording.CANT_FIND.format(name="type"))
        sub = SPEC.subtype(kind, value["type"])
        if sub is None:
            _refuse(prefix, wording.CHOICE.get(f"{kind.name}.type")
                    or wording.NOT_A_CHOICE.format(name="type", value=value["type"]))
        kind = sub
    for key in value:
        if key not in kind.fields:
            _refuse(prefix, wording.UNKNOWN_FIELD.format(name=key, version=SPEC.version))
    for field in kind.fields.values():
        if field.name not in value:
            if field.required:
                _refuse(prefix, wording.CANT_FIND.format(name=field.name))
            continue
        _check_field(kind, field, value[field.name], prefix)
    _check_exclusive(kind, value, prefix)


def _check_field(kind: ObjectSpec, field: FieldSpec, item: Any, prefix: str) -> None:
    for alternative in field.types:
        if alternative in SCALARS:
            normal = _scalar(alternative, item, nested=True)
            if normal is not _NO:
                _check_limits(kind, field, normal, prefix)
                return
    structured = [k for k in field.types if k not in SCALARS and k != "InputFile"]
    if structured:
        _check_structured(kind, field, structured, item, prefix)
        return
    first = field.types[0]
    if first == "Integer" and isinstance(item, str):
        _refuse(prefix, wording.BAD_NUMBER.format(name=field.name))
    _refuse(prefix, wording.NESTED_TYPE.get(first,
                                            wording.NESTED_TYPE["Object"]).format(name=field.name))


def _check_exclusive(kind: ObjectSpec, value: dict[str, Any], prefix: str) -> None:
    rule = kind.exclusive
    if rule is None:
        return
    used = [name for name in rule.fields if name in value]
    if len(used) > 1:
        _refuse(prefix, wording.TOGETHER.format(first=used[0], second=used[1]))
    if not used and rule.exactly:
        _refuse(prefix, wording.NO_ACTION.get(kind.name)
                or wording.NONE_USED.format(names=", ".join(rule.fields)))


def _check_upload(field: FieldSpec, part: UploadedFile) -> None:
    limits = field.limits
    size = len(part.data)
    if limits.max_file_bytes is not None and size > limits.max_file_bytes:
        _refuse("", wording.FILE_TOO_BIG.format(size=size, what=field.name,
                                          high=limits.max_file_bytes))
    dimensions = image_size(part.data)
    if dimensions is None:
        return  # not a picture at all: the method says so in its own words
    width, height = dimensions
    too_big = limits.max_width_plus_height is not None and (
        width + height > limits.max_width_plus_height)
    too_thin = limits.max_ratio is not None and (
        min(width, height) == 0 or max(width, height) / min(width, height) > limits.max_ratio)
    if too_big or too_thin:
        _refuse("", wording.PHOTO_DIMENSIONS)

