"""Catalog's tables. Enums are stored as their names (``REGRESSION``), times as timezone-aware
UTC datetimes, structured values (tags, cost information, schema columns) as JSON."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

# Every table here is ``catalog_*``; SQLModel.metadata is shared with the other services, which
# is why migrations filter by prefix (platform.migrations.owned_by).


def _time() -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=False)


class ProjectRow(SQLModel, table=True):
    __tablename__ = "catalog_projects"
    # AIP-155: a retried CreateProject with the same request id finds the first one.
    __table_args__ = (sa.UniqueConstraint("company_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    default_storage_policy: str = Field(max_length=32)
    # s3://bucket[/prefix] where a CUSTOMER project's batches are kept; "" when not set.
    data_storage_uri: str = Field(default="", max_length=1024)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class TaskRow(SQLModel, table=True):
    __tablename__ = "catalog_tasks"
    __table_args__ = (sa.UniqueConstraint("project_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id", index=True)
    name: str = Field(max_length=200)
    tags: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    task_type: str = Field(max_length=40)
    data_structure: str = Field(max_length=20)
    # {"kind": "REGRESSION"|"BINARY_CLASSIFICATION"|"MULTICLASS_CLASSIFICATION",
    #  "currency": "EURO"|"DOLLAR", "costs": {name: decimal string}}
    cost_info: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    optional_target: bool = Field(default=False)
    text_language: str | None = Field(default=None, max_length=20)
    # {"type": "string"|"int"|"bool", "value": ...}: the label keeps the type the model outputs.
    positive_class: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    rag_contexts_separator: str | None = Field(default=None, max_length=100)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class ModelRow(SQLModel, table=True):
    """One version of a model; versions of the same model share task and name."""

    __tablename__ = "catalog_models"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "name", "version"),
        sa.UniqueConstraint("task_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, foreign_key="catalog_tasks.id", index=True)
    name: str = Field(max_length=200)
    version: str = Field(max_length=100)
    metric_name: str | None = Field(default=None, max_length=40)
    with_probabilistic_output: bool = Field(default=False)
    preferred_suggestion_type: str | None = Field(default=None, max_length=40)
    resampled_dataset_size: int | None = Field(default=None, sa_type=sa.BigInteger)
    retraining_cost_amount: str = Field(default="0", max_length=40)
    retraining_cost_currency: str | None = Field(default=None, max_length=20)
    previous_version_id: str | None = Field(default=None, max_length=32)
    # The Python model this version was trained from (catalog_python_models); None otherwise.
    python_model_id: str | None = Field(default=None, max_length=32, index=True)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class DataSchemaRow(SQLModel, table=True):
    """One version of a task's data schema; the highest version is the current one."""

    __tablename__ = "catalog_data_schemas"
    __table_args__ = (sa.UniqueConstraint("task_id", "version"),)

    id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, foreign_key="catalog_tasks.id", index=True)
    version: int
    # A list of column dicts, keys as in domain.Column.
    columns: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    create_time: datetime = Field(sa_column=_time())


class KpiRow(SQLModel, table=True):
    __tablename__ = "catalog_kpis"
    __table_args__ = (sa.UniqueConstraint("project_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id", index=True)
    name: str = Field(max_length=200)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


# -- model runs ----------------------------------------------------------------------------

# A run's information: jsonb on PostgreSQL (containment through its GIN index), JSON text on
# SQLite (containment through catalog_model_run_terms).
RUN_INFO_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")


class ModelRunRow(SQLModel, table=True):
    """A run of a model: free-form information in a project (catalog/model_runs.py)."""

    __tablename__ = "catalog_model_runs"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "request_id"),
        sa.Index("ix_catalog_model_runs_listing", "project_id", "create_time", "id"),
        sa.Index("ix_catalog_model_runs_by_name", "project_id", "model_name", "create_time", "id"),
        # FindModelRun: runs whose information is exactly an object, by its digest.
        sa.Index("ix_catalog_model_runs_digest", "project_id", "info_digest"),
        # jsonb_path_ops: smaller and faster than the default for @>, the only operator used.
        sa.Index(
            "ix_catalog_model_runs_info", "info", postgresql_using="gin",
            postgresql_ops={"info": "jsonb_path_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id")
    model_name: str = Field(default="", max_length=200)
    info: dict = Field(sa_column=sa.Column(RUN_INFO_TYPE, nullable=False))
    # sha256 of the canonical JSON of info (sorted keys, integral numbers as integers).
    info_digest: str = Field(max_length=64)
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class ModelRunModelRow(SQLModel, table=True):
    """A run's association with a model of its project. Deleting either side deletes it."""

    __tablename__ = "catalog_model_run_models"

    run_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_model_runs.id", ondelete="CASCADE"),
        primary_key=True))
    model_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_models.id", ondelete="CASCADE"),
        primary_key=True, index=True))
    create_time: datetime = Field(sa_column=_time())


