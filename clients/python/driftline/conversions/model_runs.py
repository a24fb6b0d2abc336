"""Model runs' messages (driftline.catalog.v1 model_run.proto) to the client's results and back.

Example:
    >>> from driftline.conversions.model_runs import model_run_from_proto
    >>> model_run_from_proto(response.model_run).model_run_info
    {'auc': 0.91}
"""

from __future__ import annotations

from driftline.catalog.v1 import model_run_pb2
from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
from driftline.conversions._json import dict_to_struct, struct_to_dict
from driftline.types.model_runs import ModelRun


def model_run_from_proto(message: model_run_pb2.ModelRun) -> ModelRun:
    return ModelRun(
        model_run_id=message.id,
        project_id=message.project_id,
        model_name=text_or_none(message.model_name),
        model_run_info=struct_to_dict(message.info),
        model_ids=list(message.model_ids),
        creator_id=message.creator_id,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def model_run_to_proto(run: ModelRun) -> model_run_pb2.ModelRun:
    return model_run_pb2.ModelRun(
        id=run.model_run_id,
        project_id=run.project_id,
        model_name=run.model_name or "",
        info=dict_to_struct(run.model_run_info),
        model_ids=run.model_ids,
        creator_id=run.creator_id,
        create_time=to_timestamp(run.creation_datetime),
        update_time=to_timestamp(run.update_datetime),
    )
