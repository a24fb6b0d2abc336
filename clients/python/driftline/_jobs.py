"""JobsService operations of ``driftline.Client``: reading, listing, cancelling, watching and
waiting for jobs, and the "diagnostics" job that checks a deployment end to end.

Watching is resumable: every event carries a sequence number, and the iterators here reconnect
after a dropped connection and resume after the last sequence they saw, so no event is lost or
repeated. Statuses take the generated values (``job_pb2.JOB_STATUS_RUNNING``) or their names,
with or without the prefix (``"RUNNING"``), or ``driftline.enums.JobStatus`` members. Jobs and
their events are ``driftline.types.Job`` and ``JobEvent``.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterable, Iterator

from driftline import display
from driftline._enums import enum_values, names
from driftline._pagination import Pager
from driftline._watching import RECONNECT as _RECONNECT, Reconnector as _Reconnector
from driftline._watching import duration, resuming
from driftline.errors import (
    DeadlineExceededError,
    JobFailureError,
    JobNotFoundError,
    JobWaitTimeoutError,
    NotFoundError,
    UnavailableError,
)
from driftline.conversions import jobs as convert
from driftline.enums import JobEventType, JobStatus
from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb
from driftline.types.jobs import Job, JobEvent

_TERMINAL = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})


def _status_name(value: int) -> str:
    return job_pb2.JobStatus.Name(value).removeprefix("JOB_STATUS_") if value else ""


def _job_filter(project_id, task_id, model_id, status, job_group) -> pb.JobFilter:
    return pb.JobFilter(
        project_id=project_id or "", task_id=task_id or "", model_id=model_id or "",
        statuses=enum_values(job_pb2.JobStatus, status, "JOB_STATUS_"), types=names(job_group),
    )


class JobsMethods:
    """Mixed into ``driftline.Client``."""

    def get_job(self, job_id: str) -> Job:
        """The job with this id.

        Example:
            >>> job = client.get_job(job_id)
            >>> job.job_group, job.status == JobStatus.COMPLETED
        """
        return convert.job_from_proto(self._transport.call(
            self._jobs.GetJob, pb.GetJobRequest(job_id=job_id), idempotent=True
        ).job)

    def iter_jobs(
        self,
        project_id: str | None = None,
        task_id: str | None = None,
        model_id: str | None = None,
        status=None,
        job_group: str | Iterable[str] | None = None,
        *,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Pager[Job]:
        """The jobs ``get_jobs`` lists, fetched a page at a time as you iterate (at most
        ``limit`` of them).

        Example:
            >>> for job in client.iter_jobs(project_id=project_id, page_size=100, limit=500):
            ...     print(job.job_id, job.job_group, job.status.name)
        """
        return Pager(self._transport.call, self._jobs.ListJobs,
                     pb.ListJobsRequest(filter=_job_filter(project_id, task_id, model_id,
                                                           status, job_group)),
                     "jobs", convert.job_from_proto, page_size=page_size, limit=limit)

    def get_jobs(
        self,
        project_id: str | None = None,
        task_id: str | None = None,
        model_id: str | None = None,
        status=None,
        job_id: str | None = None,
        job_group: str | Iterable[str] | None = None,
    ) -> list[Job]:
        """The jobs you may see, newest first, filtered by project, task, model, status (one or
        several) and group (what the jobs do, one or several: "ingest_batch", "detect_drift", ...);
        ``job_id`` narrows it to that job.

        Example:
            >>> running = client.get_jobs(project_id=project_id, status="RUNNING")
            >>> detections = client.get_jobs(task_id=task_id, job_group="detect_drift")
        """
        if job_id is not None:
            job_filter = _job_filter(project_id, task_id, model_id, status, job_group)
            try:
                job = self.get_job(job_id)
            except NotFoundError:
                return []
            return [job for job in [job] if _matches(job, job_filter)]
        return list(self.iter_jobs(project_id, task_id, model_id, status, job_group))

    def show_jobs(self) -> None:
        """Print the jobs you may see as a table.

        Example:
            >>> client.show_jobs()
            ID  Group  Status  Progress  Project  Task  Attempt  Created
        """
        display.show(self.iter_jobs(), display.JOB_COLUMNS)

    def cancel_job(self, job_id: str) -> None:
        """Cancel a job: a queued job never starts; a running job is asked to stop and ends
        CANCELLED. Cancelling a finished job changes nothing.

        Example:
            >>> client.cancel_job(job_id)
        """
        self._transport.call(self._jobs.CancelJob, pb.CancelJobRequest(job_id=job_id),
                             idempotent=True)

    def submit_diagnostics_job(
        self,
        project_id: str | None = None,
        steps: int = 5,
        step_seconds: float = 0.2,
        fail: bool = False,
        failure_message: str = "",
        transient_failures: int = 0,
        max_attempts: int | None = None,
        request_id: str | None = None,
    ) -> str:
        """Submit a "diagnostics" job, which checks the job engine end to end: it goes through
        ``steps`` steps of ``step_seconds``, reporting progress after each; with ``fail`` it
        fails at the last step (reason DIAGNOSTICS_FAILURE), and its first
        ``transient_failures`` attempts fail with an error that is retried. Without a project
        it is a company-level job (COMPANY_OWNER or COMPANY_ADMIN). Returns the job id.

        Example:
            >>> job_id = client.submit_diagnostics_job(project_id, steps=3)
            >>> client.wait_job_completion(job_id)
        """
        step = duration(step_seconds)
        request = pb.SubmitDiagnosticsJobRequest(
            project_id=project_id or "", steps=steps, step_duration=step, fail=fail,
            failure_message=failure_message, transient_failures=transient_failures,
            max_attempts=max_attempts or 0, request_id=request_id or uuid.uuid4().hex,
        )
        # The request id makes a retried submission return the same job.
        return self._transport.call(
            self._jobs.SubmitDiagnosticsJob, request, idempotent=True
        ).job.id

    def watch_job(
        self,
        job_id: str,
        after_sequence: int = 0,
        timeout: float | None = None,
        reconnect_patience: float = 60.0,
    ) -> Iterator[JobEvent]:
        """The job's events (status changes, progress) after ``after_sequence``, ending after
        its terminal event; a finished job yields its history. Reconnects after a dropped
        connection and resumes after the last event seen; gives up after
        ``reconnect_patience`` seconds without a connection, or at ``timeout`` seconds
        (DeadlineExceededError).

        Example:
            >>> for event in client.watch_job(job_id):
            ...     print(event.sequence, event.event_type.name, event.status.name,
            ...           event.progress.fraction)
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        reconnector = _Reconnector(reconnect_patience)
        cursor = after_sequence
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise DeadlineExceededError(
                    "DEADLINE_EXCEEDED", f"watching job '{job_id}' took longer than {timeout} s"
                )
            try:
                for response in self._transport.stream(
                    self._jobs.WatchJob,
                    pb.WatchJobRequest(job_id=job_id, after_sequence=cursor),
                    timeout=remaining,
                ):
                    reconnector.succeeded()
                    if response.event.sequence <= cursor:
                        continue  # never repeat an event, whatever the server sends
                    event = convert.job_event_from_proto(response.event)
                    cursor = event.sequence
                    yield event
                    if event.status in _TERMINAL and (
                        event.event_type == JobEventType.STATUS_CHANGED
                    ):
                        return
                # The server ends the stream after the terminal event; an end without one is
                # a stream cut short: resume, unless the job had already finished.
                if self.get_job(job_id).status in _TERMINAL:
                    return
                raise UnavailableError("STREAM_ENDED", "the job's event stream ended early")
            except _RECONNECT as error:
                reconnector.wait_or_raise(error, deadline)

    def watch_jobs(
        self,
        project_id: str | None = None,
        task_id: str | None = None,
        model_id: str | None = None,
        status=None,
        job_group: str | Iterable[str] | None = None,
        after_sequence: int = 0,
        heartbeat_interval: float | None = None,
        include_heartbeats: bool = False,
        reconnect_patience: float = 60.0,
    ) -> Iterator[JobEvent]:
        """Events of every job you may see that matches the filters, from ``after_sequence``
        on (0: from now), until you stop iterating. Reconnects after a dropped connection and
        resumes after the last sequence seen (heartbeats included). Heartbeats are yielded only
        with ``include_heartbeats``.

        Example:
            >>> for event in client.watch_jobs(project_id=project_id, status="FAILED"):
            ...     print(event.job_id, event.job_group, event.error.reason)
        """
        job_filter = _job_filter(project_id, task_id, model_id, status, job_group)
        interval = duration(heartbeat_interval)
        for response, heartbeat in resuming(
            lambda cursor: self._transport.stream(
                self._jobs.WatchJobs,
                pb.WatchJobsRequest(filter=job_filter, after_sequence=cursor,
                                    heartbeat_interval=interval)),
            lambda response: (response.event.sequence,
                              response.event.type == job_pb2.JOB_EVENT_TYPE_HEARTBEAT),
            after_sequence, reconnect_patience,
        ):
            if include_heartbeats or not heartbeat:
                yield convert.job_event_from_proto(response.event)

    def wait_job_completion(
        self, job_id: str, max_wait_timeout: float = 3000, show_progress: bool | None = None
    ) -> Job:
        """Wait until the job finishes successfully and return it, following its events
        (WatchJob), not polling. ``show_progress`` draws a progress bar (tqdm) on stderr;
        by default only when stderr is a terminal.

        Raises:
            JobWaitTimeoutError: the job did not finish within ``max_wait_timeout`` seconds.
            JobNotFoundError: the job does not exist or is not visible to you.
            JobFailureError: the job ended FAILED (carrying its error) or CANCELLED.

        Example:
            >>> job_id = client.submit_diagnostics_job(project_id)
            >>> job = client.wait_job_completion(job_id, max_wait_timeout=600)
            >>> job.job_id, job.job_group, job.status.name
        """
        if show_progress is None:
            show_progress = sys.stderr.isatty()
        bar = _progress_bar(job_id) if show_progress else None
        terminal = None
        try:
            for event in self.watch_job(job_id, timeout=max_wait_timeout):
                if bar is not None:
                    bar.update_to(event)
                if event.status in _TERMINAL and event.event_type == JobEventType.STATUS_CHANGED:
                    terminal = event
        except DeadlineExceededError:
            raise JobWaitTimeoutError(job_id, max_wait_timeout) from None
        except NotFoundError as error:
            raise JobNotFoundError(
                error.error_code, error.error_message, metadata=error.metadata,
                rpc_error=error.rpc_error,
            ) from None
        finally:
            if bar is not None:
                bar.close()
        job = self.get_job(job_id)
        if terminal is None and job.status not in _TERMINAL:  # pragma: no cover - defensive
            raise JobWaitTimeoutError(job_id, max_wait_timeout)
        if job.status != JobStatus.COMPLETED:
            raise JobFailureError(job)
        return job


def _matches(job: Job, job_filter: pb.JobFilter) -> bool:
    return (
        (not job_filter.project_id or job.project_id == job_filter.project_id)
        and (not job_filter.task_id or job.task_id == job_filter.task_id)
        and (not job_filter.model_id or job.model_id == job_filter.model_id)
        and (not job_filter.statuses or job.status in job_filter.statuses)
        and (not job_filter.types or job.job_group in job_filter.types)
    )


class _ProgressBar:
    def __init__(self, bar):
        self._bar = bar

    def update_to(self, event: JobEvent) -> None:
        self._bar.n = round(event.progress.fraction * 100, 1)
        self._bar.set_postfix_str(
            f"{_status_name(event.status)} {event.progress.message}".strip(), refresh=False
        )
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def _progress_bar(job_id: str) -> _ProgressBar | None:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional: without it, waiting is silent
        return None
    return _ProgressBar(tqdm(total=100, desc=f"job {job_id[:8]}", unit="%", file=sys.stderr,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}"))
