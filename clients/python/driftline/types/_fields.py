"""What the catalog extras' result types share: enum fields that also take a name, and results
a user builds to send (a metric point, a module, a training input, a build log line) with their
fields given positionally, in the order they are declared.

Example:
    >>> MetricPoint(model.experiment_model_id, "loss", 0.42, "TRAINING", step=3).phase
    <Phase.TRAINING: 1>
"""

from __future__ import annotations

import enum
import re
from typing import Annotated, TypeVar

from pydantic import BeforeValidator

from driftline.enums import enum_member
from driftline.types._base import Result

E = TypeVar("E", bound=enum.IntEnum)


def _proto_prefix(enum_type: type[enum.IntEnum]) -> str:
    """The contracts' prefix of an enum's values: ``MODEL_SESSION_STATE_`` for
    ModelSessionState (buf's STANDARD lint requires it)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.__name__).upper() + "_"


def by_name(enum_type: type[E]) -> BeforeValidator:
    """A field of ``enum_type`` that also takes the member's name ("TRAINING", any case, with
    or without the contracts' prefix) or its number (one this client does not know stays an
    int); None stays None."""
    prefix = _proto_prefix(enum_type)

    def member(value):
        if value is None or isinstance(value, enum_type):
            return value
        if isinstance(value, str):
            name = value.upper().removeprefix(prefix)
            try:
                return enum_type[name]
            except KeyError:
                raise ValueError(f"{value!r} is not a {enum_type.__name__}: one of "
                                 f"{', '.join(m.name for m in enum_type if m)}") from None
        if isinstance(value, int) and not isinstance(value, bool):
            return enum_member(enum_type, value)
        return value

    return BeforeValidator(member)


def enum_field(enum_type: type[E]):
    """The annotation of a field of ``enum_type`` (or an int a newer server sent)."""
    return Annotated[enum_type | int, by_name(enum_type)]


class Positional(Result):
    """A result a user builds, whose fields may also be given positionally, in their order:
    ``MetricPoint(model_id, "loss", 0.42)``."""

    def __init__(self, *values, **fields):
        names = list(type(self).model_fields)
        if len(values) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} positional "
                            f"arguments ({len(values)} given)")
        for name, value in zip(names, values):
            if name in fields:
                raise TypeError(f"{type(self).__name__} got {name!r} twice")
            fields[name] = value
        super().__init__(**fields)
