"""docker-compose.yml, the Envoy gateway and the Dockerfile stay true to the real server."""

from pathlib import Path

import pytest
import yaml

from driftline_server import cli
from driftline_server.platform import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def envoy():
    return yaml.safe_load((ROOT / "deploy" / "envoy.yaml").read_text())


def _server_containers(compose):
    return {
        name: spec for name, spec in compose["services"].items()
        if spec.get("image", "").startswith("driftline-server")
    }


def test_one_container_per_service(compose):
    served = {}
    for name, spec in _server_containers(compose).items():
        args = cli.build_parser().parse_args(spec["command"])  # every flag must be real
        assert args.command == "serve"
        names = config.parse_services(args.services)
        assert len(names) == 1, f"{name} should serve exactly one service, not {names}"
        served[names[0]] = name
    assert sorted(served) == sorted(config.ALL_SERVICES)


def test_containers_know_where_every_other_service_is(compose):
    for name, spec in _server_containers(compose).items():
        env = spec["environment"]
        for service in config.ALL_SERVICES:
            address = env[f"DRIFTLINE_{service.upper()}_ADDRESS"]
            host, port = address.rsplit(":", 1)
            assert host in compose["services"], f"{name}: {address} names no container"
            assert port == "50051"
        assert env["DRIFTLINE_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "postgres" in spec["depends_on"]


def test_gateway_routes_each_service_to_its_container(compose, envoy):
    listener = envoy["static_resources"]["listeners"][0]
    manager = listener["filter_chains"][0]["filters"][0]["typed_config"]
    routes = manager["route_config"]["virtual_hosts"][0]["routes"]
    by_prefix = {route["match"]["prefix"]: route["route"]["cluster"] for route in routes}
    clusters = {c["name"]: c for c in envoy["static_resources"]["clusters"]}
    for service in config.ALL_SERVICES:
        prefix = f"/driftline.{service}.v1.{service.capitalize()}Service/"
        assert by_prefix[prefix] == service
        endpoint = clusters[service]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]
        assert endpoint["endpoint"]["address"]["socket_address"]["address"] in compose["services"]
    assert "gateway" in compose["services"]


def test_dockerfile_installs_the_project():
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install" in text and "./clients/python" in text
    assert 'ENTRYPOINT ["driftline-server"]' in text


# -- TLS ----------------------------------------------------------------------------------------

def _mounted(spec: dict, container_path: str) -> Path:
    """The file of this repository that a container sees at ``container_path``, through one of
    its read-only bind mounts."""
    for volume in spec.get("volumes", []):
        source, target, *mode = volume.split(":")
        if source.startswith("./") and container_path.startswith(target.rstrip("/") + "/"):
            assert mode == ["ro"], f"{volume} should be mounted read-only"
            return ROOT / source / container_path[len(target.rstrip("/")) + 1:]
    raise AssertionError(f"nothing is mounted at {container_path}: {spec.get('volumes')}")


def _tls_files(spec: dict, *variables: str) -> dict[str, Path]:
    env = spec["environment"]
    return {variable: _mounted(spec, env[variable]) for variable in variables}


def test_every_driftline_variable_of_compose_is_a_real_setting(compose):
    variables = {variable for _, variable, _, _ in config.SETTINGS_TABLE}
    variables |= {f"DRIFTLINE_{service.upper()}_ADDRESS" for service in config.ALL_SERVICES}
    for name, spec in compose["services"].items():
        for variable in spec.get("environment", {}):
            if variable.startswith("DRIFTLINE_"):
                assert variable in variables, f"{name}: {variable} is not a Driftline setting"


