"""MonitoringService: model references fitted with the numba monitoring core (``core/``) by jobs;
drift detection, detection events, rules and retraining reports follow."""

from __future__ import annotations

from driftline_server.platform.service import ServiceContext, ServiceDefinition

FULL_NAME = "driftline.monitoring.v1.MonitoringService"
INTERNAL_METHODS = frozenset(
    f"/{FULL_NAME}/{name}" for name in ("CompleteModelReference", "FailModelReference"))


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline.monitoring.v1 import monitoring_service_pb2_grpc
    from driftline_server.catalog.remote import CatalogModels
    from driftline_server.jobs.remote import JobsClient
    from driftline_server.monitoring.domain import Monitoring, ReferenceSettings
    from driftline_server.monitoring.servicer import MonitoringServicer

    settings = context.settings
    monitoring = Monitoring(
        context.database, CatalogModels(context.channels), JobsClient(context.channels),
        ReferenceSettings(min_samples=settings.monitoring_min_reference_samples,
                          drift_mean_run_length=settings.monitoring_mean_run_length))
    servicer = MonitoringServicer(monitoring)
    return ServiceDefinition(
        name="monitoring",
        full_name=FULL_NAME,
        add_to_server=lambda server: (
            monitoring_service_pb2_grpc.add_MonitoringServiceServicer_to_server(servicer, server)
        ),
        internal_methods=INTERNAL_METHODS,
    )
