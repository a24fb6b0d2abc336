"""JobsService: durable jobs run on Dask, with an event log that Watch streams follow."""

from __future__ import annotations

from driftline_server.platform.service import ServiceContext, ServiceDefinition

FULL_NAME = "driftline.jobs.v1.JobsService"
INTERNAL_METHODS = frozenset(
    f"/{FULL_NAME}/{name}"
    for name in ("SubmitJob", "StartJobAttempt", "ReportJobProgress", "CheckJobCancellation")
)


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline.jobs.v1 import jobs_service_pb2_grpc
    from driftline_server.catalog.remote import CatalogProjects
    from driftline_server.jobs.domain import Jobs
    from driftline_server.jobs.engine import Engine
    from driftline_server.jobs.events import EventFeed, EventLog
    from driftline_server.platform.eventlog import PostgresListener
    from driftline_server.jobs.registry import load_handlers
    from driftline_server.jobs.servicer import JobsServicer
    from driftline_server.platform.config import ALL_SERVICES
    from driftline_server.platform.database import is_sqlite

    settings = context.settings
    registry = load_handlers()
    log = EventLog(context.database)
    postgres = not is_sqlite(settings.database_url)
    # On PostgreSQL, LISTEN/NOTIFY brings other replicas' events at once; polling is a safety
    # net. On SQLite (one process) local commits wake the feed; polling covers anything else.
    feed = EventFeed(log, poll_seconds=5.0 if postgres else 1.0)
    log.on_commit = feed.poke
    catalog = CatalogProjects(context.channels)
    jobs = Jobs(context.database, log, feed, registry, catalog.project_company, context.plans,
                catalog.resource_names)

    def addresses() -> dict[str, str]:
        own = context.channels.own_address
        known = {}
        for service in ALL_SERVICES:
            try:
                known[service] = settings.address_of(service, own)
            except ValueError:
                pass
        return known

    engine = Engine(jobs, feed, registry, addresses, settings,
                    lease_seconds=settings.jobs_lease_seconds)
    jobs.on_submitted = engine.wake
    listener = PostgresListener(settings.database_url, log.notify_channel, feed.poke) if postgres else None
    servicer = JobsServicer(jobs)

    async def on_start() -> None:
        if listener is not None:
            await listener.start()
        await feed.start()
        await engine.start()

    async def on_stopping() -> None:
        # Claim nothing more, and send watchers to another replica (they resume where they were).
        await engine.stop_dispatching()
        feed.close()

    async def on_stop() -> None:
        await engine.stop()
        await feed.stop()
        if listener is not None:
            await listener.stop()

    return ServiceDefinition(
        name="jobs",
        full_name=FULL_NAME,
        add_to_server=lambda server: jobs_service_pb2_grpc.add_JobsServiceServicer_to_server(
            servicer, server
        ),
        internal_methods=INTERNAL_METHODS,
        on_start=on_start,
        on_stopping=on_stopping,
        on_stop=on_stop,
    )
