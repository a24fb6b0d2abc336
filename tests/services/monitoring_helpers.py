"""Shared helpers of the Monitoring suites: a binary task whose model has a reference over
3000 labelled historical samples, and production batches added one at a time, each waited for
until its detection job has run."""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa

import driftline
from catalog_helpers import column
from data_helpers import START, make_task
from driftline.catalog.v1 import task_pb2
from driftline.types import Job
from driftline.monitoring.v1 import monitoring_pb2 as mpb
from driftline.types import DetectionEvent

HISTORY = 3000
BATCH = 1000
OK, WARNING, DRIFT = mpb.MONITORING_STATUS_OK, mpb.MONITORING_STATUS_WARNING, \
    mpb.MONITORING_STATUS_DRIFT


def samples(prefix: str, count: int, start: float, *, age_shift: float = 0.0,
            flip_labels: bool = False, seed: int = 0) -> dict[str, pa.Table]:
    """Inputs, targets and predictions of the binary schema: age ~ N(40, 10) (+ shift), plan
    pro with probability 0.3; the label is 'yes' above age 40 (the reverse with flip_labels),
    and the model predicts it from age, right 90% of the time."""
    rng = np.random.default_rng(seed)
    sample_ids = [f"{prefix}-{i:05d}" for i in range(count)]
    age = rng.normal(40.0, 10.0, count) + age_shift
    plan = np.where(rng.random(count) < 0.3, "pro", "basic")
    truth = (age > 40.0) ^ flip_labels
    labels = np.where(truth, "yes", "no")
    right = rng.random(count) < 0.9
    predicted = np.where((age > 40.0) == right, "yes", "no")
    probability = np.clip(1 / (1 + np.exp(-(age - 40.0) / 5)), 0.01, 0.99)
    return {
        "inputs": pa.table({"sample_id": sample_ids,
                            "timestamp": [start + i for i in range(count)],
                            "age": age, "plan": plan.tolist()}),
        "target": pa.table({"sample_id": sample_ids, "label": labels.tolist()}),
        "predictions": pa.table({"sample_id": sample_ids, "prediction": predicted.tolist(),
                                 "probability": probability}),
    }


def detection_jobs(client: driftline.Client, task_id: str) -> list[Job]:
    return client.get_jobs(task_id=task_id, job_group="detect_drift")


def wait_detections(client: driftline.Client, task_id: str, count: int,
                    timeout: float = 120) -> list[Job]:
    """Wait until ``count`` detection jobs of the task exist and every one has finished."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = detection_jobs(client, task_id)
        if len(jobs) >= count:
            return [client.wait_job_completion(job.job_id, max_wait_timeout=timeout)

                    for job in jobs]
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(jobs)} detection jobs of {count} after {timeout} s")
        time.sleep(0.1)


class Flow:
    """One task's story: history, reference, then production batches added one at a time."""

    def __init__(self, client: driftline.Client, task):
        self.client = client
        self.task = task
        self.batches = 0
        self.clock = START + 100_000

    def production(self, prefix: str, *, with_targets: bool = False, **shape) -> None:
        """Upload one production batch (with predictions) and wait for its detection."""
        data = samples(prefix, BATCH, self.clock, seed=self.batches + 1, **shape)
        self.clock += BATCH
        job_id = self.client.add_production_data(
            self.task.task_id, data["inputs"],
            target=data["target"] if with_targets else None,
            predictions=[(self.task.model_id, data["predictions"])])
        self.client.wait_job_completion(job_id, max_wait_timeout=120)
        self.batches += 1
        wait_detections(self.client, self.task.task_id, self.batches)
        self.last = data

    def status(self, target: str, metric=None, feature=None) -> int:
        return self.client.get_monitoring_status(self.task.task_id, target, metric,
                                                 feature=feature).status

    def events(self, **filters) -> list[DetectionEvent]:
        return self.client.get_detection_events(self.task.task_id, **filters)


def make_flow(owner: driftline.Client, project_id: str, name: str = "drifting") -> "Flow":
    """A task with its history and its model's reference."""
    task = make_task(owner, project_id, name=name)
    history = samples("hist", HISTORY, START)
    job_id = owner.add_historical_data(task.task_id, history["inputs"],
                                       target=history["target"],
                                       predictions=[(task.model_id, history["predictions"])])
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    job_id = owner.set_model_reference(task.model_id, START, START + HISTORY)
    owner.wait_job_completion(job_id, max_wait_timeout=180)
    return Flow(owner, task)


def event_bus(moto_endpoint: str):
    """An EventBridge bus on moto whose events land in an SQS queue; returns its name and a
    function that reads what arrived."""
    import json
    import uuid

    import boto3

    def aws(service):
        return boto3.client(service, endpoint_url=moto_endpoint, region_name="eu-west-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    name = f"driftline-{uuid.uuid4().hex[:8]}"
    events, sqs = aws("events"), aws("sqs")
    events.create_event_bus(Name=name)
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    events.put_rule(Name=f"{name}-all", EventBusName=name,
                    EventPattern=json.dumps({"source": ["driftline"]}))
    events.put_targets(Rule=f"{name}-all", EventBusName=name,
                       Targets=[{"Id": "queue", "Arn": queue_arn}])
    return name, lambda: sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                             WaitTimeSeconds=1).get("Messages", [])


def moto_server():
    """moto's AWS server on a free loopback port (start() and stop() it); its endpoint."""
    from moto.server import ThreadedMotoServer

    from harness import free_port

    port = free_port()
    return ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False), \
        f"http://127.0.0.1:{port}"


def make_rag_task(client: driftline.Client, project_id: str, separator: str,
                  name: str = "assistant") -> tuple[str, str]:
    """An English RAG task and its model, with a schema of sample_id, timestamp, user_input,
    retrieved_context (contexts joined by ``separator``), expected_answer (a nullable TARGET)
    and answer (the model's PREDICTION); returns (task_id, model_id)."""
    task_id = client.create_task(project_id, name, [], task_pb2.TASK_TYPE_RAG,
                                 task_pb2.DATA_STRUCTURE_TEXT,
                                 text_language=task_pb2.TEXT_LANGUAGE_ENGLISH,
                                 rag_contexts_separator=separator, optional_target=True)
    model_id = client.create_model(task_id=task_id, name=name, version="v1",
                                   with_probabilistic_output=False, metric_name=None)
    client.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("user_input", "USER_INPUT", "STRING"),
        column("retrieved_context", "RETRIEVED_CONTEXT", "STRING"),
        column("expected_answer", "TARGET", "STRING", nullable=True),
        column("answer", "PREDICTION", "STRING", model_id=model_id),
    ])
    return task_id, model_id
