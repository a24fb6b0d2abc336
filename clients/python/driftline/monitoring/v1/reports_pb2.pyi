import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskReportState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_REPORT_STATE_UNSPECIFIED: _ClassVar[TaskReportState]
    TASK_REPORT_STATE_PENDING: _ClassVar[TaskReportState]
    TASK_REPORT_STATE_COMPLETE: _ClassVar[TaskReportState]
    TASK_REPORT_STATE_FAILED: _ClassVar[TaskReportState]
TASK_REPORT_STATE_UNSPECIFIED: TaskReportState
TASK_REPORT_STATE_PENDING: TaskReportState
TASK_REPORT_STATE_COMPLETE: TaskReportState
TASK_REPORT_STATE_FAILED: TaskReportState

class TaskReportInfo(_message.Message):
    __slots__ = ("id", "task_id", "name", "state", "job_id", "from_time", "to_time", "create_time", "finish_time", "creator_id", "failure_message", "sample_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    task_id: str
    name: str
    state: TaskReportState
    job_id: str
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    creator_id: str
    failure_message: str
    sample_count: int
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., name: _Optional[str] = ..., state: _Optional[_Union[TaskReportState, str]] = ..., job_id: _Optional[str] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., creator_id: _Optional[str] = ..., failure_message: _Optional[str] = ..., sample_count: _Optional[int] = ...) -> None: ...

class Quantile(_message.Message):
    __slots__ = ("level", "value")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    level: float
    value: float
    def __init__(self, level: _Optional[float] = ..., value: _Optional[float] = ...) -> None: ...

class RagMetricSummary(_message.Message):
    __slots__ = ("metric", "description", "count", "mean", "minimum", "maximum", "quantiles", "share_below_threshold", "histogram_edges", "histogram_counts")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    MEAN_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    QUANTILES_FIELD_NUMBER: _ClassVar[int]
    SHARE_BELOW_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    HISTOGRAM_EDGES_FIELD_NUMBER: _ClassVar[int]
    HISTOGRAM_COUNTS_FIELD_NUMBER: _ClassVar[int]
    metric: str
    description: str
    count: int
    mean: float
    minimum: float
    maximum: float
    quantiles: _containers.RepeatedCompositeFieldContainer[Quantile]
    share_below_threshold: float
    histogram_edges: _containers.RepeatedScalarFieldContainer[float]
    histogram_counts: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, metric: _Optional[str] = ..., description: _Optional[str] = ..., count: _Optional[int] = ..., mean: _Optional[float] = ..., minimum: _Optional[float] = ..., maximum: _Optional[float] = ..., quantiles: _Optional[_Iterable[_Union[Quantile, _Mapping]]] = ..., share_below_threshold: _Optional[float] = ..., histogram_edges: _Optional[_Iterable[float]] = ..., histogram_counts: _Optional[_Iterable[int]] = ...) -> None: ...

class LlmJudge(_message.Message):
    __slots__ = ("credentials_id", "model", "provider", "model_version", "system_prompt", "user_prompt_template", "temperature", "endpoint_host", "judged_sample_count", "failed_sample_count")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_PROMPT_FIELD_NUMBER: _ClassVar[int]
    USER_PROMPT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_HOST_FIELD_NUMBER: _ClassVar[int]
    JUDGED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    model: str
    provider: str
    model_version: str
    system_prompt: str
    user_prompt_template: str
    temperature: float
    endpoint_host: str
    judged_sample_count: int
    failed_sample_count: int
    def __init__(self, credentials_id: _Optional[str] = ..., model: _Optional[str] = ..., provider: _Optional[str] = ..., model_version: _Optional[str] = ..., system_prompt: _Optional[str] = ..., user_prompt_template: _Optional[str] = ..., temperature: _Optional[float] = ..., endpoint_host: _Optional[str] = ..., judged_sample_count: _Optional[int] = ..., failed_sample_count: _Optional[int] = ...) -> None: ...

