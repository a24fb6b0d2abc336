"""Assembles and runs a Driftline server: the chosen services on one grpc.aio server, with
interceptors, health checking per service, reflection and a graceful stop."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from driftline_server.identity.remote import CompanyPlans, make_resolver
from driftline_server.platform import migrations, tls
from driftline_server.platform.auth import Authenticator
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.config import Settings
from driftline_server.platform.database import Database
from driftline_server.platform.interceptors import (
    AuthInterceptor,
    CallRateInterceptor,
    ErrorInterceptor,
    LoggingInterceptor,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.service import ServiceContext, ServiceDefinition

_log = get_logger("driftline.server")


def grpc_options(settings: Settings) -> list[tuple[str, object]]:
    """Message limits and keepalive, the same for the server and its service-to-service channels."""
    return [
        ("grpc.max_send_message_length", settings.max_message_bytes),
        ("grpc.max_receive_message_length", settings.max_message_bytes),
        # Ping idle connections every 30 s so dead peers and silent proxies are noticed...
        ("grpc.keepalive_time_ms", 30_000),
        ("grpc.keepalive_timeout_ms", 10_000),
        ("grpc.keepalive_permit_without_calls", 1),
        # ...and let clients do the same, but no more often than every 10 s.
        ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
        ("grpc.http2.max_pings_without_data", 0),
    ]


def migrate_all(settings: Settings) -> None:
    for name in settings.services:
        migrations.upgrade(name, settings.database_url)


@dataclass
class RunningServer:
    server: grpc.aio.Server
    port: int
    health: health.aio.HealthServicer
    definitions: list[ServiceDefinition]
    context: ServiceContext

    async def stop(self, grace: float) -> None:
        """Refuse new work, let in-flight RPCs finish within ``grace`` seconds, release resources."""
        await self.health.enter_graceful_shutdown()
        for definition in self.definitions:
            if definition.on_stopping is not None:
                await definition.on_stopping()
        await self.server.stop(grace)
        for definition in self.definitions:
            if definition.on_stop is not None:
                await definition.on_stop()
        await self.context.channels.close()
        await self.context.database.close()


async def start(settings: Settings) -> RunningServer:
    tls.check(settings)  # bad certificate files stop the start before anything else happens
    credentials = tls.server_credentials(settings)
    await asyncio.to_thread(migrate_all, settings)
    options = grpc_options(settings)
    auth = AuthInterceptor(settings.internal_token)
    call_rate = CallRateInterceptor()
    server = grpc.aio.server(
        interceptors=[LoggingInterceptor(), ErrorInterceptor(), auth, call_rate], options=options
    )
    listen = f"{settings.host}:{settings.port}"
    if credentials is not None:
        port = server.add_secure_port(listen, credentials)
    else:
        port = server.add_insecure_port(listen)
    if port == 0:
        raise OSError(f"could not listen on {settings.host}:{settings.port}: is it in use?")
    own_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "[::]") else settings.host
    channels = ServiceChannels(settings, options)
    channels.bind(f"{own_host}:{port}")
    context = ServiceContext(
        settings=settings,
        database=Database(settings.database_url, settings.db_pool_size),
        channels=channels,
        plans=CompanyPlans(channels, settings.plan_cache_seconds),
    )
    auth.authenticator = Authenticator(make_resolver(channels), settings.auth_cache_seconds)
    call_rate.plans = context.plans

    definitions = []
    for name in settings.services:
        definition = importlib.import_module(f"driftline_server.{name}").create_service(context)
        definition.add_to_server(server)
        auth.public_methods |= definition.public_methods
        auth.internal_methods |= definition.internal_methods
        definitions.append(definition)

    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for definition in definitions:
        await health_servicer.set(definition.full_name, health_pb2.HealthCheckResponse.SERVING)
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [d.full_name for d in definitions]
        + [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME],
        server,
    )
    for definition in definitions:
        if definition.on_start is not None:
            await definition.on_start()
    await server.start()
    running = RunningServer(server, port, health_servicer, definitions, context)
    if credentials is not None:
        try:
            await tls.check_own_certificate(channels.own_channel(), channels.own_address)
        except tls.TLSConfigurationError:
            await running.stop(0)
            raise
    _log.info("serving", address=f"{settings.host}:{port}", services=list(settings.services),
              database=_safe_url(settings.database_url), tls=credentials is not None,
              mutual_tls=bool(credentials is not None and settings.tls_client_ca))
    return running


async def serve(settings: Settings, ready_file: Path | None = None) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully."""
    running = await start(settings)
    if ready_file is not None:
        # Written whole, then renamed: whoever waits for the file never reads half of it.
        partial = ready_file.with_name(ready_file.name + ".partial")
        partial.write_text(json.dumps({"port": running.port, "pid": os.getpid()}))
        partial.replace(ready_file)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    await stopping.wait()
    _log.info("stopping", grace_seconds=settings.shutdown_grace_seconds)
    await running.stop(settings.shutdown_grace_seconds)
    _log.info("stopped")


def _safe_url(url: str) -> str:
    """The database URL without its password, for logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
