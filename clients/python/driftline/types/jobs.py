"""JobsService's results: jobs and their events, named as the monitoring platform's SDK names
them (``job_id``, ``job_group``, ``status``, ``error``).

A job's ``job_group`` is the kind of work it does, the pipeline the SDK's job submissions start
("ingest_batch", "detect_drift", "compute_retraining_report", "diagnostics", ...).

Example:
    >>> job = client.wait_job_completion(job_id)
    >>> job.job_id, job.job_group, job.status.name
"""

from __future__ import annotations

from datetime import datetime

from driftline.enums import JobEventType, JobStatus
from driftline.types._base import Result


class JobProgress(Result):
    """How far a running job has come: ``fraction`` from 0 to 1, and its current step."""

    fraction: float = 0.0
    message: str = ""


class JobError(Result):
    """Why a job (or one attempt of it) failed: a stable ``reason`` (e.g. DIAGNOSTICS_FAILURE),
    a ``message`` for people, and the job type's structured ``details`` when it has them."""

    reason: str
    message: str = ""
    details: dict | None = None


class DiagnosticsResult(Result):
    """What a "diagnostics" job produced."""

    steps_completed: int
    attempt: int
    worker_host: str = ""
    worker_address: str = ""


class DetectionResult(Result):
    """What a "detect_drift" job produced: the batch examined (``kind`` PRODUCTION, or TARGET
    for late targets), the models and samples examined and the events recorded."""

    batch_id: str
    kind: str
    model_count: int = 0
    event_count: int = 0
    sample_count: int = 0


class Job(Result):
    """A unit of long-running work.

    The SDK's fields: ``job_id``, ``job_group`` (what the job does), ``project_id``,
    ``task_id`` and ``model_id`` with their ``project_name``, ``task_name`` and
    ``model_name`` (None when the job does not concern one; a name is also None once what it
    names is deleted), ``status`` and ``error`` (None unless it FAILED). Driftline's own: ``progress``, ``company_id``, the
    times, ``attempt`` and ``max_attempts``, ``last_sequence`` (its last event, to resume
    ``watch_job`` after), ``cancel_requested``, and once COMPLETED the result of its type
    (``diagnostics_result``, ``detection_result``).

    Example:
        >>> job = client.get_job(job_id)
        >>> job.status == JobStatus.COMPLETED, job.error
        >>> job.project_name, job.task_name, job.model_name
    """

    job_id: str
    job_group: str
    status: JobStatus | int
    project_id: str | None = None
    task_id: str | None = None
    model_id: str | None = None
    project_name: str | None = None
    task_name: str | None = None
    model_name: str | None = None
    error: JobError | None = None
    progress: JobProgress = JobProgress()
    company_id: str | None = None
    creation_datetime: datetime | None = None
    start_datetime: datetime | None = None
    finish_datetime: datetime | None = None
    attempt: int = 0
    max_attempts: int = 0
    last_sequence: int = 0
    cancel_requested: bool = False
    diagnostics_result: DiagnosticsResult | None = None
    detection_result: DetectionResult | None = None


class JobEvent(Result):
    """One entry of the job event log (``watch_job``, ``watch_jobs``): ``event_type`` says
    what happened; ``status``, ``progress`` and ``error`` are the job's after it. ``sequence``
    grows across all jobs: resume a watch after the last one seen.

    Example:
        >>> for event in client.watch_job(job_id):
        ...     print(event.sequence, event.event_type.name, event.status.name)
    """

    sequence: int
    event_type: JobEventType | int
    job_id: str = ""
    job_group: str = ""
    status: JobStatus | int = 0
    progress: JobProgress = JobProgress()
    error: JobError | None = None
    attempt: int = 0
    message: str = ""
    event_datetime: datetime | None = None
    company_id: str | None = None
    project_id: str | None = None
    task_id: str | None = None
    model_id: str | None = None
