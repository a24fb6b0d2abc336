"""Configuration: flags over DRIFTLINE_* variables over defaults, with clear errors."""

import os
import stat

import pytest

from driftline_server.platform import config


def test_defaults_serve_everything_from_the_data_folder(tmp_path):
    settings = config.from_environment({"data_dir": tmp_path}, environ={})
    assert settings.services == config.ALL_SERVICES
    assert (settings.host, settings.port) == ("127.0.0.1", 50051)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'driftline.db'}"
    # Generated secrets are kept, private, and the same on the next start.
    token = tmp_path / "internal.token"
    assert stat.S_IMODE(os.stat(token).st_mode) == 0o600
    again = config.from_environment({"data_dir": tmp_path}, environ={})
    assert (again.internal_token, again.secret_key) == (settings.internal_token, settings.secret_key)
    assert len(settings.internal_token) >= 32


def test_flags_override_environment(tmp_path):
    environ = {"DRIFTLINE_PORT": "6000", "DRIFTLINE_SERVICES": "catalog",
               "DRIFTLINE_IDENTITY_ADDRESS": "identity:50051",
               "DRIFTLINE_DATA_DIR": str(tmp_path), "DRIFTLINE_INTERNAL_TOKEN": "t" * 40}
    settings = config.from_environment({"port": 7000, "host": None}, environ=environ)
    assert settings.port == 7000 and settings.services == ("catalog",)
    assert settings.internal_token == "t" * 40
    assert settings.address_of("identity", "127.0.0.1:7000") == "identity:50051"
    assert settings.address_of("catalog", "127.0.0.1:7000") == "127.0.0.1:7000"


def test_unknown_service_is_named():
    with pytest.raises(ValueError, match="unknown service.*billing.*choose from"):
        config.parse_services("identity,billing")


def test_the_replaced_monitoring_setting_is_refused_naming_its_successor(tmp_path):
    with pytest.raises(ValueError, match="DRIFTLINE_MONITORING_BATCHES_BETWEEN_FALSE_ALARMS"):
        config.from_environment({"data_dir": tmp_path},
                                environ={"DRIFTLINE_MONITORING_MEAN_RUN_LENGTH": "10000"})
    with pytest.raises(ValueError, match="at least 10"):
        config.from_environment(
            {"data_dir": tmp_path},
            environ={"DRIFTLINE_MONITORING_BATCHES_BETWEEN_FALSE_ALARMS": "5"})


def test_missing_address_of_a_remote_service_says_what_to_set(tmp_path):
    settings = config.from_environment({"data_dir": tmp_path, "services": "catalog"}, environ={})
    with pytest.raises(ValueError, match="DRIFTLINE_IDENTITY_ADDRESS"):
        settings.address_of("identity", "127.0.0.1:1")


def test_readme_documents_every_setting():
    """README's configuration table says what SETTINGS_TABLE says (code marks aside), row by
    row, and its flags are serve's."""
    from pathlib import Path

    from driftline_server import cli

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = {}
    for line in readme.split("### Configuration", 1)[1].split("\n### ", 1)[0].splitlines():
        cells = [cell.strip().replace("`", "") for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[1].startswith("DRIFTLINE_"):
            rows[cells[1]] = cells
    parser = cli.build_parser()
    for _name, variable, default, meaning in config.SETTINGS_TABLE:
        assert variable in rows, f"README.md does not document {variable}"
        flag, _, readme_default, readme_meaning = rows.pop(variable)
        assert (readme_default, readme_meaning) == (default, meaning), variable
        if flag:
            parser.parse_args(["serve", flag, "1"])  # exits (fails the test) on an unknown flag
    assert not rows, f"README.md documents settings that SETTINGS_TABLE lacks: {sorted(rows)}"


def test_every_local_path_is_absolute_whatever_gave_it(tmp_path, monkeypatch):
    """make run's relative default, a relative flag or variable: each is made absolute once,
    at start, so a process that runs elsewhere (a sandbox, a worker) finds the same files."""
    monkeypatch.chdir(tmp_path)
    default = config.from_environment(environ={})
    assert default.data_dir == tmp_path / ".driftline"
    assert default.database_url == f"sqlite+aiosqlite:///{tmp_path / '.driftline' / 'driftline.db'}"
    assert default.data_storage == str(tmp_path / ".driftline" / "data")

    flagged = config.from_environment(
        {"data_dir": "state", "database_url": "sqlite+aiosqlite:///db/suite.db"},
        environ={"DRIFTLINE_DATA_STORAGE": "batches"})
    assert flagged.data_dir == tmp_path / "state"
    assert flagged.database_url == f"sqlite+aiosqlite:///{tmp_path / 'db' / 'suite.db'}"
    assert flagged.data_storage == str(tmp_path / "batches")
    tls = config.from_environment({"data_dir": "state", "tls_cert": "certs/server.pem"},
                                  environ={"DRIFTLINE_TLS_CA": "certs/ca.pem"})
    assert (tls.tls_cert, tls.tls_ca, tls.tls_key) == (
        str(tmp_path / "certs" / "server.pem"), str(tmp_path / "certs" / "ca.pem"), "")
    # What is not a local path stays as given.
    remote = config.from_environment(
        {"data_dir": "state",
         "database_url": "postgresql+psycopg://postgres:secret@db:5432/driftline"},
        environ={"DRIFTLINE_DATA_STORAGE": "s3://bucket/prefix"})
    assert remote.database_url == "postgresql+psycopg://postgres:secret@db:5432/driftline"
    assert remote.data_storage == "s3://bucket/prefix"


def test_a_jobs_settings_are_its_servers_without_the_secrets(tmp_path):
    import json

    settings = config.from_environment(
        {"data_dir": tmp_path, "services": "jobs,data"},
        environ={"DRIFTLINE_SMTP_PASSWORD": "hunter2", "DRIFTLINE_ACTIONS_ALLOW_HTTP": "true",
                 "DRIFTLINE_MAX_MESSAGE_MIB": "128",
                 "DRIFTLINE_IDENTITY_ADDRESS": "identity:50051"})
    spec = json.loads(json.dumps(config.job_settings(settings)))  # as it travels to a worker
    text = json.dumps(spec)
    for secret in (settings.internal_token, settings.secret_key, "hunter2",
                   settings.database_url):
        assert secret not in text
    worker = {"DRIFTLINE_INTERNAL_TOKEN": "t" * 40, "DRIFTLINE_SMTP_PASSWORD": "hunter2"}
    again = config.settings_of_job(spec, environ=worker)
    assert (again.data_dir, again.data_storage) == (settings.data_dir, settings.data_storage)
    assert again.services == ("jobs", "data") and again.max_message_bytes == 128 * 1024 * 1024
    assert again.actions_allow_http and again.service_addresses == {"identity": "identity:50051"}
    assert (again.internal_token, again.smtp_password) == ("t" * 40, "hunter2")
    # A worker's own TLS files, where it names them, over the paths of the server's machine.
    served = config.from_environment({"data_dir": tmp_path},
                                     environ={"DRIFTLINE_TLS_CA": "/srv/ca.pem"})
    spec = config.job_settings(served)
    assert config.settings_of_job(spec, environ={}).tls_ca == "/srv/ca.pem"
    assert config.settings_of_job(
        spec, environ={"DRIFTLINE_TLS_CA": "/worker/ca.pem"}).tls_ca == "/worker/ca.pem"
