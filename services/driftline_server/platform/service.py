"""What a service hands the server assembly, and what the assembly hands a service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import grpc

from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.config import Settings
from driftline_server.platform.database import Database


@dataclass
class ServiceContext:
    """Shared resources of one server process."""

    settings: Settings
    database: Database
    channels: ServiceChannels
    # identity.remote.CompanyPlans: companies' plan limits, one cache for the whole process.
    plans: Any = None


@dataclass
class ServiceDefinition:
    """One gRPC service of the suite, ready to be added to a server.

    ``public_methods`` need no credential; ``internal_methods`` accept only the internal one.
    Both hold full method names, e.g. ``/driftline.identity.v1.IdentityService/SignIn``.
    ``on_start`` runs once every service is added, before the server accepts calls;
    ``on_stopping`` when the server begins to stop; ``on_stop`` once in-flight calls ended.
    """

    name: str
    full_name: str
    add_to_server: Callable[[grpc.aio.Server], None]
    public_methods: frozenset[str] = field(default_factory=frozenset)
    internal_methods: frozenset[str] = field(default_factory=frozenset)
    on_start: Callable[[], Awaitable[None]] | None = None
    on_stopping: Callable[[], Awaitable[None]] | None = None
    on_stop: Callable[[], Awaitable[None]] | None = None


async def recover_periodically(recover: Callable[[], Awaitable[object]], log, event: str, *,
                               first_delay: float, retry_floor: float,
                               every_seconds: float = 300.0) -> None:
    """Run a service's recovery (work a stop left undone) ``first_delay`` seconds after the
    start, then every ``every_seconds``. A failing pass (another service not up yet, a storage
    hiccup) is logged as ``event`` and tried again sooner, backing off from ``retry_floor``.
    Runs until cancelled."""
    import asyncio

    delay = first_delay
    while True:
        await asyncio.sleep(delay)
        try:
            await recover()
            delay = every_seconds
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning(event, exc_info=True)
            delay = min(max(delay * 2, retry_floor), every_seconds)