def test_services_serve_mutual_tls_with_the_mounted_certificates(compose):
    deploy_certs = ROOT / "deploy" / "certs"
    for name, spec in _server_containers(compose).items():
        files = _tls_files(spec, "DRIFTLINE_TLS_CERT", "DRIFTLINE_TLS_KEY", "DRIFTLINE_TLS_CA",
                           "DRIFTLINE_TLS_CLIENT_CA")
        assert files == {
            "DRIFTLINE_TLS_CERT": deploy_certs / "server.pem",
            "DRIFTLINE_TLS_KEY": deploy_certs / "server.key",
            "DRIFTLINE_TLS_CA": deploy_certs / "ca.pem",
            "DRIFTLINE_TLS_CLIENT_CA": deploy_certs / "ca.pem",
        }, name
    # The Dask workers call the services: they trust the CA and present the suite's certificate.
    worker = compose["services"]["dask-worker"]
    assert _tls_files(worker, "DRIFTLINE_TLS_CERT", "DRIFTLINE_TLS_KEY", "DRIFTLINE_TLS_CA") == {
        "DRIFTLINE_TLS_CERT": deploy_certs / "server.pem",
        "DRIFTLINE_TLS_KEY": deploy_certs / "server.key",
        "DRIFTLINE_TLS_CA": deploy_certs / "ca.pem",
    }
    assert "deploy/certs/" in (ROOT / ".gitignore").read_text().splitlines()


def test_gateway_terminates_tls_and_calls_each_service_over_mutual_tls(compose, envoy):
    gateway = compose["services"]["gateway"]
    deploy_certs = ROOT / "deploy" / "certs"
    listener = envoy["static_resources"]["listeners"][0]["filter_chains"][0]["transport_socket"]
    downstream = listener["typed_config"]
    assert downstream["@type"].endswith("tls.v3.DownstreamTlsContext")
    assert downstream["common_tls_context"]["alpn_protocols"] == ["h2"]
    served = downstream["common_tls_context"]["tls_certificates"][0]
    assert _mounted(gateway, served["certificate_chain"]["filename"]) == deploy_certs / "server.pem"
    assert _mounted(gateway, served["private_key"]["filename"]) == deploy_certs / "server.key"
    for cluster in envoy["static_resources"]["clusters"]:
        host = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"][
            "address"]["socket_address"]["address"]
        upstream = cluster["transport_socket"]["typed_config"]
        assert upstream["@type"].endswith("tls.v3.UpstreamTlsContext")
        assert upstream["sni"] == host
        context = upstream["common_tls_context"]
        assert context["alpn_protocols"] == ["h2"]
        validation = context["validation_context"]
        assert _mounted(gateway, validation["trusted_ca"]["filename"]) == deploy_certs / "ca.pem"
        assert validation["match_typed_subject_alt_names"] == [
            {"san_type": "DNS", "matcher": {"exact": host}}]
        client = context["tls_certificates"][0]  # the services require a client certificate
        assert _mounted(gateway, client["certificate_chain"]["filename"]) == deploy_certs / "server.pem"


def test_development_certificates_fit_the_compose_deployment(tmp_path, compose, envoy):
    """tools/dev_certs.py's certificate names every address that a container, the gateway or a
    user on the host uses, and allows serving and client authentication (mutual TLS)."""
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from harness import dev_certs

    paths = dev_certs().write_development_set(tmp_path / "certs")
    certificate = x509.load_pem_x509_certificate(paths["server"].read_bytes())
    names = set(certificate.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))
    wanted = {"localhost", "gateway"}
    for spec in compose["services"].values():
        for variable, value in spec.get("environment", {}).items():
            if variable.endswith("_ADDRESS") and variable.startswith("DRIFTLINE_"):
                wanted.add(value.rsplit(":", 1)[0])
    for cluster in envoy["static_resources"]["clusters"]:
        wanted.add(cluster["transport_socket"]["typed_config"]["sni"])
    assert wanted <= names, wanted - names
    usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH} <= set(usages)
    assert oct(paths["server_key"].stat().st_mode & 0o777) == "0o600"
    assert oct(paths["ca_key"].stat().st_mode & 0o777) == "0o600"
