"""Domain enums <-> the generated proto enums, for every service's conversions.

A domain enum (``BatchKind.HISTORICAL``) and its proto enum (``BATCH_KIND_HISTORICAL``) differ
by the prefix that buf's STANDARD lint asks of enum values; the prefix is read from the proto
enum's zero value (``BATCH_KIND_UNSPECIFIED``), so a service only lists which enum is which.
"""

from __future__ import annotations

from driftline_server.platform.errors import InvalidArgument


def _prefix(wrapper) -> str:
    return wrapper.DESCRIPTOR.values_by_number[0].name.removesuffix("UNSPECIFIED")


class ProtoEnums:
    """``ProtoEnums({TaskType: task_pb2.TaskType, ...})``: conversions both ways."""

    def __init__(self, wrappers: dict):
        self._wrappers = {domain: (wrapper, _prefix(wrapper)) for domain, wrapper in wrappers.items()}

    @property
    def wrappers(self) -> dict:
        """domain enum -> its generated proto enum."""
        return {domain: wrapper for domain, (wrapper, _) in self._wrappers.items()}

    def from_proto(self, domain_enum, value: int, field: str):
        """The domain value of a proto enum number; None for the zero value; INVALID_ARGUMENT
        naming ``field`` for a number the enum does not have."""
        if value == 0:
            return None
        wrapper, prefix = self._wrappers[domain_enum]
        try:
            return domain_enum(wrapper.Name(value).removeprefix(prefix))
        except ValueError:
            raise InvalidArgument.for_field(
                field, f"{value} is not a known {wrapper.DESCRIPTOR.name}", "INVALID_ENUM_VALUE"
            ) from None

    def many_from_proto(self, domain_enum, values, field: str) -> list:
        """The domain values of a repeated enum field (zero values left out)."""
        return [self.from_proto(domain_enum, value, f"{field}[{index}]")
                for index, value in enumerate(values) if value]

    def to_proto(self, domain_enum, value) -> int:
        """The proto number of a domain value (or of its name); 0 for None or empty."""
        if not value:
            return 0
        wrapper, prefix = self._wrappers[domain_enum]
        return wrapper.Value(prefix + domain_enum(value).value)
