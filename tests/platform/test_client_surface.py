"""The client's surface: every public method returns the one kind of result (driftline.types'
Pydantic models, plain values, lists or pagers of them), never a protobuf message nor another
kind of record (a dataclass).

NOT_CONVERTED names the methods that issue 17 (part 3) has not converted yet; the test fails on
any other method that returns a message or a dataclass, and on a listed one that no longer does,
so the list only shrinks and always says exactly what is left.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing

from google.protobuf.message import Message

import driftline

NOT_CONVERTED: set[str] = set()


def _types_in(annotation) -> list:
    """Every type an annotation names (list[X], X | None, Iterator[X], Pager[X], ...)."""
    found = [annotation]
    for argument in typing.get_args(annotation):
        found += _types_in(argument)
    return found


def _returns_another_kind(method) -> bool:
    """Whether the method returns a protobuf message or a dataclass, rather than a result."""
    hints = typing.get_type_hints(method)
    return any(inspect.isclass(kind) and (issubclass(kind, Message) or
                                          dataclasses.is_dataclass(kind))
               for kind in _types_in(hints.get("return")))


def _public_methods() -> dict[str, object]:
    return {name: member for name, member in inspect.getmembers(driftline.Client)
            if not name.startswith("_") and inspect.isfunction(member)}


def test_every_public_method_returns_the_clients_results():
    returning = {name for name, method in _public_methods().items()
                 if _returns_another_kind(method)}
    assert not returning - NOT_CONVERTED, (
        f"these return protobuf messages or dataclasses: {sorted(returning - NOT_CONVERTED)}; "
        "return a driftline.types result, converted in driftline.conversions")
    assert not NOT_CONVERTED - returning, (
        f"converted already, take them off NOT_CONVERTED: {sorted(NOT_CONVERTED - returning)}")


def test_every_public_method_has_a_docstring_with_an_example():
    missing = [name for name, method in _public_methods().items()
               if "Example" not in (inspect.getdoc(method) or "")]
    assert not missing, f"no docstring with an example: {missing}"