class ModelRunTermRow(SQLModel, table=True):
    """SQLite's containment index (empty on PostgreSQL, whose GIN index does this work): one row
    per distinct (path, scalar) leaf and (path, container type) node of a run's information,
    as a 64-bit hash that includes the project. A query's terms must all be among a run's for
    it to match; candidates are then checked exactly. The run's create_time is copied so that
    one term's rows are already in listing order."""

    __tablename__ = "catalog_model_run_terms"
    # The rows are the index: no rowid table beside it.
    __table_args__ = {"sqlite_with_rowid": False}

    term: int = Field(sa_column=sa.Column(sa.BigInteger(), primary_key=True, autoincrement=False))
    create_time: datetime = Field(sa_column=sa.Column(
        sa.DateTime(timezone=True), primary_key=True))
    run_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_model_runs.id", ondelete="CASCADE"),
        primary_key=True, index=True))


# -- model sessions ------------------------------------------------------------------------

def _optional_time() -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=True)


# Event log positions: 64-bit on PostgreSQL, SQLite's INTEGER (its rowid) there.
SESSION_SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class ModelSessionRow(SQLModel, table=True):
    """A model session (catalog/model_sessions.py): the models built from one dataset for one
    set of targets, the build's state and times, and counters of its registry."""

    __tablename__ = "catalog_model_sessions"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "request_id"),
        sa.Index("ix_catalog_model_sessions_listing", "project_id", "create_time", "id"),
        sa.Index("ix_catalog_model_sessions_by_dataset", "project_id", "dataset_id",
                 "create_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id")
    name: str = Field(max_length=200)
    dataset_id: str = Field(max_length=200)
    category: str = Field(max_length=20)
    targets: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    session_metadata: dict = Field(sa_column=sa.Column("metadata", sa.JSON(), nullable=False))
    state: str = Field(max_length=24)
    start_time: datetime | None = Field(default=None, sa_column=_optional_time())
    end_time: datetime | None = Field(default=None, sa_column=_optional_time())
    # One of the session's models (no foreign key: models point at their session, and a
    # model's delete clears this in the same transaction).
    default_model_id: str = Field(default="", max_length=32)
    # How many build log entries it holds: appends check and raise it in one UPDATE.
    build_log_count: int = Field(default=0)
    # Its first and latest events in catalog_model_session_events (WatchModelSession).
    first_sequence: int = Field(default=0, sa_column=sa.Column(SESSION_SEQUENCE_TYPE,
                                                               nullable=False))
    last_sequence: int = Field(default=0, sa_column=sa.Column(SESSION_SEQUENCE_TYPE,
                                                              nullable=False))
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class ModelSessionLogRow(SQLModel, table=True):
    """One entry of a session's build log, at its position (0, 1, ...) in the log."""

    __tablename__ = "catalog_model_session_logs"

    model_session_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_model_sessions.id", ondelete="CASCADE"),
        primary_key=True))
    position: int = Field(sa_column=sa.Column(sa.Integer(), primary_key=True,
                                              autoincrement=False))
    time: datetime = Field(sa_column=_time())
    level: str = Field(max_length=10)
    message: str = Field(max_length=1000)


class ModelSessionMetricRow(SQLModel, table=True):
    """One metric of a session's registry; a later value of the same name replaces it."""

    __tablename__ = "catalog_model_session_metrics"

    model_session_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_model_sessions.id", ondelete="CASCADE"),
        primary_key=True))
    name: str = Field(sa_column=sa.Column(sa.String(200), primary_key=True))
    value: float = Field(sa_column=sa.Column(sa.Float(), nullable=False))
    update_time: datetime = Field(sa_column=_time())


