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
from driftline.tls import PemSource, TLSConfig
from driftline.catalog.v1 import catalog_service_pb2_grpc
from driftline.data.v1 import data_service_pb2_grpc
from driftline.identity.v1 import identity_service_pb2_grpc
from driftline.jobs.v1 import jobs_service_pb2_grpc
from driftline.monitoring.v1 import monitoring_service_pb2_grpc


class Stubs:
    """The generated gRPC stubs on a client's own connection: the documented way to call an
    RPC that has no client method, or to send a request exactly as built.

    ``call`` and ``client_stream`` add what the client's methods add (the API key, the
    deadline, retries of calls that are safe to repeat, errors mapped to ``DriftlineError``);
    the stubs themselves are plain gRPC, called with ``metadata``.

    Example:
        >>> from driftline.catalog.v1 import catalog_service_pb2 as pb
        >>> request = pb.GetProjectRequest(project_id=project_id)
        >>> project = client.stubs.call(client.stubs.catalog.GetProject, request).project
        >>> raw = client.stubs.catalog.GetProject(request, metadata=client.stubs.metadata)
    """

    def __init__(self, transport: Transport):
        self._transport = transport
        self.identity = identity_service_pb2_grpc.IdentityServiceStub(transport.channel)
        self.catalog = catalog_service_pb2_grpc.CatalogServiceStub(transport.channel)
        self.jobs = jobs_service_pb2_grpc.JobsServiceStub(transport.channel)
        self.data = data_service_pb2_grpc.DataServiceStub(transport.channel)
        self.monitoring = monitoring_service_pb2_grpc.MonitoringServiceStub(transport.channel)

    @property
    def channel(self):
        """The client's gRPC channel."""
        return self._transport.channel

    @property
    def target(self) -> str:
        """The server's address as the channel dials it (``host:port``)."""
        return self._transport.url

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        """The call metadata that authenticates the client (its API key), for raw stub calls."""
        return self._transport.metadata

    def call(self, method, request, *, idempotent: bool = False, timeout: float | None = None):
        """Call a unary stub method as the client's methods do; ``idempotent`` lets it be
        retried while the server answers UNAVAILABLE or ABORTED.

        Example:
            >>> client.stubs.call(client.stubs.identity.GetCompany, GetCompanyRequest())
        """
        return self._transport.call(method, request, idempotent=idempotent, timeout=timeout)

    def client_stream(self, method, requests, *, idempotent: bool = False,
                      timeout: float | None = None):
        """Call a client-streaming stub method; ``requests`` is a factory of a fresh request
        iterator for each attempt.

        Example:
            >>> client.stubs.client_stream(client.stubs.catalog.LogMetrics,
            ...                            lambda: iter([first, second]))
        """
        return self._transport.client_stream(method, requests, idempotent=idempotent,
                                             timeout=timeout)


class Client(IdentityMethods, CatalogMethods, JobsMethods, DataMethods, MonitoringMethods,
             ExperimentMethods, ModelRunMethods, ModelSessionMethods, PythonModelMethods,
             ReportMethods):
    """A connection to a Driftline server, authenticated with a user's API key.

    Args:
        url: the server's address, e.g. ``"127.0.0.1:50051"`` (``"grpcs://host:port"`` or
            ``"https://host:port"``: TLS, as ``tls=True``).
        api_key: the key from ``driftline-server admin create-user``, ``create_api_key`` or
            ``Client.sign_in``. Without TLS it travels in plaintext: a warning says so when the
            server is not on this machine.
        timeout: deadline in seconds of each call.
        max_attempts: how many times a call that is safe to repeat is tried while the server
            answers UNAVAILABLE or ABORTED.
        initial_backoff: seconds before the first retry (doubled after each, jittered).
        tls: connect over TLS, verifying the server's certificate with the public CAs.
        root_certificates: the CA certificates (PEM bytes, or a file's path) that verify the
            server's certificate, for a private CA; implies TLS.
        certificate_chain, private_key: this client's certificate and key (PEM bytes or
            paths), for a server that requires client certificates (mutual TLS); implies TLS.

    ``client.stubs`` reaches the generated gRPC stubs on the same connection (``Stubs``), for an
    RPC the methods do not cover.

    A client and a server that disagree about TLS raise :class:`driftline.TLSError` on the
    first call, saying what is wrong and how to fix it.

    Example:
        >>> client = driftline.Client("127.0.0.1:50051", api_key="dl_...")
        >>> company_id = client.create_company(name="Acme", address="1 Main St", vat="IT123")

        Over TLS, with a certificate from a public CA, from your own CA, and with mutual TLS:

        >>> client = driftline.Client("driftline.example.com:443", "dl_...", tls=True)
        >>> client = driftline.Client("127.0.0.1:50051", "dl_...",
        ...                           root_certificates="certs/ca.pem")
        >>> client = driftline.Client("127.0.0.1:50051", "dl_...",
        ...                           root_certificates="certs/ca.pem",
        ...                           certificate_chain="certs/client.pem",
        ...                           private_key="certs/client.key")
    """

    def __init__(
        self,
        url: str,
        api_key: str | None,
        timeout: float = 60,
        *,
        max_attempts: int = 4,
        initial_backoff: float = 0.2,
        tls: bool = False,
        root_certificates: PemSource = None,
        certificate_chain: PemSource = None,
        private_key: PemSource = None,
    ):
        self._transport = Transport(
            url, api_key, timeout, max_attempts=max_attempts, initial_backoff=initial_backoff,
            tls=TLSConfig.from_arguments(tls, root_certificates, certificate_chain, private_key),
        )
        self.stubs = Stubs(self._transport)
        self._identity = self.stubs.identity
        self._catalog = self.stubs.catalog
        self._jobs = self.stubs.jobs
        self._data = self.stubs.data
        self._monitoring = self.stubs.monitoring

    def close(self) -> None:
        """Close the connection. The client can also be used as a context manager.

        Example:
            >>> with driftline.Client("127.0.0.1:50051", api_key="dl_...") as client:
            ...     client.get_company().name
        """
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
