"""Which company a project belongs to, asked of CatalogService over gRPC."""

from __future__ import annotations

import grpc

from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable, not_found


def project_company_resolver(channels: ServiceChannels):
    async def project_company(project_id: str) -> str:
        stub = catalog_service_pb2_grpc.CatalogServiceStub(channels.channel("catalog"))
        try:
            response = await stub.GetProject(
                catalog_service_pb2.GetProjectRequest(project_id=project_id),
                metadata=channels.metadata(), timeout=10,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise not_found("project", project_id) from None
            raise Unavailable(
                reason="CATALOG_UNAVAILABLE",
                message="the catalog service cannot tell whose project this is: retry shortly",
            ) from None
        return response.project.company_id

    return project_company
