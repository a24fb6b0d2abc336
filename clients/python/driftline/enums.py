"""Driftline's enums as Python enums, one for each enum of the contracts (the same names: TaskType,
JobStatus, MonitoringTarget, ...), made from the generated descriptors so they never drift from
the protos.

Members are named without the proto prefix (``JobStatus.COMPLETED`` for
``JOB_STATUS_COMPLETED``), print as that name, and are ``IntEnum`` members with the proto's
numbers, so a result's
field compares equal to the generated constants too (``job.status ==
job_pb2.JOB_STATUS_COMPLETED``), and every method that takes an enum takes a member, its name
("COMPLETED") or the generated constant.

Example:
    >>> from driftline.enums import JobStatus, TaskType
    >>> JobStatus.COMPLETED.name, int(TaskType.REGRESSION)
    ('COMPLETED', 1)
"""

from __future__ import annotations

import enum

from driftline.catalog.v1 import data_schema_pb2
from driftline.catalog.v1 import experiment_pb2
from driftline.catalog.v1 import model_pb2
from driftline.catalog.v1 import model_session_pb2
from driftline.catalog.v1 import project_pb2
from driftline.catalog.v1 import python_model_pb2
from driftline.catalog.v1 import task_pb2
from driftline.common.v1 import money_pb2
from driftline.data.v1 import batch_pb2
from driftline.identity.v1 import api_key_pb2
from driftline.identity.v1 import integration_credentials_pb2
from driftline.identity.v1 import user_pb2
from driftline.jobs.v1 import job_pb2
from driftline.monitoring.v1 import monitoring_pb2
from driftline.monitoring.v1 import reports_pb2
from driftline.monitoring.v1 import retraining_pb2
from driftline.monitoring.v1 import rules_pb2


class ProtoEnum(enum.IntEnum):
    """An enum of the contracts: an int (the proto's number) that prints as its name."""

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)


def proto_enum(generated) -> type[ProtoEnum]:
    """The ProtoEnum of a generated proto enum, named as it is, members without its prefix."""
    descriptor = generated.DESCRIPTOR
    prefix = descriptor.values[0].name.removesuffix("UNSPECIFIED")
    made = ProtoEnum(descriptor.name, [(value.name.removeprefix(prefix), value.number)
                                       for value in descriptor.values])
    made.__module__ = __name__
    made.__doc__ = f"The contracts' {descriptor.full_name}."
    return made


def enum_member(enum_type: type[ProtoEnum], number: int) -> ProtoEnum | int:
    """The member of ``number``; a number this client does not know yet (a newer server's)
    is kept as an int rather than refused."""
    try:
        return enum_type(number)
    except ValueError:
        return number


ActionDeliveryState = proto_enum(rules_pb2.ActionDeliveryState)
ApiKeyExpirationTime = proto_enum(api_key_pb2.ApiKeyExpirationTime)
BatchKind = proto_enum(batch_pb2.BatchKind)
BatchState = proto_enum(batch_pb2.BatchState)
BuildLogLevel = proto_enum(model_session_pb2.BuildLogLevel)
BuiltModelType = proto_enum(model_session_pb2.BuiltModelType)
ColumnRole = proto_enum(data_schema_pb2.ColumnRole)
ColumnSubRole = proto_enum(data_schema_pb2.ColumnSubRole)
CompanyRole = proto_enum(user_pb2.CompanyRole)
CpuSize = proto_enum(python_model_pb2.CpuSize)
Currency = proto_enum(money_pb2.Currency)
DataFormat = proto_enum(batch_pb2.DataFormat)
DataStructure = proto_enum(task_pb2.DataStructure)
DataType = proto_enum(data_schema_pb2.DataType)
DetectionEventActionType = proto_enum(rules_pb2.DetectionEventActionType)
DetectionEventSeverity = proto_enum(monitoring_pb2.DetectionEventSeverity)
DetectionEventType = proto_enum(monitoring_pb2.DetectionEventType)
ExternalIntegration = proto_enum(integration_credentials_pb2.ExternalIntegration)
JobEventType = proto_enum(job_pb2.JobEventType)
JobStatus = proto_enum(job_pb2.JobStatus)
KpiStatus = proto_enum(monitoring_pb2.KpiStatus)
ModelCodeFailure = proto_enum(python_model_pb2.ModelCodeFailure)
ModelMetricName = proto_enum(model_pb2.ModelMetricName)
ModelReferenceState = proto_enum(monitoring_pb2.ModelReferenceState)
ModelSessionCategory = proto_enum(model_session_pb2.ModelSessionCategory)
ModelSessionEventType = proto_enum(model_session_pb2.ModelSessionEventType)
ModelSessionState = proto_enum(model_session_pb2.ModelSessionState)
ModelSessionView = proto_enum(model_session_pb2.ModelSessionView)
MonitoringEvaluationMetric = proto_enum(monitoring_pb2.MonitoringEvaluationMetric)
MonitoringMetric = proto_enum(monitoring_pb2.MonitoringMetric)
MonitoringStatus = proto_enum(monitoring_pb2.MonitoringStatus)
MonitoringTarget = proto_enum(monitoring_pb2.MonitoringTarget)
PartKind = proto_enum(batch_pb2.PartKind)
Phase = proto_enum(experiment_pb2.Phase)
ProjectRole = proto_enum(user_pb2.ProjectRole)
PythonModelVersionStatus = proto_enum(python_model_pb2.PythonModelVersionStatus)
RetrainingReportState = proto_enum(retraining_pb2.RetrainingReportState)
StoragePolicy = proto_enum(project_pb2.StoragePolicy)
SuggestionType = proto_enum(model_pb2.SuggestionType)
TaskReportState = proto_enum(reports_pb2.TaskReportState)
TaskType = proto_enum(task_pb2.TaskType)
TextLanguage = proto_enum(task_pb2.TextLanguage)
TrainingDataKind = proto_enum(python_model_pb2.TrainingDataKind)
