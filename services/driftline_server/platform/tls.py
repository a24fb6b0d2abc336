"""TLS for the suite, in one place: what a process serves with, and how it calls its peers.

A process **serves TLS** when it has a certificate and key (``--tls-cert``/``--tls-key``,
DRIFTLINE_TLS_CERT/DRIFTLINE_TLS_KEY); with a client CA (``--tls-client-ca``,
DRIFTLINE_TLS_CLIENT_CA) it also requires every caller to present a certificate signed by that
CA (mutual TLS).

A process **calls the suite over TLS** when it serves TLS, or when it is only given a CA
(``--tls-ca``/DRIFTLINE_TLS_CA, e.g. an external Dask worker). Peers' certificates are verified
with that CA, or with gRPC's default roots (the public CAs) when none is given: nothing is ever
trusted implicitly, not even the process's own certificate. The process presents its own
certificate and key as its client certificate, so for mutual TLS the certificate must allow
client authentication as well as serving (extended key usage ``clientAuth`` and
``serverAuth``, as ``tools/dev_certs.py`` makes them).

A call from a process to its own address (in the embedded mode every call between services is
one) verifies the certificate against the name the certificate carries, not the loopback
address, so a certificate for ``driftline.example.com`` works on ``127.0.0.1`` too; its chain
is still verified with the CA above.

Everything here returns None, or opens a plaintext channel, when TLS is not configured.
Files are checked at start: a missing or unreadable file, one that holds no PEM certificate, a
key that is not a PEM key or does not belong to the certificate, a certificate that has expired
or is not valid yet, all raise TLSConfigurationError with one line that names the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import grpc

from driftline_server.platform.config import Settings

_SETTING_NAMES = {
    "tls_cert": "--tls-cert/DRIFTLINE_TLS_CERT",
    "tls_key": "--tls-key/DRIFTLINE_TLS_KEY",
    "tls_ca": "--tls-ca/DRIFTLINE_TLS_CA",
    "tls_client_ca": "--tls-client-ca/DRIFTLINE_TLS_CLIENT_CA",
}


class TLSConfigurationError(ValueError):
    """TLS settings that cannot work; the message names the setting, the file and the fix."""


@dataclass(frozen=True)
class Identity:
    """This process's certificate chain and key (PEM), and the name its certificate carries."""

    certificate_chain: bytes
    private_key: bytes
    name: str


def serves_tls(settings: Settings) -> bool:
    return bool(settings.tls_cert or settings.tls_key)


def calls_over_tls(settings: Settings) -> bool:
    return serves_tls(settings) or bool(settings.tls_ca)


def check(settings: Settings) -> None:
    """Read and check every TLS file now; raises TLSConfigurationError."""
    identity(settings)
    _certificates(settings, "tls_ca")
    _certificates(settings, "tls_client_ca")


