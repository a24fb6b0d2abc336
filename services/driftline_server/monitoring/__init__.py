"""MonitoringService: model references fitted with the numba monitoring core (``core/``) by
jobs, drift detection of every committed production batch, statuses and detection events."""

from __future__ import annotations

from driftline_server.platform.service import (
    ServiceContext,
    ServiceDefinition,
    recover_periodically,
)

FULL_NAME = "driftline.monitoring.v1.MonitoringService"
INTERNAL_METHODS = frozenset(
    f"/{FULL_NAME}/{name}" for name in (
        "CompleteModelReference", "FailModelReference", "NotifyBatchCommitted",
        "GetDetectionContext", "GetReferenceFit", "RecordDetection", "GetActionDeliveryPlan",
        "RecordActionDelivery", "CompleteRetrainingReport", "RecordRetrainTrigger",
        "RetrainFromEvent", "GetKpiDetectionState", "RecordKpiDetection",
        "FinishTaskReport"))
_RECOVERY_SECONDS = 300.0


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline.monitoring.v1 import monitoring_service_pb2_grpc
    from driftline_server.catalog.remote import CatalogModels
    from driftline_server.jobs.remote import JobsClient
    from driftline_server.monitoring.detections import DetectionLog, Detections, detection_feed
    import asyncio

    from driftline_server.monitoring.domain import Monitoring, ReferenceSettings
    from driftline_server.identity.remote import integration_credentials_resolver
    from driftline_server.monitoring.job_handlers import delivery_settings
    from driftline_server.data.storage import BatchStorage
    from driftline_server.monitoring.reports.domain import TaskReports
    from driftline_server.monitoring.retrainings import Retrainings
    from driftline_server.monitoring.rules import Rules
    from driftline_server.monitoring.servicer import MonitoringServicer
    from driftline_server.platform.crypto import SecretBox
    from driftline_server.platform.database import is_sqlite
    from driftline_server.platform.eventlog import PostgresListener
    from driftline_server.platform.logging import get_logger

    log_ = get_logger("driftline.monitoring")

    settings = context.settings
    catalog = CatalogModels(context.channels)
    jobs = JobsClient(context.channels)
    monitoring = Monitoring(
        context.database, catalog, jobs,
        ReferenceSettings(min_samples=settings.monitoring_min_reference_samples,
                          batches_between_false_alarms=(
                              settings.monitoring_batches_between_false_alarms)))
    log = DetectionLog(context.database)
    postgres = not is_sqlite(settings.database_url)
    # As Jobs' feed: LISTEN/NOTIFY wakes replicas on PostgreSQL, local commits on SQLite.
    feed = detection_feed(log, poll_seconds=5.0 if postgres else 1.0)
    log.on_commit = feed.poke
    listener = (PostgresListener(settings.database_url, log.notify_channel, feed.poke)
                if postgres else None)
    actions_settings = delivery_settings(settings)
    rules = Rules(context.database, catalog, jobs, SecretBox(settings.secret_key),
                  actions_settings)
    detections = Detections(context.database, catalog, jobs, log, feed, rules)
    retrainings = Retrainings(context.database, catalog, jobs,
                              integration_credentials_resolver(context.channels),
                              actions_settings)
    monitoring.retrainings = retrainings
    reports = TaskReports(context.database, catalog, jobs, BatchStorage(settings.data_storage),
                          integration_credentials_resolver(context.channels))
    servicer = MonitoringServicer(monitoring, detections, rules, retrainings, reports)
    tasks: list[asyncio.Task] = []

    async def on_start() -> None:
        if listener is not None:
            await listener.start()
        await feed.start()
        # Deliveries whose job was never submitted (a stop in between) or ended unfinished.
        tasks.append(asyncio.create_task(recover_periodically(
            rules.recover, log_, "monitoring_recovery_failed", first_delay=5.0,
            retry_floor=10.0, every_seconds=_RECOVERY_SECONDS)))

    async def on_stopping() -> None:
        feed.close()  # watchers reconnect to another replica and resume where they were

    async def on_stop() -> None:
        for task in tasks:
            task.cancel()
        await feed.stop()
        if listener is not None:
            await listener.stop()

    return ServiceDefinition(
        name="monitoring",
        full_name=FULL_NAME,
        add_to_server=lambda server: (
            monitoring_service_pb2_grpc.add_MonitoringServiceServicer_to_server(servicer, server)
        ),
        internal_methods=INTERNAL_METHODS,
        on_start=on_start,
        on_stopping=on_stopping,
        on_stop=on_stop,
    )
