"""Fixtures of the delivery tests: a detection event, and a recording HTTP endpoint."""

from __future__ import annotations

import pytest

from actions_endpoints import RecordingHTTPServer


@pytest.fixture
def event() -> dict:
    """A detection event as the monitoring service hands it to actions."""
    return {
        "event_id": "evt-0001",
        "task_id": "task-42",
        "task_name": "Churn",
        "model_id": "model-7",
        "model_name": "churn",
        "model_version": "2",
        "event_type": "DRIFT_ON",
        "monitoring_target": "INPUT",
        "monitoring_metric": "FEATURE",
        "feature": "age",
        "severity": "HIGH",
        "sample_id": "sample-991",
        "sample_time": "2026-05-01T12:00:00+00:00",
        "insert_time": "2026-05-01T12:00:01+00:00",
        "explanation": [
            {"column": "age", "statistic": 0.31, "p_value": 1.2e-05, "effect_size": 0.41},
            # A test that could not run leaves NaN: the JSON sent must still be valid.
            {"column": "income", "statistic": 0.12, "p_value": float("nan"),
             "effect_size": 0.05},
        ],
        "rule_id": "rule-3",
        "rule_name": "Churn drift",
    }


@pytest.fixture
def http_endpoint():
    """An HTTP server on 127.0.0.1 that records what it receives."""
    server = RecordingHTTPServer().start()
    try:
        yield server
    finally:
        server.stop()
