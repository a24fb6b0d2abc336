"""Configuration: command-line flags over DRIFTLINE_* environment variables over defaults.

The table in README.md lists every setting; ``SETTINGS_TABLE`` below is its source.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

ALL_SERVICES = ("identity", "catalog", "data", "jobs", "monitoring")

# (setting, environment variable, default, meaning) — rendered into README.md's table.
SETTINGS_TABLE = [
    ("host", "DRIFTLINE_HOST", "127.0.0.1", "address to listen on"),
    ("port", "DRIFTLINE_PORT", "50051", "port to listen on (0 picks a free one)"),
    ("services", "DRIFTLINE_SERVICES", "all", "comma-separated services this process serves"),
    ("database_url", "DRIFTLINE_DATABASE_URL", "sqlite+aiosqlite:///<data_dir>/driftline.db",
     "SQLAlchemy URL; PostgreSQL: postgresql+psycopg://user@host:5432/db"),
    ("data_dir", "DRIFTLINE_DATA_DIR", "./.driftline", "local files: SQLite database, keys, data"),
    ("<service>_address", "DRIFTLINE_<SERVICE>_ADDRESS", "this process",
     "host:port of a service this process does not serve (e.g. DRIFTLINE_IDENTITY_ADDRESS)"),
    ("internal_token", "DRIFTLINE_INTERNAL_TOKEN", "generated into <data_dir>/internal.token",
     "credential services use with each other; the same value on every process"),
    ("secret_key", "DRIFTLINE_SECRET_KEY", "generated into <data_dir>/secret.key",
     "Fernet key that encrypts integration secrets at rest"),
    ("auth_cache_seconds", "DRIFTLINE_AUTH_CACHE_SECONDS", "2",
     "how long a verified API key is trusted without asking Identity again"),
    ("plan_cache_seconds", "DRIFTLINE_PLAN_CACHE_SECONDS", "2",
     "how long a company's plan limits are trusted without asking Identity again"),
    ("shutdown_grace_seconds", "DRIFTLINE_SHUTDOWN_GRACE_SECONDS", "10",
     "time in-flight RPCs get to finish on SIGTERM/SIGINT"),
    ("db_pool_size", "DRIFTLINE_DB_POOL_SIZE", "10", "database connections per process"),
    ("max_message_mib", "DRIFTLINE_MAX_MESSAGE_MIB", "64", "largest gRPC message accepted or sent"),
    ("log_level", "DRIFTLINE_LOG_LEVEL", "info", "debug, info, warning or error"),
    ("dask_scheduler", "DRIFTLINE_DASK_SCHEDULER", "embedded",
     "tcp://host:port of an existing Dask scheduler that runs jobs; unset: an in-process cluster"),
    ("jobs_lease_seconds", "DRIFTLINE_JOBS_LEASE_SECONDS", "15",
     "how long a job of a crashed Jobs process waits before another process runs it again"),
    ("data_storage", "DRIFTLINE_DATA_STORAGE", "<data_dir>/data",
     "where batches are stored: a folder, or a pyarrow filesystem URI such as s3://bucket/prefix"),
    ("data_staging_grace_seconds", "DRIFTLINE_DATA_STAGING_GRACE_SECONDS", "600",
     "age after which a staged upload with no batch (a crashed or cut-off upload) is removed"),
    ("monitoring_min_reference_samples", "DRIFTLINE_MONITORING_MIN_REFERENCE_SAMPLES", "300",
     "fewest samples a model reference may be fitted on (and labelled ones for concept and error)"),
    ("monitoring_batches_between_false_alarms",
     "DRIFTLINE_MONITORING_BATCHES_BETWEEN_FALSE_ALARMS", "100",
     "stationary production batches per monitored target between two false drift alarms, that "
     "references are calibrated for unless set_model_reference names another (at least 10)"),
    ("action_attempts", "DRIFTLINE_ACTION_ATTEMPTS", "5",
     "attempts a rule's action gets to deliver an event before its delivery is FAILED"),
    ("action_backoff_seconds", "DRIFTLINE_ACTION_BACKOFF_SECONDS", "2",
     "pause after an action's first failed attempt, doubled after each (at most a minute)"),
    ("actions_allow_http", "DRIFTLINE_ACTIONS_ALLOW_HTTP", "false",
     "let webhook actions call http:// URLs (private networks, tests); https only otherwise"),
    ("smtp_host", "DRIFTLINE_SMTP_HOST", "none",
     "SMTP relay of e-mail actions (without one they fail, saying so)"),
    ("smtp_port", "DRIFTLINE_SMTP_PORT", "587", "its port"),
    ("smtp_username", "DRIFTLINE_SMTP_USERNAME", "none", "login at the relay, if it wants one"),
    ("smtp_password", "DRIFTLINE_SMTP_PASSWORD", "none", "its password (never logged)"),
    ("smtp_sender", "DRIFTLINE_SMTP_SENDER", "driftline@localhost", "From address of e-mails"),
    ("smtp_starttls", "DRIFTLINE_SMTP_STARTTLS", "true", "upgrade the SMTP connection with TLS"),
    ("aws_endpoint_url", "DRIFTLINE_AWS_ENDPOINT_URL", "AWS",
     "endpoint of the AWS APIs that EventBridge actions and triggers call (an AWS-compatible "
     "service)"),
    ("gcp_pubsub_endpoint", "DRIFTLINE_GCP_PUBSUB_ENDPOINT", "Google",
     "host:port of a Pub/Sub emulator that Pub/Sub actions and triggers publish to"),
    ("tls_cert", "DRIFTLINE_TLS_CERT", "none (plaintext)",
     "PEM certificate chain to serve TLS with (with --tls-key); also this process's client "
     "certificate when it calls the suite"),
    ("tls_key", "DRIFTLINE_TLS_KEY", "none", "PEM private key of --tls-cert (unencrypted)"),
    ("tls_client_ca", "DRIFTLINE_TLS_CLIENT_CA", "none",
     "PEM CA certificates: callers must present a certificate they signed (mutual TLS)"),
    ("tls_ca", "DRIFTLINE_TLS_CA", "the public CAs",
     "PEM CA certificates that verify the suite's services when this process calls them "
     "(set it for a private CA; alone, it turns on TLS for a process that only calls, such as "
     "a Dask worker)"),
]


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 50051
    services: tuple[str, ...] = ALL_SERVICES
    database_url: str = ""
    data_dir: Path = Path(".driftline")
    service_addresses: dict[str, str] = field(default_factory=dict)
    internal_token: str = ""
    secret_key: str = ""
    auth_cache_seconds: float = 2.0
    plan_cache_seconds: float = 2.0
    shutdown_grace_seconds: float = 10.0
    db_pool_size: int = 10
    max_message_mib: int = 64
    log_level: str = "info"
    dask_scheduler: str = ""
    jobs_lease_seconds: float = 15.0
    data_storage: str = ""
    data_staging_grace_seconds: float = 600.0
    monitoring_min_reference_samples: int = 300
    monitoring_batches_between_false_alarms: float = 100.0
    action_attempts: int = 5
    action_backoff_seconds: float = 2.0
    actions_allow_http: bool = False
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_sender: str = "driftline@localhost"
    smtp_starttls: bool = True
    aws_endpoint_url: str = ""
    gcp_pubsub_endpoint: str = ""
    tls_cert: str = ""
    tls_key: str = ""
    tls_client_ca: str = ""
    tls_ca: str = ""

    def address_of(self, service: str, own_address: str) -> str:
        """Where to reach ``service``: this process when it serves it, else its configured address."""
        if service in self.services:
            return own_address
        try:
            return self.service_addresses[service]
        except KeyError:
            raise ValueError(
                f"this process does not serve '{service}' and no address is configured for it: "
                f"set DRIFTLINE_{service.upper()}_ADDRESS=host:port"
            ) from None

    @property
    def max_message_bytes(self) -> int:
        return self.max_message_mib * 1024 * 1024


def parse_services(text: str) -> tuple[str, ...]:
    if text.strip() in ("", "all"):
        return ALL_SERVICES
    names = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in ALL_SERVICES]
    if unknown:
        raise ValueError(
            f"unknown service(s) {', '.join(unknown)}: choose from {', '.join(ALL_SERVICES)}"
        )
    return names


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(f"{text!r} is not a yes/no setting: use true or false")


def from_environment(overrides: dict | None = None, environ=os.environ) -> Settings:
    """Settings from DRIFTLINE_* variables, then ``overrides`` (flags; None values ignored)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}

    def env(name: str, default: str) -> str:
        return environ.get(f"DRIFTLINE_{name}", default)

    if "DRIFTLINE_MONITORING_MEAN_RUN_LENGTH" in environ:
        raise ValueError(
            "DRIFTLINE_MONITORING_MEAN_RUN_LENGTH (samples between false alarms of per-sample "
            "detectors) is no longer read: set DRIFTLINE_MONITORING_BATCHES_BETWEEN_FALSE_ALARMS "
            "(stationary batches per target between two false drift alarms, 100 by default)")
    settings = Settings(
        host=env("HOST", "127.0.0.1"),
        port=int(env("PORT", "50051")),
        services=parse_services(env("SERVICES", "all")),
        database_url=env("DATABASE_URL", ""),
        data_dir=Path(env("DATA_DIR", ".driftline")),
        service_addresses={
            name: environ[f"DRIFTLINE_{name.upper()}_ADDRESS"]
            for name in ALL_SERVICES
            if environ.get(f"DRIFTLINE_{name.upper()}_ADDRESS")
        },
        internal_token=env("INTERNAL_TOKEN", ""),
        secret_key=env("SECRET_KEY", ""),
        auth_cache_seconds=float(env("AUTH_CACHE_SECONDS", "2")),
        plan_cache_seconds=float(env("PLAN_CACHE_SECONDS", "2")),
        shutdown_grace_seconds=float(env("SHUTDOWN_GRACE_SECONDS", "10")),
        db_pool_size=int(env("DB_POOL_SIZE", "10")),
        max_message_mib=int(env("MAX_MESSAGE_MIB", "64")),
        log_level=env("LOG_LEVEL", "info"),
        dask_scheduler=env("DASK_SCHEDULER", ""),
        jobs_lease_seconds=float(env("JOBS_LEASE_SECONDS", "15")),
        data_storage=env("DATA_STORAGE", ""),
        data_staging_grace_seconds=float(env("DATA_STAGING_GRACE_SECONDS", "600")),
        monitoring_min_reference_samples=int(env("MONITORING_MIN_REFERENCE_SAMPLES", "300")),
        monitoring_batches_between_false_alarms=float(
            env("MONITORING_BATCHES_BETWEEN_FALSE_ALARMS", "100")),
        action_attempts=int(env("ACTION_ATTEMPTS", "5")),
        action_backoff_seconds=float(env("ACTION_BACKOFF_SECONDS", "2")),
        actions_allow_http=_flag(env("ACTIONS_ALLOW_HTTP", "false")),
        smtp_host=env("SMTP_HOST", ""),
        smtp_port=int(env("SMTP_PORT", "587")),
        smtp_username=env("SMTP_USERNAME", ""),
        smtp_password=env("SMTP_PASSWORD", ""),
        smtp_sender=env("SMTP_SENDER", "driftline@localhost"),
        smtp_starttls=_flag(env("SMTP_STARTTLS", "true")),
        aws_endpoint_url=env("AWS_ENDPOINT_URL", ""),
        gcp_pubsub_endpoint=env("GCP_PUBSUB_ENDPOINT", ""),
        tls_cert=env("TLS_CERT", ""),
        tls_key=env("TLS_KEY", ""),
        tls_client_ca=env("TLS_CLIENT_CA", ""),
        tls_ca=env("TLS_CA", ""),
    )
    if settings.monitoring_batches_between_false_alarms < 10:
        raise ValueError(
            "DRIFTLINE_MONITORING_BATCHES_BETWEEN_FALSE_ALARMS must be at least 10 (a drift "
            "blocks new alarms while it lasts, so fewer batches between them cannot be kept)")
    if "services" in overrides and isinstance(overrides["services"], str):
        overrides["services"] = parse_services(overrides["services"])
    if "data_dir" in overrides:
        overrides["data_dir"] = Path(overrides["data_dir"])
    return finalize(replace(settings, **overrides))


