"""The one kind of result the client returns: a frozen Pydantic model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Result(BaseModel):
    """Base of every result type: immutable, every field named (unknown ones refused), equal
    when their fields are equal, and printable, comparable and serialisable as Pydantic
    models are (``model_dump``, ``model_dump_json``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
