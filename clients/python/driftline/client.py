"""``driftline.Client``: one method per operation, each a thin wrapper over one RPC."""

from __future__ import annotations

from driftline._catalog import CatalogMethods
from driftline._data import DataMethods
from driftline._experiments import ExperimentMethods
from driftline._identity import IdentityMethods
from driftline._jobs import JobsMethods
from driftline._model_runs import ModelRunMethods
from driftline._model_sessions import ModelSessionMethods
from driftline._monitoring import MonitoringMethods
from driftline._python_models import PythonModelMethods
from driftline._reports import ReportMethods
from driftline._transport import Transport
from driftline.catalog.v1 import catalog_service_pb2_grpc
from driftline.data.v1 import data_service_pb2_grpc
from driftline.identity.v1 import identity_service_pb2_grpc
from driftline.jobs.v1 import jobs_service_pb2_grpc
from driftline.monitoring.v1 import monitoring_service_pb2_grpc


class Client(IdentityMethods, CatalogMethods, JobsMethods, DataMethods, MonitoringMethods,
             ExperimentMethods, ModelRunMethods, ModelSessionMethods, PythonModelMethods,
             ReportMethods):
    """A connection to a Driftline server, authenticated with a user's API key.

    Args:
        url: the server's address, e.g. ``"127.0.0.1:50051"``.
        api_key: the key from ``driftline-server admin create-user``, ``create_api_key`` or
            ``Client.sign_in``.
        timeout: deadline in seconds of each call.

    Example:
        >>> client = driftline.Client("127.0.0.1:50051", api_key="dl_...")
        >>> company_id = client.create_company(name="Acme", address="1 Main St", vat="IT123")
    """

    def __init__(self, url: str, api_key: str | None, timeout: float = 60):
        self._transport = Transport(url, api_key, timeout)
        self._identity = identity_service_pb2_grpc.IdentityServiceStub(self._transport.channel)
        self._catalog = catalog_service_pb2_grpc.CatalogServiceStub(self._transport.channel)
        self._jobs = jobs_service_pb2_grpc.JobsServiceStub(self._transport.channel)
        self._data = data_service_pb2_grpc.DataServiceStub(self._transport.channel)
        self._monitoring = monitoring_service_pb2_grpc.MonitoringServiceStub(
            self._transport.channel)

    def close(self) -> None:
        """Close the connection. The client can also be used as a context manager."""
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
