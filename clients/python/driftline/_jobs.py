"""JobsService operations of ``driftline.Client``: reading, listing, cancelling, watching and
waiting for jobs, and the "diagnostics" job that checks a deployment end to end.

Watching is resumable: every event carries a sequence number, and the iterators here reconnect
after a dropped connection and resume after the last sequence they saw, so no event is lost or
repeated. Statuses take the generated values (``job_pb2.JOB_STATUS_RUNNING``) or their names,
with or without the prefix (``"RUNNING"``).
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterable, Iterator

from driftline._enums import enum_values, names
from driftline._pagination import Pager
from driftline.display import print_table, time_cell
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
from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb

_TERMINAL = frozenset(
    {job_pb2.JOB_STATUS_COMPLETED, job_pb2.JOB_STATUS_FAILED, job_pb2.JOB_STATUS_CANCELLED}
)


def _status_name(value: int) -> str:
    return job_pb2.JobStatus.Name(value).removeprefix("JOB_STATUS_") if value else ""



class JobsMethods:
    """Mixed into ``driftline.Client``."""

    def get_job(self, job_id: str) -> job_pb2.Job:
        """The job with this id.

        Example:
            >>> job = client.get_job(job_id)
            >>> job.status == job_pb2.JOB_STATUS_COMPLETED
        """
        return self._transport.call(
            self._jobs.GetJob, pb.GetJobRequest(job_id=job_id), idempotent=True
        ).job

    def _iter_jobs(self, job_filter: pb.JobFilter, page_size: int = 0) -> Iterator[job_pb2.Job]:
        return Pager(self._transport.call, self._jobs.ListJobs,
                     pb.ListJobsRequest(filter=job_filter), "jobs", page_size=page_size)

    def get_jobs(
        self,
        project_id: str | None = None,
        task_id: str | None = None,
        model_id: str | None = None,
        status=None,
        job_id: str | None = None,
        job_type: str | Iterable[str] | None = None,
    ) -> list[job_pb2.Job]:
        """The jobs you may see, newest first, filtered by project, task, model, status (one or
        several) and type; ``job_id`` narrows it to that job.

        Example:
            >>> running = client.get_jobs(project_id=project_id, status="RUNNING")
        """
        job_filter = pb.JobFilter(
            project_id=project_id or "", task_id=task_id or "", model_id=model_id or "",
            statuses=enum_values(job_pb2.JobStatus, status, "JOB_STATUS_"), types=names(job_type),
        )
        if job_id is not None:
            try:
                job = self.get_job(job_id)
            except NotFoundError:
                return []
            return [job for job in [job] if _matches(job, job_filter)]
        return list(self._iter_jobs(job_filter))

    def show_jobs(self) -> None:
        """Print the jobs you may see as a table.

        Example:
            >>> client.show_jobs()
            ID  Type  Status  Progress  Project  Attempt  Created
        """
        print_table(
            ["ID", "Type", "Status", "Progress", "Project", "Attempt", "Created"],
            [
                [job.id, job.type, _status_name(job.status),
                 f"{job.progress.fraction:.0%}", job.project_id, job.attempt,
                 time_cell(job.create_time)]
                for job in self._iter_jobs(pb.JobFilter())
            ],
        )

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
    ) -> Iterator[job_pb2.JobEvent]:
        """The job's events (status changes, progress) after ``after_sequence``, ending after
        its terminal event; a finished job yields its history. Reconnects after a dropped
        connection and resumes after the last event seen; gives up after
        ``reconnect_patience`` seconds without a connection, or at ``timeout`` seconds
        (DeadlineExceededError).

        Example:
            >>> for event in client.watch_job(job_id):
            ...     print(event.sequence, event.status, event.progress.fraction)
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
                    event = response.event
                    if event.sequence <= cursor:
                        continue  # never repeat an event, whatever the server sends
                    cursor = event.sequence
                    yield event
                    if event.status in _TERMINAL and (
                        event.type == job_pb2.JOB_EVENT_TYPE_STATUS_CHANGED
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
        job_type: str | Iterable[str] | None = None,
        after_sequence: int = 0,
        heartbeat_interval: float | None = None,
        include_heartbeats: bool = False,
        reconnect_patience: float = 60.0,
    ) -> Iterator[job_pb2.JobEvent]:
        """Events of every job you may see that matches the filters, from ``after_sequence``
        on (0: from now), until you stop iterating. Reconnects after a dropped connection and
        resumes after the last sequence seen (heartbeats included). Heartbeats are yielded only
        with ``include_heartbeats``.

        Example:
            >>> for event in client.watch_jobs(project_id=project_id, status="FAILED"):
            ...     print(event.job_id, event.error.reason)
        """
        job_filter = pb.JobFilter(
            project_id=project_id or "", task_id=task_id or "", model_id=model_id or "",
            statuses=enum_values(job_pb2.JobStatus, status, "JOB_STATUS_"), types=names(job_type),
        )
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
                yield response.event

    def wait_job_completion(
        self, job_id: str, max_wait_timeout: float = 3000, show_progress: bool | None = None
    ) -> job_pb2.Job:
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
        """
        if show_progress is None:
            show_progress = sys.stderr.isatty()
        bar = _progress_bar(job_id) if show_progress else None
        terminal = None
        try:
            for event in self.watch_job(job_id, timeout=max_wait_timeout):
                if bar is not None:
                    bar.update_to(event)
                if event.status in _TERMINAL and event.type == job_pb2.JOB_EVENT_TYPE_STATUS_CHANGED:
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
        if job.status != job_pb2.JOB_STATUS_COMPLETED:
            raise JobFailureError(job)
        return job


def _matches(job: job_pb2.Job, job_filter: pb.JobFilter) -> bool:
    return (
        (not job_filter.project_id or job.project_id == job_filter.project_id)
        and (not job_filter.task_id or job.task_id == job_filter.task_id)
        and (not job_filter.model_id or job.model_id == job_filter.model_id)
        and (not job_filter.statuses or job.status in job_filter.statuses)
        and (not job_filter.types or job.type in job_filter.types)
    )


class _ProgressBar:
    def __init__(self, bar):
        self._bar = bar

    def update_to(self, event: job_pb2.JobEvent) -> None:
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
