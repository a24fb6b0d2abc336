"""Model runs' results: free-form information about runs of models, in a project.

Named as the model runs reference names them (``model_run_info``); a run's own id is
``model_run_id``, as every result of the client names its own id, and ``model_ids`` are the
task models (``model_id``) it is associated with, oldest association first.

Example:
    >>> run = client.get_model_run_by_id(run_id)
    >>> run.model_run_id, run.model_run_info
    ('5e1f...', {'auc': 0.91})
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from driftline.types._base import Result


class ModelRun(Result):
    """A run of a model: its information (a JSON object, a dict; integral numbers as ints),
    the name of the model that ran (None: none) and the models it is associated with.

    Example:
        >>> [run.model_run_info["auc"] for run in client.get_model_runs(project_id)]
        [0.91, 0.93]
    """

    model_run_id: str
    project_id: str
    model_name: str | None = None
    model_run_info: dict = Field(default_factory=dict)
    model_ids: list[str] = Field(default_factory=list)
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None