class BuiltModelRow(SQLModel, table=True):
    """A model built from a dataset, in a session (model_session_id) or detached (NULL)."""

    __tablename__ = "catalog_built_models"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "request_id"),
        sa.Index("ix_catalog_built_models_listing", "project_id", "create_time", "id"),
        sa.Index("ix_catalog_built_models_of_session", "model_session_id", "create_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id")
    model_session_id: str | None = Field(default=None, sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_model_sessions.id", ondelete="CASCADE"),
        nullable=True))
    name: str = Field(max_length=200)
    dataset_id: str = Field(max_length=200)
    targets: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    model_metadata: dict = Field(sa_column=sa.Column("metadata", sa.JSON(), nullable=False))
    state: str = Field(max_length=24)
    start_time: datetime | None = Field(default=None, sa_column=_optional_time())
    end_time: datetime | None = Field(default=None, sa_column=_optional_time())
    binary_key: str = Field(default="", max_length=1024)
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class ModelSessionEventRow(SQLModel, table=True):
    """The model session event log (platform.eventlog): one row per state change or delete,
    keyed by a sequence the database assigns and never reuses. Kept after a session's delete,
    as a log; it holds no name or metadata of the session."""

    __tablename__ = "catalog_model_session_events"
    __table_args__ = (
        sa.Index("ix_catalog_model_session_events_session", "model_session_id", "sequence"),
        sa.Index("ix_catalog_model_session_events_project", "project_id", "sequence"),
        {"sqlite_autoincrement": True},
    )

    sequence: int | None = Field(default=None, sa_column=sa.Column(
        SESSION_SEQUENCE_TYPE, primary_key=True, autoincrement=True))
    event_type: str = Field(max_length=20)
    model_session_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    state: str = Field(max_length=24)
    previous_state: str | None = Field(default=None, max_length=24)
    start_time: datetime | None = Field(default=None, sa_column=_optional_time())
    end_time: datetime | None = Field(default=None, sa_column=_optional_time())
    event_time: datetime = Field(sa_column=_time())


# -- Python models ---------------------------------------------------------------------------


class PythonModelRow(SQLModel, table=True):
    """A model of a task defined by Python source (catalog/python_models/definitions.py). Its
    versions are ModelRows of the same task and name, each with a PythonModelVersionRow."""

    __tablename__ = "catalog_python_models"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "name"),
        sa.UniqueConstraint("task_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, foreign_key="catalog_tasks.id", index=True)
    name: str = Field(max_length=200)
    source_code: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    # role (train, predict, predict_many, initialize) -> function name; roles not given absent.
    functions: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    # [{"kind": "HISTORICAL"|"PRODUCTION", "from_time": iso|None, "to_time": iso|None}]
    training_inputs: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    cpu_size: str = Field(max_length=20)
    memory_gb: int
    package_requirements: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    use_gpu: bool = Field(default=False)
    is_thread_safe: bool = Field(default=False)
    training_config: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    metric_name: str | None = Field(default=None, max_length=40)
    with_probabilistic_output: bool = Field(default=False)
    training_timeout_seconds: int
    prediction_timeout_seconds: int
    definition_version: int
    latest_version_id: str | None = Field(default=None, max_length=32)
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class PythonModelVersionRow(SQLModel, table=True):
    """The training of one version (a ModelRow) of a Python model, with the definition as it
    was when the training was asked for."""

    __tablename__ = "catalog_python_model_versions"
    __table_args__ = (
        # A retried TrainPythonModel, or a trigger fired twice for one report, trains once.
        sa.UniqueConstraint("python_model_id", "request_id"),
        sa.Index("ix_catalog_python_model_versions_listing", "python_model_id", "create_time",
                 "model_id"),
    )

    model_id: str = Field(sa_column=sa.Column(
        sa.String(32), sa.ForeignKey("catalog_models.id"), primary_key=True))
    python_model_id: str = Field(max_length=32, foreign_key="catalog_python_models.id")
    status: str = Field(max_length=20)
    job_id: str | None = Field(default=None, max_length=32)
    definition_version: int
    # The definition's fields that training and serving read (definitions.snapshot).
    definition: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    error: str = Field(default="", max_length=4000)
    failure: str | None = Field(default=None, max_length=20)
    output_tail: str = Field(default="", sa_column=sa.Column(sa.Text(), nullable=False))
    training_start_time: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    training_complete_time: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    training_sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    sample_weighted: bool = Field(default=False)
    # A retraining: the report whose suggestion it trains on, the range of that report's
    # reference, the version the report is of, and whether to set the reference after.
    suggestion_id: str | None = Field(default=None, max_length=32)
    suggestion_from_time: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    suggestion_to_time: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    previous_version_id: str | None = Field(default=None, max_length=32)
    set_reference: bool = Field(default=False)
    reference_job_id: str | None = Field(default=None, max_length=32)
    artifact_path: str = Field(default="", max_length=1024)
    artifact_size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())



