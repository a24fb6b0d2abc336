from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Currency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CURRENCY_UNSPECIFIED: _ClassVar[Currency]
    CURRENCY_EURO: _ClassVar[Currency]
    CURRENCY_DOLLAR: _ClassVar[Currency]
CURRENCY_UNSPECIFIED: Currency
CURRENCY_EURO: Currency
CURRENCY_DOLLAR: Currency

class Money(_message.Message):
    __slots__ = ("currency", "amount")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    currency: Currency
    amount: str
    def __init__(self, currency: _Optional[_Union[Currency, str]] = ..., amount: _Optional[str] = ...) -> None: ...
