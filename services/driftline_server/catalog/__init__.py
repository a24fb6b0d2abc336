"""CatalogService: projects, tasks, models (one row per version), data schemas and KPIs, model
runs, and model sessions (with the event log their Watch streams follow)."""

from __future__ import annotations

from driftline_server.platform.service import ServiceContext, ServiceDefinition

FULL_NAME = "driftline.catalog.v1.CatalogService"


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline.catalog.v1 import catalog_service_pb2_grpc
    from driftline_server.catalog.domain import Catalog
    from driftline_server.catalog.model_runs import ModelRuns
    from driftline_server.catalog.model_sessions import (
        ModelSessions,
        SessionEventLog,
        session_event_feed,
    )
    from driftline_server.catalog.servicer import CatalogServicer
    from driftline_server.platform.eventlog import LiveFeed

    session_log = SessionEventLog(context.database)
    session_feed = LiveFeed(session_log, lambda poll: session_event_feed(session_log, poll),
                            context.settings.database_url)
    servicer = CatalogServicer(Catalog(context.database), ModelRuns(context.database),
                               ModelSessions(context.database, session_log, session_feed.feed))
    return ServiceDefinition(
        name="catalog",
        full_name=FULL_NAME,
        add_to_server=lambda server: catalog_service_pb2_grpc.add_CatalogServiceServicer_to_server(
            servicer, server
        ),
        on_start=session_feed.start,
        on_stopping=session_feed.stopping,
        on_stop=session_feed.stop,
    )
