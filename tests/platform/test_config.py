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


def test_missing_address_of_a_remote_service_says_what_to_set(tmp_path):
    settings = config.from_environment({"data_dir": tmp_path, "services": "catalog"}, environ={})
    with pytest.raises(ValueError, match="DRIFTLINE_IDENTITY_ADDRESS"):
        settings.address_of("identity", "127.0.0.1:1")


def test_readme_documents_every_setting():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for _name, variable, _default, _meaning in config.SETTINGS_TABLE:
        assert variable in readme, f"README.md does not document {variable}"
