"""The Jobs service's own job type: "diagnostics", which proves the engine end to end."""

from __future__ import annotations

import time

from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import JobContext, JobFailure, worker_address, worker_host


class DiagnosticsTransientError(RuntimeError):
    """A failure staged by a diagnostics job to exercise retries."""


@job_handler("diagnostics")
def run_diagnostics(arguments: dict, context: JobContext) -> dict:
    """Go through ``steps`` steps of ``step_seconds`` each, reporting progress after each.

    ``transient_failures``: the first attempts fail with an error that is retried.
    ``fail``: fail for good at the last step (reason DIAGNOSTICS_FAILURE).
    ``steps`` 0 (internal submissions only) makes a no-op job, for measuring the engine itself.
    """
    steps = int(arguments.get("steps", 5))
    step_seconds = float(arguments.get("step_seconds", 0.2))
    if context.attempt <= int(arguments.get("transient_failures", 0)):
        raise DiagnosticsTransientError(f"staged transient failure of attempt {context.attempt}")
    if steps <= 0:
        return {"steps_completed": 0, "attempt": context.attempt, "worker_host": worker_host(),
                "worker_address": worker_address()}
    context.report_progress(0.0, f"starting {steps} steps")
    for step in range(1, steps + 1):
        time.sleep(step_seconds)
        if arguments.get("fail") and step == steps:
            raise JobFailure(
                "DIAGNOSTICS_FAILURE",
                arguments.get("failure_message") or f"staged failure at step {step} of {steps}",
            )
        context.report_progress(step / steps, f"step {step} of {steps}")
    return {"steps_completed": steps, "attempt": context.attempt, "worker_host": worker_host(),
            "worker_address": worker_address()}
