"""Real Driftline servers in subprocesses on loopback ports, for the tests and benchmarks.

The gRPC suites run against SQLite by default. With DRIFTLINE_TEST_DATABASE_URL set to a
PostgreSQL URL (``make test`` sets it for its second leg) every server gets a fresh database
on that PostgreSQL instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_COMMAND = [sys.executable, "-m", "driftline_server.cli"]


def _postgres_url() -> str | None:
    url = os.environ.get("DRIFTLINE_TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def _check_postgres(url: str) -> None:
    """Fail the whole run at once, with a clear message, when PostgreSQL is down."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    try:
        psycopg.connect(
            host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
            user=parsed.username or "postgres", dbname=parsed.database or "postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as error:
        pytest.exit(
            f"PostgreSQL at {parsed.render_as_string(hide_password=True)} is not reachable "
            f"({error}). Start it (pg_ctlcluster ... start) or unset DRIFTLINE_TEST_DATABASE_URL.",
            returncode=3,
        )


@dataclass
class FreshDatabase:
    """A database of its own for one server: a SQLite file, or a new PostgreSQL database."""

    url: str
    drop: callable = field(default=lambda: None)


def fresh_database(tmp_path: Path) -> FreshDatabase:
    base = _postgres_url()
    if base is None:
        return FreshDatabase(f"sqlite+aiosqlite:///{tmp_path / 'driftline.db'}")
    import psycopg
    from sqlalchemy.engine import make_url

    _check_postgres(base)
    parsed = make_url(base)
    name = f"driftline_test_{uuid.uuid4().hex[:12]}"
    admin = dict(host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
                 user=parsed.username or "postgres", dbname=parsed.database or "postgres",
                 autocommit=True, connect_timeout=3)
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return FreshDatabase(parsed.set(database=name).render_as_string(hide_password=False), drop)


def dev_certs():
    """tools/dev_certs.py as a module: the tests' certificates come from the same code as the
    development ones."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev_certs", ROOT / "tools" / "dev_certs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """A loopback port nobody listens on right now (for servers that must know each other's)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def terminate(process: subprocess.Popen | None, timeout: float = 20) -> int | None:
    """Stop a server gracefully (SIGTERM), killing it after ``timeout``; its exit code."""
    if process is None:
        return None
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def user_created(output: str) -> tuple[str, str]:
    """(user_id, api_key) from what ``admin create-user`` prints."""
    values = dict(line.split(": ", 1) for line in output.strip().splitlines())
    return values["user_id"], values["api_key"]


def tail(log: Path) -> str:
    """The end of a server's log, for a failure's message."""
    return log.read_text(errors="replace")[-6000:] if log.exists() else ""


class ServerProcess:
    """``driftline-server serve`` on a free loopback port, as a user would run it."""

    def __init__(self, data_dir: Path, database_url: str, extra_env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.database_url = database_url
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.log_path = data_dir / "server.log"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTLINE_")}
        env.update(
            DRIFTLINE_DATA_DIR=str(self.data_dir),
            DRIFTLINE_DATABASE_URL=self.database_url,
            DRIFTLINE_SHUTDOWN_GRACE_SECONDS="5",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, *args: str, port: int = 0, timeout: float = 60) -> "ServerProcess":
        ready = self.data_dir / f"ready-{uuid.uuid4().hex}.json"
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [*SERVER_COMMAND, "serve", "--host", "127.0.0.1", "--port", str(port),
             "--ready-file", str(ready), *args],
            env=self.env, stdout=log, stderr=log, cwd=self.data_dir,
        )
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server did not start in {timeout}s:\n{self.log()}")
            time.sleep(0.05)
        self.port = json.loads(ready.read_text())["port"]
        return self

    def stop(self, timeout: float = 20) -> int | None:
        code, self.process = terminate(self.process, timeout), None
        return code

    def log(self) -> str:
        return tail(self.log_path)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run another ``driftline-server`` command against the same database and data folder."""
        result = subprocess.run(
            [*SERVER_COMMAND, *args], env=self.env, cwd=self.data_dir,
            capture_output=True, text=True, timeout=120,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"driftline-server {' '.join(args)} failed:\n{result.stderr}")
        return result

    def create_user(self, email: str, name: str = "Ada", surname: str = "Lovelace") -> tuple[str, str]:
        """``driftline-server admin create-user``; returns (user_id, api_key)."""
        return user_created(self.cli("admin", "create-user", "--email", email, "--name", name,
                                     "--surname", surname).stdout)


class UserServer:
    """The suite started as a user starts it: ``make run``'s own command line (and any flags a
    test adds), from a folder of its own holding nothing but a link to the project's .venv, with
    no DRIFTLINE_* variable beyond ``env``. So relative defaults (``./.driftline``) are relative
    to that folder, as they are to a user's checkout; readiness is the gRPC health check, since
    a user passes no ready file."""

    def __init__(self, folder: Path, *flags: str, env: dict[str, str] | None = None):
        self.folder = folder
        self.port = free_port()
        self.flags = flags
        self.extra_env = dict(env or {})
        self.process: subprocess.Popen | None = None
        (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)

    @staticmethod
    def make_run_command(port: int) -> list[str]:
        """The command ``make run PORT=port`` runs (its recipe, read from the Makefile)."""
        plan = subprocess.run(["make", "-n", "-s", "run", f"PORT={port}"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
        [line] = [line for line in plan.splitlines() if "driftline-server serve" in line]
        return line.split()

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTLINE_")}
        env.update(self.extra_env)
        return env

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def run(self, *command: str, **options) -> subprocess.CompletedProcess:
        """A command run from the server's folder with the user's environment."""
        return subprocess.run(list(command), cwd=self.folder, env=options.pop("env", self.env),
                              capture_output=True, text=True, **options)

    def create_user(self, email: str, name: str = "Ada", surname: str = "Lovelace") -> tuple[str, str]:
        """``.venv/bin/driftline-server admin create-user`` from the server's folder, with its
        flags (the same data folder and database); returns (user_id, api_key)."""
        result = self.run(".venv/bin/driftline-server", "admin", "create-user", "--email", email,
                          "--name", name, "--surname", surname, *self.flags, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"admin create-user failed:\n{result.stderr}")
        return user_created(result.stdout)

    def start(self, timeout: float = 60) -> "UserServer":
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen([*self.make_run_command(self.port), *self.flags],
                                        cwd=self.folder, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(self.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                       f"{self.log()}")
                try:
                    if health.Check(health_pb2.HealthCheckRequest(), timeout=1).status == \
                            health_pb2.HealthCheckResponse.SERVING:
                        return self
                except grpc.RpcError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not start in {timeout}s:\n{self.log()}")
                time.sleep(0.1)

    def stop(self, timeout: float = 20) -> int | None:
        code, self.process = terminate(self.process, timeout), None
        return code

    def log(self) -> str:
        return tail(self.folder / "server.log")


@contextlib.contextmanager
def make_run_server(tmp_path_factory, *flags: str, env: dict[str, str] | None = None):
    """The suite started as ``make run`` starts it (``UserServer``), in a folder of its own; on
    the PostgreSQL leg with ``--database-url`` (a flag, as a user with PostgreSQL gives it)."""
    folder = tmp_path_factory.mktemp("checkout")
    database = fresh_database(folder)
    if database.url.startswith("postgresql"):
        flags = (*flags, "--database-url", database.url)
    process = UserServer(folder, *flags, env=env).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()


class PeakRss:
    """The peak resident memory of a process and its children, sampled every 20 ms while the
    ``with`` block runs (a server's embedded workers are threads or children of it)."""

    def __init__(self, pid: int):
        import psutil

        self._psutil = psutil
        self._process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def rss(self) -> int:
        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except self._psutil.NoSuchProcess:  # a child that just ended
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(0.02)

    def __enter__(self) -> "PeakRss":
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


@contextlib.contextmanager
def fails(error_type, reason: str | None = None, field: str | None = None):
    """Expect a DriftlineError of ``error_type`` with this stable reason, naming this field."""
    with pytest.raises(error_type) as caught:
        yield caught
    if reason is not None:
        assert caught.value.error_code == reason, caught.value
    if field is not None:
        assert field in [f for f, _ in caught.value.field_violations], caught.value.field_violations
