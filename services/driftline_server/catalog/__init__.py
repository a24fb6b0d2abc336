"""CatalogService: projects, tasks, models (one row per version), data schemas and KPIs."""

from __future__ import annotations

from driftline_server.platform.service import ServiceContext, ServiceDefinition

FULL_NAME = "driftline.catalog.v1.CatalogService"


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline.catalog.v1 import catalog_service_pb2_grpc
    from driftline_server.catalog.domain import Catalog
    from driftline_server.catalog.experiments import Experiments
    from driftline_server.catalog.model_runs import ModelRuns
    from driftline_server.catalog.servicer import CatalogServicer

    servicer = CatalogServicer(Catalog(context.database), ModelRuns(context.database),
                               Experiments(context.database))
    return ServiceDefinition(
        name="catalog",
        full_name=FULL_NAME,
        add_to_server=lambda server: catalog_service_pb2_grpc.add_CatalogServiceServicer_to_server(
            servicer, server
        ),
    )
