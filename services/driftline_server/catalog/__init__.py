"""CatalogService: projects, tasks, models (one row per version), data schemas, KPIs, model
runs, model sessions (with the event log their Watch streams follow), and Python models trained
by jobs and served from sandboxed processes."""

from __future__ import annotations

from driftline_server.platform.service import (
    ServiceContext,
    ServiceDefinition,
    recover_periodically,
)

FULL_NAME = "driftline.catalog.v1.CatalogService"
INTERNAL_METHODS = frozenset(
    f"/{FULL_NAME}/{name}" for name in (
        "StartPythonModelTraining", "FinishPythonModelTraining", "RetrainPythonModel",
        "GetResourceNames"))
_RECOVERY_SECONDS = 300.0


def create_service(context: ServiceContext) -> ServiceDefinition:
    import asyncio
    from pathlib import Path

    from driftline.catalog.v1 import catalog_service_pb2_grpc
    from driftline_server.catalog.domain import Catalog
    from driftline_server.catalog.experiments import Experiments
    from driftline_server.catalog.job_handlers import ENVIRONMENTS_FOLDER
    from driftline_server.catalog.model_runs import ModelRuns
    from driftline_server.catalog.model_sessions import (
        ModelSessions,
        SessionEventLog,
        session_event_feed,
    )
    from driftline_server.catalog.python_models.definitions import PythonModels
    from driftline_server.catalog.python_models.predictions import ModelServer
    from driftline_server.catalog.servicer import CatalogServicer
    from driftline_server.data.storage import BatchStorage
    from driftline_server.jobs.remote import JobsClient
    from driftline_server.platform.eventlog import LiveFeed
    from driftline_server.platform.logging import get_logger

    log = get_logger("driftline.catalog")
    settings = context.settings
    storage = BatchStorage(settings.data_storage)
    python_models = PythonModels(context.database, JobsClient(context.channels),
                                 storage.model_artifact, settings.data_storage, context.plans)
    model_server = ModelServer(storage, Path(settings.data_dir) / ENVIRONMENTS_FOLDER)
    session_log = SessionEventLog(context.database)
    session_feed = LiveFeed(session_log, lambda poll: session_event_feed(session_log, poll),
                            settings.database_url)
    servicer = CatalogServicer(Catalog(context.database, context.plans),
                               ModelRuns(context.database),
                               python_models, model_server,
                               ModelSessions(context.database, session_log, session_feed.feed),
                               Experiments(context.database))
    tasks: list[asyncio.Task] = []

    async def on_start() -> None:
        await session_feed.start()
        # Versions whose training job was never submitted (a stop in between).
        tasks.append(asyncio.create_task(recover_periodically(
            python_models.recover, log, "catalog_recovery_failed", first_delay=5.0,
            retry_floor=10.0, every_seconds=_RECOVERY_SECONDS)))

    async def on_stop() -> None:
        for task in tasks:
            task.cancel()
        await session_feed.stop()
        await model_server.close()

    return ServiceDefinition(
        name="catalog",
        full_name=FULL_NAME,
        add_to_server=lambda server: catalog_service_pb2_grpc.add_CatalogServiceServicer_to_server(
            servicer, server
        ),
        internal_methods=INTERNAL_METHODS,
        on_start=on_start,
        on_stopping=session_feed.stopping,
        on_stop=on_stop,
    )
