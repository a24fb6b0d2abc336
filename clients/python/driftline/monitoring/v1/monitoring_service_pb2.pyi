import datetime

from driftline.monitoring.v1 import monitoring_pb2 as _monitoring_pb2
from driftline.monitoring.v1 import reports_pb2 as _reports_pb2
from driftline.monitoring.v1 import retraining_pb2 as _retraining_pb2
from driftline.monitoring.v1 import rules_pb2 as _rules_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SetModelReferenceRequest(_message.Message):
    __slots__ = ("model_id", "from_time", "to_time", "request_id", "suggestion_id", "batches_between_false_alarms")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_ID_FIELD_NUMBER: _ClassVar[int]
    BATCHES_BETWEEN_FALSE_ALARMS_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    request_id: str
    suggestion_id: str
    batches_between_false_alarms: float
    def __init__(self, model_id: _Optional[str] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., suggestion_id: _Optional[str] = ..., batches_between_false_alarms: _Optional[float] = ...) -> None: ...

class SetModelReferenceResponse(_message.Message):
    __slots__ = ("job_id", "reference")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    reference: _monitoring_pb2.ModelReference
    def __init__(self, job_id: _Optional[str] = ..., reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class GetModelReferenceRequest(_message.Message):
    __slots__ = ("model_id", "version")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    version: int
    def __init__(self, model_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class ListModelReferencesRequest(_message.Message):
    __slots__ = ("model_id", "page_size", "page_token")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    page_size: int
    page_token: str
    def __init__(self, model_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelReferencesResponse(_message.Message):
    __slots__ = ("references", "next_page_token")
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    references: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.ModelReference]
    next_page_token: str
    def __init__(self, references: _Optional[_Iterable[_Union[_monitoring_pb2.ModelReference, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CompleteModelReferenceRequest(_message.Message):
    __slots__ = ("reference_id", "sample_count", "labelled_sample_count", "quantities", "skipped_targets", "fitted")
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LABELLED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    QUANTITIES_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_TARGETS_FIELD_NUMBER: _ClassVar[int]
    FITTED_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    sample_count: int
    labelled_sample_count: int
    quantities: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.MonitoredQuantity]
    skipped_targets: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.SkippedTarget]
    fitted: bytes
    def __init__(self, reference_id: _Optional[str] = ..., sample_count: _Optional[int] = ..., labelled_sample_count: _Optional[int] = ..., quantities: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoredQuantity, _Mapping]]] = ..., skipped_targets: _Optional[_Iterable[_Union[_monitoring_pb2.SkippedTarget, _Mapping]]] = ..., fitted: _Optional[bytes] = ...) -> None: ...

class CompleteModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class FailModelReferenceRequest(_message.Message):
    __slots__ = ("reference_id", "failure_message", "sample_count")
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    failure_message: str
    sample_count: int
    def __init__(self, reference_id: _Optional[str] = ..., failure_message: _Optional[str] = ..., sample_count: _Optional[int] = ...) -> None: ...

class FailModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class GetMonitoringStatusRequest(_message.Message):
    __slots__ = ("task_id", "target", "metric", "feature", "model_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    target: _monitoring_pb2.MonitoringTarget
    metric: _monitoring_pb2.MonitoringMetric
    feature: str
    model_id: str
    def __init__(self, task_id: _Optional[str] = ..., target: _Optional[_Union[_monitoring_pb2.MonitoringTarget, str]] = ..., metric: _Optional[_Union[_monitoring_pb2.MonitoringMetric, str]] = ..., feature: _Optional[str] = ..., model_id: _Optional[str] = ...) -> None: ...

class GetMonitoringStatusResponse(_message.Message):
    __slots__ = ("status", "quantities")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    QUANTITIES_FIELD_NUMBER: _ClassVar[int]
    status: _monitoring_pb2.MonitoringQuantityStatus
    quantities: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.MonitoringQuantityStatus]
    def __init__(self, status: _Optional[_Union[_monitoring_pb2.MonitoringQuantityStatus, _Mapping]] = ..., quantities: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoringQuantityStatus, _Mapping]]] = ...) -> None: ...

