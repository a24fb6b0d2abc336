"""Who may see and change what in Monitoring: everything belongs to a task (through its model,
reference, rule or event), and the task's project decides, by the platform's role rules."""

from __future__ import annotations

from driftline_server.catalog.remote import CatalogModels, CatalogTasks, ModelInfo, TaskInfo
from driftline_server.platform.errors import not_found
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import require_id


async def visible_task(catalog: CatalogTasks, caller: Caller, task_id: str, needed: ProjectRole,
                       action: str, kind: str = "task", shown_id: str | None = None) -> TaskInfo:
    """The task, once the caller may do ``action`` on it; NOT_FOUND (naming ``kind`` and
    ``shown_id``: the model, rule... the caller asked for) when it is another company's or
    does not exist."""
    require_id(task_id, "task_id")
    task = await catalog.get_task(task_id)
    if task is None or not caller.sees_company(task.company_id):
        raise not_found(kind, shown_id or task_id)
    caller.require_project_role(task.project_id, task.company_id, needed, action)
    return task


async def visible_model(catalog: CatalogModels, caller: Caller, model_id: str,
                        needed: ProjectRole, action: str) -> tuple[ModelInfo, TaskInfo]:
    """The model version and its task, once the caller may do ``action`` on it; NOT_FOUND
    (MODEL_NOT_FOUND) when it is another company's or does not exist."""
    require_id(model_id, "model_id")
    model = await catalog.get_model(model_id)
    if model is None:
        raise not_found("model", model_id)
    task = await visible_task(catalog, caller, model.task_id, needed, action, kind="model",
                              shown_id=model_id)
    return model, task
