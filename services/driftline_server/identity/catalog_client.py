"""Catalog's projects for Identity, over gRPC with the internal credential."""

from __future__ import annotations

import grpc

from driftline_server.identity.common import ProjectInfo
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable

_TIMEOUT_SECONDS = 10.0


class CatalogProjects:
    """``ProjectDirectory`` backed by CatalogService.GetProject / ListProjects."""

    def __init__(self, channels: ServiceChannels):
        self._channels = channels

    def _stub(self):
        # Imported on use: Identity must start even where Catalog's stubs are not installed.
        from driftline.catalog.v1 import catalog_service_pb2_grpc

        return catalog_service_pb2_grpc.CatalogServiceStub(self._channels.channel("catalog"))

    async def get_project(self, project_id: str) -> ProjectInfo | None:
        from driftline.catalog.v1 import catalog_service_pb2

        try:
            response = await self._stub().GetProject(
                catalog_service_pb2.GetProjectRequest(project_id=project_id),
                metadata=self._channels.metadata(),
                timeout=_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                return None
            raise _unavailable(error) from None
        project = response.project
        return ProjectInfo(project.id, project.company_id, project.name, project.description)

    async def list_company_projects(self, company_id: str) -> list[ProjectInfo]:
        from driftline.catalog.v1 import catalog_service_pb2

        projects: list[ProjectInfo] = []
        token = ""
        while True:
            try:
                response = await self._stub().ListProjects(
                    catalog_service_pb2.ListProjectsRequest(
                        page_size=1000, page_token=token, company_id=company_id
                    ),
                    metadata=self._channels.metadata(),
                    timeout=_TIMEOUT_SECONDS,
                )
            except grpc.aio.AioRpcError as error:
                raise _unavailable(error) from None
            projects += [
                ProjectInfo(p.id, p.company_id, p.name, p.description)
                for p in response.projects
                if p.company_id == company_id
            ]
            token = response.next_page_token
            if not token:
                return projects


def _unavailable(error: grpc.aio.AioRpcError) -> Unavailable:
    return Unavailable(
        reason="CATALOG_UNAVAILABLE",
        message=f"CatalogService could not answer ({error.code().name}): retry later",
    )