class ListMonitoringStatusesRequest(_message.Message):
    __slots__ = ("task_id", "model_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    model_id: str
    def __init__(self, task_id: _Optional[str] = ..., model_id: _Optional[str] = ...) -> None: ...

class ListMonitoringStatusesResponse(_message.Message):
    __slots__ = ("statuses",)
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.MonitoringQuantityStatus]
    def __init__(self, statuses: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoringQuantityStatus, _Mapping]]] = ...) -> None: ...

class ListDetectionEventsRequest(_message.Message):
    __slots__ = ("task_id", "kpi_id", "model_id", "targets", "types", "severities", "from_time", "to_time", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    SEVERITIES_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    kpi_id: str
    model_id: str
    targets: _containers.RepeatedScalarFieldContainer[_monitoring_pb2.MonitoringTarget]
    types: _containers.RepeatedScalarFieldContainer[_monitoring_pb2.DetectionEventType]
    severities: _containers.RepeatedScalarFieldContainer[_monitoring_pb2.DetectionEventSeverity]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., kpi_id: _Optional[str] = ..., model_id: _Optional[str] = ..., targets: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoringTarget, str]]] = ..., types: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEventType, str]]] = ..., severities: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEventSeverity, str]]] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDetectionEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.DetectionEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SetDetectionEventUserFeedbackRequest(_message.Message):
    __slots__ = ("event_id", "user_feedback")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    user_feedback: bool
    def __init__(self, event_id: _Optional[str] = ..., user_feedback: _Optional[bool] = ...) -> None: ...

class SetDetectionEventUserFeedbackResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _monitoring_pb2.DetectionEvent
    def __init__(self, event: _Optional[_Union[_monitoring_pb2.DetectionEvent, _Mapping]] = ...) -> None: ...

class WatchDetectionEventsRequest(_message.Message):
    __slots__ = ("task_id", "project_id", "after_sequence", "heartbeat_interval")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    project_id: str
    after_sequence: int
    heartbeat_interval: _duration_pb2.Duration
    def __init__(self, task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., heartbeat_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchDetectionEventsResponse(_message.Message):
    __slots__ = ("event", "heartbeat", "sequence")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _monitoring_pb2.DetectionEvent
    heartbeat: bool
    sequence: int
    def __init__(self, event: _Optional[_Union[_monitoring_pb2.DetectionEvent, _Mapping]] = ..., heartbeat: _Optional[bool] = ..., sequence: _Optional[int] = ...) -> None: ...

class NotifyBatchCommittedRequest(_message.Message):
    __slots__ = ("batch_id", "task_id", "kind", "kpi_id", "project_id")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    task_id: str
    kind: str
    kpi_id: str
    project_id: str
    def __init__(self, batch_id: _Optional[str] = ..., task_id: _Optional[str] = ..., kind: _Optional[str] = ..., kpi_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class NotifyBatchCommittedResponse(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetDetectionContextRequest(_message.Message):
    __slots__ = ("task_id", "batch_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    batch_id: str
    def __init__(self, task_id: _Optional[str] = ..., batch_id: _Optional[str] = ...) -> None: ...

class ModelDetectionContext(_message.Message):
    __slots__ = ("model_id", "model_name", "model_version", "reference_id", "state_version", "state", "thresholds")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_name: str
    model_version: str
    reference_id: str
    state_version: int
    state: bytes
    thresholds: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.EvaluationMetricThreshold]
    def __init__(self, model_id: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[str] = ..., reference_id: _Optional[str] = ..., state_version: _Optional[int] = ..., state: _Optional[bytes] = ..., thresholds: _Optional[_Iterable[_Union[_monitoring_pb2.EvaluationMetricThreshold, _Mapping]]] = ...) -> None: ...

class GetDetectionContextResponse(_message.Message):
    __slots__ = ("models", "task_type", "id_column", "time_column", "columns_json")
    MODELS_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_COLUMN_FIELD_NUMBER: _ClassVar[int]
    TIME_COLUMN_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_JSON_FIELD_NUMBER: _ClassVar[int]
    models: _containers.RepeatedCompositeFieldContainer[ModelDetectionContext]
    task_type: str
    id_column: str
    time_column: str
    columns_json: str
    def __init__(self, models: _Optional[_Iterable[_Union[ModelDetectionContext, _Mapping]]] = ..., task_type: _Optional[str] = ..., id_column: _Optional[str] = ..., time_column: _Optional[str] = ..., columns_json: _Optional[str] = ...) -> None: ...

class GetReferenceFitRequest(_message.Message):
    __slots__ = ("reference_id",)
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    def __init__(self, reference_id: _Optional[str] = ...) -> None: ...

class GetReferenceFitResponse(_message.Message):
    __slots__ = ("fitted",)
    FITTED_FIELD_NUMBER: _ClassVar[int]
    fitted: bytes
    def __init__(self, fitted: _Optional[bytes] = ...) -> None: ...

class RecordDetectionRequest(_message.Message):
    __slots__ = ("reference_id", "batch_id", "expected_state_version", "state", "statuses", "events")
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_STATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    batch_id: str
    expected_state_version: int
    state: bytes
    statuses: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.MonitoringQuantityStatus]
    events: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.DetectionEvent]
    def __init__(self, reference_id: _Optional[str] = ..., batch_id: _Optional[str] = ..., expected_state_version: _Optional[int] = ..., state: _Optional[bytes] = ..., statuses: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoringQuantityStatus, _Mapping]]] = ..., events: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEvent, _Mapping]]] = ...) -> None: ...

