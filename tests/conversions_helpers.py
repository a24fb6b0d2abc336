"""Round trips of the client's conversions: a message with every field set (``filled``), and
the check that a message survives ``to_proto(from_proto(message))`` whole."""

from __future__ import annotations

from google.protobuf import descriptor as d
from google.protobuf.message import Message

# Well-known types filled with values a result keeps exactly (a datetime holds microseconds).
_WELL_KNOWN = {
    "google.protobuf.Timestamp": lambda m, n: m.FromSeconds(1_700_000_000 + n) or
    setattr(m, "nanos", 123_000 * (n % 7 + 1)),
    "google.protobuf.Duration": lambda m, n: m.FromMilliseconds(1500 + n),
    "google.protobuf.Struct": lambda m, n: m.update({"key": "value", "n": float(n), "on": True,
                                                     "list": [1.0, "two"], "nested": {"a": 1.0}}),
    "google.protobuf.Value": lambda m, n: setattr(m, "string_value", f"value-{n}"),
    "google.protobuf.DoubleValue": lambda m, n: setattr(m, "value", n + 0.5),
}


def filled(message_type: type[Message], oneof_choice: int = 0, *, depth: int = 0,
           seed: int = 1) -> Message:
    """A message of ``message_type`` with every field set to a value that is not its default:
    repeated fields and maps with two entries, enums at their last value, nested messages
    filled in turn (to a depth of four), and of each oneof the field at ``oneof_choice``
    (modulo its size)."""
    message = message_type()
    _fill(message, oneof_choice, depth, seed)
    return message


def _fill(message: Message, choice: int, depth: int, seed: int) -> None:
    descriptor = message.DESCRIPTOR
    if descriptor.full_name in _WELL_KNOWN:
        _WELL_KNOWN[descriptor.full_name](message, seed)
        return
    skipped = set()
    for oneof in descriptor.oneofs:
        if oneof.name.startswith("_"):  # proto3 `optional`: a field of its own, always set
            continue
        fields = list(oneof.fields)
        skipped |= {f.name for i, f in enumerate(fields) if i != choice % len(fields)}
    for number, field in enumerate(descriptor.fields, start=seed):
        if field.name in skipped:
            continue
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            target = getattr(message, field.name)
            key_field, value_field = field.message_type.fields
            for index in range(2):
                key = _scalar(key_field, number + index)
                if value_field.message_type is not None:
                    _fill(target[key], choice, depth + 1, number + index)
                else:
                    target[key] = _scalar(value_field, number + index)
            continue
        if field.is_repeated:
            target = getattr(message, field.name)
            for index in range(2):
                if field.message_type is not None:
                    if depth < 4:
                        _fill(target.add(), choice, depth + 1, number + index)
                else:
                    target.append(_scalar(field, number + index))
            continue
        if field.message_type is not None:
            if depth < 4:
                _fill(getattr(message, field.name), choice, depth + 1, number)
            continue
        setattr(message, field.name, _scalar(field, number))


def _scalar(field: d.FieldDescriptor, number: int):
    kind = field.type
    if kind == d.FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values[-1].number
    if kind == d.FieldDescriptor.TYPE_BOOL:
        return True
    if kind == d.FieldDescriptor.TYPE_STRING:
        return f"{field.name}-{number}"
    if kind == d.FieldDescriptor.TYPE_BYTES:
        return f"{field.name}-{number}".encode()
    if kind in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return number + 0.5
    return number + 1


def assert_round_trip(message: Message, from_proto, to_proto) -> None:
    """The message, converted to its result and back, is the message it was."""
    result = from_proto(message)
    again = to_proto(result)
    assert again == message, (
        f"{type(message).__name__} did not survive the round trip:\n"
        f"sent:     {message}\nreturned: {again}")
    assert from_proto(again) == result
