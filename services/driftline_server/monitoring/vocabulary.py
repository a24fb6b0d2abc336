"""Monitoring's words as the domain uses them (names without the proto prefixes)."""

from __future__ import annotations

import enum

# The job type that fits a model reference (monitoring/job_handlers.py).
REFERENCE_JOB = "set_model_reference"


class ReferenceState(enum.StrEnum):
    PENDING = "PENDING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class MonitoringTarget(enum.StrEnum):
    INPUT = "INPUT"
    CONCEPT = "CONCEPT"
    PREDICTION = "PREDICTION"
    INPUT_PREDICTION = "INPUT_PREDICTION"
    ERROR = "ERROR"
    USER_INPUT = "USER_INPUT"
    RETRIEVED_CONTEXT = "RETRIEVED_CONTEXT"
    USER_INPUT_RETRIEVED_CONTEXT = "USER_INPUT_RETRIEVED_CONTEXT"
    USER_INPUT_MODEL_OUTPUT = "USER_INPUT_MODEL_OUTPUT"
    MODEL_OUTPUT_RETRIEVED_CONTEXT = "MODEL_OUTPUT_RETRIEVED_CONTEXT"


class MonitoringMetric(enum.StrEnum):
    FEATURE = "FEATURE"
    TEXT_LENGTH = "TEXT_LENGTH"
    MODEL_ENTROPY = "MODEL_ENTROPY"
    LOG_LIKELIHOOD = "LOG_LIKELIHOOD"
