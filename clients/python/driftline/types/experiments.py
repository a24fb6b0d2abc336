"""Experiment tracking's results: experiments, their models (by hash), and what a model owns:
iterations, metric points and modules.

A result's own id is ``<type>_id`` (``experiment_id``, ``experiment_model_id``, ...), as every
result of the client names it; what an experiment model owns names it ``experiment_model_id``
(``model_id`` is the id of a task's Model everywhere in the client). The other fields are named
as the experiment tracking reference names them (``hash``, ``name``, ``description``, ``step``).

Example:
    >>> from driftline.types import MetricPoint, Module
    >>> point = MetricPoint(model.experiment_model_id, "loss", 0.42, "TRAINING", step=3)
    >>> point.phase
    <Phase.TRAINING: 1>
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from driftline.enums import Phase
from driftline.types._base import Result
from driftline.types._fields import Positional, enum_field

PhaseField = enum_field(Phase)


class Experiment(Result):
    """An experiment: a namespace of models in a project.

    Example:
        >>> client.get_experiment(experiment_id).name
        'resnet-sweep'
    """

    experiment_id: str
    project_id: str
    name: str
    description: str | None = None
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


class ExperimentModel(Result):
    """A model of an experiment: ``hash`` is unique in its experiment, ``experiment_model_id``
    everywhere; ``step`` is how many steps it has been iterated, when stored.

    Example:
        >>> model = client.read_experiment_model(experiment_id, "3f9a1c")
        >>> model.experiment_model_id, model.step
    """

    experiment_model_id: str
    experiment_id: str
    hash: str
    name: str | None = None
    description: str | None = None
    step: int | None = None
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


class Iteration(Result):
    """One training or evaluation step of an experiment model (one per phase and epoch);
    ``end_datetime`` None while it is not known.

    Example:
        >>> [(i.epoch, i.phase.name) for i in client.get_iterations(model_id)]
        [(0, 'TRAINING')]
    """

    iteration_id: str
    experiment_model_id: str
    epoch: int
    phase: PhaseField
    start_datetime: datetime | None = None
    end_datetime: datetime | None = None
    creation_datetime: datetime | None = None


class MetricPoint(Positional):
    """One measurement of an experiment model's metric, as you log it and as the client lists
    it. ``phase`` a Phase, its name ("TRAINING") or None; ``time`` None when appended: when
    the server receives it. Fields may be given positionally, in this order.

    Example:
        >>> client.log_metrics([MetricPoint(model_id, "loss", 0.42, "TRAINING", epoch=0,
        ...                                 step=3)])
        1
    """

    experiment_model_id: str
    name: str
    value: float
    phase: PhaseField | None = None
    epoch: int | None = None
    step: int | None = None
    time: datetime | None = None


class Module(Positional):
    """A part of an experiment model and what builds it: ``arguments`` is a JSON object (a
    dict). ``module_id``, ``experiment_model_id`` and ``creation_datetime`` are the server's, set on
    the modules it returns. Fields may be given positionally, in this order.

    Example:
        >>> client.add_modules(model_id, [Module("optimizer", "torch.optim.SGD", {"lr": 0.1})])
    """

    name: str
    type: str
    arguments: dict = Field(default_factory=dict)
    hash: str | None = None
    module_id: str = ""
    experiment_model_id: str = ""
    creation_datetime: datetime | None = None
