"""Shared helpers of the Data suites: a binary-classification task with a schema and a model,
sample tables that fit it, and reading a failed ingestion's problems."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

import driftline
from catalog_helpers import accuracy_model, binary_schema, binary_task
from driftline.jobs.v1 import job_pb2
from driftline.types import Job


START = 1_700_000_000.0  # the first sample's time, seconds since the epoch


@dataclass
class Task:
    client: driftline.Client
    project_id: str
    task_id: str
    model_id: str


def make_task(client: driftline.Client, project_id: str, name: str = "churn") -> Task:
    task_id = binary_task(client, project_id, name=name)
    model_id = accuracy_model(client, task_id)
    client.add_data_schema(task_id, binary_schema(model_id))
    return Task(client, project_id, task_id, model_id)


def inputs(ids: list[str], start: float = START, **overrides) -> pa.Table:
    """Inputs of the binary schema: sample_id, timestamp, age, plan."""
    count = len(ids)
    columns = {
        "sample_id": ids,
        "timestamp": [start + i for i in range(count)],
        "age": [20.0 + i % 50 for i in range(count)],
        "plan": ["basic" if i % 3 else "pro" for i in range(count)],
    }
    columns.update(overrides)
    return pa.table(columns)


def target(ids: list[str], labels: list[str] | None = None) -> pa.Table:
    return pa.table({"sample_id": ids,
                     "label": labels or ["yes" if i % 2 else "no" for i in range(len(ids))]})


def predictions(ids: list[str]) -> pa.Table:
    return pa.table({"sample_id": ids,
                     "prediction": ["yes" if i % 4 else "no" for i in range(len(ids))],
                     "probability": [0.25 + (i % 2) * 0.5 for i in range(len(ids))]})


def ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{i:05d}" for i in range(count)]


def failed_job(client: driftline.Client, job_id: str) -> Job:
    """Wait for a job that must fail; returns it (its error carries the problems)."""
    try:
        client.wait_job_completion(job_id, max_wait_timeout=120)
    except driftline.JobFailureError:
        pass
    else:
        raise AssertionError(f"job {job_id} completed, but it should have failed")
    job = client.get_job(job_id)
    assert job.status == job_pb2.JOB_STATUS_FAILED, job
    return job


def problems_of(job: Job) -> dict[str, dict]:
    """The problems a failed ingestion found, by code."""
    details = job.error.details or {}
    return {problem["code"]: problem for problem in details.get("problems", [])}

