"""Schema migrations with alembic, one migration history per service.

Each service keeps its scripts in ``driftline_server/<service>/migrations`` and its own version
table (``alembic_version_<service>``), so services migrate independently even when they share a
database, and never touch each other's tables.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, pool

from driftline_server.platform.database import sync_url


def version_table(service: str) -> str:
    return f"alembic_version_{service}"


def alembic_config(service: str, database_url: str) -> Config:
    package = importlib.import_module(f"driftline_server.{service}")
    script_location = Path(package.__file__).parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", sync_url(database_url))
    config.attributes["driftline_service"] = service
    return config


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    """Bring ``service``'s tables to ``revision``; rows already stored are kept."""
    command.upgrade(alembic_config(service, database_url), revision)


def downgrade(service: str, database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(service, database_url), revision)


def current_revision(service: str, database_url: str) -> str | None:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"version_table": version_table(service)}
            )
            return context.get_current_revision()
    finally:
        engine.dispose()


def head_revision(service: str, database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(service, database_url)).get_current_head()


def owned_by(service: str, dialect: str | None = None):
    """alembic include_object filter: only ``<service>_*`` tables and their parts. With the
    database's ``dialect``, also leaves out what a model declares for another dialect only
    (``Index(...).ddl_if(dialect="postgresql")``, which alembic itself does not read)."""
    prefix = f"{service}_"

    def include(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = name if type_ == "table" else getattr(table, "name", "")
        if not (bool(table_name) and table_name.startswith(prefix)):
            return False
        only_for = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        if dialect is not None and only_for is not None:
            return dialect in ((only_for,) if isinstance(only_for, str) else only_for)
        return True

    return include


def run_env(context, target_metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py`` (online mode only)."""
    config = context.config
    service = config.attributes["driftline_service"]
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table(service),
            include_object=owned_by(service, connection.dialect.name),
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def owned_tables(service: str, database_url: str) -> set[str]:
    """The tables of ``service`` that exist in the database now."""
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        return {name for name in inspect(engine).get_table_names() if name.startswith(f"{service}_")}
    finally:
        engine.dispose()


def schema_differences(service: str, database_url: str) -> list:
    """How the database's ``service`` tables differ from the service's models (alembic's
    autogenerate comparison): empty when the migrations build exactly what the code expects."""
    from alembic.autogenerate import compare_metadata

    models = importlib.import_module(f"driftline_server.{service}.models")
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_object": owned_by(service, connection.dialect.name),
                    "compare_type": True,
                    "version_table": version_table(service),
                },
            )
            return compare_metadata(context, models.SQLModel.metadata)
    finally:
        engine.dispose()
