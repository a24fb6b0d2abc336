"""TLS end to end, with certificates made here (tools/dev_certs.py, the ``cryptography``
package): a client over TLS, mutual TLS between the services of a split deployment, the clear
errors when the two sides disagree about TLS, an expired certificate, a wrong CA, and bad
certificate files refused at start. Every server is a real ``driftline-server serve``."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest

import driftline
import harness
from harness import SERVER_COMMAND, ServerProcess, fresh_database


dev_certs = harness.dev_certs()
LOOPBACK = ("localhost", "127.0.0.1")


class Certificates:
    """A CA, the suite's certificate (serving and client use), a user's client certificate,
    and a second CA with a server and a client certificate of its own: files in ``folder``."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.ca_authority = dev_certs.make_ca("Test CA")
        self.ca = self._write(self.ca_authority, "ca")[0]
        self.server, self.server_key = self._write(
            dev_certs.make_certificate(self.ca_authority, "driftline", LOOPBACK), "server")
        self.client, self.client_key = self._write(
            dev_certs.make_certificate(self.ca_authority, "ada", (), server=False), "client")
        other = dev_certs.make_ca("Another CA")
        self.other_ca = self._write(other, "other-ca")[0]
        self.other_server, self.other_server_key = self._write(
            dev_certs.make_certificate(other, "impostor", LOOPBACK), "other-server")
        self.other_client, self.other_client_key = self._write(
            dev_certs.make_certificate(other, "mallory", (), server=False), "other-client")

    def _write(self, issued, stem: str) -> tuple[Path, Path]:
        return issued.write(self.folder, stem)

    def issue(self, stem: str, **validity) -> tuple[Path, Path]:
        """A certificate of the CA for the loopback names, with the validity given."""
        return self._write(
            dev_certs.make_certificate(self.ca_authority, stem, LOOPBACK, **validity), stem)

    def serve_args(self, *, mutual: bool = False) -> list[str]:
        args = ["--tls-cert", str(self.server), "--tls-key", str(self.server_key),
                "--tls-ca", str(self.ca)]
        return args + (["--tls-client-ca", str(self.ca)] if mutual else [])


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certs"))


class Servers:
    """Servers started by a module's fixtures, stopped (and their databases dropped) at its end."""

    def __init__(self, tmp_path_factory):
        self._factory = tmp_path_factory
        self._started: list[tuple[ServerProcess, object]] = []

    def start(self, *args: str, env: dict[str, str] | None = None, port: int = 0) -> ServerProcess:
        data_dir = self._factory.mktemp("driftline")
        database = fresh_database(data_dir)
        process = ServerProcess(data_dir, database.url, env)
        self._started.append((process, database))
        return process.start(*args, port=port)

    def stop_all(self) -> None:
        for process, database in reversed(self._started):
            process.stop()
            database.drop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    started = Servers(tmp_path_factory)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="module")
def tls_server(servers, certs) -> ServerProcess:
    """The whole suite in one process (the embedded mode), serving TLS only."""
    return servers.start(*certs.serve_args())


@pytest.fixture(scope="module")
def tls_owner(tls_server, certs) -> driftline.Client:
    _, api_key = tls_server.create_user("tls-owner@example.com")
    client = driftline.Client(tls_server.address, api_key, root_certificates=certs.ca)
    client.create_company(name="Secure", address="1 Cipher Road", vat="IT12121212121")
    return client


def _tls_error(call) -> driftline.TLSError:
    with pytest.raises(driftline.TLSError) as raised:
        call()
    return raised.value


# -- one process, TLS ---------------------------------------------------------------------------

def test_a_client_over_tls_creates_a_company_and_a_project(tls_server, tls_owner, certs):
    # CreateProject crosses services: Catalog asks Identity (over the process's own TLS channel)
    # who the caller is and whether they may create projects.
    project_id = tls_owner.create_project(name="encrypted", description="over TLS")
    assert tls_owner.get_project(project_id).name == "encrypted"
    assert tls_owner.get_company().name == "Secure"
    # The CA may be given as PEM bytes as well as a path.
    again = driftline.Client(tls_server.address, None, root_certificates=certs.ca.read_bytes())
    with pytest.raises(driftline.UnauthenticatedError):
        again.get_current_user()
    again.close()
    assert '"tls": true' in tls_server.log()


