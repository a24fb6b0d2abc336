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
