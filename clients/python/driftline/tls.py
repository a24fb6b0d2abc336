"""TLS on the client side: the channel's credentials, and what a failed connection means.

``driftline.Client(url, api_key, tls=True)`` verifies the server with the public CAs (gRPC's
default roots); ``root_certificates=`` (PEM bytes or a file path) verifies it with your own CA
and implies TLS; ``certificate_chain=`` and ``private_key=`` add a client certificate for
mutual TLS. A URL that starts with ``https://`` or ``grpcs://`` implies TLS too.

When a connection fails because the two sides disagree about TLS, gRPC says little
("Socket closed", an OpenSSL error name). :func:`diagnose` is the one place that turns what
gRPC reported (and, where that is ambiguous, one probing TLS handshake with the server) into a
reason and a sentence that says what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import socket
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

import grpc

PemSource = bytes | str | os.PathLike | None


@dataclass(frozen=True)
class TLSConfig:
    """How the client speaks TLS: the CAs that verify the server (None: the public CAs), and
    an optional client certificate chain and key (PEM)."""

    root_certificates: bytes | None = None
    certificate_chain: bytes | None = None
    private_key: bytes | None = None

    @classmethod
    def from_arguments(
        cls,
        tls: bool = False,
        root_certificates: PemSource = None,
        certificate_chain: PemSource = None,
        private_key: PemSource = None,
    ) -> "TLSConfig | None":
        """The client's TLS from its constructor's arguments; None for plaintext."""
        if (certificate_chain is None) != (private_key is None):
            raise ValueError(
                "mutual TLS needs both certificate_chain= and private_key= (PEM bytes or paths)"
            )
        if not (tls or root_certificates is not None or certificate_chain is not None):
            return None
        return cls(
            _pem(root_certificates, "root_certificates"),
            _pem(certificate_chain, "certificate_chain"),
            _pem(private_key, "private_key"),
        )

    def credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            self.root_certificates, self.private_key, self.certificate_chain
        )


def _pem(source: PemSource, argument: str) -> bytes | None:
    if source is None or isinstance(source, bytes):
        return source
    path = Path(source)
    try:
        return path.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read {argument} from {path}: {error.strerror or error}") from None


# What gRPC (BoringSSL) reports when a handshake fails -> (reason, what it means). The client's
# messages below and the server's check of its own certificate both read this table.
_HANDSHAKE_FAILURES = (
    ("WRONG_VERSION_NUMBER", "TLS_NOT_OFFERED", "the peer does not speak TLS"),
    ("certificate has expired", "TLS_CERTIFICATE_EXPIRED", "the certificate has expired"),
    ("certificate is not yet valid", "TLS_CERTIFICATE_NOT_YET_VALID",
     "the certificate is not valid yet"),
    ("unable to get local issuer certificate", "TLS_CERTIFICATE_UNTRUSTED",
     "the certificate is not signed by a trusted CA"),
    ("unable to get issuer certificate", "TLS_CERTIFICATE_UNTRUSTED",
     "the certificate is not signed by a trusted CA"),
    ("self signed certificate", "TLS_CERTIFICATE_UNTRUSTED",
     "the certificate is self-signed and not among the trusted CAs"),
    ("self-signed certificate", "TLS_CERTIFICATE_UNTRUSTED",
     "the certificate is self-signed and not among the trusted CAs"),
    ("certificate signature failure", "TLS_CERTIFICATE_UNTRUSTED",
     "the certificate's signature does not verify with the trusted CAs"),
    ("Hostname Verification Check failed", "TLS_NAME_MISMATCH",
     "the certificate does not name the address called"),
    ("unsupported certificate purpose", "TLS_CERTIFICATE_PURPOSE",
     "the certificate does not allow this use (its extended key usage)"),
)

# What gRPC reports when the peer closed the connection without a word: a TLS server that got
# a plaintext request, or a TLS server that refused the client's certificate.
_CLOSED = ("Socket closed", "Connection reset", "Broken pipe", "connection closed", "EOF")


def explain_handshake_failure(details: str) -> str | None:
    """What a gRPC error's details mean when a TLS handshake failed, or None."""
    for text, _reason, meaning in _HANDSHAKE_FAILURES:
        if text in details:
            return f"{meaning} ({text})"
    return None


