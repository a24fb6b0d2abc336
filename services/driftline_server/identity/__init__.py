"""IdentityService: companies, users, roles, API keys, integration credentials, and the
authentication of the whole suite."""

from __future__ import annotations

from driftline.identity.v1 import identity_service_pb2_grpc
from driftline_server.platform.service import ServiceContext, ServiceDefinition

SERVICE_NAME = "driftline.identity.v1.IdentityService"


def create_service(context: ServiceContext) -> ServiceDefinition:
    from driftline_server.identity.accounts import Accounts
    from driftline_server.catalog.remote import CatalogProjects
    from driftline_server.identity.credentials import IntegrationCredentialsStore
    from driftline_server.platform.crypto import SecretBox
    from driftline_server.identity.plans import Plans
    from driftline_server.identity.servicer import IdentityServicer

    projects = CatalogProjects(context.channels)
    servicer = IdentityServicer(
        Accounts(context.database, projects),
        IntegrationCredentialsStore(
            context.database, projects, SecretBox(context.settings.secret_key)
        ),
        Plans(context.database),
    )
    return ServiceDefinition(
        name="identity",
        full_name=SERVICE_NAME,
        add_to_server=lambda server: (
            identity_service_pb2_grpc.add_IdentityServiceServicer_to_server(servicer, server)
        ),
        public_methods=frozenset({f"/{SERVICE_NAME}/SignIn"}),
        internal_methods=frozenset(
            {f"/{SERVICE_NAME}/AuthenticateApiKey", f"/{SERVICE_NAME}/ResolveStorageCredentials",
             f"/{SERVICE_NAME}/ResolveIntegrationCredentials"}
        ),
    )
