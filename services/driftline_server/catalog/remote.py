"""CatalogService as other services see it: its projects, read over gRPC with the internal
credential (the way identity/remote.py serves API-key checks)."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable, not_found

_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ProjectInfo:
    """What other services need to know of a Catalog project."""

    id: str
    company_id: str
    name: str
    description: str = ""


class CatalogProjects:
    """Projects through CatalogService.GetProject / ListProjects."""

    def __init__(self, channels: ServiceChannels):
        self._channels = channels

    def _stub(self) -> catalog_service_pb2_grpc.CatalogServiceStub:
        return catalog_service_pb2_grpc.CatalogServiceStub(self._channels.channel("catalog"))

    async def get_project(self, project_id: str) -> ProjectInfo | None:
        """The project, or None when it does not exist."""
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

    async def project_company(self, project_id: str) -> str:
        """The id of the company owning the project; NOT_FOUND when there is none."""
        project = await self.get_project(project_id)
        if project is None:
            raise not_found("project", project_id)
        return project.company_id

    async def list_company_projects(self, company_id: str) -> list[ProjectInfo]:
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
