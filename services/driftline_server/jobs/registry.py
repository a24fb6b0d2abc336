"""Job handlers by job type: a registry, filled by the services that own the work.

A handler is a plain function ``handler(arguments: dict, context: JobContext) -> dict | None``.
It runs on a Dask worker, at least once (so it must be idempotent), reports progress and
checks for cancellation through ``context``, and reaches other services only over gRPC
(``context.channel(service)``). Each service registers its handlers in its own
``driftline_server/<service>/job_handlers.py``::

    from driftline_server.jobs.registry import job_handler

    @job_handler("diagnostics")
    def run_diagnostics(arguments, context): ...
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from driftline_server.platform.config import ALL_SERVICES

Handler = Callable[[dict, "object"], "dict | None"]


@dataclass(frozen=True)
class Registration:
    job_type: str
    handler: Handler
    max_attempts: int | None = None  # the type's default; a submission may ask for another


class HandlerRegistry:
    def __init__(self):
        self._by_type: dict[str, Registration] = {}

    def register(self, job_type: str, handler: Handler, max_attempts: int | None = None) -> None:
        existing = self._by_type.get(job_type)
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"job type '{job_type}' already has a handler: {existing.handler}")
        self._by_type[job_type] = Registration(job_type, handler, max_attempts)

    def get(self, job_type: str) -> Registration | None:
        return self._by_type.get(job_type)

    def types(self) -> list[str]:
        return sorted(self._by_type)


handlers = HandlerRegistry()


def job_handler(job_type: str, max_attempts: int | None = None):
    """Decorator: register the function as the handler of ``job_type``."""

    def register(function: Handler) -> Handler:
        handlers.register(job_type, function, max_attempts)
        return function

    return register


def load_handlers() -> HandlerRegistry:
    """Import every service's ``job_handlers`` module, so that their handlers register."""
    for service in ALL_SERVICES:
        name = f"driftline_server.{service}.job_handlers"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    return handlers
