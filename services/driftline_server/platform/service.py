"""What a service hands the server assembly, and what the assembly hands a service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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