def finalize(settings: Settings) -> Settings:
    """Fill in what derives from the data folder (the SQLite URL, the storage root, the
    generated secrets) and make every local path absolute, once, at start: a relative path
    (``make run``'s ``./.driftline``) would mean another folder to a process that runs from its
    own working directory, such as a Python model's sandbox."""
    data_dir = settings.data_dir.expanduser().resolve()
    database_url = _absolute_sqlite(settings.database_url) if settings.database_url \
        else f"sqlite+aiosqlite:///{data_dir / 'driftline.db'}"
    if database_url.startswith("sqlite") or not settings.internal_token or not settings.secret_key:
        data_dir.mkdir(parents=True, exist_ok=True)
    data_storage = settings.data_storage or str(data_dir / "data")
    if "://" not in data_storage:  # a plain folder, not a filesystem URI
        data_storage = str(Path(data_storage).expanduser().resolve())
    return replace(
        settings,
        data_dir=data_dir,
        database_url=database_url,
        data_storage=data_storage,
        **{name: str(Path(path).expanduser().resolve()) if path else ""
           for name, path in _tls_files(settings).items()},
        internal_token=settings.internal_token
        or _read_or_create(data_dir / "internal.token", lambda: secrets.token_urlsafe(32)),
        secret_key=settings.secret_key or _read_or_create(data_dir / "secret.key", _fernet_key),
    )


