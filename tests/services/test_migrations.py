"""Every service's schema history: its migrations build exactly the tables of its models.py,
go down to nothing and up again. (Service-specific history — rows kept across a restart, the
event log's sequence numbers — is tested in each service's own suite.)"""

from __future__ import annotations

import pytest

from driftline_server.platform import migrations
from harness import fresh_database

TABLES = {
    "identity": None,  # checked against its models only: many tables, listed in its suites
    "catalog": {"catalog_projects", "catalog_tasks", "catalog_models", "catalog_data_schemas",
                "catalog_kpis",
                "catalog_model_runs", "catalog_model_run_models", "catalog_model_run_terms",
                "catalog_python_models", "catalog_python_model_versions",
                "catalog_model_sessions", "catalog_model_session_logs",
                "catalog_model_session_metrics", "catalog_built_models",
                "catalog_model_session_events",
                "catalog_experiments", "catalog_experiment_models", "catalog_experiment_iterations",
                "catalog_experiment_metrics", "catalog_experiment_modules"},
    "data": {"data_batches", "data_samples"},
    "jobs": {"jobs_jobs", "jobs_events"},
    "monitoring": {"monitoring_references", "monitoring_reference_fits",
                   "monitoring_detection_states", "monitoring_quantity_statuses",
                   "monitoring_detected_batches", "monitoring_detection_events",
                   "monitoring_rules", "monitoring_action_deliveries",
                   "monitoring_retraining_reports", "monitoring_retraining_samples",
                   "monitoring_retrain_triggers", "monitoring_kpi_states",
                   "monitoring_evaluation_thresholds", "monitoring_task_reports"},
}


@pytest.fixture
def empty_database(tmp_path):
    database = fresh_database(tmp_path)
    yield database.url
    database.drop()


def _check_head(service: str, url: str) -> None:
    if TABLES[service] is not None:
        assert migrations.owned_tables(service, url) == TABLES[service]
    else:
        assert migrations.owned_tables(service, url)
    assert migrations.schema_differences(service, url) == []
    assert migrations.current_revision(service, url) == migrations.head_revision(service, url)


@pytest.mark.parametrize("service", list(TABLES))
def test_migrations_build_exactly_the_models(service, empty_database):
    migrations.upgrade(service, empty_database)
    _check_head(service, empty_database)


@pytest.mark.parametrize("service", list(TABLES))
def test_downgrade_to_base_and_upgrade_again(service, empty_database):
    migrations.upgrade(service, empty_database)
    migrations.downgrade(service, empty_database, "base")
    assert migrations.owned_tables(service, empty_database) == set()
    assert migrations.current_revision(service, empty_database) is None
    migrations.upgrade(service, empty_database)
    _check_head(service, empty_database)