def test_a_job_runs_when_the_suite_serves_tls(tls_owner):
    """Jobs run on the embedded Dask cluster, whose workers call the Jobs service back over
    the process's own address: with TLS on, over TLS. (Needs jobs/worker.py to open its
    channels with platform.tls.open_channel: see the TLS notes in the report.)"""
    project_id = tls_owner.create_project(name="jobs-over-tls", description="")
    job_id = tls_owner.submit_diagnostics_job(project_id, steps=2, step_seconds=0.05)
    job = tls_owner.wait_job_completion(job_id, max_wait_timeout=60)
    assert job.job_id == job_id



def test_a_plaintext_client_to_a_tls_server_is_told_to_use_tls(tls_server):
    _, api_key = tls_server.create_user("plaintext-caller@example.com")
    client = driftline.Client(tls_server.address, api_key)
    started = time.monotonic()
    error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_REQUIRED"
    assert f"the server at {tls_server.address} answered with TLS" in error.error_message
    assert "tls=True" in error.error_message and "root_certificates=" in error.error_message
    assert time.monotonic() - started < 5  # not retried as if the server were away
    client.close()


def test_a_server_certificate_from_another_ca_is_refused_clearly(tls_server, certs):
    with driftline.Client(tls_server.address, None, root_certificates=certs.other_ca) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_CERTIFICATE_UNTRUSTED"
    assert "not signed by the CA in root_certificates" in error.error_message
    # tls=True trusts only the public CAs, which did not sign a private CA's certificate.
    with driftline.Client(tls_server.address, None, tls=True) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_CERTIFICATE_UNTRUSTED"
    assert "the public CAs" in error.error_message and "root_certificates=" in error.error_message


def test_sign_in_over_tls(tls_server, tls_owner, certs):
    username = "tls-signer"
    tls_owner.create_company_user(name="Sig", surname="Ner", username=username,
                                  password="Temporary-password-1",
                                  email="tls-signer@example.com", company_role="COMPANY_USER")
    api_key = driftline.Client.sign_in(
        tls_server.address, username, "Temporary-password-1",
        new_password="a much better one", root_certificates=certs.ca)
    with driftline.Client(tls_server.address, api_key, root_certificates=certs.ca) as client:
        assert client.get_current_user().username == username


# -- a plaintext server -------------------------------------------------------------------------

def test_a_tls_client_to_a_plaintext_server_is_told_the_server_has_no_tls(servers, certs):
    plain = servers.start("--services", "identity")
    with driftline.Client(plain.address, None, root_certificates=certs.ca) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_NOT_OFFERED"
    assert f"the server at {plain.address} does not speak TLS" in error.error_message
    assert "--tls-cert" in error.error_message


def test_a_plaintext_server_given_only_a_ca_calls_itself_in_plaintext(servers, certs):
    # --tls-ca alone makes a process call its peers over TLS (a Dask worker, a process behind a
    # TLS-terminating proxy); its calls to itself stay plaintext, as it serves.
    plain = servers.start("--services", "identity,catalog", "--tls-ca", str(certs.ca))
    _, api_key = plain.create_user("plain-with-ca@example.com")
    with driftline.Client(plain.address, api_key) as client:
        client.create_company(name="Plain", address="3 Clear Road", vat="IT56565656565")
        assert client.get_project(client.create_project(name="plain", description="")).name


# -- an expired certificate ---------------------------------------------------------------------

def test_a_certificate_that_expires_while_serving_is_refused_clearly(servers, certs):
    """A server refuses to start with an expired certificate (see the start-up tests), so the
    certificate here expires while it serves, as certificates do."""
    expires = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(seconds=15)
    cert, key = certs.issue("short-lived", not_after=expires)
    server = servers.start("--services", "identity", "--tls-cert", str(cert),
                           "--tls-key", str(key), "--tls-ca", str(certs.ca))
    with driftline.Client(server.address, None, root_certificates=certs.ca) as client:
        with pytest.raises(driftline.UnauthenticatedError):  # TLS is fine until it expires
            client.get_current_user()
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 1.5)
    with driftline.Client(server.address, None, root_certificates=certs.ca) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_CERTIFICATE_EXPIRED"
    assert "has expired" in error.error_message and "--tls-cert" in error.error_message


# -- mutual TLS in a split deployment -----------------------------------------------------------

