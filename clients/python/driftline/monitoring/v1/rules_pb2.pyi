import datetime

from driftline.monitoring.v1 import monitoring_pb2 as _monitoring_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DetectionEventActionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DETECTION_EVENT_ACTION_TYPE_UNSPECIFIED: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_SLACK_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_DISCORD_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_TEAMS_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_WEBHOOK: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_EMAIL_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_MQTT_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_AWS_EVENT_BRIDGE_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_GCP_PUBSUB_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_AZURE_EVENT_GRID_NOTIFICATION: _ClassVar[DetectionEventActionType]
    DETECTION_EVENT_ACTION_TYPE_RETRAIN: _ClassVar[DetectionEventActionType]

class ActionDeliveryState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTION_DELIVERY_STATE_UNSPECIFIED: _ClassVar[ActionDeliveryState]
    ACTION_DELIVERY_STATE_PENDING: _ClassVar[ActionDeliveryState]
    ACTION_DELIVERY_STATE_DELIVERED: _ClassVar[ActionDeliveryState]
    ACTION_DELIVERY_STATE_FAILED: _ClassVar[ActionDeliveryState]
DETECTION_EVENT_ACTION_TYPE_UNSPECIFIED: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_SLACK_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_DISCORD_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_TEAMS_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_WEBHOOK: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_EMAIL_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_MQTT_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_AWS_EVENT_BRIDGE_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_GCP_PUBSUB_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_AZURE_EVENT_GRID_NOTIFICATION: DetectionEventActionType
DETECTION_EVENT_ACTION_TYPE_RETRAIN: DetectionEventActionType
ACTION_DELIVERY_STATE_UNSPECIFIED: ActionDeliveryState
ACTION_DELIVERY_STATE_PENDING: ActionDeliveryState
ACTION_DELIVERY_STATE_DELIVERED: ActionDeliveryState
ACTION_DELIVERY_STATE_FAILED: ActionDeliveryState

