"""DataService: uploads validated against the task's schema into atomic Parquet batches, and
the reads of batches and samples."""

from __future__ import annotations

from driftline_server.platform.service import (
    ServiceContext,
    ServiceDefinition,
    recover_periodically,
)

FULL_NAME = "driftline.data.v1.DataService"
INTERNAL_METHODS = frozenset(f"/{FULL_NAME}/{name}" for name in ("CommitBatch", "FailBatch"))
_RECOVERY_SECONDS = 300.0


def create_service(context: ServiceContext) -> ServiceDefinition:
    import asyncio

    from driftline.data.v1 import data_service_pb2_grpc
    from driftline_server.catalog.remote import CatalogTasks
    from driftline_server.data.domain import Data
    from driftline_server.data.servicer import DataServicer
    from driftline_server.data.storage import BatchStorage
    from driftline_server.identity.remote import ProjectStorageCredentials
    from driftline_server.jobs.remote import JobsClient
    from driftline_server.monitoring.remote import MonitoringClient
    from driftline_server.platform.logging import get_logger

    log = get_logger("driftline.data")
    settings = context.settings
    data = Data(context.database, BatchStorage(settings.data_storage),
                CatalogTasks(context.channels), JobsClient(context.channels),
                settings.data_staging_grace_seconds,
                # A CUSTOMER project's bucket is reached with its credentials, kept a minute.
                ProjectStorageCredentials(context.channels, ttl_seconds=60.0),
                MonitoringClient(context.channels), context.plans)
    servicer = DataServicer(data)
    tasks: list[asyncio.Task] = []

    async def on_start() -> None:
        # The first pass waits for the server to accept calls (it asks Jobs and Catalog).
        tasks.append(asyncio.create_task(recover_periodically(
            data.recover, log, "data_recovery_failed", first_delay=0.5, retry_floor=2.0,
            every_seconds=_RECOVERY_SECONDS)))

    async def on_stop() -> None:
        for task in tasks:
            task.cancel()

    return ServiceDefinition(
        name="data",
        full_name=FULL_NAME,
        add_to_server=lambda server: data_service_pb2_grpc.add_DataServiceServicer_to_server(
            servicer, server
        ),
        internal_methods=INTERNAL_METHODS,
        on_start=on_start,
        on_stop=on_stop,
    )