# -- experiments ---------------------------------------------------------------------------
# An experiment is a namespace of models; a model owns its iterations, metric points and
# modules. Deleting an experiment or a model deletes what it owns in the same transaction
# (catalog/experiments.py); the foreign keys say so too, except for the metric points.


class ExperimentRow(SQLModel, table=True):
    __tablename__ = "catalog_experiments"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "request_id"),
        sa.Index("ix_catalog_experiments_listing", "project_id", "create_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id")
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


def _owner(table: str) -> sa.Column:
    return sa.Column(sa.String(32), sa.ForeignKey(f"{table}.id", ondelete="CASCADE"),
                     nullable=False)


class ExperimentModelRow(SQLModel, table=True):
    """A model of an experiment: its hash is unique in the experiment, its id everywhere."""

    __tablename__ = "catalog_experiment_models"
    __table_args__ = (
        sa.UniqueConstraint("experiment_id", "hash"),
        sa.UniqueConstraint("experiment_id", "request_id"),
        sa.Index("ix_catalog_experiment_models_listing", "experiment_id", "create_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    experiment_id: str = Field(sa_column=_owner("catalog_experiments"))
    hash: str = Field(max_length=128)
    name: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=2000)
    step: int | None = Field(default=None, sa_type=sa.BigInteger)
    creator_id: str = Field(default="", max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class IterationRow(SQLModel, table=True):
    """One training or evaluation step of a model: one per (phase, epoch)."""

    __tablename__ = "catalog_experiment_iterations"
    __table_args__ = (
        sa.UniqueConstraint("model_id", "phase", "epoch"),
        sa.UniqueConstraint("model_id", "request_id"),
        sa.Index("ix_catalog_experiment_iterations_listing", "model_id", "start_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    model_id: str = Field(sa_column=_owner("catalog_experiment_models"))
    epoch: int = Field(sa_type=sa.BigInteger)
    phase: str = Field(max_length=20)
    start_time: datetime = Field(sa_column=_time())
    end_time: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())


# SQLite makes only a column declared exactly INTEGER PRIMARY KEY the rowid (no second index).
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class MetricPointRow(SQLModel, table=True):
    """One measurement of a model's metric. Appended in bulk (COPY on PostgreSQL), so the table
    has one index, the listing's (model, name, time, arrival), and no foreign key: a per-row
    check of the model would slow every append; the model is checked once a stream instead,
    and its points are deleted with it."""

    __tablename__ = "catalog_experiment_metrics"
    __table_args__ = (
        sa.Index("ix_catalog_experiment_metrics_listing", "model_id", "name", "time", "id"),
    )

    # Arrival order: breaks ties between points of the same name and time.
    id: int | None = Field(default=None, sa_column=sa.Column(
        _SERIAL, primary_key=True, autoincrement=True))
    model_id: str = Field(sa_column=sa.Column(sa.String(32), nullable=False))
    name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    value: float = Field(sa_column=sa.Column(sa.Double(), nullable=False))
    phase: str | None = Field(default=None, sa_column=sa.Column(sa.String(20), nullable=True))
    epoch: int | None = Field(default=None, sa_type=sa.BigInteger)
    step: int | None = Field(default=None, sa_type=sa.BigInteger)
    time: datetime = Field(sa_column=_time())


class ModuleRow(SQLModel, table=True):
    """A part of a model, with the JSON arguments it is built with; names unique in the model."""

    __tablename__ = "catalog_experiment_modules"
    __table_args__ = (
        sa.UniqueConstraint("model_id", "name"),
        sa.Index("ix_catalog_experiment_modules_listing", "model_id", "create_time", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    model_id: str = Field(sa_column=_owner("catalog_experiment_models"))
    name: str = Field(max_length=200)
    type: str = Field(max_length=200)
    arguments: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    hash: str = Field(default="", max_length=128)
    create_time: datetime = Field(sa_column=_time())
