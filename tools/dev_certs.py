"""Development certificates for Driftline's TLS: a private CA, a server certificate and a client
certificate, made locally with the ``cryptography`` package (nothing is downloaded).

    .venv/bin/python tools/dev_certs.py certs                              # for serve
    .venv/bin/python tools/dev_certs.py deploy/certs --readable-keys       # for docker compose

writes into the folder (created if needed):

    ca.pem                     the CA: give it to clients (root_certificates=) and to the
                               services (DRIFTLINE_TLS_CA, DRIFTLINE_TLS_CLIENT_CA)
    server.pem, server.key     the suite's certificate, for localhost, 127.0.0.1, ::1 and the
                               compose services' names (identity, catalog, data, jobs,
                               monitoring, gateway, dask-worker); valid for serving and, in mutual
                               TLS, as the services' client certificate
    client.pem, client.key     a client certificate for mutual TLS (certificate_chain=,
                               private_key=)

For development only: the CA's key is written beside it (ca.key) and the keys are not
encrypted; they are readable by their owner only, unless ``--readable-keys`` (docker compose
mounts the folder as it is, and the containers' users are not its owner). Production
certificates come from your own CA or your platform's issuer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SUITE_NAMES = ("localhost", "127.0.0.1", "::1", "identity", "catalog", "data", "jobs",
               "monitoring", "gateway", "dask-worker")


@dataclass
class Issued:
    """A certificate and its private key, PEM-encoded."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def write(self, folder: Path, stem: str, key_mode: int = 0o600) -> tuple[Path, Path]:
        """``<stem>.pem`` and ``<stem>.key`` (readable by the owner only by default)."""
        cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key"
        cert_path.write_bytes(self.cert_pem)
        key_path.unlink(missing_ok=True)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, key_mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self.key_pem)
        os.chmod(key_path, key_mode)  # whatever the umask
        return cert_path, key_path


def _validity(not_before: dt.datetime | None, not_after: dt.datetime | None, days: int):
    now = dt.datetime.now(dt.timezone.utc)
    start = not_before or now - dt.timedelta(minutes=5)
    return start, not_after or start + dt.timedelta(days=days)


def make_ca(name: str = "Driftline development CA", *, days: int = 3650) -> Issued:
    """A self-signed certificate authority."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start, end = _validity(None, None, days)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate, key)


def make_certificate(
    ca: Issued,
    common_name: str,
    names: tuple[str, ...] = (),
    *,
    server: bool = True,
    client: bool = True,
    days: int = 825,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Issued:
    """A leaf certificate signed by ``ca`` for DNS names and IP addresses ``names``, usable
    for serving (``server``) and as a client certificate (``client``)."""
    key = ec.generate_private_key(ec.SECP256R1())
    alternative_names: list[x509.GeneralName] = []
    for name in names:
        try:
            alternative_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative_names.append(x509.DNSName(name))
    usages = ([ExtendedKeyUsageOID.SERVER_AUTH] if server else []) + (
        [ExtendedKeyUsageOID.CLIENT_AUTH] if client else [])
    start, end = _validity(not_before, not_after, days)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=False, crl_sign=False, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca.certificate.public_key()), critical=False)
    )
    if alternative_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alternative_names),
                                        critical=False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def write_development_set(
    folder: Path, names: tuple[str, ...] = SUITE_NAMES, key_mode: int = 0o600
) -> dict[str, Path]:
    """The CA, the suite's certificate and a client certificate, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = make_ca()
    paths = {}
    paths["ca"], paths["ca_key"] = ca.write(folder, "ca")  # the CA's key stays private
    paths["server"], paths["server_key"] = make_certificate(
        ca, "driftline", names).write(folder, "server", key_mode)
    paths["client"], paths["client_key"] = make_certificate(
        ca, "driftline-client", (), server=False).write(folder, "client", key_mode)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the files, e.g. deploy/certs")
    parser.add_argument("--name", action="append", default=[],
                        help="another DNS name or IP address for the server certificate "
                             "(repeatable)")
    parser.add_argument("--readable-keys", action="store_true",
                        help="let any user read server.key and client.key (for containers)")
    args = parser.parse_args(argv)
    paths = write_development_set(args.folder, SUITE_NAMES + tuple(args.name),
                                  0o644 if args.readable_keys else 0o600)
    for path in paths.values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