class RagEvaluationReport(_message.Message):
    __slots__ = ("info", "model_id", "threshold", "metrics", "judge", "judge_metrics")
    INFO_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    JUDGE_FIELD_NUMBER: _ClassVar[int]
    JUDGE_METRICS_FIELD_NUMBER: _ClassVar[int]
    info: TaskReportInfo
    model_id: str
    threshold: float
    metrics: _containers.RepeatedCompositeFieldContainer[RagMetricSummary]
    judge: LlmJudge
    judge_metrics: _containers.RepeatedCompositeFieldContainer[RagMetricSummary]
    def __init__(self, info: _Optional[_Union[TaskReportInfo, _Mapping]] = ..., model_id: _Optional[str] = ..., threshold: _Optional[float] = ..., metrics: _Optional[_Iterable[_Union[RagMetricSummary, _Mapping]]] = ..., judge: _Optional[_Union[LlmJudge, _Mapping]] = ..., judge_metrics: _Optional[_Iterable[_Union[RagMetricSummary, _Mapping]]] = ...) -> None: ...

class TopicTerm(_message.Message):
    __slots__ = ("term", "weight")
    TERM_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    term: str
    weight: float
    def __init__(self, term: _Optional[str] = ..., weight: _Optional[float] = ...) -> None: ...

class TopicPeriodShare(_message.Message):
    __slots__ = ("from_time", "to_time", "sample_count", "share")
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    sample_count: int
    share: float
    def __init__(self, from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sample_count: _Optional[int] = ..., share: _Optional[float] = ...) -> None: ...

class Topic(_message.Message):
    __slots__ = ("topic_id", "label", "terms", "sample_count", "share", "shares_over_time")
    TOPIC_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    SHARES_OVER_TIME_FIELD_NUMBER: _ClassVar[int]
    topic_id: int
    label: str
    terms: _containers.RepeatedCompositeFieldContainer[TopicTerm]
    sample_count: int
    share: float
    shares_over_time: _containers.RepeatedCompositeFieldContainer[TopicPeriodShare]
    def __init__(self, topic_id: _Optional[int] = ..., label: _Optional[str] = ..., terms: _Optional[_Iterable[_Union[TopicTerm, _Mapping]]] = ..., sample_count: _Optional[int] = ..., share: _Optional[float] = ..., shares_over_time: _Optional[_Iterable[_Union[TopicPeriodShare, _Mapping]]] = ...) -> None: ...

class TopicCountCandidate(_message.Message):
    __slots__ = ("topic_count", "coherence")
    TOPIC_COUNT_FIELD_NUMBER: _ClassVar[int]
    COHERENCE_FIELD_NUMBER: _ClassVar[int]
    topic_count: int
    coherence: float
    def __init__(self, topic_count: _Optional[int] = ..., coherence: _Optional[float] = ...) -> None: ...

class TopicModelingReport(_message.Message):
    __slots__ = ("info", "language", "topics", "coherence", "candidates", "unassigned_sample_count", "fitted_sample_count", "text_columns")
    INFO_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    COHERENCE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    FITTED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    TEXT_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    info: TaskReportInfo
    language: str
    topics: _containers.RepeatedCompositeFieldContainer[Topic]
    coherence: float
    candidates: _containers.RepeatedCompositeFieldContainer[TopicCountCandidate]
    unassigned_sample_count: int
    fitted_sample_count: int
    text_columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, info: _Optional[_Union[TaskReportInfo, _Mapping]] = ..., language: _Optional[str] = ..., topics: _Optional[_Iterable[_Union[Topic, _Mapping]]] = ..., coherence: _Optional[float] = ..., candidates: _Optional[_Iterable[_Union[TopicCountCandidate, _Mapping]]] = ..., unassigned_sample_count: _Optional[int] = ..., fitted_sample_count: _Optional[int] = ..., text_columns: _Optional[_Iterable[str]] = ...) -> None: ...
