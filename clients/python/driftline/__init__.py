"""Driftline's Python client.

>>> import driftline
>>> client = driftline.Client("127.0.0.1:50051", api_key="dl_...")
>>> client = driftline.Client("driftline.example.com:443", api_key="dl_...", tls=True)
>>> project_id = client.create_project(name="churn", description=None)

From an event loop, ``driftline.AsyncClient`` has the same methods as coroutines and async
iterators (see ``driftline.aio``):

>>> async with driftline.AsyncClient("127.0.0.1:50051", api_key="dl_...") as client:
...     project_id = await client.create_project(name="churn", description=None)
"""

from driftline._experiments import (
    Experiment,
    ExperimentModel,
    Iteration,
    MetricPoint,
    MetricsLogger,
    Module,
)
from driftline.types import SubscriptionPlanInfo
from driftline._python_models import PythonModel, PythonModelVersion, TrainingInput
from driftline._reports import TopicModelingReportDetails
from driftline.client import Client, Stubs
from driftline.aio import AsyncClient, AsyncMetricsLogger, AsyncPager, AsyncStubs
from driftline.errors import (
    AbortedError,
    AlreadyExistsError,
    CancelledError,
    DataLossError,
    DeadlineExceededError,
    DriftlineError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    JobFailureError,
    JobNotFoundError,
    JobWaitTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    TLSError,
    UnauthenticatedError,
    UnavailableError,
)

__all__ = [
    "AbortedError",
    "AlreadyExistsError",
    "AsyncClient",
    "AsyncMetricsLogger",
    "AsyncPager",
    "AsyncStubs",
    "CancelledError",
    "Client",
    "Stubs",
    "DataLossError",
    "DeadlineExceededError",
    "DriftlineError",
    "Experiment",
    "ExperimentModel",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "Iteration",
    "JobFailureError",
    "JobNotFoundError",
    "JobWaitTimeoutError",
    "MetricPoint",
    "MetricsLogger",
    "Module",
    "NotFoundError",
    "PermissionDeniedError",
    "PythonModel",
    "PythonModelVersion",
    "ResourceExhaustedError",
    "SubscriptionPlanInfo",
    "TLSError",
    "TopicModelingReportDetails",
    "TrainingInput",
    "UnauthenticatedError",
    "UnavailableError",
]
