"""JSON objects as the catalog extras send and return them (a model run's information, a
module's arguments, a session's metadata, a Python model's training configuration, a sample
and its prediction): google.protobuf.Struct <-> dict.

Struct numbers are doubles: integers come back as ``int`` when they are integral (up to 2**53,
where doubles are exact), other numbers as ``float``; integers beyond 2**53 lose precision on the
way, as in JSON parsers that use doubles. So ``{"epochs": 10}`` comes back as ``{"epochs": 10}``
and ``{"lr": 1.0}`` as ``{"lr": 1}`` (equal in Python, and the server treats 1 and 1.0 as the
same number too). Dicts are checked before they are sent: InvalidArgumentError with the reason
the server would give.
"""

from __future__ import annotations

from collections.abc import Mapping

from google.protobuf import struct_pb2

from driftline.errors import InvalidArgumentError

# The server's limit (it refuses deeper objects too); checked here as well because a Struct much
# deeper cannot even be decoded by the server's protobuf runtime.
MAX_DEPTH = 32
_EXACT_INTEGERS = 2.0**53


def value_to_python(value: struct_pb2.Value):
    """A google.protobuf.Value as a JSON value of Python (integral numbers as ints)."""
    kind = value.WhichOneof("kind")  # the commonest kinds first: this runs for every value
    if kind == "number_value":
        number = value.number_value
        return int(number) if number.is_integer() and abs(number) <= _EXACT_INTEGERS else number
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    if kind == "list_value":
        return [value_to_python(item) for item in value.list_value.values]
    if kind == "bool_value":
        return value.bool_value
    return None


def struct_to_dict(message: struct_pb2.Struct) -> dict:
    """A Struct as a dict, integral numbers as ints."""
    return {key: value_to_python(value) for key, value in message.fields.items()}


def _depth(value, level: int = 1) -> int:
    if isinstance(value, Mapping):
        return max((_depth(item, level + 1) for item in value.values()), default=level)
    if isinstance(value, (list, tuple)):
        return max((_depth(item, level + 1) for item in value), default=level)
    return level - 1


def dict_to_struct(value, argument: str = "model_run_info",
                   reason: str = "MODEL_RUN_INFO") -> struct_pb2.Struct:
    """A dict of JSON values as a Struct; InvalidArgumentError (before any call, with the reason
    the server gives) for anything that is not a JSON object, is nested too deep or holds values
    JSON does not have."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(
            f"{reason}_NOT_AN_OBJECT",
            f"{argument} must be a JSON object (a dict), not {type(value).__name__}",
            field_violations=[(argument, "must be a JSON object")],
        )
    if _depth(value) > MAX_DEPTH:
        raise InvalidArgumentError(
            f"{reason}_TOO_DEEP",
            f"{argument} nests deeper than {MAX_DEPTH} levels of objects and arrays",
            field_violations=[(argument, "too deep")],
        )
    message = struct_pb2.Struct()
    try:
        message.update(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidArgumentError(
            f"{reason}_INVALID_VALUE",
            f"{argument} holds a value that is not JSON ({error}): use dicts with str keys, "
            "lists, str, int, float, bool and None",
            field_violations=[(argument, str(error))],
        ) from None
    return message

