"""KPIs monitored like a target, against a real server: NOT_INITIALIZED until the KPI's first
values make its reference, then OK on values like them, DRIFT with events when they move, OK
again when they come back; who may read it."""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa
import pytest

import driftline
from conftest import wait_for_auth_cache
from driftline.monitoring.v1 import monitoring_pb2 as mpb
from harness import fails

START = 1_700_000_000.0
DAY = 86_400.0


class Kpi:
    def __init__(self, client: driftline.Client, project_id: str):
        self.client = client
        self.project_id = project_id
        self.kpi_id = client.create_kpi(project_id, "weekly revenue")
        self.clock = START
        self.rng = np.random.default_rng(0)
        self.batches = 0

    def add(self, count: int, level: float = 100.0) -> None:
        values = self.rng.normal(level, 5.0, count)
        table = pa.table({"timestamp": [self.clock + DAY * i for i in range(count)],
                          "value": values})
        self.clock += DAY * count
        self.client.wait_job_completion(
            self.client.add_kpi_data(self.project_id, self.kpi_id, table))
        self.batches += 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the batch's detection job
            jobs = self.client.get_jobs(project_id=self.project_id,
                                        job_group="detect_kpi_drift")
            if len(jobs) >= self.batches:
                for job in jobs:
                    self.client.wait_job_completion(job.job_id, max_wait_timeout=60)

                return
            time.sleep(0.1)
        raise AssertionError("the KPI batch was not detected")

    def status(self) -> int:
        return self.client.get_kpi_status(self.kpi_id).status


@pytest.fixture(scope="module")
def kpi(owner, project_id):
    return Kpi(owner, project_id)


def test_a_kpi_is_monitored_against_its_first_values(kpi):
    assert kpi.status() == mpb.KPI_STATUS_NOT_INITIALIZED
    kpi.add(20)
    status = kpi.client.get_kpi_status(kpi.kpi_id)
    assert status.status == mpb.KPI_STATUS_NOT_INITIALIZED
    assert (status.reference_value_count, status.required_value_count) == (20, 30)
    kpi.add(20)  # completes the reference, and 10 values are monitored
    status = kpi.client.get_kpi_status(kpi.kpi_id)
    assert status.status == mpb.KPI_STATUS_OK and status.reference_value_count == 30
    kpi.add(40)
    assert kpi.status() == mpb.KPI_STATUS_OK
    assert kpi.client.get_detection_events(kpi_id=kpi.kpi_id) == []

    kpi.add(40, level=80.0)  # revenue falls by four standard deviations
    assert kpi.status() == mpb.KPI_STATUS_DRIFT
    [event] = kpi.client.get_detection_events(kpi_id=kpi.kpi_id)
    assert event.event_type == mpb.DETECTION_EVENT_TYPE_DRIFT_ON and event.kpi_id == kpi.kpi_id
    assert event.severity_type == mpb.DETECTION_EVENT_SEVERITY_HIGH
    assert event.project_id == kpi.project_id and not event.task_id
    assert event.statistics["test"] == "ks" and event.statistics["effect_size"] > 1

    kpi.add(40)  # back to normal
    assert kpi.status() == mpb.KPI_STATUS_OK
    events = kpi.client.get_detection_events(kpi_id=kpi.kpi_id)
    assert [e.event_type for e in events] == [mpb.DETECTION_EVENT_TYPE_DRIFT_ON,
                                              mpb.DETECTION_EVENT_TYPE_DRIFT_OFF]


def test_who_may_read_a_kpi(company, other_company, kpi):
    viewer = company.member(project_roles={kpi.project_id: "PROJECT_VIEW"})
    wait_for_auth_cache()
    assert viewer.get_kpi_status(kpi.kpi_id).status == kpi.status()
    with fails(driftline.NotFoundError):
        other_company.get_kpi_status(kpi.kpi_id)
    with fails(driftline.NotFoundError):
        other_company.get_detection_events(kpi_id=kpi.kpi_id)
    with fails(driftline.InvalidArgumentError, "EVENTS_SCOPE_REQUIRED"):
        kpi.client.get_detection_events()