class SlackNotificationAction(_message.Message):
    __slots__ = ("webhook_url", "channel")
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    webhook_url: str
    channel: str
    def __init__(self, webhook_url: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class DiscordNotificationAction(_message.Message):
    __slots__ = ("webhook_url",)
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    webhook_url: str
    def __init__(self, webhook_url: _Optional[str] = ...) -> None: ...

class TeamsNotificationAction(_message.Message):
    __slots__ = ("webhook_url",)
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    webhook_url: str
    def __init__(self, webhook_url: _Optional[str] = ...) -> None: ...

class WebhookAction(_message.Message):
    __slots__ = ("url", "secret", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    URL_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    url: str
    secret: str
    headers: _containers.ScalarMap[str, str]
    def __init__(self, url: _Optional[str] = ..., secret: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class EmailNotificationAction(_message.Message):
    __slots__ = ("addresses",)
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class MqttNotificationAction(_message.Message):
    __slots__ = ("connection_string", "topic", "payload")
    CONNECTION_STRING_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    connection_string: str
    topic: str
    payload: str
    def __init__(self, connection_string: _Optional[str] = ..., topic: _Optional[str] = ..., payload: _Optional[str] = ...) -> None: ...

class AwsEventBridgeNotificationAction(_message.Message):
    __slots__ = ("credentials_id", "aws_region_name", "event_bus_name")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    AWS_REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_BUS_NAME_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    aws_region_name: str
    event_bus_name: str
    def __init__(self, credentials_id: _Optional[str] = ..., aws_region_name: _Optional[str] = ..., event_bus_name: _Optional[str] = ...) -> None: ...

class GcpPubSubNotificationAction(_message.Message):
    __slots__ = ("credentials_id", "project_id", "topic_name")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_NAME_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    project_id: str
    topic_name: str
    def __init__(self, credentials_id: _Optional[str] = ..., project_id: _Optional[str] = ..., topic_name: _Optional[str] = ...) -> None: ...

class AzureEventGridNotificationAction(_message.Message):
    __slots__ = ("credentials_id", "topic_endpoint")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    topic_endpoint: str
    def __init__(self, credentials_id: _Optional[str] = ..., topic_endpoint: _Optional[str] = ...) -> None: ...

class RetrainAction(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DetectionEventAction(_message.Message):
    __slots__ = ("slack", "discord", "teams", "webhook", "email", "mqtt", "aws_event_bridge", "gcp_pubsub", "azure_event_grid", "retrain")
    SLACK_FIELD_NUMBER: _ClassVar[int]
    DISCORD_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    MQTT_FIELD_NUMBER: _ClassVar[int]
    AWS_EVENT_BRIDGE_FIELD_NUMBER: _ClassVar[int]
    GCP_PUBSUB_FIELD_NUMBER: _ClassVar[int]
    AZURE_EVENT_GRID_FIELD_NUMBER: _ClassVar[int]
    RETRAIN_FIELD_NUMBER: _ClassVar[int]
    slack: SlackNotificationAction
    discord: DiscordNotificationAction
    teams: TeamsNotificationAction
    webhook: WebhookAction
    email: EmailNotificationAction
    mqtt: MqttNotificationAction
    aws_event_bridge: AwsEventBridgeNotificationAction
    gcp_pubsub: GcpPubSubNotificationAction
    azure_event_grid: AzureEventGridNotificationAction
    retrain: RetrainAction
    def __init__(self, slack: _Optional[_Union[SlackNotificationAction, _Mapping]] = ..., discord: _Optional[_Union[DiscordNotificationAction, _Mapping]] = ..., teams: _Optional[_Union[TeamsNotificationAction, _Mapping]] = ..., webhook: _Optional[_Union[WebhookAction, _Mapping]] = ..., email: _Optional[_Union[EmailNotificationAction, _Mapping]] = ..., mqtt: _Optional[_Union[MqttNotificationAction, _Mapping]] = ..., aws_event_bridge: _Optional[_Union[AwsEventBridgeNotificationAction, _Mapping]] = ..., gcp_pubsub: _Optional[_Union[GcpPubSubNotificationAction, _Mapping]] = ..., azure_event_grid: _Optional[_Union[AzureEventGridNotificationAction, _Mapping]] = ..., retrain: _Optional[_Union[RetrainAction, _Mapping]] = ...) -> None: ...

class DetectionEventRule(_message.Message):
    __slots__ = ("id", "name", "task_id", "project_id", "model_name", "severity", "detection_event_type", "monitoring_target", "monitoring_metric", "actions", "creator_id", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    DETECTION_EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MONITORING_TARGET_FIELD_NUMBER: _ClassVar[int]
    MONITORING_METRIC_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    task_id: str
    project_id: str
    model_name: str
    severity: _monitoring_pb2.DetectionEventSeverity
    detection_event_type: _monitoring_pb2.DetectionEventType
    monitoring_target: _monitoring_pb2.MonitoringTarget
    monitoring_metric: _monitoring_pb2.MonitoringMetric
    actions: _containers.RepeatedCompositeFieldContainer[DetectionEventAction]
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., model_name: _Optional[str] = ..., severity: _Optional[_Union[_monitoring_pb2.DetectionEventSeverity, str]] = ..., detection_event_type: _Optional[_Union[_monitoring_pb2.DetectionEventType, str]] = ..., monitoring_target: _Optional[_Union[_monitoring_pb2.MonitoringTarget, str]] = ..., monitoring_metric: _Optional[_Union[_monitoring_pb2.MonitoringMetric, str]] = ..., actions: _Optional[_Iterable[_Union[DetectionEventAction, _Mapping]]] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ActionDelivery(_message.Message):
    __slots__ = ("event_id", "rule_id", "action_index", "action_type", "state", "attempts", "last_error", "outcome", "job_id", "create_time", "last_attempt_time")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    ACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    rule_id: str
    action_index: int
    action_type: DetectionEventActionType
    state: ActionDeliveryState
    attempts: int
    last_error: str
    outcome: str
    job_id: str
    create_time: _timestamp_pb2.Timestamp
    last_attempt_time: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., action_index: _Optional[int] = ..., action_type: _Optional[_Union[DetectionEventActionType, str]] = ..., state: _Optional[_Union[ActionDeliveryState, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., outcome: _Optional[str] = ..., job_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_attempt_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
