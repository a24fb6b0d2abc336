"""Arguments as users give them, turned into request fields: enum values that may also be given
by name, and one-or-many values as lists. Every mixin uses these, so the rules are the same for
every method."""

from __future__ import annotations

from collections.abc import Iterable


def enum_value(enum_type, value, prefix: str) -> int:
    """A generated enum value, also accepted by name: "REGRESSION" or "TASK_TYPE_REGRESSION";
    None is the enum's zero (unspecified) value."""
    if value is None:
        return 0
    if isinstance(value, str):
        name = value.upper()
        return enum_type.Value(name if name.startswith(prefix) else prefix + name)
    return int(value)


def enum_values(enum_type, value, prefix: str) -> list[int]:
    """One enum value or several (each as ``enum_value`` takes it), as a list; None is none."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [enum_value(enum_type, value, prefix)]
    return [enum_value(enum_type, item, prefix) for item in value]


def names(value: str | Iterable[str] | None) -> list[str]:
    """One name or several, as a list; None is none."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def enum_name(enum_type, value: int) -> str:
    """A generated enum value's name without its prefix ("INPUT"); "" for the zero value."""
    if not value:
        return ""
    prefix = enum_type.DESCRIPTOR.values_by_number[0].name.removesuffix("UNSPECIFIED")
    return enum_type.Name(value).removeprefix(prefix)