def _tls_files(settings: Settings) -> dict[str, str]:
    """The TLS settings that name files (platform/tls.py reads them)."""
    return {name: getattr(settings, name)
            for name in ("tls_cert", "tls_key", "tls_client_ca", "tls_ca")}


def _absolute_sqlite(url: str) -> str:
    """A SQLite URL with its file's path made absolute (other databases as they are)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:") \
            or parsed.database.startswith("file:"):
        return url
    path = Path(parsed.database).expanduser().resolve()
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


# Settings that never travel in a job's spec to a Dask worker: a worker of an external cluster
# reads them from its own DRIFTLINE_* variables (workers never touch the database).
_SECRET_SETTINGS = frozenset({"internal_token", "secret_key", "smtp_password", "database_url"})


def job_settings(settings: Settings) -> dict:
    """The server's settings as plain data for a job's spec, secrets left out, so that a job
    runs with the configuration its server started with (flags included) on any worker."""
    values = {}
    for name in settings.__dataclass_fields__:
        if name in _SECRET_SETTINGS:
            continue
        value = getattr(settings, name)
        values[name] = str(value) if isinstance(value, Path) else \
            list(value) if isinstance(value, tuple) else value
    return values


def settings_of_job(values: dict, environ=os.environ) -> Settings:
    """Settings from a job's spec (``job_settings``), with the secrets from this worker's
    DRIFTLINE_* variables, and its own TLS files where it names them (DRIFTLINE_TLS_CA,
    _CERT, _KEY: paths of the machine it runs on)."""
    known = {name: value for name, value in values.items()
             if name in Settings.__dataclass_fields__ and name not in _SECRET_SETTINGS}
    for name in ("tls_ca", "tls_cert", "tls_key"):
        if environ.get(f"DRIFTLINE_{name.upper()}"):
            known[name] = environ[f"DRIFTLINE_{name.upper()}"]
    known["data_dir"] = Path(known.get("data_dir", ".driftline"))
    known["services"] = tuple(known.get("services", ALL_SERVICES))
    return Settings(**known, internal_token=environ.get("DRIFTLINE_INTERNAL_TOKEN", ""),
                    secret_key=environ.get("DRIFTLINE_SECRET_KEY", ""),
                    smtp_password=environ.get("DRIFTLINE_SMTP_PASSWORD", ""))


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _read_or_create(path: Path, make) -> str:
    """A secret kept in the data folder, readable only by its owner, made once."""
    if path.exists():
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