def identity(settings: Settings) -> Identity | None:
    """The certificate chain and key this process serves with (and presents to its peers)."""
    if not serves_tls(settings):
        if settings.tls_client_ca:
            raise TLSConfigurationError(
                f"{_SETTING_NAMES['tls_client_ca']} requires clients to present certificates, "
                "which needs TLS: also set --tls-cert and --tls-key"
            )
        return None
    if not (settings.tls_cert and settings.tls_key):
        missing = "tls_key" if settings.tls_cert else "tls_cert"
        raise TLSConfigurationError(
            f"TLS needs a certificate and its key: {_SETTING_NAMES[missing]} is not set"
        )
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    chain_pem, chain = _certificates(settings, "tls_cert")
    leaf = chain[0]
    key_pem = _read(settings, "tls_key")
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except TypeError:
        raise TLSConfigurationError(
            f"{_described(settings, 'tls_key')} is encrypted: give an unencrypted PEM key "
            "(protect it with the file's permissions)"
        ) from None
    except (ValueError, UnsupportedAlgorithm) as error:
        raise TLSConfigurationError(
            f"{_described(settings, 'tls_key')} is not a PEM private key ({_first_line(error)})"
        ) from None
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != leaf.public_key().public_bytes(*public):
        raise TLSConfigurationError(
            f"{_described(settings, 'tls_key')} does not belong to the certificate in "
            f"{_described(settings, 'tls_cert')}: give the key the certificate was issued for"
        )
    now = dt.datetime.now(dt.timezone.utc)
    if leaf.not_valid_after_utc < now:
        raise TLSConfigurationError(
            f"the certificate in {_described(settings, 'tls_cert')} expired on "
            f"{leaf.not_valid_after_utc:%Y-%m-%d %H:%M:%S} UTC: renew it"
        )
    if leaf.not_valid_before_utc > now:
        raise TLSConfigurationError(
            f"the certificate in {_described(settings, 'tls_cert')} is not valid before "
            f"{leaf.not_valid_before_utc:%Y-%m-%d %H:%M:%S} UTC: check this machine's clock"
        )
    return Identity(chain_pem, key_pem, _name_of(leaf))


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """What every listening port of this process is added with (``add_secure_port``), or None
    for plaintext. With a client CA, callers must present a certificate it signed."""
    own = identity(settings)
    if own is None:
        return None
    client_ca = _certificates(settings, "tls_client_ca")[0]
    return grpc.ssl_server_credentials(
        [(own.private_key, own.certificate_chain)],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def channel_credentials(settings: Settings) -> grpc.ChannelCredentials | None:
    """What this process calls the suite with, or None for plaintext: peers verified with the
    CA of ``tls_ca`` (gRPC's default roots without one), this process's certificate presented
    as its client certificate when it has one."""
    if not calls_over_tls(settings):
        return None
    own = identity(settings)
    return grpc.ssl_channel_credentials(
        root_certificates=_certificates(settings, "tls_ca")[0],
        private_key=own.private_key if own else None,
        certificate_chain=own.certificate_chain if own else None,
    )


def open_channel(
    address: str,
    settings: Settings,
    options: list[tuple[str, object]],
    *,
    own: bool = False,
    aio: bool = False,
):
    """A channel to one of the suite's services at ``address``: over TLS when configured,
    plaintext otherwise. ``own``: the address is this process's own server, whose certificate
    is checked against the name it carries rather than the (loopback) address. ``aio``: a
    grpc.aio channel instead of a blocking one."""
    module = grpc.aio if aio else grpc
    # A process that serves plaintext is called in plaintext, even when it calls its peers over
    # TLS (``tls_ca`` alone).
    credentials = None if own and not serves_tls(settings) else channel_credentials(settings)
    if credentials is None:
        return module.insecure_channel(address, options=options)
    own_identity = identity(settings) if own else None
    if own_identity is not None:
        options = [*options, ("grpc.ssl_target_name_override", own_identity.name)]
    return module.secure_channel(address, credentials, options=options)


async def check_own_certificate(channel: grpc.aio.Channel, address: str) -> None:
    """Call this process's own health service over its TLS channel: the handshake a peer or a
    job worker makes. Raises TLSConfigurationError when it fails (a CA that does not verify the
    certificate, a certificate that does not allow client authentication under mutual TLS)."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    try:
        await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=""), timeout=15
        )
    except grpc.aio.AioRpcError as error:
        from driftline.tls import explain_handshake_failure

        reason = explain_handshake_failure(error.details() or "")
        if reason is None and error.code() is not grpc.StatusCode.UNAVAILABLE:
            return  # the handshake passed; whatever else failed is not TLS's
        raise TLSConfigurationError(
            f"this process cannot call itself over TLS at {address}: "
            f"{reason or error.details()}. Peers are verified with {_SETTING_NAMES['tls_ca']} "
            "(unset: the public CAs), so it must hold the CA that signed --tls-cert; under "
            "mutual TLS the certificate is also this process's client certificate, signed by "
            "the CA of --tls-client-ca and allowing client authentication"
        ) from None


def _read(settings: Settings, setting: str) -> bytes:
    path = Path(getattr(settings, setting))
    try:
        return path.read_bytes()
    except OSError as error:
        raise TLSConfigurationError(
            f"cannot read {_SETTING_NAMES[setting]} {path}: {error.strerror or error}"
        ) from None


def _certificates(settings: Settings, setting: str) -> tuple[bytes | None, list]:
    """A setting's file and the PEM certificates in it (None and none when it is not set)."""
    if not getattr(settings, setting):
        return None, []
    from cryptography import x509

    data = _read(settings, setting)
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        certificates = []
    if not certificates:
        raise TLSConfigurationError(
            f"{_described(settings, setting)} holds no PEM certificate "
            "(-----BEGIN CERTIFICATE-----)"
        )
    return data, certificates


def _name_of(certificate) -> str:
    """The first DNS name (else IP address, else common name) the certificate is issued for."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        names = None
    if names is not None:
        for kind in (x509.DNSName, x509.IPAddress):
            values = names.get_values_for_type(kind)
            if values:
                return str(values[0])
    common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(common[0].value) if common else "localhost"


def _described(settings: Settings, setting: str) -> str:
    return f"{_SETTING_NAMES[setting]} {getattr(settings, setting)}"


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