@pytest.fixture(scope="module")
def split(servers, certs):
    """Identity in a process of its own, the other services in another; every connection is
    mutual TLS, so the services present their certificate to each other."""
    shared = {"DRIFTLINE_INTERNAL_TOKEN": "internal-" + "t" * 40}
    identity = servers.start("--services", "identity", *certs.serve_args(mutual=True),
                             env=shared)
    rest = servers.start("--services", "catalog,data,jobs,monitoring",
                         *certs.serve_args(mutual=True),
                         env=shared | {"DRIFTLINE_IDENTITY_ADDRESS": identity.address})
    return identity, rest


def _mutual_client(address: str, certs: Certificates, api_key: str | None) -> driftline.Client:
    return driftline.Client(address, api_key, root_certificates=certs.ca,
                            certificate_chain=certs.client, private_key=certs.client_key)


def test_mutual_tls_between_the_services_of_a_split_deployment(split, certs):
    identity, rest = split
    _, api_key = identity.create_user("mtls-owner@example.com")
    with _mutual_client(identity.address, certs, api_key) as to_identity, \
            _mutual_client(rest.address, certs, api_key) as to_rest:
        to_identity.create_company(name="Mutual", address="2 Cipher Road", vat="IT34343434343")
        # Catalog (in the second process) asks Identity (in the first) over mutual TLS.
        project_id = to_rest.create_project(name="mutual", description="")
        assert to_rest.get_project(project_id).name == "mutual"
    assert '"mutual_tls": true' in rest.log()


def test_mutual_tls_refuses_a_client_without_a_certificate_clearly(split, certs):
    _identity, rest = split
    with driftline.Client(rest.address, None, root_certificates=certs.ca) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_CLIENT_CERTIFICATE_REQUIRED"
    assert "requires a client certificate" in error.error_message
    assert "certificate_chain=" in error.error_message
    # A plaintext client learns both that TLS is needed and that it needs a certificate.
    with driftline.Client(rest.address, None) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_REQUIRED" and "client certificate" in error.error_message


def test_mutual_tls_refuses_a_client_certificate_from_another_ca_clearly(split, certs):
    _identity, rest = split
    with driftline.Client(rest.address, None, root_certificates=certs.ca,
                          certificate_chain=certs.other_client,
                          private_key=certs.other_client_key) as client:
        error = _tls_error(client.get_current_user)
    assert error.error_code == "TLS_CLIENT_CERTIFICATE_REFUSED"
    assert "--tls-client-ca" in error.error_message


# -- refused at start ---------------------------------------------------------------------------