class RecordDetectionResponse(_message.Message):
    __slots__ = ("recorded", "events")
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    recorded: bool
    events: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.DetectionEvent]
    def __init__(self, recorded: _Optional[bool] = ..., events: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEvent, _Mapping]]] = ...) -> None: ...

class CreateDetectionEventRuleRequest(_message.Message):
    __slots__ = ("rule", "request_id")
    RULE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    rule: _rules_pb2.DetectionEventRule
    request_id: str
    def __init__(self, rule: _Optional[_Union[_rules_pb2.DetectionEventRule, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateDetectionEventRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: _rules_pb2.DetectionEventRule
    def __init__(self, rule: _Optional[_Union[_rules_pb2.DetectionEventRule, _Mapping]] = ...) -> None: ...

class GetDetectionEventRuleRequest(_message.Message):
    __slots__ = ("rule_id",)
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ...) -> None: ...

class GetDetectionEventRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: _rules_pb2.DetectionEventRule
    def __init__(self, rule: _Optional[_Union[_rules_pb2.DetectionEventRule, _Mapping]] = ...) -> None: ...

class ListDetectionEventRulesRequest(_message.Message):
    __slots__ = ("task_id", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDetectionEventRulesResponse(_message.Message):
    __slots__ = ("rules", "next_page_token")
    RULES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[_rules_pb2.DetectionEventRule]
    next_page_token: str
    def __init__(self, rules: _Optional[_Iterable[_Union[_rules_pb2.DetectionEventRule, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateDetectionEventRuleRequest(_message.Message):
    __slots__ = ("rule", "update_mask")
    RULE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    rule: _rules_pb2.DetectionEventRule
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, rule: _Optional[_Union[_rules_pb2.DetectionEventRule, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateDetectionEventRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: _rules_pb2.DetectionEventRule
    def __init__(self, rule: _Optional[_Union[_rules_pb2.DetectionEventRule, _Mapping]] = ...) -> None: ...

class DeleteDetectionEventRuleRequest(_message.Message):
    __slots__ = ("rule_id",)
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ...) -> None: ...

class DeleteDetectionEventRuleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListActionDeliveriesRequest(_message.Message):
    __slots__ = ("event_id", "rule_id", "page_size", "page_token")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    rule_id: str
    page_size: int
    page_token: str
    def __init__(self, event_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListActionDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries", "next_page_token")
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[_rules_pb2.ActionDelivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[_rules_pb2.ActionDelivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetActionDeliveryPlanRequest(_message.Message):
    __slots__ = ("event_id", "rule_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    rule_id: str
    def __init__(self, event_id: _Optional[str] = ..., rule_id: _Optional[str] = ...) -> None: ...

class PlannedAction(_message.Message):
    __slots__ = ("action_index", "action_type", "config", "state", "attempts")
    ACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    ACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    action_index: int
    action_type: str
    config: _struct_pb2.Struct
    state: _rules_pb2.ActionDeliveryState
    attempts: int
    def __init__(self, action_index: _Optional[int] = ..., action_type: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., state: _Optional[_Union[_rules_pb2.ActionDeliveryState, str]] = ..., attempts: _Optional[int] = ...) -> None: ...

class GetActionDeliveryPlanResponse(_message.Message):
    __slots__ = ("event", "rule_name", "task_name", "actions")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RULE_NAME_FIELD_NUMBER: _ClassVar[int]
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    event: _monitoring_pb2.DetectionEvent
    rule_name: str
    task_name: str
    actions: _containers.RepeatedCompositeFieldContainer[PlannedAction]
    def __init__(self, event: _Optional[_Union[_monitoring_pb2.DetectionEvent, _Mapping]] = ..., rule_name: _Optional[str] = ..., task_name: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[PlannedAction, _Mapping]]] = ...) -> None: ...

class RecordActionDeliveryRequest(_message.Message):
    __slots__ = ("event_id", "rule_id", "action_index", "state", "attempts", "last_error", "outcome")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    rule_id: str
    action_index: int
    state: _rules_pb2.ActionDeliveryState
    attempts: int
    last_error: str
    outcome: str
    def __init__(self, event_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., action_index: _Optional[int] = ..., state: _Optional[_Union[_rules_pb2.ActionDeliveryState, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., outcome: _Optional[str] = ...) -> None: ...

class RecordActionDeliveryResponse(_message.Message):
    __slots__ = ("delivery",)
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _rules_pb2.ActionDelivery
    def __init__(self, delivery: _Optional[_Union[_rules_pb2.ActionDelivery, _Mapping]] = ...) -> None: ...

class ComputeRetrainingReportRequest(_message.Message):
    __slots__ = ("model_id", "request_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    request_id: str
    def __init__(self, model_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ComputeRetrainingReportResponse(_message.Message):
    __slots__ = ("job_id", "report")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    report: _retraining_pb2.RetrainingReport
    def __init__(self, job_id: _Optional[str] = ..., report: _Optional[_Union[_retraining_pb2.RetrainingReport, _Mapping]] = ...) -> None: ...

class GetRetrainingReportRequest(_message.Message):
    __slots__ = ("model_id", "report_id", "include_samples")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_SAMPLES_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    report_id: str
    include_samples: bool
    def __init__(self, model_id: _Optional[str] = ..., report_id: _Optional[str] = ..., include_samples: _Optional[bool] = ...) -> None: ...

class GetRetrainingReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _retraining_pb2.RetrainingReport
    def __init__(self, report: _Optional[_Union[_retraining_pb2.RetrainingReport, _Mapping]] = ...) -> None: ...

class ListRetrainingSuggestionsRequest(_message.Message):
    __slots__ = ("model_id", "model_version")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_version: str
    def __init__(self, model_id: _Optional[str] = ..., model_version: _Optional[str] = ...) -> None: ...

class ListRetrainingSuggestionsResponse(_message.Message):
    __slots__ = ("suggestions",)
    SUGGESTIONS_FIELD_NUMBER: _ClassVar[int]
    suggestions: _containers.RepeatedCompositeFieldContainer[_retraining_pb2.RetrainingSuggestion]
    def __init__(self, suggestions: _Optional[_Iterable[_Union[_retraining_pb2.RetrainingSuggestion, _Mapping]]] = ...) -> None: ...

class SetRetrainTriggerRequest(_message.Message):
    __slots__ = ("model_id", "trigger")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    trigger: _retraining_pb2.RetrainTrigger
    def __init__(self, model_id: _Optional[str] = ..., trigger: _Optional[_Union[_retraining_pb2.RetrainTrigger, _Mapping]] = ...) -> None: ...

class SetRetrainTriggerResponse(_message.Message):
    __slots__ = ("trigger",)
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    trigger: _retraining_pb2.RetrainTrigger
    def __init__(self, trigger: _Optional[_Union[_retraining_pb2.RetrainTrigger, _Mapping]] = ...) -> None: ...

class GetRetrainTriggerRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class GetRetrainTriggerResponse(_message.Message):
    __slots__ = ("trigger",)
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    trigger: _retraining_pb2.RetrainTrigger
    def __init__(self, trigger: _Optional[_Union[_retraining_pb2.RetrainTrigger, _Mapping]] = ...) -> None: ...

class TestRetrainTriggerRequest(_message.Message):
    __slots__ = ("model_id", "trigger")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    trigger: _retraining_pb2.RetrainTrigger
    def __init__(self, model_id: _Optional[str] = ..., trigger: _Optional[_Union[_retraining_pb2.RetrainTrigger, _Mapping]] = ...) -> None: ...

class DeleteRetrainTriggerRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class DeleteRetrainTriggerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TestRetrainTriggerResponse(_message.Message):
    __slots__ = ("outcome",)
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    outcome: str
    def __init__(self, outcome: _Optional[str] = ...) -> None: ...

class RetrainModelRequest(_message.Message):
    __slots__ = ("model_id", "request_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    request_id: str
    def __init__(self, model_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RetrainModelResponse(_message.Message):
    __slots__ = ("job_id", "report")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    report: _retraining_pb2.RetrainingReport
    def __init__(self, job_id: _Optional[str] = ..., report: _Optional[_Union[_retraining_pb2.RetrainingReport, _Mapping]] = ...) -> None: ...

class CompleteRetrainingReportRequest(_message.Message):
    __slots__ = ("report", "sample_ids", "weights")
    REPORT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_IDS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    report: _retraining_pb2.RetrainingReport
    sample_ids: _containers.RepeatedScalarFieldContainer[str]
    weights: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, report: _Optional[_Union[_retraining_pb2.RetrainingReport, _Mapping]] = ..., sample_ids: _Optional[_Iterable[str]] = ..., weights: _Optional[_Iterable[float]] = ...) -> None: ...

class CompleteRetrainingReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _retraining_pb2.RetrainingReport
    def __init__(self, report: _Optional[_Union[_retraining_pb2.RetrainingReport, _Mapping]] = ...) -> None: ...

class RecordRetrainTriggerRequest(_message.Message):
    __slots__ = ("report_id", "outcome", "fired")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    FIRED_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    outcome: str
    fired: bool
    def __init__(self, report_id: _Optional[str] = ..., outcome: _Optional[str] = ..., fired: _Optional[bool] = ...) -> None: ...

class RecordRetrainTriggerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RetrainFromEventRequest(_message.Message):
    __slots__ = ("event_id", "rule_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    rule_id: str
    def __init__(self, event_id: _Optional[str] = ..., rule_id: _Optional[str] = ...) -> None: ...

class RetrainFromEventResponse(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetKpiStatusRequest(_message.Message):
    __slots__ = ("kpi_id",)
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    kpi_id: str
    def __init__(self, kpi_id: _Optional[str] = ...) -> None: ...

class GetKpiStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: _monitoring_pb2.KpiMonitoringStatus
    def __init__(self, status: _Optional[_Union[_monitoring_pb2.KpiMonitoringStatus, _Mapping]] = ...) -> None: ...

class GetKpiDetectionStateRequest(_message.Message):
    __slots__ = ("kpi_id", "batch_id")
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    kpi_id: str
    batch_id: str
    def __init__(self, kpi_id: _Optional[str] = ..., batch_id: _Optional[str] = ...) -> None: ...

class GetKpiDetectionStateResponse(_message.Message):
    __slots__ = ("recorded", "state_version", "state")
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    STATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    recorded: bool
    state_version: int
    state: bytes
    def __init__(self, recorded: _Optional[bool] = ..., state_version: _Optional[int] = ..., state: _Optional[bytes] = ...) -> None: ...

class RecordKpiDetectionRequest(_message.Message):
    __slots__ = ("kpi_id", "batch_id", "expected_state_version", "state", "status", "events")
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_STATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    kpi_id: str
    batch_id: str
    expected_state_version: int
    state: bytes
    status: _monitoring_pb2.KpiMonitoringStatus
    events: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.DetectionEvent]
    def __init__(self, kpi_id: _Optional[str] = ..., batch_id: _Optional[str] = ..., expected_state_version: _Optional[int] = ..., state: _Optional[bytes] = ..., status: _Optional[_Union[_monitoring_pb2.KpiMonitoringStatus, _Mapping]] = ..., events: _Optional[_Iterable[_Union[_monitoring_pb2.DetectionEvent, _Mapping]]] = ...) -> None: ...

class RecordKpiDetectionResponse(_message.Message):
    __slots__ = ("recorded",)
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    recorded: bool
    def __init__(self, recorded: _Optional[bool] = ...) -> None: ...

class SetEvaluationMetricThresholdRequest(_message.Message):
    __slots__ = ("threshold",)
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    threshold: _monitoring_pb2.EvaluationMetricThreshold
    def __init__(self, threshold: _Optional[_Union[_monitoring_pb2.EvaluationMetricThreshold, _Mapping]] = ...) -> None: ...

class SetEvaluationMetricThresholdResponse(_message.Message):
    __slots__ = ("threshold",)
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    threshold: _monitoring_pb2.EvaluationMetricThreshold
    def __init__(self, threshold: _Optional[_Union[_monitoring_pb2.EvaluationMetricThreshold, _Mapping]] = ...) -> None: ...

class ListEvaluationMetricThresholdsRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class ListEvaluationMetricThresholdsResponse(_message.Message):
    __slots__ = ("thresholds",)
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    thresholds: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.EvaluationMetricThreshold]
    def __init__(self, thresholds: _Optional[_Iterable[_Union[_monitoring_pb2.EvaluationMetricThreshold, _Mapping]]] = ...) -> None: ...

class DeleteEvaluationMetricThresholdRequest(_message.Message):
    __slots__ = ("model_id", "evaluation_metric")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_METRIC_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    evaluation_metric: _monitoring_pb2.MonitoringEvaluationMetric
    def __init__(self, model_id: _Optional[str] = ..., evaluation_metric: _Optional[_Union[_monitoring_pb2.MonitoringEvaluationMetric, str]] = ...) -> None: ...

class DeleteEvaluationMetricThresholdResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ComputeRagEvaluationReportRequest(_message.Message):
    __slots__ = ("task_id", "report_name", "from_time", "to_time", "model_id", "threshold", "judge", "request_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_NAME_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    JUDGE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    report_name: str
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    model_id: str
    threshold: float
    judge: _reports_pb2.LlmJudge
    request_id: str
    def __init__(self, task_id: _Optional[str] = ..., report_name: _Optional[str] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., model_id: _Optional[str] = ..., threshold: _Optional[float] = ..., judge: _Optional[_Union[_reports_pb2.LlmJudge, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class ComputeRagEvaluationReportResponse(_message.Message):
    __slots__ = ("job_id", "report")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    report: _reports_pb2.RagEvaluationReport
    def __init__(self, job_id: _Optional[str] = ..., report: _Optional[_Union[_reports_pb2.RagEvaluationReport, _Mapping]] = ...) -> None: ...

class GetRagEvaluationReportRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class GetRagEvaluationReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _reports_pb2.RagEvaluationReport
    def __init__(self, report: _Optional[_Union[_reports_pb2.RagEvaluationReport, _Mapping]] = ...) -> None: ...

class ListRagEvaluationReportsRequest(_message.Message):
    __slots__ = ("task_id", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRagEvaluationReportsResponse(_message.Message):
    __slots__ = ("reports", "next_page_token")
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[_reports_pb2.RagEvaluationReport]
    next_page_token: str
    def __init__(self, reports: _Optional[_Iterable[_Union[_reports_pb2.RagEvaluationReport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ComputeTopicModelingReportRequest(_message.Message):
    __slots__ = ("task_id", "report_name", "from_time", "to_time", "min_topics", "max_topics", "request_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_NAME_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    MIN_TOPICS_FIELD_NUMBER: _ClassVar[int]
    MAX_TOPICS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    report_name: str
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    min_topics: int
    max_topics: int
    request_id: str
    def __init__(self, task_id: _Optional[str] = ..., report_name: _Optional[str] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., min_topics: _Optional[int] = ..., max_topics: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class ComputeTopicModelingReportResponse(_message.Message):
    __slots__ = ("job_id", "report")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    report: _reports_pb2.TopicModelingReport
    def __init__(self, job_id: _Optional[str] = ..., report: _Optional[_Union[_reports_pb2.TopicModelingReport, _Mapping]] = ...) -> None: ...

class GetTopicModelingReportRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class GetTopicModelingReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _reports_pb2.TopicModelingReport
    def __init__(self, report: _Optional[_Union[_reports_pb2.TopicModelingReport, _Mapping]] = ...) -> None: ...

class ListTopicModelingReportsRequest(_message.Message):
    __slots__ = ("task_id", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTopicModelingReportsResponse(_message.Message):
    __slots__ = ("reports", "next_page_token")
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[_reports_pb2.TopicModelingReport]
    next_page_token: str
    def __init__(self, reports: _Optional[_Iterable[_Union[_reports_pb2.TopicModelingReport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReadTaskReportSamplesRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class ReadTaskReportSamplesResponse(_message.Message):
    __slots__ = ("arrow_ipc",)
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    def __init__(self, arrow_ipc: _Optional[bytes] = ...) -> None: ...

class FinishTaskReportRequest(_message.Message):
    __slots__ = ("report_id", "state", "failure_message", "sample_count", "rag_evaluation", "topic_modeling")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    RAG_EVALUATION_FIELD_NUMBER: _ClassVar[int]
    TOPIC_MODELING_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    state: _reports_pb2.TaskReportState
    failure_message: str
    sample_count: int
    rag_evaluation: _reports_pb2.RagEvaluationReport
    topic_modeling: _reports_pb2.TopicModelingReport
    def __init__(self, report_id: _Optional[str] = ..., state: _Optional[_Union[_reports_pb2.TaskReportState, str]] = ..., failure_message: _Optional[str] = ..., sample_count: _Optional[int] = ..., rag_evaluation: _Optional[_Union[_reports_pb2.RagEvaluationReport, _Mapping]] = ..., topic_modeling: _Optional[_Union[_reports_pb2.TopicModelingReport, _Mapping]] = ...) -> None: ...

class FinishTaskReportResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: _reports_pb2.TaskReportInfo
    def __init__(self, info: _Optional[_Union[_reports_pb2.TaskReportInfo, _Mapping]] = ...) -> None: ...