def diagnose(details: str, target: str, config: TLSConfig | None) -> tuple[str, str] | None:
    """(reason, message) when an UNAVAILABLE call to ``target`` failed because of TLS, else
    None. ``config`` is the client's TLS (None: plaintext)."""
    fix_plain = ("pass tls=True (a certificate from a public CA) or root_certificates= (the CA "
                 "that signed the server's certificate) to driftline.Client")
    if config is None:
        if not any(text in details for text in _CLOSED):
            return None
        answer = _probe(target, None)
        if answer not in ("tls", "closed_after_handshake"):
            return None
        mutual = (" and requires a client certificate: also pass certificate_chain= and "
                  "private_key=" if answer == "closed_after_handshake" else "")
        return ("TLS_REQUIRED",
                f"the server at {target} answered with TLS but this client speaks plaintext: "
                f"{fix_plain}{mutual}")
    trust = ("the CA in root_certificates" if config.root_certificates is not None
             else "the public CAs (no root_certificates= given)")
    for text, reason, _meaning in _HANDSHAKE_FAILURES:
        if text not in details:
            continue
        host = _host_port(target)[0]
        message = {
            "TLS_NOT_OFFERED":
                f"the server at {target} does not speak TLS (it answered in plaintext): "
                "connect without tls=/root_certificates=, or start the server with --tls-cert "
                "and --tls-key",
            "TLS_CERTIFICATE_EXPIRED":
                f"the certificate of the server at {target} has expired: the server needs a "
                "renewed --tls-cert (or this machine's clock is wrong)",
            "TLS_CERTIFICATE_NOT_YET_VALID":
                f"the certificate of the server at {target} is not valid yet: check the clocks "
                "of this machine and of the CA",
            "TLS_CERTIFICATE_UNTRUSTED":
                f"the certificate of the server at {target} is not signed by {trust}: pass "
                "root_certificates= the CA that signed the server's certificate",
            "TLS_NAME_MISMATCH":
                f"the certificate of the server at {target} does not name '{host}': connect to "
                "a name it was issued for, or issue one whose subject alternative names "
                f"include '{host}'",
            "TLS_CERTIFICATE_PURPOSE":
                f"a certificate in the TLS handshake with {target} does not allow its use (its "
                "extended key usage): a server certificate needs serverAuth, a client "
                "certificate clientAuth",
        }[reason]
        return reason, message
    if any(text in details for text in _CLOSED) and _probe(target, config) == "closed_after_handshake":
        if config.certificate_chain is None:
            return ("TLS_CLIENT_CERTIFICATE_REQUIRED",
                    f"the server at {target} requires a client certificate (mutual TLS): pass "
                    "certificate_chain= and private_key= to driftline.Client")
        return ("TLS_CLIENT_CERTIFICATE_REFUSED",
                f"the server at {target} refused this client's certificate: it must be signed "
                "by the CA the server trusts for clients (its --tls-client-ca), be valid now "
                "and allow client authentication (extended key usage clientAuth)")
    return None


def _probe(target: str, config: TLSConfig | None, timeout: float = 3.0) -> str | None:
    """One TLS handshake with the server (not verifying it: only to learn how it answers),
    presenting the client certificate of ``config`` if any. Returns "plaintext" (no TLS),
    "tls" (a TLS server that goes on to speak HTTP/2), "closed_after_handshake" (a TLS server
    that hung up at once: it refused, or wanted, a client certificate) or None (unreachable)."""
    try:
        host, port = _host_port(target)
    except ValueError:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    try:
        if config is not None and config.certificate_chain is not None:
            _load_client_certificate(context, config)
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host) as connection:
                connection.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")  # HTTP/2's preface
                return "tls" if connection.recv(1) else "closed_after_handshake"
    except ssl.SSLError as error:
        if error.reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"):
            return "plaintext"
        return "closed_after_handshake"  # an alert after our certificate was sent
    except (ConnectionResetError, BrokenPipeError):
        return "closed_after_handshake"
    except OSError:
        return None


def _load_client_certificate(context: ssl.SSLContext, config: TLSConfig) -> None:
    """ssl loads a certificate only from files: write them to a private temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        chain, key = Path(folder) / "chain.pem", Path(folder) / "key.pem"
        chain.write_bytes(config.certificate_chain)
        descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(config.private_key)
        context.load_cert_chain(chain, key)


def _host_port(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"not host:port: {target}")
    return host.strip("[]"), int(port)


def is_loopback(target: str) -> bool:
    """Whether ``target`` (host:port) is this machine."""
    try:
        host = _host_port(target)[0]
    except ValueError:
        return target.startswith("unix:")
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