def _serve(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``driftline-server serve`` expected to exit by itself."""
    env = ServerProcess(tmp_path, fresh_database(tmp_path).url).env
    return subprocess.run([*SERVER_COMMAND, "serve", "--port", "0", *args], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=timeout)


def _expect_refusal(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit code 2 and one line that says why, last on stderr (after the JSON log lines, if
    the server got as far as logging), never a traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    said = [line for line in lines if line.startswith("driftline-server: ")]
    assert said == lines[-1:], result.stderr
    for fragment in fragments:
        assert fragment in said[0], said[0]


def test_bad_certificate_files_are_refused_at_start(tmp_path, certs):
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello\n")
    expired, expired_key = certs.issue(
        "expired", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
        not_after=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
    server, key = str(certs.server), str(certs.server_key)
    cases = [
        (["--tls-cert", server, "--tls-key", str(certs.other_server_key)],
         ["--tls-key/DRIFTLINE_TLS_KEY", "does not belong to the certificate"]),
        (["--tls-cert", server, "--tls-key", str(tmp_path / "missing.key")],
         ["cannot read --tls-key/DRIFTLINE_TLS_KEY", "missing.key", "No such file"]),
        (["--tls-cert", server, "--tls-key", str(not_pem)],
         ["--tls-key/DRIFTLINE_TLS_KEY", "is not a PEM private key"]),
        (["--tls-cert", str(not_pem), "--tls-key", key],
         ["--tls-cert/DRIFTLINE_TLS_CERT", "holds no PEM certificate"]),
        (["--tls-cert", server], ["--tls-key/DRIFTLINE_TLS_KEY is not set"]),
        (["--tls-client-ca", str(certs.ca)], ["also set --tls-cert and --tls-key"]),
        (["--tls-cert", server, "--tls-key", key, "--tls-ca", str(not_pem)],
         ["--tls-ca/DRIFTLINE_TLS_CA", "holds no PEM certificate"]),
        (["--tls-cert", str(expired), "--tls-key", str(expired_key)],
         ["expired on 2021-01-01", "renew it"]),
    ]
    for index, (args, fragments) in enumerate(cases):
        folder = tmp_path / f"case-{index}"
        folder.mkdir()
        _expect_refusal(_serve(folder, "--services", "identity", *args), *fragments)


def test_settings_from_the_environment_are_checked_the_same_way(tmp_path, certs):
    env = ServerProcess(tmp_path, fresh_database(tmp_path).url,
                        {"DRIFTLINE_TLS_CERT": str(certs.server),
                         "DRIFTLINE_TLS_KEY": str(certs.other_server_key)}).env
    result = subprocess.run([*SERVER_COMMAND, "serve", "--port", "0", "--services", "identity"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    _expect_refusal(result, "does not belong to the certificate")


def test_a_process_that_cannot_verify_its_own_certificate_does_not_start(tmp_path, certs):
    # No --tls-ca: peers (the process itself included) are verified with the public CAs, which
    # did not sign the test CA's certificate. Served, every call between services would fail.
    result = _serve(tmp_path, "--services", "identity", "--tls-cert", str(certs.server),
                    "--tls-key", str(certs.server_key))
    _expect_refusal(result, "cannot call itself over TLS", "not signed by a trusted CA",
                    "--tls-ca/DRIFTLINE_TLS_CA")


# -- the client's arguments ---------------------------------------------------------------------

def test_the_clients_tls_arguments(certs, tmp_path):
    from driftline.tls import TLSConfig

    assert TLSConfig.from_arguments() is None  # plaintext
    assert TLSConfig.from_arguments(tls=True) == TLSConfig()  # the public CAs
    from_path = TLSConfig.from_arguments(root_certificates=certs.ca)
    assert from_path.root_certificates == certs.ca.read_bytes()
    assert TLSConfig.from_arguments(root_certificates=str(certs.ca)) == from_path
    mutual = TLSConfig.from_arguments(certificate_chain=certs.client, private_key=certs.client_key)
    assert mutual.certificate_chain == certs.client.read_bytes() and mutual.root_certificates is None
    with pytest.raises(ValueError, match="needs both certificate_chain= and private_key="):
        TLSConfig.from_arguments(root_certificates=certs.ca, certificate_chain=certs.client)
    with pytest.raises(ValueError, match="cannot read root_certificates from .*absent.pem"):
        TLSConfig.from_arguments(root_certificates=tmp_path / "absent.pem")


def test_an_api_key_sent_in_plaintext_to_another_machine_warns(certs):
    with pytest.warns(UserWarning, match="API key is sent to 192.0.2.1:50051 without TLS"):
        driftline.Client("192.0.2.1:50051", "dl_x").close()  # no connection is made yet
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        driftline.Client("127.0.0.1:50051", "dl_x").close()  # this machine
        driftline.Client("localhost:50051", "dl_x").close()
        driftline.Client("192.0.2.1:50051", "dl_x", root_certificates=certs.ca).close()
        driftline.Client("grpcs://192.0.2.1:50051", "dl_x").close()


def test_a_grpcs_url_means_tls(tls_server):
    # TLS with the public CAs, which did not sign the test CA's certificate.
    with driftline.Client(f"grpcs://{tls_server.address}", None) as client:
        assert _tls_error(client.get_current_user).error_code == "TLS_CERTIFICATE_UNTRUSTED"


def test_under_mutual_tls_a_certificate_that_cannot_be_a_client_certificate_does_not_start(
        tmp_path, certs):
    # The process presents its own certificate when it calls the suite (itself included):
    # one issued for serving only is refused by its own server.
    serving_only = dev_certs.make_certificate(certs.ca_authority, "serving-only", LOOPBACK,
                                              client=False)
    cert, key = serving_only.write(tmp_path, "serving-only")
    result = _serve(tmp_path, "--services", "identity", "--tls-cert", str(cert),
                    "--tls-key", str(key), "--tls-ca", str(certs.ca),
                    "--tls-client-ca", str(certs.ca))
    _expect_refusal(result, "cannot call itself over TLS", "allowing client authentication")
